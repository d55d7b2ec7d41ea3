"""SPEC §1 and §4: calling conventions, signatures, docs, errors and panics."""

from __future__ import annotations

import inspect
import pydoc
import threading
from datetime import datetime

import pytest

from usegolib.errors import GoError, GoPanicError

from .conftest import run_python


def test_positional_and_keyword_arguments(kitchen):
    assert kitchen.AddInt(1, 2) == 3
    assert kitchen.AddInt(a=1, b=2) == 3
    assert kitchen.AddInt(1, b=2) == 3
    assert kitchen.Nothing() is None


def test_wrong_argument_counts_are_type_errors(kitchen):
    # AddInt takes the integer fast path: Python's own binding words these.
    with pytest.raises(TypeError, match=r"AddInt\(\) missing 1 required positional argument: 'b'"):
        kitchen.AddInt(1)
    with pytest.raises(TypeError, match=r"AddInt\(\) takes 2 positional arguments but 3 were given"):
        kitchen.AddInt(1, 2, 3)
    with pytest.raises(TypeError, match=r"Split\(\) too many positional arguments"):
        kitchen.Split("a", "b")
    with pytest.raises(TypeError, match=r"AddInt\(\) got an unexpected keyword argument 'c'"):
        kitchen.AddInt(1, 2, c=3)
    with pytest.raises(TypeError, match=r"Join\(\) missing a required argument: 'sep'"):
        kitchen.Join()


def test_signatures_use_go_names_and_python_annotations(kitchen):
    assert str(inspect.signature(kitchen.AddInt)) == "(a: int, b: int) -> int"
    assert str(inspect.signature(kitchen.Join)) == "(sep: str, *parts: str) -> str"
    assert str(inspect.signature(kitchen.DivMod)) == "(a: int, b: int) -> tuple[int, int]"
    assert str(inspect.signature(kitchen.Split)) == "(s: str) -> tuple[str, str]"
    assert inspect.signature(kitchen.Shift).return_annotation is datetime
    assert inspect.signature(kitchen.NewCounter).return_annotation is kitchen.Counter
    assert str(inspect.signature(kitchen.EchoPointPtr)) == "(p: Optional[dict[str, Any]]) -> Optional[dict[str, Any]]"
    assert str(inspect.signature(kitchen.NewCounter("x").Add)) == "(delta: int) -> int"


def test_python_keywords_and_unnamed_parameters_get_usable_names(kitchen):
    assert list(inspect.signature(kitchen.Range).parameters) == ["from_", "to"]
    assert kitchen.Range(from_=1, to=3) == [1, 2]
    assert list(inspect.signature(kitchen.Pair).parameters) == ["arg0", "arg1"]
    assert kitchen.Pair(1, "x") == "pair"


def test_doc_comments_become_docstrings(kitchen):
    assert kitchen.AddInt.__doc__ == "AddInt adds two ints."
    assert kitchen.AddInt.__name__ == "AddInt"
    assert kitchen.AddInt.__module__ == "go.example_com.kitchen"
    text = pydoc.render_doc(kitchen.AddInt, renderer=pydoc.plaintext)
    assert "AddInt(a: int, b: int) -> int" in text
    assert "AddInt adds two ints." in text
    assert kitchen.__doc__.startswith("Package kitchen is the usegolib test fixture")


def test_go_errors_raise_go_error_with_the_go_type(kitchen):
    assert kitchen.Find("abc") == 3
    with pytest.raises(GoError, match='no key "missing"') as info:
        kitchen.Find("missing")
    assert info.value.message == 'no key "missing"'
    assert info.value.go_type == "*kitchen.LookupError"
    with pytest.raises(GoError, match="check failed") as info:
        kitchen.Check(False)
    assert info.value.go_type == "*errors.errorString"
    assert kitchen.Check(True) is None
    assert kitchen.Split("a,b") == ("a", "b")
    with pytest.raises(GoError, match="no comma"):
        kitchen.Split("ab")


def test_parse_errors_wrap(kitchen):
    with pytest.raises(GoError, match=r'invalid version "1.x.3": strconv.Atoi') as info:
        kitchen.ParseVersion("1.x.3")
    assert info.value.go_type == "*fmt.wrapError"


