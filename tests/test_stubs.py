"""Type stubs (.pyi): every artifact carries them, `usegolib stubs` writes a
tree for mypy and pyright, and mypy --strict checks code against it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from usegolib.artifact import LOCAL_VERSION, artifact_dir, host_platform
from usegolib.stubs import render

from .conftest import FIXTURES, build_offline, run_python

GOOD = """
import datetime
import decimal

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
timeout: datetime.timedelta = k.Timeout
beyond: decimal.Decimal = k.BigF
k.vars.Counted = 3
joined: str = k.Join("-", "a", "b")
shout: str = k.Format("go", k.Upper(), k.vars.Loud)
option: k.Option = k.Prefix("> ")
add3 = k.Adder(3)
seven: int = add3(4)
prefixed: k.Predicate = k.HasPrefix("go").Not()
accepted: bool = prefixed("gopher")
countdown: list[int] = [i for i in k.Countdown(3)]
letters: dict[int, str] = dict(k.Letters("ab"))
total_seq: int = k.SumSeq(k.Countdown(3))
tally = k.NewTally()
k.Combine(tally, tally)
loud: int = k.Loudness("abc")
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
    assert "wrote stubs for 3 packages of example.com/kitchen@local" in done.stdout
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
    assert "@_dataclasses.dataclass\nclass Point:" in text
    assert "class Counter(_GoObject):" in text
    assert "class Weekday(int):" in text
    assert "from . import geo as geo" in text
    # Constants as the runtime gives them: a Duration as a timedelta, a float beyond float64 exactly.
    assert "Timeout: _datetime.timedelta\n" in text
    assert "BigF: _decimal.Decimal\n" in text
    assert "Ratio: float\n" in text


def test_every_artifact_carries_its_stubs(kitchen_root):
    artifact = Path(artifact_dir(kitchen_root, "example.com/kitchen", LOCAL_VERSION, host_platform()))
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


# -- names that Python or the stub itself already uses (fixtures/stubnames) ---

# Type-checks under mypy --strict and runs: the stubs say what the runtime does.
NAMES = """
import decimal

import go.example_com.stubnames as s
import go.example_com.stubnames.list
import go.example_com.stubnames.uuid as subuuid
from go.example_com.stubnames import Counter, Flag, Keys, Level, Names, Point

counter = Counter(Own=1, Inner=s.Inner(), Base=s.Base(Deep=2), Counter=None)
same: Counter = counter.Get()
inner: s.Inner = counter.Inner
anything: s.Any = counter.Any()
numbers: tuple[int, int] = (inner.Value(), anything.Get())
text: str = Flag.String(True)
flag: bool = Flag(True)
toggled: bool = s.Toggle(flag)
names: list[str] = s.AllNames()
joined: str = s.AllNames().First() + s.Join(["a", "b"]) + s.Join(Names(["c"])) + s.Join(("d",))
total: int = s.Total({"a": 1}) + s.Total(s.Env(b=2)) + s.Grow().Size()
level: Level = s.Raise(3).Up()
half: decimal.Decimal | None = s.Half(1.5)
twice: decimal.Decimal = s.Twice(2) + s.Twice(decimal.Decimal("0.5"))
keys = Keys(int=1, str="a", list=[1], class_=True, bytes=b"", Point=Point(X=1), Any=1.0)
number: int = keys.int
optional: s.Optional = s.Echo(None, s.Sequence(), s.GoObject(Name="g"), 3, keys)
valid: bool = optional.Valid()
pings: str = subuuid.Ping() + go.example_com.stubnames.list.Ping() + s.list.Ping()
s.vars.Count = s.Answer
print(numbers, text, flag, toggled, names, joined, total, level, half, twice)
print(number, optional, valid, pings, s.vars.Count, getattr(s, "None")(), getattr(s, "False"))
assert s.None_() == getattr(s, "None")() and s.False_ == getattr(s, "False")
"""


@pytest.fixture(scope="session")
def stubnames_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stubnames-artifacts")
    build_offline(FIXTURES / "stubnames", root)
    return root


@pytest.fixture(scope="session")
def stubnames_stubs(stubnames_root: Path) -> Path:
    """The stub tree the artifact carries."""
    return Path(artifact_dir(stubnames_root, "example.com/stubnames", LOCAL_VERSION, host_platform())) / "stubs"


def stubnames_stub(stubs: Path) -> str:
    return (stubs / "go" / "example_com" / "stubnames" / "__init__.pyi").read_text()


def run_stubnames(stubnames_root, code):
    """Run code with the hook importing the fixture's built artifact."""
    return run_python(
        "import usegolib.auto\n" + textwrap.dedent(code),
        USEGOLIB_PATH=str(FIXTURES / "stubnames"),
        USEGOLIB_ARTIFACT_DIR=str(stubnames_root),
        GOPROXY="off",
    )


