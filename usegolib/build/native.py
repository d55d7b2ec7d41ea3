"""Building the native crossing (runtime/_native.c) for this machine: a
CPython extension on the limited API of Python 3.10 (abi3), compiled with
the C compiler of the builds (Zig) against the running Python's headers."""

from __future__ import annotations

import shlex
import subprocess
import sysconfig
from pathlib import Path

from ..artifact import host_platform
from ..errors import BuildError, ToolchainNotFoundError
from .toolchain import find_cc
from .workspace import replaced_on_success

# The oldest Python the extension serves: its limited API.
LIMITED_API = "0x030A0000"


def build_native(source: Path, target: Path) -> Path:
    """Compile source into the extension target, atomically."""
    plat = host_platform()
    if plat.goos == "windows":
        # Linking an extension needs python3.lib there, which Zig lacks.
        raise ToolchainNotFoundError("the native crossing is not built on Windows: calls go through ctypes")
    include = Path(sysconfig.get_paths()["include"])
    if not (include / "Python.h").is_file():
        raise ToolchainNotFoundError(f"no Python.h in {include}: install Python's headers (e.g. python3-dev)")
    cc, _ = find_cc(plat)
    flags = ["-shared", "-fPIC", "-O2", f"-DPy_LIMITED_API={LIMITED_API}", f"-I{include}"]
    if plat.goos == "darwin":
        flags += ["-undefined", "dynamic_lookup"]  # Python's symbols come from the process
    with replaced_on_success(target, ".native-") as tmp:
        done = subprocess.run(
            [*shlex.split(cc), *flags, "-o", tmp, str(source)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise BuildError(f"compiling {source.name} failed:\n{done.stderr}")
    return target
