"""``usegolib.Ref``: a Go pointer Python keeps across calls, for the Go
idiom of decoding into a pointer the caller passes (docs/type-mapping.md,
"Out-parameters").

A Ref is made in Python, knowing nothing of Go; the first call that takes
it (in one Go module) makes its pointer in Go, of the type that parameter
wants, and Go keeps it under the Ref's token until Python drops the Ref.
``ref.value`` asks Go what the pointer points to now.
"""

from __future__ import annotations

import itertools
import struct
import weakref

import msgpack
from msgpack import ExtType

from .. import threads
from .handles import GoObject, crossing_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .library import Library

EXT_REF = 13  # go_shim/rt/refs.go
_HEADER = struct.Struct(">QBi")  # token, kind, type id

# Kinds, as go_shim/rt/refs.go numbers them: what a Ref passed where Go
# wants `any` points to.
_ANY, _MAP, _LIST, _STR, _INT, _FLOAT, _BOOL, _BYTES, _TYPE = range(9)
_KIND_OF_CLASS: dict[type, int] = {
    dict: _MAP,
    list: _LIST,
    str: _STR,
    int: _INT,
    float: _FLOAT,
    bool: _BOOL,
    bytes: _BYTES,
}
_ZERO: dict[int, Any] = {_ANY: None, _MAP: {}, _LIST: [], _STR: "", _INT: 0, _FLOAT: 0.0, _BOOL: False, _BYTES: b""}
_NOTHING = object()
_tokens = itertools.count(1)


class Ref:
    """A Go pointer for Go APIs that write through one (``Unmarshal(data,
    &v)``, ``Decode(&v)``, ``func Fill(p *T)``).

    ``Ref()`` is a Go ``*any``; ``Ref(dict)``, ``Ref(list)``, ``Ref(str)``,
    ``Ref(int)``, ``Ref(float)``, ``Ref(bool)``, ``Ref(bytes)`` a pointer to a
    new ``map[string]any``, ``[]any``, ``string``, ``int64``, ``float64``,
    ``bool``, ``[]byte``; ``Ref(Record)`` (a dataclass of the typed view) or
    ``Ref(h.types.T)`` a ``*T``; ``Ref(value)`` a pointer to a Go copy of
    value. Where the Go parameter is a pointer, map or slice type, the
    pointer is of that type whatever the Ref was made with. After the call,
    ``ref.value`` is what Go put there.
    """

    __slots__ = ("__weakref__", "_bound", "_class", "_init", "_kind", "_lock", "_token")

    def __init__(self, target: Any = _NOTHING) -> None:
        self._token = next(_tokens)
        self._class: type | None = None
        self._init: Any = _NOTHING
        if target is _NOTHING:
            self._kind = _ANY
        elif isinstance(target, type) and target in _KIND_OF_CLASS:
            self._kind = _KIND_OF_CLASS[target]
        elif isinstance(target, type):
            if not (_is_dataclass(target) or issubclass(target, GoObject)):
                raise TypeError(
                    f"Ref({target.__name__}): a Ref of a class needs a record dataclass of the typed view "
                    "or a Go class (h.types.T)"
                )
            self._kind, self._class = _TYPE, target
        else:
            self._kind, self._init = _KIND_OF_CLASS.get(type(target), _ANY), target
            if _is_dataclass(target):
                self._kind, self._class = _TYPE, type(target)
        self._bound: Library | None = None
        self._lock = threads.Lock()

    @property
    def value(self) -> Any:
        """What the Go pointer points to now: the value converted to Python
        (a dataclass for a record Ref made with one), a handle for a class.
        Before any call has taken the Ref, its initial value (or the zero
        value of its kind)."""
        lib = self._bound
        if lib is None:
            return self._unsent()
        made, value = lib.ref_value(self._token)
        if not made:
            return self._unsent()
        return self._typed(lib, value)

    def __repr__(self) -> str:
        return f"usegolib.Ref({self.value!r})"

    def _unsent(self) -> Any:
        if self._init is not _NOTHING:
            return self._init
        if self._kind == _TYPE:
            return None
        zero = _ZERO[self._kind]
        return zero.copy() if isinstance(zero, (dict, list)) else zero

    def _typed(self, lib: Library, value: Any) -> Any:
        if self._class is not None and _is_dataclass(self._class):
            type_id = _record_id(lib, self._class)
            convert = lib.typed_view.out(type_id) if type_id is not None else None
            return convert(value) if convert else value
        return value

    def _ext(self, lib: Library) -> ExtType:
        """The Ref as an argument to a call into lib (Codec.default, runtime/codec.py)."""
        with self._lock:
            if self._bound is None:
                self._bound = lib
                weakref.finalize(self, _forget, lib, self._token)
            elif self._bound is not lib:
                raise crossing_error("this usegolib.Ref", self._bound, lib, "a Ref is a pointer in one module")
        type_id = -1
        if self._kind == _TYPE:
            type_id = _type_id(lib, self._class)
        init = b""
        if self._init is not _NOTHING:
            value = self._init
            if _is_dataclass(value) and type_id >= 0:
                value = lib.typed_view.into(type_id)(value)
            init = msgpack.packb(value, default=lib.pack_default, unicode_errors="surrogateescape")
        return ExtType(EXT_REF, _HEADER.pack(self._token, self._kind, type_id) + init)


def _is_dataclass(obj: Any) -> bool:
    """dataclasses.is_dataclass without importing dataclasses (and inspect)
    for programs that never use the typed view."""
    cls = obj if isinstance(obj, type) else type(obj)
    return hasattr(cls, "__dataclass_fields__")


def _forget(lib: Library, token: int) -> None:
    try:  # noqa: SIM105 - contextlib stays off the import of a Go package
        lib.release_ref(token)
    except Exception:  # noqa: BLE001, S110 - at exit, or in a forked child, Go may be gone
        pass


def _type_id(lib: Library, cls: type | None) -> int:
    type_id = _record_id(lib, cls) if cls is not None and _is_dataclass(cls) else None
    if type_id is None:
        type_id = next((i for i, c in lib.classes.items() if c is cls), None)
    if type_id is None and lib.typed_view is not None:
        type_id = next((i for i, c in lib.typed_view.classes.items() if c is cls), None)
    if type_id is None or lib.manifest["types"][type_id]["kind"] not in ("record", "class"):
        name = getattr(cls, "__name__", cls)
        raise TypeError(f"Ref({name}): not a record or class of Go module {lib.module}")
    return type_id


def _record_id(lib: Library, cls: type) -> int | None:
    view = lib.typed_view
    if view is None:
        return None
    return next((i for i, c in view.records.items() if c is cls), None)
