"""Shared fixtures: Go modules under tests/fixtures/ built once per session
with the real Go toolchain and Zig, and a helper for scenarios that need a
fresh Python process (one Go module version per process, SPEC §5)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import usegolib
from usegolib.artifact import LOCAL_VERSION, artifact_dir, host_platform
from usegolib.builder import build_module
from usegolib.runtime import native

from . import warm

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
_WARMER = pytest.StashKey["subprocess.Popen[bytes] | None"]()
CROSS_COMPILING_TESTS = {"test_cross.py", "test_package.py"}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Warm the cross targets' caches beside the other tests (tests/warm.py)."""
    if any(item.path.name in CROSS_COMPILING_TESTS for item in session.items):
        session.config.stash[_WARMER] = warm.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    warm.stop(session.config.stash.get(_WARMER, None))


def _set_environment(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextmanager
def environment(**values: str | None) -> Iterator[None]:
    """Set (or, with None, unset) environment variables for a block."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        _set_environment(values)
        yield
    finally:
        _set_environment(saved)


def build_offline(module_dir: Path, root: Path) -> Path:
    """Build with the module proxy switched off: modules without
    third-party dependencies must build offline."""
    with environment(GOPROXY="off"):
        return build_module(module_dir, root).path


def fixture_root(tmp_path_factory: pytest.TempPathFactory, fixture: str) -> Path:
    """A new artifact root holding tests/fixtures/<fixture>, built offline;
    the native crossing's extension is built too (once per machine), so that
    a test's child interpreter loads it rather than building it, with the
    modules a build imports, in the middle of what the test checks."""
    root = tmp_path_factory.mktemp(fixture)
    build_offline(FIXTURES / fixture, root)
    native.module()
    return root


@pytest.fixture(scope="session")
def kitchen_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_root(tmp_path_factory, "kitchen")


@pytest.fixture(scope="session")
def contexts_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/contexts: functions taking a context, and channels."""
    return fixture_root(tmp_path_factory, "contexts")


@pytest.fixture(scope="session")
def ctx(contexts_root: Path) -> usegolib.GoPackage:
    return usegolib.import_("example.com/contexts", artifact_dir=contexts_root)


@pytest.fixture(scope="session")
def kitchen(kitchen_root: Path) -> usegolib.GoPackage:
    return usegolib.import_("example.com/kitchen", artifact_dir=kitchen_root)


@pytest.fixture(scope="session")
def goroutines_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/goroutines: Go code calling Python from its own goroutines."""
    return fixture_root(tmp_path_factory, "goroutines")


@pytest.fixture(scope="session")
def goroutines(goroutines_root: Path) -> usegolib.GoPackage:
    return usegolib.import_("example.com/goroutines", artifact_dir=goroutines_root)


@pytest.fixture(scope="session")
def idioms_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/idioms: Go APIs written the way Go libraries are (issue 16)."""
    return fixture_root(tmp_path_factory, "idioms")


@pytest.fixture(scope="session")
def idioms(idioms_root: Path) -> usegolib.GoPackage:
    return usegolib.import_("example.com/idioms", artifact_dir=idioms_root)


@pytest.fixture(scope="session")
def quickstart_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_root(tmp_path_factory, "quickstart")


@pytest.fixture
def quickstart_copy(quickstart_root: Path, tmp_path: Path) -> Path:
    """A private copy of the quickstart artifact root, free to tamper with."""
    copy = tmp_path / "root"
    shutil.copytree(quickstart_root, copy)
    return copy


def quickstart_dir(root: Path) -> Path:
    return Path(artifact_dir(root, "example.com/mod", LOCAL_VERSION, host_platform()))


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run code in a new interpreter (fresh Go module registry)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m usegolib args...` in a new interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "usegolib", *args],
        env={**os.environ, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
