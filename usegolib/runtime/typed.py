"""The typed view of a library (SPEC §1 ``h.typed()``, the ``go.`` hook):
records become dataclasses, and handle classes get typed subclasses whose
methods take and return dataclasses too.

The untyped call path is unchanged; the typed view wraps it with converters
compiled once per type. A type that holds no record, handle or ``any`` needs
no converter, and a function whose types need none is the untyped function
itself.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import keyword
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from ..naming import python_module_name
from . import writeback
from .annotations import Annotations
from .functions import go_arguments, signature
from .handles import GoObject, complete, defer_members
from .typedkinds import INTO_LEAVES, OUT_LEAVES, has_value_class
from .values import python_type

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .library import Library

Converter = Callable[[Any], Any]

# Kinds whose values differ between the views: going out, records become
# dataclasses and handles move to typed classes (anywhere inside `any`
# too); going in, only dataclasses need turning back into dicts.


class TypedView:
    """Dataclasses, typed classes and converters of one library."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.types: list[dict[str, Any]] = lib.manifest["types"]
        self.records: dict[int, type] = {}  # record type id -> dataclass
        self.classes: dict[int, type] = {}  # class/interface id -> typed class
        self._typed_of: dict[type, type] = {}  # untyped class -> typed class
        self._complete_of: dict[type, type] = {}  # the same, once the typed class has its members
        self._out: dict[int, Converter | None] = {}
        self._into: dict[int, Converter | None] = {}
        # Whether the native crossing packs a record (and makes it), by id.
        self._native_records: dict[int, bool] = {}
        self._making = threading.RLock()
        self.annotations = _TypedAnnotations(self.types, self.classes, self.record)
        # Typed classes first: dataclass defaults of named values are
        # instances of their classes.
        for type_id, untyped in lib.classes.items():
            typed = type(
                untyped.__name__,
                (untyped,),
                {"__slots__": (), "__module__": untyped.__module__, "__repr__": untyped.__repr__},
            )
            typed.__doc__ = untyped.__doc__
            self.classes[type_id] = typed
            self._typed_of[untyped] = typed
        # Dataclasses are made on first use (record()).
        for type_id, typed in self.classes.items():  # on first use, as the untyped classes' (handles.GoClass)
            defer_members(typed, functools.partial(self._add_members, typed, self.types[type_id]))

    # -- functions and methods ---------------------------------------------

    def function(
        self,
        fn: dict[str, Any],
        untyped: Callable[..., Any],
        *,
        method: bool = False,
        receiver: Converter | None = None,
    ) -> Callable[..., Any]:
        """A typed wrapper of untyped, or untyped itself when no argument or
        result needs converting. receiver converts the receiver of a method
        taking it by value (a named slice of records holds dataclasses)."""
        into = [self._written_back(p["type"], self.into(p["type"])) for p in fn["params"]]
        outs = [self.out(r) for r in fn["results"]]
        if not any(into) and not any(outs) and receiver is None:
            return untyped
        sig = signature(fn, self.annotations, method=method)
        parameters = list(go_arguments(sig).parameters.values())
        binding = inspect.Signature(parameters[1:] if method else parameters)
        variadic = bool(fn.get("variadic"))
        convert_args = _arguments(untyped.__qualname__, into, variadic, binding) if any(into) else None
        convert_result = _results(outs)
        # timeout= and context= of a function taking a context pass through.
        passed = ("timeout", "context") if fn.get("context") else ()

        if method:
            convert_self = receiver or _identity

            def call(self: Any, *args: Any, **kwargs: Any) -> Any:
                if convert_args is not None:
                    kept = {k: kwargs.pop(k) for k in passed if k in kwargs}
                    args, kwargs = convert_args(args, kwargs), kept
                return convert_result(untyped(convert_self(self), *args, **kwargs))

        else:

            def call(*args: Any, **kwargs: Any) -> Any:
                if convert_args is not None:
                    kept = {k: kwargs.pop(k) for k in passed if k in kwargs}
                    args, kwargs = convert_args(args, kwargs), kept
                return convert_result(untyped(*args, **kwargs))

        name = getattr(untyped, "__qualname__", fn["name"])
        made = call
        if not method and not passed:
            made = self._native(fn, name, call, into=into, outs=outs, convert_result=convert_result)
        for attribute in ("__name__", "__qualname__", "__module__", "__doc__", "__usegolib_context__"):
            if hasattr(untyped, attribute):
                setattr(call, attribute, getattr(untyped, attribute))
                setattr(made, attribute, getattr(untyped, attribute))
        call.__signature__ = sig  # type: ignore[attr-defined]
        made.__signature__ = sig  # type: ignore[attr-defined]
        return made

    def _native(
        self,
        fn: dict[str, Any],
        name: str,
        call: Callable[..., Any],
        *,
        into: list[Converter | None],
        outs: list[Converter | None],
        convert_result: Converter,
    ) -> Callable[..., Any]:
        """call as a C object of the native crossing where it can pack the
        arguments and make the result itself: each argument needs no
        converter or is a record it packs (registered), and the result
        needs none or is a record of fields that need none; else call."""
        params = fn["params"]
        for p, convert in zip(params, into, strict=True):
            if convert is not None and not (self.is_record(p["type"]) and self._registered(p["type"], set())):
                return call
        record = None
        if any(outs):
            (result,) = fn["results"] if len(fn["results"]) == 1 else (None,)
            if result is None or not self._flat_out(result) or not self._registered(result, set()):
                return call
            record = self.record(result)
        names = [p["name"] for p in params]
        variadic = bool(fn.get("variadic"))
        if variadic and into[-1] is not None:
            return call  # the variadic values are converted one by one
        return self.lib.native_function(
            fn["id"], name, names, call, variadic=variadic, several=len(outs) > 1, record=record,
            convert=convert_result,
        )  # fmt: skip

    def _registered(self, type_id: int, visiting: set[int]) -> bool:
        """Whether the native crossing packs the record type_id (registering
        it): each field needs no converter going in, or is such a record."""
        if type_id in self._native_records:
            return self._native_records[type_id]
        if type_id in visiting:
            return True  # a record holding itself (by pointer): decided by its other fields
        visiting.add(type_id)
        t = self.types[type_id]
        packable = all(
            self.into(f["type"]) is None or (self.is_record(f["type"]) and self._registered(f["type"], visiting))
            for f in t.get("fields", [])
        )
        if packable:
            keys = [f["name"] for f in t.get("fields", [])]
            packable = self.lib.register_record(self.record(type_id), keys, self.attributes(type_id))
        self._native_records[type_id] = packable
        return packable

    def _flat_out(self, type_id: int) -> bool:
        """A record whose fields need no converter coming out: the native
        crossing makes its instance from the map Go sends."""
        return self.is_record(type_id) and all(
            self.out(f["type"]) is None for f in self.types[type_id].get("fields", [])
        )

    def _written_back(self, type_id: int, convert: Converter | None) -> Converter | None:
        """convert, for a slice or map parameter, making a list or dict that
        stands for the caller's: Go's writes into it are stored, typed, into
        the caller's object (runtime/writeback.py)."""
        t = self.types[type_id]
        if convert is None or t["kind"] not in ("list", "map") or t.get("len") is not None:
            return convert
        out = self.out(type_id)
        return lambda value: writeback.stand_in(convert(value), value, out)

    def _add_members(self, typed: type, t: dict[str, Any]) -> None:
        untyped = typed.__mro__[1]
        # A named value is the receiver itself, converted like an argument;
        # a handle needs no converting.
        receiver = self.into(t["elem"]) if t["kind"] == "named" else None
        for fn in t.get("methods", []):
            method = self.function(fn, getattr(untyped, fn["name"]), method=True, receiver=receiver)
            setattr(typed, fn["name"], method)
        for field in t.get("fields", []):
            convert, into = self.out(field["type"]), self.into(field["type"])
            if convert is not None or into is not None:
                untyped_field = getattr(untyped, field["name"])
                getter = _then(untyped_field.fget, convert) if convert else untyped_field.fget
                setter = untyped_field.fset
                if setter is not None and into is not None:
                    setter = _before(setter, into)
                setattr(typed, field["name"], property(getter, setter, doc=f"Go field {field['go_name']}"))
        if t.get("new") is not None:
            typed.__new__ = self._constructor(untyped, t)  # type: ignore[method-assign]

    def _constructor(self, untyped: type, t: dict[str, Any]) -> Callable[..., Any]:
        into = {f["name"]: self.into(f["type"]) for f in t.get("fields", [])}
        retype = self._retype

        def new(cls: type, *args: Any, **fields: Any) -> Any:
            converted = {k: (into[k](v) if into.get(k) else v) for k, v in fields.items()}
            return retype(untyped(*args, **converted))

        return new

    # -- converters ----------------------------------------------------------

    def out(self, type_id: int) -> Converter | None:
        """Go's untyped value -> the typed one, or None when equal."""
        return self._compiled(type_id, self._out, self._compile_out, OUT_LEAVES)

    def into(self, type_id: int) -> Converter | None:
        """A typed value -> what the untyped call path takes, or None."""
        return self._compiled(type_id, self._into, self._compile_into, INTO_LEAVES)

    def _compiled(
        self,
        type_id: int,
        memo: dict[int, Converter | None],
        compile_: Callable[[dict[str, Any]], Converter | None],
        leaves: frozenset[str],
    ) -> Converter | None:
        if type_id in memo:
            return memo[type_id]
        if not self._needs(type_id, leaves, set()):
            memo[type_id] = None
            return None
        cell: list[Converter] = []
        memo[type_id] = lambda value: cell[0](value)  # noqa: PLW0108 - cell is filled below: a recursive type refers to itself
        converter = compile_(self.types[type_id])
        assert converter is not None
        cell.append(converter)
        memo[type_id] = converter
        return converter

    def _needs(self, type_id: int, leaves: frozenset[str], visiting: set[int]) -> bool:
        """Whether values of the type contain something to convert."""
        t = self.types[type_id]
        if t["kind"] in leaves or (leaves is OUT_LEAVES and has_value_class(t)):
            return True
        if leaves is INTO_LEAVES and t["kind"] == "func":
            return self._callback_converters(t) is not None
        if type_id in visiting or t["kind"] not in ("list", "map", "optional"):
            return False
        visiting.add(type_id)
        inner = (t["elem"], t["key"]) if t["kind"] == "map" else (t["elem"],)
        return any(self._needs(i, leaves, visiting) for i in inner)

    def _compile_out(self, t: dict[str, Any]) -> Converter | None:
        kind = t["kind"]
        if has_value_class(t):
            return self._value_out(t)
        if kind == "record":
            return self._record_out(t)
        if kind in ("handle", "interface", "class", "func", "chan", "opaque"):
            return self._retype
        if kind == "any":
            return self._retype_any
        return _container(t, self.out(t["elem"]), self._key(t, self.out))

    def _compile_into(self, t: dict[str, Any]) -> Converter | None:
        kind = t["kind"]
        if kind == "record":
            return self._record_into(t)
        if kind == "any":
            return self._any_into
        if kind == "func":
            return self._callback_into(t)
        return _container(t, self.into(t["elem"]), self._key(t, self.into))

    def _callback_converters(self, t: dict[str, Any]) -> tuple[list[Converter | None], Converter] | None:
        """For a func type a Python callable may stand for: the converters
        of its parameters (Go calls the callable with them: they go out) and
        of its result (it goes into Go), or None when nothing needs one."""
        call = next((m for m in t.get("methods", []) if m["name"] == "Call"), None)
        if call is None:
            return None
        params = [self.out(p["type"]) for p in call["params"]]
        results = [self.into(r) for r in call["results"]]
        if not any(params) and not any(results):
            return None
        return params, _callback_results(results)

    def _callback_into(self, t: dict[str, Any]) -> Converter:
        """A Python callable passed for a func gets typed arguments
        (dataclasses, typed handles) and may return typed values."""
        converters = self._callback_converters(t)
        assert converters is not None  # _needs said so
        params, result_into = converters

        def convert(value: Any) -> Any:
            if not callable(value) or isinstance(value, (type, GoObject)):
                return value  # a Go func handle, or what Go reports as a type error

            @functools.wraps(value)
            def typed_callback(*args: Any) -> Any:
                args = tuple(c(a) if c else a for c, a in zip(params, args, strict=False))
                return result_into(value(*args))

            return typed_callback

        return convert

    @staticmethod
    def _key(t: dict[str, Any], compile_: Callable[[int], Converter | None]) -> Converter | None:
        """The converter of a map's keys (named keys with methods)."""
        return compile_(t["key"]) if t["kind"] == "map" else None

    def _value_out(self, t: dict[str, Any]) -> Converter:
        """A value of a named non-struct type becomes an instance of its
        class (Weekday(3)), so its methods are at hand."""
        cls = self.classes[t["class"]]
        if t["kind"] in ("list", "map"):
            convert = _container(t, self.out(t["elem"]), self._key(t, self.out))
            if convert is not None:
                return lambda value: cls(convert(value))
        return cls

    def _record_out(self, t: dict[str, Any]) -> Converter:
        cls = self.record(t["id"])
        fields = [
            (f["name"], attr, self.out(f["type"]))
            for f, attr in zip(t.get("fields", []), self.attributes(t["id"]), strict=True)
        ]

        def convert(value: Any) -> Any:
            if value is None:
                return None
            return cls(**{attr: (c(value[key]) if c else value[key]) for key, attr, c in fields if key in value})

        return convert

    def _record_into(self, t: dict[str, Any]) -> Converter:
        cls = self.record(t["id"])
        fields = [
            (f["name"], attr, self.into(f["type"]))
            for f, attr in zip(t.get("fields", []), self.attributes(t["id"]), strict=True)
        ]
        by_key = {key: c for key, _, c in fields}

        def convert(value: Any) -> Any:
            if isinstance(value, cls):
                out = {}
                for key, attr, c in fields:
                    item = getattr(value, attr)
                    out[key] = c(item) if c else item
                return out
            if isinstance(value, dict):  # plain dicts are still accepted
                return {k: (by_key[k](v) if by_key.get(k) else v) for k, v in value.items()}
            return value  # Go reports the type error with the parameter's name

        return convert

    def _retype(self, value: Any) -> Any:
        """Move a handle from its untyped class to the typed subclass; the
        handle itself (and who releases it) does not change."""
        typed = self._complete_of.get(type(value))
        if typed is None:
            typed = self._typed_of.get(type(value))
            if typed is None:
                return value
            # Before its first instance: the typed methods must shadow the
            # untyped ones the class inherits, and a lookup that succeeds
            # on the base never asks for them (handles.GoClass).
            complete(typed)
            self._complete_of[type(value)] = typed
        value.__class__ = typed
        return value

    def _retype_any(self, value: Any) -> Any:
        if isinstance(value, GoObject):
            return self._retype(value)
        if isinstance(value, list):
            return [self._retype_any(v) for v in value]
        if isinstance(value, dict):
            return {k: self._retype_any(v) for k, v in value.items()}
        return value

    def _any_into(self, value: Any) -> Any:
        """Dataclasses of this library inside `any` travel as their dicts."""
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for type_id, cls in self.records.items():
                if type(value) is cls:
                    return self._record_into(self.types[type_id])(value)
        if isinstance(value, (list, tuple)):
            return [self._any_into(v) for v in value]
        if isinstance(value, dict):
            return {k: self._any_into(v) for k, v in value.items()}
        return value

    def is_record(self, type_id: int) -> bool:
        return bool(self.types[type_id]["kind"] == "record")

    def record(self, type_id: int) -> type:
        """The dataclass of a record, made on first use (a module's records
        cost milliseconds each to make), with its annotations: records may
        refer to each other and to themselves, so a record is stored before
        its annotations are made."""
        cls = self.records.get(type_id)
        if cls is None:
            with self._making:
                cls = self.records.get(type_id)
                if cls is None:
                    cls = self._dataclass(type_id)
                    self._annotate(cls, self.types[type_id])
        return cls

    def _dataclass(self, type_id: int) -> type:
        """The dataclass of a record: fields in Go order, defaulting to Go's
        zero values, so `Point()` is Go's `Point{}`. A record holding another
        record by value needs that one's class first (Go forbids cycles of
        values, so this recursion ends)."""
        if type_id in self.records:
            return self.records[type_id]
        t = self.types[type_id]
        names = self.attributes(type_id)
        fields = [
            (attr, Any, dataclasses.field(**self._zero(f["type"])))
            for attr, f in zip(names, t.get("fields", []), strict=True)
        ]
        cls = dataclasses.make_dataclass(
            t.get("name") or f"Struct{type_id}", fields, namespace={"__doc__": t.get("doc") or f"Go struct {t['go']}."}
        )
        cls.__module__ = python_module_name(t["package"]) if t.get("package") else "go"
        self.records[type_id] = cls
        return cls

    def attributes(self, type_id: int) -> list[str]:
        return attribute_names(self.types[type_id])

    def _zero(self, type_id: int) -> dict[str, Any]:
        """dataclasses.field arguments giving Go's zero value of the type; a
        named value's zero is an instance of its class, as Go results are."""
        t = self.types[type_id]
        zero = self._plain_zero(t)
        if not has_value_class(t):
            return zero
        cls = self.classes[t["class"]]
        if "default" in zero:
            return {"default": cls(zero["default"])}
        make = zero["default_factory"]
        return {"default_factory": lambda: cls(make())}

    def _plain_zero(self, t: dict[str, Any]) -> dict[str, Any]:
        """Go's zero value of the type's kind, whatever its name."""
        type_id = t["id"]
        kind = t["kind"]
        if kind in _ZERO:
            return {"default": _ZERO[kind]}
        if kind == "bytes":
            return {"default": bytes(t.get("len") or 0)}
        if kind == "uuid":
            return {"default": python_type("uuid", "UUID")(int=0)}
        if kind in ("bigint", "bigfloat"):
            zero = 0 if kind == "bigint" else python_type("decimal", "Decimal")(0)
            return {"default": None if t.get("pointer") else zero}
        if kind == "record":
            return {"default_factory": self.record(type_id)}
        if kind == "map":
            return {"default_factory": dict}
        if kind == "list" and t.get("len") is None:
            return {"default_factory": list}
        if kind == "list":
            element = self._zero(t["elem"])
            size = t["len"]
            if "default" in element:
                value = element["default"]
                return {"default_factory": lambda: [value] * size}
            make = element["default_factory"]
            return {"default_factory": lambda: [make() for _ in range(size)]}
        return {"default": None}  # pointers, handles, interfaces, any

    def _annotate(self, cls: type, t: dict[str, Any]) -> None:
        """Real annotations, once every class exists (records may refer to
        each other and to themselves)."""
        for f, attr in zip(t.get("fields", []), self.attributes(t["id"]), strict=True):
            annotation = self.annotations.of(f["type"])
            cls.__annotations__[attr] = annotation
            cls.__dataclass_fields__[attr].type = annotation  # type: ignore[attr-defined]
            cls.__init__.__annotations__[attr] = annotation  # type: ignore[misc]


