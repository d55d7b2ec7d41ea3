"""Memory stays flat (issue 9, item 7): resident size grows by at most
5 MiB over 1 000 000 calls and over 100 000 handles released by the
garbage collector, and Go's handle table is empty once Python dropped them.
Each measure runs in a fresh process, whose memory no earlier test moved."""

from __future__ import annotations

import json
import os

import pytest

from .conftest import run_python

LIMIT = 5 * 1024 * 1024

MEASURE = """
import gc, json, os
import usegolib

def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

def growth(action, count):
    for _ in range(count // 10):
        action()
    gc.collect()
    before = rss()
    for _ in range(count):
        action()
    gc.collect()
    return rss() - before

k = usegolib.import_("example.com/kitchen", artifact_dir={root!r})
point = {{"x": 1, "y": 2}}
results = {{
    "calls": growth(lambda: k.EchoPoint(point), 1_000_000),
    "handles": growth(lambda: k.NewCounter("c"), 100_000),
}}
gc.collect()
results["live_handles"] = k._library.handle_count()
print(json.dumps(results))
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads RSS from /proc")
def test_memory_stays_flat_over_a_million_calls_and_many_handles(kitchen_root):
    done = run_python(MEASURE.format(root=str(kitchen_root)))
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["calls"] <= LIMIT, results
    assert results["handles"] <= LIMIT, results
    assert results["live_handles"] == 0, results
