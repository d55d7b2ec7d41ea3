"""Python callbacks called from goroutines Go starts itself (issue 15): every
result arrives intact, failures are reported, re-entrance is bounded, and
exiting while Go calls back ends the process cleanly."""

from __future__ import annotations

import random
import sys
import textwrap
import threading
import time
from array import array
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from usegolib.errors import CallbackError
from usegolib.runtime.callbacks import MAX_DEPTH

from .conftest import run_python

FANOUT = 256
EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)


def _text(run, i):
    return f"{run}-{i}-" + "é" * (i % 40)


def _bytes(run, i):
    return bytes([i % 256]) * (i % 300) + run.to_bytes(4, "big")


def _record(run, i):
    return {"name": f"r{run}-{i}", "index": i, "tags": {str(k): "v" * k for k in range(i % 4)}}


def _time(run, i):
    return EPOCH + timedelta(days=run, seconds=i, microseconds=i * 7)


def _list(run, i):
    return [f"{run}/{i}/{k}" for k in range(i % 7)]


def _floats(run, i):
    return array("d", [run + i + k / 8 for k in range(i % 9)])


class Kind:
    """A result type: how Python makes the value for (run, i), which Go
    fan-out function returns it, and what Go gives back for it."""

    def __init__(self, name, make, fan, back=lambda value: value, got=lambda value: value, typed=False):
        self.name, self.make, self.fan, self.back, self.got, self.typed = name, make, fan, back, got, typed

    def check(self, g, run, n):
        """Call back from n goroutines at once; the wrong values, if any."""
        g = g.typed() if self.typed else g
        got = getattr(g, self.fan)(n, lambda i: self.make(g, run, i))
        want = [self.back(self.make(g, run, i)) for i in range(n)]
        return [(i, w, self.got(x)) for i, (w, x) in enumerate(zip(want, got, strict=True)) if self.got(x) != w]


KINDS = [
    Kind("str", lambda g, run, i: _text(run, i), "Strings"),
    Kind("bytes", lambda g, run, i: _bytes(run, i), "Bytes"),
    Kind("record", lambda g, run, i: _record(run, i), "Records"),
    Kind("dataclass", lambda g, run, i: g.Record(**_record(run, i)), "Records", typed=True),
    Kind("handle", lambda g, run, i: g.NewBox(f"box {run}-{i}"), "Boxes", back=lambda box: box.Label()),
    Kind("datetime", lambda g, run, i: _time(run, i), "Times"),
    Kind("list", lambda g, run, i: _list(run, i), "Lists"),
    Kind("array", lambda g, run, i: _floats(run, i), "Floats", back=list, got=list),
]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_results_from_many_goroutines_at_once_arrive_intact(goroutines, kind):
    wrong = []
    for run in range(100):
        wrong += kind.check(goroutines, run, FANOUT)
    assert not wrong, f"{len(wrong)} wrong values, e.g. {wrong[:3]}"


def test_the_typed_view_gives_callbacks_typed_arguments(goroutines):
    typed = goroutines.typed()

    def describe(record, box):
        assert isinstance(record, typed.Record) and isinstance(box, typed.Box)
        return f"{record.name} {record.index} {box.Label()}"

    assert typed.Describe(32, describe) == [f"record {i} box" for i in range(32)]
    assert goroutines.Describe(2, lambda record, box: f"{record['index']} {box.Label()}") == ["0 box", "1 box"]
    assert typed.Pair(4, lambda i: ("x" * i, i)) == ["x" * i for i in range(4)]


def test_several_results_and_errors_from_goroutines(goroutines):
    assert goroutines.Pair(64, lambda i: ("x" * i, i)) == ["x" * i for i in range(64)]
    failed = goroutines.Errors(64, lambda i: (_ for _ in ()).throw(ValueError(f"no {i}")) if i % 2 else None)
    assert failed == ["" if i % 2 == 0 else f"Python callback raised ValueError: no {i}" for i in range(64)]


def test_eight_threads_and_64_goroutines_calling_back_for_five_seconds(goroutines):
    """Random result types, every value checked, 8 Python threads each
    waiting on a call whose 8 goroutines call back at once."""
    deadline = time.monotonic() + 5
    failures: list[object] = []
    rounds = [0] * 8

    def stress(seed: int) -> None:
        rng = random.Random(seed)
        try:
            while time.monotonic() < deadline and not failures:
                kind = rng.choice(KINDS)
                wrong = kind.check(goroutines, rng.randrange(1 << 20), 8)
                if wrong:
                    failures.append((kind.name, wrong[:3]))
                rounds[seed] += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=stress, args=(seed,)) for seed in range(8)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns inside conversion hooks too
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        sys.setswitchinterval(interval)
    assert not failures, failures[:3]
    assert all(n > 10 for n in rounds), rounds


