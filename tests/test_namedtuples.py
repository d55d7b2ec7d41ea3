"""usegolib.namedtuples.NamedTuple: typing.NamedTuple's class syntax
without typing or collections, behaving as collections.namedtuple does."""

from __future__ import annotations

import copy
import pickle

import pytest

from usegolib.namedtuples import NamedTuple


class Point(NamedTuple):
    """A point."""

    x: int
    y: int = 0
    label: str = "p"

    def norm1(self) -> int:
        return abs(self.x) + abs(self.y)


def test_fields_defaults_and_methods():
    p = Point(3, -4)
    assert (p.x, p.y, p.label, p.norm1()) == (3, -4, "p", 7)
    assert Point(1, label="q") == (1, 0, "q")
    assert Point(x=1, y=2) == Point(1, 2)
    assert Point._fields == ("x", "y", "label")
    assert Point.__doc__ == "A point."
    assert repr(Point(1, 2)) == "Point(x=1, y=2, label='p')"
    assert Point.__module__ == __name__ and Point.__qualname__ == "Point"


def test_it_is_a_tuple_in_every_way():
    p = Point(1, 2)
    x, y, label = p
    assert (x, y, label) == (1, 2, "p")
    assert isinstance(p, tuple) and p[1] == 2 and len(p) == 3
    assert hash(p) == hash((1, 2, "p"))
    assert {p: 1}[Point(1, 2)] == 1
    assert pickle.loads(pickle.dumps(p)) == p and type(pickle.loads(pickle.dumps(p))) is Point
    assert copy.copy(p) == p and copy.deepcopy(p) == p
    with pytest.raises(AttributeError):
        p.x = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        p.other = 5  # type: ignore[attr-defined]


def test_it_matches_by_position():
    match Point(1, 2):
        case Point(a, b):
            assert (a, b) == (1, 2)
        case _:
            pytest.fail("no match")


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "missing required argument: 'x'"),
        ((1, 2, "a", 4), {}, "takes 3 arguments but 4 were given"),
        ((1,), {"x": 2}, "multiple values for argument 'x'"),
        ((1,), {"z": 2}, "unexpected keyword argument 'z'"),
    ],
)
def test_wrong_arguments_say_what_is_wrong(args, kwargs, message):
    with pytest.raises(TypeError, match=message):
        Point(*args, **kwargs)
