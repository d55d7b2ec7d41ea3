"""What a build depends on, and whether an artifact is still up to date.

Every check returns a reason, so that a user asking "why did it rebuild?"
finds the answer in the build log rather than in the code.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .._version import __version__
from ..artifact import Platform

# Flags of the final link: no build id and no symbol table make the library
# smaller and reproducible; Go's own tables (function names, file:line for
# panic stacks) are kept.
LDFLAGS = "-s -w -buildid="


def build_inputs(*, go_version: str, cc: str, shim: str, plat: Platform) -> dict[str, str]:
    """Everything but the module's own files that shapes a build."""
    return {
        "usegolib": __version__,
        "go": go_version,
        "cc": cc,
        "shim": shim,
        "platform": plat.tag,
        "ldflags": LDFLAGS,
    }


def module_files(root: Path) -> Iterator[Path]:
    """Every file Go could read when building the module: its whole tree but
    version-control and hidden directories and nested modules, which are
    separate modules. Sorted, so the fingerprint is stable."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith((".", "_")) and not (here / d / "go.mod").is_file()
        )
        for name in sorted(filenames):
            if not name.startswith("."):
                yield here / name


_LOCAL_REPLACE = re.compile(r"=>\s*\"?(\.{1,2}(?:/[^\s\"]*)?)\"?")


def source_directories(root: Path) -> list[Path]:
    """The module's directory and the local directories its go.mod replaces
    modules with: their files are inputs too."""
    dirs = [root]
    try:
        go_mod = (root / "go.mod").read_text(encoding="utf-8")
    except OSError:
        return dirs
    for match in _LOCAL_REPLACE.finditer(go_mod):
        target = (root / match.group(1)).resolve()
        if target.is_dir() and target not in dirs:
            dirs.append(target)
    return dirs


def sources_fingerprint(root: Path) -> str:
    """Hash of the names and contents of every source file of a local module
    (and of the modules it replaces with local directories)."""
    h = hashlib.sha256()
    for directory in source_directories(root):
        h.update(f"dir {directory}\0".encode())
        for path in module_files(directory):
            h.update(path.relative_to(directory).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def fingerprint(inputs: Mapping[str, str], sources: str | None) -> str:
    """One hash of all inputs; equal fingerprints mean the same module files
    built by the same tools with the same options."""
    return hashlib.sha256(json.dumps({"inputs": dict(inputs), "sources": sources}, sort_keys=True).encode()).hexdigest()


_NAMES = {
    "usegolib": "usegolib version",
    "go": "Go version",
    "cc": "C compiler",
    "shim": "usegolib Go shim",
    "platform": "target platform",
    "ldflags": "link flags",
}


def stale_reason(manifest: dict[str, Any], inputs: Mapping[str, str] | None, sources: str | None) -> str | None:
    """Why an artifact needs rebuilding, or None when it is up to date.
    inputs=None skips the tool checks (no toolchain to compare with)."""
    if sources is not None and manifest.get("sources") != sources:
        return "the module's source files changed"
    if inputs is not None:
        built = manifest.get("inputs") or {}
        for key, value in inputs.items():
            if built.get(key) != value:
                return f"the {_NAMES.get(key, key)} changed ({built.get(key)!r} -> {value!r})"
    return None
