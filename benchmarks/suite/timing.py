"""Clocks: the best of several timed batches (the least disturbed one), the
median of subprocess runs, and the resident set size."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
import timeit
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

STATM = Path("/proc/self/statm")


def best_ns_per_call(statement: str, namespace: dict[str, Any], calls: int, batches: int) -> float:
    """Nanoseconds per execution of statement, best of batches."""
    return interleaved_ns_per_call({"only": (statement, namespace)}, calls, batches)["only"]


def interleaved_ns_per_call(cases: dict[str, tuple[str, dict[str, Any]]], calls: int, batches: int) -> dict[str, float]:
    """Nanoseconds per execution of each case's statement, best of batches.
    The cases take turns batch by batch, so that a machine whose speed
    drifts (a shared VM) slows them alike. timeit compiles the loop around
    the statement itself: no side pays for an extra Python frame (a lambda
    would cost more than a raw ctypes call)."""
    timers = {
        name: timeit.Timer(statement, globals=namespace, timer=time.perf_counter_ns)
        for name, (statement, namespace) in cases.items()
    }
    for timer in timers.values():
        timer.timeit(number=max(1, calls // 10))  # warm-up: thread state, caches
    best = dict.fromkeys(timers, float("inf"))
    for _ in range(batches):
        for name, timer in timers.items():
            best[name] = min(best[name], timer.timeit(number=calls) / calls)
    return best


def interleaved_seconds(actions: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Seconds of the fastest run of each action, the actions taking turns,
    after one untimed run of each."""
    for action in actions.values():
        action()
    best = dict.fromkeys(actions, float("inf"))
    for _ in range(repeats):
        for name, action in actions.items():
            started = time.perf_counter_ns()
            action()
            best[name] = min(best[name], (time.perf_counter_ns() - started) / 1e9)
    return best


def subprocess_seconds(command: Sequence[str], *, env: dict[str, str], cwd: Path) -> float:
    """Wall-clock seconds of one run of command, which must succeed."""
    started = time.perf_counter_ns()
    done = subprocess.run(list(command), env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter_ns() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    return elapsed / 1e9


def interleaved_subprocess_seconds(
    commands: dict[str, tuple[Sequence[str], dict[str, str]]], runs: int, *, cwd: Path, warmup: int = 1
) -> dict[str, list[float]]:
    """Wall-clock seconds of each run of each command (with its
    environment), the commands taking turns run by run, after warmup
    untimed runs of each (the first rebuilds what changed and writes
    bytecode; more bring the files every start reads into the page cache
    after the builds that prepared the run), and once the first command's
    time has settled (settle)."""
    for _ in range(warmup):
        for command, env in commands.values():
            subprocess_seconds(command, env=env, cwd=cwd)
    first_command, first_env = next(iter(commands.values()))
    settle(first_command, env=first_env, cwd=cwd)
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            seconds[name].append(subprocess_seconds(command, env=env, cwd=cwd))
    return seconds


def settle(command: Sequence[str], *, env: dict[str, str], cwd: Path, batch: int = 5, limit: float = 20.0) -> None:
    """Run command in batches until two batches in a row have medians
    within 5% of each other, or limit seconds have passed: a machine that
    has just built (the rows that start processes come first, right after
    the run's preparation) starts processes slower for a while."""
    deadline = time.monotonic() + limit
    previous = None
    while time.monotonic() < deadline:
        current = median([subprocess_seconds(command, env=env, cwd=cwd) for _ in range(batch)])
        if previous is not None and abs(current - previous) <= 0.05 * previous:
            return
        previous = current


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def rss_bytes() -> int:
    """The resident set size of this process (Linux)."""
    resident_pages = int(STATM.read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def has_rss() -> bool:
    return STATM.is_file()
