"""The native crossing (issue 19, runtime/_native.c): the bridge's entry
points called from a CPython extension, and ctypes where it cannot be had.
The suite runs on the native crossing; the core of it runs again here on
ctypes (USEGOLIB_NATIVE=0), so that both stay right."""

from __future__ import annotations

import dataclasses
import gc
import math
import os
import subprocess
import sys

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from usegolib.errors import ArgumentOverflowError, ArgumentTypeError, GoPanicError
from usegolib.runtime import native

from .conftest import FIXTURES, ROOT, run_python

# Test files that exercise what differs between the crossings: integer
# calls (a C object natively, a Python template on ctypes), MessagePack
# calls, errors and panics, and callbacks from Go threads (the GIL released
# while Go runs). The rest of the suite differs from these only in what
# both crossings share; it runs on the native one (25-minute budget).
ON_BOTH_CROSSINGS = [
    "tests/test_intcalls.py",
    "tests/test_calls.py",
    "tests/test_go_errors.py",
    "tests/test_callbacks.py",
]


def test_the_suite_runs_on_the_native_crossing(kitchen):
    assert native.module() is not None, "the extension did not build here: every test ran on ctypes"
    assert kitchen._library.crossing == "native"


def test_both_crossings_give_the_same_answers(kitchen_root):
    code = f"""
        import usegolib
        h = usegolib.import_("example.com/kitchen", artifact_dir={str(kitchen_root)!r})
        print(h._library.crossing, h.AddInt(40, 2), h.AddInt(2**31 - 1, 0), h.EchoString("Go"))
        try:
            h.Check(False)
        except usegolib.GoError as exc:
            print("GoError", exc)
        """
    fast = run_python(code)
    slow = run_python(code, USEGOLIB_NATIVE="0")
    assert fast.stdout.split()[0] == "native" and slow.stdout.split()[0] == "ctypes", fast.stderr + slow.stderr
    assert fast.stdout.split()[1:] == slow.stdout.split()[1:]
    assert fast.stdout.split()[1:3] == ["42", str(2**31 - 1)]


def test_the_core_of_the_suite_passes_on_ctypes():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *ON_BOTH_CROSSINGS],
        cwd=ROOT,
        env={**os.environ, "USEGOLIB_NATIVE": "0"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]


def test_the_extension_opens_libraries_without_ctypes(kitchen, tmp_path):
    """What loading a library asks of the extension, against ctypes' own
    answers for the same library."""
    import ctypes

    extension, lib = native.module(), kitchen._library
    assert extension is not None
    handle = extension.open_library(lib._load_path)  # opened again: the loader's count goes up, same handle
    assert handle == lib._handle
    dll = ctypes.CDLL(lib._load_path)
    assert extension.symbol(handle, "usegolib_call") == ctypes.cast(dll.usegolib_call, ctypes.c_void_p).value
    assert extension.abi_version(extension.symbol(handle, "usegolib_abi_version")) == dll.usegolib_abi_version()
    with pytest.raises(AttributeError, match="no_such_export"):
        extension.symbol(handle, "no_such_export")
    (tmp_path / "not-a-library.so").write_bytes(b"\x7fELF but not really")
    with pytest.raises(OSError, match=r"not-a-library\.so"):
        extension.open_library(str(tmp_path / "not-a-library.so"))
    data = ctypes.create_string_buffer(b"hello, Go")
    view = extension.memory(ctypes.addressof(data), 9)
    assert bytes(view) == b"hello, Go" and view.readonly and view.format == "B"
    with pytest.raises(ValueError):
        extension.memory(ctypes.addressof(data), -1)


@pytest.mark.parametrize(
    ("kind", "address", "error"), [(native.KIND_RELEASE + 1, 1, ValueError), (-1, 1, ValueError), (0, 0, ValueError)]
)
def test_the_extension_refuses_what_is_no_entry_point(kind, address, error):
    extension = native.module()
    assert extension is not None
    with pytest.raises(error):
        extension.bind(kind, address)


def test_an_entry_point_checks_its_arguments(kitchen):
    entry = kitchen._library.int_entries[2]
    with pytest.raises(TypeError, match="takes 3 arguments"):
        entry(1, 2)
    with pytest.raises(OverflowError):
        entry(0, 2**31, 0)


