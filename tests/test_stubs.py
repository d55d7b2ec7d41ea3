"""Type stubs (.pyi): every artifact carries them, `usegolib stubs` writes a
tree for mypy and pyright, and mypy --strict checks code against it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from usegolib.artifact import LOCAL_VERSION, artifact_dir, host_platform

GOOD = """
import datetime

import go.example_com.kitchen as k
from go.example_com.kitchen import AddInt, Point, Shape

total: int = AddInt(1, 2)
point: Point = k.EchoPoint(Point(x=1, y=2))
shape: Shape = k.EchoShape(Shape(points=[point]))
centroid: Point = k.Centroid({"points": []})
counter: k.Counter = k.NewCounter("n")
value: int = counter.Add(1)
day: k.Weekday = k.Today()
name: str = day.String()
distance: float = k.geo.Distance(Point(), point)
when: datetime.datetime = k.Epoch()
parts: tuple[str, str] = k.Split("a,b")
greeting: str = k.Greeting
k.vars.Counted = 3
joined: str = k.Join("-", "a", "b")
"""


@pytest.fixture(scope="module")
def stub_dir(kitchen_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("stubs")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "usegolib",
            "stubs",
            "example.com/kitchen",
            "--root",
            str(kitchen_root),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "USEGOLIB_OFFLINE": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "wrote stubs for 2 packages of example.com/kitchen@local" in done.stdout
    return out


def mypy(stub_dir, tmp_path, code):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(stub_dir)},
    )


def test_the_stub_tree(stub_dir):
    assert (stub_dir / "go" / "__init__.pyi").read_text() == ""
    assert (stub_dir / "go" / "example_com" / "__init__.pyi").exists()
    text = (stub_dir / "go" / "example_com" / "kitchen" / "__init__.pyi").read_text()
    assert 'def AddInt(a: int, b: int) -> int:\n    """AddInt adds two ints."""' in text
    assert "@dataclasses.dataclass\nclass Point:" in text
    assert "class Counter(GoObject):" in text
    assert "class Weekday(int):" in text
    assert "from . import geo as geo" in text


def test_every_artifact_carries_its_stubs(kitchen_root):
    artifact = artifact_dir(kitchen_root, "example.com/kitchen", LOCAL_VERSION, host_platform())
    assert (artifact / "stubs" / "go" / "example_com" / "kitchen" / "geo" / "__init__.pyi").is_file()


def test_mypy_strict_accepts_correct_code(stub_dir, tmp_path):
    done = mypy(stub_dir, tmp_path, GOOD)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_rejects_a_str_where_go_wants_an_int(stub_dir, tmp_path):
    done = mypy(stub_dir, tmp_path, "from go.example_com.kitchen import AddInt\n\nAddInt('one', 2)\n")
    assert done.returncode == 1
    assert 'Argument 1 to "AddInt" has incompatible type "str"; expected "int"' in done.stdout


def test_mypy_strict_rejects_wrong_records_and_results(stub_dir, tmp_path):
    done = mypy(
        stub_dir,
        tmp_path,
        """
        import go.example_com.kitchen as k
        total: str = k.AddInt(1, 2)
        k.EchoPoint(k.Shape())
        """,
    )
    assert done.returncode == 1
    assert 'Incompatible types in assignment (expression has type "int", variable has type "str")' in done.stdout
    assert 'Argument 1 to "EchoPoint" has incompatible type "Shape"' in done.stdout
