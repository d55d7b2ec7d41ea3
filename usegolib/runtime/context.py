"""context.Context for Go functions that take one (docs/type-mapping.md,
"Contexts, cancellation and asyncio").

A Go function whose first parameter is a context.Context is called without
it: the call makes one (go_shim/rt/context.go), which Python can cancel,
with keyword arguments added to the Python function:

- ``timeout=`` seconds: the Go context's deadline;
- ``context=`` a :class:`Context`, whose ``cancel()`` (from any thread, or
  an asyncio task's cancellation) cancels the calls made with it.

Ctrl-C cancels the context of a call running in the main thread and raises
KeyboardInterrupt as soon as the Go function honours the cancellation: the
call runs in a worker thread while the main thread waits, interruptibly.
"""

from __future__ import annotations

import itertools
import math
import os
import time
import weakref

from .. import threads

TYPE_CHECKING = False
if TYPE_CHECKING:
    import queue
    from collections.abc import Callable
    from concurrent.futures import Future
    from typing import Any

    from .library import Library

_ids = itertools.count(1)  # 0 means "no Context"
NO_TIMEOUT = -1


class Context:
    """Cancels the Go calls made with it: pass ``context=ctx`` to a function
    whose Go signature starts with a context.Context; ``ctx.cancel()`` from
    any thread cancels the calls running with it and those made later.
    ``timeout`` (seconds) gives it a deadline, counted from now."""

    def __init__(self, timeout: float | None = None) -> None:
        self.id = next(_ids)
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self._cancelled = False
        # The libraries it was used with: each Go runtime keeps its own
        # registry of running calls.
        self._libraries: set[Library] = set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Cancel the Go calls made with this context, now and later."""
        if self._cancelled:
            return
        self._cancelled = True
        libraries = list(self._libraries)
        for lib in libraries:
            lib.cancel_context(self.id)
        # Go remembers a cancelled id (for calls made with it later) until
        # the context is gone.
        weakref.finalize(self, _forget, self.id, self._libraries)

    def attach(self, lib: Library) -> None:
        """Called before a call with lib: a context cancelled before lib
        knew it must still start that call cancelled."""
        if lib not in self._libraries:
            self._libraries.add(lib)
            if self._cancelled:
                lib.cancel_context(self.id)

    def remaining_ns(self, timeout: float | None) -> int:
        """The call's timeout: the sooner of timeout and the deadline."""
        limits = [] if timeout is None else [timeout]
        if self.deadline is not None:
            limits.append(self.deadline - time.monotonic())
        return timeout_ns(min(limits)) if limits else NO_TIMEOUT

    def __repr__(self) -> str:
        state = "cancelled" if self._cancelled else "active"
        return f"<usegolib.Context {self.id} {state}>"


def _forget(context_id: int, libraries: set[Library]) -> None:
    for lib in libraries:
        lib.forget_context(context_id)


def timeout_ns(seconds: float) -> int:
    """A non-negative timeout in nanoseconds (0: already expired)."""
    if math.isnan(seconds):
        raise ValueError("timeout must be a number of seconds, not NaN")
    return max(0, int(seconds * 1e9))


def call_with_context(
    lib: Library,
    invoke: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    context: Context | None,
    timeout: float | None,
) -> Any:
    """Call invoke with the context argument [id, timeout] first."""
    if context is not None and not isinstance(context, Context):
        raise TypeError(f"context must be a usegolib.Context, not {type(context).__name__}")
    interruptible = _interruptible()
    if context is None and not interruptible:
        limit = NO_TIMEOUT if timeout is None else timeout_ns(timeout)
        return invoke((0, limit), *args, **kwargs)
    context = context or Context()
    context.attach(lib)
    argument = (context.id, context.remaining_ns(timeout))
    if not interruptible:
        return invoke(argument, *args, **kwargs)
    future = _workers.submit(invoke, argument, *args, **kwargs)
    try:
        return future.result()
    except KeyboardInterrupt:
        context.cancel()
        _settle(future)
        raise


def _interruptible() -> bool:
    """True in the main thread when a Python SIGINT handler would run (and
    could not while the thread is inside a Go call)."""
    import threading  # only for a call with a context, in the main thread

    if threading.current_thread() is not threading.main_thread():
        return False
    import signal  # kept off the import of usegolib, like queue below

    return callable(signal.getsignal(signal.SIGINT))


def _settle(future: Future[Any]) -> None:
    """Wait for a cancelled call to end; its outcome no longer matters. A
    second Ctrl-C stops waiting (the Go call then ends on its own)."""
    try:  # noqa: SIM105 - contextlib stays off the import of a Go package
        future.exception()
    except KeyboardInterrupt:
        pass


class _Workers:
    """Daemon threads that run Go calls for the main thread: a call that
    ignores its context must not keep the interpreter from exiting."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]] | None
        self.reset()

    def reset(self) -> None:
        """Start empty (in a forked child, the parent's threads are gone)."""
        self._jobs = None  # made by the first call: queue is kept off the import of usegolib
        self._idle = 0
        self._lock = threads.Lock()

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        from concurrent.futures import Future  # kept off the import of usegolib

        future: Future[Any] = Future()
        with self._lock:
            if self._jobs is None:
                import queue

                self._jobs = queue.SimpleQueue()
            jobs = self._jobs
            if self._idle:
                self._idle -= 1
            else:
                import threading  # the first time a worker is needed

                threading.Thread(target=self._work, args=(jobs,), name="usegolib-call", daemon=True).start()
        jobs.put((future, fn, args, kwargs))
        return future

    def _work(self, jobs: queue.SimpleQueue[Any]) -> None:
        while True:
            future, fn, args, kwargs = jobs.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args, **kwargs))
                except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread as it is
                    future.set_exception(exc)
            del future, fn, args, kwargs  # results must not outlive the call in this frame
            with self._lock:
                self._idle += 1


_workers = _Workers()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_workers.reset)
