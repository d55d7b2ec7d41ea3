"""Configuration: ``USEGOLIB_*`` environment variables and ``[tool.usegolib]`` in
the nearest ``pyproject.toml`` (docs/configuration.md)."""

from __future__ import annotations

import os
import sys
from types import MappingProxyType

from . import generics
from .artifact import absolute, check_module_path, check_version
from .errors import UsegolibError
from .selection import below

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from typing import Any, NamedTuple

    from .artifact import StrPath
else:
    from .namedtuples import NamedTuple


class ConfigError(UsegolibError, ValueError):
    """The configuration is malformed; the message names the file and key."""


_NOTHING: Mapping[str, str] = MappingProxyType({})


class LocalModule(NamedTuple):
    """A Go module in a local directory, by its path from go.mod."""

    path: str
    directory: str


class Settings(NamedTuple):
    """usegolib's configuration (a NamedTuple rather than a dataclass: this
    is on the path of every import of a Go module, and dataclasses cost
    milliseconds to import and to create)."""

    local_modules: tuple[LocalModule, ...] = ()
    # Python name under `go.` -> Go import path.
    aliases: Mapping[str, str] = _NOTHING
    # Go module or package path -> version used when import_ gets version=None.
    versions: Mapping[str, str] = _NOTHING
    artifact_dir: str | None = None
    # Instantiations of generics to build (usegolib.generics format).
    generics: tuple[dict[str, Any], ...] = ()
    offline: bool = False
    project_file: str | None = None
    # Go module path -> the packages its artifact holds (issue 18): built
    # together on the first import of any of them.
    packages: Mapping[str, tuple[str, ...]] = MappingProxyType({})

    def local_module(self, path: str) -> LocalModule | None:
        """The configured local module containing import path `path`."""
        best = None
        for module in self.local_modules:
            if (path == module.path or path.startswith(module.path + "/")) and (
                best is None or len(module.path) > len(best.path)
            ):
                best = module
        return best

    def pinned_version(self, path: str) -> str | None:
        """The version pinned for path or for the longest pinned prefix of it."""
        owner = _longest_owner(path, self.versions)
        return self.versions[owner] if owner else None

    def packages_of(self, path: str) -> tuple[str, ...]:
        """The packages configured for the module of path (the longest
        configured module path that is path or a prefix of it)."""
        owner = _longest_owner(path, self.packages)
        return self.packages[owner] if owner else ()


def _longest_owner(path: str, paths: Iterable[str]) -> str:
    """The longest of paths that path is or lies below, or ""."""
    return max((owner for owner in paths if below(path, owner)), key=len, default="")


_ENV_KEYS = ("USEGOLIB_PATH", "USEGOLIB_ARTIFACT_DIR", "USEGOLIB_OFFLINE")
_cache: dict[tuple[str, ...], Settings] = {}


def settings() -> Settings:
    """The settings for the current directory and environment, cached."""
    key = (os.getcwd(), *(os.environ.get(name, "") for name in _ENV_KEYS))
    found = _cache.get(key)
    if found is None:
        found = _cache[key] = load_settings(os.getcwd(), os.environ)
    return found


def load_settings(start: StrPath, environ: os._Environ[str] | dict[str, str]) -> Settings:
    start = os.fspath(start)
    project_file, table = _project_table(start)
    base = os.path.dirname(project_file) if project_file else start
    local_dirs = [p for p in environ.get("USEGOLIB_PATH", "").split(os.pathsep) if p]
    local_dirs += [os.path.join(base, p) for p in _strings(table, "local", project_file)]
    # The environment's paths are relative to the current directory, the
    # table's to its pyproject.toml.
    artifact_dir = None
    if environ.get("USEGOLIB_ARTIFACT_DIR"):
        artifact_dir = absolute(environ["USEGOLIB_ARTIFACT_DIR"])
    elif table.get("cache-dir"):
        artifact_dir = os.path.join(base, os.path.expanduser(str(table["cache-dir"])))
    aliases = _mapping(table, "aliases", project_file)
    versions = _mapping(table, "versions", project_file)
    _check(aliases.values(), check_module_path, "aliases", project_file)
    _check(versions, check_module_path, "versions", project_file)
    _check(versions.values(), check_version, "versions", project_file)
    return Settings(
        local_modules=tuple(_local_module(os.path.realpath(os.path.expanduser(d))) for d in local_dirs),
        aliases=aliases,
        versions=versions,
        artifact_dir=artifact_dir,
        generics=tuple(_generics(table.get("generics"), base, project_file)),
        packages=_packages(table, project_file),
        offline=environ.get("USEGOLIB_OFFLINE", "") not in ("", "0"),
        project_file=project_file,
    )


