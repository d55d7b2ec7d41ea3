"""The Go half of usegolib: locating its sources and building the generator."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..artifact import tools_dir
from ..errors import BuildError
from .toolchain import Toolchain

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def shim_dir() -> Path:
    """The shim module: package data in an installed wheel, or the source
    tree's go_shim/ in a checkout (editable install)."""
    for candidate in (_PACKAGE_DIR / "_go_shim", _PACKAGE_DIR.parent / "go_shim"):
        if (candidate / "go.mod").is_file():
            return candidate
    raise BuildError(
        f"the usegolib Go shim is missing from {_PACKAGE_DIR}; reinstall usegolib (the wheel ships it as package data)"
    )


def shim_digest(shim: Path) -> str:
    """A content hash of the shim's sources: any change rebuilds the
    generator and changes every build fingerprint."""
    h = hashlib.sha256()
    for path in sorted(shim.rglob("*")):
        if path.suffix in (".go", ".tmpl", ".mod") and "testdata" not in path.parts:
            h.update(path.relative_to(shim).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def generator(toolchain: Toolchain, shim: Path, digest: str) -> Path:
    """The usegolib-gen program for this shim and Go version, built once and
    cached; it always runs on the build machine, whatever the target."""
    key = hashlib.sha256(f"{digest}\0{toolchain.go_version}".encode()).hexdigest()[:16]
    suffix = ".exe" if sys.platform == "win32" else ""
    target = tools_dir() / f"usegolib-gen-{key}{suffix}"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **toolchain.go_env, "CGO_ENABLED": "0", "GOWORK": "off", "GOFLAGS": "-mod=mod"}
    for var in ("GOOS", "GOARCH"):
        env.pop(var, None)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".gen-", suffix=suffix)
    os.close(fd)
    try:
        done = subprocess.run(
            [toolchain.go, "build", "-trimpath", "-o", tmp, "./cmd/usegolib-gen"],
            cwd=shim,
            env=env,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
        if done.returncode != 0:
            raise BuildError(f"building the usegolib generator failed:\n{done.stderr}")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
