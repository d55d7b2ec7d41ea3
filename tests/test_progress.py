"""What a build shows while it runs (issue 18, point 3): phases, the
packages Go compiles n of m, the library's size; quiet on request."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from usegolib.builder import build_module
from usegolib.builder.progress import Progress

from .conftest import FIXTURES, environment, run_cli


def _fresh_copy(tmp_path: Path) -> Path:
    """tests/fixtures/grow with a change Go's build cache has never seen."""
    copy = tmp_path / "grow"
    shutil.copytree(FIXTURES / "grow", copy)
    with (copy / "shapes" / "shapes.go").open("a", encoding="utf-8") as source:
        source.write(f'\n// Token makes this copy new to the build cache.\nconst Token = "{uuid.uuid4().hex}"\n')
    return copy


def test_a_build_names_the_packages_it_compiles_and_the_library_size(tmp_path):
    lines: list[str] = []
    with environment(GOPROXY="off"):
        build_module(_fresh_copy(tmp_path), tmp_path / "root", log=lines.append)
    compiled = [line for line in lines if "] compiling " in line and "/" in line.split("compiling ", 1)[1]]
    assert compiled, lines
    count, _, package = compiled[0].split("compiling ", 1)[1].partition(": ")
    done, total = (int(n) for n in count.split("/"))
    assert 1 <= done <= total and package.startswith("example.com/grow"), compiled
    assert lines[-1].endswith(" MiB library)") and "built example.com/grow@local -> " in lines[-1]


def test_a_log_that_is_no_terminal_gets_a_package_line_every_few_seconds():
    lines: list[str] = []
    progress = Progress(lines.append)
    read = progress.compiling(3)
    tool = "/go/pkg/tool/linux_amd64/compile -o $WORK/b001/_pkg_.a -trimpath x"
    for package in ("a", "b", "c"):
        read(f"{tool} -p example.com/{package} -lang=go1.22\n")
    read("mkdir -p $WORK/b002/\n")
    assert len(lines) == 1 and lines[0].endswith("compiling 1/3: example.com/a"), lines


def test_quiet_builds_say_nothing(tmp_path):
    done = run_cli(
        "build", "--module", str(_fresh_copy(tmp_path)), "--out", str(tmp_path / "root"), env={"USEGOLIB_QUIET": "1"}
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
