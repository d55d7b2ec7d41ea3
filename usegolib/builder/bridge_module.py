"""The bridge module: a Go module, made fresh for each build, that requires
the module to bridge and the shim. For a local module it requires it from its
directory; for a remote one `go get` resolves and downloads it."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..artifact import LOCAL_VERSION, check_module_path, check_version
from ..errors import BuildError, ModuleResolutionError, ToolchainNotFoundError
from .fingerprint import is_directory_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .gotool import GoTool

BRIDGE_MODULE = "usegolib.local/bridge"
# The links in the bridge module to the directories it replaces modules with.
MODULE_LINK = "_module"
REPLACED_LINK = "_replaced"
SHIM_LINK = "_shim"
SHIM_MODULE = "usegolib.local/shim"
# The version a bridge requires modules replaced by directories at; must
# equal rt.LocalModuleVersion in go_shim/rt/errors.go.
PLACEHOLDER_VERSION = "v0.0.0-00010101000000-000000000000"


@dataclass(frozen=True)
class LocalSource:
    directory: Path


@dataclass(frozen=True)
class RemoteSource:
    path: str  # a module or package import path
    version: str  # a version, or a query such as "latest"

    def __str__(self) -> str:
        return f"{self.path}@{self.version}"


@dataclass(frozen=True)
class StdSource:
    """A package of Go's standard library (regexp, encoding/json): built
    from the toolchain's own sources, versioned by the Go version."""

    path: str

    def __str__(self) -> str:
        return self.path


Source = LocalSource | RemoteSource | StdSource


@dataclass(frozen=True)
class Resolved:
    """What a source turned out to be."""

    module: str
    version: str  # "local" for local sources
    directory: Path | None  # local sources: the module root


def is_standard(path: str) -> bool:
    """Whether an import path names the standard library: its first element
    has no dot, which every module path's has (Go's own rule)."""
    return "." not in path.split("/", 1)[0]


def parse_source(source: str | Path) -> Source:
    """A directory, a standard library package, or `import/path[@version]`
    (version defaults to latest)."""
    text = str(source)
    if isinstance(source, Path) or text.startswith((".", "/", "~")) or Path(text).is_dir():
        return LocalSource(_module_root(Path(text).expanduser()))
    path, _, version = text.partition("@")
    check_module_path(path)
    if is_standard(path):
        if version:
            raise ValueError(f"{path} is in Go's standard library, versioned by the Go toolchain: drop @{version}")
        return StdSource(path)
    if version:
        check_version(version)
    return RemoteSource(path, version or "latest")


def require_standard(go: GoTool, bridge: Path, source: StdSource, go_version: str) -> Resolved:
    """Check that the toolchain's standard library has the package; the
    bridge module needs no requirement for it."""
    listing = json.loads(
        go.run(
            ["list", "-e", "-json=ImportPath,Standard,Name,Error", source.path], cwd=bridge, what=f"finding {source}"
        )
    )
    error = (listing.get("Error") or {}).get("Err")
    if error or not listing.get("Standard"):
        raise ModuleResolutionError(
            f"{source.path} is not a package of Go's standard library ({go_version}): {error or 'not standard'}"
        )
    if listing.get("Name") == "main" or "internal" in source.path.split("/"):
        raise ModuleResolutionError(f"{source.path} is a command or internal package of Go's standard library")
    return Resolved(source.path, go_version, None)


def init(go: GoTool, bridge: Path) -> None:
    bridge.mkdir(parents=True)
    go.run(["mod", "init", BRIDGE_MODULE], cwd=bridge, what="creating the bridge module")


def require_local(go: GoTool, bridge: Path, source: LocalSource) -> Resolved:
    """Require the module in source.directory, with its own replace
    directives (Go ignores them outside the main module) and its go.sum."""
    directory = source.directory
    edit = json.loads(go.run(["mod", "edit", "-json"], cwd=directory, what=f"reading {directory / 'go.mod'}"))
    module = edit["Module"]["Path"]
    args = [f"-require={module}@{PLACEHOLDER_VERSION}", f"-replace={module}={_linked(bridge, MODULE_LINK, directory)}"]
    for number, replace in enumerate(edit.get("Replace") or []):
        new = _spell(replace["New"], directory)
        if is_directory_path(new):
            new = _linked(bridge, f"{REPLACED_LINK}{number}", Path(new))
        args.append(f"-replace={_spell(replace['Old'], directory)}={new}")
    go.run(["mod", "edit", *args], cwd=bridge, what="requiring the module")
    if (directory / "go.sum").is_file():
        shutil.copyfile(directory / "go.sum", bridge / "go.sum")
    return Resolved(module, LOCAL_VERSION, directory)


