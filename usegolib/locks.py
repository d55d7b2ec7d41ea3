"""Per-artifact locks: concurrent builds of one artifact happen once, and
removal never races a build."""

from __future__ import annotations

import contextlib
import time

from filelock import FileLock, Timeout

from .artifact import escape_module_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from .artifact import Platform

LOCKS = ".locks"


@contextlib.contextmanager
def artifact_lock(root: Path, module: str, version: str, plat: Platform, log: Callable[[str], None]) -> Iterator[Path]:
    """Hold the lock of one artifact; yields the file its holder writes its
    build's progress to, which a process waiting for the lock shows. The
    operating system releases the lock when its holder dies, so a killed
    build never blocks the next one."""
    name = f"{escape_module_path(module).replace('/', '%')}@{version}@{plat.tag}.lock"
    path = root / LOCKS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    record = path.with_suffix(".progress")
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log(f"waiting for another process building {module}@{version} ({path})")
        started = time.monotonic()
        _follow(lock, record, log)
        log(f"the other build of {module}@{version} finished after {time.monotonic() - started:.1f}s")
    try:
        yield record
    finally:
        lock.release()


def _follow(lock: FileLock, record: Path, log: Callable[[str], None]) -> None:
    """Wait for lock, passing on the lines its holder adds to record, and
    those it added since last looked once the lock is free (a build may
    take less than a second: its progress is still shown)."""
    shown = 0
    while True:
        try:
            lock.acquire(timeout=1.0)
            acquired = True
        except Timeout:
            acquired = False
        try:
            lines = record.read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines[shown:]:
            log(f"(the other build) {line}")
        shown = max(shown, len(lines))
        if acquired:
            return