def test_a_native_function_is_described_and_pickles_by_reference(kitchen_root):
    done = run_python(
        """
        import inspect, pickle
        import usegolib.auto
        from go.example_com.kitchen import AddInt, Weekday
        import go.example_com.kitchen as kitchen
        print(type(AddInt).__name__, AddInt.__name__, AddInt.__module__, inspect.signature(AddInt), repr(AddInt))
        print(pickle.loads(pickle.dumps(AddInt)) is AddInt, AddInt(a=40, b=2))
        print(int(kitchen.Weekday(1).Next()))  # a method of a named integer: its receiver is the value
        """,
        USEGOLIB_PATH=str(FIXTURES / "kitchen"),
        USEGOLIB_ARTIFACT_DIR=str(kitchen_root),
        GOPROXY="off",
    )
    lines = done.stdout.splitlines()
    assert lines[:2] == [
        "Function AddInt go.example_com.kitchen (a: int, b: int) -> int <Go function AddInt>",
        "True 42",
    ], done.stderr
    assert lines[2] == "2", done.stderr


# -- packed calls: arguments packed and results read in C ----------------------

# What the extension packs itself: no surrogates in str (Python escapes
# them), no int beyond 64 bits (Python reports it).
TEXT = st.text(st.characters(exclude_categories=["Cs"]))
INTS = st.integers(-(2**63), 2**64 - 1)
PLAIN = st.recursive(
    st.none() | st.booleans() | INTS | st.floats() | TEXT | st.binary(max_size=300),
    lambda inner: (
        st.lists(inner, max_size=20) | st.tuples(inner, inner) | st.dictionaries(TEXT | INTS, inner, max_size=20)
    ),
    max_leaves=60,
)


@settings(max_examples=400, deadline=None)
@given(PLAIN)
def test_the_extension_packs_plain_values_as_msgpack_does(value):
    extension = native.module()
    assert extension is not None
    assert extension.packb(value) == msgpack.packb(value)


@settings(max_examples=400, deadline=None)
@given(PLAIN)
def test_the_extension_reads_plain_values_as_msgpack_does(value):
    extension = native.module()
    assert extension is not None
    data = msgpack.packb(value)
    read = extension.unpackb(data)
    assert read is not None
    assert _same(read[0], msgpack.unpackb(data, strict_map_key=False))


