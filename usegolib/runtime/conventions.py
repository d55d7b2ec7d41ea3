"""Python protocols for the Go conventions a class follows (docs/type-mapping.md,
"Go conventions as Python protocols").

A Go method whose name and signature say what it means gives the class the
matching Python protocol: ``String() string`` → ``str()`` and ``repr()``, ``Read``/``Write`` of
io.Reader/io.Writer → a binary file object (runtime/files.py),
``Equal(T) bool`` → ``==``, ``Cmp``/``Compare(T) int`` → ordering, ``Len() int``
→ ``len()``, ``All()``/``Iter()`` returning an ``iter.Seq`` → iteration, and
``Next() (T, bool)`` → iteration too. Only
the exact shapes count (no other parameters, no error result): anything else
is an ordinary method and nothing is guessed.
"""

from __future__ import annotations

from ..errors import UsegolibError
from .files import add_file_protocol
from .handles import GoObject

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, NamedTuple

    Method = dict[str, Any]
    TypeEntry = dict[str, Any]
else:
    from ..namedtuples import NamedTuple


# Methods whose text stands for the value, in order of preference.
_TEXT_METHODS = ("String", "Error")
_COMPARE_METHODS = ("Compare", "Cmp")
_SEQUENCE_METHODS = ("All", "Iter")


class Protocols(NamedTuple):
    """The Go methods that stand for Python protocols, by Go name (None:
    the class has no such method). A NamedTuple, not a dataclass: loading a
    library must not import dataclasses (and inspect) before the typed view
    is asked for."""

    text: str | None = None  # __str__ and __repr__
    equal: str | None = None  # __eq__ (and no hash)
    compare: str | None = None  # ordering (and __eq__ without Equal)
    length: str | None = None  # __len__
    sequence: str | None = None  # __iter__
    pull: bool = False  # Next() (T, bool): __iter__ calls Next until it says false
    readable: bool = False  # Read(p []byte) (int, error): read(), readinto(), lines
    writable: bool = False  # Write(p []byte) (int, error): write()
    closer: bool = False  # Close() error: close() closes in Go, then releases the handle
    flusher: bool = False  # Flush() error: flush()


def protocols(t: TypeEntry, types: list[TypeEntry]) -> Protocols:
    """What a class's methods stand for. Value classes (Go named non-struct
    types) only take __str__: their instances are the plain Python values."""
    methods = {m["name"]: m for m in t.get("methods", [])}
    text = next((name for name in _TEXT_METHODS if _returns(methods.get(name), types, "string")), None)
    if t["kind"] not in ("class", "interface"):
        return Protocols(text=text)
    readable, writable = _is_io(methods.get("Read"), types), _is_io(methods.get("Write"), types)
    files = {
        "readable": readable,
        "writable": writable,
        "closer": (readable or writable) and _returns_only_error(methods.get("Close")),
        "flusher": writable and _returns_only_error(methods.get("Flush")),
    }
    pull = _is_pull(methods.get("Next"), types)
    if t["kind"] == "interface":  # no instances of its own to compare or measure
        return Protocols(text=text, pull=pull, **files)
    return Protocols(
        text=text,
        **files,
        equal="Equal" if _takes_own(methods.get("Equal"), t, types, result="bool") else None,
        compare=next((n for n in _COMPARE_METHODS if _takes_own(methods.get(n), t, types, result="int")), None),
        length="Len" if _returns(methods.get("Len"), types, "int") else None,
        sequence=next((n for n in _SEQUENCE_METHODS if _returns_sequence(methods.get(n), types)), None),
        pull=pull,
    )


