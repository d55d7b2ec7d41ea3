"""The artifact layout shared by the builder and the runtime.

An artifact root holds ``<module>/<version>/<goos>-<goarch>/`` directories,
each with the shared library and ``manifest.json`` (docs/versioning.md).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO, NamedTuple

    # What functions here take for a path; they return str. Not pathlib,
    # and no re or json: every import of a Go module runs this module, and
    # those three cost it more than the rest of the import (docs/performance.md).
    StrPath = str | os.PathLike[str]
else:
    from .namedtuples import NamedTuple

MANIFEST_FILE = "manifest.json"
# Bumped when the manifest's schema changes incompatibly.
MANIFEST_VERSION = 1
# Must equal rt.ABIVersion in go_shim/rt/abi.go.
ABI_VERSION = 8
LOCAL_VERSION = "local"
# Touched each time a process loads an artifact; its age is what
# `usegolib cache prune --older-than` looks at.
LAST_USED = ".last-used"

_GOOS = {"linux": "linux", "darwin": "darwin", "win32": "windows", "cygwin": "windows"}
_GOARCH = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "i386": "386",
    "i686": "386",
    "x86": "386",
    "armv7l": "arm",
}
_LIBRARY_SUFFIX = {"windows": ".dll", "darwin": ".dylib"}


class Platform(NamedTuple):
    """A Go target platform."""

    goos: str
    goarch: str

    @property
    def tag(self) -> str:
        return f"{self.goos}-{self.goarch}"


def host_platform() -> Platform:
    """The Go platform matching this Python interpreter."""
    goos = _GOOS.get(sys.platform, sys.platform)
    # os.uname() is what platform.machine() reads on POSIX, without
    # importing platform; Windows has no uname.
    machine = (os.uname().machine if hasattr(os, "uname") else _windows_machine()).lower()
    goarch = _GOARCH.get(machine, machine)
    return Platform(goos, goarch)


def _windows_machine() -> str:
    import platform

    return platform.machine()


def library_file_name(module: str, goos: str) -> str:
    """A library name unique per module: Windows identifies loaded DLLs by name."""
    stem = "_".join("".join(c if _alphanumeric(c) else " " for c in module).split())
    prefix = "" if goos == "windows" else "lib"
    return f"{prefix}usegolib_{stem}{_LIBRARY_SUFFIX.get(goos, '.so')}"


def escape_module_path(module: str) -> str:
    """Spell a module path for a case-insensitive file system, as Go's module
    cache does: each upper-case letter becomes ``!`` plus its lower case."""
    return "".join("!" + c.lower() if "A" <= c <= "Z" else c for c in module)


def unescape_module_path(escaped: str) -> str:
    parts = escaped.split("!")
    return parts[0] + "".join(p[:1].upper() + p[1:] if "a" <= p[:1] <= "z" else "!" + p for p in parts[1:])


def manifest_identity(manifest: dict[str, Any]) -> tuple[Any, Any, str]:
    """(module, version, platform tag) a manifest says it describes: what
    the directory it lies in must spell for it to count as an artifact."""
    return manifest.get("module"), manifest.get("version"), f"{manifest.get('goos')}-{manifest.get('goarch')}"


def artifact_dir(root: StrPath, module: str, version: str, plat: Platform) -> str:
    return os.path.join(root, escape_module_path(module), version, plat.tag)


def absolute(path: StrPath) -> str:
    """path with ~ expanded, made absolute (not resolved), as
    ``Path(path).expanduser().absolute()``."""
    return os.path.abspath(os.path.expanduser(path))


def user_cache_dir() -> str:
    """``USEGOLIB_CACHE_DIR``, else the platform's user cache directory."""
    configured = os.environ.get("USEGOLIB_CACHE_DIR")
    if configured:
        # Absolute: helper programs under it run with other working directories.
        return absolute(configured)
    if sys.platform.startswith("linux"):
        # platformdirs' answer, without importing platformdirs (and the
        # random, tempfile and typing it brings) into every import of a
        # Go module: tests/test_cache.py holds the two to each other.
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        return os.path.join(xdg or os.path.expanduser("~/.cache"), "usegolib")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Caches"), "usegolib")
    import platformdirs  # only where no directory is configured

    return str(platformdirs.user_cache_dir("usegolib"))


