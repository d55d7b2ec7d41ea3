"""Where builds work: staging directories that a dead build cannot leave
behind for long."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

STAGING = ".staging"
# A staging directory whose owner we cannot check is removed after this long.
STALE_SECONDS = 24 * 3600


@contextlib.contextmanager
def staging_dir(root: Path, *, keep: bool, log: Callable[[str], None]) -> Iterator[Path]:
    """A fresh directory under root/.staging (on root's file system, so the
    finished artifact moves into place by rename), removed afterwards unless
    keep is set. Leftovers of dead builds are cleaned up first."""
    staging = root / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    remove_dead_staging(staging)
    here = staging / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    here.mkdir()
    try:
        yield here
    finally:
        if keep:
            log(f"keeping the build directory {here} (USEGOLIB_KEEP_BUILD=1)")
        else:
            shutil.rmtree(here, ignore_errors=True)


def remove_dead_staging(staging: Path) -> None:
    for entry in staging.iterdir():
        if _owner_is_gone(entry):
            shutil.rmtree(entry, ignore_errors=True)


def _owner_is_gone(entry: Path) -> bool:
    """A staging directory is named after the pid of its build; it is stale
    when that process is gone, or (pids get reused) when it is very old."""
    try:
        if time.time() - entry.stat().st_mtime > STALE_SECONDS:
            return True
    except OSError:
        return False
    pid_text = entry.name.split("-", 1)[0]
    if not pid_text.isdigit() or sys.platform == "win32":
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, owned by someone else
    return False
