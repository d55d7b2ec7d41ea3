"""Types generated code cannot name — unexported, internal — still cross
when a function takes or returns them: as handles, or as their value when
it is of a basic type."""

from __future__ import annotations

import pytest

import usegolib
from usegolib.errors import ArgumentTypeError


def test_an_unexported_type_is_a_handle_with_its_methods(kitchen):
    tally = kitchen.NewTally()
    assert isinstance(tally, usegolib.GoObject)
    assert type(tally).__name__ == "tally"
    assert tally.Add(2) == 2 and tally.Add(3) == 5
    assert tally.Total() == 5
    other = kitchen.NewTally()
    other.Add(1)
    assert kitchen.Combine(tally, other) == 6
    assert kitchen.NoTally() is None


def test_a_method_whose_signature_names_the_type_is_skipped_with_the_reason(kitchen):
    with pytest.raises(AttributeError, match=r"Merge .*cannot name"):
        kitchen.NewTally().Merge  # noqa: B018


def test_an_unexported_basic_type_crosses_as_its_value(kitchen):
    assert kitchen.Loudness("abc") == 3
    assert kitchen.Louder(3, 1, 2) == 6
    assert kitchen.Louder(kitchen.Loudness("ab")) == 2


def test_internal_types_cross_as_handles(kitchen):
    token = kitchen.IssueToken(21)
    assert token.Double() == 42
    assert kitchen.Redeem(token) == 21
    greeter = kitchen.Greeter("gopher")
    assert greeter.Name() == "gopher"
    assert kitchen.NameOf(greeter) == "gopher"
    assert kitchen.NameOf(None) == "<nil>"


def test_a_handle_of_another_type_is_refused(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"argument t: expected a handle of Go type secret\.Token"):
        kitchen.Redeem(kitchen.NewTally())
    with pytest.raises(ArgumentTypeError, match="argument t"):
        kitchen.Redeem(None)


def test_the_typed_view_keeps_them(kitchen):
    typed = kitchen.typed()
    tally = typed.NewTally()
    assert tally.Add(4) == 4
    assert typed.Combine(tally, tally) == 8
