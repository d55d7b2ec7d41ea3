"""Slices of plain numbers ([]float64, []int32, …) as memory, both ways
(go_shim/rt/numbers.go; docs/type-mapping.md, "Numeric slices").

Go sends such a slice as ExtNumbers: an item format letter and the items'
bytes. Python makes a list of them by default, or, inside
``numeric_results("array" | "memoryview" | "numpy")``, that kind of object
without a per-item step. Going to Go, array.array and numpy arrays travel
the same way, and bytes-like objects (memoryview, bytes) pass their raw
bytes; a list still works, item by item.
"""

from __future__ import annotations

from array import array

from msgpack import ExtType

from .. import threads
from ..errors import UnsupportedTypeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

EXT_NUMBERS = 10  # must match go_shim/rt/ext.go
RESULT_KINDS = ("list", "array", "memoryview", "numpy")

_results = threads.local()
# Item format letters (struct/array/buffer protocol) by kind and item size:
# the one spelling Go checks.
_SIGNED = {1: "b", 2: "h", 4: "i", 8: "q"}
_UNSIGNED = {2: "H", 4: "I", 8: "Q"}
_FLOATS = {"f": "f", "d": "d"}


class numeric_results:
    """Within the block, in this thread, Go slices of plain numbers come
    back as kind: "array" (array.array), "memoryview", "numpy" (an
    ndarray; numpy must be installed) or "list" (the default). A class
    rather than contextlib.contextmanager: contextlib stays off the import
    of a Go package."""

    def __init__(self, kind: str) -> None:
        if kind not in RESULT_KINDS:
            raise ValueError(f"numeric_results kind must be one of {', '.join(RESULT_KINDS)}, not {kind!r}")
        self._kind = kind
        self._previous: list[str] = []

    def __enter__(self) -> None:
        self._previous.append(getattr(_results, "kind", "list"))
        _results.kind = self._kind

    def __exit__(self, *exc: object) -> None:
        _results.kind = self._previous.pop()


def is_numbers(value: Any) -> bool:
    """array.array or a numpy array: what encode_numbers takes."""
    return isinstance(value, array) or (type(value).__module__ == "numpy" and type(value).__name__ == "ndarray")


def encode_numbers(value: Any) -> ExtType:
    view = memoryview(value)
    if view.ndim != 1 or not view.c_contiguous:
        raise UnsupportedTypeError(f"a Go slice takes a one-dimensional, contiguous array, not shape {view.shape}")
    return ExtType(EXT_NUMBERS, item_format(view.format, view.itemsize).encode() + view.tobytes())


def item_format(spelled: str, size: int) -> str:
    """The one spelling Go checks of a buffer's item format."""
    letter = spelled.lstrip("@=<")  # the machine's order: Go shares it
    if len(letter) == 1 and letter in "bhilqn" and size in _SIGNED:
        return _SIGNED[size]
    if len(letter) == 1 and letter in "BHILQN" and size in _UNSIGNED:
        return _UNSIGNED[size]
    if letter in _FLOATS:
        return _FLOATS[letter]
    raise UnsupportedTypeError(f"an array of item format {spelled!r} matches no Go number type")


def result_kind() -> str:
    """What numeric_results asks for in this thread."""
    return getattr(_results, "kind", "list")


def decode_numbers(data: bytes) -> Any:
    return decode_items(memoryview(data)[1:], chr(data[0]), borrowed=False)


def decode_items(raw: memoryview, letter: str, *, borrowed: bool) -> Any:
    """Items of format letter in raw as numeric_results says. Borrowed
    memory goes back to Go afterwards, so nothing returned may refer to it."""
    kind = result_kind()
    if kind == "list":
        return raw.cast(letter).tolist()
    if kind == "memoryview":
        return memoryview(bytes(raw)).cast(letter) if borrowed else raw.cast(letter)
    if kind == "array":
        out = array(letter)
        out.frombytes(raw)
        return out
    items = raw.cast(letter)
    import numpy  # only asked for with numeric_results("numpy")

    return numpy.array(items)
