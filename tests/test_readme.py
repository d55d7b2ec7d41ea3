"""The README's quickstart works as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def quickstart_script() -> str:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- quickstart:begin -->\s*```sh\n(.*?)```\s*<!-- quickstart:end -->", text, re.S)
    assert block, "README.md lost its quickstart markers"
    return block.group(1)


def test_readme_quickstart_runs(tmp_path):
    # `python` in the README is the interpreter running the tests.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
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