def _same(a, b) -> bool:
    """Equal, NaN included, and of the same types all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


class _Number(int):
    pass


@pytest.mark.parametrize(
    "value",
    [
        _Number(3),  # a subclass: its default hook or Go's conversion may differ
        "\udcff",  # a surrogate: Python escapes it
        bytearray(b"x"),
        b"x" * (64 << 10),  # lent to Go, not copied
        2**64,  # too big: Python reports it
        -(2**63) - 1,
        [object()],
        {"k": {1, 2}},
        [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],  # deeper than C goes
    ],
)
def test_what_the_extension_does_not_pack_goes_to_python(value):
    extension = native.module()
    assert extension is not None
    assert extension.packb(value) is None


@pytest.mark.parametrize(
    "data",
    [
        msgpack.packb(msgpack.ExtType(1, b"x")),  # a handle, a time...: Python's ext hook
        msgpack.packb(1) + msgpack.packb(2),  # two values
        b"\xc1",  # never used in MessagePack
        msgpack.packb("abc")[:-1],  # cut short
        b"\xdd\xff\xff\xff\xff",  # an array longer than its payload
        b"\x81\x91\x01\x02",  # a list as a key: unhashable
    ],
)
def test_what_the_extension_does_not_read_goes_to_python(data):
    extension = native.module()
    assert extension is not None
    assert extension.unpackb(data) is None


def test_plain_calls_are_packed_in_c_and_the_rest_in_python(kitchen):
    extension = native.module()
    assert extension is not None

    def packed_calls() -> int:
        return int(extension.calls()[1])

    before = packed_calls()
    assert kitchen.EchoString("héllo") == "héllo"
    assert kitchen.EchoBytes(b"\x00\xff") == b"\x00\xff"
    assert kitchen.EchoStrings(["a", "b"]) == ["a", "b"]
    assert kitchen.EchoStringMap({"a": 1}) == {"a": 1}
    assert kitchen.Join("-", "a", "b", "c") == "a-b-c"  # variadic
    assert kitchen.DivMod(7, 2) == (3, 1)  # several results: a tuple
    assert packed_calls() == before + 6
    assert kitchen.EchoString(StrSubclass("x")) == "x"  # Python packs it
    assert kitchen.EchoBytes(bytearray(b"ab")) == b"ab"
    assert kitchen.Join("-") == ""
    assert kitchen.EchoString(s="kw") == "kw"  # keywords: Python binds them
    assert packed_calls() == before + 7
    with pytest.raises(TypeError, match="EchoString"):
        kitchen.EchoString()  # Python's own message for a missing argument


class StrSubclass(str):
    pass


def test_str_bytes_and_number_calls_take_the_fast_args_slot(kitchen):
    """Plain functions of str, bytes, floats, bools and ints pass their
    arguments to usegolib_call_fast as C holds them (no MessagePack); what
    that slot does not take goes the packed way, with the same answers."""
    extension = native.module()
    assert extension is not None
    functions = {fn["name"]: fn for pkg in kitchen._library.manifest["packages"] for fn in pkg["functions"]}
    kinds = {name: functions[name].get("fast") for name in functions}
    assert kinds["EchoString"] == "s" and kinds["EchoBytes"] == "b" and kinds["RepeatString"] == "si"
    assert kinds["ScaleIf"] == "ff?" and kinds["EchoFloat64"] == "f" and kinds["EchoBool"] == "?"
    for name in ("Join", "Split", "EchoFloat32", "AddInt", "DivMod", "EchoStrings", "ParseAddr"):
        assert kinds[name] is None, name  # variadic, an error, float32, the int path, two results, a list

    def fast_calls() -> int:
        return int(extension.calls()[3])

    before = fast_calls()
    assert kitchen.EchoString("héllo") == "héllo"
    assert kitchen.EchoString("") == ""
    assert kitchen.EchoBytes(b"\x00\xff") == b"\x00\xff"
    assert kitchen.IsNilBytes(b"") is False  # a copy, never nil: as the packed path gives
    assert kitchen.ByteLen("héllo") == 6
    assert kitchen.RepeatString("ab", 3) == "ababab"
    assert kitchen.EchoString("x" * 100_000) == "x" * 100_000  # outgrows the out buffer: pinned
    assert kitchen.ScaleIf(1.5, 2.0, True) == 3.0
    assert kitchen.ScaleIf(1.5, 2.0, False) == 1.5
    assert math.isnan(kitchen.EchoFloat64(math.nan))
    assert kitchen.EchoBool(True) is True
    assert fast_calls() == before + 11
    # Not taken: the packed way converts or reports them, as it always did.
    assert kitchen.EchoString(StrSubclass("x")) == "x"
    assert kitchen.EchoBytes(bytearray(b"ab")) == b"ab"
    assert kitchen.IsNilBytes(None) is True
    assert kitchen.ScaleIf(1, 2, True) == 2.0  # ints for floats
    with pytest.raises(ArgumentOverflowError, match="argument n: value 300 out of range for Go int8"):
        kitchen.RepeatString("ab", 300)  # the fast slot steps aside: the usual slot says so
    with pytest.raises(ArgumentOverflowError, match="argument n"):
        kitchen.RepeatString("ab", 2**70)
    assert fast_calls() == before + 11
    with pytest.raises(GoPanicError, match="negative"):
        kitchen.RepeatString("ab", -1)  # a panic in the fast slot: as the usual slot reports it


def test_a_packed_call_made_inside_another_takes_the_python_path(kitchen):
    """A callback Go runs on the calling thread calls Go again: the inner
    call must not pack over the outer call's buffers."""
    assert kitchen.MapStrings(["a", "b"], lambda s: kitchen.EchoString(s * 3)) == ["aaa", "bbb"]
    assert kitchen.Walk({"k": 1}, lambda key, value: kitchen.EchoStrings([key])[0] == key) >= 0


