"""Object handles: Python objects standing for Go values held by reference
(SPEC §3). The Go value stays alive while its handle does."""

from __future__ import annotations

from .. import threads

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType
    from typing import Any, ClassVar

    from msgpack import ExtType

    from .library import Library


_PENDING = "_usegolib_pending"


# The pending marker of a class whose members are being added.
_ADDING = object()


_completing = threads.RLock()


def defer_members(cls: type, add: Callable[[], None]) -> None:
    """Have add() give cls its members on first use (GoClass)."""
    setattr(cls, _PENDING, add)


def _pending(cls: type) -> bool:
    return any(_PENDING in c.__dict__ for c in cls.__mro__)


def complete(cls: type) -> bool:
    """Add the deferred members of cls and its bases. True when a lookup
    that failed should be tried again: members were added here, or by
    another thread meanwhile; False when nothing was deferred (the lookup
    really failed) or the lookup comes from adding them in this thread."""
    if not _pending(cls):
        return False
    with _completing:  # a completion in another thread ends first
        added = False
        for c in reversed(cls.__mro__):
            add = c.__dict__.get(_PENDING)
            if add is None or add is _ADDING:
                continue
            # Until add() is done, other threads find the class pending and
            # wait above, and lookups add() itself makes do not recurse.
            setattr(c, _PENDING, _ADDING)
            try:
                add()
            finally:
                delattr(c, _PENDING)
            added = True
        return added or not _pending(cls)


class GoClass(type):
    """The metaclass of the classes of Go types. Their members — methods,
    field properties, __str__, __iter__ — are added on first use rather
    than when the module loads (classes.py): a module of hundreds of classes
    then loads in the time it takes to open its library. A failed attribute
    lookup on the class, dir(), and making an instance (adopting a handle,
    calling a value class) complete the class first."""

    def __getattr__(cls, name: str) -> Any:
        if complete(cls):
            return getattr(cls, name)
        raise AttributeError(f"type object {cls.__name__!r} has no attribute {name!r}")

    def __dir__(cls) -> list[str]:
        complete(cls)
        return list(super().__dir__())

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        complete(cls)
        return super().__call__(*args, **kwargs)


class GoObject(metaclass=GoClass):
    """A Go value held by reference. Bridged classes derive from it; a value
    whose Go type has no class of its own is a plain GoObject.

    The Go value is released when the handle is garbage-collected, on
    :meth:`close`, or on leaving a ``with`` block; using a closed handle
    raises ``ValueError``.
    """

    __slots__ = ("__weakref__", "_hid", "_lib")
    _go_type: ClassVar[str] = ""
    # Members left out at build time: name -> reason, for AttributeError.
    _skipped: ClassVar[dict[str, str]] = {}

    _hid: int
    _lib: Library

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{cls.__name__} handles come from Go calls and cannot be created directly")

    def __getattr__(self, name: str) -> Any:
        if complete(type(self)):
            return getattr(self, name)
        reason = type(self)._skipped.get(name) or type(self)._skipped.get("*")
        if reason and not name.startswith("_"):
            raise AttributeError(f"{type(self).__name__}.{name} is not available from Python: {reason}")
        raise AttributeError(f"{type(self).__name__!r} Go object has no attribute {name!r}")

    def close(self) -> None:
        """Release the Go value now rather than at garbage collection."""
        handle_id = getattr(self, "_hid", 0)
        if handle_id:
            self._hid = 0
            self._lib.release(handle_id)

    def __del__(self) -> None:
        # Every handle object ends here, so no context manager (suppress
        # costs more than the release). A finalizer cannot report anything;
        # at interpreter shutdown the library may already be gone.
        try:  # noqa: SIM105
            self.close()
        except Exception:  # noqa: BLE001, S110 - nothing to report to
            pass

    @property
    def aio(self) -> Any:
        """The handle's methods as coroutine functions (runtime/aio.py)."""
        from .aio import AsyncView

        return AsyncView(self)

    @property
    def closed(self) -> bool:
        return not getattr(self, "_hid", 0)

    def __enter__(self) -> GoObject:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def go_type(self) -> str:
        """The Go type of the value behind the handle, e.g. ``*example.com/mod.T``."""
        if type(self)._go_type:
            return type(self)._go_type
        return self._lib.type_name(self._checked_id())

    def _checked_id(self) -> int:
        handle_id = getattr(self, "_hid", 0)
        if not handle_id:
            raise ValueError(f"{type(self).__name__} handle is closed")
        return handle_id

    def _ext(self, lib: Library) -> ExtType:
        """The handle as an argument packed in Python (runtime/codec.py,
        which has imported msgpack and values before this runs)."""
        from msgpack import ExtType

        from .values import EXT_HANDLE, HANDLE_TO_GO

        if self._lib is not lib:
            raise crossing_error(f"{type(self).__name__} handle", self._lib, lib, "handles cannot cross modules")
        return ExtType(EXT_HANDLE, HANDLE_TO_GO.pack(self._checked_id()))

    def __str__(self) -> str:
        """The Go value's Error() or String() text, if it has one (an error
        of an unexported type inside `any`); else the repr."""
        handle_id = getattr(self, "_hid", 0)
        text = self._lib.handle_text(handle_id) if handle_id else None
        return text if text is not None else repr(self)

    def __repr__(self) -> str:
        handle_id = getattr(self, "_hid", 0)
        if not handle_id:
            return f"<{type(self).__name__} (closed)>"
        return f"<{type(self).__name__} Go {self.go_type} handle {handle_id}>"

    def __reduce__(self) -> Any:
        raise TypeError(f"{type(self).__name__} holds a Go value and cannot be pickled")


class GoFunc(GoObject):
    """A Go func found inside an `any` value (a template.FuncMap's values):
    calling it calls Go, its arguments converted to the func's parameter
    types at run time (docs/type-mapping.md, "Funcs inside any")."""

    __slots__ = ()

    def __call__(self, *args: Any) -> Any:
        return self._lib.call_func(self._checked_id(), args)


def crossing_error(what: str, owner: Library, lib: Library, rule: str) -> TypeError:
    """What made by one library was passed to a call into another."""
    if owner.module == lib.module:
        return TypeError(
            f"{what} comes from an earlier library of Go module {owner.module}, loaded before this process "
            "imported more of the module's packages (the artifact then grew, and the module's new library was "
            "loaded beside it); Go values cannot pass between the two: import the packages you use before making "
            "values, or list them in [tool.usegolib.packages] (docs/cache.md)"
        )
    return TypeError(f"{what} belongs to Go module {owner.module}, not {lib.module}; {rule}")
