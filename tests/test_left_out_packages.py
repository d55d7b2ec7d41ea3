"""A module builds whatever its other packages are (issue 16, point 1):
commands, test-only folders, packages for another platform and packages
that do not compile here are left out with the reason, and only importing
one of them explicitly is an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import usegolib
from usegolib.artifact import LOCAL_VERSION, artifact_dir, host_platform
from usegolib.errors import PackageLeftOutError

from .conftest import FIXTURES, fixture_root, run_cli, run_python

MODULE = "example.com/mixedpkgs"


@pytest.fixture(scope="module")
def mixed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_root(tmp_path_factory, "mixedpkgs")


@pytest.fixture(scope="module")
def mixed(mixed_root: Path) -> usegolib.GoPackage:
    return usegolib.import_(MODULE, artifact_dir=mixed_root)


@pytest.fixture(scope="module")
def left_out(mixed_root: Path) -> dict[str, str]:
    manifest_file = Path(artifact_dir(mixed_root, MODULE, LOCAL_VERSION, host_platform())) / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    return {skip["name"].removeprefix(MODULE + "/"): skip["reason"] for skip in manifest["skipped_packages"]}


def test_every_package_that_cannot_be_bridged_is_listed_with_its_reason(left_out):
    assert sorted(left_out) == ["broken", "cmd/tool", "needsc", "testonly", "usesbroken", "winonly"]
    assert left_out["cmd/tool"] == "a command (package main), not a library"
    assert left_out["testonly"] == "holds only _test.go files"
    assert left_out["winonly"].startswith("not built for linux/") or host_platform().goos != "linux"
    assert "build constraints exclude all its Go files" in left_out["winonly"]


def test_a_package_that_does_not_compile_keeps_the_compiler_s_output(left_out):
    assert left_out["broken"].startswith("does not build: # example.com/mixedpkgs/broken\n")
    # relative to the module, so the manifest does not depend on where it was built
    assert "\nbroken/broken.go:5:28: cannot use" in left_out["broken"]
    assert "usegolib_no_such_header.h" in left_out["needsc"]
    dependency = "does not build: a dependency does not build: # example.com/mixedpkgs/broken\n"
    assert left_out["usesbroken"].startswith(dependency)
    assert str(FIXTURES) not in "".join(left_out.values())


def test_the_packages_that_build_are_usable(mixed_root, mixed):
    assert mixed.Hello("go") == "hello, go"
    hello = usegolib.import_(f"{MODULE}/examples/hello", artifact_dir=mixed_root)
    assert hello.Greeting() == "hello from an example"


def test_importing_a_left_out_package_explicitly_raises_its_reason(mixed_root, mixed):
    with pytest.raises(PackageLeftOutError) as caught:
        usegolib.import_(f"{MODULE}/broken", artifact_dir=mixed_root)
    assert caught.value.package == f"{MODULE}/broken"
    assert caught.value.module == MODULE
    assert 'cannot use "forty-two"' in str(caught.value)
    with pytest.raises(PackageLeftOutError, match="a command"):
        usegolib.import_(f"{MODULE}/cmd/tool", artifact_dir=mixed_root)


def test_a_left_out_subpackage_attribute_says_why(mixed):
    with pytest.raises(AttributeError, match=r"was left out of the build: holds only _test\.go files"):
        mixed.testonly  # noqa: B018
    with pytest.raises(AttributeError, match="build constraints exclude"):
        mixed.winonly  # noqa: B018


def test_the_hook_raises_an_import_error_chained_to_the_reason(mixed_root):
    done = run_python(
        """
        import usegolib.auto
        import go.example_com.mixedpkgs as m
        print(m.Hello("hook"))
        try:
            import go.example_com.mixedpkgs.needsc
        except ImportError as exc:
            print(type(exc.__cause__).__name__, "usegolib_no_such_header.h" in str(exc))
        """,
        USEGOLIB_PATH=str(FIXTURES / "mixedpkgs"),
        USEGOLIB_ARTIFACT_DIR=str(mixed_root),
        GOPROXY="off",
    )
    assert done.stdout.split("\n")[:2] == ["hello, hook", "PackageLeftOutError True"], done.stderr


def test_inspect_lists_left_out_packages(mixed_root):
    done = run_cli("inspect", "--root", str(mixed_root), str(FIXTURES / "mixedpkgs"))
    assert done.returncode == 0, done.stderr
    assert f"{MODULE}/testonly: package skipped: holds only _test.go files" in done.stdout
    assert "      broken/broken.go:5:28" in done.stdout  # compiler output indented under its package
