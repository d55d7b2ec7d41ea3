"""The usegolib benchmark suite: what `python benchmarks/run.py` measures.

model: rows, targets and results; prepare: the Go libraries measured, built
into .cache/bench/; timing: the clocks; rows: one function per row;
report: the printed lines, the JSON and docs/performance.md.
"""
