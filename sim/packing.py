"""``python -m sim.packing``: how to cut a district study into cluster tasks, and how long it
takes on a number of cores.

A task (one Hydra job: a Slurm array task, a Ray task, a joblib worker's job) runs one rule set
for one block of communities and every replicate seed. Starting a task costs seconds on a
cluster, so each should last minutes; a Slurm array holds at most ``MaxArraySize − 1`` tasks
(1,000 by default). The plan picks the number of blocks that brings a task closest to the
target length within that limit, and states the wall time on ``cores`` cores from the measured
seconds per run on one core and the seconds a task takes to start (``start_seconds``).

    python -m sim.packing run_seconds=0.2 cores=2,64,256
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """A district study cut into tasks.

    Attributes:
        blocks: blocks of communities (``district.blocks``).
        tasks: jobs of the sweep: rule sets × blocks.
        runs_per_task: runs of the largest task (communities of its block × seeds).
        task_seconds: how long the largest task runs on one core, its start included.
    """

    blocks: int
    tasks: int
    runs_per_task: int
    task_seconds: float

    def wall_seconds(self, cores: int) -> float:
        """Time to run every task on ``cores`` cores, one task per core at a time."""
        return math.ceil(self.tasks / cores) * self.task_seconds


def plan(communities: int, rule_sets: int, seeds: int, run_seconds: float,
         task_minutes: float = 5.0, max_tasks: int = 1000, cores: int = 1,
         start_seconds: float = 0.0) -> Plan:
    """The number of blocks that makes a task last about ``task_minutes``, or shorter where
    that keeps every one of ``cores`` cores busy.

    Args:
        communities, rule_sets, seeds: the study's size (runs = their product).
        run_seconds: measured seconds per run on one core.
        task_minutes: the wanted length of a task.
        max_tasks: the most tasks allowed (Slurm's array-size limit).
        cores: cores that run the tasks: at least this many tasks where possible.
        start_seconds: what starting a task costs (Python, Hydra, the worker) before its runs.

    Raises:
        ValueError: if even one block per rule set needs more than ``max_tasks`` tasks, or a
            size is not positive.
    """
    if min(communities, rule_sets, seeds, max_tasks) < 1 or not run_seconds > 0 or not (
            task_minutes > 0) or not start_seconds >= 0:
        raise ValueError("communities, rule_sets, seeds and max_tasks must be at least 1, "
                         "run_seconds and task_minutes greater than 0, start_seconds at least 0")
    if rule_sets > max_tasks:
        raise ValueError(f"rule_sets = {rule_sets}: more rule sets than max_tasks = "
                         f"{max_tasks}; run them in several sweeps")
    per_community = seeds * run_seconds
    wanted = round(communities * per_community / (60.0 * task_minutes))
    wanted = max(wanted, cores // rule_sets)  # one wave on every core rather than two
    blocks = max(1, min(communities, wanted, max_tasks // rule_sets))
    largest = math.ceil(communities / blocks)
    return Plan(blocks, rule_sets * blocks, largest * seeds,
                start_seconds + largest * per_community)


SETTINGS = {"communities": 662, "rule_sets": 10, "seeds": 30, "run_seconds": None,
            "task_minutes": 5.0, "max_tasks": 1000, "cores": "2,64,256", "start_seconds": 5.0}
"""Settings of the command line and their defaults (``run_seconds`` must be given).
``start_seconds``: measured here, a lone district job spends 2.2 s of CPU before and around its
runs, and a job of a 2-worker joblib sweep about 4.6 s (the sweep's own start shared among its
jobs); a cluster's file system and scheduler add to it."""


def main(argv: list[str] | None = None) -> int:
    """Print the plan, the overrides that make it and its wall time on each number of cores."""
    argv = sys.argv[1:] if argv is None else argv
    if {"-h", "--help"} & set(argv):
        print(__doc__)
        return 0
    try:
        if malformed := [arg for arg in argv if "=" not in arg]:
            raise ValueError(f"{malformed[0]!r}: give settings as key=value")
        given = dict(arg.split("=", 1) for arg in argv)
        unknown = set(given) - set(SETTINGS)
        if unknown or "run_seconds" not in given:
            raise ValueError(f"give run_seconds=<measured seconds per run>; settings: "
                             f"{', '.join(SETTINGS)}")
        settings = {**SETTINGS, **given}
        cores = [int(c) for c in str(settings.pop("cores")).split(",")]
        sizes = {key: (float if key.endswith(("_seconds", "_minutes")) else int)(value)
                 for key, value in settings.items()}
        plan(**sizes)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for n in cores:
        study = plan(**sizes, cores=n)
        print(f"{n:>5} cores: {study.wall_seconds(n) / 3600:6.2f} h with {study.tasks} tasks "
              f"of up to {study.runs_per_task} runs ({study.task_seconds / 60:.1f} min): "
              f"district.blocks={study.blocks} 'district.block=range(0,{study.blocks})'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
