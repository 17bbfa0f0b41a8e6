"""Time ``python -m sim.collect`` on a sweep the size of the full district study, kept as parts.

    python experiments/district/collect_benchmark.py [runs] [folder]

Makes a synthetic sweep of ``runs`` runs (default 200,000) in ``folder`` (default a temporary
folder): 10 rule sets × 29 blocks, as ``experiment=district`` with ``replicates=30`` runs them,
each job's runs in 10 parts (a part every ``store.flush_seconds`` = 15 s of a 2.5-minute
job), so 2,900 parts; every row a copy of one real run's row with its own run name, community
and seed. Then it times the collection (manifest, records, checksums, reading the parts, writing
runs.parquet and runs.csv) in this process and prints the wall and CPU seconds.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from sim import batch, collect
from sim.compose import compose_config, to_run_config
from sim.parts import PartWriter
from sim.sweep import parts_job_runs, update_manifest

RULE_SETS, BLOCKS, PARTS_PER_JOB, SEEDS = 10, 29, 10, 30


def template_row(folder: Path) -> dict:
    """One real run's row (a short district run)."""
    cfg = compose_config(["experiment=district", "days=5", "replicates=1",
                          "district.communities=1"])
    (row,) = batch.run_parts(to_run_config(cfg), cfg, folder / "template", {})
    return row


def make_sweep(folder: Path, runs: int) -> None:
    """The synthetic sweep: manifest, then every job's parts with their records."""
    row = template_row(folder)
    communities = -(-runs // (RULE_SETS * SEEDS))
    rng = np.random.default_rng(0)
    planned = []
    for rule_set in range(RULE_SETS):
        name = f"rule_set={rule_set}"
        job_runs = parts_job_runs(name, {"rule_set": str(rule_set)}, 0, SEEDS,
                                  list(range(communities)))[: runs // RULE_SETS]
        planned += job_runs
        for part in range(BLOCKS * PARTS_PER_JOB):
            writer = PartWriter(folder / name, flush_seconds=float("inf"))
            for run in job_runs[part::BLOCKS * PARTS_PER_JOB]:
                key = run.path.split("/")[1]
                writer.add(key, {**row, "run": run.path,
                                 "community": int(run.overrides["community"]),
                                 "seed": int(run.overrides["seed"]),
                                 "total_complaints": int(rng.integers(0, 500))})
            writer.flush()
    update_manifest(folder, planned)


def main(runs: str = "200000", folder: str | None = None) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        sweep = Path(folder or scratch)
        make_sweep(sweep, int(runs))
        wall, cpu = time.perf_counter(), time.process_time()
        status = collect.main([str(sweep)])
        print(f"collected {runs} runs in {time.perf_counter() - wall:.1f} s wall, "
              f"{time.process_time() - cpu:.1f} s CPU")
    return status


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
