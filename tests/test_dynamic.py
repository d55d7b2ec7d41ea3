"""SPEC §2: `any`, interfaces, time.Time and time.Duration."""

from __future__ import annotations

import gc
from datetime import datetime, timedelta, timezone

import pytest

from usegolib import GoObject, GoPanicError
from usegolib.errors import ArgumentOverflowError, ArgumentTypeError, UnsupportedTypeError


@pytest.mark.parametrize(
    "value",
    [None, True, False, 0, -5, 2**63 - 1, 2**64 - 1, 1.5, "text", b"\x00bytes", [1, "a", None], {"k": [1, {"n": 2.5}]}],
)
def test_any_round_trips_natural_values(kitchen, value):
    assert kitchen.Echo(value) == value


def test_any_arrives_as_natural_go_types(kitchen):
    assert kitchen.Describe(None) == "<nil>"
    assert kitchen.Describe(1) == "int"
    assert kitchen.Describe(2**64 - 1) == "uint64"
    assert kitchen.Describe(1.0) == "float64"
    assert kitchen.Describe("s") == "string"
    assert kitchen.Describe(b"b") == "[]uint8"
    assert kitchen.Describe([1]) == "[]interface {}"
    assert kitchen.Describe({"a": 1}) == "map[string]interface {}"
    assert kitchen.Describe({1: "a"}) == "map[interface {}]interface {}"
    assert kitchen.Describe(datetime(2024, 1, 1, tzinfo=timezone.utc)) == "time.Time"
    assert kitchen.Describe(timedelta(seconds=1)) == "time.Duration"
    assert kitchen.Describe(1j) == "complex128"


def test_any_passes_handles_as_their_go_values(kitchen):
    counter = kitchen.NewCounter("c")
    assert kitchen.Describe(counter) == "*kitchen.Counter"
    back = kitchen.Echo(counter)
    assert isinstance(back, kitchen.Counter)
    back.Add(2)
    assert counter.Value() == 2  # the same Go object


def test_any_results_keep_module_types_in_shape(kitchen):
    mixed = kitchen.Mixed()
    assert mixed["point"] == {"x": 1, "y": 2}  # a record inside any is a dict
    assert isinstance(mixed["counter"], kitchen.Counter)
    assert mixed["counter"].Name == "mixed"
    assert mixed["list"] == [1, "two", 3.0, None]
    assert mixed["ints"] == [1, 2]


def test_any_rejects_values_with_no_go_equivalent(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"Echo\(\): argument v: cannot convert set"):
        kitchen.Echo({1, 2})
    with pytest.raises(ArgumentTypeError, match="argument v"):
        kitchen.Echo(object())


def test_interfaces_return_the_dynamic_class(kitchen):
    dog = kitchen.NewAnimal("dog", "rex")
    cat = kitchen.NewAnimal("cat", "tom")
    assert type(dog) is kitchen.Dog
    assert type(cat) is kitchen.Cat
    assert dog.Sound() == "woof"
    assert cat.Name() == "tom"
    assert kitchen.NoAnimal() is None


def test_handles_are_accepted_where_their_interface_is_expected(kitchen):
    assert kitchen.Speak(kitchen.NewAnimal("dog", "rex")) == "rex says woof"
    assert kitchen.Speak(kitchen.NewAnimal("cat", "tom")) == "tom says meow"
    assert kitchen.Speak(None) == "silence"
    # A Cat returned by value is passed back by value, keeping Go semantics.
    assert kitchen.IsCatValue(kitchen.NewAnimal("cat", "tom")) is True
    assert kitchen.Stringify(kitchen.NewCounter("n")) == "n=0"


def test_handles_not_implementing_the_interface_are_type_errors(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"Speak\(\): argument a: expected a handle of Go type kitchen.Animal"):
        kitchen.Speak(kitchen.NewCounter("not an animal"))
    with pytest.raises(ArgumentTypeError, match="expected a Go object handle, got str"):
        kitchen.Speak("dog")


