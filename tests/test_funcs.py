"""Go func values Go hands out travel as handles (SPEC §3): Python holds
them, passes them back and calls them."""

from __future__ import annotations

import gc
import os

import pytest

import usegolib


def test_functional_options_go_back_to_go(kitchen):
    assert kitchen.Format("go") == "go"
    assert kitchen.Format("go", kitchen.Upper()) == "GO"
    assert kitchen.Format("go", kitchen.Prefix("> "), kitchen.vars.Loud) == "> GO"
    assert kitchen.Format("go", *[kitchen.Upper(), kitchen.Prefix("1:")]) == "1:GO"


def test_a_func_handle_is_an_instance_of_its_class(kitchen):
    option = kitchen.Upper()
    assert isinstance(option, kitchen.Option)
    assert isinstance(option, usegolib.GoObject)
    assert "Option" in repr(option)


def test_a_func_whose_signature_crosses_can_be_called(kitchen):
    add3 = kitchen.Adder(3)
    assert add3(4) == 7
    assert add3.Call(10) == 13
    assert kitchen.Twice(add3, 1) == 7


def test_named_func_types_keep_their_methods(kitchen):
    go = kitchen.HasPrefix("go")
    assert go("gopher") is True and go("python") is False
    assert go.Count(["go", "gopher", "rust"]) == 2
    assert go.Not().Count(["go", "gopher", "rust"]) == 1
    assert kitchen.NoPredicate() is None


def test_a_func_whose_signature_cannot_cross_says_why_it_cannot_be_called(kitchen):
    sink = kitchen.NewSink()
    assert not callable(sink)
    with pytest.raises(AttributeError, match=r"Sink\.Call is not available from Python: .*channel of unsafe"):
        sink.Call  # noqa: B018


def test_a_python_function_cannot_stand_for_a_func_whose_signature_cannot_cross(kitchen):
    with pytest.raises(usegolib.errors.ArgumentTypeError, match=r"argument opts\[0\]: .*got a Python function"):
        kitchen.Format("go", lambda o: None)


def test_a_func_a_python_function_cannot_stand_for_is_skipped(kitchen):
    reasons = {s["name"]: s["reason"] for s in kitchen._library.manifest["packages"][0]["skipped"]}
    assert "func type func(chan unsafe.Pointer): a Python function cannot stand for it" in reasons["Watch"]


def test_an_iter_seq_is_a_python_iterable(kitchen):
    countdown = kitchen.Countdown(3)
    assert list(countdown) == [3, 2, 1]
    assert list(countdown) == [3, 2, 1]  # each loop is a fresh iteration
    assert [(a, b) for a in kitchen.Countdown(2) for b in countdown if b < 2] == [(2, 1), (1, 1)]
    assert kitchen.SumSeq(countdown) == 6  # and it goes back to Go as the sequence
    assert list(kitchen.Countdown(0)) == []


def test_an_iter_seq2_yields_pairs(kitchen):
    assert list(kitchen.Letters("go")) == [(0, "g"), (1, "o")]
    assert dict(kitchen.Letters("ab")) == {0: "a", 1: "b"}


def test_a_loop_left_early_stops_the_go_sequence(kitchen):
    before = kitchen.vars.Stopped
    for i in kitchen.Endless():
        if i == 5:
            break
    gc.collect()
    kitchen.AddInt(1, 2)  # releases queued by the collector reach Go with the next call
    assert kitchen.vars.Stopped == before + 1
    taken = []
    for i in kitchen.Endless():
        taken.append(i)
        if len(taken) == 3:
            break
    assert taken == [0, 1, 2]


def test_the_typed_view_types_func_handles(kitchen):
    typed = kitchen.typed()
    option = typed.Upper()
    assert isinstance(option, typed.Option)
    assert typed.Format("go", option) == "GO"
    assert list(typed.Letters("a")) == [(0, "a")]


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads RSS from /proc")
def test_iterating_a_long_sequence_keeps_memory_flat(kitchen):
    """Values stream one at a time: a million of them (ten million were
    measured once, see docs/type-mapping.md) leave RSS where it was."""
    warm = 0
    for warm in kitchen.Endless():
        if warm == 10_000:
            break
    gc.collect()
    before = _rss_bytes()
    total = 0
    for value in kitchen.Endless():
        total += value
        if value == 1_000_000:
            break
    gc.collect()
    assert total == 1_000_000 * 1_000_001 // 2
    assert _rss_bytes() - before <= 5 * 1024 * 1024
