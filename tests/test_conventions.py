"""Go conventions as Python protocols, settable fields, runes and bytes
(issue 16, point 5; docs/type-mapping.md)."""

from __future__ import annotations

import dataclasses

import pytest

from usegolib.errors import ArgumentTypeError, ArgumentValueError

from .conftest import run_cli
from .test_stubs import mypy


def test_string_gives_str_and_a_repr_showing_it(idioms):
    money = idioms.NewMoney(150)
    assert str(money) == "$1.50"
    assert repr(money) == "<Money $1.50>"
    money.close()
    assert repr(money) == "<Money (closed)>"


def test_a_string_method_that_panics_leaves_the_handle_s_repr(idioms):
    fragile = idioms.NewFragile()
    assert repr(fragile).startswith("<Fragile Go *example.com/idioms.Fragile handle ")


def test_equal_gives_equality_and_no_hash(idioms):
    a, b, c = idioms.NewMoney(150), idioms.NewMoney(150), idioms.NewMoney(99)
    assert a == b and a is not b
    assert a != c
    assert a != "$1.50"  # another type: not equal, not an error
    with pytest.raises(TypeError, match="unhashable"):
        hash(a)


def test_cmp_gives_ordering(idioms):
    amounts = [idioms.NewMoney(c) for c in (300, 5, 150)]
    assert [str(m) for m in sorted(amounts)] == ["$0.05", "$1.50", "$3.00"]
    assert idioms.NewMoney(1) < idioms.NewMoney(2) <= idioms.NewMoney(2)
    assert idioms.NewMoney(3) > idioms.NewMoney(2) >= idioms.NewMoney(2)
    with pytest.raises(TypeError):
        _ = idioms.NewMoney(1) < 2


def test_len_and_all_give_len_and_iteration(idioms):
    bag = idioms.NewBag("b")
    for item in ("x", "y"):
        assert bag.Add(item)
    assert len(bag) == 2
    assert list(bag) == ["x", "y"]
    assert list(bag) == ["x", "y"]  # each loop iterates afresh


def test_exported_fields_are_settable_and_go_sees_the_writes(idioms):
    bag = idioms.NewBag("groceries")
    bag.Label = "tools"
    bag.Limit = 5
    bag.Owner = {"Name": "Ada", "Age": 36}
    bag.Tags = ["a", "b"]
    bag.Price = idioms.NewMoney(1999)  # a class field held by value takes a handle's value
    assert bag.Describe() == "tools limit=5 owner=Ada/36 tags=a,b price=$19.99"
    assert (bag.Label, bag.Limit, bag.Tags) == ("tools", 5, ["a", "b"])
    assert all(bag.Add(str(i)) for i in range(5)) and not bag.Add("one too many")


def test_a_wrong_value_for_a_field_is_a_type_error_naming_it(idioms):
    bag = idioms.NewBag("b")
    with pytest.raises(ArgumentTypeError, match=r"Bag\.Limit.*expected Go int, got str"):
        bag.Limit = "many"
    with pytest.raises(AttributeError):
        bag.items = []  # unexported: not a field Python sees
    assert bag.Limit == 3


def test_the_typed_view_sets_fields_from_dataclasses(idioms):
    typed = idioms.typed()
    bag = typed.NewBag("b")
    bag.Owner = typed.Person(Name="Grace", Age=45)
    assert dataclasses.asdict(bag.Owner) == {"Name": "Grace", "Age": 45}
    assert bag.Describe().startswith("b limit=3 owner=Grace/45")


def test_rune_and_byte_parameters_take_one_character(idioms):
    assert idioms.Width("つ") == 2 and idioms.Width("a") == 1
    assert idioms.Width(ord("漢")) == 2  # a code point still works
    assert idioms.Shout(b"q") == ord("Q") and idioms.Shout(ord("q")) == ord("Q")
    assert idioms.Spell(["G", "o", "!"]) == "Go!"
    with pytest.raises(ArgumentValueError, match="one character"):
        idioms.Width("ab")
    with pytest.raises(ArgumentValueError, match="length 1"):
        idioms.Shout(b"")


def test_stubs_declare_the_protocols_and_setters(idioms_root, tmp_path):
    out = tmp_path / "stubs"
    done = run_cli("stubs", "example.com/idioms", "--root", str(idioms_root), "--out", str(out))
    assert done.returncode == 0, done.stderr
    checked = mypy(
        out,
        tmp_path,
        """
        import go.example_com.idioms as idioms

        bag = idioms.NewBag("b")
        bag.Limit = 5
        n: int = len(bag)
        items = [item for item in bag]
        cheapest = min(idioms.NewMoney(1), idioms.NewMoney(2))
        same: bool = idioms.NewMoney(1) == idioms.NewMoney(1)
        bag.Limit = "many"
        """,
    )
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "script.py:10:" in errors[0] and '"str"' in errors[0], checked.stdout


def test_next_gives_iteration_on_classes_and_interfaces(idioms):
    assert list(idioms.NewCountdown(3)) == [3, 2, 1]
    assert list(idioms.Letters("go")) == ["g", "o"]


def test_python_keywords_get_a_trailing_underscore(idioms):
    assert idioms.None_ == getattr(idioms, "None") == 0
    assert idioms.True_ == 1


def test_an_integer_type_reached_through_an_alias_returns(idioms):
    # Once the bridge imported the alias's package without using it (cel-go).
    assert idioms.CurrentLevel() == 3
