"""usegolib.Ref: Go pointers for out-parameters (issue 16, point 2)."""

from __future__ import annotations

import dataclasses
import gc
import threading

import pytest

import usegolib
from usegolib import Ref
from usegolib.errors import ArgumentTypeError


def test_ref_is_a_pointer_to_any_for_decoders(idioms):
    r = Ref()
    assert r.value is None
    idioms.Decode('{"a": [1, {"b": null}]}', r)
    assert r.value == {"a": [1.0, {"b": None}]}


@pytest.mark.parametrize(
    ("kind", "data", "want"),
    [
        (dict, '{"a": 1}', {"a": 1.0}),
        (list, '[1, "x"]', [1.0, "x"]),
        (str, '"hi"', "hi"),
        (float, "2.5", 2.5),
        (bool, "true", True),
        (int, "7", 7),
    ],
)
def test_a_ref_of_a_kind_is_a_pointer_to_its_go_type(idioms, kind, data, want):
    r = Ref(kind)
    assert r.value == kind()  # the zero value until a call takes it
    idioms.Decode(data, r)
    assert r.value == want and type(r.value) is type(want)


def test_a_ref_of_a_value_starts_from_a_copy_of_it(idioms):
    start = {"kept": True}
    r = Ref(start)
    idioms.Decode('{"added": 1}', r)
    assert r.value == {"kept": True, "added": 1.0}
    assert start == {"kept": True}  # the Python value is not the Go one


def test_a_ref_takes_the_type_of_a_pointer_parameter(idioms):
    p = Ref({"Name": "x", "Age": 41})
    idioms.Fill(p, "Ada")
    assert p.value == {"Name": "Ada", "Age": 42}
    fresh = Ref()
    idioms.Fill(fresh, "Bob")
    idioms.Fill(fresh, "Bob")  # the same pointer again
    assert fresh.value == {"Name": "Bob", "Age": 2}
    n, word = Ref(int), Ref(str)
    idioms.Scan("42 answer", n, word)
    assert (n.value, word.value) == (42, "answer")


def test_go_writes_into_a_map_or_slice_of_a_ref_are_seen(idioms):
    counts = Ref({"go": 1})
    idioms.Count("go py go", counts)
    assert counts.value == {"go": 3, "py": 1}
    empty = Ref(dict)
    idioms.Count("a b a", empty)
    assert empty.value == {"a": 2, "b": 1}
    xs = Ref([1, 2, 3])
    idioms.Double(xs)
    idioms.Double(xs)
    assert xs.value == [4, 8, 12]


def test_a_plain_dict_or_list_argument_shows_go_writes_too(idioms):
    counts, xs = {"go": 1}, [1, 2]  # written back: tests/test_write_back.py
    idioms.Count("go go", counts)
    idioms.Double(xs)
    assert counts == {"go": 3} and xs == [2, 4]


def test_typed_refs_give_dataclasses(idioms):
    typed = idioms.typed()
    r = Ref(typed.Person)
    typed.Fill(r, "Cy")
    assert r.value == typed.Person(Name="Cy", Age=1)
    from_json = Ref(typed.Person)
    idioms.Decode('{"Name": "Di", "Age": 3}', from_json)  # a *Person where Go wants any
    assert dataclasses.asdict(from_json.value) == {"Name": "Di", "Age": 3}
    seeded = Ref(typed.Person(Name="Ed", Age=9))
    typed.Fill(seeded, "Ed")
    assert seeded.value.Age == 10


def test_a_ref_of_a_class_is_a_new_go_object(idioms):
    bag = Ref(idioms.types.Bag)
    idioms.Grow(bag, "x")  # a zero Bag: Limit 0 refuses the item
    assert isinstance(bag.value, idioms.types.Bag) and bag.value.Limit == 0


def test_a_ref_keeps_the_type_its_first_call_gave_it(idioms):
    r = Ref()
    idioms.Fill(r, "x")  # now a *Person
    with pytest.raises(ArgumentTypeError, match="Ref holds a Go"):
        idioms.Count("a", r)


def test_a_ref_belongs_to_one_module(idioms, kitchen):
    r = Ref(dict)
    idioms.Decode("{}", r)
    with pytest.raises(TypeError, match=r"belongs to Go module example\.com/idioms"):
        kitchen.Echo(r)


def test_refs_are_released_with_the_python_object(idioms):
    lib = idioms._library
    before = lib.ref_count()
    refs = [Ref(dict) for _ in range(50)]
    for r in refs:
        idioms.Decode('{"x": 1}', r)
    assert lib.ref_count() == before + 50
    del refs, r
    gc.collect()
    assert lib.ref_count() == before


def test_refs_from_many_threads(idioms):
    failures = []

    def work(i):
        r = Ref(dict)
        idioms.Count(" ".join(["w"] * i), r)
        if r.value != ({"w": i} if i else {}):
            failures.append((i, r.value))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


def test_a_ref_is_exported_by_usegolib():
    assert usegolib.Ref is Ref
    with pytest.raises(TypeError, match="record dataclass"):
        Ref(object)
