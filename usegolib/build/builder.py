"""Building a Go module into an artifact: scan and generate (Go), compile
(go build with Zig as the C compiler), then install the artifact atomically."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._version import __version__
from ..artifact import (
    ABI_VERSION,
    LOCAL_VERSION,
    MANIFEST_FILE,
    MANIFEST_VERSION,
    Platform,
    artifact_dir,
    host_platform,
    library_file_name,
    sha256_file,
)
from ..errors import BuildError
from .fingerprint import fingerprint
from .shim import generator, shim_digest, shim_dir
from .toolchain import Toolchain, find_toolchain

# Flags of the final link: no build id and no symbol table make the library
# smaller and reproducible; Go's own tables (function names, file:line for
# panic stacks) are kept.
LDFLAGS = "-s -w -buildid="

Log = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    module: str
    version: str
    platform: Platform
    path: Path
    manifest: dict[str, Any]
    seconds: float


def stderr_log(message: str) -> None:
    if os.environ.get("USEGOLIB_QUIET") != "1":
        print(f"usegolib: {message}", file=sys.stderr, flush=True)


def build_module(
    source: str | os.PathLike[str], out_root: str | os.PathLike[str], *, log: Log = stderr_log
) -> BuildResult:
    """Build the Go module at directory source into out_root and return
    where the artifact went. Nothing appears under out_root until the
    artifact is complete."""
    started = time.monotonic()
    module_dir = _module_dir(source)
    plat = host_platform()
    toolchain = find_toolchain(plat)
    shim = shim_dir()
    digest = shim_digest(shim)
    module = _module_path(toolchain, module_dir)
    inputs = {
        "usegolib": __version__,
        "go": toolchain.go_version,
        "cc": toolchain.cc if toolchain.zig_version is None else f"zig {toolchain.zig_version}",
        "shim": digest,
        "platform": plat.tag,
        "ldflags": LDFLAGS,
    }
    input_fingerprint = fingerprint(module_dir, inputs)
    root = Path(out_root).resolve()
    staging = root / ".staging" / uuid.uuid4().hex
    staging.mkdir(parents=True)
    try:
        bridge = staging / "bridge"
        bridge.mkdir()
        log(f"scanning {module} ({module_dir})")
        _run(
            [
                str(generator(toolchain, shim, digest)),
                "-module",
                str(module_dir),
                "-shim",
                str(shim),
                "-out",
                str(bridge),
                "-go",
                toolchain.go,
                "-goarch",
                plat.goarch,
            ],
            cwd=module_dir,
            env=toolchain.env(plat),
            what=f"scanning {module}",
        )
        schema = json.loads((bridge / "schema.json").read_text(encoding="utf-8"))
        out = staging / "artifact"
        out.mkdir()
        library = out / library_file_name(module, plat.goos)
        log(f"compiling {module} for {plat.goos}/{plat.goarch}")
        _compile(toolchain, plat, bridge, library)
        manifest = _manifest(
            schema, module=module, plat=plat, toolchain=toolchain, library=library, input_fingerprint=input_fingerprint
        )
        (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        final = artifact_dir(root, module, LOCAL_VERSION, plat)
        _install(out, final)
    finally:
        if os.environ.get("USEGOLIB_KEEP_BUILD") == "1":
            log(f"keeping the build directory {staging} (USEGOLIB_KEEP_BUILD=1)")
        else:
            shutil.rmtree(staging, ignore_errors=True)
    seconds = time.monotonic() - started
    log(f"built {module} in {seconds:.1f}s -> {final}")
    return BuildResult(module, LOCAL_VERSION, plat, final, manifest, seconds)


def _module_dir(source: str | os.PathLike[str]) -> Path:
    path = Path(source).expanduser()
    if not path.is_dir():
        raise BuildError(
            f"{source}: no such directory. Pass the root directory of a Go module "
            "(building remote modules by import path is not supported yet)."
        )
    if not (path / "go.mod").is_file():
        raise BuildError(f"{path} has no go.mod: pass the root directory of a Go module")
    return path.resolve()


def _module_path(toolchain: Toolchain, module_dir: Path) -> str:
    done = _run(
        [toolchain.go, "mod", "edit", "-json"],
        cwd=module_dir,
        env={**os.environ, **toolchain.go_env},
        what="reading go.mod",
    )
    return json.loads(done)["Module"]["Path"]


def _compile(toolchain: Toolchain, plat: Platform, bridge: Path, library: Path) -> None:
    env = toolchain.env(plat)
    # The bridge module is generated, so go may complete its go.mod (-mod=mod)
    # from the module graph the scan already loaded.
    env["GOFLAGS"] = (env.get("GOFLAGS", "") + " -mod=mod").strip()
    _run(
        [toolchain.go, "build", "-buildmode=c-shared", "-trimpath", f"-ldflags={LDFLAGS}", "-o", str(library), "."],
        cwd=bridge,
        env=env,
        what="compiling the bridge",
    )
    # cgo writes a C header next to the library; Python does not need it.
    library.with_suffix(".h").unlink(missing_ok=True)


def _manifest(
    schema: dict[str, Any], *, module: str, plat: Platform, toolchain: Toolchain, library: Path, input_fingerprint: str
) -> dict[str, Any]:
    return {
        "manifest_version": MANIFEST_VERSION,
        "abi_version": ABI_VERSION,
        "module": module,
        "version": LOCAL_VERSION,
        "fingerprint": input_fingerprint,
        "goos": plat.goos,
        "goarch": plat.goarch,
        "go_version": toolchain.go_version,
        "zig_version": toolchain.zig_version,
        "usegolib_version": __version__,
        "library": {"file": library.name, "sha256": sha256_file(library)},
        **schema,
    }


def _install(built: Path, final: Path) -> None:
    """Move a complete artifact into place with renames only, so that a
    reader sees the old artifact or the new one, never a mixture (between the
    two renames it sees none). A process that has the old library loaded
    keeps its mapping."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if not final.exists():
        os.replace(built, final)
        return
    old = final.parent / f".old-{final.name}-{uuid.uuid4().hex}"
    os.replace(final, old)
    try:
        os.replace(built, final)
    except OSError:
        os.replace(old, final)  # put the previous artifact back
        raise
    shutil.rmtree(old, ignore_errors=True)


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BuildError(f"{what}: cannot run {cmd[0]}: {exc}") from exc
    if done.returncode != 0:
        output = "\n".join(part for part in (done.stdout.strip(), done.stderr.strip()) if part)
        raise BuildError(f"{what} failed:\n{output}")
    return done.stdout