def apply_conventions(cls: type, t: TypeEntry, types: list[TypeEntry]) -> None:
    """Give cls the Python protocols its Go methods stand for; a protocol
    the class already has (a value class inherits str's __str__) is kept."""
    found = protocols(t, types)
    if found.text is not None and "__str__" not in cls.__dict__:
        cls.__str__ = getattr(cls, found.text)  # type: ignore[method-assign]
        if t["kind"] != "named":  # a value class's repr is its value's
            cls.__repr__ = _text_repr(found.text)  # type: ignore[method-assign]
    if found.equal is not None:
        cls.__eq__ = _equal  # type: ignore[method-assign]
    if found.compare is not None:
        for dunder, holds in _ORDERINGS.items():
            setattr(cls, dunder, _ordering(found.compare, holds))
        if found.equal is None:
            cls.__eq__ = _ordering(found.compare, lambda c: c == 0)  # type: ignore[method-assign]
    if found.equal is not None or found.compare is not None:
        # Go's Equal may hold for values that differ (1.5 and 1.50), so no
        # hash can agree with it: like a Python class defining __eq__ alone.
        cls.__hash__ = None  # type: ignore[assignment]
    if found.length is not None:
        cls.__len__ = lambda self: self.Len()  # type: ignore[attr-defined]
    if found.sequence is not None and "__iter__" not in cls.__dict__:
        cls.__iter__ = _iterate_method(found.sequence)  # type: ignore[attr-defined]
    if found.pull and found.sequence is None and "__iter__" not in cls.__dict__:
        cls.__iter__ = _pull  # type: ignore[attr-defined]
    if found.readable or found.writable:
        add_file_protocol(
            cls, readable=found.readable, writable=found.writable, closer=found.closer, flusher=found.flusher
        )


def _is_io(fn: Method | None, types: list[TypeEntry]) -> bool:
    """Read or Write of io.Reader or io.Writer: (p []byte) (n int, err error)."""
    if fn is None or len(fn["params"]) != 1 or not fn.get("returns_error") or len(fn["results"]) != 1:
        return False
    param = types[fn["params"][0]["type"]]
    return param["kind"] == "bytes" and param.get("len") is None and types[fn["results"][0]]["kind"] == "int"


def _is_pull(fn: Method | None, types: list[TypeEntry]) -> bool:
    """Next() (T, bool): the value and whether there was one (gojq's Iter)."""
    if fn is None or fn["params"] or fn.get("returns_error") or fn.get("context") or len(fn["results"]) != 2:
        return False
    return types[fn["results"][1]]["kind"] == "bool"


def _pull(self: Any) -> Iterator[Any]:
    while True:
        value, ok = self.Next()
        if not ok:
            return
        yield value


def _returns_only_error(fn: Method | None) -> bool:
    return fn is not None and not fn["params"] and not fn["results"] and bool(fn.get("returns_error"))


def _returns(fn: Method | None, types: list[TypeEntry], kind: str) -> bool:
    """A method of no parameters returning one value of kind, no error."""
    if fn is None or fn["params"] or fn.get("returns_error") or fn.get("context") or len(fn["results"]) != 1:
        return False
    return types[fn["results"][0]]["kind"] == kind


def _takes_own(fn: Method | None, t: TypeEntry, types: list[TypeEntry], *, result: str) -> bool:
    """A method taking one value of the class itself (T or *T) and
    returning one value of kind result."""
    if fn is None or len(fn["params"]) != 1 or fn.get("returns_error") or fn.get("variadic") or fn.get("context"):
        return False
    param = types[fn["params"][0]["type"]]
    own = param["kind"] == "handle" and param.get("class") == t["id"]
    return own and len(fn["results"]) == 1 and types[fn["results"][0]]["kind"] == result


def _returns_sequence(fn: Method | None, types: list[TypeEntry]) -> bool:
    if fn is None or fn["params"] or fn.get("returns_error") or len(fn["results"]) != 1:
        return False
    return bool(types[fn["results"][0]].get("yields"))


def _text_repr(method: str) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        if not getattr(self, "_hid", 0):
            return f"<{type(self).__name__} (closed)>"
        try:
            text = getattr(self, method)()
        except UsegolibError:  # a nil receiver's String panics: show the handle
            return GoObject.__repr__(self)
        return f"<{type(self).__name__} {text}>"

    return __repr__


def _equal(self: Any, other: Any) -> Any:
    if not isinstance(other, type(self)):
        return NotImplemented
    return self.Equal(other)


_ORDERINGS: dict[str, Callable[[int], bool]] = {
    "__lt__": lambda c: c < 0,
    "__le__": lambda c: c <= 0,
    "__gt__": lambda c: c > 0,
    "__ge__": lambda c: c >= 0,
}


def _ordering(method: str, holds: Callable[[int], bool]) -> Callable[[Any, Any], Any]:
    def compare(self: Any, other: Any) -> Any:
        if not isinstance(other, type(self)):
            return NotImplemented
        return holds(getattr(self, method)(other))

    return compare


def _iterate_method(method: str) -> Callable[[Any], Iterator[Any]]:
    def __iter__(self: Any) -> Iterator[Any]:
        return iter(getattr(self, method)())

    return __iter__
