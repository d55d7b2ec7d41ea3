"""What a build shows while it runs (issue 18): its phases with the time
elapsed, and in the phases that compile, the package being compiled, n of
m. On a terminal the package line is rewritten in place; in a log (CI) a
line is written every few seconds. USEGOLIB_QUIET=1 silences it all (see
builder.stderr_log). Every line also goes to a file beside the artifact's
lock, which a process waiting for the build shows (locks.artifact_lock)."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

Log = Callable[[str], None]

# How often a log that is not a terminal gets a package line.
LOG_EVERY = 5.0
# A compile command as `go -x` prints it: the package follows -p.
_COMPILE = re.compile(r"/compile(?:\.exe)?\s.*?\s-p\s+(\S+)")
# What go prints to stderr as it starts downloading a module.
_DOWNLOADING = re.compile(r"^go: downloading (\S+) (\S+)")
# How many downloads the summary line names, largest first.
NAMED_DOWNLOADS = 4


class Progress:
    def __init__(self, log: Log, *, terminal: bool = False) -> None:
        self._log = log
        self._terminal = terminal
        self._started = time.monotonic()
        self._status_shown = False
        self._last_logged = 0.0
        self._record: Path | None = None

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def __call__(self, message: str) -> None:
        """A phase, or anything else worth a line of its own."""
        self._end_status()
        line = f"[{self.elapsed:5.1f}s] {message}"
        self._log(line)
        self._write_record(line)

    def status(self, message: str) -> None:
        """A passing state (the package being compiled)."""
        line = f"[{self.elapsed:5.1f}s] {message}"
        if self._terminal:
            sys.stderr.write(f"\rusegolib: {line}\x1b[K")
            sys.stderr.flush()
            self._status_shown = True
        elif time.monotonic() - self._last_logged >= LOG_EVERY:
            self._last_logged = time.monotonic()
            self._log(line)
        self._write_record(line)

    def compiling(self, total: int) -> Callable[[str], None]:
        """A line reader of `go -x` output that reports each package as its
        compilation starts, n of total (the packages not in Go's cache)."""
        count = 0

        def read(line: str) -> None:
            nonlocal count
            match = _COMPILE.search(line)
            if match:
                count += 1
                self.status(f"compiling {count}/{max(total, count)}: {match.group(1)}")

        return read

    def downloads(self) -> Downloads:
        return Downloads(self)

    def record_to(self, path: Path) -> None:
        """Also write every line to path, for waiting processes."""
        self._record = path
        path.write_text("", encoding="utf-8")

    def _write_record(self, line: str) -> None:
        if self._record is not None:
            try:
                with self._record.open("a", encoding="utf-8") as record:
                    record.write(line + "\n")
            except OSError:
                self._record = None  # the record is a courtesy: never fail a build for it

    def _end_status(self) -> None:
        if self._status_shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._status_shown = False


class Downloads:
    """The modules go downloads: each shown as it starts (a line reader of
    go's stderr), then one line with their sizes, read from the module
    cache's zip files once go is done."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self.modules: list[tuple[str, str]] = []

    def __call__(self, line: str) -> None:
        match = _DOWNLOADING.match(line)
        if match:
            self.modules.append((match.group(1), match.group(2)))
            self._progress.status(f"downloading {match.group(1)} {match.group(2)} ({len(self.modules)} so far)")

    def report(self, module_cache: Callable[[], Path]) -> None:
        """One line: how many modules, how many bytes, the largest named."""
        if not self.modules:
            return
        cache = module_cache() / "cache" / "download"
        sizes = sorted(((_zip_size(cache, *module), module) for module in self.modules), reverse=True)
        named = ", ".join(f"{path} {version} {human_size(size)}" for size, (path, version) in sizes[:NAMED_DOWNLOADS])
        more = len(sizes) - NAMED_DOWNLOADS
        total = human_size(sum(size for size, _ in sizes))
        plural = "s" if len(sizes) > 1 else ""
        rest = f" and {more} more" if more > 0 else ""
        self._progress(f"downloaded {len(sizes)} module{plural}, {total}: {named}{rest}")


def _zip_size(cache: Path, path: str, version: str) -> int:
    """The size of a module's zip in the module cache (0 when absent:
    go may have downloaded only its go.mod)."""
    try:
        return (cache / _escaped(path) / "@v" / f"{_escaped(version)}.zip").stat().st_size
    except OSError:
        return 0


def _escaped(text: str) -> str:
    """Go's case-encoding of module paths and versions in its cache: an
    upper-case letter becomes '!' and the lower-case letter."""
    return re.sub(r"[A-Z]", lambda match: "!" + match.group(0).lower(), text)


def human_size(size: float) -> str:
    """A byte count as a person reads it: 512 B, 3.4 KiB, 12.9 MiB."""
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def on_terminal() -> bool:
    """Whether usegolib's own log goes to a terminal and may rewrite a line."""
    return os.environ.get("USEGOLIB_QUIET", "") in ("", "0") and sys.stderr.isatty()
