"""Which artifact an import uses (SPEC §5, §7): a configured local module,
else the cache with the version rules, else a build of the remote module.
Builds are imported lazily: loading a prebuilt artifact needs no Go."""

from __future__ import annotations

import os
import sys
import warnings

from .. import selection, uptodate
from ..artifact import (
    LOCAL_VERSION,
    MANIFEST_FILE,
    artifact_dir,
    escape_module_path,
    host_platform,
    writable,
)
from ..errors import (
    AmbiguousArtifactError,
    ArtifactNotFoundError,
    BuildError,
    ModuleResolutionError,
    ToolchainNotFoundError,
)
from .verify import read_manifest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, NamedTuple

    from ..artifact import Platform, StrPath
    from ..config import Settings
    from ..witness import Witness
else:
    from ..namedtuples import NamedTuple

LATEST = "latest"


class Located(NamedTuple):
    module: str
    directory: str  # the artifact directory

    @property
    def version(self) -> str:
        return os.path.basename(os.path.dirname(self.directory))


def locate(path: str, version: str | None, root: str, conf: Settings) -> Located:
    """The artifact providing import path `path`, building it when it is
    missing or (for local modules) out of date and Go is available."""
    try:
        return _locate(path, version, root, conf)
    except ArtifactNotFoundError as exc:
        note = _received_note()
        if note:
            raise ArtifactNotFoundError(f"{exc}{note}") from exc
        raise


def _locate(path: str, version: str | None, root: str, conf: Settings) -> Located:
    plat = host_platform()
    local = conf.local_module(path)
    if local is not None:
        if version not in (None, LOCAL_VERSION):
            raise ArtifactNotFoundError(
                f"{path} is in the local module {local.path} ({local.directory}), which has no version {version}"
            )
        return _local(local.path, local.directory, root, plat, packages=_closure(path, conf))
    if _is_standard(path):
        return _standard(path, version, root, plat)
    version = version or conf.pinned_version(path)
    if version != LATEST:
        found = _cached(root, path, version, plat)
        if found is not None:
            return _refreshed(found, root)
        partial = _growable(root, path, version, plat)
        if partial is not None:
            return _grown(partial, path, root, conf)
    return _remote(path, version or LATEST, root, conf)


def _closure(path: str, conf: Settings) -> list[str]:
    """What an import of path builds: the packages at and below it, with
    those [tool.usegolib.packages] lists for its module (the builder
    unions them with what the artifact already holds)."""
    return [path, *conf.packages_of(path)]


def _is_standard(path: str) -> bool:
    """A standard library path: its first element has no dot (Go's rule)."""
    return "." not in path.split("/", 1)[0]


def _standard(path: str, version: str | None, root: str, plat: Platform) -> Located:
    """A standard library package: an artifact per package and Go version,
    the toolchain's own when there is one (built on first use), else the
    only one cached."""
    if version is None:
        toolchain_version = _toolchain_go_version()
        if toolchain_version is None:
            found = _cached(root, path, None, plat)
            if found is None:
                raise ArtifactNotFoundError(
                    f"no artifact for Go's standard library package {path} under {root}, and no Go toolchain to "
                    "build one: install Go (pip install 'usegolib[build,go]') or an artifact built elsewhere"
                )
            return found
        version = toolchain_version
    found = _cached(root, path, version, plat)
    if found is not None:
        return found
    result = _build(path, root, f"{path} ({version})", stale=None)
    return Located(result.module, str(result.path))


def _toolchain_go_version() -> str | None:
    from ..builder.toolchain import find_toolchain

    try:
        return find_toolchain(host_platform()).go_version
    except (ToolchainNotFoundError, BuildError):
        return None


def _local(module: str, directory: str, root: str, plat: Platform, *, packages: list[str]) -> Located:
    final = artifact_dir(root, module, LOCAL_VERSION, plat)
    existing = _manifest(final)
    wanted = _instantiations(module, existing)
    reason = _local_stale_reason(existing, directory, final, wanted) if existing else "no artifact yet"
    if reason is None and existing is not None:
        reason = selection.missing_reason(existing.get("selection"), selection.normalize(packages, module))
    if reason is not None:
        what = f"{module} ({directory})"
        built = _build(
            str(directory), root, what, stale=final if existing else None, generics=wanted, packages=packages
        )
        if built is not None:
            _check_built(module, directory, final)
    return Located(module, final)


def _check_built(module: str, directory: str, final: str) -> None:
    """Check a new artifact as the next import will, so that the next
    import finds what the check depended on remembered (usegolib/uptodate.py)."""
    manifest = _manifest(final)
    if manifest is not None:
        _local_stale_reason(manifest, directory, final, _instantiations(module, manifest))


