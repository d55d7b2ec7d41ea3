"""Shipping artifacts to machines without Go (docs/cluster.md).

:func:`artifacts_for` names the files of the artifact a loaded Go package,
function or class comes from, checked against the library this process
runs; :meth:`Artifact.pack` reads them into a :class:`PackedArtifact`, which
pickles; :func:`install` writes one into another artifact root (a worker's),
checking every file's SHA-256 first, with renames only, so that no reader
sees a half-written artifact. :func:`use_artifacts` points a process's
imports (and the ``go.`` hook that unpickles Go functions) at a root.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .artifact import (
    MANIFEST_FILE,
    Platform,
    artifact_dir,
    check_module_path,
    check_version,
    escape_module_path,
    host_platform,
    move_into_place,
    writable,
)
from .errors import ArtifactNotFoundError, LoadError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from typing import Any

# Modules (and versions) shipped to this process (usegolib.cluster): named
# by the error of a worker asked for a module nobody shipped to it.
_received: dict[str, str] = {}
_received_lock = threading.Lock()


@dataclass(frozen=True)
class Artifact:
    """The files of one artifact on this machine, as loaded by this process.

    ``files`` are relative to ``directory`` (the library, ``manifest.json``
    and the license files the manifest lists); ``sha256`` maps each to its
    checksum, the library's equal to the manifest's. ``root`` is the artifact
    root the directory lies in (None for a packaged project's library, which
    lies elsewhere).
    """

    module: str
    version: str
    platform: str
    directory: Path
    files: tuple[str, ...]
    sha256: Mapping[str, str] = field(repr=False, hash=False)

    @property
    def relative(self) -> PurePosixPath:
        """Where the artifact lies below an artifact root."""
        return PurePosixPath(escape_module_path(self.module), self.version, self.platform)

    @property
    def root(self) -> Path | None:
        parts = self.relative.parts
        if self.directory.parts[-len(parts) :] != parts:
            return None
        return _root_of(self.directory, self.module)

    @property
    def paths(self) -> list[Path]:
        """The files' absolute paths."""
        return [self.directory / name for name in self.files]

    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def pack(self) -> PackedArtifact:
        """The files' contents, checked again as they are read."""
        contents = {}
        for name in self.files:
            data = _read(self.directory / name)
            if _sha256(data) != self.sha256[name]:
                raise LoadError(
                    f"{self.directory / name} changed while it was being shipped; "
                    "ship again once no build is writing the artifact"
                )
            contents[name] = data
        return PackedArtifact(self.module, self.version, self.platform, contents, dict(self.sha256))

    def for_platform(self, platform: str) -> Artifact:
        """The artifact of the same module and version built for another
        platform (``"linux-arm64"``) beside this one, checked against its
        manifest: build it with ``usegolib.builder.build_module(...,
        platform=Platform("linux", "arm64"))`` into the same root."""
        if platform == self.platform:
            return self
        return _artifact(self.directory.parent / platform, self.module, self.version, platform, loaded=None)

    def copy_to(self, root: str | os.PathLike[str]) -> Path:
        """Install a copy in another artifact root (a directory to ship, a
        shared mount), for whichever platform it is built for; returns the
        artifact's directory there."""
        return install(self.pack(), Path(root), any_platform=True)


@dataclass(frozen=True)
class PackedArtifact:
    """An artifact's files and their SHA-256, to send to another process or
    machine and :func:`install` there."""

    module: str
    version: str
    platform: str
    contents: Mapping[str, bytes] = field(repr=False, hash=False)
    sha256: Mapping[str, str] = field(repr=False, hash=False)

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.contents.values())

    def __repr__(self) -> str:
        return f"<PackedArtifact {self.module}@{self.version} {self.platform}, {self.size} bytes>"


