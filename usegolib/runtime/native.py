"""The native crossing (issue 19; runtime/_native.c): the bridge's entry
points as built-in functions of a small CPython extension instead of
ctypes functions, which cost a converter object per argument and a frame
of their own. Loaded once per process; None where it cannot be had (no
Zig to build it, a platform it is not built for, USEGOLIB_NATIVE=0): the
library then calls through ctypes, with the same results.

The extension is built from _native.c once per usegolib and platform into
the tools directory (builder/native.py): for Pythons from 3.12 on, against
the limited API of 3.12 (abi3: one build serves them all), the first to
have vectorcall (a call with no argument tuple); for 3.10 and 3.11, one
build per Python version, on the full API, which has it. The wheels of a
generated project carry builds for their platform on the limited APIs of
3.10 and 3.12 (shipped_path), which need no compiler."""

from __future__ import annotations

import importlib.machinery
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

    from ..artifact import Platform

SOURCE = os.path.join(os.path.dirname(__file__), "_native.c")
# bind()'s kinds of usegolib_call and of the releases (one 64-bit id, no
# result); kinds 0..4 are usegolib_call_ints0..4.
KIND_CALL, KIND_RELEASE = 5, 6  # must match _native.c
# function()'s modes: a function of integers, or of packed arguments.
MODE_INTS, MODE_PACKED = 0, 1  # must match _native.c
# The limited API the extension is built against for this Python; None:
# the full API of this Python version.
LIMITED_API = (3, 12) if sys.version_info >= (3, 12) else None
# The limited APIs a generated project's wheels carry a build of (the older
# has no vectorcall; the newer is built only where the packager's Python
# has its headers).
SHIPPED_APIS = ((3, 10), (3, 12))
# Bumped whenever builder/native.py builds differently: part of the cached
# extension's name, as its source is.
RECIPE = 5
# USEGOLIB_NATIVE=0 (or off, false) keeps every call on ctypes.
_OFF = ("0", "off", "false", "no")


# The extension once looked for: [module or None]. functools.cache would
# import functools, and the collections it imports, on every Go import.
_loaded: list[ModuleType | None] = []


def module() -> ModuleType | None:
    """The extension, or None: the ctypes crossing then. Two threads loading
    it at once load the same module object (the import system's own)."""
    if not _loaded:
        _loaded.append(_load())
    return _loaded[0]


def enabled() -> bool:
    return os.environ.get("USEGOLIB_NATIVE", "").strip().lower() not in _OFF


def _load() -> ModuleType | None:
    if not enabled():
        return None
    path = _shipped()
    if path is None:
        path = cached_path()
        if not os.path.isfile(path) and not _build(path):
            return None
    name = f"{__package__}._native"
    # What importlib.util.module_from_spec does for an extension, without
    # importing importlib.util on every import of a Go package.
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    try:
        loaded = loader.create_module(importlib.machinery.ModuleSpec(name, loader, origin=path))
        loader.exec_module(loaded)
    except (ImportError, OSError):
        return None  # a broken build is no reason to fail a call: ctypes serves
    return loaded


def shipped_path(api: tuple[int, int]) -> str:
    """Where a wheel of a generated project (`usegolib package`) carries the
    extension built for its platform and the limited API of api."""
    return os.path.join(os.path.dirname(SOURCE), "_native_cp{}{}.abi3.so".format(*api))


def _shipped() -> str | None:
    """The newest build a wheel carries that this Python can load."""
    for api in sorted(SHIPPED_APIS, reverse=True):
        if sys.version_info >= api and os.path.isfile(shipped_path(api)):
            return shipped_path(api)
    return None


def cached_path(platform: Platform | None = None, api: tuple[int, int] | None = LIMITED_API) -> str:
    """Where the extension of this usegolib (its C source) is built for
    platform (this machine's by default) and the limited API of api (None:
    the full API of this Python)."""
    from ..artifact import host_platform, tools_dir

    platform = platform or host_platform()
    digest = _source_digest(tools_dir())
    if api is None:
        tag = importlib.machinery.EXTENSION_SUFFIXES[0]  # .cpython-311-x86_64-linux-gnu.so
        return os.path.join(tools_dir(), f"native-{digest}-{platform.tag}{tag}")
    suffix = ".pyd" if platform.goos == "windows" else ".so"
    return os.path.join(tools_dir(), "native-{}-{}-cp{}{}.abi3{}".format(digest, platform.tag, *api, suffix))


def _source_digest(tools: str) -> str:
    """The digest naming builds of SOURCE and RECIPE, remembered in tools by
    the source file's identity: reading and hashing it cost every process
    a third of a millisecond. Any write to the file changes its ctime."""
    from .. import remembered

    st = os.stat(SOURCE)
    identity = [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, RECIPE]
    record = os.path.join(tools, "native-source")
    known = remembered.read(record)
    if isinstance(known, list) and len(known) == 2 and known[0] == identity and isinstance(known[1], str):
        return known[1]
    with open(SOURCE, "rb") as f:
        digest = _digest(f.read() + f"recipe {RECIPE}".encode())
    remembered.write(record, [identity, digest])
    return digest


def _digest(data: bytes) -> str:
    """A name for data among the few builds a machine keeps: CRC-32 and the
    length, since every process start computes it, and hashlib's OpenSSL
    costs milliseconds to import."""
    import zlib  # only where the source changed since its digest was remembered

    return f"{zlib.crc32(data):08x}{len(data):x}"


def _build(path: str) -> bool:
    """Build the extension into path where a C compiler is at hand (Zig from
    usegolib[build], or USEGOLIB_CC); quietly nothing elsewhere."""
    import importlib.util

    if not os.environ.get("USEGOLIB_CC") and importlib.util.find_spec("ziglang") is None:
        return False
    try:
        from ..builder.native import build_native
    except ImportError:
        return False  # a copy of the runtime without the builder (a generated project)
    from ..errors import UsegolibError

    try:
        build_native(SOURCE, path, LIMITED_API)
    except (UsegolibError, OSError):
        return False
    return True
