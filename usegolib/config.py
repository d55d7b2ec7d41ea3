"""Configuration: ``USEGOLIB_*`` environment variables and ``[tool.usegolib]`` in
the nearest ``pyproject.toml`` (docs/configuration.md)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from types import MappingProxyType

from . import generics
from .artifact import check_module_path, check_version
from .errors import UsegolibError
from .selection import below

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any, NamedTuple
else:
    from .namedtuples import NamedTuple


class ConfigError(UsegolibError, ValueError):
    """The configuration is malformed; the message names the file and key."""


_NOTHING: Mapping[str, str] = MappingProxyType({})


class LocalModule(NamedTuple):
    """A Go module in a local directory, by its path from go.mod."""

    path: str
    directory: Path


class Settings(NamedTuple):
    """usegolib's configuration (a NamedTuple rather than a dataclass: this
    is on the path of every import of a Go module, and dataclasses cost
    milliseconds to import and to create)."""

    local_modules: tuple[LocalModule, ...] = ()
    # Python name under `go.` -> Go import path.
    aliases: Mapping[str, str] = _NOTHING
    # Go module or package path -> version used when import_ gets version=None.
    versions: Mapping[str, str] = _NOTHING
    artifact_dir: Path | None = None
    # Instantiations of generics to build (usegolib.generics format).
    generics: tuple[dict[str, Any], ...] = ()
    offline: bool = False
    project_file: Path | None = None
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
        found = _cache[key] = load_settings(Path.cwd(), os.environ)
    return found


def load_settings(start: Path, environ: os._Environ[str] | dict[str, str]) -> Settings:
    project_file, table = _project_table(start)
    base = project_file.parent if project_file else start
    local_dirs = [Path(p) for p in environ.get("USEGOLIB_PATH", "").split(os.pathsep) if p]
    local_dirs += [base / p for p in _strings(table, "local", project_file)]
    # The environment's paths are relative to the current directory, the
    # table's to its pyproject.toml.
    artifact_dir = None
    if environ.get("USEGOLIB_ARTIFACT_DIR"):
        artifact_dir = Path(environ["USEGOLIB_ARTIFACT_DIR"]).expanduser().absolute()
    elif table.get("cache-dir"):
        artifact_dir = base / Path(str(table["cache-dir"])).expanduser()
    aliases = _mapping(table, "aliases", project_file)
    versions = _mapping(table, "versions", project_file)
    _check(aliases.values(), check_module_path, "aliases", project_file)
    _check(versions, check_module_path, "versions", project_file)
    _check(versions.values(), check_version, "versions", project_file)
    return Settings(
        local_modules=tuple(_local_module(d.expanduser().resolve()) for d in local_dirs),
        aliases=aliases,
        versions=versions,
        artifact_dir=artifact_dir,
        generics=tuple(_generics(table.get("generics"), base, project_file)),
        packages=_packages(table, project_file),
        offline=environ.get("USEGOLIB_OFFLINE", "") not in ("", "0"),
        project_file=project_file,
    )


def _project_table(start: Path) -> tuple[Path | None, dict[str, Any]]:
    """[tool.usegolib] of the nearest pyproject.toml that has one."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if not candidate.is_file():
            continue
        try:
            text = candidate.read_text(encoding="utf-8")
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


# Where [tool.usegolib] can be written in TOML: `tool.usegolib` (a table
# header or dotted key, bare or quoted, spaced or not), or `usegolib = ...`
# as a key of a [tool] table.
_DOTTED = re.compile(r"""\btool['"]?\s*\.\s*['"]?usegolib\b""")
_TOOL_TABLE = re.compile(r"""^\s*\[\s*['"]?tool['"]?\s*\]""", re.MULTILINE)
_KEY = re.compile(r"""^\s*['"]?usegolib['"]?\s*=""", re.MULTILINE)


def _may_configure(text: str) -> bool:
    """Whether a pyproject.toml can hold [tool.usegolib]: one that cannot
    (most projects', whose dependencies may name usegolib) costs no TOML
    parser on every import."""
    if _DOTTED.search(text):
        return True
    return _TOOL_TABLE.search(text) is not None and _KEY.search(text) is not None


def _strings(table: dict[str, Any], key: str, where: Path | None) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: [tool.usegolib] {key} must be a list of strings")
    return value


def _generics(value: Any, base: Path, where: Path | None) -> list[dict[str, Any]]:
    """[tool.usegolib] generics: a file name (relative to pyproject.toml) or
    a list of {pkg, name, type_args} tables."""
    if value is None:
        return []
    try:
        return generics.load(base / value) if isinstance(value, str) else generics.parse(value, f"{where}")
    except generics.GenericsError as exc:
        raise ConfigError(f"{where}: [tool.usegolib] generics: {exc}") from None


def _packages(table: dict[str, Any], where: Path | None) -> Mapping[str, tuple[str, ...]]:
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


def _check(values: Iterable[str], check: Callable[[str], None], key: str, where: Path | None) -> None:
    for value in values:
        try:
            check(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: [tool.usegolib.{key}]: {exc}") from None


def _mapping(table: dict[str, Any], key: str, where: Path | None) -> dict[str, str]:
    value = table.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{where}: [tool.usegolib.{key}] must map names to strings")
    return dict(value)


_MODULE_LINE = re.compile(r'^\s*module\s+"?([^\s"/][^\s"]*)"?\s*(//.*)?$', re.M)


def _local_module(directory: Path) -> LocalModule:
    go_mod = directory / "go.mod"
    try:
        text = go_mod.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"local Go module {directory}: cannot read go.mod ({exc.strerror})") from exc
    match = _MODULE_LINE.search(text)
    if not match:
        raise ConfigError(f"{go_mod} has no module directive")
    return LocalModule(match.group(1), directory)