@pytest.mark.parametrize(
    ("call", "message", "go_type"),
    [
        (lambda k: k.Panic("oops"), "oops", "string"),
        (lambda k: k.PanicError(), "boom", "*errors.errorString"),
        (lambda k: k.NilDeref(), "invalid memory address or nil pointer dereference", "runtime.errorString"),
        (lambda k: k.Index([1, 2], 5), "index out of range [5] with length 2", "runtime.boundsError"),
    ],
)
def test_panics_are_recovered_with_stack_and_the_process_keeps_working(kitchen, call, message, go_type):
    with pytest.raises(GoPanicError, match=message.replace("[", r"\[").replace("]", r"\]")) as info:
        call(kitchen)
    assert info.value.go_type == go_type
    assert info.value.go_stack.startswith("goroutine ")
    assert "kitchen/faults.go" in info.value.go_stack
    assert "runtime/debug.Stack" not in info.value.go_stack
    assert kitchen.AddInt(2, 2) == 4


def test_many_panics_in_a_row(kitchen):
    for i in range(200):
        with pytest.raises(GoPanicError):
            kitchen.Panic(f"panic {i}")
    assert kitchen.AddInt(1, 1) == 2


def test_skipped_symbols_raise_attribute_error_with_the_reason(kitchen):
    with pytest.raises(AttributeError, match=r"kitchen.Addr is not available from Python: .*unsafe.Pointer"):
        kitchen.Addr  # noqa: B018
    with pytest.raises(AttributeError, match=r"Watch .*a Python function cannot stand for it: .*channel of unsafe"):
        kitchen.Watch  # noqa: B018
    assert kitchen.Identity(5) == 5  # generic over any: bridged with any
    with pytest.raises(AttributeError, match=r"LeakInternals .*internal package"):
        kitchen.LeakInternals  # noqa: B018
    with pytest.raises(AttributeError, match=r"Ticks .*channel of unsafe.Pointer"):
        kitchen.Ticks  # noqa: B018
    with pytest.raises(AttributeError, match="has no exported symbol 'NoSuchThing'"):
        kitchen.NoSuchThing  # noqa: B018


def test_internal_and_main_packages_are_not_bridged(kitchen):
    assert kitchen.UsesInternal() == 42
    packages = {p["path"] for p in kitchen._library.manifest["packages"]}
    assert packages == {"example.com/kitchen", "example.com/kitchen/geo", "example.com/kitchen/go-tools"}
    assert "geo" in dir(kitchen)


def test_concurrent_calls_from_threads(kitchen):
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        try:
            counter = kitchen.NewCounter(f"t{seed}")
            for i in range(2000):
                assert kitchen.AddInt(seed, i) == seed + i
                assert kitchen.EchoString(f"{seed}-{i}") == f"{seed}-{i}"
                assert kitchen.EchoPoint({"x": seed, "y": i}) == {"x": seed, "y": i}
                counter.Add(1)
                if i % 250 == 0:
                    with pytest.raises(GoPanicError):
                        kitchen.Panic("in a thread")
            assert counter.Value() == 2000
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _run_and_die(kitchen_root, call: str):
    """Run a call that ends the process, in a process of its own."""
    return run_python(
        f"""
        import time, usegolib
        h = usegolib.import_("example.com/kitchen", artifact_dir={str(kitchen_root)!r})
        print("before", flush=True)
        {call}
        print("returned", flush=True)
        time.sleep(2)
        print("still alive", flush=True)
        """
    )


def test_runtime_goexit_ends_the_process_and_says_which_function(kitchen_root):
    """Go cannot end the goroutine of a call from C: the runtime aborts.
    usegolib says which function did it before Go's own fatal error."""
    done = _run_and_die(kitchen_root, "h.Exit()")
    assert done.returncode != 0
    assert done.stdout.splitlines() == ["before"]
    assert "usegolib: example.com/kitchen.Exit called runtime.Goexit, which ends the process" in done.stderr
    assert "fatal error: runtime.Goexit called in a thread that was not created by the Go runtime" in done.stderr


def test_a_goroutine_panicking_after_the_call_ends_the_process_as_in_go(kitchen_root):
    done = _run_and_die(kitchen_root, "h.PanicLater(100)")
    assert done.returncode != 0  # a Go library aborts the process (SIGABRT) where a Go program exits with 2
    assert done.stdout.splitlines() == ["before", "returned"]
    assert "panic: later" in done.stderr
