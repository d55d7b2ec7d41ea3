"""``usegolib.import_``: finding, verifying and loading artifacts (SPEC §1, §5, §7)."""

from __future__ import annotations

import functools
import keyword
import os
import threading
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import selection
from ..artifact import Platform, check_module_path, check_version, default_root, host_platform, mark_used
from ..config import settings
from ..errors import ArtifactNotFoundError, InitPanicError, LoadError, PackageLeftOutError, VersionConflictError
from ..naming import python_module_name
from .annotations import Annotations
from .classes import build_classes
from .functions import make_function
from .handles import complete
from .library import Library
from .locate import LATEST, Located, locate
from .package import GoPackage, subpackage_attribute
from .variables import constant_value, make_variables
from .verify import check_inside, read_manifest, verify

_lock = threading.RLock()
# One version of a Go module per process (SPEC §5): module path -> library.
_loaded: dict[str, Library] = {}


def import_(path: str, *, artifact_dir: str | os.PathLike[str] | None = None, version: str | None = None) -> GoPackage:
    """Load the Go package at import path ``path``, building it if needed.

    ``artifact_dir`` is the artifact root; it defaults to ``USEGOLIB_ARTIFACT_DIR``,
    ``[tool.usegolib] cache-dir``, or the user cache. ``version`` is a module
    version or ``"latest"``; ``None`` takes the version already loaded in this
    process, else a pinned one, else the only version present, else builds the
    latest. Local modules (``USEGOLIB_PATH``, ``[tool.usegolib] local``) are
    rebuilt when their sources change. Raises
    :class:`~usegolib.errors.ArtifactNotFoundError`,
    :class:`~usegolib.errors.AmbiguousArtifactError`,
    :class:`~usegolib.errors.VersionConflictError`,
    :class:`~usegolib.errors.BuildError` or :class:`~usegolib.errors.LoadError`.
    """
    check_module_path(path)
    if version is not None:
        check_version(version)
    conf = settings()
    root = Path(artifact_dir).expanduser() if artifact_dir is not None else (conf.artifact_dir or default_root())
    with _lock:
        lib = _already_loaded(path, version)
        if lib is not None:
            return package(lib, path)
    # Finding (and maybe building) the artifact happens outside the process
    # lock: other threads keep importing loaded modules meanwhile, and
    # builds of one artifact are serialized by its file lock.
    try:
        located = locate(path, version, root, conf)
    except ArtifactNotFoundError:
        owner = _loaded_prefix(path)
        if owner is None:
            raise
        package(owner, path)  # no such package in the loaded module: says so
        raise
    with _lock:
        lib = _loaded.get(located.module)
        if lib is not None and lib.version != located.version:
            raise _conflict(lib, located.version)
        if lib is None or (not _serves(lib, path) and _grew(located, path)):
            lib = _load_located(located, path, version, root)
            _loaded[lib.module] = lib
            mark_used(located.directory)
        if version is not None:
            lib.queries.add(version)
        return package(lib, path)


def load_directory(directory: Path) -> Library:
    """Load the artifact in directory as it is, never building: a packaged
    project's library. The process's one version of its module (SPEC §5)
    applies as for import_."""
    manifest = read_manifest(directory)
    module, version = manifest["module"], manifest["version"]
    with _lock:
        lib = _loaded.get(module)
        if lib is None:
            lib = _load(directory, host_platform(), module=module, version=version)
            _loaded[module] = lib
        elif lib.version != version:
            raise _conflict(lib, version)
        return lib


def _load_located(located: Located, path: str, version: str | None, root: Path) -> Library:
    """Load an artifact; if it was replaced while being checked (a rebuild
    by another process), find it again once."""
    check_inside(located.directory, root)
    try:
        return _load(located.directory, host_platform(), module=located.module, version=located.version)
    except InitPanicError:
        raise  # the library is intact: looking again would find the same one
    except LoadError:
        again = locate(path, version, root, settings())
        return _load(again.directory, host_platform(), module=again.module, version=again.version)


def _serves(lib: Library, path: str) -> bool:
    """Whether the loaded library was built with path's packages (an
    artifact of part of a module holds the closure of what was imported)."""
    return selection.covers(lib.manifest.get("selection"), path)


def _grew(located: Located, path: str) -> bool:
    """Whether the artifact found for path, of a module loaded without it,
    now holds it: it grew (docs/cache.md). The process then loads it too,
    as the module's library from now on; what the smaller one made stays
    with it."""
    manifest = read_manifest(located.directory)
    return selection.covers(manifest.get("selection"), path)


