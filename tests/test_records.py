"""SPEC §2, plain data structs: dicts keyed like encoding/json."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from usegolib.errors import ArgumentTypeError

CREATED = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)


def shape(**overrides):
    value = {
        "id": 7,
        "Kind": "polygon",
        "by": "ana",
        "name": "triangle",
        "points": [{"x": 0, "y": 0}, {"x": 6, "y": 0}, {"x": 0, "y": 3}],
        "center": {"x": 2, "y": 1},
        "extra": {"color": "red", "weights": [1, 2.5]},
        "created": CREATED,
    }
    value.update(overrides)
    return value


def test_json_tag_names_are_keys(kitchen):
    assert kitchen.EchoPoint({"x": 1, "y": -2}) == {"x": 1, "y": -2}


def test_nested_records_round_trip_with_promoted_embedded_fields(kitchen):
    s = shape()
    back = kitchen.EchoShape(s)
    assert back == s
    # Keys in Go field order: embedded Base (id, Kind), then *Audit (by), then the rest.
    assert list(back) == ["id", "Kind", "by", "name", "points", "center", "extra", "created"]


def test_record_arguments_reach_go_intact(kitchen):
    assert kitchen.Centroid(shape()) == {"x": 2, "y": 1}


def test_missing_keys_are_zero_values(kitchen):
    assert kitchen.EchoPoint({}) == {"x": 0, "y": 0}
    back = kitchen.EchoShape({"name": "bare"})
    assert back["id"] == 0
    assert back["points"] == []
    assert back["center"] is None
    assert back["extra"] == {}
    assert back["created"] == datetime(1, 1, 1, tzinfo=timezone.utc)  # Go's zero time


def test_embedded_pointer_is_allocated_only_when_its_fields_are_given(kitchen):
    assert kitchen.HasAudit(shape()) is True
    without = shape()
    del without["by"]
    assert kitchen.HasAudit(without) is False
    assert "by" not in kitchen.EchoShape(without)


def test_json_dash_fields_are_omitted(kitchen):
    assert "Secret" not in kitchen.EchoShape(shape())
    with pytest.raises(ArgumentTypeError, match='unknown field "Secret"'):
        kitchen.SecretOf(shape(Secret="x"))


def test_unknown_keys_are_type_errors_naming_the_path(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"EchoPoint\(\): argument p: unknown field \"z\" for Go kitchen.Point"):
        kitchen.EchoPoint({"x": 1, "z": 2})
    with pytest.raises(ArgumentTypeError, match=r"argument s.points\[1\]: unknown field \"q\""):
        kitchen.EchoShape(shape(points=[{"x": 1}, {"q": 1}]))


def test_field_type_errors_name_the_path(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"argument s.center.y: expected Go int, got str"):
        kitchen.EchoShape(shape(center={"x": 1, "y": "2"}))


def test_records_must_be_dicts(kitchen):
    with pytest.raises(ArgumentTypeError, match=r"argument p: expected Go kitchen.Point, got list"):
        kitchen.EchoPoint([1, 2])
    with pytest.raises(ArgumentTypeError, match=r"expected Go kitchen.Point, got None"):
        kitchen.EchoPoint(None)
    with pytest.raises(ArgumentTypeError, match="field name"):
        kitchen.EchoPoint({1: 2})


def test_subpackage_uses_parent_records(kitchen):
    assert kitchen.geo.Distance({"x": 0, "y": 0}, {"x": 3, "y": 4}) == 5.0
    assert kitchen.geo.Origin() == {"x": 0, "y": 0}


def test_record_type_attribute_explains_itself(kitchen):
    with pytest.raises(AttributeError, match=r"Point is not available from Python: it is a record type.*keys x, y"):
        kitchen.Point  # noqa: B018
