"""The Go libraries the benchmarks call, built by the run itself under
.cache/bench/ and rebuilt only when their inputs change: the usegolib
artifacts of benchmarks/gomod and of benchmarks/gomod1000 (1000 functions,
for the warm-import-1000 row), the raw cgo library of benchmarks/raw, (for
the baseline rows) usegolib 0.1.0 in a venv of its own, and gopy's bindings
of benchmarks/gomod."""

from __future__ import annotations

import ctypes
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from .model import RECORD

REPO = Path(__file__).resolve().parents[2]
BENCHMARKS = REPO / "benchmarks"
GOMOD = BENCHMARKS / "gomod"
# 1000 exported functions; funcs_gen.go is written by its gen/ (go generate)
# and checked in, so that the module built is the one in the repository.
GOMOD_1000 = BENCHMARKS / "gomod1000"
RAW = BENCHMARKS / "raw"
RAW_EXTENSION = BENCHMARKS / "rawext"  # not in raw/: cgo would compile it into libraw
LEGACY_SCRIPT = BENCHMARKS / "legacy_bench.py"
CACHE = REPO / ".cache" / "bench"
ARTIFACTS = CACHE / "artifacts"
MODULE = "example.com/benchmod"
MODULE_1000 = "example.com/benchmod1000"
LEGACY_VERSION = "0.1.0"
LEGACY_VENV = CACHE / "legacy-venv"
LEGACY_ARTIFACTS = CACHE / "legacy-artifacts"
GOPY = "github.com/go-python/gopy"
GOPY_VERSION = "v0.4.10"
# gopy v0.4.10 pins golang.org/x/tools v0.16.0, whose internal/tokeninternal
# does not compile on Go 1.22 or later ("invalid array length -delta *
# delta"): its copy under .cache/bench/gopy/ is built with this one instead.
GOPY_TOOLS_VERSION = "v0.36.0"
GOPY_PYBINDGEN_VERSION = "0.22.1"  # gopy's generated build.py writes the C extension with it
GOPY_CACHE = CACHE / "gopy"
GOPY_PACKAGE = "gopy_benchmod"  # the Python package gopy's bindings of benchmod are generated as

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
    return _build_local(GOMOD, "benchmod", log)


def build_benchmod_1000(log: Log) -> Path:
    """The artifact root holding example.com/benchmod1000, up to date, after
    checking that its generated functions are what its generator writes."""
    _check_generated(GOMOD_1000, "funcs_gen.go", log)
    return _build_local(GOMOD_1000, "benchmod1000", log)


def _build_local(module_dir: Path, name: str, log: Log) -> Path:
    from usegolib.builder import build_module

    build_module(module_dir, ARTIFACTS, log=lambda message: log(f"{name}: {message}"))
    return ARTIFACTS


def _check_generated(module_dir: Path, generated: str, log: Log) -> None:
    """Fails when module_dir's checked-in generated file differs from what
    `go run ./gen` writes (someone changed the generator or its template and
    did not run go generate). Checked again only when the module's files
    change."""
    from usegolib.builder.toolchain import find_go

    stamp = CACHE / f"{module_dir.name}.generated.stamp"
    digest = _files_digest(module_dir, extra="")
    if _read(stamp) == digest:
        return
    log(f"checking {module_dir.name}/{generated} against its generator")
    go, go_env = find_go()
    env = {**os.environ, **go_env, "GOPROXY": "off", "GOWORK": "off", "CGO_ENABLED": "0"}
    done = subprocess.run([go, "run", "./gen"], cwd=module_dir, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"go run ./gen in {module_dir} failed:\n{done.stderr.decode(errors='replace')}")
    if done.stdout != (module_dir / generated).read_bytes():
        raise RuntimeError(f"{module_dir / generated} is out of date: run `go generate` in {module_dir}")
    CACHE.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest, encoding="utf-8")


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


class GopyUnavailableError(Exception):
    """gopy could not be fetched or built, or its bindings of benchmod
    could not be built or imported: the rows comparing with it are skipped
    with this reason."""


