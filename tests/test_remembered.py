"""The files usegolib remembers its work in (usegolib/remembered.py)."""

from __future__ import annotations

import marshal

import pytest

from usegolib import remembered


def test_a_record_reads_back_as_written(tmp_path):
    value = [[1, 2, 3, 1 << 70, 5], {"module": "example.com/m", "n": 1.5, "ok": True, "none": None, "b": b"\0"}]
    path = str(tmp_path / "deep" / "record")
    remembered.write(path, value)
    assert remembered.read(path) == value
    assert [p.name for p in (tmp_path / "deep").iterdir()] == ["record"]  # no temporary file left


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a record",
        marshal.dumps({"a": 1}),  # marshal without the tag: written by something else
        b"usegolib-marshal 99\n" + marshal.dumps({"a": 1}),  # a newer marshal's format
        b"usegolib-marshal x\n" + marshal.dumps({"a": 1}),
    ],
)
def test_a_damaged_or_foreign_record_reads_as_missing(tmp_path, content):
    path = tmp_path / "record"
    path.write_bytes(content)
    assert remembered.read(str(path)) is None


def test_a_record_of_an_older_marshal_is_read(tmp_path):
    """Pythons of several versions share a cache: what an older marshal
    wrote, a newer reads."""
    path = tmp_path / "record"
    path.write_bytes(b"usegolib-marshal 2\n" + marshal.dumps({"stamp": [1, 2], "sha256": "ab"}, 2))
    assert remembered.read(str(path)) == {"stamp": [1, 2], "sha256": "ab"}


def test_a_truncated_record_reads_as_missing(tmp_path):
    path = str(tmp_path / "record")
    remembered.write(path, {"sha256": "ab" * 32, "stamp": [1, 2, 3]})
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[:-7])
    assert remembered.read(path) is None
    assert remembered.read(str(tmp_path / "missing")) is None


def test_a_value_marshal_cannot_hold_is_refused(tmp_path):
    with pytest.raises(ValueError):
        remembered.write(str(tmp_path / "record"), {"f": object()})
    assert not list(tmp_path.iterdir())
