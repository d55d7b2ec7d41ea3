"""The remembered up-to-date check of local modules (usegolib/uptodate.py):
with nothing changed, an import finds its artifact fresh from what the last
full check depended on, without importing the builder; every kind of
change still gets the full check, which rebuilds what changed and
nothing else. Real builds with the real Go toolchain and Zig."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from usegolib import remembered, uptodate, witness
from usegolib.builder.shim import shim_digest

from .conftest import FIXTURES, ROOT, quickstart_dir, run_python

# A check remembers only files older than this (a write in the same clock
# tick as its read could keep every field it compares).
SETTLE = witness.FINE_MARGIN_NS / 1e9 + 0.2

# What the check must not import when nothing changed, besides the builder.
HEAVY = ("json", "re", "hashlib", "pathlib", "subprocess", "typing")

IMPORT_MOD = f"""
import sys
before = set(sys.modules)
import usegolib.auto
import go.example_com.mod as mod
new = sorted(m for m in sys.modules if m not in before and (m.startswith("usegolib.builder") or m in {HEAVY!r}))
print(mod.AddInt(40, 2), *new)
"""


class Imported(NamedTuple):
    result: str
    modules: list[str]  # the builder's and HEAVY, if the import loaded them
    stderr: str

    @property
    def checked_fully(self) -> bool:
        return "usegolib.builder.fingerprint" in self.modules


def import_mod(env: dict[str, str]) -> Imported:
    done = run_python(IMPORT_MOD, **env)
    assert done.returncode == 0 and done.stdout, done.stderr
    result, *modules = done.stdout.split()
    return Imported(result, modules, done.stderr)


def record_file(env: dict[str, str]) -> Path:
    return quickstart_dir(Path(env["USEGOLIB_ARTIFACT_DIR"])) / uptodate.UP_TO_DATE


@pytest.fixture
def checked_module(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A private copy of the quickstart module, built by an import, whose
    check after the build remembered what it depended on. PATH starts with
    an empty directory of the test's."""
    module = tmp_path / "mod"
    shutil.copytree(FIXTURES / "quickstart", module)
    (tmp_path / "bin").mkdir()
    env = {
        "USEGOLIB_PATH": str(module),
        "USEGOLIB_ARTIFACT_DIR": str(tmp_path / "cache"),
        "GOPROXY": "off",
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
    }
    time.sleep(SETTLE)  # the copy is old enough to be remembered
    built = import_mod(env)
    assert "building example.com/mod@local: no artifact yet" in built.stderr
    assert record_file(env).is_file()  # by the check after the build
    return module, env


def test_an_unchanged_module_is_fresh_without_the_builder(checked_module):
    _module, env = checked_module
    for _ in range(2):
        again = import_mod(env)
        assert again == Imported("42", [], ""), again


def _edit_keeping_size_and_mtime(module: Path, env: dict[str, str]) -> dict[str, str]:
    source = module / "mod.go"
    before = source.stat()
    source.write_text(source.read_text().replace("return a + b", "return a - b"))
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = source.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    return env


def _add_a_file(module: Path, env: dict[str, str]) -> dict[str, str]:
    (module / "sub.go").write_text("package mod\n\n// Sub subtracts.\nfunc Sub(a, b int) int { return a - b }\n")
    return env


def _edit_go_mod(module: Path, env: dict[str, str]) -> dict[str, str]:
    with open(module / "go.mod", "a") as f:
        f.write("\n// a comment\n")
    return env


def _set_a_build_variable(module: Path, env: dict[str, str]) -> dict[str, str]:
    return {**env, "CGO_CFLAGS": "-O1"}


def _point_usegolib_path_at_an_edited_copy(module: Path, env: dict[str, str]) -> dict[str, str]:
    copy = module.parent / "copy"
    shutil.copytree(module, copy)
    source = copy / "mod.go"
    source.write_text(source.read_text().replace("return a + b", "return a - b"))
    return {**env, "USEGOLIB_PATH": str(copy)}


@pytest.mark.parametrize(
    ("change", "result", "reason"),
    [
        (_edit_keeping_size_and_mtime, "38", "the module's source files changed"),
        (_add_a_file, "42", "the module's source files changed"),
        (_edit_go_mod, "42", "the module's source files changed"),
        (_set_a_build_variable, "42", "the env CGO_CFLAGS changed (None -> '-O1')"),
        (_point_usegolib_path_at_an_edited_copy, "38", "the module's source files changed"),
    ],
)
def test_a_change_rebuilds(checked_module, change, result, reason):
    module, env = checked_module
    done = import_mod(change(module, env))
    assert f"building example.com/mod@local: {reason}" in done.stderr, done.stderr
    assert done.result == result
    assert done.checked_fully


def _touch_go_mod(module: Path, env: dict[str, str]) -> dict[str, str]:
    os.utime(module / "go.mod")
    return env


def _link_go_earlier_on_path(module: Path, env: dict[str, str]) -> dict[str, str]:
    """The same go binary, by a link in a directory before its own on an
    unchanged PATH: the full check sees the same toolchain (it resolves
    links), so nothing is rebuilt, but the check is not skipped."""
    go = shutil.which("go", path=env["PATH"])
    if go is None or os.environ.get("USEGOLIB_GO"):
        pytest.skip("Go is not found on PATH here")
    (module.parent / "bin" / "go").symlink_to(os.path.realpath(go))
    return env


