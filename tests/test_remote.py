"""Remote modules (SPEC §5, §7) against a hermetic module proxy built from
tests/fixtures/proxy, and against the real proxy when it is reachable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from usegolib.artifact import host_platform
from usegolib.builder.progress import human_size

from .conftest import run_cli, run_python
from .goproxy import Stall, http_proxy, proxy_env, write_proxy


@pytest.fixture(scope="session")
def proxy_dir(tmp_path_factory):
    return write_proxy(tmp_path_factory.mktemp("goproxy"))


@pytest.fixture
def remote(proxy_dir, tmp_path):
    """Environment for a fresh process that sees only the fixture proxy."""
    return proxy_env(proxy_dir.as_uri(), tmp_path / "modcache")


def test_build_a_remote_module_at_a_version(remote, tmp_path):
    done = run_cli("build", "--module", "example.com/greet@v1.0.0", "--out", str(tmp_path / "root"), env=remote)
    assert done.returncode == 0, done.stderr
    artifact = tmp_path / "root" / "example.com" / "greet" / "v1.0.0" / host_platform().tag
    assert done.stdout.splitlines()[0] == str(artifact)
    manifest = json.loads((artifact / "manifest.json").read_text())
    assert manifest["version"] == "v1.0.0"
    assert manifest["source"] == {"query": "example.com/greet@v1.0.0"}
    assert sorted(p["path"] for p in manifest["packages"]) == ["example.com/greet", "example.com/greet/loud"]
    assert "resolving and downloading example.com/greet@v1.0.0" in done.stderr
    # Downloads are named with their sizes, read from the module cache.
    zipped = tmp_path / "modcache" / "cache" / "download" / "example.com" / "greet" / "@v" / "v1.0.0.zip"
    assert "downloading example.com/greet v1.0.0" in done.stderr
    assert "downloaded 2 modules, " in done.stderr
    assert f"example.com/greet v1.0.0 {human_size(zipped.stat().st_size)}, example.com/words v1.0.0 " in done.stderr


def test_import_a_package_path_builds_its_closure_then_grows(remote, tmp_path):
    root = tmp_path / "root"
    done = run_python(
        f"""
        import usegolib
        loud = usegolib.import_("example.com/greet/loud", artifact_dir={str(root)!r})
        print(loud.Hello("gopher"), loud._library.manifest["selection"])
        greet = usegolib.import_("example.com/greet", artifact_dir={str(root)!r})
        print(greet.Version(), greet._library is loud._library, greet.loud.Hello("again"))
    """,
        **remote,
    )
    assert done.stdout.splitlines() == [
        "HELLO, GOPHER! ['example.com/greet/loud']",
        "v1.1.0 False HELLO, AGAIN!",  # the grown library, loaded beside the first
    ], done.stderr
    assert "building example.com/greet@v1.1.0 (example.com/greet/loud): no artifact yet" in done.stderr
    assert "building example.com/greet@v1.1.0: the whole module was asked for" in done.stderr
    assert [p.name for p in (root / "example.com" / "greet").iterdir()] == ["v1.1.0"]
    # A second process finds the grown artifact: no network, no build.
    again = run_python(
        f"""
        import usegolib
        loud = usegolib.import_("example.com/greet/loud", artifact_dir={str(root)!r})
        greet = usegolib.import_("example.com/greet", artifact_dir={str(root)!r})
        print(loud.Hello("again"), greet._library is loud._library)
    """,
        GOPROXY="off",
        USEGOLIB_OFFLINE="1",
    )
    assert again.stdout.strip() == "HELLO, AGAIN! True", again.stderr
    assert "building" not in again.stderr


def test_version_rules_across_built_versions(remote, tmp_path):
    root = str(tmp_path / "root")
    for version in ("v1.0.0", "v1.1.0"):
        assert run_cli("build", "--module", f"example.com/greet@{version}", "--out", root, env=remote).returncode == 0
    done = run_python(
        f"""
        import usegolib
        from usegolib import errors
        root = {root!r}
        try:
            usegolib.import_("example.com/greet", artifact_dir=root)
        except errors.AmbiguousArtifactError as exc:
            print("ambiguous:", exc)
        old = usegolib.import_("example.com/greet/loud", artifact_dir=root, version="v1.0.0")
        print(usegolib.import_("example.com/greet", artifact_dir=root).Version())
        try:
            usegolib.import_("example.com/greet", artifact_dir=root, version="v1.1.0")
        except errors.VersionConflictError as exc:
            print("conflict:", exc)
    """,
        **remote,
        USEGOLIB_OFFLINE="1",
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("ambiguous: several versions of example.com/greet"), done.stderr
    assert "v1.0.0, v1.1.0" in lines[0]
    assert lines[1] == "v1.0.0"
    assert lines[2].startswith("conflict: Go module example.com/greet is already loaded at version v1.0.0")


@pytest.mark.parametrize(
    ("path", "version", "named"),
    [
        ("example.com/nope", None, "example.com/nope@latest"),
        ("example.com/greet", "v9.9.9", "example.com/greet@v9.9.9"),
    ],
)
def test_missing_modules_and_versions_are_named(remote, tmp_path, path, version, named):
    done = run_python(
        f"""
        import usegolib
        try:
            usegolib.import_({path!r}, artifact_dir={str(tmp_path)!r}, version={version!r})
        except usegolib.errors.ArtifactNotFoundError as exc:
            print(exc)
    """,
        **remote,
    )
    assert f"Go found no module providing {named}" in done.stdout, done.stderr
    assert "retrying" not in done.stderr


def test_transient_proxy_failures_are_retried(proxy_dir, tmp_path):
    with http_proxy(proxy_dir, {"/example.com/greet/@v/list": 2}) as url:
        done = run_cli(
            "build",
            "--module",
            "example.com/greet",
            "--out",
            str(tmp_path / "root"),
            env=proxy_env(url, tmp_path / "modcache"),
        )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("network failure, retrying") == 2
    assert (tmp_path / "root" / "example.com" / "greet" / "v1.1.0").is_dir()


def test_a_build_killed_while_downloading_leaves_nothing_and_the_next_one_recovers(proxy_dir, tmp_path):
    stall = Stall("/example.com/greet/@v/v1.0.0.zip")
    root = tmp_path / "root"
    with http_proxy(proxy_dir, {}, stall) as url:
        env = proxy_env(url, tmp_path / "modcache")
        victim = subprocess.Popen(
            [sys.executable, "-m", "usegolib", "build", "--module", "example.com/greet@v1.0.0", "--out", str(root)],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        assert stall.requested.wait(120), "the build never asked for the module's zip"
        os.killpg(victim.pid, signal.SIGKILL)  # the build and the go command downloading for it
        victim.wait()
        stall.release()
        assert not (root / "example.com").exists()  # nothing was installed
        done = run_cli("build", "--module", "example.com/greet@v1.0.0", "--out", str(root), env=env)
    assert done.returncode == 0, done.stderr
    assert (root / "example.com" / "greet" / "v1.0.0").is_dir()
    assert list((root / ".staging").iterdir()) == []  # the dead build's staging directory is gone


def test_persistent_proxy_failures_give_up(proxy_dir, tmp_path):
    with http_proxy(proxy_dir, {"/example.com/greet/@v/list": 10}) as url:
        done = run_cli(
            "build",
            "--module",
            "example.com/greet",
            "--out",
            str(tmp_path / "root"),
            env=proxy_env(url, tmp_path / "modcache"),
        )
    assert done.returncode == 1
    assert done.stderr.count("network failure, retrying") == 2
    assert "503" in done.stderr


def test_major_versions_are_modules_of_their_own(remote, tmp_path):
    done = run_python(
        """
        import usegolib.auto
        import go.example_com.greet as v1
        import go.example_com.greet.v2 as v2
        print(v1.Version(), v2.Version(), v1._library is not v2._library)
        """,
        USEGOLIB_ARTIFACT_DIR=str(tmp_path / "cache"),
        **remote,
    )
    assert done.stdout.strip() == "v1.1.0 v2.0.0 True", done.stderr


def test_one_version_per_process_even_for_packages_only_the_other_version_has(remote, tmp_path):
    root = str(tmp_path / "root")
    done = run_python(
        f"""
        import usegolib
        from usegolib import errors
        old = usegolib.import_("example.com/evolve", artifact_dir={root!r}, version="v1.0.0")
        for version in ("v1.1.0", None):
            try:
                usegolib.import_("example.com/evolve/extra", artifact_dir={root!r}, version=version)
            except errors.VersionConflictError as exc:
                print("conflict:", exc)
        print(old.Version(), usegolib.import_("example.com/evolve", artifact_dir={root!r}).Version())
        """,
        **remote,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 3, done.stderr
    assert all(
        line.startswith("conflict: Go module example.com/evolve is already loaded at version v1.0.0")
        for line in lines[:2]
    )
    assert lines[2] == "v1.0.0 v1.0.0"


def test_a_failed_import_does_not_reload_the_module(kitchen_root):
    done = run_python(
        f"""
        import usegolib
        h = usegolib.import_("example.com/kitchen", artifact_dir={str(kitchen_root)!r})
        counter = h.NewCounter("kept")
        try:
            usegolib.import_("example.com/kitchen/nosuch", artifact_dir={str(kitchen_root)!r})
        except usegolib.errors.ArtifactNotFoundError as exc:
            print("missing:", "has no package example.com/kitchen/nosuch" in str(exc))
        print(h.geo.Tally(counter, 3), usegolib.import_("example.com/kitchen", artifact_dir={str(kitchen_root)!r}) is h)
        """,
        USEGOLIB_OFFLINE="1",
    )
    assert done.stdout.splitlines() == ["missing: True", "3 True"], done.stderr


def test_repeated_version_queries_follow_the_loaded_version(remote, tmp_path):
    root = str(tmp_path / "root")
    done = run_python(
        f"""
        import usegolib
        first = usegolib.import_("example.com/greet", artifact_dir={root!r}, version="v1.0")
        again = usegolib.import_("example.com/greet/loud", artifact_dir={root!r}, version="v1.0")
        print(first.Version(), again._library is first._library)
        """,
        **remote,
    )
    assert done.stdout.strip() == "v1.0.0 True", done.stderr


def test_packages_of_a_published_module_that_do_not_build_are_skipped_with_the_reason(remote, tmp_path):
    done = run_cli("build", "--module", "example.com/partial@v1.0.0", "--out", str(tmp_path / "root"), env=remote)
    assert done.returncode == 0, done.stderr
    artifact = tmp_path / "root" / "example.com" / "partial" / "v1.0.0" / host_platform().tag
    manifest = json.loads((artifact / "manifest.json").read_text())
    assert [p["path"] for p in manifest["packages"]] == ["example.com/partial"]
    reasons = {s["name"]: s["reason"] for s in manifest["skipped_packages"]}
    assert sorted(reasons) == ["example.com/partial/broken", "example.com/partial/typo"]
    assert "example.com/nowhere" in reasons["example.com/partial/broken"]
    assert "not an int" in reasons["example.com/partial/typo"] or "cannot use" in reasons["example.com/partial/typo"]
    assert "package example.com/partial/typo skipped: does not build" in done.stdout
    used = run_python(
        f"""
        import usegolib
        partial = usegolib.import_("example.com/partial", version="v1.0.0", artifact_dir={str(tmp_path / "root")!r})
        print(partial.Hello("go"))
    """,
        GOPROXY="off",
        USEGOLIB_OFFLINE="1",
    )
    assert used.stdout.strip() == "hello, go", used.stderr