def _already_loaded(path: str, version: str | None) -> Library | None:
    for module in sorted(_loaded, key=len, reverse=True):
        lib = _loaded[module]
        if path != module and not (path.startswith(module + "/") and _has_package(lib, path)):
            continue
        if not _serves(lib, path):
            continue
        if version not in (None, LATEST, lib.version) and version not in lib.queries:
            raise _conflict(lib, version)
        return lib
    return None


def loaded_libraries() -> list[Library]:
    """The library of each Go module loaded in this process."""
    with _lock:
        return list(_loaded.values())


def _loaded_prefix(path: str) -> Library | None:
    """A loaded module that path lies in, with or without such a package."""
    with _lock:
        owners = [m for m in _loaded if path.startswith(m + "/")]
        return _loaded[max(owners, key=len)] if owners else None


def _conflict(lib: Library, version: str) -> VersionConflictError:
    return VersionConflictError(
        f"Go module {lib.module} is already loaded at version {lib.version}; one process holds one "
        f"version of a module, so {version} cannot be loaded too (use version=None to follow it)"
    )


def _has_package(lib: Library, path: str) -> bool:
    return any(selection.below(p["path"], path) for p in lib.manifest["packages"])


def _load(directory: Path, plat: Platform, *, module: str, version: str) -> Library:
    manifest = read_manifest(directory)
    verified = verify(directory, manifest, plat, module=module, version=version)
    # Once opened, the library is known to the loader by its descriptor's
    # name, so the descriptor stays open even if what follows fails.
    lib = Library(verified.path, manifest, load_path=verified.load_path)
    lib.annotations = Annotations(manifest["types"], lib.classes)
    build_classes(lib, lib.annotations)
    return lib


def package(lib: Library, path: str, typed: bool = False) -> GoPackage:
    """The GoPackage for path (untyped or typed view), built on first use."""
    with _lock:
        cached = lib.packages.get((path, typed))
        return cached if cached is not None else _build_package(lib, path, typed)


def _build_package(lib: Library, path: str, typed: bool) -> GoPackage:
    by_path = {p["path"]: p for p in lib.manifest["packages"]}
    skipped = {s["name"]: s for s in lib.manifest.get("skipped_packages") or []}
    left_out = {name: s["reason"] for name, s in skipped.items()}
    if path in skipped and path not in by_path and _import_fails(lib, skipped[path]):
        raise PackageLeftOutError(lib.module, path, left_out[path])
    if path != lib.module and not _has_package(lib, path):
        rebuilt = " (if it was added after the module was loaded, restart Python to load the new build)"
        raise ArtifactNotFoundError(
            f"Go module {lib.module} has no package {path}{rebuilt if lib.version == 'local' else ''}"
        )
    pkg = by_path.get(path, {"path": path, "functions": [], "types": [], "skipped": []})
    members, unavailable = _members(lib, pkg, typed)
    built = GoPackage(
        lib,
        path,
        members,
        unavailable,
        doc=pkg.get("doc", ""),
        typed=typed,
        load=lambda child, view: package(lib, child, view),
        instantiations=lambda: _generics(lib, pkg, typed),
    )
    for child in by_path:
        name = subpackage_attribute(path, child)
        if name is not None:
            built._subpackages[name] = child
    for child, reason in left_out.items():
        name = subpackage_attribute(path, child)
        if name is not None and name not in built._subpackages:
            unavailable[name] = f"package {child} was left out of the build: {reason}"
    built._left_out = left_out.get(path) if path not in by_path else None
    lib.packages[(path, typed)] = built
    return built


def _import_fails(lib: Library, skip: dict[str, str]) -> bool:
    """Whether importing a left-out package is an error. The module's root
    may be a command (or hold only tests) and still hold the packages
    below it; a package that does not build here says why, as a Python
    package whose __init__ fails would."""
    return skip["name"] != lib.module or skip["kind"] in ("broken", "platform")


Member = Callable[[], Any]


