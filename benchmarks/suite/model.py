"""Rows, their targets and their results."""

from __future__ import annotations

from dataclasses import dataclass

# The 10-field record of benchmod.Rec, keyed by its json tags (legacy_bench.py
# gets it as an argument: it runs under another interpreter).
RECORD = {
    "id": 7,
    "count": 42,
    "age": 31,
    "score": 98.5,
    "ratio": 0.25,
    "weight": 71.3,
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "active": True,
    "admin": False,
}

# The unit of ratios (spelled by name: ruff would take the sign for an x).
TIMES = "\N{MULTIPLICATION SIGN}"

PASS = "PASS"  # noqa: S105 - a result, not a password
FAIL = "FAIL"
SKIP = "SKIP"
# The row's own code failed: the benchmark is broken, not the target missed.
CRASH = "CRASH"


@dataclass(frozen=True)
class Target:
    """A bound on a row's value: at most (`upper`) or at least `limit`."""

    limit: float
    unit: str  # TIMES, " ms", " s", " MiB", " %"
    upper: bool

    def met_by(self, value: float) -> bool:
        return value <= self.limit if self.upper else value >= self.limit

    def __str__(self) -> str:
        return f"{'≤' if self.upper else '≥'} {self.limit:g}{self.unit}"


def at_most(limit: float, unit: str) -> Target:
    return Target(limit, unit, upper=True)


def at_least(limit: float, unit: str) -> Target:
    return Target(limit, unit, upper=False)


@dataclass(frozen=True)
class Result:
    """What a row measured: the figures behind it (human-readable), the
    value compared with the target, and anything worth knowing beside."""

    figures: str
    value: float | None
    status: str
    note: str = ""


def measured(figures: str, value: float, target: Target, note: str = "") -> Result:
    return Result(figures, value, PASS if target.met_by(value) else FAIL, note)


def failed(figures: str, note: str) -> Result:
    """A row whose measurement could not be made because usegolib refused
    it (e.g. a type it does not accept yet): a missed target, not a crash."""
    return Result(figures, None, FAIL, note)


def skipped(reason: str) -> Result:
    return Result("", None, SKIP, reason)


@dataclass(frozen=True)
class Scale:
    """Iteration counts and sizes: the full run, or the smoke test's."""

    quick: bool
    calls: int  # calls per timed batch of a per-call row
    batches: int  # timed batches; the best is reported
    bytes_size: int
    floats: int
    echo_repeats: int
    burn_calls: int  # calls per thread of the threads row
    subprocess_runs: int
    cold_builds: int
    rss_calls: int
    rss_handles: int
    stream_size: int  # bytes streamed by the streams row


FULL = Scale(
    quick=False,
    calls=50_000,
    batches=15,
    bytes_size=64 << 20,
    floats=1_000_000,
    echo_repeats=5,
    burn_calls=300,
    subprocess_runs=10,
    cold_builds=2,
    rss_calls=1_000_000,
    rss_handles=100_000,
    stream_size=256 << 20,
)

QUICK = Scale(
    quick=True,
    calls=200,
    batches=2,
    bytes_size=1 << 20,
    floats=10_000,
    echo_repeats=2,
    burn_calls=5,
    subprocess_runs=2,
    cold_builds=1,
    rss_calls=10_000,
    rss_handles=1_000,
    stream_size=1 << 20,
)