def test_names_python_cannot_spell_are_comments(stubnames_stubs):
    text = stubnames_stub(stubnames_stubs)
    ast.parse(text)
    assert "# variable True: a Python keyword, reachable only with getattr()" in text
    # Functions, constants and methods also go by the name with a trailing underscore.
    assert "def None_() -> _builtins.int:" in text
    assert "False_: " in text
    assert "    def True_(self)" in text
    assert "    # field None: a Python keyword" in text
    assert "# subpackage async: a Python keyword, reachable with importlib.import_module()" in text
    # Subpackages named like the package's own attributes stay reachable by import only.
    assert "from . import uuid as uuid" in text
    assert "import types as" not in text
    assert "import typed as" not in text


def test_docstrings_keep_quotes_and_backslashes(stubnames_stubs):
    tree = ast.parse(stubnames_stub(stubnames_stubs))
    assert ast.get_docstring(tree, clean=False) == 'Package stubnames says "hello"'
    toggle = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "Toggle")
    assert ast.get_docstring(toggle, clean=False) == 'Toggle takes and returns a Flag: \\"""'


def test_stub_imports_and_members_do_not_shadow_each_other(stubnames_stubs):
    text = stubnames_stub(stubnames_stubs)
    assert "from typing import Any as _Any" in text
    assert "class Any(_GoObject):" in text
    # Keys has keys int, str and list; Counter a field Counter and a method Any.
    assert "    list: _builtins.list[_builtins.int] = ..." in text
    assert "    def Get(self) -> _Counter:" in text
    assert "    def Any(self) -> _Any_:" in text
    assert "_Counter = Counter\n" in text


def test_value_classes_subclass_their_values_and_parameters_take_plain_values(stubnames_stubs):
    text = stubnames_stub(stubnames_stubs)
    assert "class Names(_builtins.list[_builtins.str]):" in text
    assert "class Env(dict[_builtins.str, _builtins.int]):" in text
    assert "def Join(n: _Optional[Names | _Sequence[_builtins.str] | _Ref]) -> _builtins.str:" in text
    assert "def Raise(l: Level | _builtins.int) -> Level:" in text
    assert "def Twice(x: _decimal.Decimal | float | _builtins.int) -> _decimal.Decimal:" in text
    # A named bool has no instances: its methods take the plain bool.
    assert "    @staticmethod\n    def String(self: bool) -> _builtins.str:" in text
    assert "def Toggle(f: bool) -> bool:" in text


def test_constructors_take_the_fields_the_runtime_sets(stubnames_stubs):
    text = stubnames_stub(stubnames_stubs)
    # Deep is promoted through the embedded *Base; Inner is held by value.
    assert (
        "    def __new__(cls, *, Base: _Optional[_Base | dict[_builtins.str, _Any]] | _Ref = ..., "
        "Counter: _Optional[_Counter | _Ref] = ..., Inner: _Inner = ..., Own: _builtins.int = ...) -> _Counter: ..."
    ) in text


def test_mypy_strict_accepts_code_using_awkward_names_and_it_runs(stubnames_root, stubnames_stubs, tmp_path):
    done = mypy(stubnames_stubs, tmp_path, NAMES)
    assert done.returncode == 0, done.stdout + done.stderr
    ran = run_stubnames(stubnames_root, NAMES)
    assert ran.stdout.splitlines() == [
        "(0, 0) on True False Names(['a', 'b']) aabcd 4 Level(5) 0.75 5",
        "1 Optional(3) True uuidlistlist 42 1 3",
    ], ran.stderr


def test_mypy_strict_rejects_constructor_keywords_the_runtime_refuses(stubnames_root, stubnames_stubs, tmp_path):
    code = """
    from go.example_com.stubnames import Counter
    Counter(Deep=1)
    Counter(Inner=None)
    """
    done = mypy(stubnames_stubs, tmp_path, code)
    assert done.returncode == 1
    assert 'Unexpected keyword argument "Deep" for "Counter"' in done.stdout
    assert 'Argument "Inner" to "Counter" has incompatible type "None"; expected "Inner"' in done.stdout
    ran = run_stubnames(
        stubnames_root,
        """
        from go.example_com.stubnames import Counter
        for fields in ({"Deep": 1}, {"Inner": None}):
            try:
                Counter(**fields)
            except TypeError as exc:
                print(type(exc).__name__, exc)
        """,
    )
    assert ran.stdout.splitlines() == [
        'ArgumentTypeError Counter(): arguments: unknown field "Deep" for Go stubnames.Counter',
        "ArgumentTypeError Counter(): argument Inner: expected Go stubnames.Inner, got None",
    ], ran.stderr


def test_a_subpackage_named_like_a_builtin_shadows_it():
    ints = {"id": 0, "kind": "list", "go": "[]int", "elem": 1}
    manifest = {
        "packages": [
            {"path": "example.com/a", "functions": [{"name": "F", "params": [], "results": [0]}], "types": []},
            {"path": "example.com/a/list", "functions": [], "types": []},
        ],
        "types": [ints, {"id": 1, "kind": "int", "go": "int"}],
    }
    text = render(manifest, manifest["packages"][0])
    assert "from . import list as list" in text
    assert "def F() -> _builtins.list[int]: ..." in text
