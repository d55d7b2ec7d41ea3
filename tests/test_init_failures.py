"""A package whose init() panics or exits (issue 15, item 6): Go ends the
process that opens such a library, so a child process opens it first and
the import raises instead."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from usegolib.artifact import LOCAL_VERSION, artifact_dir, host_platform

from .conftest import FIXTURES, fixture_root, run_python


@pytest.fixture(scope="module")
def initpanic_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_root(tmp_path_factory, "initpanic")


@pytest.fixture
def fresh_root(initpanic_root: Path, tmp_path: Path) -> Path:
    """A copy no process has loaded (verified) yet."""
    copy = tmp_path / "root"
    shutil.copytree(initpanic_root, copy)
    return copy


IMPORT = """
import usegolib
from usegolib.errors import InitPanicError, LoadError
try:
    h = usegolib.import_("example.com/initpanic", artifact_dir={root!r})
except InitPanicError as exc:
    print("InitPanicError", exc.module, exc.package, exc.message, "sub.init" in exc.go_stack)
except LoadError as exc:
    print("LoadError", exc)
else:
    print(h.Hello())
print("still running")
"""


def import_in_child(root: Path, **env: str):
    return run_python(IMPORT.format(root=str(root)), **env)


def test_a_panicking_init_is_an_init_panic_error_and_the_process_lives_on(fresh_root):
    done = import_in_child(fresh_root, INITPANIC="panic")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "InitPanicError example.com/initpanic example.com/initpanic/sub sub: INITPANIC=panic True",
        "still running",
    ]


def test_the_import_works_once_the_environment_is_fixed(fresh_root):
    assert import_in_child(fresh_root, INITPANIC="panic").stdout.startswith("InitPanicError")
    done = import_in_child(fresh_root, INITPANIC="")
    assert done.stdout.splitlines() == ["hello from sub", "still running"], done.stderr


def test_an_init_that_exits_is_a_load_error_with_its_status(fresh_root):
    done = import_in_child(fresh_root, INITPANIC="exit")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("LoadError opening the library of example.com/initpanic ends the process (status 3)")


def test_the_hook_raises_an_import_error_chained_to_it(fresh_root):
    module = fresh_root.parent / "module"
    shutil.copytree(FIXTURES / "initpanic", module)
    done = run_python(
        """
        import usegolib.auto
        try:
            import go.example_com.initpanic
        except ImportError as exc:
            print(type(exc).__name__, type(exc.__cause__).__name__, exc.__cause__.package)
        """,
        INITPANIC="panic",
        USEGOLIB_PATH=str(module),
        USEGOLIB_ARTIFACT_DIR=str(fresh_root.parent / "hook-root"),
        GOPROXY="off",
    )
    assert done.stdout.strip() == "ImportError InitPanicError example.com/initpanic/sub", done.stderr


def test_a_panic_after_the_first_load_ends_the_process_with_go_s_report(fresh_root):
    """The child runs once per verified library: an init that panics only
    later, in another environment, ends the process as in a Go program,
    and Go's report names the package (docs/security.md)."""
    assert import_in_child(fresh_root).stdout.startswith("hello from sub")
    assert (
        Path(artifact_dir(fresh_root, "example.com/initpanic", LOCAL_VERSION, host_platform())) / ".verified"
    ).exists()
    done = import_in_child(fresh_root, INITPANIC="panic")
    assert done.returncode != 0
    assert "still running" not in done.stdout
    assert "panic: sub: INITPANIC=panic" in done.stderr
    assert "example.com/initpanic/sub.init" in done.stderr