def _unchanged_copy_elsewhere(module: Path, env: dict[str, str]) -> dict[str, str]:
    copy = module.parent / "elsewhere"
    shutil.copytree(module, copy)
    return {**env, "USEGOLIB_PATH": str(copy)}


def _damage_the_record(module: Path, env: dict[str, str]) -> dict[str, str]:
    record = record_file(env)
    record.write_bytes(record.read_bytes()[:-40])
    return env


@pytest.mark.parametrize(
    "change", [_touch_go_mod, _link_go_earlier_on_path, _unchanged_copy_elsewhere, _damage_the_record]
)
def test_a_change_that_changes_nothing_runs_the_full_check_and_rebuilds_nothing(checked_module, change):
    module, env = checked_module
    done = import_mod(change(module, env))
    assert done.checked_fully
    assert (done.result, done.stderr) == ("42", ""), done.stderr


def test_the_full_check_remembers_anew(checked_module):
    """After a change the full check found harmless, the next import is
    quick again once the changed files are old enough."""
    module, env = checked_module
    os.utime(module / "mod.go")
    time.sleep(SETTLE)
    assert import_mod(env).checked_fully
    assert import_mod(env) == Imported("42", [], "")


# Without a build: the witness on files of the test's own.


def _fresh_record(tmp_path: Path, ask) -> tuple[Path, witness.Witness]:
    artifact = tmp_path / "artifact"
    artifact.mkdir(exist_ok=True)
    w = witness.Witness()
    ask(w)
    w.remember(str(artifact), "source", {"sources": "s"}, [])
    return artifact, w


def _still(artifact: Path) -> bool:
    return uptodate.still_up_to_date(str(artifact), "source", {"sources": "s"}, [])


def test_a_shim_edit_keeping_size_and_mtime_is_seen(tmp_path):
    """The Go shim of a source checkout: any edit to it, or a new file in
    it, fails the remembered check (the full check in turn sees the
    files' sizes and mtimes, and digests their content)."""
    shim = tmp_path / "go_shim"
    shutil.copytree(ROOT / "go_shim", shim)
    shim_digest(shim)  # its digest remembered in the tools directory
    time.sleep(SETTLE)
    artifact, _ = _fresh_record(tmp_path, lambda w: shim_digest(shim, w))
    assert _still(artifact)
    source = next(shim.glob("rt/*.go"))
    before = source.stat()
    text = source.read_bytes()
    source.write_bytes(text.replace(b"package", b"packag_", 1))
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not _still(artifact)
    source.write_bytes(text)
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    time.sleep(SETTLE)
    artifact, _ = _fresh_record(tmp_path, lambda w: shim_digest(shim, w))
    assert _still(artifact)
    (shim / "rt" / "new.go").write_text("package rt\n")
    assert not _still(artifact)


def test_answers_too_recent_to_trust_are_not_remembered(tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    artifact, _ = _fresh_record(tmp_path, lambda w: w.identity(path))
    assert not (artifact / uptodate.UP_TO_DATE).exists()
    time.sleep(SETTLE)
    artifact, _ = _fresh_record(tmp_path, lambda w: w.identity(path))
    assert _still(artifact)


def test_an_answer_that_changed_while_checked_is_not_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("USEGOLIB_TEST_VALUE", "one")

    def ask_then_change(w: witness.Witness) -> None:
        w.env("USEGOLIB_TEST_VALUE")
        os.environ["USEGOLIB_TEST_VALUE"] = "two"

    artifact, _ = _fresh_record(tmp_path, ask_then_change)
    assert not (artifact / uptodate.UP_TO_DATE).exists()
    artifact, _ = _fresh_record(tmp_path, lambda w: w.env("USEGOLIB_TEST_VALUE"))
    assert _still(artifact)
    monkeypatch.setenv("USEGOLIB_TEST_VALUE", "three")
    assert not _still(artifact)


def test_a_record_is_tied_to_what_the_check_compared(tmp_path):
    artifact, _ = _fresh_record(tmp_path, lambda w: w.env("HOME"))
    assert _still(artifact)
    assert not uptodate.still_up_to_date(str(artifact), "elsewhere", {"sources": "s"}, [])
    assert not uptodate.still_up_to_date(str(artifact), "source", {"sources": "t"}, [])
    assert not uptodate.still_up_to_date(str(artifact), "source", {"sources": "s"}, [{"pkg": "p"}])
    record = remembered.read(str(artifact / uptodate.UP_TO_DATE))
    assert record["asked"] == {"env": [("HOME", os.environ.get("HOME"))]}


def test_nothing_is_remembered_in_a_read_only_artifact_directory(tmp_path):
    artifact = tmp_path / "artifact"
    artifact.mkdir()
    artifact.chmod(0o555)
    try:
        _fresh_record(tmp_path, lambda w: w.env("HOME"))
        assert not (artifact / uptodate.UP_TO_DATE).exists()
    finally:
        artifact.chmod(0o755)
