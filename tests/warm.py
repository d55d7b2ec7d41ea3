"""Warm the build caches for the cross targets in a background process.

A cold target costs minutes that are mostly waiting on one core: Zig
builds the MinGW C runtime for windows/amd64 (over three minutes here) and
Go compiles the standard library for each new GOOS/GOARCH. The suite is
mostly single-threaded Python, so a second, lowest-priority process that
builds tests/fixtures/quickstart for every cross target while the other
tests run leaves test_cross and test_package only the warm work. The
caches are Go's and Zig's own (safe to share between processes); nothing
this process builds is used by a test except through them.

Run as `python -m tests.warm`; tests/conftest.py starts it when the session
holds tests that cross-compile.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from usegolib.artifact import Platform, host_platform

# The targets test_cross and test_package build, the slowest first; the
# host's is warmed by the first test that builds anything, so it is skipped.
CROSS_TARGETS = ("windows/amd64", "linux/arm64", "darwin/arm64", "darwin/amd64", "linux/amd64")
FIXTURE = Path(__file__).parent / "fixtures" / "quickstart"


def start() -> subprocess.Popen[bytes] | None:
    """The warming process, at the lowest CPU priority; None where it
    cannot be niced (it must never slow the tests it runs beside)."""
    if not hasattr(os, "nice"):
        return None
    return subprocess.Popen(
        [sys.executable, "-m", "tests.warm"],
        cwd=Path(__file__).parent.parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "GOPROXY": "off"},
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, 15)
        process.wait()


def main() -> None:
    os.nice(19)  # inherited by go and zig
    from usegolib.builder import build_module

    host = host_platform()
    with tempfile.TemporaryDirectory(prefix="usegolib-warm-") as root:
        for target in CROSS_TARGETS:
            platform = Platform(*target.split("/"))
            if platform != host:
                build_module(FIXTURE, Path(root), platform=platform)


if __name__ == "__main__":
    main()
