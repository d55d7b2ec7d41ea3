"""Test-session environment.

Go's build cache, Zig's cache and usegolib's own cache (the generator binary)
live under the repository's ignored .cache/ unless the environment already
says otherwise, so the suite neither depends on nor pollutes the user's
caches, and repeated runs are warm.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"


def pytest_configure() -> None:
    for variable, directory in (
        ("GOCACHE", "go-build"),
        ("ZIG_GLOBAL_CACHE_DIR", "zig"),
        ("USEGOLIB_CACHE_DIR", "usegolib"),
    ):
        os.environ.setdefault(variable, str(CACHE / directory))
