"""What the figures were measured on."""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe() -> dict[str, str]:
    """CPU, cores, and the versions of the tools that produced the figures."""
    from usegolib import __version__
    from usegolib.artifact import host_platform
    from usegolib.builder.toolchain import find_toolchain

    toolchain = find_toolchain(host_platform())
    return {
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "go": toolchain.go_version,
        "zig": toolchain.zig_version or toolchain.cc,
        "usegolib": __version__,
        # Other work on the machine slows every row, and the threads row most.
        "load": f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
    }


def one_line(machine: dict[str, str]) -> str:
    return (
        f"{machine['cpu']}, {machine['cores']} cores, {machine['os']}; Python {machine['python']}, "
        f"{machine['go']}, Zig {machine['zig']}, usegolib {machine['usegolib']}; "
        f"load average {machine['load']} at the start; {machine['date']}"
    )
