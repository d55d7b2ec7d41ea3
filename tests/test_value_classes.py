"""Value classes: named non-struct Go types with methods (tests/fixtures/valueclasses),
in the plain and the typed view."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import usegolib

from .conftest import FIXTURES, build_offline, run_python

REASON = "parameter c: channel of unsafe.Pointer is not bridgeable"


@pytest.fixture(scope="session")
def valueclasses_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("valueclasses-artifacts")
    build_offline(FIXTURES / "valueclasses", root)
    return root


@pytest.fixture(scope="module")
def h(valueclasses_root):
    return usegolib.import_("example.com/valueclasses", artifact_dir=valueclasses_root)


@pytest.fixture(scope="module")
def t(h):
    return h.typed()


def test_named_bool_class_groups_methods_over_plain_bools(h):
    assert h.Flag(True) is True  # bool cannot be subclassed: the class converts
    assert h.Flag() is False and h.Flag(0) is False
    assert h.Flag.String(True) == "on" and h.Flag.Not(True) is False
    assert h.GetFlag() is True and h.On is True


def test_named_bools_stay_plain_in_the_typed_view(t):
    assert t.GetFlag() is True
    assert t.On is True and t.vars.Off is False
    assert t.Flags() == [True, False] and t.FlagNames() == {True: "on", False: "off"}
    assert t.Flag.String(t.On) == "on" and t.Flag.Not(t.On) is False
    assert t.GetSwitch() == t.Switch(f=True) and t.Switch().f is False
    assert inspect.signature(t.GetFlag).return_annotation is bool
    assert t.Switch.__annotations__["f"] is bool
    t.vars.Off = True
    try:
        assert t.vars.Off is True
    finally:
        t.vars.Off = False


def test_named_bools_through_the_import_hook(valueclasses_root):
    done = run_python(
        """
        import usegolib.auto
        from go.example_com.valueclasses import Flag, GetFlag, On
        print(On, GetFlag(), Flag.String(On), Flag(False))
        """,
        USEGOLIB_PATH=str(FIXTURES / "valueclasses"),
        USEGOLIB_ARTIFACT_DIR=str(valueclasses_root),
        GOPROXY="off",
    )
    assert done.stdout.split() == ["True", "True", "on", "False"], done.stderr


def test_methods_of_named_slices_and_maps_take_their_dataclasses(t):
    points = t.MakePoints()
    assert points == t.Points([t.Point(1, 2), t.Point(3, 4)]) and isinstance(points[0], t.Point)
    assert points.SumX() == 4
    assert t.Points([t.Point(1, 2)]).SumX() == 1
    assert t.Points.SumX([t.Point(5, 0)]) == 5  # a plain list as receiver
    assert t.Points([{"x": 6, "y": 0}]).SumX() == 6  # dicts are still accepted
    shifted = points.Shifted(1)
    assert type(shifted) is t.Points and shifted == [t.Point(2, 2), t.Point(4, 4)]
    assert t.MakePointMap().SumX() == 6
    assert t.PointMap({"a": t.Point(7, 0)}).SumX() == 7


def test_plain_view_methods_of_named_slices_take_dicts(h):
    assert h.MakePoints() == [{"x": 1, "y": 2}, {"x": 3, "y": 4}]
    assert h.Points.SumX(h.MakePoints()) == 4 and h.PointMap(h.MakePointMap()).SumX() == 6


def test_named_map_keys_are_instances_of_their_class(h, t):
    by_level = t.ByLevel()
    assert by_level == {0: "low", 2: "high"}
    assert {type(k) for k in by_level} == {t.Level}
    assert sorted(k.String() for k in by_level) == ["high", "low"]
    assert inspect.signature(t.ByLevel).return_annotation == dict[t.Level, str]
    assert {type(k) for k in h.ByLevel()} == {int}  # the plain view stays plain


def test_dataclass_defaults_of_named_values_are_instances_of_their_class(t):
    zero = t.Holder().L
    assert type(zero) is t.Level and zero == 0 and zero.String() == "low"
    assert t.Holder() == t.GetHolder(0)
    assert type(t.GetHolder(2).L) is t.Level
    assert t.Holder.__annotations__["L"] is t.Level


def test_skipped_methods_of_value_classes_say_why(h, t):
    for level in (h.Level(1), t.Level(1)):
        with pytest.raises(AttributeError, match=rf"^Level.Watch is not available from Python: {REASON}"):
            level.Watch(None)
        assert not hasattr(level, "Watch")
    with pytest.raises(AttributeError, match=rf"^Level.Watch is not available from Python: {REASON}"):
        h.Level.Watch  # noqa: B018 - on the class too
    with pytest.raises(AttributeError, match=r"^'Level' object has no attribute 'Nope'$"):
        h.Level(1).Nope  # noqa: B018
    with pytest.raises(AttributeError, match=r"^Level has no attribute 'Nope'$"):
        t.Level.Nope  # noqa: B018


def test_by_value_methods_write_into_the_receiver(t):
    """Go's `func (s Set) Add(k string) { s[k] = true }` changes the caller's
    map in Go, and the Python dict from Python (docs/type-mapping.md)."""
    s = t.Set({"a": True})
    assert s.Add("b") is None
    assert s == {"a": True, "b": True}
    s = t.Set({"a": True}).With("b")
    assert type(s) is t.Set and s.Keys() == ["a", "b"]


def test_pointer_methods_of_immutable_values_return_the_new_value(h, t):
    for view in (h, t):
        level = view.Level(2)
        assert level.Reset() == 0 and level == 2  # an int cannot change in place
        assert view.Level.Raise(1, 1) == ("high", 2)
        assert view.Level.Reset(5) == 0


def test_pointer_methods_of_lists_and_dicts_change_them_in_place(h, t):
    for view in (h, t):
        stack = view.Stack([1])
        assert stack.Push(2) is None
        assert stack == [1, 2] and type(stack) is view.Stack
        assert stack.Pop() == 2 and stack == [1]
        plain = [5]
        view.Stack.Push(plain, 6)
        assert plain == [5, 6]
