"""SPEC §2, container rows: bytes, arrays, slices, maps, pointers, named types."""

from __future__ import annotations

import array
import gc
import struct

import msgpack
import pytest

import usegolib
from usegolib.errors import ArgumentTypeError, ArgumentValueError


def test_bytes_accept_bytes_like_objects(kitchen):
    assert kitchen.EchoBytes(b"abc") == b"abc"
    assert kitchen.EchoBytes(bytearray(b"xyz")) == b"xyz"
    assert kitchen.EchoBytes(memoryview(b"mem")) == b"mem"
    assert kitchen.EchoBytes(b"\x00\xff" * 10) == b"\x00\xff" * 10
    assert isinstance(kitchen.EchoBytes(bytearray(b"x")), bytes)


def test_nil_bytes_are_empty_and_none_passes_nil(kitchen):
    assert kitchen.NilBytes() == b""
    assert kitchen.IsNilBytes(None) is True
    assert kitchen.IsNilBytes(b"") is False


def test_bytes_reject_str_and_lists(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"EchoBytes\(\): argument b: expected Go \[\]uint8, got str"):
        kitchen.EchoBytes("abc")
    with pytest.raises(ArgumentTypeError):
        kitchen.EchoBytes([1, 2, 3])


def test_eight_mebibytes_round_trip(kitchen):
    payload = bytes(range(256)) * (8 * 1024 * 4)
    assert len(payload) == 8 << 20
    assert kitchen.EchoBytes(payload) == payload
    made = kitchen.MakeBytes(8 << 20)
    assert made == payload


def test_arrays(kitchen):
    assert kitchen.EchoArray([1, 2, 3]) == [1, 2, 3]
    assert kitchen.EchoArray((4, 5, 6)) == [4, 5, 6]
    with pytest.raises(ArgumentValueError, match=r"EchoArray\(\): argument a: expected a list of 3 items"):
        kitchen.EchoArray([1, 2])
    assert kitchen.EchoHash(b"abcd") == b"abcd"
    with pytest.raises(ArgumentValueError, match=r"expected 4 bytes"):
        kitchen.EchoHash(b"abc")


def test_slices(kitchen):
    assert kitchen.SumFloats([1, 2.5, 3]) == 6.5
    assert kitchen.SumFloats((1.0, 2.0)) == 3.0
    assert kitchen.EchoStrings(["a", "", "ü"]) == ["a", "", "ü"]
    assert kitchen.Transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]
    assert kitchen.Range(2, 5) == [2, 3, 4]


def test_nil_slices_are_empty_lists_and_none_passes_nil(kitchen):
    assert kitchen.NilSlice() == []
    assert kitchen.IsNilSlice(None) is True
    assert kitchen.IsNilSlice([]) is False


def test_slice_element_errors_name_the_index(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"argument xs\[2\]: expected Go float64, got str"):
        kitchen.SumFloats([1.0, 2.0, "three"])
    with pytest.raises(ArgumentTypeError, match=r"argument m\[1\]\[0\]"):
        kitchen.Transpose([[1], ["x"]])


def test_slices_reject_other_iterables(kitchen):
    with pytest.raises(ArgumentTypeError, match="argument xs"):
        kitchen.SumFloats({1.0, 2.0})
    with pytest.raises(ArgumentTypeError, match="argument xs"):
        kitchen.SumFloats(iter([1.0]))


def test_numeric_slices_take_arrays_and_buffers_of_their_item_format(kitchen):
    assert kitchen.SumFloats(array.array("d", [1.5, 2.5])) == 4.0
    assert kitchen.SumFloats(memoryview(array.array("d", [1.0, 2.0]))) == 3.0  # raw bytes, machine order
    assert kitchen.SumFloats(array.array("d")) == 0.0
    assert kitchen.IsNilSlice(array.array("q")) is False  # empty, not nil
    assert kitchen.Index(array.array("q", [7, 8, 9]), 2) == 9
    assert kitchen.Index(array.array("l", [7, 8, 9]), 1) == 8  # C long: int64 here
    with pytest.raises(
        ArgumentTypeError, match=r"argument xs: expected numbers of item format 'd', got item format 'f'"
    ):
        kitchen.SumFloats(array.array("f", [1.0]))
    with pytest.raises(ArgumentValueError, match=r"argument xs: 12 bytes are not a whole number of 8-byte items"):
        kitchen.SumFloats(b"twelve bytes")
    with pytest.raises(ArgumentTypeError, match="matches no Go number type"):
        kitchen.SumFloats(array.array("u", "text"))


def test_numeric_slice_results_come_back_as_lists_or_as_asked(kitchen):
    assert kitchen.Range(0, 4) == [0, 1, 2, 3]
    assert kitchen.NilSlice() == []
    with usegolib.numeric_results("array"):
        got = kitchen.Range(0, 3)
        assert got == array.array("q", [0, 1, 2])
    with usegolib.numeric_results("memoryview"):
        view = kitchen.Range(5, 7)
        assert view.format == "q" and view.tolist() == [5, 6]
    assert kitchen.Range(0, 1) == [0]  # the block is over
    with pytest.raises(ValueError, match="kind must be one of"), usegolib.numeric_results("tuple"):
        pass


