"""Constants, package variables, and methods of named non-struct types."""

from __future__ import annotations

import inspect
from datetime import timedelta
from decimal import Decimal

import pytest

from usegolib import GoObject
from usegolib.errors import ArgumentTypeError


def test_constants_of_every_kind(kitchen):
    assert kitchen.Greeting == "hello"
    assert kitchen.Answer == 42
    assert kitchen.Huge == 2**100  # untyped and exact, though no Go int holds it
    assert kitchen.Ratio == 2.5
    assert kitchen.Flag is True
    assert kitchen.Imag == 3j
    assert kitchen.NotText == "\udcff\udcfe"  # not UTF-8: surrogateescape, like strings from calls
    assert kitchen.MaxLevel == 100
    assert kitchen.Freezing == 0.0 and isinstance(kitchen.Freezing, float)
    assert (kitchen.Sunday, kitchen.Monday, kitchen.Tuesday) == (0, 1, 2)  # an iota enum
    assert kitchen.FixtureVersion == "1"


def test_constants_are_what_a_call_returning_them_gives(kitchen):
    # 5s + 1500ns: truncated to microseconds like every Go duration.
    assert kitchen.Timeout == kitchen.TimeoutValue() == timedelta(seconds=5, microseconds=1)
    assert kitchen.typed().Timeout == kitchen.typed().TimeoutValue() == timedelta(seconds=5, microseconds=1)


def test_float_constants_beyond_float64_stay_exact(kitchen):
    assert kitchen.BigF == Decimal("1E+400") and isinstance(kitchen.BigF, Decimal)  # not inf
    assert kitchen.TinyF == Decimal("-1.5E-400") and kitchen.typed().TinyF == Decimal("-1.5E-400")  # not -0.0
    assert isinstance(kitchen.Ratio, float)  # float64 holds it: a float, as before


def test_variables_are_live(kitchen):
    v = kitchen.vars
    start = v.Counted
    assert kitchen.BumpCounted() == start + 1
    assert v.Counted == start + 1  # read again: the current Go value
    v.Counted = 100
    assert kitchen.BumpCounted() == 101
    v.Names = ["x", "y"]
    assert v.Names == ["x", "y"]
    assert v.Origin == {"x": 1, "y": 1}
    assert "Counted" in dir(v)


def test_variables_of_classes_and_interfaces(kitchen):
    v = kitchen.vars
    default = v.Default  # a handle to the variable itself
    default.Add(3)
    assert kitchen.DefaultValue() == v.Default.Value() >= 3
    assert isinstance(v.Current, kitchen.Counter)
    assert str(v.ErrClosed) == "closed"
    assert isinstance(v.ErrClosed, GoObject)
    # A read-only property: Python 3.11 on says "no setter", 3.10 "can't set attribute".
    with pytest.raises(AttributeError, match=r"no setter|can't set attribute"):
        v.Default = default


def test_variable_errors(kitchen):
    with pytest.raises(AttributeError, match=r"kitchen.Hook is not available from Python: .*channel of unsafe"):
        kitchen.vars.Hook  # noqa: B018
    with pytest.raises(AttributeError, match="has no exported variable 'Nope'"):
        kitchen.vars.Nope  # noqa: B018
    with pytest.raises(ArgumentTypeError, match="argument value: expected Go int, got str"):
        kitchen.vars.Counted = "seven"


def test_methods_of_named_non_struct_types(kitchen):
    weekday = kitchen.Weekday
    assert kitchen.Today() == 1 and type(kitchen.Today()) is int  # values stay plain
    assert weekday.String(2) == "Tuesday"  # called with a plain value as receiver
    day = weekday(1)
    assert isinstance(day, int)
    assert (day.String(), day.Weekend(), day.Next()) == ("Monday", False, 2)
    assert str(day) == "Monday" and repr(day) == "Weekday(1)"
    assert weekday.__doc__ == "Weekday is an enum with methods."
    with pytest.raises(ArgumentTypeError, match=r"Weekday.String\(\): argument self: expected Go kitchen.Weekday"):
        weekday.String("Sunday")


def test_typed_view_returns_named_values_as_their_class(kitchen):
    t = kitchen.typed()
    today = t.Today()
    assert repr(today) == "Weekday(1)" and today.Next() == 2 and repr(today.Next()) == "Weekday(2)"
    assert repr(t.Sunday) == "Weekday(0)"
    assert isinstance(today, kitchen.Weekday)
    assert inspect.signature(t.Today).return_annotation is t.Weekday
    assert inspect.signature(kitchen.Today).return_annotation is int
    assert t.vars.Origin == t.Point(1, 1)
    t.vars.Origin = t.Point(2, 3)
    assert kitchen.vars.Origin == {"x": 2, "y": 3}
    kitchen.vars.Origin = {"x": 1, "y": 1}
