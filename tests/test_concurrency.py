"""Many threads calling one library at once: every result is right and
nothing crashes (issue 9, item 1). The GIL is released during each Go call,
so calls of different threads really overlap in Go."""

from __future__ import annotations

import gc
import threading
import time
from datetime import timedelta

import pytest

import usegolib

THREADS = 8
CALLS = 30_000  # per thread, of every kind below in turn: 240 000 calls in all


def mixed_calls(kitchen, seed: int, calls: int) -> None:
    """Scalars, records, handles, errors and panics, checked as they come."""
    counter = kitchen.NewCounter(f"c{seed}")
    total = 0
    for i in range(calls):
        kind = i % 5
        if kind == 0:
            assert kitchen.AddInt(seed, i) == seed + i
        elif kind == 1:
            assert kitchen.geo.Distance({"x": 0, "y": 0}, {"x": 3, "y": 4}) == 5.0
        elif kind == 2:
            total = counter.Add(1)
        elif kind == 3:
            with pytest.raises(usegolib.GoError, match="check failed"):
                kitchen.Check(False)
        else:
            with pytest.raises(usegolib.GoPanicError, match=f"p{seed}"):
                kitchen.Panic(f"p{seed}")
    assert total == calls // 5 + (1 if calls % 5 > 2 else 0)


def test_eight_threads_of_mixed_calls(kitchen):
    gc.collect()
    handles_before = kitchen._library.handle_count()
    failures: list[BaseException] = []

    def run(seed: int) -> None:
        try:
            mixed_calls(kitchen, seed, CALLS)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(seed,)) for seed in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert not failures, failures[:3]
    assert not any(t.is_alive() for t in threads)
    gc.collect()
    assert kitchen._library.handle_count() == handles_before  # every thread's counter released


def test_a_long_go_call_leaves_other_threads_running(ctx):
    """The GIL is released while Go runs: Python code and other Go calls go
    on during a one-second call."""
    napping = threading.Thread(target=ctx.Nap, args=(timedelta(seconds=1),))
    start = time.monotonic()
    napping.start()
    calls = 0
    while napping.is_alive() and time.monotonic() - start < 5:
        assert ctx.Add(calls, 1) == calls + 1
        calls += 1
    napping.join()
    assert time.monotonic() - start >= 1.0
    assert calls > 1000  # thousands of calls fit in the second Go was asleep
