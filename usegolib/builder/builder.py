"""Building a Go module into an artifact: prepare a bridge module that
requires it (local directory or `go get`), scan and generate (Go), compile
(go build with Zig as the C compiler), then install the artifact atomically
under a per-artifact lock."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import generics as generic_list
from .. import selection
from .._version import __version__
from ..artifact import (
    ABI_VERSION,
    MANIFEST_FILE,
    MANIFEST_VERSION,
    artifact_dir,
    host_platform,
    library_file_name,
    move_into_place,
    sha256_file,
    write_manifest,
)
from ..config import settings
from ..errors import BuildError
from ..locks import artifact_lock
from ..runtime.verify import read_manifest
from ..stubs import STUBS, write_tree
from . import bridge_module, licenses
from .bridge_module import LocalSource, StdSource, parse_source
from .fingerprint import current_inputs, fingerprint, link_flags, sources_fingerprint, stale_reason
from .gotool import GoTool
from .progress import Progress, human_size, on_terminal
from .reproducible import normalize_macho, normalize_pe
from .shim import generator, generator_file, shim_digest, shim_dir
from .toolchain import find_toolchain
from .workspace import staging_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ..artifact import (
        Platform,
    )
    from .bridge_module import Resolved, Source
    from .toolchain import Toolchain

Log = Callable[[str], None]
# The flags the bridge is built with that change how every package is
# compiled; go_shim/scan/golist.go lists (and so compiles) with the same.
BUILD_FLAGS = ("-buildmode=c-shared", "-trimpath")


@dataclass(frozen=True)
class BuildResult:
    module: str
    version: str
    platform: Platform
    path: Path
    manifest: dict[str, Any]
    seconds: float
    built: bool  # False when the artifact was already up to date


def stderr_log(message: str) -> None:
    if os.environ.get("USEGOLIB_QUIET", "") in ("", "0"):
        print(f"usegolib: {message}", file=sys.stderr, flush=True)


def build_module(
    source: str | os.PathLike[str],
    out_root: str | os.PathLike[str],
    *,
    force: bool = False,
    generics: list[dict[str, Any]] | None = None,
    platform: Platform | None = None,
    packages: Sequence[str] | None = None,
    log: Log = stderr_log,
) -> BuildResult:
    """Build a Go module into out_root and return where its artifact is.

    source is the root directory of a local module, or an import path with
    an optional version (`golang.org/x/text/cases@v0.14.0`; default latest).
    generics lists instantiations to bridge (default: [tool.usegolib]
    generics); the artifact's manifest keeps those of the module, as
    `instantiations`, for rebuilds after an edit. An artifact that is up to date is not rebuilt unless force is
    set. Nothing appears under out_root until an artifact is complete.
    platform is the target (default: this machine's); Zig cross-compiles.
    packages limits the library to the module's packages at and below these
    import paths (default: [tool.usegolib.packages] of the module, else the
    whole module); an artifact that lacks one of them grows to hold what it
    held and them (docs/cache.md).
    """
    progress = Progress(log, terminal=log is stderr_log and on_terminal())
    request = parse_source(source if isinstance(source, str) else Path(source))
    plat = platform or host_platform()
    toolchain = find_toolchain(plat)
    go = GoTool(toolchain, plat, offline=settings().offline, log=progress)
    shim = Path(shim_dir())
    digest = shim_digest(shim)
    root = Path(out_root).expanduser().resolve()
    keep = os.environ.get("USEGOLIB_KEEP_BUILD") == "1"
    with staging_dir(root, keep=keep, log=progress) as staging:
        bridge = staging / "bridge"
        resolved = _prepare(go, bridge, request, progress, toolchain.go_version)
        wanted = generic_list.for_module(list(settings().generics if generics is None else generics), resolved.module)
        inputs = current_inputs(toolchain, digest, plat, wanted)
        sources = sources_fingerprint(resolved.directory) if resolved.directory else None
        final = Path(artifact_dir(root, resolved.module, resolved.version, plat))
        with artifact_lock(root, resolved.module, resolved.version, plat, progress) as record:
            progress.record_to(record)
            existing = _existing_manifest(final)
            configured = settings().packages.get(resolved.module)
            asked = selection.normalize(packages if packages is not None else configured, resolved.module)
            reason = "forced" if force else (stale_reason(existing, inputs, sources) if existing else "no artifact yet")
            if reason is None:
                reason = selection.missing_reason(existing.get("selection") if existing else None, asked)
            if reason is None:
                progress(f"{resolved.module}@{resolved.version} is up to date ({final})")
                return BuildResult(resolved.module, resolved.version, plat, final, existing, progress.elapsed, False)
            chosen = asked if force or not existing else selection.union(existing.get("selection"), asked)
            progress(f"building {resolved.module}@{resolved.version}{selection.describe(chosen)}: {reason}")
            tools = _Tools(go, toolchain, shim, digest, progress)
            manifest = _build(tools, bridge, staging / "artifact", resolved, wanted, chosen=chosen)
            manifest.update(
                selection=chosen,
                inputs=inputs,
                sources=sources,
                fingerprint=fingerprint(inputs, sources),
                source=_describe(request),
                instantiations=wanted,
            )
            write_manifest(staging / "artifact", manifest)
            write_tree(manifest, staging / "artifact" / STUBS)
            move_into_place(staging / "artifact", final, BuildError, "build again")
    size = (final / manifest["library"]["file"]).stat().st_size
    progress(f"built {resolved.module}@{resolved.version} -> {final} ({human_size(size)} library)")
    return BuildResult(resolved.module, resolved.version, plat, final, manifest, progress.elapsed, True)


def _prepare(go: GoTool, bridge: Path, request: Source, progress: Progress, go_version: str) -> Resolved:
    bridge_module.init(go, bridge)
    if isinstance(request, LocalSource):
        return bridge_module.require_local(go, bridge, request)
    if isinstance(request, StdSource):
        return bridge_module.require_standard(go, bridge, request, go_version)
    progress(f"resolving and downloading {request}")
    downloads = progress.downloads()
    resolved = bridge_module.require_remote(go, bridge, request, watch=downloads)
    downloads.report(go.module_cache)
    return resolved


@dataclass(frozen=True)
class _Tools:
    go: GoTool
    toolchain: Toolchain
    shim: Path
    digest: str
    progress: Progress


def _build(
    tools: _Tools,
    bridge: Path,
    out: Path,
    resolved: Resolved,
    generics: list[dict[str, Any]],
    *,
    chosen: list[str] | None,
) -> dict[str, Any]:
    """Generate the bridge and compile it into out; return the manifest."""
    go, toolchain, shim, progress = tools.go, tools.toolchain, tools.shim, tools.progress
    progress(f"scanning {resolved.module}")
    generics_file = bridge / "generics.json"
    generics_file.write_text(json.dumps({"instantiations": generics}), encoding="utf-8")
    go.run(
        [
            "-dir",
            str(bridge),
            "-module",
            resolved.module,
            "-go",
            toolchain.go,
            "-goos",
            go.plat.goos,
            "-goarch",
            go.plat.goarch,
            "-generics",
            str(generics_file),
            *(["-std"] if bridge_module.is_standard(resolved.module) else []),
            *(["-packages", ",".join(chosen)] if chosen else []),
        ],
        program=str(_generator_after_compiling(tools, bridge, resolved, chosen)),
        cwd=bridge,
        what=f"scanning {resolved.module}",
    )
    schema = json.loads((bridge / "schema.json").read_text(encoding="utf-8"))
    bridge_module.require_shim(go, bridge, shim)
    out.mkdir()
    library = out / library_file_name(resolved.module, go.plat.goos)
    progress(f"compiling {resolved.module} for {go.plat.goos}/{go.plat.goarch}")
    # The bridge module is generated, so go may complete its go.mod (-mod=mod)
    # from the module graph the scan already loaded.
    flags = (go.env().get("GOFLAGS", "") + " -mod=mod").strip()
    build = ["build", *BUILD_FLAGS, f"-ldflags={link_flags(go.plat)}", "-o", str(library), "."]
    read = progress.compiling(go.stale_count(["."], BUILD_FLAGS, cwd=bridge, GOFLAGS=flags))
    if not go.traced(build, cwd=bridge, read=read, GOFLAGS=flags):
        go.run(build, cwd=bridge, what="compiling the bridge", GOFLAGS=flags)  # raises, saying why
    # cgo writes a C header next to the library; Python does not need it.
    library.with_suffix(".h").unlink(missing_ok=True)
    notices = licenses.collect(go, bridge, out, flags=flags)
    if go.plat.goos == "windows":
        normalize_pe(library)
    elif go.plat.goos == "darwin":
        normalize_macho(library)
    return {
        "manifest_version": MANIFEST_VERSION,
        "abi_version": ABI_VERSION,
        "version": resolved.version,
        "goos": go.plat.goos,
        "goarch": go.plat.goarch,
        "go_version": toolchain.go_version,
        "zig_version": toolchain.zig_version,
        "usegolib_version": __version__,
        "library": {"file": library.name, "sha256": sha256_file(library)},
        "licenses": notices,
        **schema,
    }


def _generator_after_compiling(tools: _Tools, bridge: Path, resolved: Resolved, chosen: list[str] | None) -> Path:
    """The generator program, after Go compiled the packages the scan will
    list, as the scan lists them (go_shim/scan/golist.go: with the bridge's
    build flags), into its build cache, saying which it compiles; the scan
    then finds them there. A generator built now (a new usegolib or Go),
    position-independent as the bridge is, finds most of the standard
    library there too."""
    if bridge_module.is_standard(resolved.module):
        patterns = [resolved.module]
    else:
        patterns = [f"{root}/..." for root in (chosen or [resolved.module])]
    total = tools.go.stale_count(patterns, BUILD_FLAGS, cwd=bridge)
    if total:  # else the scan finds everything in the cache already
        listing = ["list", "-e", "-export", "-deps", *BUILD_FLAGS, "-f", "{{.ImportPath}}", *patterns]
        # A failure is the scan's to report, with the packages' own errors.
        tools.go.traced(listing, cwd=bridge, read=tools.progress.compiling(total))
    if not os.path.isfile(generator_file(tools.toolchain, tools.digest)):
        tools.progress("building the usegolib generator (once per usegolib and Go version)")
    return generator(tools.toolchain, tools.shim, tools.digest)


def _describe(request: Source) -> dict[str, str]:
    """Where the artifact came from, so imports can check and rebuild it."""
    if isinstance(request, LocalSource):
        return {"dir": str(request.directory.resolve())}
    return {"query": str(request)}


def _existing_manifest(final: Path) -> dict[str, Any] | None:
    if not (final / MANIFEST_FILE).is_file():
        return None
    try:
        return read_manifest(final)
    except Exception:  # noqa: BLE001 - an unreadable artifact is simply rebuilt
        return None
