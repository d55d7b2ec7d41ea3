"""The typed view (SPEC §1 `h.typed()`): records as dataclasses."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import datetime, timezone
from typing import Optional

import pytest

from usegolib.errors import ArgumentTypeError


@pytest.fixture(scope="module")
def t(kitchen):
    return kitchen.typed()


def test_typed_is_a_view_of_the_same_package(kitchen, t):
    assert t.typed() is t
    assert kitchen.typed() is t
    assert t.__go_typed__ and not kitchen.__go_typed__
    assert t.AddInt is kitchen.AddInt  # nothing to convert: the same function
    assert "typed" in repr(t)


def test_records_are_dataclasses_with_go_zero_defaults(t):
    assert dataclasses.is_dataclass(t.Point)
    assert t.Point() == t.Point(x=0, y=0)
    shape = t.Shape()
    assert (shape.id, shape.name, shape.points, shape.center, shape.extra) == (0, "", [], None, {})
    assert shape.created == datetime(1, 1, 1, tzinfo=timezone.utc)
    assert t.Shape().points is not t.Shape().points  # no shared mutable defaults
    assert [f.name for f in dataclasses.fields(t.Shape)] == [
        "id",
        "Kind",
        "by",
        "name",
        "points",
        "center",
        "extra",
        "created",
    ]
    assert t.Point.__module__ == "go.example_com.kitchen"
    assert t.Point.__doc__ == "Point is a plain data record with json tags."


def test_dataclass_annotations_and_signatures(t):
    assert t.Shape.__annotations__["points"] == list[t.Point]
    assert t.Shape.__annotations__["center"] == Optional[t.Point]  # noqa: UP045
    assert inspect.signature(t.EchoPoint).parameters["p"].annotation is t.Point
    assert inspect.signature(t.GroupByX).return_annotation == dict[int, list[t.Point]]
    assert str(inspect.signature(t.Point)) == "(x: int = 0, y: int = 0) -> None"


def test_nested_records_round_trip(t):
    shape = t.Shape(
        id=7, name="tri", points=[t.Point(0, 0), t.Point(6, 0), t.Point(0, 3)], center=t.Point(2, 1), extra={"k": [1]}
    )
    back = t.EchoShape(shape)
    assert back == shape
    assert isinstance(back.points[0], t.Point)
    assert t.Centroid(shape) == t.Point(2, 1)
    assert t.GroupByX([t.Point(1, 2), t.Point(1, 3)]) == {1: [t.Point(1, 2), t.Point(1, 3)]}
    assert t.EchoPointPtr(None) is None
    assert t.Linked(2) == t.Chain(next=t.Chain())
    assert t.geo.Distance(t.Point(0, 0), t.Point(3, 4)) == 5.0


def test_plain_dicts_are_still_accepted(t):
    assert t.EchoPoint({"x": 1, "y": 2}) == t.Point(1, 2)
    assert t.Centroid({"points": [t.Point(2, 2)]}) == t.Point(2, 2)


def test_wrong_dataclasses_are_type_errors(t):
    with pytest.raises(ArgumentTypeError, match=r"EchoPoint\(\): argument p"):
        t.EchoPoint(t.Chain())


def test_handle_classes_are_typed_too(kitchen, t):
    counter = t.NewCounter("abc")
    assert type(counter) is t.Counter
    assert isinstance(counter, kitchen.Counter)  # a typed class is a subclass
    counter.Add(5)
    assert counter.At() == t.Point(5, 3)  # methods return dataclasses
    assert kitchen.NewCounter("x").At() == {"x": 0, "y": 1}  # the plain view is unchanged
    many = t.Counters(3)
    assert [type(c) for c in many] == [t.Counter] * 3
    assert [c.Name for c in many] == ["0", "1", "2"]


def test_typed_fields_and_constructors(t):
    box = t.Box(Label="b", Anchor=t.Point(1, 2))
    assert box.Anchor == t.Point(1, 2)  # getters convert
    assert box.Label == "b"
    assert isinstance(box.Inner, t.Counter)
    assert t.Box().Anchor == t.Point()


def test_any_keeps_dicts_but_accepts_dataclasses(t):
    assert t.Echo(t.Point(1, 2)) == {"x": 1, "y": 2}  # Go cannot say which record an any holds
    mixed = t.Mixed()
    assert type(mixed["counter"]) is t.Counter
    assert mixed["point"] == {"x": 1, "y": 2}


def test_keys_that_are_not_python_names(kitchen, t):
    assert [f.name for f in dataclasses.fields(t.Odd)] == ["a_b", "a_b_", "from_"]
    odd = t.EchoOdd(t.Odd(a_b=1, a_b_=2, from_=3))
    assert (odd.a_b, odd.a_b_, odd.from_) == (1, 2, 3)
    assert kitchen.EchoOdd({"a-b": 1, "a_b": 2, "from": 3}) == {"a-b": 1, "a_b": 2, "from": 3}


def test_typed_argument_errors_name_the_function_and_parameter(t):
    with pytest.raises(ArgumentTypeError, match=r"GroupByX\(\): argument ps: expected Go \[\]kitchen.Point, got int"):
        t.GroupByX(5)
    with pytest.raises(TypeError, match=r"EchoPoint\(\) got an unexpected keyword argument 'q'"):
        t.EchoPoint(p=t.Point(), q=1)