def artifacts_for(obj: Any) -> Artifact:
    """The artifact that ``obj`` comes from: a Go package (``import_``'s
    result or a ``go.`` module), a Go function, class or method of one, or
    the path of a Go module loaded in this process.

    The library is checked against the one this process loaded (SHA-256),
    so the files are exactly what runs here. Raises
    :class:`~usegolib.errors.ArtifactNotFoundError` when the files are gone,
    :class:`~usegolib.errors.LoadError` when they were changed or rebuilt
    since this process loaded them.
    """
    lib = library_of(obj)
    tag = f"{lib.manifest['goos']}-{lib.manifest['goarch']}"
    return _artifact(Path(lib.path).parent, lib.module, lib.version, tag, loaded=lib.manifest["library"]["sha256"])


def _artifact(directory: Path, module: str, version: str, platform: str, *, loaded: str | None) -> Artifact:
    """The artifact in directory, its files checked against its manifest
    (and, for the one this process runs, against the loaded library's
    checksum)."""
    where = f"the artifact of {module}@{version} ({platform}) in {directory}"
    try:
        manifest = json.loads(_read(directory / MANIFEST_FILE))
    except FileNotFoundError:
        if loaded is not None:
            raise ArtifactNotFoundError(
                f"{where} is gone (removed since this process loaded it, e.g. by `usegolib cache rm`); "
                "import the module again in a new process, which rebuilds it, then ship it"
            ) from None
        goos, _, goarch = platform.partition("-")
        root = str(_root_of(directory, module))
        raise ArtifactNotFoundError(
            f"no artifact of {module}@{version} for {platform} in {directory}: build it there first, e.g. "
            f"usegolib.builder.build_module(<the module's directory or path@version>, {root!r}, "
            f"platform=usegolib.artifact.Platform({goos!r}, {goarch!r}))"
        ) from None
    except (OSError, ValueError) as exc:
        raise LoadError(f"cannot read {directory / MANIFEST_FILE}: {exc}") from exc
    try:
        library = manifest["library"]
        name, expected = library["file"], library["sha256"]
        identity = (manifest["module"], manifest["version"], f"{manifest['goos']}-{manifest['goarch']}")
    except (KeyError, TypeError) as exc:
        raise LoadError(f"{directory / MANIFEST_FILE} is not a usegolib manifest ({exc}); rebuild it") from None
    if identity != (module, version, platform):
        raise LoadError(f"{directory / MANIFEST_FILE} describes {identity}, not {where}; rebuild it")
    if loaded is not None and expected != loaded:
        raise LoadError(
            f"{where} was rebuilt since this process loaded it, so it is not the library this process runs; "
            "ship from a new Python process, which loads the new build"
        )
    names = [name, MANIFEST_FILE, *_license_files(manifest)]
    sums: dict[str, str] = {}
    for file in names:
        _check_relative(file, directory)
        try:
            sums[file] = _sha256(_read(directory / file))
        except FileNotFoundError:
            raise ArtifactNotFoundError(f"{directory / file} is missing from {where}; rebuild it") from None
    if sums[name] != expected:
        raise LoadError(
            f"{directory / name}: sha256 {sums[name]} does not match the manifest's {expected}; "
            "the file was changed after it was built: rebuild it (`usegolib build --force`)"
        )
    return Artifact(module, version, platform, directory, tuple(names), sums)


def library_of(obj: Any) -> Any:
    """The loaded Library behind obj (see artifacts_for)."""
    from .runtime import library as libraries
    from .runtime.handles import GoObject
    from .runtime.package import GoPackage

    if isinstance(obj, str):
        from .runtime.loader import loaded_library

        lib = loaded_library(obj)
        if lib is None:
            raise ArtifactNotFoundError(f"no Go module {obj} is loaded in this process; import it first")
        return lib
    load = getattr(obj, "_usegolib_package", None)  # a go. module imported as a parent, loaded on first use
    if callable(load) and not isinstance(obj, GoPackage):
        obj = load()
    if isinstance(obj, GoPackage):
        return obj._library
    if isinstance(obj, GoObject):
        return obj._lib
    receiver = getattr(obj, "__self__", None)  # a bound method of a handle
    if isinstance(receiver, GoObject):
        return receiver._lib
    for lib in list(libraries._loaded):
        if _belongs(obj, lib):
            return lib
    raise TypeError(
        f"{obj!r} is not a Go package, function, class or method loaded by usegolib in this process "
        "(pass what usegolib.import_ or a go. import gave)"
    )


