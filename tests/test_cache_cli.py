"""`usegolib cache ls | rm | prune` (SPEC §7)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from usegolib.artifact import host_platform

from .conftest import FIXTURES, run_cli
from .goproxy import proxy_env, write_proxy

PLATFORM = host_platform().tag


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    """A root with greet v1.0.0 and v1.1.0 (from the fixture proxy) and the
    local quickstart module; copied per test so tests may remove things."""
    base = tmp_path_factory.mktemp("cache-cli")
    env = proxy_env(write_proxy(base / "proxy").as_uri(), base / "modcache")
    root = base / "root"
    for module in ("example.com/greet@v1.0.0", "example.com/greet@v1.1.0", str(FIXTURES / "quickstart")):
        done = run_cli("build", "--module", module, "--out", str(root), env=env)
        assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def root(populated, tmp_path):
    copy = tmp_path / "root"
    shutil.copytree(populated, copy, symlinks=True)
    return copy


def listed(root):
    done = run_cli("cache", "--root", str(root), "ls", "--json")
    assert done.returncode == 0, done.stderr
    return [(e["module"], e["version"]) for e in json.loads(done.stdout)]


def test_ls(root):
    done = run_cli("cache", "--root", str(root), "ls")
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["MODULE", "VERSION", "PLATFORM", "SIZE", "LAST", "USED", "PACKAGES"]
    assert [line.split()[:3] for line in lines[1:]] == [
        ["example.com/greet", "v1.0.0", PLATFORM],
        ["example.com/greet", "v1.1.0", PLATFORM],
        ["example.com/mod", "local", PLATFORM],
    ]
    entries = json.loads(run_cli("cache", "--root", str(root), "ls", "--json").stdout)
    assert {e["module"] for e in entries} == {"example.com/greet", "example.com/mod"}
    assert all(e["size"] > 100_000 and e["path"].startswith(str(root)) for e in entries)


def test_ls_of_an_empty_root(tmp_path):
    assert "no artifacts under" in run_cli("cache", "--root", str(tmp_path), "ls").stdout
    assert json.loads(run_cli("cache", "--root", str(tmp_path), "ls", "--json").stdout) == []


def test_rm_a_version_and_a_module(root):
    dry = run_cli("cache", "--root", str(root), "rm", "example.com/greet@v1.0.0", "--dry-run")
    assert dry.stdout.startswith("would remove example.com/greet@v1.0.0")
    assert len(listed(root)) == 3
    done = run_cli("cache", "--root", str(root), "rm", "example.com/greet@v1.0.0")
    assert done.stdout.startswith("removed example.com/greet@v1.0.0"), done.stderr
    assert listed(root) == [("example.com/greet", "v1.1.0"), ("example.com/mod", "local")]
    assert run_cli("cache", "--root", str(root), "rm", "example.com/greet").returncode == 0
    assert listed(root) == [("example.com/mod", "local")]
    assert not (root / "example.com" / "greet").exists()  # empty directories go too
    missing = run_cli("cache", "--root", str(root), "rm", "example.com/greet")
    assert missing.returncode == 1
    assert "nothing matches example.com/greet" in missing.stderr


def test_prune_keep_latest(root):
    dry = run_cli("cache", "--root", str(root), "prune", "--keep-latest", "1", "--dry-run")
    assert dry.stdout.splitlines() == [
        f"would remove example.com/greet@v1.0.0 ({PLATFORM}, " + dry.stdout.split(", ", 1)[1].splitlines()[0]
    ]
    run_cli("cache", "--root", str(root), "prune", "--keep-latest", "1")
    assert listed(root) == [("example.com/greet", "v1.1.0"), ("example.com/mod", "local")]


def test_prune_older_than(root):
    old = time.time() - 10 * 86400
    for version in ("v1.0.0", "v1.1.0"):
        artifact = root / "example.com" / "greet" / version / PLATFORM
        marker = artifact / ".last-used"
        marker.touch()
        os.utime(marker, (old, old))
    assert run_cli("cache", "--root", str(root), "prune", "--older-than", "30").stdout.strip() == "nothing to prune"
    run_cli("cache", "--root", str(root), "prune", "--older-than", "5")
    assert listed(root) == [("example.com/mod", "local")]


def test_prune_needs_a_rule(root):
    done = run_cli("cache", "--root", str(root), "prune")
    assert done.returncode == 2
    assert "--older-than" in done.stderr


def test_removing_a_loaded_artifact_leaves_the_loading_process_working(root):
    code = f"""
import sys, usegolib
h = usegolib.import_("example.com/mod", artifact_dir={str(root)!r})
print(h.AddInt(1, 1), flush=True)
sys.stdin.readline()
print(h.AddInt(2, 3), flush=True)
"""
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "USEGOLIB_OFFLINE": "1"},
    )
    assert proc.stdout.readline().strip() == "2"
    assert run_cli("cache", "--root", str(root), "rm", "example.com/mod").returncode == 0
    out, err = proc.communicate("go on\n", timeout=60)
    assert out.strip() == "5", err
    assert proc.returncode == 0


def test_directories_that_merely_hold_a_manifest_are_not_artifacts(root, tmp_path):
    foreign = tmp_path / "site"
    for path in ("web-app/manifest.json", "pwa/v1/icons-set/manifest.json", "a/b/c/d/linux-amd64/manifest.json"):
        (foreign / path).parent.mkdir(parents=True)
        (foreign / path).write_text('{"name": "not an artifact"}')
    assert json.loads(run_cli("cache", "--root", str(foreign), "ls", "--json").stdout) == []
    assert run_cli("cache", "--root", str(foreign), "prune", "--older-than", "0").stdout.strip() == "nothing to prune"
    assert (foreign / "web-app" / "manifest.json").exists()
    # Inside a real root, only the real artifacts count; a subdirectory as root lists nothing.
    assert len(listed(root)) == 3
    assert listed(root / "example.com" / "greet") == []


def test_negative_rules_are_refused(root):
    for rule in (["--keep-latest", "-1"], ["--older-than", "-5"]):
        done = run_cli("cache", "--root", str(root), "prune", *rule)
        assert done.returncode == 2
        assert "must not be negative" in done.stderr
    assert len(listed(root)) == 3


def test_keep_latest_spares_local_builds(root):
    run_cli("cache", "--root", str(root), "prune", "--keep-latest", "0")
    assert listed(root) == [("example.com/mod", "local")]


def test_go_version_order():
    from usegolib.cache import version_key

    order = [
        "v1.0.0-rc.1",
        "v1.0.0",
        "v1.0.1-0.20240101000000-abcdef123456",
        "v1.0.1",
        "v1.2.0",
        "v1.10.0",
        "v2.0.0+incompatible",
    ]
    assert sorted(order, key=lambda v: version_key(v, 0)) == order
    assert version_key("local", 5) < version_key("v0.0.1", 0)
