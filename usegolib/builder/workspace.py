"""Where builds work: staging directories that a dead build cannot leave
behind for long."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
import uuid

from filelock import FileLock, Timeout

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

STAGING = ".staging"
LOCK = ".building.lock"
# Written once the build holds its lock: before that, another build taking
# the lock (between its creation and the owner's flock) would find it free
# and remove a live build's directory.
LOCKED = ".locked"
KEPT = ".kept"  # USEGOLIB_KEEP_BUILD=1: left for inspection, not as garbage
# A staging directory that cannot be checked is removed after this long.
STALE_SECONDS = 24 * 3600


@contextlib.contextmanager
def staging_dir(root: Path, *, keep: bool, log: Callable[[str], None]) -> Iterator[Path]:
    """A fresh directory under root/.staging (on root's file system, so the
    finished artifact moves into place by rename), removed afterwards unless
    keep is set. Leftovers of dead builds are cleaned up first.

    Each build holds a lock file inside its directory for as long as it
    runs; the operating system releases it when the build dies, however it
    dies, so a directory whose lock can be taken is a dead build's, whatever
    host or PID namespace it came from."""
    staging = root / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    remove_dead_staging(staging)
    here = staging / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    here.mkdir()
    lock = FileLock(here / LOCK)
    lock.acquire()
    (here / LOCKED).touch()
    try:
        yield here
    finally:
        if keep:
            (here / KEPT).touch()  # before the lock is free: then it looks dead
        lock.release()
        if keep:
            log(f"keeping the build directory {here} (USEGOLIB_KEEP_BUILD=1)")
        else:
            shutil.rmtree(here, ignore_errors=True)


@contextlib.contextmanager
def replaced_on_success(target: Path, prefix: str) -> Iterator[str]:
    """A temporary file beside target for a tool to write: it replaces
    target when the block ends without an exception, and is removed
    otherwise, so that target is never half-written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=target.suffix)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def remove_dead_staging(staging: Path) -> None:
    for entry in staging.iterdir():
        if _is_dead(entry):
            shutil.rmtree(entry, ignore_errors=True)


def _is_dead(entry: Path) -> bool:
    """A staging directory is a dead build's when nobody holds its lock (or,
    for one kept on purpose or not yet locked, when it is a day old)."""
    try:
        old = time.time() - entry.stat().st_mtime > STALE_SECONDS
    except OSError:
        return False
    if old:
        return True
    if (entry / KEPT).exists() or not (entry / LOCKED).exists():
        return False
    lock = FileLock(entry / LOCK)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return False  # a build is running in it
    lock.release()
    return True