def _project_table(start: str) -> tuple[str | None, dict[str, Any]]:
    """[tool.usegolib] of the nearest pyproject.toml that has one."""
    for directory in _upwards(os.path.abspath(start)):
        candidate = os.path.join(directory, "pyproject.toml")
        if not os.path.isfile(candidate):
            continue
        try:
            with open(candidate, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{candidate}: {exc}") from exc
        if not _may_configure(text):
            continue
        if sys.version_info >= (3, 11):  # imported only where there is TOML to read
            import tomllib
        else:  # pragma: no cover - exercised on Python 3.10 only
            import tomli as tomllib
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{candidate}: {exc}") from exc
        table = data.get("tool", {}).get("usegolib")
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError(f"{candidate}: [tool.usegolib] must be a table")
            return candidate, table
    return None, {}


def _upwards(directory: str) -> Iterator[str]:
    """directory and each of its parents, as ``(p, *p.parents)``."""
    while True:
        yield directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return
        directory = parent


def _may_configure(text: str) -> bool:
    """Whether a pyproject.toml can hold [tool.usegolib]: one that cannot
    (most projects', whose dependencies may name usegolib) costs no TOML
    parser on every import. [tool.usegolib] can be written `tool.usegolib`
    (a table header or a dotted key, bare or quoted, spaced or not), or as
    `usegolib = ...` in a [tool] table. The test errs only towards parsing:
    without white space and quotes, the text holds "tool.usegolib", or has
    lines "[tool]..." and "usegolib=..."."""
    if "usegolib" not in text:
        return False
    if "tool.usegolib" in _squeezed(text):
        return True
    lines = [_squeezed(line) for line in text.splitlines()]
    return any(line.startswith("[tool]") for line in lines) and any(line.startswith("usegolib=") for line in lines)


def _strings(table: dict[str, Any], key: str, where: str | None) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: [tool.usegolib] {key} must be a list of strings")
    return value


def _generics(value: Any, base: str, where: str | None) -> list[dict[str, Any]]:
    """[tool.usegolib] generics: a file name (relative to pyproject.toml) or
    a list of {pkg, name, type_args} tables."""
    if value is None:
        return []
    try:
        return generics.load(os.path.join(base, value)) if isinstance(value, str) else generics.parse(value, f"{where}")
    except generics.GenericsError as exc:
        raise ConfigError(f"{where}: [tool.usegolib] generics: {exc}") from None


def _packages(table: dict[str, Any], where: str | None) -> Mapping[str, tuple[str, ...]]:
    """[tool.usegolib.packages]: module path -> import paths of its packages
    (full, or relative to the module: "bcrypt" for golang.org/x/crypto/bcrypt;
    usegolib.selection reads them)."""
    value = table.get("packages", {})
    if not isinstance(value, dict) or not all(
        isinstance(v, list) and all(isinstance(p, str) and p for p in v) for v in value.values()
    ):
        raise ConfigError(f"{where}: [tool.usegolib.packages] must map module paths to lists of package paths")
    _check(value, check_module_path, "packages", where)
    return MappingProxyType({module: tuple(paths) for module, paths in value.items()})


def _check(values: Iterable[str], check: Callable[[str], None], key: str, where: str | None) -> None:
    for value in values:
        try:
            check(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: [tool.usegolib.{key}]: {exc}") from None


def _mapping(table: dict[str, Any], key: str, where: str | None) -> dict[str, str]:
    value = table.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{where}: [tool.usegolib.{key}] must map names to strings")
    return dict(value)


def _local_module(directory: str) -> LocalModule:
    go_mod = os.path.join(directory, "go.mod")
    try:
        with open(go_mod, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise ConfigError(f"local Go module {directory}: cannot read go.mod ({exc.strerror})") from exc
    for line in text.splitlines():
        path = module_directive(line)
        if path is not None:
            return LocalModule(path, directory)
    raise ConfigError(f"{go_mod} has no module directive")


def _squeezed(text: str) -> str:
    return "".join(text.split()).replace('"', "").replace("'", "")


def module_directive(line: str) -> str | None:
    """The module path of a go.mod line `module PATH` (PATH may be quoted;
    a // comment may follow), else None."""
    words = line.split(None, 1)
    if len(words) != 2 or words[0] != "module":
        return None
    rest = words[1].rstrip()
    rest = rest.removeprefix('"')
    end = next((i for i, c in enumerate(rest) if c.isspace() or c == '"'), len(rest))
    path, after = rest[:end], rest[end:].removeprefix('"').lstrip()
    if after and not after.startswith("//"):
        # A comment may also start inside the word: the path ends before its last "//".
        path = path[: max(path.rfind("//"), 0)]
    if not path or path.startswith("/"):
        return None
    return path