def test_typed_records_cross_in_c(kitchen):
    """The typed view's functions of records pack the dataclasses and make
    the result's in C; what C does not take goes the Python way, alike."""
    t = kitchen.typed()
    extension = native.module()
    assert extension is not None
    before = extension.calls()[1]
    assert type(t.EchoPoint).__name__ == "Function"
    point = t.EchoPoint(t.Point(1, 2))
    assert point == t.Point(1, 2) and type(point) is t.Point
    assert t.EchoOdd(t.Odd(a_b=1, a_b_=2, from_=3)) == t.Odd(a_b=1, a_b_=2, from_=3)  # keys unlike attributes
    assert t.EchoPointPtr(None) is None
    assert t.geo.Distance(t.Point(0, 0), t.Point(3, 4)) == 5.0
    assert t.EchoPoint({"x": 5, "y": 6}) == t.Point(5, 6)  # a plain dict still does
    assert extension.calls()[1] == before + 5
    lacking = t.Point(1, 2)
    del lacking.y  # C reads fields from the instance's dict, else as attributes: the class's default
    assert t.EchoPoint(lacking) == t.Point(1, 0)

    @dataclasses.dataclass
    class Moved(t.Point):  # a subclass: the Python way
        pass

    assert t.EchoPoint(Moved(3, 4)) == t.Point(3, 4)
    assert t.EchoShape(t.Shape(points=[t.Point(1, 1)])).points == [t.Point(1, 1)]  # records in a list: Python's
    with pytest.raises(ArgumentTypeError, match="cannot convert Point"):  # the plain view takes none, natively or not
        kitchen.EchoPoint(t.Point(1, 2))


def test_methods_of_handle_classes_are_native_and_take_the_handle(kitchen):
    counter = kitchen.NewCounter("n")
    assert type(type(counter).Add).__name__ == "Function"
    assert repr(type(counter).Add) == "<Go function Counter.Add>"
    assert counter.Add(5) == 5 and counter.Add(delta=2) == 7  # a keyword: through the Python method
    assert counter.Value() == 7
    bound = counter.Add
    assert bound(1) == 8 and bound.__self__ is counter
    with pytest.raises(AttributeError, match="_checked_id"):
        type(counter).Add(object(), 1)  # not a handle: the Python method says so, as always
    counter.close()
    with pytest.raises(ValueError, match="handle is closed"):
        counter.Value()


def test_handle_arguments_are_packed_in_c(kitchen):
    extension = native.module()
    assert extension is not None
    counter = kitchen.NewCounter("n")
    counter.Add(5)
    before = extension.calls()[1]
    assert kitchen.Stringify(counter) == "n=5"  # a handle as an interface argument
    assert extension.calls()[1] == before + 1
    counter.close()
    with pytest.raises(ValueError, match="handle is closed"):  # Python packs it, and says so
        kitchen.Stringify(counter)


def test_handle_results_are_made_in_c(kitchen):
    """A result holding handles is read in C, its objects made as
    Library.adopt makes them; one that C leaves to Python halfway (a time
    after the handle) must leave the handle to Python's object, open."""
    extension = native.module()
    assert extension is not None
    lib = kitchen._library
    kitchen.NewCounter("first")  # completes the class
    ended_in_python = extension.calls()[2]
    before = lib.handle_count()
    counter = kitchen.NewCounter("c")
    counters = kitchen.Counters(3)
    assert extension.calls()[2] == ended_in_python
    assert type(counter).__name__ == "Counter" and counter._lib is lib and not counter.closed
    assert counter.Add(2) == 2 and str(counters[2]) == "2=0"
    assert lib.handle_count() == before + 4
    del counter, counters
    gc.collect()
    assert lib.handle_count() == before  # released by the native release entry point
    counter, moment = kitchen.CounterAt("t", 2024)  # the time is Python's: it reads the whole result again
    assert extension.calls()[2] == ended_in_python + 1
    assert moment.year == 2024 and counter.Add(1) == 1 and str(counter) == "t=1"
    assert lib.handle_count() == before + 1
    del counter
    gc.collect()
    assert lib.handle_count() == before


def test_the_extensions_name_follows_its_source(tmp_path):
    """Builds of the extension are named by its source's digest, which is
    remembered by the source file's identity rather than computed by every
    process; a damaged record is computed afresh."""
    with open(native.SOURCE, "rb") as f:
        expected = native._digest(f.read() + f"recipe {native.RECIPE}".encode())
    assert native._source_digest(str(tmp_path)) == expected
    assert (tmp_path / "native-source").is_file()
    assert native._source_digest(str(tmp_path)) == expected  # from the record
    (tmp_path / "native-source").write_bytes(b"damaged")
    assert native._source_digest(str(tmp_path)) == expected