def write_manifest(directory: StrPath, manifest: dict[str, Any]) -> None:
    """The one spelling of a manifest: sorted keys, so that equal manifests
    are equal bytes (reproducible builds)."""
    import json  # builds write manifests; imports only read them (runtime/verify.py)

    with open(os.path.join(directory, MANIFEST_FILE), "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, indent=1, sort_keys=True))


def default_root() -> str:
    """``USEGOLIB_ARTIFACT_DIR``, else the usegolib cache directory."""
    configured = os.environ.get("USEGOLIB_ARTIFACT_DIR")
    if configured:
        return absolute(configured)
    return user_cache_dir()


def tools_dir() -> str:
    """Where built helper programs are cached; a dot name can never be a
    module path, so it cannot collide with artifacts in the same root."""
    return os.path.join(user_cache_dir(), ".tools")


def _alphanumeric(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _plain(text: str, others: str) -> bool:
    """text starts with an ASCII letter or digit and holds only those and others."""
    return bool(text) and _alphanumeric(text[0]) and all(_alphanumeric(c) or c in others for c in text)


def check_version(version: str) -> None:
    """Refuse versions that are not a single, plain directory name."""
    if not _plain(version, "._+~-"):
        raise ValueError(f"not a valid module version: {version!r}")


def check_module_path(path: str) -> None:
    """Refuse paths that could escape the artifact root or name no module."""
    elements = path.split("/")
    if not _plain(path, "._~/-") or any(e in ("", ".", "..") for e in elements):
        raise ValueError(f"not a valid Go module or package path: {path!r}")


def sha256_file(path: StrPath) -> str:
    with open(path, "rb") as f:
        return sha256_stream(f)


def sha256_stream(f: BinaryIO) -> str:
    import hashlib  # only where a file is hashed: loading a verified library hashes nothing

    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def mark_used(directory: StrPath) -> None:
    """Record a load of the artifact in directory (best effort; nothing is
    written in a read-only artifact)."""
    if writable(directory):
        try:
            with open(os.path.join(directory, LAST_USED), "ab"):
                pass
            os.utime(os.path.join(directory, LAST_USED))
        except OSError:
            pass


def writable(directory: StrPath) -> bool:
    """Whether usegolib may write in directory: it is on a writable file
    system, this process may write there, and its mode has a write bit.
    The last makes a directory made read-only with ``chmod -R a-w`` (a
    shared artifact root, a container layer) read-only for root too, whom
    permissions do not stop: loading writes nothing there."""
    try:
        mode = os.stat(directory).st_mode
    except OSError:
        return False
    return bool(mode & 0o222) and os.access(directory, os.W_OK)


def move_into_place(built: StrPath, final: StrPath, error: type[Exception], again: str) -> None:
    """Move a complete artifact directory into place with renames only, so
    that a reader sees the old artifact or the new one, never a mixture
    (between the two renames it sees none; readers that find nothing wait
    for the artifact's lock). A process that has the old library loaded
    keeps its mapping. error (naming the fix: `again`) is raised when the
    old artifact cannot be moved away."""
    import shutil
    import uuid
    from pathlib import Path

    built, final = Path(built), Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    for leftover in final.parent.glob(f".old-{final.name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    if not final.exists():
        try:
            os.replace(built, final)
        except FileNotFoundError:  # `cache rm` removed the emptied parent meanwhile
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(built, final)
        return
    old = final.parent / f".old-{final.name}-{uuid.uuid4().hex}"
    try:
        os.replace(final, old)
    except PermissionError as exc:
        raise error(
            f"cannot replace {final}: it is in use (Windows keeps loaded libraries locked); "
            f"close the processes using it and {again}"
        ) from exc
    try:
        os.replace(built, final)
    except OSError:
        os.replace(old, final)  # put the previous artifact back
        raise
    shutil.rmtree(old, ignore_errors=True)
