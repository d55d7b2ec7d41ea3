"""Hostile names and paths are refused before anything is written or run
(issue 9, item 9): module paths with `..`, absolute paths, NUL, shell
metacharacters, confusable letters, and artifact directories reached
through symbolic links."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import usegolib
from usegolib.builder import build_module

from .conftest import ROOT, run_cli, run_python

HOSTILE = [
    "example.com/../etc",
    "example.com/a\x00b",
    "example.com/$(touch pwned)",
    "example.com/a;touch pwned",
    "example.com/a`id`",
    "example.com/a b",
    "example.com/a\nb",
    "\u0435xample.com/mod",  # a Cyrillic "e"
    "example.com/Mod!",
    "-flag",
]


@pytest.mark.parametrize("path", HOSTILE)
def test_hostile_module_paths_are_refused_before_any_write(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "root"
    with pytest.raises(ValueError, match="not a valid Go module or package path"):
        usegolib.import_(path, artifact_dir=root)
    with pytest.raises(ValueError, match="not a valid Go module or package path"):
        build_module(path, root)
    assert sorted(os.listdir(tmp_path)) == []  # no root, no staging, no "pwned"


def test_the_cli_refuses_them_too(tmp_path):
    done = run_cli("build", "--module", "example.com/$(touch pwned)", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode != 0 and "not a valid Go module or package path" in done.stderr
    assert sorted(os.listdir(tmp_path)) == []


def test_no_subprocess_goes_through_a_shell():
    sources = list((ROOT / "usegolib").rglob("*.py"))
    offenders = [str(p) for p in sources if re.search(r"shell\s*=\s*True|os\.system|os\.popen", p.read_text())]
    assert sources and offenders == []


def test_an_artifact_reached_through_a_link_below_the_root_is_refused(quickstart_root, tmp_path):
    real = quickstart_root / "example.com" / "mod" / "local"
    (tmp_path / "example.com" / "mod").mkdir(parents=True)
    (tmp_path / "example.com" / "mod" / "local").symlink_to(real, target_is_directory=True)
    done = _import_in_new_process(tmp_path)
    assert "LoadError" in done and "symbolic link below the artifact root" in done, done


def test_an_artifact_root_that_is_itself_a_link_is_fine(quickstart_root, tmp_path):
    link = tmp_path / "cache"
    link.symlink_to(quickstart_root, target_is_directory=True)
    assert _import_in_new_process(link).strip() == "3"


def _import_in_new_process(root: Path) -> str:
    done = run_python(
        f"""
        import usegolib
        try:
            print(usegolib.import_("example.com/mod", artifact_dir={str(root)!r}).AddInt(1, 2))
        except usegolib.errors.LoadError as exc:
            print("LoadError", exc)
        """
    )
    return done.stdout + done.stderr
