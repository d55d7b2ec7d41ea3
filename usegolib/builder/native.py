"""Building the native crossing (runtime/_native.c): a CPython extension
compiled with the C compiler of the builds (Zig) against the running
Python's headers, for this machine or, for a generated project's wheels,
for another platform (on the limited API, abi3)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from ..artifact import host_platform
from ..errors import BuildError, ToolchainNotFoundError
from .toolchain import find_cc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..artifact import Platform, StrPath


def build_native(
    source: StrPath, target: StrPath, limited_api: tuple[int, int] | None, plat: Platform | None = None
) -> Path:
    """Compile source into the extension target, atomically, for plat (this
    machine by default): for the limited API of Python limited_api (major,
    minor) and later, or (None) for the running Python only."""
    source, target = Path(source), Path(target)
    plat = plat or host_platform()
    if plat.goos == "windows":
        # Linking an extension needs python3.lib there, which Zig lacks.
        raise ToolchainNotFoundError("the native crossing is not built for Windows: calls go through ctypes")
    if limited_api is not None and sys.version_info < limited_api:
        raise ToolchainNotFoundError(
            "the native crossing for the limited API of Python {}.{} needs that Python's headers".format(*limited_api)
        )
    include = Path(sysconfig.get_paths()["include"])
    if not (include / "Python.h").is_file():
        raise ToolchainNotFoundError(f"no Python.h in {include}: install Python's headers (e.g. python3-dev)")
    cc, _ = find_cc(plat)
    flags = ["-shared", "-fPIC", "-O2", "-s", f"-I{include}"]
    if limited_api is not None:
        flags.append("-DPy_LIMITED_API=0x{:02X}{:02X}0000".format(*limited_api))
    # The library's own name, which the linker would take from the temporary
    # output path: a fixed one keeps builds alike and the path out of them.
    if plat.goos == "darwin":
        flags += ["-undefined", "dynamic_lookup"]  # Python's symbols come from the process
        flags.append("-Wl,-install_name,@rpath/_native.so")
    else:
        # dlopen lives in libdl before glibc 2.34 (the wheels' baseline).
        flags += ["-Wl,-soname,_native.so", "-ldl"]
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written under a fixed name (macOS signs a library under its file
    # name) in a directory beside target, which it then replaces whole.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".native-") as tmp:
        output = Path(tmp) / "_native.so"
        done = subprocess.run(
            [*shlex.split(cc), *flags, "-o", str(output), str(source)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise BuildError(f"compiling {source.name} for {plat.tag} failed:\n{done.stderr}")
        os.replace(output, target)
    return target
