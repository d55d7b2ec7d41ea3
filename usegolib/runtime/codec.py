"""A library's MessagePack side (docs/abi.md): packing the values
MessagePack cannot hold itself (handles, refs, times, numbers, callables,
streams), reading the ABI's extension types back, and the errors of a
value that cannot cross.

A library makes its codec on its first call that packs or reads in Python
(runtime/library.py): a program whose calls all take the native
crossing's own paths, and any import of a Go package, never import
msgpack (nor the datetime it imports)."""

from __future__ import annotations

import functools
import sys

import msgpack

from ..errors import ArgumentOverflowError, ArgumentTypeError, ArgumentValueError, UnsupportedTypeError, UsegolibError
from . import borrow, numbers, streams, values
from .callbacks import pack_callables
from .handles import GoObject
from .refs import Ref

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from .library import Library

# The largest MessagePack payload of one call's arguments (the ABI's int32).
MAX_ARGS_SIZE = (1 << 31) - 1
# How deep msgpack.Packer nests (its C packer's recursion limit).
_PACK_DEPTH = 1024
_UNPACKB = msgpack.unpackb


class Codec:
    """How one library's calls pack their arguments and read their results
    in Python."""

    __slots__ = ("_lib", "unpack", "unpack_options")

    def __init__(self, lib: Library) -> None:
        self._lib = lib
        self.unpack_options: dict[str, Any] = {
            "ext_hook": self.ext_hook,
            "strict_map_key": False,
            "unicode_errors": "surrogateescape",
        }
        # A result as Python values (no check), for the hot path: a partial
        # calls unpackb from C, with no frame of its own.
        self.unpack: Callable[[bytes | memoryview], Any] = functools.partial(_UNPACKB, **self.unpack_options)

    def packer(self) -> Callable[[Any], bytes]:
        """A Packer's pack of one thread's own: a shared Packer is corrupted
        when its default hook lets another thread run."""
        return msgpack.Packer(default=self.default, unicode_errors="surrogateescape").pack  # type: ignore[no-any-return]

    def packb(self, value: Any) -> bytes:
        """value packed with a packer of its own (callbacks' results: many
        threads pack at once)."""
        return msgpack.packb(value, default=self.default, unicode_errors="surrogateescape")  # type: ignore[no-any-return]

    def decode(self, data: memoryview) -> Any:
        """A result as Python values; an error naming what cannot be read."""
        try:
            return self.unpack(data)
        except Exception as exc:  # noqa: BLE001 - every decoding failure is reported the same way
            raise self.undecodable(data, exc) from None

    def undecodable(self, data: memoryview, exc: Exception) -> Exception:
        """A result Python cannot represent. The handles it carries were
        issued but will never be adopted, so Go releases them now."""
        self._lib.release_handles_in(bytes(data))
        if isinstance(exc, UsegolibError):
            return exc
        if isinstance(exc, msgpack.StackError):
            return UnsupportedTypeError("the Go result nests deeper than the 1024 levels Python's decoder accepts")
        return UnsupportedTypeError(f"the Go result cannot be decoded: {exc!r}")

    def argument_error(
        self, function: str, params: Sequence[str], variadic: bool, args: tuple[Any, ...], exc: Exception
    ) -> Exception:
        """Name the argument MessagePack could not pack, and say why."""
        if isinstance(exc, RecursionError):  # Python's own limit, not the argument's fault
            return exc
        pack = self.packer()
        for index, arg in enumerate(args):
            try:
                pack(arg)
            except Exception as arg_exc:  # noqa: BLE001 - any failure is reported with its argument
                return _explain(function, self._lib.param_name(params, variadic, index), arg, arg_exc)
        ctypes = sys.modules.get("ctypes")  # only a ctypes call raises its ArgumentError
        if ctypes is not None and isinstance(exc, ctypes.ArgumentError):  # the size does not fit the ABI's int32
            return ArgumentValueError(
                function, "", f"arguments are too large: the limit is {MAX_ARGS_SIZE} bytes per call"
            )
        return _explain(function, "", args, exc)

    def default(self, obj: Any) -> Any:
        """Python -> Go for values MessagePack cannot pack itself."""
        lib = self._lib
        if isinstance(obj, (GoObject, Ref)):
            return obj._ext(lib)
        for adapter in values.ADAPTERS:
            if isinstance(obj, adapter.python_types()):
                return adapter.encode(obj)
        if numbers.is_numbers(obj):
            return numbers.encode_numbers(obj)
        if isinstance(obj, int):  # beyond 64 bits: Go's *big.Int takes it, fixed sizes overflow
            return values.encode_bigint(obj)
        if callable(obj) and not isinstance(obj, type):
            return pack_callables(lib.callbacks_drained(), obj)
        if streams.is_stream(obj):
            stream = streams.PyStream(obj)
            return stream.ext(lib.callbacks_drained().register(stream))
        raise UnsupportedTypeError(f"cannot convert {type(obj).__name__} to a Go value")

    def ext_hook(self, code: int, data: bytes) -> Any:
        """Go -> Python for the ABI's extension types."""
        if code == values.EXT_HANDLE:
            class_id, handle_id = values.HANDLE_FROM_GO.unpack(data)
            return self._lib.adopt(class_id, handle_id)
        if code == borrow.EXT_BORROWED:
            return borrow.take(data, self._lib.release_result)
        decode = values.DECODERS.get(code)
        return decode(data) if decode is not None else msgpack.ExtType(code, data)


def _explain(function: str, where: str, arg: Any, exc: Exception) -> Exception:
    if isinstance(exc, UnicodeEncodeError):
        return ArgumentValueError(function, where, f"string has characters with no UTF-8 form ({exc.reason})")
    if isinstance(exc, OverflowError):
        return ArgumentOverflowError(function, where, f"{exc} (Go integers have at most 64 bits)")
    if isinstance(exc, (UnsupportedTypeError, TypeError)):
        return ArgumentTypeError(function, where, str(exc))
    if isinstance(exc, ValueError) and "recursion limit" in str(exc):
        return ArgumentValueError(function, where, f"nests deeper than the {_PACK_DEPTH} levels MessagePack packs")
    if isinstance(exc, ValueError):
        return ArgumentValueError(function, where, str(exc))
    return ArgumentValueError(function, where, f"{type(exc).__name__}: {exc}")
