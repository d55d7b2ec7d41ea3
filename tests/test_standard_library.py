"""Go's standard library is importable (issue 16, point 6): an artifact per
package and Go version, built on first use like any module, offline."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import usegolib
from usegolib import Ref
from usegolib.builder import build_module
from usegolib.errors import ArtifactNotFoundError

from .conftest import environment, run_python


@pytest.fixture(scope="module")
def std_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("std")


def std(root: Path, path: str) -> usegolib.GoPackage:
    with environment(GOPROXY="off"):  # the standard library needs no module proxy
        return usegolib.import_(path, artifact_dir=root)


def test_a_standard_package_builds_on_first_use_and_works(std_root):
    regexp = std(std_root, "regexp")
    assert regexp.__go_version__.startswith("go1.")
    pattern = regexp.MustCompile(r"a(b+)c")
    assert pattern.FindStringSubmatch("xabbbc") == ["abbbc", "bbb"]
    assert pattern.ReplaceAllString("abc abbc", "<$1>") == "<b> <bb>"
    assert str(pattern) == r"a(b+)c"


def test_idioms_work_on_the_standard_library(std_root):
    json = std(std_root, "encoding/json")
    value = Ref()
    json.Unmarshal(b'{"a": [1, 2]}', value)
    assert value.value == {"a": [1.0, 2.0]}
    with pytest.raises(json.SyntaxError) as caught:
        json.Unmarshal(b"{", Ref())
    assert caught.value.Offset == 1
    gzip = std(std_root, "compress/gzip")
    compressed = io.BytesIO()
    with gzip.NewWriter(compressed) as writer:
        writer.write(b"hello " * 100)
    assert gzip.NewReader(io.BytesIO(compressed.getvalue())).read() == b"hello " * 100


def test_unknown_standard_paths_say_so(std_root):
    with pytest.raises(ArtifactNotFoundError, match="not a package of Go's standard library"):
        std(std_root, "compress/nosuch")
    with pytest.raises(ValueError, match="versioned by the Go toolchain"):
        build_module("regexp@v1.0.0", std_root)


def test_the_hook_imports_standard_packages(std_root):
    done = run_python(
        """
        import usegolib.auto
        from go.regexp import MustCompile
        import go.compress.gzip as gzip
        print(MustCompile("a+").FindAllString("caaab aa", -1), gzip.__go_path__)
        try:
            import go.compress.nosuch
        except ModuleNotFoundError as exc:
            print("tried:" in str(exc), "compress/nosuch" in str(exc))
        """,
        USEGOLIB_ARTIFACT_DIR=str(std_root),
        GOPROXY="off",
    )
    assert done.stdout.splitlines() == ["['aaa', 'aa'] compress/gzip", "True True"], done.stderr
