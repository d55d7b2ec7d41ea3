"""Go channels held as handles (docs/type-mapping.md, "Channels").

The class of each channel type derives from GoChannel and gets the methods
its direction allows from the bridge: Recv (iteration), Send and Close.
Recv and Send take the keywords of functions taking a context (timeout=,
context=), so waiting can be abandoned, by Ctrl-C too, without losing a
value.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from .handles import GoObject

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from .context import Context

T = TypeVar("T")


class GoChannel(GoObject, Generic[T]):
    """A Go channel. Iterating receives until the channel is closed and
    drained, as Go's ``for v := range ch`` does."""

    __slots__ = ()

    def __iter__(self) -> Iterator[T]:
        while True:
            value, more = self.Recv()
            if not more:
                return
            yield value

    if TYPE_CHECKING:  # the bridge's methods, for type checkers

        def Recv(self, *, timeout: float | None = None, context: Context | None = None) -> tuple[T, bool]: ...
        def Send(self, value: T, *, timeout: float | None = None, context: Context | None = None) -> None: ...
        def Close(self) -> None: ...
