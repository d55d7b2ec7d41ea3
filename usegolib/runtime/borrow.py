"""Large bytes and arrays of numbers cross as borrowed memory instead of
being copied into MessagePack (go_shim/rt/borrow.go, docs/abi.md).

An argument of a Go []byte or numeric slice parameter that holds at least
BORROW_MIN bytes travels as the address and length of its own buffer: Go
copies it once, while the call runs and Python keeps the object (and its
exported buffer) alive. Large results come back the same way, as pinned Go
memory that Python copies once while decoding.
"""

from __future__ import annotations

import ctypes
import struct
import weakref

from msgpack import ExtType

from ..errors import UnsupportedTypeError
from . import numbers, writeback

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

EXT_BORROWED = 11  # must match go_shim/rt/ext.go
EXT_SHARED = 12  # the same, for memory Go may use in place (go_shim/rt/shared.go)
BORROW_MIN = 64 << 10  # must match rt.BorrowMin
LENT = struct.Struct("<QQ")  # address, length; then the token and the item format
RESULT = struct.Struct("<QQQ")  # address, length, release id; then the item format


class _Lent(ExtType):
    """Lent memory, which remembers whose it is: Go's writes into a copy of
    it go back to that object (runtime/writeback.py)."""


def _lent(code: int, data: bytes, value: Any) -> _Lent:
    lent = _Lent(code, data)
    setattr(lent, writeback.ORIGIN, (value, None))
    return lent


def lend(value: Any, token: bytes, keep: list[Any]) -> Any:
    """value as memory Go reads where it is: bytes of at least BORROW_MIN
    bytes (ExtBorrowed: Go copies them), or a writable contiguous buffer of
    any size (ExtShared: Go uses it in place where the parameter does not
    outlive the call, and otherwise copies it and sends its writes back);
    else value itself. The objects that keep the buffer exported go to
    keep, which must outlive the call."""
    if _small_bytes(value):
        return value
    if type(value) is bytes:
        pointer = ctypes.c_char_p(value)  # the bytes object's own buffer, not a copy
        keep.append(pointer)
        address = ctypes.cast(pointer, ctypes.c_void_p).value or 0
        return _lent(EXT_BORROWED, LENT.pack(address, len(value)) + token, value)
    array_of_numbers = numbers.is_numbers(value)
    if not array_of_numbers and not isinstance(value, (bytearray, memoryview)):
        return value
    view = memoryview(value)
    if view.readonly or not view.c_contiguous or view.ndim != 1:
        return value  # not lendable: the usual copy
    plain_bytes = view.format in ("B", "b", "c") and not array_of_numbers
    try:
        item_format = b"" if plain_bytes else numbers.item_format(view.format, view.itemsize).encode()
    except UnsupportedTypeError:
        return value  # the usual path says what Go makes of it
    exported = (ctypes.c_char * view.nbytes).from_buffer(view)
    keep.append(exported)
    # Always ExtShared: memory of an object that can change. Go uses it in
    # place where the parameter allows, and otherwise compares its copy
    # with it after the call, so that Go's writes reach the object
    # (runtime/writeback.py); bytes above need neither.
    return _lent(EXT_SHARED, LENT.pack(ctypes.addressof(exported), view.nbytes) + token + item_format, value)


def lender(
    invoke: Callable[..., Any], params: Sequence[tuple[int, str]], token: Callable[[], bytes]
) -> Callable[..., Any]:
    """invoke, lending the arguments of params: (position, name)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        for position, name in params:
            if not _small_bytes(args[position] if position < len(args) else kwargs.get(name)):
                break
        else:
            return invoke(*args, **kwargs)  # nothing to lend: small bytes cost no token and no copy
        keep: list[Any] = []
        secret = token()
        lent = list(args)
        for position, name in params:
            if position < len(lent):
                lent[position] = lend(lent[position], secret, keep)
            elif name in kwargs:
                kwargs[name] = lend(kwargs[name], secret, keep)
        return invoke(*lent, **kwargs)

    return call


def _small_bytes(value: Any) -> bool:
    """Whether lend() would pass value as it is: bytes under BORROW_MIN (or
    an argument not given)."""
    return value is None or (type(value) is bytes and len(value) < BORROW_MIN)


def take(data: bytes, release: Callable[[int], None]) -> Any:
    """A borrowed result: a copy of the pinned Go memory (bytes, or numbers
    as numeric_results says), after which Go may unpin it; or, under
    numeric_results("memoryview"), a read-only view of the Go memory itself,
    unpinned when the view is gone (no copy at all)."""
    address, size, release_id = RESULT.unpack_from(data)
    letter = chr(data[RESULT.size]) if len(data) > RESULT.size else "B"
    memory = (ctypes.c_char * size).from_address(address)
    if numbers.result_kind() == "memoryview":
        weakref.finalize(memory, release, release_id)
        return memoryview(memory).cast("B").cast(letter).toreadonly()
    try:
        if len(data) == RESULT.size:  # a []byte: bytes, as smaller ones are
            return bytes(memory)
        return numbers.decode_items(memoryview(memory).cast("B"), letter, borrowed=True)
    finally:
        release(release_id)
