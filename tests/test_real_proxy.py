"""Real modules from the real Go module proxy: run when it is reachable,
skipped with the reason otherwise."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import run_python


def proxy_unreachable(module: str) -> str | None:
    try:
        done = subprocess.run(
            ["go", "mod", "download", "-json", module], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot run go mod download: {exc}"
    return None if done.returncode == 0 else f"Go module proxy unreachable: {done.stdout.strip()[-300:]}"


@pytest.fixture
def cache(tmp_path):
    return {"USEGOLIB_ARTIFACT_DIR": str(tmp_path / "cache")}


def test_google_uuid_through_import_(cache):
    reason = proxy_unreachable("github.com/google/uuid@v1.6.0")
    if reason:
        pytest.skip(reason)
    done = run_python(
        """
        import uuid, usegolib
        h = usegolib.import_("github.com/google/uuid", version="v1.6.0")
        text = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
        assert h.Parse(text) == uuid.UUID(text)
        assert h.NewSHA1(uuid.NAMESPACE_DNS, b"python.org") == uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        print("ok", h.__go_version__)
        """,
        **cache,
    )
    assert done.stdout.strip() == "ok v1.6.0", done.stderr


def test_go_humanize_through_the_hook(cache):
    reason = proxy_unreachable("github.com/dustin/go-humanize@latest")
    if reason:
        pytest.skip(reason)
    done = run_python(
        """
        import usegolib.auto
        import go.github_com.dustin.go_humanize as humanize
        print(humanize.Bytes(82854982), humanize.Comma(1234567))
        """,
        **cache,
    )
    assert done.stdout.strip() == "83 MB 1,234,567", done.stderr


def test_semver_through_the_typed_view(cache):
    reason = proxy_unreachable("github.com/Masterminds/semver/v3@latest")
    if reason:
        pytest.skip(reason)
    done = run_python(
        """
        import usegolib.auto
        import go.github_com.Masterminds.semver.v3 as semver
        old, new = semver.NewVersion("1.2.3"), semver.NewVersion("v1.10.0")
        print(old.String(), new.String(), old.LessThan(new), new.Compare(old), old.Major())
        constraint = semver.NewConstraint(">= 1.5, < 2")
        print(constraint.Check(old), constraint.Check(new), str(semver.MustParse("2.0.0-rc.1")))
        try:
            semver.NewVersion("not a version")
        except usegolib.GoError as exc:
            print("GoError", exc.go_type)
        """,
        **cache,
    )
    assert done.stdout.splitlines() == [
        "1.2.3 1.10.0 True 1 1",
        "False True 2.0.0-rc.1",
        "GoError *errors.errorString",
    ], done.stderr


def test_go_humanize_bytes_comma_and_time(cache):
    reason = proxy_unreachable("github.com/dustin/go-humanize@latest")
    if reason:
        pytest.skip(reason)
    done = run_python(
        """
        import datetime
        import usegolib
        h = usegolib.import_("github.com/dustin/go-humanize").typed()
        two_hours_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)
        print(h.Bytes(82854982), h.Comma(-1234567), h.Time(two_hours_ago), h.Ordinal(3), h.IBytes(1024))
        """,
        **cache,
    )
    assert done.stdout.strip() == "83 MB -1,234,567 2 hours ago 3rd 1.0 KiB", done.stderr