def _belongs(obj: Any, lib: Any) -> bool:
    """Whether obj is a member of one of lib's packages (either view), a
    class of it, or a member of one of its classes."""
    classes = list(lib.classes.values())
    view = lib.typed_view
    if view is not None:
        classes += [*view.classes.values(), *view.records.values()]
    if any(obj is cls for cls in classes):
        return True
    for pkg in list(lib.packages.values()):
        members = list(vars(pkg).values())
        generics = pkg.__dict__.get("_generics") or {}
        if any(obj is member for member in (*members, *generics.values())):
            return True
    return any(obj is member for cls in classes for member in list(vars(cls).values()))


def _root_of(directory: Path, module: str) -> Path:
    """The artifact root of an artifact directory of module."""
    return directory.parents[len(PurePosixPath(escape_module_path(module)).parts) + 1]


def _license_files(manifest: dict[str, Any]) -> list[str]:
    licenses = manifest.get("licenses") or {}
    if not isinstance(licenses, dict):
        return []
    names = [name for files in licenses.values() if isinstance(files, list) for name in files]
    return sorted({name for name in names if isinstance(name, str)})


def _check_relative(name: str, directory: Path) -> None:
    """A file of an artifact: a relative path inside its directory."""
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or any(p in ("", ".", "..") for p in parts) or "\\" in name:
        raise LoadError(f"{directory / MANIFEST_FILE} names a file outside its artifact: {name!r}")


def install(packed: PackedArtifact, root: str | os.PathLike[str], *, any_platform: bool = False) -> Path:
    """Write a packed artifact into root as ``<module>/<version>/<platform>/``,
    every file's SHA-256 checked first (the library's against the
    manifest's too). An identical artifact already there is kept as it is
    (nothing is written: a read-only root works); another one is replaced
    by renames. Raises :class:`~usegolib.errors.LoadError` for a damaged
    artifact and :class:`~usegolib.errors.ArtifactNotFoundError` for one of
    another platform than this machine's, unless any_platform (a root
    prepared for other machines)."""
    root = Path(root).expanduser().absolute()
    manifest = check_packed(packed)
    if not any_platform:
        check_platform(packed)
    plat = Platform(manifest["goos"], manifest["goarch"])
    final = Path(artifact_dir(root, packed.module, packed.version, plat))
    if not _holds(final, packed):
        _write(final, root, packed, manifest)
    return final


def check_platform(packed: PackedArtifact) -> None:
    """Raise ArtifactNotFoundError, naming the fix, for an artifact of
    another platform than this machine's."""
    here = host_platform()
    if packed.platform != here.tag:
        raise ArtifactNotFoundError(
            f"the artifact of {packed.module}@{packed.version} shipped here is built for {packed.platform}, but this "
            f"machine is {here.tag}: build the module for {here.goos}/{here.goarch} too "
            f"(usegolib.builder.build_module(..., platform=Platform({here.goos!r}, {here.goarch!r})) into the same "
            f"root) and ship both (ship_to_dask(..., platforms=[{here.tag!r}]))"
        )


