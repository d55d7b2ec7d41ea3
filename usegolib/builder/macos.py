"""Linking macOS libraries on any machine.

Zig cross-compiles to macOS with its own libSystem, but Go's standard
library also links Apple frameworks and libraries that only a macOS SDK has
(runtime/cgo: CoreFoundation on arm64; net: libresolv; crypto/x509:
Security). A stub of each (a text-based .tbd file naming where the library
lives on macOS) satisfies the linker: the library records the real paths as
dependencies, and with `-undefined dynamic_lookup` (as Python extension
modules link against libpython) dyld binds their symbols when macOS loads
it, from the real libraries.
"""

from __future__ import annotations

import os

from ..artifact import tools_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

# Bump when the stubs change, so that a new directory is written.
STUBS_VERSION = 1

# stub file, relative to the stubs directory -> install name on macOS.
_STUBS = {
    "libresolv.tbd": "/usr/lib/libresolv.9.dylib",
    "CoreFoundation.framework/CoreFoundation.tbd": (
        "/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation"
    ),
    "Security.framework/Security.tbd": "/System/Library/Frameworks/Security.framework/Versions/A/Security",
}

_TBD = """--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos, arm64-macos ]
install-name:    '{install_name}'
current-version: 1
compatibility-version: 1
...
"""


def link_flags() -> str:
    """CGO_LDFLAGS for a macOS target linked by Zig."""
    stubs = _stubs_dir()
    return f"-F{stubs} -L{stubs} -Wl,-undefined,dynamic_lookup"


def _stubs_dir() -> Path:
    from pathlib import Path  # only for a macOS build: this module is on the up-to-date check of every import

    directory = Path(tools_dir()) / f"macos-stubs-{STUBS_VERSION}"
    if all((directory / name).is_file() for name in _STUBS):
        return directory
    for name, install_name in _STUBS.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(_TBD.format(install_name=install_name), encoding="utf-8")
        os.replace(tmp, path)
    return directory
