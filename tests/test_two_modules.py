"""Two Go modules in one process: two libraries, two Go runtimes."""

from __future__ import annotations

import pytest

import usegolib
from usegolib.errors import ArgumentTypeError


@pytest.fixture(scope="module")
def mod(quickstart_root):
    return usegolib.import_("example.com/mod", artifact_dir=quickstart_root)


def test_both_modules_work_side_by_side(kitchen, mod):
    greeter = mod.NewGreeter("Hello")
    assert greeter.Greet("gopher") == "Hello, gopher!"
    assert greeter.Count() == 1
    assert kitchen.AddInt(mod.AddInt(1, 2), 3) == 6
    assert isinstance(greeter, mod.Greeter)
    assert not isinstance(greeter, kitchen.Counter)


def test_handles_cannot_cross_modules(kitchen, mod):
    greeter = mod.NewGreeter("Hi")
    with pytest.raises(
        ArgumentTypeError, match=r"Echo\(\): argument v: Greeter handle belongs to Go module example.com/mod"
    ):
        kitchen.Echo(greeter)


def test_panics_in_one_module_leave_the_other_working(kitchen, mod):
    with pytest.raises(usegolib.GoPanicError):
        kitchen.Panic("only here")
    assert mod.AddInt(2, 3) == 5
