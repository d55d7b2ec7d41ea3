"""Resident-set growth over many calls or handles, measured in a process of
its own: in the benchmark's process, memory that earlier rows (64 MiB of
bytes, a million floats) gave back to the system meanwhile would count as
negative growth.

    python -m suite.memory calls|handles COUNT ARTIFACT_ROOT   (cwd: benchmarks/)

prints {"growth": bytes, "live_handles": n}.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .model import RECORD
from .prepare import load_benchmod
from .timing import rss_bytes


def actions(package: Any) -> dict[str, Callable[[], object]]:
    """What is repeated: a record in and out (both encoders, the call, the
    decoder), or a handle made and dropped (released when Python frees it)."""
    echo = package.EchoRec
    return {"calls": lambda: echo(RECORD), "handles": package.NewThing}


def growth(action: Callable[[], object], count: int) -> int:
    """RSS growth over count runs of action, after a tenth as many untimed
    ones so that caches, free lists and Go's heap have their steady size."""
    for _ in range(max(1, count // 10)):
        action()
    gc.collect()
    before = rss_bytes()
    for _ in range(count):
        action()
    gc.collect()
    return rss_bytes() - before


def live_handles(package: Any) -> int | None:
    counter = getattr(getattr(package, "_library", None), "handle_count", None)
    return int(counter()) if callable(counter) else None


def main(argv: list[str]) -> int:
    kind, count, root = argv[0], int(argv[1]), Path(argv[2])
    package = load_benchmod(root)
    result = {"growth": growth(actions(package)[kind], count), "live_handles": live_handles(package)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