SIZES = st.integers(0, 3) | st.integers(60_000, 200_000)  # small, and beyond a 64 KiB buffer
RESULTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**64 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=50),
    st.binary(max_size=50),
    st.builds(lambda n, c: c * n, SIZES, st.characters()),
    st.builds(lambda n, b: b * n, SIZES, st.binary(min_size=1, max_size=1)),
    st.lists(st.text(max_size=5), max_size=20),
    st.dictionaries(st.text(max_size=5), st.integers(-100, 100), max_size=10),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(RESULTS, min_size=1, max_size=32))
def test_any_result_of_any_size_from_goroutines(goroutines, values):
    assert goroutines.Anys(len(values), lambda i: values[i]) == values


# -- failures nobody waits for -------------------------------------------------


def _fail_on(i):
    if i == 2:
        raise RuntimeError("two")
    if i == 3:
        return "not an int"
    return i


def test_failures_on_goroutines_reach_a_custom_unraisablehook(goroutines, monkeypatch):
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    goroutines.Background(5, _fail_on)
    assert goroutines.Wait() == [0, 1, 0, 0, 4]  # the failed calls gave Go zero values
    assert sorted(type(args).__name__ for args in reported) == ["UnraisableHookArgs"] * 2
    by_type = {args.exc_type: args for args in reported}
    raised = by_type[RuntimeError]
    assert str(raised.exc_value) == "two" and raised.exc_traceback is raised.exc_value.__traceback__
    assert raised.object is _fail_on and "Python callback called by Go" in raised.err_msg
    refused = by_type[CallbackError]
    assert "returned a result Go cannot take: expected Go int, got str" in str(refused.exc_value)
    assert refused.object is _fail_on


def test_the_default_hook_prints_the_traceback(goroutines_root):
    done = run_python(
        f"""
        import usegolib
        g = usegolib.import_("example.com/goroutines", artifact_dir={str(goroutines_root)!r})
        def fail_on_two(i):
            if i == 2:
                raise RuntimeError("two")
            return i
        g.Background(4, fail_on_two)
        print(g.Wait())
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[0, 1, 0, 3]"
    assert "Exception ignored in a Python callback called by Go" in done.stderr
    assert "<function fail_on_two" in done.stderr
    traceback = done.stderr.split("Traceback (most recent call last):\n")[1].splitlines()
    assert traceback[0].endswith("in fail_on_two")  # the callable's own frame comes first
    assert traceback[-1] == "RuntimeError: two"


def test_a_callback_returning_error_gives_go_the_error_on_any_goroutine(goroutines, monkeypatch):
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)

    def check(i):
        if i == 1:
            raise ValueError("one")

    goroutines.BackgroundErrors(3, check)
    assert goroutines.WaitErrors() == ["", "Python callback raised ValueError: one", ""]
    assert reported == []  # Go received it: its code decides what to do


def test_an_exception_on_the_caller_s_goroutine_still_reaches_the_caller(goroutines):
    with pytest.raises(KeyError):
        goroutines.Apply(lambda x: {}[x], 1)


# -- re-entrance -----------------------------------------------------------------


def _nest(g, depth):
    """Python -> Go -> Python ... depth levels deep; returns depth."""
    return g.Apply(lambda x: _nest(g, x - 1) + 1 if x > 0 else 0, depth)


def test_re_entrance_is_bounded_by_a_recursion_error(goroutines):
    assert _nest(goroutines, MAX_DEPTH - 1) == MAX_DEPTH - 1
    with pytest.raises(RecursionError, match=f"deeper than {MAX_DEPTH} levels"):
        _nest(goroutines, 500)
    assert _nest(goroutines, 10) == 10  # the library is usable afterwards
    assert goroutines.Strings(3, "{}".format) == ["0", "1", "2"]


def test_re_entrance_with_a_raised_recursion_limit_does_not_overflow_the_stack(goroutines_root):
    done = run_python(
        f"""
        import sys, usegolib
        g = usegolib.import_("example.com/goroutines", artifact_dir={str(goroutines_root)!r})
        sys.setrecursionlimit(1_000_000)
        def nest(depth):
            return g.Apply(lambda x: nest(x - 1) + 1 if x > 0 else 0, depth)
        try:
            nest(5000)
        except RecursionError as exc:
            print("RecursionError", exc)
        print(nest(50))
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"RecursionError Python callbacks called from Go nest deeper than {MAX_DEPTH} levels",
        "50",
    ]


