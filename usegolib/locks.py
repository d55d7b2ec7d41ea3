"""Per-artifact locks: concurrent builds of one artifact happen once, and
removal never races a build."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from .artifact import Platform, escape_module_path

LOCKS = ".locks"


@contextlib.contextmanager
def artifact_lock(root: Path, module: str, version: str, plat: Platform, log: Callable[[str], None]) -> Iterator[None]:
    """Hold the lock of one artifact. The operating system releases it when
    its holder dies, so a killed build never blocks the next one."""
    name = f"{escape_module_path(module).replace('/', '%')}@{version}@{plat.tag}.lock"
    path = root / LOCKS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log(f"waiting for another process building {module}@{version} ({path})")
        started = time.monotonic()
        lock.acquire()
        log(f"the other build of {module}@{version} finished after {time.monotonic() - started:.1f}s")
    try:
        yield
    finally:
        lock.release()
