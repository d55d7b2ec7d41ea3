"""Python callables where Go wants a func (docs/abi.md, Callbacks).

A callable passed to Go is registered under an id and sent as ExtCallback;
Go wraps it in a func that calls back through one C function pointer, the
entry point below, which ctypes runs with the GIL held on whatever thread
Go calls from. The entry point hands its answer to Go (usegolib_callback_reply,
which copies it into Go memory) before it returns, so nothing in Python has
to keep it alive afterwards: on a thread Go created, ctypes makes a Python
thread state for a callback and ends it, with everything it kept alive, as
soon as the callback returns (unless keep_thread_state kept it).

An exception raised by the callable is kept under a token for the outer
call to raise again (or to chain to the GoError that carries it), or
reported through ``sys.unraisablehook`` when nothing can receive it.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import sys

import msgpack

from .. import threads
from ..errors import CallbackError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType
    from typing import Any

    Reply = Callable[[int, bytes, int], int]

# Operations Go asks of the entry point, and the statuses it answers; must
# match go_shim/rt/callbacks.go and go_shim/rt/python.go. Status 0 is what
# ctypes answers when the entry point itself raised: never a success.
OP_CALL, OP_LOST, OP_READ, OP_WRITE = 0, 2, 3, 4
STATUS_OK, STATUS_RAISED = 1, 2
# Kept exceptions nobody raised (Go swallowed the error) are dropped beyond this.
MAX_KEPT = 1024
# Python -> Go -> Python re-entrance deeper than this on one thread raises
# RecursionError. Each level takes several kB of the thread's C stack
# (ctypes, cgo and the interpreter's frames), which Python's recursion
# limit does not count: without a bound, a raised limit ends in a stack
# overflow (Go's threads on macOS have 512 kB).
MAX_DEPTH = 100

ENTRY = ctypes.CFUNCTYPE(
    ctypes.c_int32,
    ctypes.c_int32,  # op
    ctypes.c_uint64,  # callable id, or for OP_LOST the failed callable's id
    ctypes.c_void_p,  # msgpack arguments
    ctypes.c_int32,  # their length
    ctypes.c_uint64,  # the reply id to answer under
)


class Callbacks:
    """The callables one library may call, and the exceptions they raised."""

    def __init__(self, pack: Callable[[Any], bytes], unpack: Callable[[bytes], Any], reply: Reply) -> None:
        self._pack = pack
        self._unpack = unpack
        self._reply = reply
        self._callables: dict[int, Callable[..., Any]] = {}
        self._kept: dict[int, BaseException] = {}
        self._stream_failures: set[int] = set()
        self._ids = itertools.count(1)
        self._lock = threads.Lock()
        # Callbacks running on each thread, by thread id: a threads.local
        # would be made and torn down with the thread state ctypes makes for
        # every callback on a thread Go created.
        self._depth: dict[int, int] = {}
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

    def _enter(self, op: int, ident: int, args: int | None, length: int, reply: int) -> int:
        """Run by ctypes for Go, with the GIL held. It answers through
        reply before returning; if it raises anyway (the exception handler
        itself failed), ctypes prints the error and answers 0, which Go
        takes as a failure."""
        if op == OP_LOST:
            self._report_lost(ctypes.string_at(args, length))
            return STATUS_OK
        thread = threads.get_ident()
        if thread not in _kept_states:
            keep_thread_state(thread)
        depth = self._depth.get(thread, 0)
        self._depth[thread] = depth + 1
        result = None  # alive until Go has the reply: its handles are released when it is freed
        try:
            if depth >= MAX_DEPTH:
                raise RecursionError(f"Python callbacks called from Go nest deeper than {MAX_DEPTH} levels")
            result = self._run(op, ident, args, length)
            status, data = STATUS_OK, self._pack(list(result) if isinstance(result, tuple) else result)
        except BaseException as exc:  # noqa: BLE001 - the entry point must answer Go
            token = self._keep(exc)
            if op in (OP_READ, OP_WRITE):
                self._stream_failures.add(token)
            status, data = STATUS_RAISED, self._pack([token, _describe(exc)])
        finally:
            if depth:
                self._depth[thread] = depth
            else:
                del self._depth[thread]
        if data:
            self._reply(reply, data, len(data))
        del result
        return status

    def _run(self, op: int, ident: int, args: int | None, length: int) -> Any:
        fn = self._callables.get(ident)
        if fn is None:
            raise LookupError(f"usegolib: callback {ident} was already released")
        if op == OP_READ:  # args is Go's buffer to fill (runtime/streams.py)
            return fn.read_into(args, length)
        if op == OP_WRITE:
            return fn.write_from(args, length)
        return fn(*self._unpack(ctypes.string_at(args, length))) if length else fn()

    def from_stream(self, token: int) -> bool:
        """Whether the exception kept under token came from a file object's
        read or write: it is raised as it is, not as a GoError's cause."""
        with self._lock:
            if token in self._stream_failures:
                self._stream_failures.discard(token)
                return True
            return False

    def _keep(self, exc: BaseException) -> int:
        exc.with_traceback(_from_the_callable(exc.__traceback__))
        token = next(self._ids)
        with self._lock:
            if len(self._kept) >= MAX_KEPT:
                self._stream_failures.discard(dropped := next(iter(self._kept)))
                self._kept.pop(dropped)
            self._kept[token] = exc
        return token

    def _report_lost(self, payload: bytes) -> None:
        """A callback failed where no call could raise its exception (on a
        goroutine of Go's own, or after the call returned): report it as
        Python reports an exception in ``__del__``."""
        ident, token, message = self._unpack(payload)
        exc = self.take(token) if token else None
        if exc is None:
            exc = CallbackError(f"Python callback {message}")
        fn = self._callables.get(ident)
        fn = getattr(fn, "__wrapped__", fn)  # the user's callable, not the typed view's wrapper of it
        where = "Exception ignored in a Python callback called by Go where no Python call could receive it"
        write_unraisable(exc, fn if fn is not None else f"callback {ident}", where)


