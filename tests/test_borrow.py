"""Borrowed arguments (go_shim/scan/borrow.go, rt.BorrowString and
rt.BorrowBytes): a fast-args call hands Go a str's UTF-8 or a bytes object's
memory itself when the compiler's escape analysis finds the parameter kept
nowhere but in the function's results (which the slot copies out before the
call returns) and, for a []byte, the body never writes through it; every
other parameter gets a copy, as before."""

from __future__ import annotations

import gc

import pytest

import usegolib
from usegolib.runtime import native

from .conftest import fixture_root


@pytest.fixture(scope="module")
def borrow(tmp_path_factory):
    root = fixture_root(tmp_path_factory, "borrow")
    return usegolib.import_("example.com/borrow", artifact_dir=root)


def test_only_parameters_kept_at_most_in_results_and_never_written_are_borrowed(borrow):
    functions = {fn["name"]: fn for pkg in borrow._library.manifest["packages"] for fn in pkg["functions"]}
    borrowed = {name: [p.get("borrowed", False) for p in fn["params"]] for name, fn in functions.items()}
    assert borrowed == {
        "Echo": [True],  # returned: the slot copies results
        "Shout": [True],  # passed on as a string Go cannot write
        "Tail": [True],  # a slice of it returned
        "Count": [True, False],  # only ranged over (a byte is no memory)
        "Keep": [False],  # kept in a variable
        "Save": [False],
        "Fill": [False],  # written through
        "Handed": [False],  # handed to a function, which may write or keep it
        "Kept": [],
        "Saved": [],
    }


def test_borrowed_calls_answer_as_copies_do(borrow):
    extension = native.module()
    assert extension is not None

    def fast_calls() -> int:
        return int(extension.calls()[3])

    before = fast_calls()
    data = bytes(range(256)) * 4
    assert borrow.Echo(data) == data
    assert borrow.Echo(b"") == b""
    assert borrow.Shout("héllo wörld") == "HÉLLO WÖRLD!"
    assert borrow.Tail("xyz") == "yz"
    assert borrow.Tail("") == ""
    big = "é" * 100_000  # Go slices its UTF-8 inside a character: the invalid byte comes back escaped
    assert borrow.Tail(big) == big.encode("utf-8")[1:].decode("utf-8", "surrogateescape")
    assert borrow.Echo(data * 100) == data * 100  # outgrows the out buffer: pinned, copied out
    assert borrow.Count(b"banana", ord("a")) == 3
    assert fast_calls() == before + 8


def test_python_objects_go_writes_into_are_copies(borrow):
    text = b"abc"
    assert borrow.Fill(text) == b"Xbc"
    assert text == b"abc"
    handed = b"aaa"
    assert borrow.Handed(handed) == 3
    assert handed == b"aaa"


def test_what_go_keeps_is_its_own_copy(borrow):
    """Keep and Save hold their argument after the call: Go got a copy, so
    what they hold stays right once Python has freed and reused the memory."""
    for i in range(30):
        borrow.Keep(bytes([i]) * 1000)
        borrow.Save(str(i) * 1000)
        junk = [bytes([255]) * 1000 for _ in range(200)] + ["z" * 1000 for _ in range(200)]
        del junk
        gc.collect()
        assert borrow.Kept() == bytes([i]) * 1000
        assert borrow.Saved() == str(i) * 1000
