"""The Go libraries the benchmarks call, built by the run itself under
.cache/bench/ and rebuilt only when their inputs change: the usegolib
artifact of benchmarks/gomod, the raw cgo library of benchmarks/raw, and
(for the baseline rows) usegolib 0.1.0 in a venv of its own."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .model import RECORD

REPO = Path(__file__).resolve().parents[2]
BENCHMARKS = REPO / "benchmarks"
GOMOD = BENCHMARKS / "gomod"
RAW = BENCHMARKS / "raw"
RAW_EXTENSION = BENCHMARKS / "rawext"  # not in raw/: cgo would compile it into libraw
LEGACY_SCRIPT = BENCHMARKS / "legacy_bench.py"
CACHE = REPO / ".cache" / "bench"
ARTIFACTS = CACHE / "artifacts"
MODULE = "example.com/benchmod"
LEGACY_VERSION = "0.1.0"
LEGACY_VENV = CACHE / "legacy-venv"
LEGACY_ARTIFACTS = CACHE / "legacy-artifacts"

Log = Callable[[str], None]


def log_stderr(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def use_repo_caches() -> None:
    """Go's, Zig's and usegolib's caches under the repository's .cache/, as
    the test suite has them (conftest.py): repeated runs are warm and the
    user's own caches are left alone."""
    for variable, directory in (
        ("GOCACHE", "go-build"),
        ("ZIG_GLOBAL_CACHE_DIR", "zig"),
        ("USEGOLIB_CACHE_DIR", "usegolib"),
    ):
        os.environ.setdefault(variable, str(REPO / ".cache" / directory))


def build_benchmod(log: Log) -> Path:
    """The artifact root holding example.com/benchmod, up to date: usegolib
    itself decides whether anything changed."""
    from usegolib.builder import build_module

    build_module(GOMOD, ARTIFACTS, log=lambda message: log(f"benchmod: {message}"))
    return ARTIFACTS


def load_benchmod(root: Path) -> Any:
    import usegolib

    return usegolib.import_(MODULE, artifact_dir=root)


def build_raw(log: Log) -> Path:
    """libraw.so from benchmarks/raw, built with the C compiler and Go that
    usegolib builds with, so that only the bridge differs."""
    from usegolib.artifact import host_platform
    from usegolib.builder.toolchain import find_toolchain

    plat = host_platform()
    toolchain = find_toolchain(plat)
    target = CACHE / "libraw.so"
    digest = _files_digest(RAW, extra=f"{toolchain.go_version}\0{toolchain.cc}")
    stamp = CACHE / "libraw.stamp"
    if target.is_file() and _read(stamp) == digest:
        return target
    log("building the raw ctypes library (benchmarks/raw)")
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = CACHE / f"libraw.{os.getpid()}.tmp.so"
    done = subprocess.run(
        [toolchain.go, "build", "-buildmode=c-shared", "-trimpath", "-o", str(partial), "."],
        cwd=RAW,
        env=toolchain.env(plat),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"building benchmarks/raw failed:\n{done.stderr}")
    os.replace(partial, target)
    partial.with_suffix(".h").unlink(missing_ok=True)
    stamp.write_text(digest, encoding="utf-8")
    return target