def _members(lib: Library, pkg: dict[str, Any], typed: bool) -> tuple[dict[str, Member], dict[str, str]]:
    """What makes each member of the package, on first access (GoPackage):
    importing a package makes none of its functions, classes or
    dataclasses, and loads no typed view."""
    path = pkg["path"]
    members: dict[str, Member] = {}
    unavailable: dict[str, str] = {}
    for fn in pkg["functions"]:
        members[fn["name"]] = functools.partial(_function, lib, path, fn, typed)
    classes: dict[str, int] = {}
    for type_id in pkg["types"]:
        t = lib.manifest["types"][type_id]
        if t["id"] in lib.classes or (t["kind"] == "record" and typed):
            members[t["name"]] = functools.partial(_type, lib, type_id, typed)
            classes[t["name"]] = type_id
            if t.get("error"):  # an error type: its exception class, the class staying in `types`
                members[t["name"]] = functools.partial(lib.errors.error_type, type_id)
        elif t["kind"] == "record":
            unavailable[t["name"]] = (
                "it is a record type (a struct of exported fields); pass and receive it as a dict "
                f"with keys {', '.join(f['name'] for f in t.get('fields', []))}, or use .typed() for dataclasses"
            )
    for error in pkg.get("errors", []):  # error variables: exception classes of their names
        members[error["name"]] = functools.partial(lib.errors.sentinel, error["id"])
    for const in pkg.get("constants", []):
        members[const["name"]] = functools.partial(_constant, lib, const, typed)
    members["vars"] = functools.partial(_variables, lib, pkg, typed)
    # `types`: the package's classes (and in the typed view its dataclasses),
    # apart from its functions: th.types.User.
    members["types"] = functools.partial(_types, lib, typed, classes)
    for skip in pkg["skipped"]:
        unavailable[skip["name"]] = f"{skip['kind']} skipped at build time: {skip['reason']}"
    # A Go name that is a Python keyword (regexp2.None) is also reachable
    # with a trailing underscore; getattr() still takes the Go name.
    for name in [n for n in members if keyword.iskeyword(n) and n + "_" not in members]:
        members[name + "_"] = members[name]
    return members, unavailable


def _function(lib: Library, path: str, fn: dict[str, Any], typed: bool) -> Any:
    if typed:  # the typed view wraps the untyped function (or reuses it as it is)
        return typed_view(lib).function(fn, getattr(package(lib, path), fn["name"]))
    return make_function(lib, fn, lib.annotations, python_module_name(path))


def _type(lib: Library, type_id: int, typed: bool) -> type:
    view = typed_view(lib) if typed else None
    if view is not None and view.is_record(type_id):
        return view.record(type_id)
    cls = view.classes[type_id] if view is not None else lib.classes[type_id]
    complete(cls)  # handed out: help() and vars() show its members
    return cls


def _constant(lib: Library, const: dict[str, Any], typed: bool) -> Any:
    value = constant_value(const, lib.manifest["types"])
    convert = typed_view(lib).out(const["type"]) if typed else None
    return convert(value) if convert else value


def _variables(lib: Library, pkg: dict[str, Any], typed: bool) -> Any:
    if typed:
        view = typed_view(lib)
        return make_variables(lib, pkg, view.out, view.into)
    return make_variables(lib, pkg)


def _types(lib: Library, typed: bool, classes: dict[str, int]) -> types.SimpleNamespace:
    return types.SimpleNamespace(**{name: _type(lib, type_id, typed) for name, type_id in classes.items()})


def _generics(lib: Library, pkg: dict[str, Any], typed: bool) -> dict[tuple[str, tuple[str, ...]], Any]:
    """The package's instantiations: functions, classes, and (typed view)
    dataclasses; a record in the plain view is a message saying to use dicts."""
    view = typed_view(lib) if typed else None
    module_name = python_module_name(pkg["path"])
    out: dict[tuple[str, tuple[str, ...]], Any] = {}
    for g in pkg.get("generics", []):
        args = tuple(g["type_args"])
        label = f"{g['name']}[{', '.join(args)}]"
        if g.get("function") is not None:
            fn = dict(g["function"], name=label)
            call = make_function(lib, fn, lib.annotations, module_name)
            out[(g["name"], args)] = view.function(fn, call) if view else call
        elif g["type"] in lib.classes:
            out[(g["name"], args)] = (view.classes if view else lib.classes)[g["type"]]
        elif view and view.is_record(g["type"]):
            out[(g["name"], args)] = view.record(g["type"])
        else:
            out[(g["name"], args)] = _classless(label, lib.manifest["types"][g["type"]])
    return out


def _classless(label: str, t: dict[str, Any]) -> str:
    """Why an instantiated type has no Python class to return."""
    if t["kind"] == "record":
        return f"{label} is a record type: pass dicts, or use .typed() for a dataclass"
    return f"{label} has no methods, so no class: its values are plain Python values ({t['kind']})"


def typed_view(lib: Library) -> Any:
    """The library's TypedView, made on first use (and imported then: an
    untyped import does not pay for dataclasses)."""
    if lib.typed_view is None:
        from .typed import TypedView

        with _lock:  # members are made outside the loader's lock: one view per library
            if lib.typed_view is None:
                lib.typed_view = TypedView(lib)
    return lib.typed_view
