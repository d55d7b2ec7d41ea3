"""The native crossing (issue 19, runtime/_native.c): the bridge's entry
points called from a CPython extension, and ctypes where it cannot be had.
The suite runs on the native crossing; the core of it runs again here on
ctypes (USEGOLIB_NATIVE=0), so that both stay right."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from usegolib.runtime import native

from .conftest import FIXTURES, ROOT, run_python

# Test files that exercise what differs between the crossings: integer
# calls (a C object natively, a Python template on ctypes), MessagePack
# calls, errors and panics, and callbacks from Go threads (the GIL released
# while Go runs). The rest of the suite differs from these only in what
# both crossings share; it runs on the native one (25-minute budget).
ON_BOTH_CROSSINGS = [
    "tests/test_intcalls.py",
    "tests/test_calls.py",
    "tests/test_go_errors.py",
    "tests/test_callbacks.py",
]


def test_the_suite_runs_on_the_native_crossing(kitchen):
    assert native.module() is not None, "the extension did not build here: every test ran on ctypes"
    assert kitchen._library.crossing == "native"


def test_both_crossings_give_the_same_answers(kitchen_root):
    code = f"""
        import usegolib
        h = usegolib.import_("example.com/kitchen", artifact_dir={str(kitchen_root)!r})
        print(h._library.crossing, h.AddInt(40, 2), h.AddInt(2**31 - 1, 0), h.EchoString("Go"))
        try:
            h.Check(False)
        except usegolib.GoError as exc:
            print("GoError", exc)
        """
    fast = run_python(code)
    slow = run_python(code, USEGOLIB_NATIVE="0")
    assert fast.stdout.split()[0] == "native" and slow.stdout.split()[0] == "ctypes", fast.stderr + slow.stderr
    assert fast.stdout.split()[1:] == slow.stdout.split()[1:]
    assert fast.stdout.split()[1:3] == ["42", str(2**31 - 1)]


def test_the_core_of_the_suite_passes_on_ctypes():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *ON_BOTH_CROSSINGS],
        cwd=ROOT,
        env={**os.environ, "USEGOLIB_NATIVE": "0"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]


@pytest.mark.parametrize(("kind", "address", "error"), [(6, 1, ValueError), (-1, 1, ValueError), (0, 0, ValueError)])
def test_the_extension_refuses_what_is_no_entry_point(kind, address, error):
    extension = native.module()
    assert extension is not None
    with pytest.raises(error):
        extension.bind(kind, address)


def test_an_entry_point_checks_its_arguments(kitchen):
    entry = kitchen._library.int_entries[2]
    with pytest.raises(TypeError, match="takes 3 arguments"):
        entry(1, 2)
    with pytest.raises(OverflowError):
        entry(0, 2**31, 0)


def test_a_native_function_is_described_and_pickles_by_reference(kitchen_root):
    done = run_python(
        """
        import inspect, pickle
        import usegolib.auto
        from go.example_com.kitchen import AddInt, Weekday
        import go.example_com.kitchen as kitchen
        print(type(AddInt).__name__, AddInt.__name__, AddInt.__module__, inspect.signature(AddInt), repr(AddInt))
        print(pickle.loads(pickle.dumps(AddInt)) is AddInt, AddInt(a=40, b=2))
        print(int(kitchen.Weekday(1).Next()))  # a method of a named integer: its receiver is the value
        """,
        USEGOLIB_PATH=str(FIXTURES / "kitchen"),
        USEGOLIB_ARTIFACT_DIR=str(kitchen_root),
        GOPROXY="off",
    )
    lines = done.stdout.splitlines()
    assert lines[:2] == [
        "IntFunction AddInt go.example_com.kitchen (a: int, b: int) -> int <Go function AddInt>",
        "True 42",
    ], done.stderr
    assert lines[2] == "2", done.stderr