def load_raw(path: Path) -> ctypes.CDLL:
    """The raw library with the C signatures of its exports. CDLL (not
    PyDLL) releases the GIL around each call, as usegolib's loader does."""
    lib = ctypes.CDLL(str(path))
    signatures: dict[str, tuple[list[Any], Any]] = {
        "AddInt": ([ctypes.c_longlong, ctypes.c_longlong], ctypes.c_longlong),
        "EchoBytes": ([ctypes.c_void_p, ctypes.c_longlong, ctypes.c_void_p], None),
        "SumFloats": ([ctypes.c_void_p, ctypes.c_longlong], ctypes.c_double),
        "Burn": ([ctypes.c_longlong], ctypes.c_longlong),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = restype
    return lib


# The raw exports the hand-written extension calls, in set_exports' order.
RAW_EXTENSION_EXPORTS = ("AddInt", "EchoBytes", "Upper")


def build_raw_extension(log: Log) -> Path:
    """benchmarks/rawext/rawext.c, the hand-written CPython extension calling
    libraw's exports, built with the C compiler usegolib builds with against
    this Python's headers."""
    import shlex
    import sysconfig

    from usegolib.artifact import host_platform
    from usegolib.builder.toolchain import find_cc

    cc, _ = find_cc(host_platform())
    include = sysconfig.get_paths()["include"]
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = CACHE / f"rawext{suffix}"
    digest = _files_digest(RAW_EXTENSION, extra=f"{cc}\0{include}")
    stamp = CACHE / f"rawext{suffix}.stamp"
    if target.is_file() and _read(stamp) == digest:
        return target
    log("building the hand-written extension (benchmarks/rawext/rawext.c)")
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = CACHE / f"rawext.{os.getpid()}.tmp{suffix}"
    source = RAW_EXTENSION / "rawext.c"
    command = [*shlex.split(cc), "-shared", "-fPIC", "-O2", f"-I{include}", "-o", str(partial), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"building benchmarks/rawext/rawext.c failed:\n{done.stderr}")
    os.replace(partial, target)
    stamp.write_text(digest, encoding="utf-8")
    return target


def load_raw_extension(path: Path, raw: ctypes.CDLL) -> Any:
    """The hand-written extension, pointed at raw's exports."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("rawext", path)
    assert spec is not None and spec.loader is not None
    extension = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extension)
    extension.set_exports(*(ctypes.cast(getattr(raw, name), ctypes.c_void_p).value for name in RAW_EXTENSION_EXPORTS))
    return extension


class ProxyUnavailableError(Exception):
    """A row needs modules from the Go module proxy, which did not answer:
    the row is skipped with this reason."""


class LegacyUnavailableError(Exception):
    """usegolib 0.1.0 could not be installed or could not build: the rows
    comparing with it are skipped with this reason."""


def run_legacy(calls: int, batches: int, log: Log) -> dict[str, Any]:
    """Timings of usegolib 0.1.0 calling benchmarks/gomod, measured by
    benchmarks/legacy_bench.py in 0.1.0's own venv."""
    python = _legacy_python(log)
    zig = _venv_output(python, "import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), 'zig'))")
    if not Path(zig).is_file():
        # Without it 0.1.0 would download Zig from the web.
        raise LegacyUnavailableError(f"the ziglang wheel of {LEGACY_VENV} has no zig binary at {zig}")
    env = _clean_env(USEGOLIB_ZIG=zig)
    args = ["--module", str(GOMOD), "--out", str(LEGACY_ARTIFACTS), "--calls", str(calls), "--batches", str(batches)]
    args += ["--record", json.dumps(RECORD)]  # the same record as the current version's row
    log(f"timing usegolib {LEGACY_VERSION} (builds benchmod with it when its sources changed)")
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            [str(python), "-I", str(LEGACY_SCRIPT), *args],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise LegacyUnavailableError(f"legacy_bench.py failed: {_last_line(done.stderr)}")
    report = json.loads(done.stdout)
    if "error" in report:
        raise LegacyUnavailableError(report["error"])
    return report


def _legacy_python(log: Log) -> Path:
    """The venv with usegolib 0.1.0 and ziglang, made once."""
    python = LEGACY_VENV / "bin" / "python"
    marker = LEGACY_VENV / ".bench-installed"
    if python.is_file() and _read(marker) == LEGACY_VERSION:
        return python
    log(f"installing usegolib {LEGACY_VERSION} into {LEGACY_VENV}")
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    steps = (
        [sys.executable, "-m", "venv", "--clear", str(LEGACY_VENV)],
        [*pip, f"usegolib=={LEGACY_VERSION}", "ziglang"],
    )
    for step in steps:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        with tempfile.TemporaryDirectory() as scratch:
            done = subprocess.run(step, cwd=scratch, env=env, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            raise LegacyUnavailableError(f"cannot install usegolib {LEGACY_VERSION}: {_last_line(done.stderr)}")
    marker.write_text(LEGACY_VERSION, encoding="utf-8")
    return python


def _venv_output(python: Path, code: str) -> str:
    done = subprocess.run(
        [str(python), "-I", "-c", code], env=_clean_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise LegacyUnavailableError(f"the legacy venv is broken: {_last_line(done.stderr)}")
    return done.stdout.strip()


# What the legacy interpreter may see of this process's environment: the
# tools' settings and the network's, nothing Python-specific (PYTHONPATH
# would put this checkout's usegolib first).
_PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR")
_PASSED_PREFIXES = ("GO", "ZIG_", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _PASSED_THROUGH or k.startswith(_PASSED_PREFIXES)}
    env.update(extra)
    return env


def _files_digest(directory: Path, *, extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        h.update(path.relative_to(directory).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"
