"""Benchmark (not a test): the whole compare_rules sweep at full size, from a fresh folder.

    python experiments/compare_rules/benchmark.py [more overrides, e.g. replicates=1]

Prints the sweep's wall time and the overhead per run: the worker time the sweep took beyond
the runs' own model time (``model_seconds`` in each summary.json), divided by the number of
runs. With W workers the sweep had W × wall seconds of worker time, so

    overhead per run = (W × wall − Σ model_seconds) / runs.

It covers composing and checking every job, starting the workers, Hydra's per-job set-up and
writing the run folders. Targets on the project's 2-core machine: wall < 5 min, overhead
< 0.05 s per run (with replicates).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import joblib

from sim.collect import collect

REPO = Path(__file__).resolve().parents[2]


def main(overrides: list[str]) -> int:
    workers = joblib.cpu_count()  # what the joblib launcher uses for n_jobs=-1
    with tempfile.TemporaryDirectory(prefix="compare_rules_benchmark_") as out:
        command = [sys.executable, "-m", "sim.run", "-m", "experiment=compare_rules",
                   f"out={out}", *overrides]
        start = time.perf_counter()
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            print(result.stdout[-2000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
            return result.returncode
        tables = collect(Path(out) / "compare_rules")
    runs = tables.runs
    model = runs["model_seconds"].sum()
    jobs = runs["run"].str.rsplit("/", n=1).str[0].nunique()
    rows = [
        ("runs / jobs", f"{len(runs)} / {jobs}"),
        ("workers (joblib, one per core)", f"{workers}"),
        ("sweep wall time", f"{wall:.1f} s ({'meets' if wall < 300 else 'misses'} < 300 s)"),
        ("sum of model_seconds", f"{model:.1f} s"),
        ("mean model_seconds per run", f"{model / len(runs):.3f} s"),
        ("sum of run wall_seconds", f"{runs['wall_seconds'].sum():.1f} s"),
    ]
    overhead = (workers * wall - model) / len(runs)
    rows.append(("overhead per run (W × wall − Σ model) / runs",
                 f"{overhead:.4f} s ({'meets' if overhead < 0.05 else 'misses'} < 0.05 s)"))
    width = max(len(label) for label, _ in rows)
    print(f"compare_rules benchmark: {' '.join(overrides) or 'full size'}")
    print("\n".join(f"{label:<{width}}  {value}" for label, value in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
