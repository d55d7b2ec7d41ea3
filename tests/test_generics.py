"""Generics (SPEC §3): instantiations listed at build time."""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import pytest

import usegolib
from usegolib.artifact import host_platform
from usegolib.builder import build_module
from usegolib.builder.fingerprint import current_inputs, stale_reason
from usegolib.builder.shim import shim_digest, shim_dir
from usegolib.builder.toolchain import find_toolchain
from usegolib.errors import BuildError
from usegolib.runtime.verify import read_manifest

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
    assert gen.generic("Id", ["time.Time"])(moment) == moment  # a package gen never imports
    assert gen.generic("Id", ["encoding/json.Number"])("1.5") == "1.5"  # nor does the module: listed on demand
    # The module uses only time.Location: the rest of time is loaded when asked for.
    assert gen.clock.generic("Id", ["time.Duration"])(timedelta(seconds=2)) == timedelta(seconds=2)
    assert gen.generic("Sum", ["float64"])(1.5, 2.0) == 3.5  # constrained by an interface with a type set
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


def test_generic_named_non_struct_types_keep_their_methods(gen):
    list_class = gen.generic("List", ["int"])
    assert list_class.__name__ == "List[int]"
    assert list_class([1, 2, 3]).Len() == 3
    assert gen.typed().generic("List", ["int"])([4]).Len() == 1
    with pytest.raises(TypeError, match=r"Set\[string\] has no methods, so no class: its values are plain"):
        gen.generic("Set", ["string"])


def test_constraint_interfaces_are_skipped_with_the_reason(gen):
    with pytest.raises(AttributeError, match=r"gen\.Number is not available from Python: .*constraint interface"):
        gen.Number  # noqa: B018


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
    with pytest.raises(AttributeError, match=r"gen.Keys is not available from Python: .*h.generic\(name, type_args\)"):
        gen.Keys  # noqa: B018 - cmp.Ordered does not admit any
    with pytest.raises(AttributeError, match=r"gen.Pair is not available .*--generics FILE.*h.generic\(name"):
        gen.Pair  # noqa: B018


def test_generic_functions_admitting_any_are_bridged_with_any(gen):
    assert gen.Never(3) == 3 and gen.Id({"a": [1]}) == {"a": [1]}
    pair = gen.MakePair("k", [1, 2])  # [K comparable, V any]: *Pair[any, any]
    assert (pair.Key, pair.Value) == ("k", [1, 2])
    assert pair.Get() == [1, 2]
    assert gen.generic("Id", ["int64"])(5) == 5  # listed instantiations keep their precise types


@pytest.mark.parametrize(
    ("instantiation", "message"),
    [
        ({"pkg": "example.com/gen", "name": "Nope", "type_args": ["int"]}, "has no generic function or type Nope"),
        ({"pkg": "example.com/gen", "name": "Id", "type_args": ["NoSuchType"]}, 'type argument "NoSuchType": no type'),
        ({"pkg": "example.com/gen", "name": "Keys", "type_args": ["[]int", "int"]}, "does not satisfy cmp.Ordered"),
        ({"pkg": "example.com/gen/nope", "name": "Id", "type_args": ["int"]}, "has no package example.com/gen/nope"),
        ({"pkg": "example.com/gen", "name": "Id", "type_args": ["comparable"]}, "comparable is a constraint interface"),
        ({"pkg": "example.com/gen", "name": "Id", "type_args": ["[]Number"]}, "example.com/gen.Number is a constraint"),
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


def test_listed_instantiations_survive_rebuilds_and_the_list_is_an_input(tmp_path):
    module, root = tmp_path / "gomod", tmp_path / "root"
    shutil.copytree(FIXTURES / "generic", module)
    wanted = [{"pkg": "example.com/gen", "name": "Id", "type_args": ["string"]}]
    with environment(GOPROXY="off"):
        built = build_module(module, root, generics=wanted)  # as `usegolib build --generics FILE`
    assert built.manifest["instantiations"] == wanted
    (module / "added.go").write_text("package gen\n\n// Added is new.\nfunc Added() int { return 1 }\n")
    done = run_python(
        f"""
        import os
        os.chdir({str(tmp_path)!r})
        import usegolib
        h = usegolib.import_("example.com/gen", artifact_dir={str(root)!r})
        print(h.Added(), h.generic("Id", ["string"])("kept"))
        """,
        GOPROXY="off",
        USEGOLIB_PATH=str(module),
    )
    assert done.stdout.split() == ["1", "kept"], done.stderr
    assert "the module's source files changed" in done.stderr
    # Removing the list (a build without one) makes the artifact stale.
    rebuilt, plat = read_manifest(built.path), host_platform()

    def inputs(instantiations: list[dict[str, object]]) -> dict[str, str]:
        return current_inputs(find_toolchain(plat), shim_digest(shim_dir()), plat, instantiations)

    assert "list of generic instantiations changed" in (stale_reason(rebuilt, inputs([]), None) or "")
    assert stale_reason(rebuilt, inputs(wanted), None) is None
