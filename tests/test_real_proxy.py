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
