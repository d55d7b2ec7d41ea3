"""The native crossing (issue 19; runtime/_native.c): the bridge's entry
points as built-in functions of a small CPython extension instead of
ctypes functions, which cost a converter object per argument and a frame
of their own. Loaded once per process; None where it cannot be had (no
Zig to build it, a platform it is not built for, USEGOLIB_NATIVE=0): the
library then calls through ctypes, with the same results.

The extension is built from _native.c once per usegolib and platform into
the tools directory (build/native.py), against the limited API of Python
3.10, so that one build serves every Python of the machine."""

from __future__ import annotations

import functools
import hashlib
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

SOURCE = Path(__file__).with_name("_native.c")
# bind()'s kind of usegolib_call; kinds 0..4 are usegolib_call_ints0..4.
KIND_CALL = 5  # must match _native.c
# USEGOLIB_NATIVE=0 (or off, false) keeps every call on ctypes.
_OFF = ("0", "off", "false", "no")


@functools.cache
def module() -> ModuleType | None:
    """The extension, or None: the ctypes crossing then."""
    return _load()


def enabled() -> bool:
    return os.environ.get("USEGOLIB_NATIVE", "").strip().lower() not in _OFF


def _load() -> ModuleType | None:
    if not enabled():
        return None
    path = cached_path()
    if not path.is_file() and not _build(path):
        return None
    try:
        spec = importlib.util.spec_from_file_location(
            f"{__package__}._native",
            path,
            loader=importlib.machinery.ExtensionFileLoader(f"{__package__}._native", str(path)),
        )
        assert spec is not None and spec.loader is not None
        loaded = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(loaded)
    except (ImportError, OSError):
        return None  # a broken build is no reason to fail a call: ctypes serves
    return loaded


def cached_path() -> Path:
    """Where the extension of this usegolib (its C source) and platform is."""
    from ..artifact import host_platform, tools_dir

    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:16]
    suffix = ".pyd" if sys.platform == "win32" else ".so"
    return tools_dir() / f"native-{digest}-{host_platform().tag}.abi3{suffix}"


def _build(path: Path) -> bool:
    """Build the extension into path where a C compiler is at hand (Zig from
    usegolib[build], or USEGOLIB_CC); quietly nothing elsewhere."""
    if not os.environ.get("USEGOLIB_CC") and importlib.util.find_spec("ziglang") is None:
        return False
    try:
        from ..build.native import build_native
    except ImportError:
        return False  # a copy of the runtime without the builder (a generated project)
    from ..errors import UsegolibError

    try:
        build_native(SOURCE, path)
    except (UsegolibError, OSError):
        return False
    return True
