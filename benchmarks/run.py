"""The usegolib benchmark: one line per row, with its target and PASS/FAIL.

    python benchmarks/run.py [--quick] [--json FILE] [--write-docs] [--only ROW ...]

Builds what it measures under .cache/bench/ (reused while inputs do not
change). Exits 0 whatever the results, nonzero when a row crashed.
See docs/performance.md, which --write-docs regenerates.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from suite import machine, prepare, report
from suite.model import CRASH, FULL, QUICK, Result
from suite.rows import ROWS, Bench, Row, execution_order


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark usegolib against its baselines and the issue's targets.")
    parser.add_argument("--quick", action="store_true", help="smoke mode: tiny counts, no usegolib 0.1.0 baseline")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/performance.md from this run")
    parser.add_argument(
        "--only", action="append", choices=[row.key for row in ROWS], metavar="ROW", help="run only this row"
    )
    args = parser.parse_args(argv)
    if args.write_docs and (args.quick or args.only):
        parser.error("--write-docs needs a full run of every row (no --quick, no --only)")
    return args


def run_row(row: Row, bench: Bench) -> Result:
    """A row's result; a row that raised is reported as crashed, with its
    traceback on stderr, and the other rows still run."""
    try:
        return row.run(bench)
    except Exception as exc:  # noqa: BLE001 - one broken row must not hide the others
        traceback.print_exc(file=sys.stderr)
        return Result("", None, CRASH, f"{type(exc).__name__}: {exc}".splitlines()[0])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    prepare.use_repo_caches()
    scale = QUICK if args.quick else FULL
    bench = Bench(scale, prepare.log_stderr)
    about = machine.describe()
    print(f"machine: {machine.one_line(about)}", flush=True)
    outcomes = []
    for row in execution_order([row for row in ROWS if not args.only or row.key in args.only]):
        result = run_row(row, bench)
        outcomes.append((row, result))
        print(report.line(row, result), flush=True)
    outcomes.sort(key=lambda outcome: ROWS.index(outcome[0]))  # reported in table order
    if args.json:
        report.write_json(args.json, report.as_json(about, scale.quick, outcomes))
    if args.write_docs:
        report.write_docs(about, outcomes)
        print(f"wrote {report.DOCS_FILE}", flush=True)
    return 1 if any(result.status == CRASH for _, result in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
