"""Checking an artifact before its library is opened (SPEC §4 LoadError)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..artifact import ABI_VERSION, MANIFEST_FILE, MANIFEST_VERSION, Platform, sha256_file
from ..errors import LoadError


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LoadError(f"cannot read {path}: {exc}") from exc
    if not isinstance(manifest, dict):
        raise LoadError(f"{path} is not a usegolib manifest")
    return manifest


def verify(directory: Path, manifest: dict[str, Any], plat: Platform) -> Path:
    """Check versions, platform and checksum; return the library's path.
    Nothing here opens the library, so a bad artifact never runs code."""
    where = directory / MANIFEST_FILE
    if manifest.get("manifest_version") != MANIFEST_VERSION:
        raise LoadError(
            f"{where}: manifest version {manifest.get('manifest_version')!r} is not the {MANIFEST_VERSION} "
            "this usegolib reads; rebuild the artifact with this usegolib"
        )
    if manifest.get("abi_version") != ABI_VERSION:
        raise LoadError(
            f"{where}: ABI version {manifest.get('abi_version')!r} is not the {ABI_VERSION} "
            "this usegolib speaks; rebuild the artifact with this usegolib"
        )
    built_for = (manifest.get("goos"), manifest.get("goarch"))
    if built_for != (plat.goos, plat.goarch):
        raise LoadError(f"{where}: built for {built_for[0]}/{built_for[1]}, but this is {plat.goos}/{plat.goarch}")
    library = _library_path(directory, manifest)
    expected = manifest["library"].get("sha256")
    actual = sha256_file(library)
    if actual != expected:
        raise LoadError(f"{library}: sha256 {actual} does not match the manifest's {expected}; the file was changed")
    return library


def _library_path(directory: Path, manifest: dict[str, Any]) -> Path:
    """The library named by the manifest: a plain file inside the artifact
    directory, not a link to somewhere else."""
    info = manifest.get("library")
    name = info.get("file") if isinstance(info, dict) else None
    if not isinstance(name, str) or not name or Path(name).name != name or name in (".", ".."):
        raise LoadError(f"{directory / MANIFEST_FILE}: invalid library file name {name!r}")
    path = directory / name
    if path.is_symlink():
        raise LoadError(f"{path} is a symbolic link; an artifact's library must be a regular file")
    if not path.is_file():
        raise LoadError(f"{path} is missing; rebuild the artifact")
    return path
