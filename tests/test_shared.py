"""Slices Go does not keep take a writable buffer's memory in place
(go_shim/scan/escape.go, go_shim/rt/shared.go): no copy, and Go's writes
reach the Python object, whatever its size."""

from __future__ import annotations

import array

import pytest

from usegolib.errors import ArgumentTypeError


def _shared(kitchen, function: str) -> list[bool]:
    (fn,) = [f for p in kitchen._library.manifest["packages"] for f in p["functions"] if f["name"] == function]
    return [bool(p.get("shared")) for p in fn["params"]]


def test_escape_analysis_decides_which_parameters_are_shared(kitchen):
    assert _shared(kitchen, "Scale") == [True, False]
    assert _shared(kitchen, "UpperInPlace") == [True]
    assert _shared(kitchen, "SumFloats") == [True]
    assert _shared(kitchen, "KeepFloats") == [False]  # kept in a global
    assert _shared(kitchen, "EchoBytes") == [False]  # returned: it outlives the call


@pytest.mark.parametrize("size", [3, 1 << 17])
def test_go_writes_reach_writable_buffers_of_any_size(kitchen, size):
    floats = array.array("d", range(size))
    kitchen.Scale(floats, 2.0)
    assert floats[:3] == array.array("d", [0.0, 2.0, 4.0]) and floats[-1] == 2.0 * (size - 1)
    view = memoryview(floats)
    kitchen.Scale(view, 0.5)
    assert floats[-1] == size - 1
    letters = bytearray(b"go" * size)
    kitchen.UpperInPlace(letters)
    assert letters[:4] == b"GOGO" and letters[-1:] == b"O"


def test_immutable_and_read_only_arguments_are_copied(kitchen):
    floats = [1.0, 2.0]
    kitchen.Scale(floats, 10.0)
    assert floats == [10.0, 20.0]  # a copy, whose writes come back (test_write_back.py)
    backing = array.array("d", [1.0, 2.0])
    kitchen.Scale(memoryview(backing).toreadonly(), 10.0)
    assert backing == array.array("d", [1.0, 2.0])
    text = b"go" * (1 << 17)
    kitchen.UpperInPlace(text)
    assert text[:2] == b"go"


def test_misaligned_memory_is_copied_not_shared(kitchen):
    raw = bytearray(8 * 3 + 1)
    floats = memoryview(raw)[1:].cast("d")  # items at an odd address
    floats[0], floats[1], floats[2] = 1.0, 2.0, 3.0
    assert kitchen.SumFloats(floats) == 6.0
    kitchen.Scale(floats, 2.0)  # Go scales a copy, whose new items come back
    assert floats.tolist() == [2.0, 4.0, 6.0]


def test_a_slice_go_keeps_is_a_copy(kitchen):
    floats = array.array("d", [1.0, 2.0])
    kitchen.KeepFloats(floats)
    floats[0] = 99.0
    del floats
    assert kitchen.Kept() == [1.0, 2.0]


def test_shared_arguments_are_checked_as_copies_are(kitchen):
    with pytest.raises(ArgumentTypeError, match="argument xs: expected numbers of item format 'd', got item format"):
        kitchen.Scale(array.array("f", [1.0]), 2.0)
    empty = array.array("d")
    kitchen.Scale(empty, 2.0)
    assert kitchen.IsNilSlice(array.array("q")) is False
