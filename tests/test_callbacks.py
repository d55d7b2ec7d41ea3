"""Python callables where Go wants a func: called from Go with converted
arguments, results converted back, exceptions carried to the caller."""

from __future__ import annotations

import sys
import threading

import pytest

import usegolib
from usegolib.errors import CallbackError, GoError


def test_a_python_function_stands_for_a_go_func(kitchen):
    assert kitchen.Apply(lambda x: x * 2, 21) == 42
    assert kitchen.MapStrings(["go", "py"], str.upper) == ["GO", "PY"]
    assert kitchen.SortBy([3, 1, 2], lambda a, b: a > b) == [3, 2, 1]
    assert kitchen.Divide(divmod, 17, 5) == [3, 2]
    visited = []
    assert kitchen.Walk({"a": 1, "b": 2, "c": 3}, lambda k, v: visited.append((k, v)) or k != "b") == 2
    assert visited == [("a", 1), ("b", 2)]


def test_an_exception_in_a_callback_reaches_the_caller_as_itself(kitchen):
    class Boom(Exception):
        pass

    def explode(x):
        raise Boom(f"no {x}")

    before = kitchen.vars.Unwound
    with pytest.raises(Boom, match="no 7") as caught:
        kitchen.Apply(explode, 7)
    assert "explode" in "".join(str(f.name) for f in caught.traceback)
    with pytest.raises(KeyError):
        kitchen.CallGuarded(lambda: {}["missing"])
    assert kitchen.vars.Unwound == before + 1  # Go's deferred function ran on the way out


def test_an_exception_in_a_callback_returning_error_is_a_go_error_caused_by_it(kitchen):
    def check(x):
        if x == 2:
            raise ValueError("two is not allowed")

    assert kitchen.TryEach([1], check) is None
    with pytest.raises(GoError, match="step II: Python callback raised ValueError: two is not allowed") as caught:
        kitchen.TryEach([1, 2, 3], check)
    assert isinstance(caught.value.__cause__, ValueError)


def test_a_result_go_cannot_take_is_a_callback_error(kitchen):
    with pytest.raises(CallbackError, match=r"Apply\(\): callback .*a result Go cannot take"):
        kitchen.Apply(lambda x: "not an int", 1)
    with pytest.raises(CallbackError, match="tuple of 2 values"):
        kitchen.Divide(lambda a, b: a, 1, 2)


def test_callbacks_from_many_goroutines_at_once(kitchen):
    threads = set()

    def square(i):
        threads.add(threading.get_ident())
        return i * i

    assert kitchen.Fanout(8, square) == sum(i * i for i in range(8))
    assert kitchen.Fanout(100, lambda i: 1) == 100


def test_an_exception_on_a_goroutine_of_go_s_own_is_unraisable(kitchen, monkeypatch):
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)

    def fail_on_three(i):
        if i == 3:
            raise RuntimeError("three")
        return 1

    assert kitchen.Fanout(4, fail_on_three) == 3  # the failed call gave Go its zero value
    assert len(reported) == 1 and isinstance(reported[0].exc_value, RuntimeError)


def test_a_callback_may_call_back_into_go(kitchen):
    assert kitchen.Apply(lambda x: kitchen.AddInt(x, kitchen.Apply(lambda y: y + 1, x)), 5) == 11
    assert kitchen.MapStrings(["a"], lambda s: kitchen.MapStrings([s], str.upper)[0] * 2) == ["AA"]


def test_go_may_keep_a_callback_and_call_it_later(kitchen):
    kitchen.Keep(lambda: "kept")
    assert kitchen.CallKept() == "kept"
    assert kitchen.CallKept() == "kept"


def test_go_funcs_made_of_python_callables_come_back_as_handles(kitchen):
    composed = kitchen.Compose(lambda x: x * 10, lambda x: x + 1)
    assert isinstance(composed, usegolib.GoObject)
    assert composed(2) == 30
    assert kitchen.Apply(composed, 0) == 10


def test_callbacks_go_drops_are_forgotten(kitchen):
    for i in range(2000):
        assert kitchen.Apply(lambda x, i=i: x + i, 1) == i + 1
    assert kitchen._library.callback_count() < 1000
