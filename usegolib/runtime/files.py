"""Go readers and writers as Python binary file objects (docs/type-mapping.md,
"Streams").

A class (or interface) whose Go values are an io.Reader or io.Writer gets
the binary file protocol: ``read``, ``read1``, ``readinto``, ``readline``,
iteration over lines, ``readable``; ``write``, ``writelines``, ``flush``,
``writable``; ``close`` (Go's ``Close``, then the handle is released) and
``with``. Each read or write is one Go call of at most a chunk, through
builtins that assert the handle's value to io.Reader or io.Writer, so
``shutil.copyfileobj`` streams in bounded memory both ways.
"""

from __future__ import annotations

import weakref

from .handles import GoObject

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

CHUNK = 64 * 1024  # what read() with no size asks Go for at a time


class _ReadState:
    """Bytes read from Go beyond what the caller took (readline), and
    whether Go said io.EOF (then reading asks Go no more)."""

    __slots__ = ("ended", "pending")

    def __init__(self) -> None:
        self.pending = bytearray()
        self.ended = False


# Read state by id() of the object, dropped with it: the classes have
# __slots__ and no room of their own, and one with Equal is not hashable.
_states: dict[int, _ReadState] = {}


def _state(obj: Any) -> _ReadState:
    state = _states.get(id(obj))
    if state is None:
        state = _states[id(obj)] = _ReadState()
        weakref.finalize(obj, _states.pop, id(obj), None)
    return state


def add_file_protocol(cls: type, *, readable: bool, writable: bool, closer: bool, flusher: bool) -> None:
    """Give cls the methods of a binary file object."""
    cls.readable = lambda self: readable  # type: ignore[attr-defined]
    cls.writable = lambda self: writable  # type: ignore[attr-defined]
    cls.seekable = lambda self: False  # type: ignore[attr-defined]
    cls.isatty = lambda self: False  # type: ignore[attr-defined]
    if readable:
        for method in (read, read1, readall, readinto, readline, readlines, __iter__, __next__):
            setattr(cls, method.__name__, method)
    if writable:
        cls.write = write  # type: ignore[attr-defined]
        cls.writelines = writelines  # type: ignore[attr-defined]
    cls.flush = (lambda self: self.Flush()) if flusher else (lambda self: None)  # type: ignore[attr-defined]
    if closer:
        cls.close = close  # type: ignore[attr-defined]


def _go_read(self: Any, size: int) -> bytes:
    """One Go Read of at most size bytes; b"" only at the end."""
    state = _state(self)
    if state.pending:
        data = bytes(state.pending[:size])
        del state.pending[:size]
        return data
    while not state.ended:
        data, eof = self._lib.stream_read(self._checked_id(), size)
        state.ended = eof
        if data:
            return bytes(data)
    return b""


def read(self: Any, size: int | None = -1) -> bytes:
    """Read up to size bytes (all until the end when size is -1 or None)."""
    if size is None or size < 0:
        return readall(self)
    return _go_read(self, size) if size else b""


def read1(self: Any, size: int = -1) -> bytes:
    return _go_read(self, size if size > 0 else CHUNK)


def readall(self: Any) -> bytes:
    chunks = []
    while chunk := _go_read(self, CHUNK):
        chunks.append(chunk)
    return b"".join(chunks)


def readinto(self: Any, buffer: Any) -> int:
    view = memoryview(buffer).cast("B")
    data = _go_read(self, len(view))
    view[: len(data)] = data
    return len(data)


def readline(self: Any, size: int | None = -1) -> bytes:
    limit = size if size is not None and size >= 0 else None
    line = bytearray()
    while limit is None or len(line) < limit:
        chunk = _go_read(self, CHUNK if limit is None else limit - len(line))
        if not chunk:
            break
        end = chunk.find(b"\n")
        if end >= 0:
            line += chunk[: end + 1]
            _state(self).pending[:0] = chunk[end + 1 :]
            break
        line += chunk
    return bytes(line)


def readlines(self: Any, hint: int = -1) -> list[bytes]:
    lines, total = [], 0
    for line in self:
        lines.append(line)
        total += len(line)
        if 0 < hint <= total:
            break
    return lines


def __iter__(self: Any) -> Iterator[bytes]:
    return self  # type: ignore[no-any-return]


def __next__(self: Any) -> bytes:
    line = readline(self)
    if not line:
        raise StopIteration
    return line


def write(self: Any, data: Any) -> int:
    """Write all of data (bytes-like); Go's io.Writer writes it whole or fails."""
    view = memoryview(data).cast("B")
    done = 0
    while done < len(view):
        done += int(self._lib.stream_write(self._checked_id(), bytes(view[done : done + 16 * CHUNK])))
    return done


def writelines(self: Any, lines: Iterable[Any]) -> None:
    for line in lines:
        write(self, line)


def close(self: Any) -> None:
    """Go's Close (a writer flushes what it holds), then release the handle.
    Closing again does nothing, as for a Python file."""
    if getattr(self, "_hid", 0):
        try:
            self.Close()
        finally:
            GoObject.close(self)  # release the handle
