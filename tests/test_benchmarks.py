"""The benchmark suite (benchmarks/run.py) in its smoke mode: every row runs
and reports, and none crashes. Whether the targets are met is the
benchmark's report, not a test: timings are not unit tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"

ROW_KEYS = [
    "add-int-vs-raw",
    "add-int-vs-extension",
    "bytes16-vs-extension",
    "upper11-vs-extension",
    "add-int-vs-0.1.0",
    "add-int-vs-gopy",
    "upper11-vs-gopy",
    "bytes16-vs-gopy",
    "record-vs-gopy",
    "warm-import-vs-gopy",
    "first-call-vs-gopy",
    "record-vs-msgpack",
    "typed-record-vs-plain",
    "bytes-echo",
    "stream-vs-bytes",
    "sum-buffer-vs-list",
    "threads",
    "warm-import",
    "warm-import-cached",
    "warm-import-1000",
    "fingerprint",
    "cold-build",
    "inline-build",
    "closure-bcrypt",
    "closure-zstd",
    "closure-excelize",
    "closure-gonum-mat",
    "rss-calls",
    "rss-handles",
]


def run_benchmark(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN), *args], cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )


def test_quick_run_reports_every_row_without_crashing(tmp_path: Path) -> None:
    results = tmp_path / "bench.json"
    done = run_benchmark("--quick", "--json", str(results))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(results.read_text(encoding="utf-8"))
    assert report["quick"] is True
    assert [row["key"] for row in report["rows"]] == ROW_KEYS
    lines = done.stdout.splitlines()
    assert lines[0].startswith("machine: ")
    assert len(lines) == 1 + len(report["rows"]), done.stdout
    for row in report["rows"]:  # printed as they finish: the process rows first
        assert row["status"] in ("PASS", "FAIL", "SKIP"), row
        (line,) = [line for line in lines[1:] if line.startswith(row["title"])]
        assert row["status"] in line.split(), line
    legacy = next(row for row in report["rows"] if row["key"] == "add-int-vs-0.1.0")
    assert legacy["status"] == "SKIP"
    gopy = [row for row in report["rows"] if row["key"].endswith("-vs-gopy")]
    assert gopy and all(row["status"] == "SKIP" and "quick mode" in row["note"] for row in gopy), gopy


def test_docs_are_written_only_from_a_full_run() -> None:
    done = run_benchmark("--quick", "--write-docs")
    assert done.returncode == 2
    assert "--write-docs needs a full run" in done.stderr
