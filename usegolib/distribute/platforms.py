"""The targets wheels are built for, and their wheel platform tags."""

from __future__ import annotations

from dataclasses import dataclass

from ..artifact import Platform, host_platform


@dataclass(frozen=True)
class Target:
    platform: Platform
    # The wheel platform tag (PEP 425/600), with the legacy alias pip
    # releases before manylinux_x_y knew.
    wheel_tag: str


# Linux libraries link against glibc 2.17 (manylinux2014); macOS ones say
# they need macOS 11, the oldest the Go toolchain (1.23 and later) supports.
TARGETS = {
    "linux/amd64": Target(Platform("linux", "amd64"), "manylinux_2_17_x86_64.manylinux2014_x86_64"),
    "linux/arm64": Target(Platform("linux", "arm64"), "manylinux_2_17_aarch64.manylinux2014_aarch64"),
    "darwin/amd64": Target(Platform("darwin", "amd64"), "macosx_11_0_x86_64"),
    "darwin/arm64": Target(Platform("darwin", "arm64"), "macosx_11_0_arm64"),
    "windows/amd64": Target(Platform("windows", "amd64"), "win_amd64"),
}


def target(name: str) -> Target:
    """A target by its Go spelling, GOOS/GOARCH."""
    try:
        return TARGETS[name]
    except KeyError:
        raise ValueError(f"unknown platform {name!r}: use one of {', '.join(TARGETS)}") from None


def host_target() -> Target:
    plat = host_platform()
    name = f"{plat.goos}/{plat.goarch}"
    if name not in TARGETS:
        raise ValueError(f"this machine ({name}) is not a wheel target; pass --platform")
    return TARGETS[name]
