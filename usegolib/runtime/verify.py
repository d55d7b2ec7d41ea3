"""Checking an artifact before its library is opened (SPEC §4 LoadError)."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import threading
from pathlib import Path

from ..artifact import ABI_VERSION, MANIFEST_FILE, MANIFEST_VERSION, sha256_stream, writable
from ..errors import LoadError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..artifact import Platform

# Manifests read in this process, by path: (file identity, manifest). An
# import reads its manifest several times (locating, verifying, loading),
# and a large module's takes tens of milliseconds to parse. Callers treat
# manifests as read-only.
_manifests: dict[str, tuple[tuple[int, int, int, int], dict[str, Any]]] = {}
_MANIFESTS_KEPT = 8
_manifests_lock = threading.Lock()


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST_FILE
    try:
        with path.open("rb") as f:
            st = os.fstat(f.fileno())
            identity = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
            known = _manifests.get(str(path))
            if known is not None and known[0] == identity:
                return known[1]
            manifest = json.loads(f.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise LoadError(f"cannot read {path}: {exc}") from exc
    if not isinstance(manifest, dict):
        raise LoadError(f"{path} is not a usegolib manifest")
    with _manifests_lock:
        _manifests.pop(str(path), None)
        _manifests[str(path)] = (identity, manifest)
        while len(_manifests) > _MANIFESTS_KEPT:
            del _manifests[next(iter(_manifests))]
    return manifest


class VerifiedLibrary:
    """An open file descriptor of a library whose bytes matched the manifest.

    Loading through ``load_path`` (``/proc/self/fd/N`` where the system has
    it) loads exactly the verified file, even if the path is replaced in
    between; elsewhere it is the file's path. The descriptor stays open for
    the life of the process: the dynamic loader knows a library by the name
    it was opened with, and a reused descriptor number would make a second
    library's name equal to the first's.
    """

    def __init__(self, path: Path, fd: int, manifest: dict[str, Any]) -> None:
        self.path = path
        self.fd = fd
        self.manifest = manifest  # the manifest it was checked against
        by_fd = f"/proc/self/fd/{fd}"
        self.load_path = by_fd if os.path.exists(by_fd) else str(path)

    def discard(self) -> None:
        """Close the descriptor of a library that will not be loaded."""
        os.close(self.fd)


def check_inside(directory: Path, root: Path) -> None:
    """An artifact directory must lie in its root through real directories:
    a symbolic link below the root (the root itself may be one) could
    point the import at a library from anywhere."""
    relative = directory.relative_to(root)
    if os.path.realpath(directory) != os.path.join(os.path.realpath(root), relative):
        raise LoadError(
            f"{directory} is reached through a symbolic link below the artifact root {root}; "
            "artifacts must be real directories there (remove the link and rebuild)"
        )


def verify(directory: Path, manifest: dict[str, Any], plat: Platform, *, module: str, version: str) -> VerifiedLibrary:
    """Check the manifest (versions, identity, platform) and the library's
    checksum. The first time a library is verified, its package
    initializers run in a child process (runtime/probe.py); nothing here
    runs the library's code in this one."""
    where = directory / MANIFEST_FILE
    if (manifest.get("module"), manifest.get("version")) != (module, version):
        raise LoadError(
            f"{where} describes {manifest.get('module')!r} version {manifest.get('version')!r}, "
            f"but lies where {module} version {version} belongs"
        )
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
    library = _open_library(directory, manifest)
    try:
        expected = manifest["library"].get("sha256")
        stamp = _stamp(library.fd)
        if _verified(directory, stamp) == expected:
            return library
        actual = _sha256_fd(library.fd)
        if actual != expected:
            raise LoadError(
                f"{library.path}: sha256 {actual} does not match the manifest's {expected}; the file was changed"
            )
        from .probe import probe  # and subprocess: only for a library not verified before

        probe(library.path, module)
        _remember(directory, stamp, actual)
    except BaseException:
        library.discard()
        raise
    return library


# The checksum of a library once verified, with the file's identity and
# change time: a later load of the unchanged file skips reading it. Any
# write to the file changes its ctime, which no user can set.
VERIFIED = ".verified"


def _stamp(fd: int) -> list[int]:
    st = os.fstat(fd)
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _verified(directory: Path, stamp: list[int]) -> str | None:
    try:
        record = json.loads((directory / VERIFIED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(record, dict) and record.get("stamp") == stamp and isinstance(record.get("sha256"), str):
        return str(record["sha256"])
    return None


def _remember(directory: Path, stamp: list[int], sha256: str) -> None:
    """Best effort: an artifact in a read-only place (where nothing is
    written, artifact.writable) is checked every time."""
    if not writable(directory):
        return
    tmp = directory / f"{VERIFIED}.{os.getpid()}.tmp"
    with contextlib.suppress(OSError):
        tmp.write_text(json.dumps({"stamp": stamp, "sha256": sha256}), encoding="utf-8")
        os.replace(tmp, directory / VERIFIED)
    with contextlib.suppress(OSError):
        tmp.unlink()


def _open_library(directory: Path, manifest: dict[str, Any]) -> VerifiedLibrary:
    """Open the library named by the manifest: a plain file inside the
    artifact directory, not a link to somewhere else."""
    info = manifest.get("library")
    name = info.get("file") if isinstance(info, dict) else None
    if not isinstance(name, str) or not name or Path(name).name != name or name in (".", ".."):
        raise LoadError(f"{directory / MANIFEST_FILE}: invalid library file name {name!r}")
    path = directory / name
    if path.is_symlink():
        raise LoadError(f"{path} is a symbolic link; an artifact's library must be a regular file")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise LoadError(f"{path} is missing or unreadable ({exc.strerror}); rebuild the artifact") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise LoadError(f"{path} is not a regular file")
    return VerifiedLibrary(path, fd, manifest)


def _sha256_fd(fd: int) -> str:
    with os.fdopen(fd, "rb", closefd=False) as f:
        return sha256_stream(f)
