"""``usegolib.import_``: finding, verifying and loading artifacts (SPEC §1, §5, §7)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from ..artifact import Platform, check_module_path, check_version, default_root, host_platform, mark_used
from ..config import settings
from ..errors import ArtifactNotFoundError, VersionConflictError
from ..naming import python_module_name
from .annotations import Annotations
from .classes import build_classes
from .functions import make_function
from .library import Library
from .locate import LATEST, locate
from .package import GoPackage, subpackage_attribute
from .variables import constant_value, make_variables
from .verify import read_manifest, verify

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
        if lib is None:
            located = locate(path, version, root, conf)
            lib = _load(located.directory, host_platform(), module=located.module, version=located.version)
            _loaded[located.module] = lib
            mark_used(located.directory)
        return package(lib, path)


def _already_loaded(path: str, version: str | None) -> Library | None:
    for module in sorted(_loaded, key=len, reverse=True):
        lib = _loaded[module]
        if path != module and not (path.startswith(module + "/") and _has_package(lib, path)):
            continue
        if version not in (None, LATEST, lib.version):
            raise VersionConflictError(
                f"Go module {module} is already loaded at version {lib.version}; one process holds one "
                f"version of a module, so {version} cannot be loaded too (use version=None to follow it)"
            )
        return lib
    return None


def _has_package(lib: Library, path: str) -> bool:
    return any(p["path"] == path or p["path"].startswith(path + "/") for p in lib.manifest["packages"])


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
    cached = lib.packages.get((path, typed))
    if cached is not None:
        return cached
    by_path = {p["path"]: p for p in lib.manifest["packages"]}
    if path != lib.module and not _has_package(lib, path):
        raise ArtifactNotFoundError(f"Go module {lib.module} has no package {path}")
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
    )
    for child in by_path:
        name = subpackage_attribute(path, child)
        if name is not None:
            built._subpackages[name] = child
    lib.packages[(path, typed)] = built
    return built


def _members(lib: Library, pkg: dict[str, Any], typed: bool) -> tuple[dict[str, Any], dict[str, str]]:
    module_name = python_module_name(pkg["path"])
    view = typed_view(lib) if typed else None
    # The typed view wraps the untyped functions (or reuses them as they are).
    untyped = package(lib, pkg["path"]).__dict__ if typed else {}
    members: dict[str, Any] = {}
    unavailable: dict[str, str] = {}
    for fn in pkg["functions"]:
        if view:
            members[fn["name"]] = view.function(fn, untyped[fn["name"]])
        else:
            members[fn["name"]] = make_function(lib, fn, lib.annotations, module_name)
    for type_id in pkg["types"]:
        t = lib.manifest["types"][type_id]
        if t["id"] in lib.classes:
            members[t["name"]] = view.classes[type_id] if view else lib.classes[type_id]
        elif t["kind"] == "record" and view:
            members[t["name"]] = view.records[type_id]
        elif t["kind"] == "record":
            unavailable[t["name"]] = (
                "it is a record type (a struct of exported fields); pass and receive it as a dict "
                f"with keys {', '.join(f['name'] for f in t.get('fields', []))}, or use .typed() for dataclasses"
            )
    for const in pkg.get("constants", []):
        value = constant_value(const["value"])
        convert = view.out(const["type"]) if view else None
        members[const["name"]] = convert(value) if convert else value
    members["vars"] = make_variables(lib, pkg, view.out, view.into) if view else make_variables(lib, pkg)
    for skip in pkg["skipped"]:
        unavailable[skip["name"]] = f"{skip['kind']} skipped at build time: {skip['reason']}"
    return members, unavailable


def typed_view(lib: Library) -> Any:
    """The library's TypedView, made on first use (and imported then: an
    untyped import does not pay for dataclasses)."""
    if lib.typed_view is None:
        from .typed import TypedView

        lib.typed_view = TypedView(lib)
    return lib.typed_view
