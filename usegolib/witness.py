"""The witness of a full up-to-date check: it answers the check's questions
as os, os.path and sys would and notes each answer, so that a check that
finds an artifact fresh can leave what it depended on for the next one
(usegolib/uptodate.py, which asks the questions again).

Nothing is remembered where an answer may not stand for the next check:
an answer that changed while the check ran, a ctime so recent that a
second write in the same clock tick could keep every field, an answer
that came from running a program (a version manager's script standing for
go) or from this process's state (an imported ziglang), a read-only
artifact directory, and Windows, whose ctime is the creation time.
"""

from __future__ import annotations

import os
import sys
import time

from . import remembered, uptodate
from .artifact import writable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from .artifact import StrPath

    Answer = TypeVar("Answer")

# A file system stamps ctime from a clock that lags the time of day by up
# to a tick, some (FAT, HFS+, older ext4) in whole seconds, and a network
# one from its server's clock: a ctime this close to the check's start may
# be shared by a write that comes after the check read the file.
FINE_MARGIN_NS = 1_000_000_000
WHOLE_SECONDS_MARGIN_NS = 3_000_000_000


class Witness:
    """Answers an up-to-date check's questions, noting each answer;
    UNNOTED answers without noting (builds)."""

    def __init__(self, *, noting: bool = True) -> None:
        self._noting = noting
        self._answers: dict[tuple[str, str], Any] = {}
        self._doubt: str | None = None
        if os.name == "nt":
            self.doubt("on Windows ctime is the creation time: an edit that keeps size and mtime would go unseen")
        self._started = time.time_ns()

    def doubt(self, why: str) -> None:
        """The answers cannot stand for the check: nothing is remembered."""
        if self._noting and self._doubt is None:
            self._doubt = why

    def env(self, name: str) -> str | None:
        return self._noted("env", name, uptodate.environment(name))

    def identity(self, path: StrPath) -> tuple[int, ...] | None:
        """Noted before a file is read or a directory listed, so that a
        change while it is read shows as another identity."""
        path = os.fspath(path)
        return self._noted("stat", path, uptodate.identity(path))

    def stat(self, path: StrPath) -> os.stat_result:
        """os.stat(path)."""
        return self._stat("stat", os.stat, os.fspath(path))

    def lstat(self, path: StrPath) -> os.stat_result:
        """os.lstat(path)."""
        return self._stat("lstat", os.lstat, os.fspath(path))

    def _stat(self, kind: str, stat: Callable[[str], os.stat_result], path: str) -> os.stat_result:
        try:
            st = stat(path)
        except OSError:
            self._noted(kind, path, None)
            raise
        self._noted(kind, path, uptodate.identity_of(st))
        return st

    def isfile(self, path: StrPath) -> bool:
        path = os.fspath(path)
        return self._noted("isfile", path, os.path.isfile(path))

    def isdir(self, path: StrPath) -> bool:
        path = os.fspath(path)
        return self._noted("isdir", path, os.path.isdir(path))

    def executable(self, path: StrPath) -> bool:
        path = os.fspath(path)
        return self._noted("executable", path, uptodate.executable(path))

    def realpath(self, path: StrPath) -> str:
        path = os.fspath(path)
        return self._noted("realpath", path, os.path.realpath(path))

    def imported(self, name: str) -> bool:
        return self._noted("imported", name, uptodate.imported(name))

    def package_locations(self, name: str) -> list[str] | None:
        """Where package name lies (without importing it)."""
        return self._noted("package", name, uptodate.package_locations(name))

    def tools_dir(self) -> str:
        return self._noted("tools", "", uptodate.tools_directory(""))

    def search_path(self) -> None:
        """Noted before Python looks for a distribution along sys.path:
        the list, and each directory's listing."""
        self._noted("sys.path", "", uptodate.search_path(""))
        for entry in sys.path:
            if isinstance(entry, str):
                self.identity(entry or ".")  # "" is the current directory

    def _noted(self, kind: str, argument: str, answer: Answer) -> Answer:
        if self._noting and self._answers.setdefault((kind, argument), answer) != answer:
            self.doubt(f"{kind} {argument!r} changed while it was checked")
        return answer

    def remember(self, artifact: str, source: str, manifest: dict[str, Any], wanted: list[dict[str, Any]]) -> None:
        """Remember beside artifact, which the check found fresh, what it
        asked and was told (usegolib/uptodate.py); nothing when an answer
        may not stand for the next check, or in a read-only artifact
        directory."""
        if not self._noting or self._doubt is not None or not self._settled():
            return
        asked: dict[str, list[tuple[str, Any]]] = {}
        for (kind, argument), answer in self._answers.items():
            asked.setdefault(kind, []).append((argument, answer))
        # Asked again: an answer that changed since the check asked it.
        if asked and uptodate.answered_alike(asked) and writable(artifact):
            record = {"key": uptodate.record_key(source, manifest, wanted), "asked": asked}
            try:  # noqa: SIM105 - contextlib stays off the import of a Go package
                remembered.write(os.path.join(artifact, uptodate.UP_TO_DATE), record)
            except ValueError:  # an answer marshal cannot hold (a pathlib.Path on sys.path): asked in full
                pass

    def _settled(self) -> bool:
        """Whether every identity's ctime is old enough that a later write
        could not share it."""
        for (kind, _), answer in self._answers.items():
            if kind in ("stat", "lstat") and answer is not None:
                ctime = answer[5]
                margin = WHOLE_SECONDS_MARGIN_NS if ctime % 1_000_000_000 == 0 else FINE_MARGIN_NS
                if ctime >= self._started - margin:
                    return False
        return True


# The witness of builds, which remember nothing.
UNNOTED = Witness(noting=False)
