"""``usegolib.import_``: an import as a pipeline (SPEC §1, §5, §7).

    locate (locate.py)  ->  verify (verify.py)  ->  open (Library)  ->  view (view.py)
    a Located artifact      a VerifiedLibrary       a Library           a GoPackage

Each step hands the next a value; only the first may build (and only
when the artifact is missing or stale). This module also keeps the one
library per Go module a process may hold (SPEC §5).
"""

from __future__ import annotations

import os

from .. import selection, threads
from ..artifact import check_module_path, check_version, default_root, host_platform, mark_used
from ..config import settings
from ..errors import ArtifactNotFoundError, InitPanicError, LoadError, VersionConflictError
from .annotations import Annotations
from .classes import build_classes
from .library import Library
from .locate import LATEST, locate
from .verify import check_inside, read_manifest, verify
from .view import has_package, package

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..artifact import StrPath
    from .locate import Located
    from .package import GoPackage
    from .verify import VerifiedLibrary

_lock = threads.RLock()
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
    root = os.path.expanduser(artifact_dir) if artifact_dir is not None else (conf.artifact_dir or default_root())
    with _lock:
        lib = _already_loaded(path, version)
    if lib is None:
        located = _locate(path, version, root)
        lib = _library(located, path, version, root)
    return package(lib, path)


def load_directory(directory: StrPath) -> Library:
    """Load the artifact in directory as it is, never building: a packaged
    project's library. The process's one version of its module (SPEC §5)
    applies as for import_."""
    manifest = read_manifest(directory)
    module, version = manifest["module"], manifest["version"]
    with _lock:
        lib = _loaded.get(module)
        if lib is None:
            lib = _open(verify(directory, manifest, host_platform(), module=module, version=version))
            _loaded[module] = lib
        elif lib.version != version:
            raise _conflict(lib, version)
        return lib


def _locate(path: str, version: str | None, root: str) -> Located:
    """Step 1: the artifact for path, built when missing or stale. Outside
    the process lock: other threads keep importing loaded modules
    meanwhile, and builds of one artifact are serialized by its file lock."""
    try:
        return locate(path, version, root, settings())
    except ArtifactNotFoundError:
        owner = loaded_library(path)
        if owner is not None and owner.module != path:
            package(owner, path)  # a module loaded without such a package: says so
        raise


def _library(located: Located, path: str, version: str | None, root: str) -> Library:
    """Steps 2 and 3, under the process lock: the module's library, the
    loaded one or the located artifact's, verified and opened."""
    with _lock:
        lib = _loaded.get(located.module)
        if lib is not None and lib.version != located.version:
            raise _conflict(lib, located.version)
        if lib is None or (not _serves(lib, path) and _grew(located, path)):
            lib = _open(_verify(located, path, version, root))
            _loaded[lib.module] = lib
            mark_used(located.directory)
        if version is not None:
            lib.queries.add(version)
        return lib


def _verify(located: Located, path: str, version: str | None, root: str) -> VerifiedLibrary:
    """Step 2: check the artifact before its library is opened; if it was
    replaced while being checked (a rebuild by another process), locate
    it again once."""
    check_inside(located.directory, root)
    try:
        return _verified(located)
    except InitPanicError:
        raise  # the library is intact: looking again would find the same one
    except LoadError:
        return _verified(locate(path, version, root, settings()))


def _verified(located: Located) -> VerifiedLibrary:
    manifest = read_manifest(located.directory)
    plat = host_platform()
    return verify(located.directory, manifest, plat, module=located.module, version=located.version)


def _open(verified: VerifiedLibrary) -> Library:
    """Step 3: open the verified library and make its classes (which the
    call path needs to turn handles into objects)."""
    # Once opened, the library is known to the loader by its descriptor's
    # name, so the descriptor stays open even if what follows fails.
    lib = Library(verified.path, verified.manifest, load_path=verified.load_path)
    lib.annotations = Annotations(verified.manifest["types"], lib.classes)
    build_classes(lib, lib.annotations)
    return lib


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
        if path != module and not (path.startswith(module + "/") and has_package(lib, path)):
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


def loaded_library(path: str) -> Library | None:
    """The loaded library of module path, or of the module path lies in
    (with or without such a package)."""
    with _lock:
        if path in _loaded:
            return _loaded[path]
        owners = [m for m in _loaded if path.startswith(m + "/")]
        return _loaded[max(owners, key=len)] if owners else None


def _conflict(lib: Library, version: str) -> VersionConflictError:
    return VersionConflictError(
        f"Go module {lib.module} is already loaded at version {lib.version}; one process holds one "
        f"version of a module, so {version} cannot be loaded too (use version=None to follow it)"
    )