def attribute_names(record: dict[str, Any]) -> list[str]:
    """The dataclass attribute of each key of a record: the key made an
    identifier, with underscores added where two keys would meet ("a-b" and
    "a_b")."""
    names: list[str] = []
    for f in record.get("fields", []):
        name = _attribute(f["name"])
        while name in names:
            name += "_"
        names.append(name)
    return names


class _TypedAnnotations(Annotations):
    """The typed view's annotations: named values as their classes, except
    named bools, which stay plain bools (bool cannot be subclassed)."""

    def __init__(self, types: list[dict[str, Any]], classes: dict[int, type], record: Callable[[int], type]) -> None:
        super().__init__(types, classes, value_classes=True)
        self._record = record  # the view's dataclasses, made as annotations ask for them

    def _of(self, type_id: int) -> Any:
        kind = self._types[type_id]["kind"]
        if kind == "bool":
            return bool
        if kind == "record":
            return self._record(type_id)
        return super()._of(type_id)


def _container(t: dict[str, Any], elem: Converter | None, key: Converter | None = None) -> Converter | None:
    """Convert the elements (and a map's keys) of a list, map or pointer. A
    value of another shape is passed on unchanged, for Go to reject with the
    parameter's name."""
    if elem is None and key is None:
        return None
    convert = elem or _identity
    kind = t["kind"]
    if kind == "list":
        return lambda value: [convert(v) for v in value] if isinstance(value, (list, tuple)) else value
    if kind == "map":
        convert_key = key or _identity
        return lambda value: (
            {convert_key(k): convert(v) for k, v in value.items()} if isinstance(value, dict) else value
        )
    return lambda value: None if value is None else convert(value)  # optional


