"""Python classes for a library's Go classes and interfaces (SPEC §3)."""

from __future__ import annotations

import keyword

from ..naming import python_module_name
from .handles import GoClass, GoObject, complete, defer_members
from .package import later, made_on_first_call

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, ClassVar

    from .annotations import Annotations
    from .library import Library

# The kinds of types whose values (or methods) have a Python class.
_WITH_CLASSES = frozenset({"class", "interface", "named", "func", "chan", "opaque"})


def build_classes(lib: Library, annotations: Annotations) -> None:
    """Create every class of the manifest in lib.classes, each given its
    members on first use (handles.GoClass): members' annotations may refer
    to any class, and most programs use few of a module's classes."""
    for t in lib.manifest["types"]:
        if t["kind"] in _WITH_CLASSES:
            cls = _value_class(lib, t) if t["kind"] == "named" else _empty_class(lib, t)
            lib.classes[t["id"]] = cls
            defer_members(cls, later(_add_members, lib, cls, t, annotations))


# The Python base of a named non-struct type's class, by the kind of its value.
_VALUE_BASES: dict[str, type] = {
    "int": int,
    "uint": int,
    "float": float,
    "complex": complex,
    "string": str,
    "bytes": bytes,
    "list": list,
    "map": dict,
}


def wraps_values(kind: str) -> bool:
    """Whether values of a named type of this kind are instances of its class.
    bool cannot be subclassed, so a named bool's values stay plain bools and
    its class only groups the methods."""
    return kind in _VALUE_BASES


class ValueClassType(GoClass):
    """The metaclass of value classes: a skipped method looked up on the class
    (`Level.Reset`) says why it is missing, as on an instance."""

    # The fallback of classes' own _skipped (set with their members): a
    # lookup of _skipped never reaches __getattr__.
    _skipped: ClassVar[dict[str, str]] = {}

    def __getattr__(cls, name: str) -> Any:
        if complete(cls):
            return getattr(cls, name)
        raise _missing(cls, name, cls.__name__)


def _value_getattr(self: Any, name: str) -> Any:
    if complete(type(self)):
        return getattr(self, name)
    raise _missing(type(self), name, f"{type(self).__name__!r} object")


def _missing(cls: type, name: str, owner: str) -> AttributeError:
    """The error for an attribute lookup that failed: with the build-time
    reason when the name is a skipped Go method (as GoObject.__getattr__)."""
    reason = cls._skipped.get(name)  # type: ignore[attr-defined]
    if reason and not name.startswith("_"):
        return AttributeError(f"{cls.__name__}.{name} is not available from Python: {reason}")
    return AttributeError(f"{owner} has no attribute {name!r}")


def _value_class(lib: Library, t: dict[str, Any]) -> type:
    """The class of a named non-struct type (type Weekday int): a subclass
    of the Python type of its values carrying the Go methods, so
    `Weekday(3).String()` and `Weekday.String(3)` both work."""
    kind = lib.manifest["types"][t["elem"]]["kind"]
    namespace: dict[str, Any] = {
        "__doc__": t.get("doc") or f"Go type {t['go']}.",
        "__module__": python_module_name(t["package"]),
        "__getattr__": _value_getattr,
        "_go_type": t["go"],
    }
    base = _VALUE_BASES.get(kind)
    if base is None:
        # No instances: Flag(True) is the plain value, Flag.String(True) works.
        namespace["__new__"] = _plain_new(kind)
        return ValueClassType(t["name"], (), namespace)
    namespace["__repr__"] = lambda self: f"{type(self).__name__}({base.__repr__(self)})"
    return ValueClassType(t["name"], (base,), namespace)


def _plain_new(kind: str) -> Any:
    """`__new__` of a class without instances: the converted plain value."""
    if kind == "bool":
        return lambda cls, value=False: bool(value)
    return lambda cls, value: value


def _empty_class(lib: Library, t: dict[str, Any]) -> type:
    namespace: dict[str, Any] = {
        "__slots__": (),
        "__doc__": t.get("doc") or f"Go {t['kind']} {t['go']}.",
        "__module__": python_module_name(t["package"]) if t.get("package") else "go",
        # A class handle always holds a *T; an interface's dynamic type
        # varies, so it is asked for when shown.
        "_go_type": "*" + t["go"] if t["kind"] == "class" else "",
    }
    if t.get("new") is not None:
        namespace["__new__"] = made_on_first_call(later(_constructor, lib, t["new"], t["name"]))
    if t["kind"] != "chan":
        return type(t["name"], (GoObject,), namespace)
    from .channels import GoChannel  # typing's Generic: only for modules with channels

    return type(t["name"], (GoChannel,), namespace)


def _constructor(lib: Library, call_id: int, class_name: str) -> Callable[..., Any]:
    """`__new__` of a class with a constructor, made on its first call: a
    module loads without making any call."""
    from .functions import make_constructor

    return make_constructor(lib, call_id, class_name)


def _add_members(lib: Library, cls: type, t: dict[str, Any], annotations: Annotations) -> None:
    from .conventions import apply_conventions  # with the first use of a class: a load makes no member
    from .functions import make_getter, make_method, make_setter

    module = cls.__module__
    by_value = t["kind"] == "named"
    for fn in t.get("methods", []):
        method = make_method(lib, fn, annotations, cls.__name__, module, by_value=by_value)
        _set_member(cls, fn["name"], method)
    for field in t.get("fields", []):
        getter = make_getter(lib, field, cls.__name__)
        setter = make_setter(lib, field, cls.__name__) if field.get("setter") is not None else None
        _set_member(cls, field["name"], property(getter, setter, doc=f"Go field {field['go_name']}"))
    if t["kind"] == "func" and "Call" in cls.__dict__:
        cls.__call__ = cls.Call  # type: ignore[attr-defined]
    if t.get("yields"):
        cls.__iter__ = _iterate(t["yields"])  # type: ignore[attr-defined]
    apply_conventions(cls, t, lib.manifest["types"])
    cls._skipped = {s["name"]: s["reason"] for s in t.get("skipped", [])}  # type: ignore[attr-defined]


def _set_member(cls: type, name: str, member: Any) -> None:
    """Set a member under its Go name, and with a trailing underscore when
    that name is a Python keyword (a method True: obj.True_())."""
    setattr(cls, name, member)
    if keyword.iskeyword(name) and not hasattr(cls, name + "_"):
        setattr(cls, name + "_", member)


def _iterate(yields: int) -> Callable[[Any], Iterator[Any]]:
    """__iter__ of an iter.Seq (values) or iter.Seq2 (pairs) handle: each
    loop pulls a fresh iteration from Go, which Go stops when the sequence
    ends or when Python drops the iteration's handle."""

    def __iter__(self: Any) -> Iterator[Any]:
        iteration = self.Iter()
        while True:
            *values, more = iteration.Next()
            if not more:
                return
            yield values[0] if yields == 1 else tuple(values)

    return __iter__