# Threads whose Python thread state outlives their callbacks.
_kept_states: set[int] = set()


def keep_thread_state(thread: int) -> None:
    """Keep the calling thread's Python thread state when its callback
    returns. On a thread Go created, ctypes makes a thread state for each
    callback and ends it afterwards, which costs tens of microseconds (an
    allocation, a stack of frames mapped and unmapped) and drops its
    thread-locals; one PyGILState_Ensure never released keeps it for the
    thread's life (a thread Python made keeps its own anyway). The
    interpreter frees them at exit, after Go stopped calling
    (library._close_to_callbacks)."""
    _kept_states.add(thread)
    _gil_state_ensure()()


@functools.cache
def _gil_state_ensure() -> Callable[[], int]:
    return ctypes.PYFUNCTYPE(ctypes.c_int)(("PyGILState_Ensure", ctypes.pythonapi))


def _from_the_callable(tb: TracebackType | None) -> TracebackType | None:
    """A traceback without the entry point's own frames: it starts where
    the user's code begins, as it would had Python called the callable."""
    while tb is not None and tb.tb_next is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return tb


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def write_unraisable(exc: BaseException, obj: object, message: str) -> None:
    """Hand exc to ``sys.unraisablehook`` as the interpreter does for an
    exception in ``__del__``: the default hook prints "message: obj" and
    the traceback; a custom hook gets a real ``UnraisableHookArgs``."""
    args = _hook_args_type()((type(exc), exc, exc.__traceback__, message, obj))
    try:
        sys.unraisablehook(args)
    except BaseException:  # noqa: BLE001 - as CPython does when the hook fails
        sys.__unraisablehook__(args)


class _RaisesWhenFreed:
    def __del__(self) -> None:
        raise RuntimeError("usegolib: finding UnraisableHookArgs")


@functools.cache
def _hook_args_type() -> Callable[[tuple[Any, ...]], Any]:
    """UnraisableHookArgs, which no module exposes: the type of what the
    hook receives for an exception in ``__del__``, caught once. Anything
    another thread reported meanwhile goes on to the hook it was meant for."""
    caught: list[Any] = []
    previous = sys.unraisablehook
    sys.unraisablehook = caught.append
    try:
        _RaisesWhenFreed()
    finally:
        sys.unraisablehook = previous
    ours = [args for args in caught if getattr(args.object, "__qualname__", "") == "_RaisesWhenFreed.__del__"]
    for other in caught:
        if other not in ours:
            previous(other)
    return type(ours[0])  # type: ignore[no-any-return]


def pack_callables(callbacks: Callbacks, fn: Callable[..., Any]) -> msgpack.ExtType:
    """A callable as Go receives it."""
    from .values import EXT_CALLBACK

    return msgpack.ExtType(EXT_CALLBACK, callbacks.register(fn).to_bytes(8, "big"))
