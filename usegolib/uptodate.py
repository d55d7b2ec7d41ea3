"""Whether a local module's artifact is still up to date, without the full
check when nothing that check looked at changed.

The full check (runtime/locate.py) hashes the module's sources, finds Go
and Zig and their versions, and digests usegolib's Go shim: on every
import of a local module, a couple of milliseconds and the builder's
modules to import. Run with a witness (usegolib/witness.py), every
question it asks of the file system and the environment is noted with its
answer: a path's identity (mode, device, inode, size, mtime and ctime;
None when it is missing), whether a path is a file, a directory or an
executable, where a link leads, where a package lies, an environment
variable. When the check finds the artifact fresh, the questions and
answers are remembered beside it (UP_TO_DATE, in usegolib/remembered.py's
format), with what the check compared them against: the source directory,
the manifest's sources and inputs, the instantiations wanted, usegolib's
version and installation. The next check (still_up_to_date) asks the same
questions again: the same answers mean the full check would read the same
bytes and come to the same conclusion. Any other answer, or a missing or
damaged record, runs the full check, which remembers anew.

A file's identity stands for its content: any write changes its ctime,
which no user can set (as for .verified). A directory's stands for its
listing: adding, removing or renaming an entry changes its mtime and
ctime.

This module is what every import of a local module runs: plain os calls,
no builder, nothing to import.
"""

from __future__ import annotations

import os
import sys

from . import remembered
from ._version import __version__
from .artifact import tools_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .artifact import StrPath

# In the artifact directory: what the last check that found it fresh asked
# and was told (docs/security.md).
UP_TO_DATE = ".up-to-date"
# Bumped when what a record holds, or how its questions are asked, changes.
FORMAT = 1
# Which usegolib answered: another installation has its own shim and code.
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def still_up_to_date(artifact: str, source: str, manifest: dict[str, Any], wanted: list[dict[str, Any]]) -> bool:
    """Whether a check of artifact (built from source, described by
    manifest, with the instantiations wanted) found it fresh and every
    answer that check depended on is still the same."""
    record = remembered.read(os.path.join(artifact, UP_TO_DATE))
    if not isinstance(record, dict) or record.get("key") != record_key(source, manifest, wanted):
        return False
    asked = record.get("asked")
    try:
        return isinstance(asked, dict) and bool(asked) and answered_alike(asked)
    except (KeyError, TypeError, ValueError):  # a damaged record
        return False


def record_key(source: StrPath, manifest: dict[str, Any], wanted: list[dict[str, Any]]) -> list[Any]:
    """What the check compared its answers against."""
    return [
        FORMAT,
        __version__,
        PACKAGE_DIR,
        os.fspath(source),
        wanted,
        manifest.get("sources"),
        manifest.get("inputs"),
    ]


def answered_alike(asked: dict[str, list[tuple[str, Any]]]) -> bool:
    """Whether each question (by kind: ASK) gets the answer noted with it."""
    for kind, questions in asked.items():
        if kind == "stat":
            if not _identities_alike(questions):
                return False
            continue
        ask = ASK[kind]
        for argument, answer in questions:
            if ask(argument) != answer:
                return False
    return True


def _identities_alike(questions: list[tuple[str, tuple[int, ...] | None]]) -> bool:
    """identity asked of each path, inline: most questions are these (a
    source checkout's go_shim/ alone has a hundred files and directories)."""
    stat = os.stat
    for path, answer in questions:
        try:
            st = stat(path)
        except (OSError, ValueError):
            if answer is not None:
                return False
            continue
        if answer != (st.st_mode, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns):
            return False
    return True


def identity_of(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_mode, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def identity(path: str) -> tuple[int, ...] | None:
    """path's identity, links followed; None when it is missing."""
    try:
        return identity_of(os.stat(path))
    except (OSError, ValueError):
        return None


def link_identity(path: str) -> tuple[int, ...] | None:
    try:
        return identity_of(os.lstat(path))
    except (OSError, ValueError):
        return None


def executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def environment(name: str) -> str | None:
    return os.environ.get(name)


def imported(name: str) -> bool:
    return name in sys.modules


def search_path(_: str) -> list[str]:
    return list(sys.path)


def package_locations(name: str) -> list[str] | None:
    """The directories of package name as importlib's PathFinder finds it
    along sys.path (as importlib.util.find_spec would, without importing
    importlib.util); None without such a package."""
    import importlib.machinery  # the runtime's native crossing has imported it already

    spec = importlib.machinery.PathFinder.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return list(spec.submodule_search_locations)


def tools_directory(_: str) -> str:
    return tools_dir()


# Each kind of question, asked the same way by the witness and by the next check.
ASK: dict[str, Callable[[str], Any]] = {
    "env": environment,
    "stat": identity,
    "lstat": link_identity,
    "isfile": os.path.isfile,
    "isdir": os.path.isdir,
    "executable": executable,
    "realpath": os.path.realpath,
    "imported": imported,
    "package": package_locations,
    "sys.path": search_path,
    "tools": tools_directory,
}
