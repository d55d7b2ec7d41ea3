"""SPEC §3: object handles."""

from __future__ import annotations

import gc
import inspect
import weakref

import pytest

from usegolib import GoObject
from usegolib.errors import ArgumentTypeError, ArgumentValueError


def test_methods_with_pointer_and_value_receivers(kitchen):
    counter = kitchen.NewCounter("hits")
    assert type(counter) is kitchen.Counter
    assert counter.Add(3) == 3  # pointer receiver mutates
    assert counter.Add(4) == 7
    assert counter.Value() == 7  # value receiver sees the state
    assert str(counter) == "hits=7"  # String() is __str__


def test_a_go_parameter_named_self_is_renamed(kitchen):
    counter = kitchen.NewCounter("s")
    counter.SetTo(self_=41)
    assert counter.Add(1) == 42
    assert "self_" in str(inspect.signature(counter.SetTo))


def test_exported_fields_are_readable(kitchen):
    counter = kitchen.NewCounter("named")
    assert counter.Name == "named"
    assert counter.Tags == []
    version = kitchen.ParseVersion("1.22.3")
    assert (version.Major, version.Minor, version.Patch) == (1, 22, 3)


def test_unexported_fields_are_not_attributes(kitchen):
    counter = kitchen.NewCounter("x")
    with pytest.raises(AttributeError, match="no attribute 'n'"):
        counter.n  # noqa: B018


def test_handles_pass_back_as_value_and_pointer(kitchen):
    older = kitchen.ParseVersion("1.2.3")
    newer = kitchen.ParseVersion("1.10.0")
    assert older.Less(newer) is True  # passed where Go wants Version (by value)
    assert newer.Less(older) is False
    kitchen.Bump(older)  # passed where Go wants *Version
    assert str(older) == "1.2.4"
    assert older.Patch == 4


def test_value_results_are_boxed_copies(kitchen):
    v = kitchen.ParseVersion("2.0.0")
    w = kitchen.ParseVersion("2.0.0")
    kitchen.Bump(v)
    assert (v.Patch, w.Patch) == (1, 0)


def test_handles_from_the_parent_package_work_in_a_subpackage(kitchen):
    counter = kitchen.NewCounter("shared")
    assert kitchen.geo.Tally(counter, 5) == 5
    assert counter.Value() == 5
    grid = kitchen.geo.NewGrid(3, 2)
    grid.Set(2, 1, 9)
    assert grid.Get(2, 1) == 9
    assert (grid.W, grid.H) == (3, 2)
    assert type(grid).__module__ == "go.example_com.kitchen.geo"


def test_struct_valued_fields_are_handles_into_the_parent(kitchen):
    box = kitchen.NewBox("inner")
    inner = box.Inner
    assert isinstance(inner, kitchen.Counter)
    inner.Add(6)
    assert box.Total() == 6
    assert box.Label == "box"


def test_wrong_handle_types_are_type_errors(kitchen):
    with pytest.raises(
        ArgumentTypeError, match=r"Tally\(\): argument c: expected a handle of Go type \*kitchen.Counter"
    ):
        kitchen.geo.Tally(kitchen.NewBox("b"), 1)
    with pytest.raises(ArgumentTypeError, match=r"Bump\(\): argument v: expected a Go object handle, got dict"):
        kitchen.Bump({"Major": 1})


def test_constructors(kitchen):
    made = kitchen.Counter(Name="made", Tags=["a", "b"])
    assert isinstance(made, kitchen.Counter)
    assert (made.Name, made.Tags, made.Value()) == ("made", ["a", "b"], 0)
    assert kitchen.Counter().Name == ""
    other = kitchen.new("Counter", Name="via new")
    assert other.Name == "via new"
    with pytest.raises(TypeError, match="keyword arguments only"):
        kitchen.Counter("positional")
    with pytest.raises(ArgumentTypeError, match=r"unknown field \"Nope\""):
        kitchen.Counter(Nope=1)
    with pytest.raises(ArgumentTypeError, match=r"Counter\(\): argument Name: expected Go string, got int"):
        kitchen.Counter(Name=5)
    with pytest.raises(AttributeError, match="no class 'Point'"):
        kitchen.new("Point")


def test_close_and_with_release_the_handle(kitchen):
    counter = kitchen.NewCounter("closing")
    with counter as same:
        assert same is counter
        same.Add(1)
    assert counter.closed
    with pytest.raises(ValueError, match="Counter handle is closed"):
        counter.Add(1)
    with pytest.raises(ValueError, match="Counter handle is closed"):
        counter.Name  # noqa: B018
    with pytest.raises(ArgumentValueError, match=r"Tally\(\): argument c: Counter handle is closed"):
        kitchen.geo.Tally(counter, 1)
    counter.close()  # closing twice is harmless
    assert repr(counter) == "<Counter (closed)>"


def test_garbage_collection_releases_go_values(kitchen):
    lib = kitchen._library
    gc.collect()
    before = lib.handle_count()
    counters = [kitchen.NewCounter(f"c{i}") for i in range(500)]
    assert lib.handle_count() == before + 500
    ref = weakref.ref(counters[0])
    del counters
    gc.collect()
    assert ref() is None
    assert lib.handle_count() == before


def test_handles_cannot_be_created_directly_or_pickled(kitchen):
    import pickle

    with pytest.raises(TypeError):
        GoObject()
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(kitchen.NewCounter("p"))


def test_repr_names_the_go_type(kitchen):
    box = kitchen.NewBox("r")
    assert repr(box).startswith("<Box Go *example.com/kitchen.Box handle ")
    assert box.go_type == "*example.com/kitchen.Box"
    counter = kitchen.NewCounter("r")  # a String method shows the value instead
    assert repr(counter) == "<Counter r=0>"
    assert counter.go_type == "*example.com/kitchen.Counter"


def test_classes_document_themselves(kitchen):
    assert kitchen.Counter.__doc__ == "Counter is a class: it has methods and hidden state."
    assert kitchen.Counter.Add.__doc__ == "Add adds delta and returns the new value (pointer receiver)."
    assert kitchen.Counter.__module__ == "go.example_com.kitchen"
