"""An import builds the closure of what it imports, and the artifact grows
to the union of what was imported (issue 18, point 1; docs/cache.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from usegolib.artifact import host_platform

from .conftest import FIXTURES, run_cli, run_python
from .goproxy import proxy_env, write_proxy

GROW = FIXTURES / "grow"
OFFLINE = {"GOPROXY": "off"}


def _manifest(root: Path, module: str, version: str) -> dict:
    artifact = root.joinpath(*module.split("/"), version, host_platform().tag)
    return json.loads((artifact / "manifest.json").read_text(encoding="utf-8"))


def _held(manifest: dict) -> list[str]:
    return sorted(p["path"] for p in manifest["packages"])


def test_build_packages_builds_only_those_and_what_is_below(tmp_path):
    root = tmp_path / "root"
    done = run_cli("build", "--module", str(GROW), "--out", str(root), "--packages", "shapes", env=OFFLINE)
    assert done.returncode == 0, done.stderr
    manifest = _manifest(root, "example.com/grow", "local")
    assert manifest["selection"] == ["example.com/grow/shapes"]
    assert _held(manifest) == ["example.com/grow/shapes"]
    assert "building example.com/grow@local (example.com/grow/shapes): no artifact yet" in done.stderr
    again = run_cli(
        "build", "--module", str(GROW), "--out", str(root), "--packages", "example.com/grow/shapes", env=OFFLINE
    )
    assert again.returncode == 0 and "is up to date" in again.stderr, again.stderr
    whole = run_cli("build", "--module", str(GROW), "--out", str(root), env=OFFLINE)
    assert "the whole module was asked for (the artifact holds example.com/grow/shapes)" in whole.stderr
    manifest = _manifest(root, "example.com/grow", "local")
    assert manifest["selection"] is None
    assert _held(manifest) == ["example.com/grow", "example.com/grow/draw", "example.com/grow/shapes"]
    narrower = run_cli("build", "--module", str(GROW), "--out", str(root), "--packages", "draw", env=OFFLINE)
    assert "is up to date" in narrower.stderr  # an artifact never shrinks, unless --force says so


def test_a_package_the_module_lacks_is_named(tmp_path):
    done = run_cli("build", "--module", str(GROW), "--out", str(tmp_path), "--packages", "shapes,nope", env=OFFLINE)
    assert done.returncode == 1
    assert "module example.com/grow has no package example.com/grow/nope" in done.stderr


def test_importing_another_package_grows_the_artifact_and_loads_it_beside(tmp_path):
    root = tmp_path / "root"
    assert (
        run_cli("build", "--module", str(GROW), "--out", str(root), "--packages", "shapes", env=OFFLINE).returncode == 0
    )
    done = run_python(
        f"""
        import usegolib
        shapes = usegolib.import_("example.com/grow/shapes", artifact_dir={str(root)!r})
        square = shapes.NewSquare(3)
        draw = usegolib.import_("example.com/grow/draw", artifact_dir={str(root)!r})
        print(draw._library is shapes._library, draw._library.manifest["selection"])
        print(draw.Area(draw.Unit()))
        try:
            draw.Area(square)
        except TypeError as exc:
            print("TypeError:", exc)
        fresh = usegolib.import_("example.com/grow/shapes", artifact_dir={str(root)!r})
        print(fresh is shapes, fresh._library is draw._library)
        print(draw.Area(fresh.NewSquare(2)), shapes.NewSquare(2).Side())
        """,
        **OFFLINE,
    )
    out = done.stdout.splitlines()
    assert out[:2] == ["False ['example.com/grow/draw', 'example.com/grow/shapes']", "1"], done.stderr
    assert out[2].startswith("TypeError: Area(): argument s: Square handle comes from an earlier library of Go")
    assert "[tool.usegolib.packages]" in out[2]
    # Later imports come from the grown library; what was imported before still works.
    assert out[3:5] == ["False True", "4 2"]
    assert "example.com/grow/draw not in the artifact yet (it holds example.com/grow/shapes)" in done.stderr
    # The next process loads the grown artifact once, for both packages.
    again = run_python(
        f"""
        import usegolib
        shapes = usegolib.import_("example.com/grow/shapes", artifact_dir={str(root)!r})
        draw = usegolib.import_("example.com/grow/draw", artifact_dir={str(root)!r})
        print(draw.Area(shapes.NewSquare(4)), draw._library is shapes._library)
        """,
        **OFFLINE,
    )
    assert again.stdout.strip() == "16 True", again.stderr
    assert "building" not in again.stderr


def test_configured_packages_are_built_together_on_the_first_import(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        f"""
[tool.usegolib]
local = [{str(GROW)!r}]
cache-dir = "cache"

