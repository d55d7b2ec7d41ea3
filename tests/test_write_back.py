"""Go's writes into a slice or map argument show in the list, dict or
bytearray passed; an object that cannot change raises (issue 16, point 2)."""

from __future__ import annotations

import array
import gc

import pytest

from usegolib import Ref
from usegolib.errors import ArgumentTypeError
from usegolib.runtime.borrow import BORROW_MIN


def test_item_writes_show_in_a_list(idioms):
    xs = [3, 1, 2]
    assert idioms.Sort(xs) is None
    assert xs == [1, 2, 3]
    words = ["b", "a"]
    assert idioms.Join(words, "-") == "b-a" and words == ["b", "a"]  # a call that only reads


def test_map_writes_show_in_a_dict_with_the_result(idioms):
    counts = {"x": 1}
    assert idioms.Tally("x y x", counts) == 3  # an immediate integer result, after the writes
    assert counts == {"x": 3, "y": 1}
    inner = [1]
    fields = {"a": 1, "b": inner}
    assert idioms.Rename(fields, "a", "z") is True
    assert fields == {"b": [1], "z": 1}
    assert fields["b"] is inner  # values Go did not touch stay the caller's objects
    assert idioms.Rename(fields, "missing", "q") is False and fields == {"b": [1], "z": 1}


def test_writes_come_back_with_several_results(idioms):
    xs = [3.5, -1.0, 2.0]
    assert idioms.Ends(xs) == (-1.0, 3.5)
    assert xs == [-1.0, 2.0, 3.5]


def test_records_in_a_list_are_updated_in_place(idioms):
    points = [{"X": 1, "Y": 2}, {"X": 3, "Y": 4}]
    first = points[0]
    idioms.Shift(points, 10)
    assert points == [{"X": 11, "Y": 2}, {"X": 13, "Y": 4}]
    assert points[0] is first


def test_replaced_inner_lists(idioms):
    rows = [[1], [2, 3]]
    idioms.Refill(rows, 7)
    assert rows == [[7, 7], [7, 7]]
    lines = [b" a ", b"b "]
    assert idioms.Trim(lines) == b"a,b"
    assert lines == [b"a", b"b"]


def test_a_bytearray_shows_writes_whether_shared_or_copied(idioms):
    shared = bytearray(b"abc")
    assert idioms.UpperASCII(shared) == 3 and shared == b"ABC"  # Go used its memory in place
    kept = bytearray(b"abc")
    idioms.Stamp(kept)  # Go keeps its argument: a copy, written back
    assert kept == b"!bc"
    big = bytearray(b"q" * (2 * BORROW_MIN))  # lent as memory Go copies
    idioms.Stamp(big)
    assert big[:2] == b"!q" and len(big) == 2 * BORROW_MIN


def test_array_module_arrays_show_writes(idioms):
    xs = array.array("d", [2.0, 1.0])
    assert idioms.Ends(xs) == (1.0, 2.0)
    assert xs.tolist() == [1.0, 2.0]


def test_a_tuple_go_wrote_into_raises_a_type_error_naming_the_fix(idioms):
    with pytest.raises(ArgumentTypeError) as caught:
        idioms.Sort((3, 1))
    assert isinstance(caught.value, TypeError)
    message = str(caught.value)
    assert message.startswith("Sort(): argument xs: ")
    assert "a tuple cannot change" in message and "pass a list, dict or bytearray" in message
    assert "usegolib.Ref" in message


def test_bytes_are_a_copy_as_a_go_conversion_is(idioms):
    # Go's []byte(s) of a string is a copy the callee may scribble on; bytes
    # are the same, and are never compared (that would cost a copy's time).
    data = b"abc"
    assert idioms.UpperASCII(data) == 3 and data == b"abc"
    big = bytes(2 * BORROW_MIN)
    idioms.Stamp(big)
    assert big[:1] == b"\0"


def test_immutable_arguments_go_did_not_change_are_fine(idioms):
    assert idioms.Sort((1, 2, 3)) is None
    assert idioms.UpperASCII(b"ABC") == 0
    assert idioms.Join(("a", "b"), "+") == "a+b"


def test_keyword_arguments_are_written_back(idioms):
    counts: dict[str, int] = {}
    assert idioms.Tally(text="a a", counts=counts) == 2
    assert counts == {"a": 2}


def test_a_value_receiver_writing_into_its_map(idioms):
    s = {"a": True}
    idioms.Set.Add(s, "b")
    assert s == {"a": True, "b": True}
    assert idioms.Set.Has(s, "b") is True


def test_method_parameters_are_written_back(idioms):
    bag = idioms.NewBag("L")
    tags = ["x", "y"]
    bag.Badge(tags)
    assert tags == ["L:x", "L:y"]


def test_the_typed_view_writes_back_into_dataclasses(idioms):
    typed = idioms.typed()
    points = [typed.Point(X=1, Y=2), typed.Point(X=5, Y=0)]
    typed.Shift(points, 5)
    assert points == [typed.Point(X=6, Y=2), typed.Point(X=10, Y=0)]
    with pytest.raises(ArgumentTypeError, match="a tuple cannot change"):
        typed.Shift((typed.Point(X=1, Y=2),), 1)


def test_a_ref_still_works_and_errors_leave_no_state(idioms):
    xs = Ref([2, 1])
    idioms.Sort(xs)
    assert xs.value == [1, 2]
    for _ in range(3):
        with pytest.raises(ArgumentTypeError):
            idioms.Sort((2, 1))
    gc.collect()
    assert idioms.Tally("z", {}) == 1  # the next call on the thread is a plain one
