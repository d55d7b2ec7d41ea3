"""Content fingerprints of a local module's build inputs."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path


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


def fingerprint(root: Path, inputs: Mapping[str, str]) -> str:
    """Hash of the module's files (names and contents) and of the other build
    inputs (tool versions, options); equal fingerprints mean equal builds."""
    h = hashlib.sha256()
    for key in sorted(inputs):
        h.update(f"{key}={inputs[key]}\0".encode())
    for path in module_files(root):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()