def require_remote(
    go: GoTool, bridge: Path, source: RemoteSource, *, watch: Callable[[str], None] | None = None
) -> Resolved:
    """`go get path@version`: Go finds the module that provides the path,
    downloads it and records its requirements and checksums. watch sees
    go's stderr lines as they come (its "downloading" lines)."""
    try:
        go.run(["get", str(source)], cwd=bridge, what=f"downloading {source}", network=True, watch=watch)
    except ToolchainNotFoundError:
        raise
    except BuildError as exc:
        raise ModuleResolutionError(f"Go found no module providing {source}: {exc}") from exc
    listing = go.run(["list", "-m", "-json", "all"], cwd=bridge, what=f"finding the module of {source.path}")
    module = _providing_module(listing, source.path)
    if module is None:
        raise BuildError(f"go get {source} succeeded, but no module in the build list provides {source.path}")
    _require_all_packages(go, bridge, module["Path"], module["Version"], watch)
    return Resolved(module["Path"], module["Version"], None)


def _require_all_packages(
    go: GoTool, bridge: Path, module: str, version: str, watch: Callable[[str], None] | None
) -> None:
    """`go get module/...@version`: `go get` of one path records the
    checksums of the dependencies of that package only; the bridge imports
    every package of the module, so it needs theirs too. A package that
    cannot be resolved is left to the scan, which skips it with the reason."""
    try:
        go.run(
            ["get", f"{module}/...@{version}"],
            cwd=bridge,
            what=f"downloading the dependencies of {module}",
            network=True,
            watch=watch,
        )
    except ToolchainNotFoundError:
        raise
    except BuildError:
        pass


def require_shim(go: GoTool, bridge: Path, shim: Path) -> None:
    go.run(
        [
            "mod",
            "edit",
            f"-require={SHIM_MODULE}@{PLACEHOLDER_VERSION}",
            f"-replace={SHIM_MODULE}={_linked(bridge, SHIM_LINK, shim)}",
        ],
        cwd=bridge,
        what="requiring the usegolib shim",
    )


def _linked(bridge: Path, name: str, directory: Path) -> str:
    """A replace target for directory: ./name, a symbolic link in the bridge
    module to it. Go records replace targets in the library as written
    (`go version -m`), -trimpath or not: relative ones keep where the
    module, the shim or usegolib's install happen to be out of the bytes,
    so that the library is the same from any directory. Where links cannot
    be made (Windows without the privilege), the absolute directory."""
    try:
        (bridge / name).symlink_to(directory, target_is_directory=True)
    except OSError:
        return str(directory)
    return f"./{name}"


def _module_root(directory: Path) -> Path:
    if not directory.is_dir():
        raise BuildError(
            f"{directory}: no such directory. Pass the root directory of a Go module, "
            "or an import path such as github.com/org/module[@version]"
        )
    if not (directory / "go.mod").is_file():
        raise BuildError(f"{directory} has no go.mod: pass the root directory of a Go module")
    return directory.resolve()


def _spell(target: dict[str, str], base: Path) -> str:
    """A replace side for `go mod edit`: a relative directory is anchored at
    the module that declared it."""
    path = target["Path"]
    if is_directory_path(path):
        return str((base / path).resolve())
    version = target.get("Version")
    return f"{path}@{version}" if version else path


def _providing_module(listing: str, path: str) -> dict[str, str] | None:
    """The module of the build list whose path is the longest prefix of path."""
    decoder = json.JSONDecoder()
    best = None
    text = listing.strip()
    while text:
        module, end = decoder.raw_decode(text)
        text = text[end:].lstrip()
        candidate = module.get("Path", "")
        if module.get("Main") or not (path == candidate or path.startswith(candidate + "/")):
            continue
        if best is None or len(candidate) > len(best["Path"]):
            best = module
    return best
