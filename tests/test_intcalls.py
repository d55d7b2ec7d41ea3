"""The integer fast path (runtime/intcalls.py): functions of Go integers
are called with C ints, and behave exactly as on the usual path."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from usegolib.errors import ArgumentOverflowError, ArgumentTypeError, GoError, GoPanicError
from usegolib.runtime import native


@pytest.fixture
def fast_calls(kitchen) -> Iterator[Callable[[], list[int]]]:
    """The arities of the calls that went through the library's integer
    entry points, sorted: counted by the native crossing, or (on ctypes)
    by wrapping the real entry points."""
    library = kitchen._library
    extension = native.module() if library.crossing == "native" else None
    if extension is not None:
        before = extension.calls()[0]
        yield lambda: sorted(
            arity
            for arity, (old, new) in enumerate(zip(before, extension.calls()[0], strict=True))
            for _ in range(new - old)
        )
        return
    entries = library.int_entries
    real = list(entries)
    seen: list[int] = []

    def counted(entry: Callable[..., int], arity: int) -> Callable[..., int]:
        def call(*args: int) -> int:
            seen.append(arity)
            return entry(*args)

        return call

    entries[:] = [counted(entry, arity) for arity, entry in enumerate(real)]
    yield lambda: sorted(seen)
    entries[:] = real


def test_integer_functions_and_methods_take_the_fast_path(kitchen, fast_calls):
    assert kitchen.AddInt(40, 2) == 42
    assert kitchen.Sum4(1, 2, 3, d=4) == 10
    assert kitchen.Stored() in (0, 5)
    counter = kitchen.NewCounter("c")
    assert counter.Add(3) == 3  # the receiver is a handle id: an integer too
    assert fast_calls() == sorted([2, 4, 0, 2])
    assert kitchen.Split("a,b") == ("a", "b")  # not integers: the usual path
    assert fast_calls() == sorted([2, 4, 0, 2])


@pytest.mark.parametrize("value", [2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, -(2**63), 2**59, -(2**59) - 1])
def test_every_int64_arrives_whichever_path_it_takes(kitchen, value):
    """Beyond a C int the usual path takes the argument; beyond 60 bits the
    result comes back through Go memory."""
    assert kitchen.AddInt(value, 0) == value
    assert kitchen.AddInt(0, value) == value


def test_arguments_the_fast_path_does_not_take_fail_as_usual(kitchen):
    with pytest.raises(ArgumentTypeError, match="AddInt\\(\\): argument a: expected Go int, got bool"):
        kitchen.AddInt(True, 1)
    with pytest.raises(ArgumentTypeError, match="argument b: expected Go int, got float"):
        kitchen.AddInt(1, 2.0)
    with pytest.raises(ArgumentOverflowError, match="argument a"):
        kitchen.AddInt(2**64, 1)
    with pytest.raises(ArgumentOverflowError, match="EchoInt8\\(\\): argument v"):
        kitchen.EchoInt8(300)  # a C int, checked by Go's decoder on the fast path
    with pytest.raises(ArgumentOverflowError, match="EchoUint\\(\\): argument v"):
        kitchen.EchoUint(-1)


def test_errors_panics_big_results_and_no_result(kitchen, fast_calls):
    assert kitchen.DivInt(7, 2) == 3
    with pytest.raises(GoError, match="division by zero"):
        kitchen.DivInt(1, 0)
    with pytest.raises(GoPanicError):
        kitchen.NilDeref()
    assert kitchen.Shl(1, 62) == 2**62
    assert kitchen.Shl(-1, 63) == -(2**63)
    assert kitchen.Store(5) is None
    assert kitchen.Stored() == 5
    assert fast_calls() == sorted([2, 2, 0, 2, 2, 1, 0])
    assert kitchen._library.handle_count() >= 0  # the library still answers


def test_results_held_by_go_are_all_released(kitchen):
    """Results that came back through Go memory (big integers, errors) are
    unpinned once Python has read them."""
    lib = kitchen._library
    before = lib.pinned_count()
    for _ in range(1000):
        assert kitchen.Shl(1, 61) == 2**61
        with pytest.raises(GoError):
            kitchen.DivInt(1, 0)
    assert lib.pinned_count() == before == 0
