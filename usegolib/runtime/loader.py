"""``usegolib.import_``: finding, verifying and loading artifacts (SPEC §1, §5, §7)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from ..artifact import (
    MANIFEST_FILE,
    Platform,
    check_module_path,
    check_version,
    default_root,
    escape_module_path,
    host_platform,
)
from ..errors import AmbiguousArtifactError, ArtifactNotFoundError, VersionConflictError
from ..naming import python_module_name
from .annotations import Annotations
from .classes import build_classes
from .functions import make_function
from .library import Library
from .package import GoPackage, subpackage_attribute
from .verify import read_manifest, verify

_lock = threading.RLock()
# One version of a Go module per process (SPEC §5): module path -> library.
_loaded: dict[str, Library] = {}


def import_(path: str, *, artifact_dir: str | os.PathLike[str] | None = None, version: str | None = None) -> GoPackage:
    """Load the Go package at import path ``path`` from an artifact root.

    ``artifact_dir`` defaults to ``USEGOLIB_ARTIFACT_DIR`` or the user cache.
    ``version=None`` takes the version already loaded in this process, else the
    only version present. Raises :class:`~usegolib.errors.ArtifactNotFoundError`,
    :class:`~usegolib.errors.AmbiguousArtifactError`,
    :class:`~usegolib.errors.VersionConflictError` or
    :class:`~usegolib.errors.LoadError`.
    """
    check_module_path(path)
    if version is not None:
        check_version(version)
    root = Path(artifact_dir).expanduser() if artifact_dir is not None else default_root()
    with _lock:
        lib = _already_loaded(path, version)
        if lib is None:
            plat = host_platform()
            module, directory = _find_artifact(root, path, version, plat)
            lib = _load(directory, plat, module=module, version=directory.parent.name)
            _loaded[module] = lib
        return package(lib, path)


def _already_loaded(path: str, version: str | None) -> Library | None:
    for module in sorted(_loaded, key=len, reverse=True):
        lib = _loaded[module]
        if path != module and not (path.startswith(module + "/") and _has_package(lib, path)):
            continue
        if version is not None and version != lib.version:
            raise VersionConflictError(
                f"Go module {module} is already loaded at version {lib.version}; one process holds one "
                f"version of a module, so {version} cannot be loaded too (use version=None to follow it)"
            )
        return lib
    return None


def _has_package(lib: Library, path: str) -> bool:
    return any(p["path"] == path or p["path"].startswith(path + "/") for p in lib.manifest["packages"])


def _find_artifact(root: Path, path: str, version: str | None, plat: Platform) -> tuple[str, Path]:
    """The module owning path is the longest prefix of it with an artifact."""
    elements = path.split("/")
    for end in range(len(elements), 0, -1):
        module = "/".join(elements[:end])
        module_dir = root / escape_module_path(module)
        if not module_dir.is_dir():
            continue
        versions = _versions(module_dir, plat)
        if version is not None:
            if version in versions:
                return module, module_dir / version / plat.tag
            raise ArtifactNotFoundError(
                f"no artifact of {module} version {version} for {plat.goos}/{plat.goarch} under {root} "
                f"(available: {', '.join(versions) or 'none'})"
            )
        if len(versions) == 1:
            return module, module_dir / versions[0] / plat.tag
        if len(versions) > 1:
            raise AmbiguousArtifactError(
                f"several versions of {module} under {root}: {', '.join(versions)}; pass version=..."
            )
    raise ArtifactNotFoundError(
        f"no artifact for {path} ({plat.goos}/{plat.goarch}) under {root}; build one with "
        f"`python -m usegolib build --module <module dir> --out {root}`"
    )


def _versions(module_dir: Path, plat: Platform) -> list[str]:
    return sorted(
        d.name for d in module_dir.iterdir() if not d.name.startswith(".") and (d / plat.tag / MANIFEST_FILE).is_file()
    )


def _load(directory: Path, plat: Platform, *, module: str, version: str) -> Library:
    manifest = read_manifest(directory)
    verified = verify(directory, manifest, plat, module=module, version=version)
    # Once opened, the library is known to the loader by its descriptor's
    # name, so the descriptor stays open even if what follows fails.
    lib = Library(verified.path, manifest, load_path=verified.load_path)
    lib.annotations = Annotations(manifest["types"], lib.classes)
    build_classes(lib, lib.annotations)
    return lib


def package(lib: Library, path: str) -> GoPackage:
    """The GoPackage for path, built on first use."""
    cached = lib.packages.get(path)
    if cached is not None:
        return cached
    by_path = {p["path"]: p for p in lib.manifest["packages"]}
    if path != lib.module and not _has_package(lib, path):
        raise ArtifactNotFoundError(f"Go module {lib.module} has no package {path}")
    pkg = by_path.get(path, {"path": path, "functions": [], "types": [], "skipped": [], "doc": ""})
    members, unavailable = _members(lib, pkg)
    built = GoPackage(lib, path, members, unavailable, pkg.get("doc", ""))
    for child in by_path:
        name = subpackage_attribute(path, child)
        if name is not None:
            built._subpackages[name] = child
    built._load_subpackage = lambda child: package(lib, child)
    lib.packages[path] = built
    return built


def _members(lib: Library, pkg: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    module_name = python_module_name(pkg["path"])
    members: dict[str, Any] = {}
    unavailable: dict[str, str] = {}
    for fn in pkg["functions"]:
        members[fn["name"]] = make_function(lib, fn, lib.annotations, module_name)
    for type_id in pkg["types"]:
        t = lib.manifest["types"][type_id]
        if t["id"] in lib.classes:
            members[t["name"]] = lib.classes[t["id"]]
        elif t["kind"] == "record":
            unavailable[t["name"]] = (
                "it is a record type (a struct of exported fields); pass and receive it as a dict "
                f"with keys {', '.join(f['name'] for f in t.get('fields', []))}"
            )
    for skip in pkg["skipped"]:
        unavailable[skip["name"]] = f"{skip['kind']} skipped at build time: {skip['reason']}"
    return members, unavailable
