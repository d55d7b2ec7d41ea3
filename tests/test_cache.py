"""The artifact cache behind import_ (SPEC §5, §7): builds on a miss, once,
and again only when an input changed; concurrent and killed builds."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import usegolib.config
from usegolib.artifact import user_cache_dir

from .conftest import FIXTURES, run_python

IMPORT_MOD = """
import usegolib
h = usegolib.import_("example.com/mod")
print(h.AddInt(40, 2), flush=True)
"""


@pytest.fixture
def local_module(tmp_path):
    """A private copy of the quickstart module, configured through
    USEGOLIB_PATH, with a private artifact root."""
    module = tmp_path / "mod"
    shutil.copytree(FIXTURES / "quickstart", module)
    env = {"USEGOLIB_PATH": str(module), "USEGOLIB_ARTIFACT_DIR": str(tmp_path / "cache"), "GOPROXY": "off"}
    return module, env


def test_import_builds_a_missing_local_module_then_reuses_it(local_module):
    _module, env = local_module
    first = run_python(IMPORT_MOD, **env)
    assert first.stdout.strip() == "42", first.stderr
    assert "building example.com/mod@local: no artifact yet" in first.stderr
    second = run_python(IMPORT_MOD, **env)
    assert second.stdout.strip() == "42", second.stderr
    assert second.stderr == ""  # unchanged: no build, not even a message


def test_changes_to_sources_trigger_a_rebuild_with_the_reason(local_module):
    module, env = local_module
    assert run_python(IMPORT_MOD, **env).stdout.strip() == "42"
    source = module / "mod.go"
    source.write_text(source.read_text().replace("return a + b", "return a + b + 1000"))
    changed = run_python(IMPORT_MOD, **env)
    assert changed.stdout.strip() == "1042", changed.stderr
    assert "building example.com/mod@local: the module's source files changed" in changed.stderr
    # Touching a file without changing it is not a change: the check is by content.
    os.utime(source)
    assert run_python(IMPORT_MOD, **env).stderr == ""


def test_new_files_and_go_mod_changes_count(local_module):
    module, env = local_module
    assert run_python(IMPORT_MOD, **env).stdout.strip() == "42"
    (module / "extra.go").write_text("package mod\n\n// Extra is new.\nfunc Extra() int { return 7 }\n")
    done = run_python(IMPORT_MOD + "print(h.Extra())\n", **env)
    assert done.stdout.split() == ["42", "7"], done.stderr
    (module / "go.mod").write_text((module / "go.mod").read_text() + "\n// a comment\n")
    assert "source files changed" in run_python(IMPORT_MOD, **env).stderr


def test_build_errors_surface_from_import(local_module):
    module, env = local_module
    (module / "mod.go").write_text('package mod\n\nfunc Broken() int { return "x" }\n')
    done = run_python(
        """
        import usegolib
        try:
            usegolib.import_("example.com/mod")
        except usegolib.errors.BuildError as exc:
            print("BuildError:", exc)
        """,
        **env,
    )
    assert "BuildError: compiling the bridge failed" in done.stdout or "BuildError: scanning" in done.stdout
    assert "mod.go:3:" in done.stdout


def test_eight_processes_importing_cold_build_once(local_module):
    _module, env = local_module
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORT_MOD],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    results = [p.communicate(timeout=600) for p in procs]
    failed = [
        f"status {p.returncode}, stdout {out!r}:\n{err}"
        for p, (out, err) in zip(procs, results, strict=True)
        if out != "42\n"
    ]
    assert not failed, "\n---\n".join(failed)
    logs = "".join(err for _, err in results)
    assert len(re.findall(r"^usegolib: \[ *[\d.]+s\] building example\.com/mod@local: ", logs, re.M)) == 1, logs
    waiting = logs.count("waiting for another process building example.com/mod@local")
    assert waiting <= 7
    if waiting:  # the waiting processes show the build's own progress
        assert re.search(r"\(the other build\) \[ *[\d.]+s\] scanning example\.com/mod", logs), logs


@pytest.mark.parametrize("phase", ["building example.com", "scanning", "compiling"])
def test_a_killed_build_leaves_nothing_half_written_and_the_next_import_recovers(local_module, tmp_path, phase):
    _module, env = local_module
    cache = tmp_path / "cache"
    victim = subprocess.Popen(
        [sys.executable, "-c", IMPORT_MOD],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    seen = ""
    while phase not in seen and time.monotonic() < deadline:
        seen += victim.stderr.readline()
    assert phase in seen, seen
    os.killpg(victim.pid, signal.SIGKILL)  # the build and every go/zig process under it
    victim.wait()
    assert not (cache / "example.com").exists()  # nothing was installed
    assert [p.name.split("-")[0] for p in (cache / ".staging").iterdir()] == [str(victim.pid)]
    done = run_python(IMPORT_MOD, **env)
    assert done.stdout.strip() == "42", done.stderr
    assert list((cache / ".staging").iterdir()) == []  # the dead build's leftovers are gone


def test_force_rebuilds(local_module, tmp_path):
    module, env = local_module
    build = [sys.executable, "-m", "usegolib", "build", "--module", str(module), "--out", str(tmp_path / "out")]
    first = subprocess.run(build, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(build, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    assert "is up to date" in again.stderr
    forced = subprocess.run([*build, "--force"], env={**os.environ, **env}, capture_output=True, text=True, check=False)
    assert "building example.com/mod@local: forced" in forced.stderr


def test_quiet_builds(local_module):
    _module, env = local_module
    done = run_python(IMPORT_MOD, **env, USEGOLIB_QUIET="1")
    assert done.stdout.strip() == "42"
    assert done.stderr == ""


def test_pyproject_configures_local_modules_versions_and_the_cache(tmp_path):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    shutil.copytree(FIXTURES / "quickstart", project / "gomod")
    (project / "pyproject.toml").write_text(
        textwrap.dedent("""
        [project]
        name = "demo"

        [tool.usegolib]
        local = ["gomod"]
        cache-dir = "build/go-cache"
        """)
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("USEGOLIB_")}
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_MOD],
        cwd=project / "src",
        env={**env, "GOPROXY": "off"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip() == "42", done.stderr
    assert (project / "build" / "go-cache" / "example.com" / "mod" / "local").is_dir()


def test_a_changed_toolchain_triggers_a_rebuild(local_module, tmp_path):
    _module, env = local_module
    assert run_python(IMPORT_MOD, **env).stdout.strip() == "42"
    (manifest_path,) = (tmp_path / "cache").glob("example.com/mod/local/*/manifest.json")
    manifest = json.loads(manifest_path.read_text())
    manifest["inputs"]["go"] = "go1.0"
    manifest_path.write_text(json.dumps(manifest))
    done = run_python(IMPORT_MOD, **env)
    assert done.stdout.strip() == "42", done.stderr
    assert "building example.com/mod@local: the Go version changed ('go1.0' -> 'go1." in done.stderr


def test_without_go_a_missing_artifact_says_how_to_get_go(local_module, tmp_path):
    _module, env = local_module
    done = run_python(
        """
        import usegolib
        try:
            usegolib.import_("example.com/mod")
        except usegolib.errors.ArtifactNotFoundError as exc:
            print(exc)
        """,
        **env,
        USEGOLIB_GO=str(tmp_path / "no-go"),
    )
    assert "no artifact for example.com/mod" in done.stdout, done.stderr
    assert "pip install 'usegolib[go]'" in done.stdout
    assert "prebuilt artifact" in done.stdout


def test_without_go_a_stale_local_artifact_is_used_with_a_warning(local_module, tmp_path):
    module, env = local_module
    assert run_python(IMPORT_MOD, **env).stdout.strip() == "42"
    (module / "mod.go").write_text((module / "mod.go").read_text() + "\n// changed\n")
    done = run_python(IMPORT_MOD, **env, USEGOLIB_GO=str(tmp_path / "no-go"))
    assert done.stdout.strip() == "42", done.stderr
    assert "RuntimeWarning: example.com/mod" in done.stderr
    assert "changed but cannot be rebuilt" in done.stderr


def test_an_artifact_root_inside_the_module_does_not_count_as_source(tmp_path):
    module = tmp_path / "project"
    shutil.copytree(FIXTURES / "quickstart", module)
    env = {"USEGOLIB_PATH": str(module), "USEGOLIB_ARTIFACT_DIR": str(module / "build" / "go"), "GOPROXY": "off"}
    assert "building" in run_python(IMPORT_MOD, **env).stderr
    again = run_python(IMPORT_MOD, **env)
    assert again.stdout.strip() == "42"
    assert again.stderr == ""  # the artifacts under build/go did not make the sources "change"


def test_replaced_directories_count_as_sources_relative_or_absolute(tmp_path):
    dep = tmp_path / "dep"
    dep.mkdir()
    (dep / "go.mod").write_text("module example.com/dep\n\ngo 1.22\n")
    (dep / "dep.go").write_text("package dep\n\n// V is a version.\nfunc V() int { return 1 }\n")
    module = tmp_path / "mod"
    module.mkdir()
    (module / "go.mod").write_text(
        f"module example.com/mod\n\ngo 1.22\n\nrequire example.com/dep v0.0.0\n\nreplace example.com/dep => {dep}\n"
    )
    (module / "mod.go").write_text(
        'package mod\n\nimport "example.com/dep"\n\n// V is dep.V.\nfunc V() int { return dep.V() }\n'
    )
    env = {"USEGOLIB_PATH": str(module), "USEGOLIB_ARTIFACT_DIR": str(tmp_path / "cache"), "GOPROXY": "off"}
    code = "import usegolib; print(usegolib.import_('example.com/mod').V())"
    assert run_python(code, **env).stdout.strip() == "1"
    (dep / "dep.go").write_text("package dep\n\n// V is a version.\nfunc V() int { return 2 }\n")
    done = run_python(code, **env)
    assert done.stdout.strip() == "2", done.stderr
    assert "source files changed" in done.stderr


def test_dangling_links_and_fifos_in_a_module_are_harmless(local_module):
    module, env = local_module
    (module / "result").symlink_to(module / "does-not-exist")
    os.mkfifo(module / "pipe")
    done = run_python(IMPORT_MOD, **env)
    assert done.stdout.strip() == "42", done.stderr


def test_build_environment_changes_trigger_a_rebuild(local_module):
    _module, env = local_module
    assert run_python(IMPORT_MOD, **env).stdout.strip() == "42"
    done = run_python(IMPORT_MOD, **env, CGO_CFLAGS="-O1")
    assert "building example.com/mod@local: the env CGO_CFLAGS changed (None -> '-O1')" in done.stderr


def test_staging_directories_of_running_builds_are_kept_whatever_their_pid(tmp_path):
    from filelock import FileLock

    from usegolib.builder.workspace import LOCK, LOCKED, remove_dead_staging

    staging = tmp_path / ".staging"
    running, dead, legacy = staging / "4000000-running", staging / "4000001-dead", staging / "4000002-nolock"
    # A build between creating its lock file and locking it: the lock is free,
    # yet the build is alive (removing it made concurrent first imports fail).
    locking = staging / "4000003-locking"
    for directory in (running, dead, legacy, locking):
        directory.mkdir(parents=True)
        (directory / LOCK).touch()
    for directory in (running, dead):
        (directory / LOCKED).touch()
    (legacy / LOCK).unlink()
    hold = (
        f"import sys, filelock; lock = filelock.FileLock({str(running / LOCK)!r}); lock.acquire(); "
        "print('held', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    try:
        remove_dead_staging(staging)
    finally:
        holder.communicate("")
    assert running.exists()  # its lock is held by another process
    assert not dead.exists()  # nobody holds its lock: a dead build's
    assert legacy.exists()  # cannot tell: left until it is a day old
    assert locking.exists()  # not locked yet: left until it is a day old
    assert FileLock(running / LOCK).acquire(timeout=0)


def test_malformed_configuration_names_the_file_and_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.usegolib.aliases]\nbad = "example.com/x/"\n')
    done = run_python(
        f"""
        import os, usegolib
        os.chdir({str(tmp_path)!r})
        try:
            usegolib.import_("example.com/x")
        except usegolib.config.ConfigError as exc:
            print(exc)
        """
    )
    assert "pyproject.toml: [tool.usegolib.aliases]: not a valid Go module or package path" in done.stdout, done.stderr


def test_relative_cache_directories_are_taken_from_the_working_directory(local_module, tmp_path):
    """Helper programs run in other directories: a relative USEGOLIB_CACHE_DIR
    once named a generator that no longer existed from where it ran."""
    _module, env = local_module
    work = tmp_path / "work"
    work.mkdir()
    code = f"import os; os.chdir({str(work)!r})\n" + IMPORT_MOD
    done = run_python(code, **{**env, "USEGOLIB_CACHE_DIR": "cache", "USEGOLIB_ARTIFACT_DIR": "artifacts"})
    assert done.stdout.strip() == "42", done.stderr
    assert list((work / "artifacts").glob("example.com/mod/local/*/manifest.json"))
    assert list((work / "cache" / ".tools").glob("usegolib-gen-*"))


@pytest.mark.parametrize("xdg", [None, "/somewhere/xdg-cache"])
def test_the_default_cache_directory_is_platformdirs_one(monkeypatch, xdg):
    """artifact.user_cache_dir spares the import of platformdirs on Linux
    and macOS, and must say what platformdirs says."""
    import platformdirs

    monkeypatch.delenv("USEGOLIB_CACHE_DIR", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert Path(user_cache_dir()) == Path(platformdirs.user_cache_dir("usegolib"))


@pytest.mark.parametrize(
    ("text", "ours"),
    [
        ("[tool.usegolib]\n", True),
        ("[tool.usegolib.aliases]\nx = 'example.com/x'\n", True),
        ("[ \"tool\" . 'usegolib' ]\n", True),
        ("tool.usegolib.aliases = {}\n", True),
        ("[tool]\nusegolib = { aliases = {} }\n", True),
        ('[project]\ndependencies = ["usegolib[build]>=0.2", "usegolib"]\n', False),
        ('[tool.ruff]\nsrc = ["usegolib"]\n', False),
        ('[project.scripts]\nusegolib = "usegolib.cli:main"\n', False),
    ],
)
def test_only_a_pyproject_that_can_hold_the_table_is_parsed(text, ours):
    tomllib = pytest.importorskip("tomllib" if sys.version_info >= (3, 11) else "tomli")

    assert usegolib.config._may_configure(text) is ours
    assert ("usegolib" in tomllib.loads(text).get("tool", {})) is ours


@pytest.mark.parametrize("data", [b"", b"go", bytes(range(256)) * 300])
def test_the_small_sha256_is_hashlibs(data):
    """usegolib.digests spares a warm import hashlib's OpenSSL: it must
    give hashlib's digests, whole and in pieces."""
    import hashlib

    from usegolib import digests

    assert digests.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    pieces = digests.sha256()
    for start in range(0, len(data), 1000):
        pieces.update(data[start : start + 1000])
    assert pieces.digest() == hashlib.sha256(data).digest()