class GopyBindings(NamedTuple):
    """gopy's bindings of benchmod, imported into this interpreter."""

    benchmod: Any  # gopy_benchmod.benchmod: the Python functions and classes users call
    go: Any  # gopy_benchmod.go: Go's builtin types (go.Slice_byte)
    ext: Any  # gopy_benchmod._benchmod: the C extension under benchmod's functions


def build_gopy(log: Log) -> Path:
    """The directory holding the Python package gopy_benchmod: gopy's
    bindings of benchmarks/gomod (`gopy build`), built for this interpreter
    with the Go and C compiler usegolib builds with (Zig), and rebuilt when
    benchmod, gopy, Go, the compiler or the interpreter change."""
    import sysconfig

    from usegolib.artifact import host_platform
    from usegolib.builder.toolchain import find_toolchain

    plat = host_platform()
    toolchain = find_toolchain(plat)
    tool = _gopy_tool(toolchain.go, toolchain.env(plat), toolchain.go_version, log)
    python = _gopy_python(log)
    target = GOPY_CACHE / "bindings"
    stamp = GOPY_CACHE / "bindings.stamp"
    inputs = (
        _read(GOPY_CACHE / "tool.stamp"),
        GOPY_PYBINDGEN_VERSION,
        toolchain.cc,
        sys.version,
        sysconfig.get_config_var("EXT_SUFFIX"),
        sysconfig.get_paths()["include"],
    )
    digest = _files_digest(GOMOD, extra="\0".join(str(part) for part in inputs))
    if (target / GOPY_PACKAGE).is_dir() and _read(stamp) == digest:
        return target
    log(f"building gopy {GOPY_VERSION}'s bindings of benchmarks/gomod (a minute or two)")
    started = time.perf_counter()
    staging = GOPY_CACHE / f"bindings.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    out = staging / GOPY_PACKAGE
    out.mkdir(parents=True)
    try:
        env = _gopy_env(toolchain.env(plat), tool / "bin", Path(toolchain.go).parent)
        _gopy_step(["go", "mod", "init", "gopybench"], out, env, "go mod init")
        requires = [f"-require={MODULE}@v0.0.0", f"-require={GOPY}@{GOPY_VERSION}"]
        replaces = [f"-replace={MODULE}={GOMOD}", f"-replace={GOPY}={tool / 'src'}"]
        _gopy_step(["go", "mod", "edit", *requires, *replaces], out, env, "go mod edit")
        command = ["gopy", "build", f"-vm={python}", "-output=.", "-no-make", MODULE]
        _gopy_step(command, out, env, "gopy build", timeout=1800)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    stamp.write_text(digest, encoding="utf-8")
    log(f"built gopy's bindings in {time.perf_counter() - started:.0f} s")
    return target


def load_gopy(directory: Path) -> GopyBindings:
    """gopy's bindings, imported from directory (put on sys.path)."""
    if str(directory) not in sys.path:
        sys.path.append(str(directory))
    try:
        modules = [importlib.import_module(f"{GOPY_PACKAGE}.{name}") for name in ("benchmod", "go", "_benchmod")]
    except ImportError as exc:
        raise GopyUnavailableError(f"importing gopy's bindings failed: {exc}") from exc
    return GopyBindings(*modules)


