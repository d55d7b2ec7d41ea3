"""Times usegolib 0.1.0 calling benchmarks/gomod, for the baseline rows of
benchmarks/run.py, which runs this file with the interpreter of the venv
where 0.1.0 is installed (the two versions share the import name
`usegolib`, so they cannot meet in one process). Standard library and 0.1.0
only. Prints one JSON object: nanoseconds per call, or {"error": ...}.

The environment must set USEGOLIB_ZIG to a zig binary: without it 0.1.0
downloads Zig from the web.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
import timeit
from pathlib import Path
from typing import Any

STAMP = ".bench-stamp"


def sources_digest(module: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in module.rglob("*") if p.is_file()):
        h.update(path.relative_to(module).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def build(module: Path, out: Path) -> str | None:
    """Builds with 0.1.0's own command unless this very source was built
    before; returns an error message or None."""
    digest = sources_digest(module)
    stamp = out / STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return None
    command = Path(sys.executable).parent / "usegolib"
    done = subprocess.run(
        [str(command), "build", "--module", str(module), "--out", str(out), "--force"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        return f"usegolib 0.1.0 build failed: {lines[-1] if lines else done.returncode}"
    stamp.write_text(digest, encoding="utf-8")
    return None


def best_ns_per_call(statement: str, namespace: dict[str, Any], calls: int, batches: int) -> float:
    timer = timeit.Timer(statement, globals=namespace, timer=time.perf_counter_ns)
    timer.timeit(number=max(1, calls // 10))
    return min(timer.repeat(repeat=batches, number=calls)) / calls


def measure(module: Path, out: Path, record: dict[str, Any], calls: int, batches: int) -> dict[str, Any]:
    import usegolib

    handle = usegolib.import_(str(module), artifact_dir=str(out))
    if handle.AddInt(1, 2) != 3 or handle.EchoRec(record) != record:
        return {"error": "usegolib 0.1.0 returned wrong results"}
    return {
        "version": getattr(usegolib, "__version__", "0.1.0"),
        "add_int_ns": best_ns_per_call("f(1, 2)", {"f": handle.AddInt}, calls, batches),
        "echo_rec_ns": best_ns_per_call("f(r)", {"f": handle.EchoRec, "r": record}, calls, batches),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--module", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--calls", type=int, default=5_000)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--record", type=json.loads, required=True, help="the 10-field record, as JSON")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    error = build(args.module, args.out)
    report = {"error": error} if error else measure(args.module, args.out, args.record, args.calls, args.batches)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
