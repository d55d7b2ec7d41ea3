"""Property tests: random values go through Go and come back equal
(issue 9, item 6, the Python side; the Go side fuzzes the decoder)."""

from __future__ import annotations

import math
from array import array

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from usegolib.errors import ArgumentOverflowError

INT64 = st.integers(-(2**63), 2**63 - 1)
UINT64 = st.integers(0, 2**64 - 1)
FINITE = st.floats(allow_nan=False)
SCALARS = st.none() | st.booleans() | INT64 | UINT64 | FINITE | st.text() | st.binary()
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@EXAMPLES
@given(VALUES)
def test_any_round_trips(kitchen, value):
    assert kitchen.Echo(value) == value


@EXAMPLES
@given(INT64, UINT64, st.floats(), st.text(), st.binary())
def test_typed_scalars_round_trip(kitchen, i, u, f, s, b):
    assert kitchen.EchoInt64(i) == i
    assert kitchen.EchoUint64(u) == u
    echoed = kitchen.EchoFloat64(f)
    assert echoed == f or (math.isnan(f) and math.isnan(echoed))
    assert kitchen.EchoString(s) == s
    assert kitchen.EchoBytes(b) == b


@EXAMPLES
@given(st.integers(2**63, 2**200) | st.integers(-(2**200), -(2**63) - 1))
def test_ints_beyond_int64_overflow(kitchen, n):
    try:
        kitchen.EchoInt64(n)
    except ArgumentOverflowError as exc:
        assert "argument v" in str(exc)
    else:
        raise AssertionError(f"{n} was accepted")


@EXAMPLES
@given(st.lists(st.floats(-1e300, 1e300), max_size=50))
def test_float_slices_as_lists_and_arrays(kitchen, xs):
    total = 0.0
    for x in xs:  # Go adds in order, as this loop does
        total += x
    assert kitchen.SumFloats(xs) == total
    assert kitchen.SumFloats(array("d", xs)) == total
