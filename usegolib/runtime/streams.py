"""Python file objects where Go wants an io.Reader or io.Writer (docs/type-mapping.md,
"Streams").

A file object passed to Go is registered with the library's callbacks as a
``PyStream`` and sent as ExtStream; Go calls back to read into its own
buffer (``readinto`` writes straight into Go's memory) or to write from it,
one chunk at a time, so a stream of any size passes in bounded memory. A
text stream (``io.StringIO``, ``sys.stdout``) takes and gives UTF-8.
"""

from __future__ import annotations

import codecs
import ctypes
import io

import msgpack

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

EXT_STREAM = 14  # go_shim/rt/streams.go
# What the object can do (streamCan* in go_shim/rt/streams.go).
CAN_READ, CAN_WRITE, CAN_SEEK = 1, 2, 4


def is_stream(obj: Any) -> bool:
    """Whether obj is a file object Go can read from or write to."""
    return isinstance(obj, io.IOBase) or callable(getattr(obj, "read", None)) or callable(getattr(obj, "write", None))


class PyStream:
    """A file object as the callback entry point serves it to Go. Called
    like a callable (OP_CALL) for its other methods: close, flush, seek."""

    def __init__(self, obj: Any) -> None:
        self.obj = obj
        self.text = isinstance(obj, io.TextIOBase)
        self._pending = b""  # a text stream's bytes beyond what Go asked for
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self._readinto = None if self.text else getattr(obj, "readinto", None)

    def capabilities(self) -> int:
        can = 0
        if callable(getattr(self.obj, "read", None)) or self._readinto is not None:
            can |= CAN_READ
        if callable(getattr(self.obj, "write", None)):
            can |= CAN_WRITE
        if callable(getattr(self.obj, "seek", None)):
            can |= CAN_SEEK
        return can

    def ext(self, ident: int) -> msgpack.ExtType:
        return msgpack.ExtType(EXT_STREAM, ident.to_bytes(8, "big") + bytes([self.capabilities()]))

    def read_into(self, address: int, length: int) -> int:
        """Fill Go's buffer; 0 at the end of the stream."""
        if self._readinto is not None:
            n = self._readinto(memoryview((ctypes.c_char * length).from_address(address)).cast("B"))
            if n is None:
                raise BlockingIOError("the file object has no data yet (non-blocking); Go needs a blocking stream")
            return int(n)
        data = self._read(length)
        ctypes.memmove(address, data, len(data))
        return len(data)

    def _read(self, length: int) -> bytes:
        if not self.text:
            data = self.obj.read(length)
            if data is None:
                raise BlockingIOError("the file object has no data yet (non-blocking); Go needs a blocking stream")
            return bytes(data)
        while len(self._pending) < length:
            more = self.obj.read(length)
            if not more:
                break
            self._pending += more.encode("utf-8", "surrogateescape")
        data, self._pending = self._pending[:length], self._pending[length:]
        return data

    def write_from(self, address: int, length: int) -> int | None:
        """Write Go's bytes; how many were taken (None: all)."""
        data = ctypes.string_at(address, length)
        if self.text:
            self.obj.write(self._decoder.decode(data))
            return length
        n = self.obj.write(data)
        return None if n is None else int(n)

    def __call__(self, method: str, *args: Any) -> Any:
        if method == "seek":
            self._pending = b""
            return self.obj.seek(*args)
        if method in ("close", "flush"):
            fn = getattr(self.obj, method, None)
            return fn() if callable(fn) else None
        raise AttributeError(f"usegolib: Go asked a stream for {method}()")