[tool.usegolib.packages]
"example.com/grow" = ["shapes", "example.com/grow/draw"]
""",
        encoding="utf-8",
    )
    done = run_python(
        f"""
        import os
        os.chdir({str(project)!r})
        import usegolib.auto
        from go.example_com.grow.shapes import NewSquare
        from go.example_com.grow import draw
        print(draw.Area(NewSquare(5)))
        """,
        **OFFLINE,
    )
    assert done.stdout.strip() == "25", done.stderr
    assert done.stderr.count("building example.com/grow@local") == 1
    manifest = _manifest(project / "cache", "example.com/grow", "local")
    assert manifest["selection"] == ["example.com/grow/draw", "example.com/grow/shapes"]


def test_a_remote_module_grows_at_the_version_it_has(tmp_path):
    env = proxy_env(write_proxy(tmp_path / "proxy").as_uri(), tmp_path / "modcache")
    root = tmp_path / "root"
    done = run_python(
        f"""
        import usegolib
        loud = usegolib.import_("example.com/greet/loud", version="v1.0.0", artifact_dir={str(root)!r})
        greet = usegolib.import_("example.com/greet", artifact_dir={str(root)!r})
        print(greet.Version(), loud.Hello("x"))
        """,
        **env,
    )
    assert done.stdout.strip() == "v1.0.0 HELLO, X!", done.stderr  # not the latest, v1.1.0
    assert [p.name for p in (root / "example.com" / "greet").iterdir()] == ["v1.0.0"]
    assert _manifest(root, "example.com/greet", "v1.0.0")["selection"] is None


@pytest.mark.parametrize("packages", [["shapes"], ["example.com/grow/shapes", "shapes/"]])
def test_selections_are_normalized(packages):
    from usegolib import selection

    assert selection.normalize(packages, "example.com/grow") == ["example.com/grow/shapes"]
    assert selection.normalize([*packages, "example.com/grow"], "example.com/grow") is None
    assert selection.union(["example.com/grow/a/b"], ["example.com/grow/a"]) == ["example.com/grow/a"]
    assert selection.covers(["example.com/grow/a"], "example.com/grow/a/b")
    assert not selection.covers(["example.com/grow/a"], "example.com/grow/ab")


def test_the_hook_builds_only_the_imported_package_not_its_parents(tmp_path):
    done = run_python(
        """
        import usegolib.auto
        from go.example_com.grow.shapes import NewSquare
        import go.example_com.grow as grow
        print(NewSquare(2).Side(), NewSquare.__module__)
        print(repr(grow))
        print(grow.shapes.NewSquare(3).Side())  # a subpackage, without loading the parent
        print(type(grow).__name__, "_usegolib_loaded" in vars(grow))
        print(grow.Packages())  # the parent's own function: the artifact grows to the whole module
        """,
        USEGOLIB_PATH=str(GROW),
        USEGOLIB_ARTIFACT_DIR=str(tmp_path / "root"),
        **OFFLINE,
    )
    out = done.stdout.splitlines()
    assert out[0].startswith("2 "), done.stderr
    assert out[1] == "<Go package module 'go.example_com.grow', loaded on first use>"
    assert out[2:] == ["3", "_DeferredPackage False", "['shapes', 'draw']"], done.stderr
    assert "building example.com/grow@local (example.com/grow/shapes): no artifact yet" in done.stderr
    assert "the whole module was asked for (the artifact holds example.com/grow/shapes)" in done.stderr


def test_package_ships_only_the_packages_asked_for(tmp_path):
    done = run_cli(
        "package", "--module", str(GROW), "--python-package-name", "growpy", "--out", str(tmp_path / "out"),
        "--root", str(tmp_path / "root"), "--packages", "shapes",
        env=OFFLINE,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    project = tmp_path / "out" / "growpy"
    shipped = json.loads(next(project.rglob("manifest.json")).read_text(encoding="utf-8"))
    assert shipped["selection"] == ["example.com/grow/shapes"]
    assert _held(shipped) == ["example.com/grow/shapes"]
    ran = run_python(
        f"""
        import sys
        sys.path.insert(0, {str(project)!r})
        from growpy import shapes
        print(shapes.NewSquare(3).Side())
        try:
            import growpy.draw
        except ImportError as exc:
            print(type(exc).__name__)
        """,
        **OFFLINE,
    )
    assert ran.stdout.split() == ["3", "ModuleNotFoundError"], ran.stderr


def test_cache_ls_shows_what_each_library_holds(tmp_path):
    root = tmp_path / "root"
    assert (
        run_cli("build", "--module", str(GROW), "--out", str(root), "--packages", "shapes", env=OFFLINE).returncode == 0
    )
    listed = run_cli("cache", "--root", str(root), "ls")
    assert listed.stdout.splitlines()[0].split()[-1] == "PACKAGES"
    assert listed.stdout.splitlines()[1].split()[-1] == "shapes/...", listed.stdout
    as_json = json.loads(run_cli("cache", "--root", str(root), "ls", "--json").stdout)
    assert as_json[0]["packages"] == ["example.com/grow/shapes"]