def check_packed(packed: PackedArtifact) -> dict[str, Any]:
    """The manifest of a packed artifact whose files are intact: every
    file's SHA-256 as sent, the library's as its manifest says; else
    LoadError."""
    what = f"the artifact of {packed.module}@{packed.version} ({packed.platform})"
    try:
        check_module_path(packed.module)
        check_version(packed.version)
    except ValueError as exc:
        raise LoadError(f"refusing {what}: {exc}") from None
    if set(packed.contents) != set(packed.sha256) or MANIFEST_FILE not in packed.contents:
        raise LoadError(f"{what} arrived incomplete (files {sorted(packed.contents)}); ship it again")
    for name, data in packed.contents.items():
        _check_relative(name, Path(escape_module_path(packed.module), packed.version, packed.platform))
        actual = _sha256(data)
        if actual != packed.sha256[name]:
            raise LoadError(
                f"{what}: {name} arrived with sha256 {actual}, not the {packed.sha256[name]} it was sent with; "
                "it was damaged on the way: ship it again"
            )
    try:
        manifest = json.loads(packed.contents[MANIFEST_FILE])
        library = manifest["library"]
        identity = (manifest["module"], manifest["version"], f"{manifest['goos']}-{manifest['goarch']}")
    except (ValueError, KeyError, TypeError) as exc:
        raise LoadError(f"{what}: its manifest.json is not a usegolib manifest ({exc}); rebuild it") from None
    if identity != (packed.module, packed.version, packed.platform):
        raise LoadError(f"{what}: its manifest.json describes {identity}; rebuild it")
    name, expected = library.get("file"), library.get("sha256")
    if name not in packed.contents:
        raise LoadError(f"{what} lacks its library {name!r}; ship it again")
    if packed.sha256[name] != expected:
        raise LoadError(
            f"{what}: the library's sha256 {packed.sha256[name]} does not match the manifest's {expected}; "
            "the library was changed after it was built: rebuild it (`usegolib build --force`) and ship it again"
        )
    return manifest  # type: ignore[no-any-return]


def _holds(directory: Path, packed: PackedArtifact) -> bool:
    """Whether directory already holds exactly the packed files."""
    for name, expected in packed.sha256.items():
        try:
            if _sha256(_read(directory / name)) != expected:
                return False
        except OSError:
            return False
    return True


def _write(final: Path, root: Path, packed: PackedArtifact, manifest: dict[str, Any]) -> None:
    """Write the files into a staging directory beside final, then rename
    it into place under the artifact's lock (as builds install)."""
    from .locks import artifact_lock

    if root.is_dir() and not writable(root):
        raise ArtifactNotFoundError(
            f"cannot install the artifact of {packed.module}@{packed.version} into {root}: the artifact root is "
            "read-only and does not hold it; install it where the root is writable, or choose a writable root"
        )
    plat = Platform(manifest["goos"], manifest["goarch"])
    with artifact_lock(root, packed.module, packed.version, plat, log=lambda _: None):
        if _holds(final, packed):  # another process installed it meanwhile
            return
        final.parent.mkdir(parents=True, exist_ok=True)
        for leftover in final.parent.glob(f".shipping-{final.name}-*"):  # of a killed install (we hold the lock)
            shutil.rmtree(leftover, ignore_errors=True)
        staging = final.parent / f".shipping-{final.name}-{uuid.uuid4().hex}"
        try:
            for name, data in packed.contents.items():
                path = staging / name
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("xb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
            move_into_place(staging, final, LoadError, "ship again")
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def use_artifacts(root: str | os.PathLike[str]) -> None:
    """Make this process import Go packages from root: it becomes
    ``USEGOLIB_ARTIFACT_DIR``, and the ``go.`` import hook is installed, so
    that a Go function pickled by reference (``go.<package>.<name>``)
    unpickles here. Use it as a process pool's initializer."""
    from ._hook import install as install_hook

    os.environ["USEGOLIB_ARTIFACT_DIR"] = str(Path(root).expanduser().absolute())
    install_hook().refresh()


def note_received(module: str, version: str) -> None:
    """Remember that module was shipped to this process (received_note)."""
    with _received_lock:
        _received[module] = version


def received_note() -> str:
    """For the error of a module that is neither here nor buildable: what
    this process did receive, and how to ship the rest."""
    with _received_lock:
        got = sorted(_received.items())
    if not got:
        return ""
    listed = ", ".join(f"{module}@{version}" for module, version in got)
    return (
        f" This process received the artifacts of {listed} from usegolib.cluster; ship this module too "
        "(usegolib.cluster.ship_to_dask(client, <its package or function>))."
    )


def unique(artifacts: Iterable[Artifact]) -> list[Artifact]:
    """Artifacts without repeats, in order."""
    seen: dict[tuple[str, str, str], Artifact] = {}
    for a in artifacts:
        seen.setdefault((a.module, a.version, a.platform), a)
    return list(seen.values())


def _read(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = ["Artifact", "PackedArtifact", "artifacts_for", "install", "library_of", "use_artifacts"]