def test_maps(kitchen):
    assert kitchen.EchoStringMap({"a": 1, "b": 2}) == {"a": 1, "b": 2}
    assert kitchen.EchoIntMap({1: "one", -2: "minus two"}) == {1: "one", -2: "minus two"}
    assert kitchen.NilMap() == {}
    assert kitchen.IsNilMap(None) is True
    assert kitchen.IsNilMap({}) is False


def test_map_errors_name_the_key(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"argument m\['b'\]: expected Go int, got str"):
        kitchen.EchoStringMap({"a": 1, "b": "two"})
    with pytest.raises(ArgumentTypeError, match=r"argument m\[key\]"):
        kitchen.EchoIntMap({"one": "x"})


def test_map_of_slices_of_records(kitchen):
    grouped = kitchen.GroupByX([{"x": 1, "y": 2}, {"x": 2, "y": 0}, {"x": 1, "y": 3}])
    assert grouped == {1: [{"x": 1, "y": 2}, {"x": 1, "y": 3}], 2: [{"x": 2, "y": 0}]}


def test_pointers_to_data_are_value_or_none(kitchen):
    assert kitchen.OptionalInt(7, True) == 7
    assert kitchen.OptionalInt(7, False) is None
    assert kitchen.Deref(None) == -1
    assert kitchen.Deref(9) == 9
    assert kitchen.EchoPointPtr(None) is None
    assert kitchen.EchoPointPtr({"x": 1, "y": 2}) == {"x": 1, "y": 2}


def test_named_types_are_their_underlying_values(kitchen):
    assert kitchen.ToFahrenheit(100) == 212.0
    assert kitchen.NextLevel(126) == 127
    assert kitchen.NextLevel(127) == -128  # Go's int8 arithmetic wraps
    with pytest.raises(OverflowError, match=r"NextLevel\(\): argument l: .*kitchen.Level"):
        kitchen.NextLevel(128)
    assert kitchen.CountIDs([1, 2, 3]) == 3
    assert kitchen.EchoLabels({"k": "v"}) == {"k": "v"}


def test_variadic_and_multiple_results(kitchen):
    assert kitchen.Sum() == 0
    assert kitchen.Sum(1, 2, 3, 4) == 10
    assert kitchen.Join("-", "a", "b", "c") == "a-b-c"
    assert kitchen.Join(",") == ""
    assert kitchen.DivMod(17, 5) == (3, 2)
    with pytest.raises(ArgumentTypeError, match=r"Sum\(\): argument xs\[1\]: expected Go int"):
        kitchen.Sum(1, "2")


BIG = 1 << 20  # well past the size from which memory is lent rather than copied


def test_large_bytes_and_arrays_are_lent_to_go_and_come_back_whole(kitchen):
    data = bytes(range(256)) * (BIG // 256)
    assert kitchen.EchoBytes(data) == data
    assert kitchen.EchoBytes(bytearray(data)) == data
    assert kitchen.EchoBytes(memoryview(data)) == data  # read-only: copied, not lent
    assert kitchen.EchoBytes(b=data) == data
    assert len(kitchen.MakeBytes(BIG)) == BIG
    floats = array.array("d", range(BIG // 8))
    assert kitchen.SumFloats(floats) == sum(floats)
    assert kitchen.SumFloats(memoryview(floats)) == sum(floats)  # the view keeps its item format
    with pytest.raises(ArgumentTypeError, match="item format 'f'"):
        kitchen.SumFloats(array.array("f", range(BIG // 4)))
    with pytest.raises(ArgumentTypeError, match="matches no Go number type"):
        kitchen.SumFloats(array.array("u", "x" * BIG))
    assert kitchen.Range(0, BIG // 8) == list(range(BIG // 8))
    with usegolib.numeric_results("array"):
        assert kitchen.Range(0, BIG // 8) == array.array("q", range(BIG // 8))
    assert kitchen._library.handle_count() == 0


def test_memoryview_results_are_go_memory_released_with_the_view(kitchen):
    data = bytes(range(256)) * (BIG // 256)
    with usegolib.numeric_results("memoryview"):
        view = kitchen.EchoBytes(data)
        small = kitchen.EchoBytes(b"small")
    assert isinstance(view, memoryview) and view.readonly and view == data
    assert small == b"small"  # below the lending size: a bytes object
    with pytest.raises(TypeError):
        view[0] = 1  # Go's memory is not Python's to change
    del view
    gc.collect()
    for _ in range(3):  # the pins are gone: Go's memory comes and goes freely
        with usegolib.numeric_results("memoryview"):
            assert kitchen.EchoBytes(data)[-1] == 255


def test_forged_borrowed_memory_is_refused(kitchen):
    forged = msgpack.ExtType(11, struct.pack("<QQ", 8, 64) + b"12345678")
    with pytest.raises(ArgumentValueError, match="without this process's token"):
        kitchen.EchoBytes(forged)
