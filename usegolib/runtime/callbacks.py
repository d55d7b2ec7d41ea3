"""Python callables where Go wants a func (docs/abi.md, Callbacks).

A callable passed to Go is registered under an id and sent as ExtCallback;
Go wraps it in a func that calls back through one C function pointer, the
entry point below, which ctypes runs with the GIL held on whatever thread
Go calls from. An exception raised by the callable is kept under a token
for the outer call to raise again (or to chain to the GoError that carries
it), or reported as unraisable when nothing can receive it.
"""

from __future__ import annotations

import ctypes
import itertools
import sys
import threading
from collections.abc import Callable
from typing import Any

import msgpack

# Operations Go asks of the entry point, and the statuses it answers;
# must match go_shim/rt/callbacks.go.
OP_CALL, OP_LOST = 0, 2
STATUS_OK, STATUS_RAISED = 0, 1
# Kept exceptions nobody raised (Go swallowed the error) are dropped beyond this.
MAX_KEPT = 1024

ENTRY = ctypes.CFUNCTYPE(
    ctypes.c_int32,
    ctypes.c_int32,
    ctypes.c_uint64,
    ctypes.c_void_p,
    ctypes.c_int32,
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.POINTER(ctypes.c_int32),
)


class Callbacks:
    """The callables one library may call, and the exceptions they raised."""

    def __init__(self, pack: Callable[[Any], bytes], unpack: Callable[[bytes], Any]) -> None:
        self._pack = pack
        self._unpack = unpack
        self._callables: dict[int, Callable[..., Any]] = {}
        self._kept: dict[int, BaseException] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._local = threading.local()
        # Registrations since Go last said which callbacks it dropped.
        self._since_drain = 0
        self.entry = ENTRY(self._enter)

    def register(self, fn: Callable[..., Any]) -> int:
        ident = next(self._ids)
        with self._lock:
            self._callables[ident] = fn
            self._since_drain += 1
        return ident

    def should_drain(self) -> bool:
        """Whether enough callbacks were registered to ask Go which it dropped."""
        return self._since_drain >= max(256, len(self._callables) // 2)

    def forget(self, idents: list[int]) -> None:
        with self._lock:
            for ident in idents:
                self._callables.pop(ident, None)
            self._since_drain = 0

    def __len__(self) -> int:
        return len(self._callables)

    def take(self, token: int) -> BaseException | None:
        """The exception kept under token, once."""
        with self._lock:
            return self._kept.pop(token, None)

    # -- the entry point Go calls ----------------------------------------

    def _enter(self, op: int, ident: int, args: int | None, length: int, out: Any, out_len: Any) -> int:  # noqa: PLR0917 - the C signature
        """Run by ctypes for Go, with the GIL held. Never raises: an error
        here has nowhere to go but stderr."""
        try:
            if op == OP_LOST:
                self._report_lost(ident)
                return STATUS_OK
            status, data = self._call(ident, ctypes.string_at(args, length) if length else b"")
        except BaseException as exc:  # noqa: BLE001 - the entry point must answer Go
            status, data = STATUS_RAISED, self._pack([self._keep(exc), _describe(exc)])
        # Go copies the result as soon as this returns; keep it alive until then.
        self._local.result = data
        out[0] = ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value if data else None
        out_len[0] = len(data)
        return status

    def _call(self, ident: int, payload: bytes) -> tuple[int, bytes]:
        fn = self._callables.get(ident)
        if fn is None:
            raise LookupError(f"usegolib: callback {ident} was already released")
        args = self._unpack(payload) if payload else []
        result = fn(*args)
        return STATUS_OK, self._pack(list(result) if isinstance(result, tuple) else result)

    def _keep(self, exc: BaseException) -> int:
        token = next(self._ids)
        with self._lock:
            if len(self._kept) >= MAX_KEPT:
                self._kept.pop(next(iter(self._kept)))
            self._kept[token] = exc
        return token

    def _report_lost(self, token: int) -> None:
        """A callback failed where no call could raise its exception (on a
        goroutine of Go's own, or after the call returned)."""
        exc = self.take(token)
        if exc is not None:
            hook_args = _UnraisableHookArgs(exc, "Exception in a Python callback called by Go")
            sys.unraisablehook(hook_args)  # type: ignore[arg-type]


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class _UnraisableHookArgs:
    """What sys.unraisablehook expects (the real type cannot be built)."""

    def __init__(self, exc: BaseException, message: str) -> None:
        self.exc_type = type(exc)
        self.exc_value = exc
        self.exc_traceback = exc.__traceback__
        self.err_msg = message
        self.object = None


def pack_callables(callbacks: Callbacks, fn: Callable[..., Any]) -> msgpack.ExtType:
    """A callable as Go receives it."""
    from .values import EXT_CALLBACK

    return msgpack.ExtType(EXT_CALLBACK, callbacks.register(fn).to_bytes(8, "big"))