def test_interfaces_from_other_packages_work_as_interface_classes(kitchen):
    reader = kitchen.NewReader("hello, reader")
    assert isinstance(reader, GoObject)
    assert reader.go_type == "*strings.Reader"
    assert kitchen.ReadAll(reader) == "hello, reader"


def test_time_round_trips_as_aware_datetime(kitchen):
    moment = datetime(2024, 2, 29, 23, 59, 58, 999999, tzinfo=timezone.utc)
    shifted = kitchen.Shift(moment, timedelta(seconds=2))
    assert shifted == datetime(2024, 3, 1, 0, 0, 0, 999999, tzinfo=timezone.utc)
    assert shifted.tzinfo is not None
    assert kitchen.Epoch() == datetime(1970, 1, 1, tzinfo=timezone.utc)


def test_time_keeps_the_utc_offset(kitchen):
    tz = timezone(timedelta(hours=5, minutes=30))
    local = datetime(2024, 6, 1, 12, 0, tzinfo=tz)
    assert kitchen.OffsetOf(local) == 5 * 3600 + 30 * 60
    moved = kitchen.InZone(datetime(2024, 6, 1, tzinfo=timezone.utc), -7200)
    assert moved.utcoffset() == timedelta(hours=-2)
    assert moved == datetime(2024, 6, 1, tzinfo=timezone.utc)


def test_times_before_the_epoch(kitchen):
    old = datetime(1900, 1, 1, 12, 30, tzinfo=timezone.utc)
    assert kitchen.Shift(old, timedelta(0)) == old


def test_naive_datetimes_are_refused(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"Shift\(\): argument t: naive datetime"):
        kitchen.Shift(datetime(2024, 1, 1), timedelta(0))


def test_go_times_outside_datetime_range_are_unsupported(kitchen):
    with pytest.raises(UnsupportedTypeError, match="outside the range of datetime"):
        kitchen.Shift(datetime(9999, 12, 31, tzinfo=timezone.utc), timedelta(days=2))


def test_go_offsets_python_cannot_hold_keep_the_instant_in_utc(kitchen):
    moment = datetime(2024, 6, 1, tzinfo=timezone.utc)
    moved = kitchen.InZone(moment, 30 * 3600)  # Go allows a 30-hour fixed zone
    assert moved == moment
    assert moved.utcoffset() == timedelta(0)


def test_nesting_beyond_what_python_decodes_is_refused_cleanly(kitchen):
    assert kitchen.Nest(900) is not None
    with pytest.raises(GoPanicError, match="nested deeper than 1000 levels"):
        kitchen.Nest(1500)
    chain = kitchen.Linked(3)
    assert chain == {"next": {"next": {"next": None}}}
    with pytest.raises(UnsupportedTypeError, match="1024 levels"):
        kitchen.Linked(2000)
    assert kitchen.AddInt(1, 1) == 2


def test_handles_of_results_python_cannot_decode_are_released(kitchen):
    lib = kitchen._library
    gc.collect()
    before = lib.handle_count()
    counter, moment = kitchen.CounterAt("ok", 2024)
    assert moment.year == 2024
    del counter
    for _ in range(5):
        with pytest.raises(UnsupportedTypeError, match="outside the range of datetime"):
            kitchen.CounterAt("lost", 20000)
    gc.collect()
    assert lib.handle_count() == before


def test_durations(kitchen):
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert kitchen.Between(start, start + timedelta(days=1, microseconds=5)) == timedelta(days=1, microseconds=5)
    assert kitchen.Between(start + timedelta(seconds=1), start) == timedelta(seconds=-1)
    with pytest.raises(ArgumentOverflowError, match=r"argument d: .*time.Duration"):
        kitchen.Shift(start, timedelta(days=365 * 300))
    with pytest.raises(ArgumentTypeError, match=r"expected datetime\.timedelta, got int"):
        kitchen.Shift(start, 5)
