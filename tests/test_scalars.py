"""SPEC §2, scalar rows: numbers, bool, string, with range checks."""

from __future__ import annotations

import math

import pytest

from usegolib.errors import ArgumentOverflowError, ArgumentTypeError, ArgumentValueError, UsegolibError

INT_RANGES = [
    ("EchoInt8", -(2**7), 2**7 - 1),
    ("EchoInt16", -(2**15), 2**15 - 1),
    ("EchoInt32", -(2**31), 2**31 - 1),
    ("EchoInt64", -(2**63), 2**63 - 1),
    ("EchoRune", -(2**31), 2**31 - 1),
    ("EchoUint8", 0, 2**8 - 1),
    ("EchoByte", 0, 2**8 - 1),
    ("EchoUint16", 0, 2**16 - 1),
    ("EchoUint32", 0, 2**32 - 1),
    ("EchoUint64", 0, 2**64 - 1),
    ("EchoUint", 0, 2**64 - 1),
    ("EchoUintptr", 0, 2**64 - 1),
]


@pytest.mark.parametrize(("name", "low", "high"), INT_RANGES)
def test_integers_round_trip_at_their_limits(kitchen, name, low, high):
    echo = getattr(kitchen, name)
    for value in (low, low + 1, 0, 1, 2**59 - 1, -(2**59), high - 1, high):
        if low <= value <= high:
            assert echo(value) == value


@pytest.mark.parametrize(("name", "low", "high"), INT_RANGES)
def test_integers_out_of_range_raise_overflow_naming_the_parameter(kitchen, name, low, high):
    echo = getattr(kitchen, name)
    for value in (low - 1, high + 1):
        with pytest.raises(OverflowError, match=rf"{name}\(\): argument v: .*out of range"):
            echo(value)


def test_integers_beyond_64_bits_overflow(kitchen):
    with pytest.raises(ArgumentOverflowError, match=r"EchoInt64\(\): argument v"):
        kitchen.EchoInt64(2**70)
    with pytest.raises(ArgumentOverflowError, match=r"EchoUint64\(\): argument v"):
        kitchen.EchoUint64(-(2**64))


def test_bool_is_not_accepted_for_ints(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"argument v: expected Go int8, got bool"):
        kitchen.EchoInt8(True)


@pytest.mark.parametrize("bad", ["1", 1.0, None, [1], b"1", float("nan")])
def test_non_ints_are_type_errors(kitchen, bad):
    with pytest.raises(TypeError, match=r"EchoInt64\(\): argument v: expected Go int64"):
        kitchen.EchoInt64(bad)


def test_argument_errors_are_usegolib_errors_and_builtin_errors(kitchen):
    with pytest.raises(UsegolibError):
        kitchen.EchoInt8(1000)
    with pytest.raises(OverflowError):
        kitchen.EchoInt8(1000)


def test_floats(kitchen):
    assert kitchen.EchoFloat64(1.25) == 1.25
    assert kitchen.EchoFloat64(3) == 3.0  # an int is accepted
    assert isinstance(kitchen.EchoFloat64(3), float)
    assert kitchen.EchoFloat32(0.5) == 0.5
    assert kitchen.EchoFloat32(0.1) == pytest.approx(0.1, rel=1e-7)  # float32 precision
    assert kitchen.HalfFloat32(3) == 1.5
    assert math.isnan(kitchen.EchoFloat64(float("nan")))
    assert kitchen.EchoFloat32(float("inf")) == float("inf")
    with pytest.raises(ArgumentOverflowError, match="float32"):
        kitchen.EchoFloat32(1e300)
    with pytest.raises(ArgumentTypeError, match="got str"):
        kitchen.EchoFloat64("1.5")


def test_huge_ints_beyond_float_range_overflow(kitchen):
    with pytest.raises(
        ArgumentOverflowError, match=r"EchoFloat64\(\): argument v: value 1\d+ out of range for Go float64"
    ):
        kitchen.EchoFloat64(10**400)
    with pytest.raises(ArgumentOverflowError, match="float32"):
        kitchen.EchoFloat32(2**200)


def test_complex(kitchen):
    assert kitchen.EchoComplex128(1 + 2j) == 1 + 2j
    assert kitchen.EchoComplex64(0.5 - 0.25j) == 0.5 - 0.25j
    assert kitchen.EchoComplex128(3) == 3 + 0j
    assert kitchen.EchoComplex128(1.5) == 1.5 + 0j
    assert kitchen.EchoComplex128(2**70) == complex(2**70)
    with pytest.raises(ArgumentTypeError):
        kitchen.EchoComplex128("1+2j")
    with pytest.raises(ArgumentOverflowError, match=r"EchoComplex64\(\): argument v: .*complex64"):
        kitchen.EchoComplex64(1e300 + 2j)
    with pytest.raises(ArgumentOverflowError, match="complex64"):
        kitchen.EchoComplex64(complex(0, -1e300))
    assert kitchen.EchoComplex64(complex(float("inf"), 1)) == complex(float("inf"), 1)


def test_bool(kitchen):
    assert kitchen.EchoBool(True) is True
    assert kitchen.Not(True) is False
    with pytest.raises(ArgumentTypeError, match="expected Go bool, got int"):
        kitchen.EchoBool(1)


@pytest.mark.parametrize("text", ["", "ascii", "héllo wörld", "日本語", "emoji 🐹", "nul\x00inside", "x" * 100_000])
def test_strings_round_trip(kitchen, text):
    assert kitchen.EchoString(text) == text
    assert kitchen.ByteLen(text) == len(text.encode())


def test_go_strings_that_are_not_utf8_round_trip_losslessly(kitchen):
    value = kitchen.NotUTF8()
    assert value == "ok\udcff\udcfe"  # surrogateescape
    assert value.encode("utf-8", "surrogateescape") == b"ok\xff\xfe"
    assert kitchen.ByteLen(value) == 4
    assert kitchen.ValidUTF8(value) is False
    assert kitchen.EchoString(value) == value


def test_lone_surrogates_that_are_not_escaped_bytes_are_value_errors(kitchen):
    with pytest.raises(ArgumentValueError, match=r"EchoString\(\): argument s: .*UTF-8"):
        kitchen.EchoString("\ud800")


def test_bytes_are_not_accepted_for_strings(kitchen):
    with pytest.raises(ArgumentTypeError, match="expected Go string, got bytes"):
        kitchen.EchoString(b"abc")


def test_small_and_large_int_results(kitchen):
    # Small results travel in the call's return word, large ones as msgpack.
    assert kitchen.EchoInt64(2**59 - 1) == 2**59 - 1
    assert kitchen.EchoInt64(2**59) == 2**59
    assert kitchen.EchoInt64(-(2**59)) == -(2**59)
    assert kitchen.EchoInt64(-(2**59) - 1) == -(2**59) - 1
    assert kitchen.EchoUint64(2**63) == 2**63