def _arguments(
    name: str, into: list[Converter | None], variadic: bool, binding: inspect.Signature
) -> Callable[[tuple[Any, ...], dict[str, Any]], tuple[Any, ...]]:
    last = len(into) - 1

    def convert(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        if kwargs:
            try:
                args = binding.bind(*args, **kwargs).args
            except TypeError as exc:
                raise TypeError(f"{name}() {exc}") from None
        out = []
        for i, value in enumerate(args):
            c = into[min(i, last)] if variadic else (into[i] if i <= last else None)
            out.append(c(value) if c else value)
        return tuple(out)

    return convert


def _results(outs: list[Converter | None]) -> Converter:
    if len(outs) == 1:
        only = outs[0]
        return only if only is not None else _identity
    if not any(outs):
        return _identity
    return lambda values: tuple(c(v) if c else v for c, v in zip(outs, values, strict=True))


def _callback_results(converters: list[Converter | None]) -> Converter:
    """What a callable returns for Go, converted where it has the shape Go
    expects; anything else goes to Go as it is, for Go to report."""
    if len(converters) == 1 and converters[0] is not None:
        return converters[0]

    def convert(result: Any) -> Any:
        if not isinstance(result, tuple) or len(result) != len(converters):
            return result
        return tuple(c(v) if c else v for c, v in zip(converters, result, strict=True))

    return convert


def _identity(value: Any) -> Any:
    return value


def _then(getter: Callable[[Any], Any], convert: Converter) -> Callable[[Any], Any]:
    return lambda self: convert(getter(self))


def _before(setter: Callable[[Any, Any], None], convert: Converter) -> Callable[[Any, Any], None]:
    return lambda self, value: setter(self, convert(value))


_NOT_NAME = re.compile(r"\W")


def _attribute(key: str) -> str:
    """A record key as a Python attribute name."""
    name = _NOT_NAME.sub("_", key) or "_"
    if name[0].isdigit():
        name = "_" + name
    return name + "_" if keyword.iskeyword(name) else name


_ZERO: dict[str, Any] = {
    "bool": False,
    "int": 0,
    "uint": 0,
    "float": 0.0,
    "complex": 0j,
    "string": "",
    "duration": timedelta(0),
    "time": datetime(1, 1, 1, tzinfo=timezone.utc),
}
