"""Checking an artifact before its library is opened (SPEC §4 LoadError)."""

from __future__ import annotations

import os
import stat

from .. import remembered, threads
from ..artifact import ABI_VERSION, MANIFEST_FILE, MANIFEST_VERSION, sha256_stream, writable
from ..errors import LoadError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..artifact import Platform, StrPath

# Manifests read in this process, by path: (file identity, manifest). An
# import reads its manifest several times (locating, verifying, loading),
# and a large module's takes tens of milliseconds to parse. Callers treat
# manifests as read-only.
_manifests: dict[str, tuple[tuple[int, int, int, int], dict[str, Any]]] = {}
_MANIFESTS_KEPT = 8
_manifests_lock = threads.Lock()


def read_manifest(directory: StrPath) -> dict[str, Any]:
    path = os.path.join(directory, MANIFEST_FILE)
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            identity = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
            known = _manifests.get(path)
            if known is not None and known[0] == identity:
                return known[1]
            stamp = [*identity, st.st_ctime_ns]
            manifest = _parsed_before(directory, stamp)
            if manifest is None:
                import json  # only where the manifest was not read before (MANIFEST_CACHE)

                manifest = json.loads(f.read().decode("utf-8"))
                if isinstance(manifest, dict):
                    _remember(directory, MANIFEST_CACHE, [stamp, manifest])
    except (OSError, ValueError) as exc:
        raise LoadError(f"cannot read {path}: {exc}") from exc
    if not isinstance(manifest, dict):
        raise LoadError(f"{path} is not a usegolib manifest")
    with _manifests_lock:
        _manifests.pop(path, None)
        _manifests[path] = (identity, manifest)
        while len(_manifests) > _MANIFESTS_KEPT:
            del _manifests[next(iter(_manifests))]
    return manifest


# The manifest as parsed (usegolib/remembered.py), with the identity and
# change time of the manifest.json it was read from: a later import reads
# it without the json module (and the re it imports), and a large
# module's in a fraction of the time. Any write to manifest.json changes
# its ctime, which no user can set.
MANIFEST_CACHE = ".manifest.parsed"


def _parsed_before(directory: StrPath, stamp: list[int]) -> dict[str, Any] | None:
    record = remembered.read(os.path.join(directory, MANIFEST_CACHE))
    if isinstance(record, list) and len(record) == 2 and record[0] == stamp and isinstance(record[1], dict):
        return record[1]
    return None


def _remember(directory: StrPath, name: str, value: Any) -> None:
    """An artifact in a read-only place (where nothing is written,
    artifact.writable) is read afresh every time."""
    if writable(directory):
        remembered.write(os.path.join(directory, name), value)


class VerifiedLibrary:
    """An open file descriptor of a library whose bytes matched the manifest.

    Loading through ``load_path`` (``/proc/self/fd/N`` where the system has
    it) loads exactly the verified file, even if the path is replaced in
    between; elsewhere it is the file's path. The descriptor stays open for
    the life of the process: the dynamic loader knows a library by the name
    it was opened with, and a reused descriptor number would make a second
    library's name equal to the first's.
    """

    def __init__(self, path: str, fd: int, manifest: dict[str, Any]) -> None:
        self.path = path
        self.fd = fd
        self.manifest = manifest  # the manifest it was checked against
        by_fd = f"/proc/self/fd/{fd}"
        self.load_path = by_fd if os.path.exists(by_fd) else str(path)

    def discard(self) -> None:
        """Close the descriptor of a library that will not be loaded."""
        os.close(self.fd)


def check_inside(directory: StrPath, root: StrPath) -> None:
    """An artifact directory must lie in its root through real directories:
    a symbolic link below the root (the root itself may be one) could
    point the import at a library from anywhere."""
    relative = os.path.relpath(directory, root)
    if os.path.realpath(directory) != os.path.join(os.path.realpath(root), relative):
        raise LoadError(
            f"{directory} is reached through a symbolic link below the artifact root {root}; "
            "artifacts must be real directories there (remove the link and rebuild)"
        )


def verify(
    directory: StrPath, manifest: dict[str, Any], plat: Platform, *, module: str, version: str
) -> VerifiedLibrary:
    """Check the manifest (versions, identity, platform) and the library's
    checksum. The first time a library is verified, its package
    initializers run in a child process (runtime/probe.py); nothing here
    runs the library's code in this one."""
    where = os.path.join(directory, MANIFEST_FILE)
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
        _remember(directory, VERIFIED, {"stamp": stamp, "sha256": actual})
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


def _verified(directory: StrPath, stamp: list[int]) -> str | None:
    record = remembered.read(os.path.join(directory, VERIFIED))
    if isinstance(record, dict) and record.get("stamp") == stamp and isinstance(record.get("sha256"), str):
        return str(record["sha256"])
    return None


def _open_library(directory: StrPath, manifest: dict[str, Any]) -> VerifiedLibrary:
    """Open the library named by the manifest: a plain file inside the
    artifact directory, not a link to somewhere else."""
    info = manifest.get("library")
    name = info.get("file") if isinstance(info, dict) else None
    if not isinstance(name, str) or not name or _has_separator(name) or name in (".", ".."):
        raise LoadError(f"{os.path.join(directory, MANIFEST_FILE)}: invalid library file name {name!r}")
    path = os.path.join(directory, name)
    if os.path.islink(path):
        raise LoadError(f"{path} is a symbolic link; an artifact's library must be a regular file")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise LoadError(f"{path} is missing or unreadable ({exc.strerror}); rebuild the artifact") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise LoadError(f"{path} is not a regular file")
    return VerifiedLibrary(path, fd, manifest)


def _has_separator(name: str) -> bool:
    """Whether name is more than a file name (as ``Path(name).name != name``)."""
    return os.path.basename(name) != name or (os.altsep is not None and os.altsep in name)


def _sha256_fd(fd: int) -> str:
    with os.fdopen(fd, "rb", closefd=False) as f:
        return sha256_stream(f)