def _gopy_tool(go: str, go_env: dict[str, str], go_version: str, log: Log) -> Path:
    """gopy and goimports (which gopy runs), built once from gopy's module
    with golang.org/x/tools raised to GOPY_TOOLS_VERSION."""
    target = GOPY_CACHE / "tool"
    stamp = GOPY_CACHE / "tool.stamp"
    key = f"{GOPY}@{GOPY_VERSION}\0x/tools@{GOPY_TOOLS_VERSION}\0{go_version}"
    if (target / "bin" / "gopy").is_file() and _read(stamp) == key:
        return target
    log(f"building gopy {GOPY_VERSION} with golang.org/x/tools {GOPY_TOOLS_VERSION}")
    staging = GOPY_CACHE / f"tool.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    source = staging / "src"
    env = {**go_env, "GOFLAGS": f"{go_env.get('GOFLAGS', '')} -mod=mod".strip()}
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        download = [go, "mod", "download", "-json", f"{GOPY}@{GOPY_VERSION}"]
        downloaded = _gopy_step(download, CACHE, env, f"go mod download {GOPY}@{GOPY_VERSION}")
        shutil.copytree(json.loads(downloaded)["Dir"], source)
        for path in (source, *source.rglob("*")):  # the module cache's copy is read-only
            path.chmod(path.stat().st_mode | 0o200)
        _gopy_step([go, "get", f"golang.org/x/tools@{GOPY_TOOLS_VERSION}"], source, env, "go get")
        _gopy_step([go, "mod", "tidy"], source, env, "go mod tidy")
        bin_dir = staging / "bin"
        _gopy_step([go, "build", "-o", str(bin_dir / "gopy"), "."], source, env, "go build (gopy)")
        goimports = "golang.org/x/tools/cmd/goimports"
        _gopy_step([go, "build", "-o", str(bin_dir / "goimports"), goimports], source, env, "go build (goimports)")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    stamp.write_text(key, encoding="utf-8")
    return target


def _gopy_python(log: Log) -> Path:
    """A venv of this interpreter with pybindgen, made once: gopy runs the
    build.py it generates with it, and compiles against its headers."""
    import sysconfig

    venv = GOPY_CACHE / "venv"
    python = venv / "bin" / "python"
    marker = venv / ".bench-installed"
    key = f"pybindgen=={GOPY_PYBINDGEN_VERSION}\0{sys.version}\0{sysconfig.get_config_var('EXT_SUFFIX')}"
    if python.is_file() and _read(marker) == key:
        return python
    log(f"installing pybindgen {GOPY_PYBINDGEN_VERSION} into {venv}")
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    steps = (
        ([sys.executable, "-m", "venv", "--clear", str(venv)], "python -m venv"),
        ([*pip, f"pybindgen=={GOPY_PYBINDGEN_VERSION}"], "pip install pybindgen"),
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    for command, what in steps:
        with tempfile.TemporaryDirectory() as scratch:
            _gopy_step(command, Path(scratch), env, what, timeout=600)
    marker.write_text(key, encoding="utf-8")
    return python


def _gopy_env(env: dict[str, str], *bin_dirs: Path) -> dict[str, str]:
    """env with gopy, goimports and go first on PATH (gopy runs them by
    name), and nothing that would change the venv interpreter's imports."""
    path = os.pathsep.join([*(str(d) for d in bin_dirs), env.get("PATH", "")])
    return {**{k: v for k, v in env.items() if k not in ("PYTHONPATH", "PYTHONHOME")}, "PATH": path}


def _gopy_step(command: list[str], cwd: Path, env: dict[str, str], what: str, *, timeout: float = 900) -> str:
    """command's stdout; GopyUnavailableError naming what failed and the
    first line of its error."""
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GopyUnavailableError(f"{what} failed: {exc}") from exc
    if done.returncode != 0:
        raise GopyUnavailableError(f"{what} failed: {_error_line(done)}")
    return done.stdout


# A line saying what went wrong, among a command's progress lines.
_ERROR_WORDS = re.compile(
    r"error|fail|cannot|can't|could not|not found|no such|invalid|refused|denied|:\d+:\d+: ", re.I
)


def _error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The first line of a failed command's error: `go mod download -json`
    puts it in its JSON; gopy prints the output of the command it ran after
    "cmd had error" on stdout (a Python traceback's last line is its
    error); otherwise the first line saying what went wrong, in stderr, then
    stdout."""
    try:
        return str(json.loads(done.stdout)["Error"]).splitlines()[0]
    except (ValueError, KeyError, TypeError, IndexError):
        pass
    _, marker, gopy_output = done.stdout.partition("cmd had error")
    for text in (gopy_output if marker else "", done.stderr, done.stdout):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if text is gopy_output:
            lines = lines[1:]  # "cmd had error: exit status 1  output:"
        if lines and "Traceback (most recent call last)" in lines[0]:  # gopy may prefix an "o"
            return lines[-1]
        if lines:
            return next((line for line in lines if _ERROR_WORDS.search(line)), lines[0])
    return f"exit status {done.returncode}"


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
