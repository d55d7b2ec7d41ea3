"""Bad input from Python never crashes the interpreter: each kind is a clear
TypeError, ValueError or OverflowError naming the argument (issue 9, item 4)."""

from __future__ import annotations

import msgpack
import pytest

from usegolib.errors import ArgumentOverflowError, ArgumentTypeError, ArgumentValueError


def nested(depth: int, leaf: object) -> object:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((float("inf"), 1), ArgumentTypeError, "argument a: expected Go int, got float"),
        ((float("nan"), 1), ArgumentTypeError, "argument a: expected Go int, got float"),
        ((1 << 70, 1), ArgumentOverflowError, "argument a: value 1180591620717411303424 out of range for Go int"),
        ((-(1 << 64), 1), ArgumentOverflowError, "argument a: value"),
        (("1", 1), ArgumentTypeError, "argument a: expected Go int, got str"),
        ((True, 1), ArgumentTypeError, "argument a: expected Go int, got bool"),
    ],
)
def test_scalars_go_cannot_take(kitchen, args, error, message):
    with pytest.raises(error, match=message):
        kitchen.AddInt(*args)


def test_wrong_arity_and_keywords_are_type_errors(kitchen):
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'b'"):
        kitchen.AddInt(1)
    with pytest.raises(TypeError, match="takes 2 positional arguments but 3 were given"):
        kitchen.AddInt(1, 2, 3)
    with pytest.raises(TypeError, match="unexpected keyword argument 'c'"):
        kitchen.AddInt(1, 2, c=3)


def test_deep_nesting_is_refused_not_a_crash(kitchen):
    assert kitchen.Echo(nested(400, "bottom")) == nested(400, "bottom")
    for depth in (1100, 10_000):
        with pytest.raises(ArgumentValueError, match="argument v: nests deeper than the 1024 levels"):
            kitchen.Echo(nested(depth, 1))


def test_huge_containers_cross_whole(kitchen):
    assert len(kitchen.Range(0, 2_000_000)) == 2_000_000
    assert kitchen.SumFloats([0.5] * 2_000_000) == 1_000_000.0
    assert len(kitchen.Echo(list(range(1_000_000)))) == 1_000_000


def test_strings_with_nul_and_lone_surrogates(kitchen):
    assert kitchen.EchoString("a\x00b") == "a\x00b"
    assert kitchen.ByteLen("a\x00b") == 3
    with pytest.raises(ArgumentValueError, match="argument s: string has characters with no UTF-8 form"):
        kitchen.EchoString("\ud800 lone")


def test_closed_and_foreign_handles(kitchen):
    counter = kitchen.NewCounter("c")
    counter.close()
    with pytest.raises(ValueError, match="handle is closed"):
        counter.Add(1)
    with pytest.raises(ValueError, match="handle is closed"):
        kitchen.Echo(counter)
    with pytest.raises(ArgumentTypeError, match="argument v: cannot convert object to a Go value"):
        kitchen.Describe(object())
    forged = msgpack.ExtType(1, (2**63).to_bytes(8, "big"))  # a handle id never issued
    with pytest.raises(ArgumentValueError, match="argument v: handle 9223372036854775808 is closed or was never"):
        kitchen.Echo(forged)
