"""The README's quickstart works as written."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import usegolib

README = Path(__file__).parent.parent / "README.md"


def quickstart_script() -> str:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- quickstart:begin -->\s*```sh\n(.*?)```\s*<!-- quickstart:end -->", text, re.S)
    assert block, "README.md lost its quickstart markers"
    return block.group(1)


def python_command(bin_dir: Path) -> Path:
    """A `python` that runs the interpreter running the tests, in its
    environment. A symbolic link would not do: a link to a virtual
    environment's python lies outside it, and starts the base interpreter."""
    bin_dir.mkdir()
    script = bin_dir / "python"
    script.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return script


def test_the_python_of_the_readme_is_the_one_running_the_tests(tmp_path):
    python = python_command(tmp_path / "bin")
    done = subprocess.run(
        [str(python), "-c", "import sys, usegolib; print(sys.prefix, usegolib.__file__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [sys.prefix, usegolib.__file__]


def test_readme_quickstart_runs(tmp_path):
    # `python` in the README is the interpreter running the tests.
    bin_dir = tmp_path / "bin"
    python_command(bin_dir)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GOPROXY": "off",
        "USEGOLIB_ARTIFACT_DIR": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", quickstart_script()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "3 Point(x=2, y=1)" in lines
    assert "AddInt(a: int, b: int) -> int" in done.stdout
    assert "AddInt adds two ints." in done.stdout
    assert "42 {'x': 2, 'y': 1}" in lines


def test_readme_setup_commands_are_the_documented_ones():
    text = README.read_text(encoding="utf-8")
    assert "python -m pip install -e '.[dev]'" in text
    assert "python -m pytest" in text
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pip install -e '.[dev]'" in ci
    assert ci.rstrip().endswith("python -m pytest")


def test_readme_installs_this_project_not_the_older_one_on_pypi():
    """PyPI's usegolib is 0.1.0, another implementation: until this one is
    released, the README installs from a checkout or a wheel built from it."""
    install = README.read_text(encoding="utf-8").split("## Install", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in install.splitlines() if line.startswith("python -m pip install")]
    assert commands
    assert all("'.[build]'" in line or "file://" in line for line in commands), commands
    assert usegolib.__version__ in install
