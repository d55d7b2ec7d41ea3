"""Cross-compiling with Zig from one machine: every target gets a library
of its own binary format, byte-identical when built again."""

from __future__ import annotations

import hashlib

import pytest

from usegolib.artifact import Platform
from usegolib.builder import build_module

from .binaries import describe, exported_names, macho_page_hashes_match, macos_minimum
from .conftest import FIXTURES, environment

TARGETS = {
    "linux/amd64": ("ELF64 shared object", "x86-64"),
    "linux/arm64": ("ELF64 shared object", "aarch64"),
    "darwin/amd64": ("Mach-O 64 dylib", "x86-64"),
    "darwin/arm64": ("Mach-O 64 dylib", "aarch64"),
    "windows/amd64": ("PE32+ DLL", "x86-64"),
}

# The C entry points of docs/abi.md: every library exports them, though the
# package that declares them (go_shim/cabi) is not the main package.
ENTRY_POINTS = {
    "usegolib_call",
    *(f"usegolib_call_ints{n}" for n in range(5)),
    "usegolib_call_fast",
    "usegolib_take_result",
    "usegolib_release_handle",
    "usegolib_release_result",
    "usegolib_set_python",
    "usegolib_callback_reply",
    "usegolib_python_exiting",
    "usegolib_abi_version",
}


def build(root, target, *, force=False):
    goos, goarch = target.split("/")
    with environment(GOPROXY="off"):
        result = build_module(FIXTURES / "quickstart", root, platform=Platform(goos, goarch), force=force)
    (library,) = (p for p in result.path.iterdir() if p.name == result.manifest["library"]["file"])
    return result, library


@pytest.fixture(scope="session")
def cross_root(tmp_path_factory):
    return tmp_path_factory.mktemp("cross")


@pytest.mark.parametrize("target", list(TARGETS))
def test_each_target_gets_a_library_in_its_own_format(cross_root, target):
    result, library = build(cross_root, target)
    assert describe(library) == TARGETS[target]
    assert (result.manifest["goos"], result.manifest["goarch"]) == tuple(target.split("/"))
    assert result.path.name == target.replace("/", "-")
    assert exported_names(library) >= ENTRY_POINTS
    assert result.manifest["library"]["sha256"] == hashlib.sha256(library.read_bytes()).hexdigest()
    if target.startswith("darwin/"):
        assert macos_minimum(library) == "11.0"  # what the macosx_11_0 wheel tag promises
        # The signature still matches the pages after the UUID was made reproducible.
        assert macho_page_hashes_match(library) is not False


# This machine's target only: test_package.py builds the wheels of all five
# twice (from other directories too) and compares them byte for byte.
@pytest.mark.parametrize("target", ["linux/amd64"])
def test_a_second_build_is_byte_identical(cross_root, tmp_path, target):
    _, first = build(cross_root, target)
    _, second = build(tmp_path / "again", target, force=True)
    assert first.read_bytes() == second.read_bytes()
