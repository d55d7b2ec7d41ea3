"""``await pkg.aio.F(...)``: Go calls that do not block the event loop.

The call runs in the event loop's default executor (the GIL is released
while Go runs). Cancelling the awaiting task cancels the Go context of a
function that takes one (a fresh usegolib.Context unless the call passes
its own) and raises CancelledError at once; the Go call ends when it honours
the cancellation, its result dropped. A function without a context cannot be
stopped: cancelling the task only stops waiting for it.
"""

from __future__ import annotations

import asyncio
import functools
import types

from .context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any


class AsyncView:
    """The awaitable counterparts of a Go package's functions and classes
    (``pkg.aio``) or of a handle's methods (``obj.aio``); subpackages are
    views too (``pkg.aio.sub.F``)."""

    __slots__ = ("_target",)

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        member = getattr(self._target, name)
        if isinstance(member, types.ModuleType):
            return AsyncView(member)
        if not callable(member):
            raise TypeError(f"{name} is not a function: .aio offers only calls (read it from the object itself)")
        return asynchronous(member)

    def __dir__(self) -> list[str]:
        return [name for name in dir(self._target) if not name.startswith("_")]

    def __repr__(self) -> str:
        return f"<async view of {self._target!r}>"


def asynchronous(function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """function as a coroutine function run in the loop's executor."""
    takes_context = bool(getattr(function, "__usegolib_context__", False))

    @functools.wraps(function)
    async def call(*args: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        context = None
        if takes_context:
            context = kwargs["context"] = kwargs.get("context") or Context()
        pending = loop.run_in_executor(None, functools.partial(function, *args, **kwargs))
        try:
            return await pending
        except asyncio.CancelledError:
            if context is not None:
                context.cancel()
            raise

    return call
