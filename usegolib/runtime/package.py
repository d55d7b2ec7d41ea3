"""A Go package as a Python module object (SPEC §1)."""

from __future__ import annotations

import types

from .. import threads
from ..generics import key
from ..naming import python_element, python_module_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeVar

    from .aio import AsyncView
    from .library import Library

    Made = TypeVar("Made")


class GoPackage(types.ModuleType):
    """A Go package: its functions, classes and interfaces as attributes,
    its direct subpackages as attributes named like their last path element.

    Accessing a symbol that was not bridged raises ``AttributeError`` with the
    reason recorded at build time.
    """

    def __init__(
        self,
        lib: Library,
        go_path: str,
        members: dict[str, Any],
        unavailable: dict[str, str],
        *,
        doc: str,
        typed: bool,
        load: Callable[[str, bool], GoPackage],
        instantiations: Callable[[], dict[tuple[str, tuple[str, ...]], Any]] | None = None,
    ) -> None:
        super().__init__(python_module_name(go_path), doc or f"Go package {go_path}.")
        # Members are made on first access (__getattr__): name -> maker.
        self._lazy: dict[str, Callable[[], Any]] = dict(members)
        self._making = threads.RLock()
        # `from package import *` takes the Go API, not vars and types.
        self.__all__ = sorted(name for name in members if name not in API_NAMES)
        self.__go_path__ = go_path
        self.__go_module__ = lib.module
        self.__go_version__ = lib.version
        self.__go_typed__ = typed
        self._library = lib
        self._unavailable = unavailable
        # Direct subpackages, loaded on first access: attribute -> Go path.
        self._subpackages: dict[str, str] = {}
        self._load = load
        # Instantiations of generics: (name, type args) -> function or class,
        # made on the first call of generic().
        self._instantiations = instantiations or dict
        self._generics: dict[tuple[str, tuple[str, ...]], Any] | None = None
        # Why the Go package itself was left out of the build, if it was:
        # it then only holds the packages below it.
        self._left_out: str | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        # The import system sets each imported subpackage on its parent. A
        # subpackage named like one of the package's own attributes (typed,
        # new, vars) stays reachable by import, not as an attribute.
        if name in API_NAMES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)

    def typed(self) -> GoPackage:
        """The typed view of this package (SPEC §1): the same functions and
        classes, with records as dataclasses. Idempotent."""
        return self._load(self.__go_path__, True)

    @property
    def aio(self) -> AsyncView:
        """The package's functions as coroutine functions:
        ``await pkg.aio.F(...)`` runs F without blocking the event loop."""
        from .aio import AsyncView  # asyncio costs start-up time: only when asked for

        return AsyncView(self)

    def __getattr__(self, name: str) -> Any:
        make = self.__dict__.get("_lazy", {}).get(name)
        if make is not None:
            return self._make(name, make)
        child = self.__dict__.get("_subpackages", {}).get(name)
        if child is not None:
            sub = self._load(child, self.__go_typed__)
            setattr(self, name, sub)
            return sub
        reason = self.__dict__.get("_unavailable", {}).get(name)
        if reason:
            raise AttributeError(f"{self.__go_path__}.{name} is not available from Python: {reason}")
        left_out = self.__dict__.get("_left_out")
        why = f": the package was left out of the build: {left_out}" if left_out else ""
        raise AttributeError(f"Go package {self.__go_path__} has no exported symbol {name!r}{why}")

    def _make(self, name: str, make: Callable[[], Any]) -> Any:
        with self._making:  # one thread makes a member; the others get it
            if name in self.__dict__:
                return self.__dict__[name]
            # The maker stays in _lazy: a thread whose lookup missed just
            # before this one stored the value must still find it here.
            value = self.__dict__[name] = make()
            return value

    def generic(self, name: str, type_args: Sequence[str]) -> Any:
        """An instantiation of a generic function or type, as listed at build
        time: ``h.generic("Map", ["int", "string"])(xs)``,
        ``h.generic("Pair", ["string", "int"])(Key="a", Value=1)``."""
        if self._generics is None:
            with self._making:
                if self._generics is None:
                    self._generics = self._instantiations()
        found = self._generics.get((name, key(list(type_args))))
        if found is not None:
            if isinstance(found, str):
                raise TypeError(found)
            return found
        listed = sorted(f"{n}[{', '.join(args)}]" for n, args in self._generics)
        raise LookupError(
            f"{self.__go_path__}.{name}[{', '.join(type_args)}] was not instantiated at build time "
            f"(instantiated: {', '.join(listed) or 'none'}); list it with --generics or [tool.usegolib] generics"
        )

    def new(self, type_name: str, /, **fields: Any) -> Any:
        """Create a new ``*T`` of the package's class ``T``, setting fields."""
        cls = getattr(self, type_name, None)
        if not isinstance(cls, type):
            raise AttributeError(f"Go package {self.__go_path__} has no class {type_name!r}")
        return cls(**fields)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.__dict__.get("_lazy", {}), *self.__dict__.get("_subpackages", {})})

    def __repr__(self) -> str:
        view = ", typed" if self.__go_typed__ else ""
        return f"<Go package {self.__go_path__!r} from {self.__go_module__}@{self.__go_version__}{view}>"


# What members are made with, on first use. functools (partial, cache)
# would import itself, and the collections it imports, on every Go import.


def later(make: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """make(*args), when called: a member's maker."""
    return lambda: make(*args)


def once(make: Callable[[], Made]) -> Callable[[], Made]:
    """make(), run on the first call only; the value it gave on every call
    after. (Two threads calling first at once may both make it, alike.)"""
    made: list[Made] = []

    def value() -> Made:
        if not made:
            made.append(make())
        return made[0]

    return value


def made_on_first_call(make: Callable[[], Callable[..., Any]]) -> Callable[..., Any]:
    """A function that stands for the one make() returns, made on its
    first call: what that one needs is imported then, not with a module."""
    made = once(make)

    def call(*args: Any, **kwargs: Any) -> Any:
        return made()(*args, **kwargs)

    return call


# Attributes of every package that subpackages cannot replace.
API_NAMES = frozenset({"typed", "new", "vars", "generic", "types", "aio"})


def subpackage_attribute(parent: str, child: str) -> str | None:
    """The attribute name of child under parent, if child is directly below
    and its name is not one of the package's own attributes."""
    if not child.startswith(parent + "/"):
        return None
    rest = child[len(parent) + 1 :]
    name = python_element(rest)
    return None if "/" in rest or name in API_NAMES else name
