"""Generics (SPEC §3): instantiations listed at build time."""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import datetime, timezone

import pytest

import usegolib
from usegolib.build import build_module
from usegolib.errors import BuildError

from .conftest import FIXTURES, environment, run_python

GENERICS = FIXTURES / "generic" / "generics.json"


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    root = tmp_path_factory.mktemp("generics")
    instantiations = json.loads(GENERICS.read_text())["instantiations"]
    with environment(GOPROXY="off"):
        build_module(FIXTURES / "generic", root, generics=instantiations)
    return usegolib.import_("example.com/gen", artifact_dir=root)


def test_generic_functions(gen):
    identity = gen.generic("Id", ["int64"])
    assert identity(5) == 5
    assert str(inspect.signature(identity)) == "(v: int) -> int"
    assert gen.generic("Id", ["Person"])({"name": "Ann", "age": 3}) == {"name": "Ann", "age": 3}
    moment = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert gen.generic("Id", ["time.Time"])(moment) == moment  # a package the module never imports
    assert gen.generic("Id", ["[]example.com/gen/other.Thing"])([{"X": 1}]) == [{"X": 1}]  # by import path
    assert gen.generic("Keys", ["string", "int"])({"b": 1, "a": 2}) == ["a", "b"]
    assert gen.generic("Keys", [" string", "int "]) is gen.generic("Keys", ["string", "int"])  # spaces ignored


def test_generic_types_construct_and_call_methods(gen):
    pair_class = gen.generic("Pair", ["string", "int"])
    assert pair_class.__name__ == "Pair[string, int]"
    made = gen.generic("MakePair", ["string", "int"])("k", 5)
    assert type(made) is pair_class
    assert (made.Touch(), made.Touch(), made.Get(), made.Key) == (1, 2, 5, "k")
    built = pair_class(Key="x", Value=9)
    assert built.Get() == 9
    assert built.go_type == "*example.com/gen.Pair[string, int]"


def test_generic_records_are_dataclasses_in_the_typed_view(gen):
    typed = gen.typed()
    box = typed.generic("Box", ["Person"])
    person = typed.Person(name="n", age=1)
    assert typed.generic("Wrap", ["Person"])(person) == box(item=person)
    assert repr(box()) == "Box[Person](item=Person(name='', age=0))"
    with pytest.raises(TypeError, match=r"Box\[Person\] is a record type: pass dicts"):
        gen.generic("Box", ["Person"])


def test_uninstantiated_generics_say_how(gen):
    with pytest.raises(LookupError, match=r"example.com/gen.Never\[int\] was not instantiated at build time"):
        gen.generic("Never", ["int"])
    with pytest.raises(AttributeError, match=r"gen.Id is not available from Python: .*h.generic\(name, type_args\)"):
        gen.Id  # noqa: B018


@pytest.mark.parametrize(
    ("instantiation", "message"),
    [
        ({"pkg": "example.com/gen", "name": "Nope", "type_args": ["int"]}, "has no generic function or type Nope"),
        ({"pkg": "example.com/gen", "name": "Id", "type_args": ["NoSuchType"]}, 'type argument "NoSuchType": no type'),
        ({"pkg": "example.com/gen", "name": "Keys", "type_args": ["[]int", "int"]}, "does not satisfy cmp.Ordered"),
        ({"pkg": "example.com/gen/nope", "name": "Id", "type_args": ["int"]}, "has no package example.com/gen/nope"),
    ],
)
def test_bad_instantiations_are_build_errors(tmp_path, instantiation, message):
    with environment(GOPROXY="off"), pytest.raises(BuildError, match=message):
        build_module(FIXTURES / "generic", tmp_path, generics=[instantiation])


def test_generics_from_pyproject_through_the_hook(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "generic", project / "gomod")
    (project / "pyproject.toml").write_text(
        textwrap.dedent("""
        [tool.usegolib]
        local = ["gomod"]
        generics = [{pkg = "example.com/gen", name = "Id", type_args = ["string"]}]
        """)
    )
    done = run_python(
        f"""
        import os
        os.chdir({str(project)!r})
        import usegolib.auto
        import go.example_com.gen as gen
        print(gen.generic("Id", ["string"])("hi"))
        """,
        GOPROXY="off",
        USEGOLIB_PATH="",
        USEGOLIB_ARTIFACT_DIR=str(tmp_path / "cache"),
    )
    assert done.stdout.strip() == "hi", done.stderr


def test_cli_generics_file_and_summary(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "usegolib",
            "build",
            "--module",
            str(FIXTURES / "generic"),
            "--out",
            str(tmp_path),
            "--generics",
            str(GENERICS),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GOPROXY": "off"},
    )
    assert done.returncode == 0, done.stderr
    assert "generics: Id[int64], Id[Person]" in done.stdout