# -- exit ------------------------------------------------------------------------

# Scenario -> (script, processes). Timers that fire while the loop still
# registers make each process slow (every callback on a thread of Go's own
# makes a Python thread state and waits for the GIL): the issue's own loop
# runs in a few processes, one whose timers mostly fire at exit in many.
EXIT_SCRIPTS = {
    "timers": (
        """
        for i in range(2000):
            g.CallLater(lambda: 1, 20 + i % 400)
        """,
        16,
    ),
    "timers from the start": (
        """
        for i in range(2000):
            g.CallLater(lambda: 1, i % 200)
        """,
        3,
    ),
    "loops": (
        """
        import time
        g.Forever(8, lambda: 1)
        time.sleep(0.02)
        """,
        10,
    ),
}


@pytest.mark.parametrize("scenario", sorted(EXIT_SCRIPTS))
def test_exiting_while_goroutines_call_back_ends_cleanly(goroutines_root, scenario):
    script = f"import usegolib\ng = usegolib.import_('example.com/goroutines', artifact_dir={str(goroutines_root)!r})\n"
    body, runs = EXIT_SCRIPTS[scenario]
    script += textwrap.dedent(body)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: run_python(script), range(runs)))
    bad = [r for r in results if r.returncode != 0 or "goroutine " in r.stderr or "SIG" in r.stderr]
    assert not bad, f"{len(bad)} of {runs} ended badly: status {bad[0].returncode}\n{bad[0].stderr[-2000:]}"
    for r in results:  # at most the one notice that a callback came too late
        assert set(r.stderr.splitlines()) <= {
            "usegolib: Go called a Python callback while the interpreter was exiting; it was not run, and Go got "
            "an error or zero values (see usegolib's docs/abi.md, Callbacks)"
        }, r.stderr
    if scenario == "loops":
        assert any(r.stderr for r in results)  # the loops were calling back when the interpreter exited


def test_callbacks_under_way_at_exit_finish(goroutines_root, tmp_path):
    """Exit waits for a callback that is running: its work is not cut off."""
    marker = tmp_path / "finished"
    done = run_python(
        f"""
        import time, usegolib
        g = usegolib.import_("example.com/goroutines", artifact_dir={str(goroutines_root)!r})
        started = []
        def slow():
            started.append(1)
            time.sleep(0.5)
            open({str(marker)!r}, "w").write("done")
            return 1
        g.CallLater(slow, 0)
        while not started:
            time.sleep(0.001)
        """
    )
    assert done.returncode == 0, done.stderr
    assert marker.read_text() == "done"


def test_a_callback_blocked_for_good_does_not_hold_the_exit(goroutines_root):
    done = run_python(
        f"""
        import queue, time, usegolib, usegolib.runtime.library as library
        g = usegolib.import_("example.com/goroutines", artifact_dir={str(goroutines_root)!r})
        library.EXIT_WAIT_MS = 200
        never, started = queue.Queue(), []
        g.CallLater(lambda: started.append(1) or never.get(), 0)
        while not started:
            time.sleep(0.001)
        """
    )
    assert done.returncode == 0, done.stderr
    assert "usegolib: exiting while 1 Python callback(s) called by Go from example.com/goroutines still run" in (
        done.stderr
    )


def test_go_calls_that_take_callbacks_still_work_in_exit_handlers_registered_later(goroutines_root):
    done = run_python(
        f"""
        import atexit, usegolib
        g = usegolib.import_("example.com/goroutines", artifact_dir={str(goroutines_root)!r})
        atexit.register(lambda: print(g.Strings(4, "{{}}".format)))
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['0', '1', '2', '3']"


def test_a_forked_child_exits_without_calling_go(goroutines_root):
    """Go's runtime is not in a forked child: its exit must not wait for it."""
    done = run_python(
        f"""
        import os, sys, usegolib
        g = usegolib.import_("example.com/goroutines", artifact_dir={str(goroutines_root)!r})
        pid = os.fork()
        if pid == 0:
            sys.exit(7)  # the usual exit: exit handlers run
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status))
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "7"