def _instantiations(module: str, manifest: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The instantiations a local module is (re)built with: those the
    configuration lists for it, else those its artifact was built with, so
    that a list given to `usegolib build --generics` survives rebuilds after
    an edit."""
    from ..config import settings
    from ..generics import GenericsError, for_module, parse

    configured = for_module(list(settings().generics), module)
    if configured or manifest is None:
        return configured
    try:
        return parse(manifest.get("instantiations") or [], "the artifact's manifest")
    except GenericsError:
        return []  # a damaged list: the artifact is rebuilt without it


def _refreshed(found: Located, root: str) -> Located:
    """A cached artifact built from a local directory is checked against it."""
    directory = _local_source(found)
    if directory is not None:
        held = (_manifest(found.directory) or {}).get("selection")
        return _local(found.module, directory, root, host_platform(), packages=held or [found.module])
    return found


def _local_source(found: Located) -> str | None:
    """The directory a local artifact was built from, if it is still there."""
    source = (_manifest(found.directory) or {}).get("source") or {}
    directory = source["dir"] if isinstance(source.get("dir"), str) else None
    if directory is not None and os.path.isfile(os.path.join(directory, "go.mod")) and found.version == LOCAL_VERSION:
        return directory
    return None


def _local_stale_reason(
    manifest: dict[str, Any], directory: str, final: str, wanted: list[dict[str, Any]]
) -> str | None:
    """Why the artifact in final, built from directory, needs rebuilding,
    or None when it is up to date. The check that finds it fresh remembers
    what it depended on, and the next one, when all of that is unchanged,
    says so without the builder (usegolib/uptodate.py)."""
    if uptodate.still_up_to_date(final, directory, manifest, wanted):
        return None
    from ..witness import Witness

    witness = Witness()
    reason = _full_stale_reason(manifest, directory, wanted, witness)
    if reason is None:
        witness.remember(final, directory, manifest, wanted)
    return reason


def _full_stale_reason(
    manifest: dict[str, Any], directory: str, wanted: list[dict[str, Any]], witness: Witness
) -> str | None:
    from .. import digests, generics, remembered
    from .. import witness as witness_code
    from ..builder import fingerprint, macos, shim, toolchain

    # The code that answers: in a checkout it changes while the version stays.
    for module in (fingerprint, macos, shim, toolchain, digests, generics, remembered, uptodate, witness_code):
        witness.identity(str(module.__file__))
    reason = fingerprint.stale_reason(manifest, None, fingerprint.sources_fingerprint(directory, witness))
    if reason is not None:
        return reason
    inputs = _current_inputs(wanted, witness)
    return fingerprint.stale_reason(manifest, inputs, None) if inputs is not None else None


def _current_inputs(wanted: list[dict[str, Any]], witness: Witness) -> dict[str, str] | None:
    """The build inputs of this machine, or None without a toolchain."""
    from ..builder.fingerprint import current_inputs
    from ..builder.shim import shim_digest, shim_dir
    from ..builder.toolchain import find_toolchain

    plat = host_platform()
    try:
        toolchain = find_toolchain(plat, witness)
        return current_inputs(toolchain, shim_digest(shim_dir(witness), witness), plat, wanted, witness)
    except (ToolchainNotFoundError, BuildError):
        return None


def _cached(root: str, path: str, version: str | None, plat: Platform) -> Located | None:
    """The module owning path is the longest prefix of it with an artifact
    that has the package (a nested module, or a major version such as
    example.com/m/v2, is a module of its own); version=None takes its only
    version."""
    for module, module_dir in _module_dirs(root, path):
        versions = [
            v for v in available_versions(module_dir, plat) if _provides(os.path.join(module_dir, v, plat.tag), path)
        ]
        if version is not None:
            if version in versions:
                return Located(module, os.path.join(module_dir, version, plat.tag))
            continue
        if len(versions) == 1:
            return Located(module, os.path.join(module_dir, versions[0], plat.tag))
        if len(versions) > 1:
            raise AmbiguousArtifactError(
                f"several versions of {module} under {root}: {', '.join(versions)}; pass version=..."
            )
    return None


def _module_dirs(root: str, path: str) -> Iterator[tuple[str, str]]:
    """The module paths path may lie in (itself, then shorter prefixes)
    that have artifacts under root, with their directories."""
    elements = path.split("/")
    for end in range(len(elements), 0, -1):
        module = "/".join(elements[:end])
        module_dir = os.path.join(root, escape_module_path(module))
        if os.path.isdir(module_dir):
            yield module, module_dir


def _provides(directory: str, path: str) -> bool:
    """Whether the artifact has a package at or below path. An unreadable
    manifest counts as yes, so that loading it reports the damage."""
    manifest = _manifest(directory)
    if manifest is None:
        return True
    if not selection.covers(manifest.get("selection"), path):
        return False  # a package the artifact may grow to hold
    if manifest.get("module") == path:
        return True
    packages = manifest.get("packages")
    if not isinstance(packages, list):
        return True
    return any(selection.below(str(p.get("path")), path) for p in packages)


def _growable(root: str, path: str, version: str | None, plat: Platform) -> Located | None:
    """An artifact of some of a module's packages that path may be another
    package of: of the longest such module path, at version (None: its
    only version). Importing path grows it rather than building anew."""
    for module, module_dir in _module_dirs(root, path):
        versions = available_versions(module_dir, plat)
        if version is not None:
            versions = [v for v in versions if v == version]
        if len(versions) == 1:
            found = Located(module, os.path.join(module_dir, versions[0], plat.tag))
            if not selection.covers((_manifest(found.directory) or {}).get("selection"), path):
                return found
    return None


def _grown(partial: Located, path: str, root: str, conf: Settings) -> Located:
    """Build partial's module again, with path's packages too."""
    directory = _local_source(partial)
    if directory is not None:
        return _local(partial.module, directory, root, host_platform(), packages=_closure(path, conf))
    query = f"{path}@{partial.version}"
    result = _build(query, root, query, stale=None, packages=_closure(path, conf))
    return Located(result.module, str(result.path))


def available_versions(module_dir: StrPath, plat: Platform) -> list[str]:
    return sorted(
        name
        for name in os.listdir(module_dir)
        if not name.startswith(".") and os.path.isfile(os.path.join(module_dir, name, plat.tag, MANIFEST_FILE))
    )


def _remote(path: str, version: str, root: str, conf: Settings) -> Located:
    query = f"{path}@{version}"
    if conf.offline and version == LATEST:
        raise ArtifactNotFoundError(
            f"no artifact for {path} under {root}, and USEGOLIB_OFFLINE=1 forbids looking up its latest version; "
            "pass an exact version that is in Go's module cache, or build it while online"
        )
    result = _build(query, root, query, stale=None, packages=_closure(path, conf))
    return Located(result.module, str(result.path))


def _build(
    source: str,
    root: str,
    what: str,
    *,
    stale: str | None,
    generics: list[dict[str, Any]] | None = None,
    packages: list[str] | None = None,
) -> Any:
    """Build, or explain why it cannot be done. A stale artifact is still
    used (with a warning) when no toolchain can rebuild it. generics=None
    builds the configured instantiations."""
    if os.path.isdir(root) and not writable(root):  # a shared mount, a container layer: loading only
        if stale is not None:
            warnings.warn(
                f"{what} changed but cannot be rebuilt: the artifact root {root} is read-only",
                RuntimeWarning,
                stacklevel=4,
            )
            return None
        raise ArtifactNotFoundError(
            f"no artifact for {what} under {root}, and it cannot be built there: the artifact root is read-only. "
            "Build it into a writable root (then copy it there), or point USEGOLIB_ARTIFACT_DIR at a writable "
            "directory"
        )
    from ..builder.builder import build_module

    try:
        return build_module(source, root, generics=generics, packages=packages)
    except ModuleResolutionError as exc:
        raise ArtifactNotFoundError(f"no artifact for {what} under {root}, and {exc}") from exc
    except ToolchainNotFoundError as exc:
        if stale is not None:
            warnings.warn(f"{what} changed but cannot be rebuilt: {exc}", RuntimeWarning, stacklevel=4)
            return None
        raise ArtifactNotFoundError(
            f"no artifact for {what} under {root}, and it cannot be built here: {exc} "
            "Alternatively, install a package that ships the prebuilt artifact."
        ) from exc


def _received_note() -> str:
    """What this process received from usegolib.cluster, if anything (a
    worker asked for a module nobody shipped to it)."""
    shipping = sys.modules.get("usegolib.shipping")  # nothing was received where it is not imported
    return shipping.received_note() if shipping is not None else ""


def _manifest(directory: str) -> dict[str, Any] | None:
    if not os.path.isfile(os.path.join(directory, MANIFEST_FILE)):
        return None
    try:
        return read_manifest(directory)
    except Exception:  # noqa: BLE001 - an unreadable manifest is treated as missing
        return None


__all__ = ["LATEST", "Located", "available_versions", "locate"]
