"""``python -m sim.bench``: the model's speed and memory against an honest floor, by size.

For each size (Xiaonanzhuang's 829 households, Yuxin Garden's 5,032, a synthetic 100,000 and a
synthetic 1,000,000, the last over 30 days and one repeat) one fresh process builds the model
and runs it ``--repeats`` times, and reports:

- set-up time and the **mean cost of a simulated day** (CPU time of the run ÷ days, the days
  run through ``model.run_for`` as a run's are), the fastest of the repeats, so that other
  load on a shared machine counts least;
- the **floor**: :class:`sim.bench_reference.Floor`, the least NumPy program doing the day's
  unavoidable work on the same households, cars, spaces and network (one random permutation of
  the cars looking for a space, the fill of the free spaces, one sparse matrix-vector product,
  the day's reductions), timed the same way (mean day over the same days, fastest of the same
  repeats), and the model's ratio to it;
- **peak memory of one build and run**, read before a second model is built;
- for the two real estates, an **idiomatic Mesa model** of the floor's work
  (:class:`sim.bench_reference.MesaReference`, one Python ``step`` per household), timed the
  same way, and how many times faster the model is than it.

It also times Yuxin Garden end to end (build + 365 days + writing the run folder), the first
time in a fresh process and after, and what loading the compiled passes costs a process
(:mod:`sim.fast_path`: estates of up to 100,000 households run six of a day's phases through
numba-compiled passes, with the same bytes). Targets on
this 2-core machine: per day ≤ 3× the floor at 829, 5,032 and 100,000 households; at a million,
set-up ≤ 5 s, ≤ 100 ms per day and peak memory ≤ 1 GiB; Yuxin Garden end to end < 1 s.
Extra arguments are config overrides, e.g. ``package=xiaonanzhuang_2024
decision=civil_code_278``.

``python -m sim.bench replicates`` times one ``python -m sim.run replicates=K`` job for K = 1,
10 and 30 (Xiaonanzhuang, 365 days) and prints the CPU time per run: what running a job's seeds
in one process saves over one job per seed. Beside it, the CPU per run of the runs alone
(build and days, no start-up, no run folders) in this process, in lockstep
(:mod:`sim.lockstep`) and one after another, so the start-up's share and the days' share of
the saving are seen apart.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.fast_path import COMPILED_UP_TO

CLOCK = time.process_time
"""The benchmark counts this process's CPU time, not wall time: on a shared machine other
processes' load stretches wall time but hardly CPU time (NumPy and SciPy run single-threaded
here), so figures taken at different times stay comparable."""

SIZES = {
    "xiaonanzhuang": ["scenario=xiaonanzhuang"],
    "yuxin_garden": ["scenario=yuxin_garden"],
    "synthetic_100k": ["scenario=synthetic", "scenario.households=100000"],
    "synthetic_1m": ["scenario=synthetic", "scenario.households=1000000"],
}
SHORT = {"synthetic_1m": 30}
"""Days for sizes timed over a shorter run (and one repeat): a year at a million households
takes minutes."""
MESA_SIZES = ("xiaonanzhuang", "yuxin_garden")
"""Sizes with an idiomatic-Mesa row (at 100,000 households it would take minutes)."""


def _fastest_day(step, days: int, repeats: int) -> float:
    """Seconds per day of ``days`` calls of ``step()``, the fastest mean of ``repeats`` runs."""
    best = float("inf")
    for _ in range(repeats):
        start = CLOCK()
        for _ in range(days):
            step()
        best = min(best, (CLOCK() - start) / days)
    return best


def measure(name: str, days: int, extra: list[str], repeats: int, mesa: bool) -> dict:
    """Time one size in this process: the model, the floor and (optionally) idiomatic Mesa."""
    from sim.bench_reference import Floor, MesaReference
    from sim.compose import load_config
    from sim.model import CommunityModel

    config = load_config([*SIZES[name], f"days={days}", *extra])
    setup, per_day, peak_mib = float("inf"), float("inf"), None
    for _ in range(repeats):
        model = None  # free the last run's model before building the next
        start = CLOCK()
        model = CommunityModel(config)
        built = CLOCK()
        model.run_for(days)
        setup = min(setup, built - start)
        per_day = min(per_day, (CLOCK() - built) / days)
        if peak_mib is None:  # one build and run, before any second model exists
            peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floor = _fastest_day(Floor(model).day, days, repeats)
    result = {
        "size": name, "households": len(model.households), "cars": len(model.cars),
        "setup_s": setup, "per_day_ms": 1e3 * per_day, "floor_ms": 1e3 * floor,
        "peak_mib": peak_mib, "mesa_ms": None,
    }
    if mesa:
        reference = MesaReference(CommunityModel(config))
        result["mesa_ms"] = 1e3 * _fastest_day(reference.step, days, repeats)
    return result


def end_to_end(extra: list[str]) -> float:
    """Seconds for Yuxin Garden: build + 365 days + writing the run folder, in-process."""
    from omegaconf import OmegaConf

    from sim.compose import load_config
    from sim.model import CommunityModel
    from sim.output import write_run

    config = load_config([*SIZES["yuxin_garden"], "days=365", *extra])
    with tempfile.TemporaryDirectory() as folder:
        start = CLOCK()
        model = CommunityModel(config)
        model.run_for(config.days)
        write_run(Path(folder), OmegaConf.to_yaml(OmegaConf.structured(config)),
                  model.tables(), model.summary())
        return CLOCK() - start


def compiled_load() -> dict:
    """CPU seconds and MiB this (fresh) process spends loading the compiled passes
    (:mod:`sim.fast_path`): a Xiaonanzhuang build and first day with them, less one without
    them, after a first build and day without them (so that only the loading differs)."""
    from sim import fast_path
    from sim.compose import load_config
    from sim.model import CommunityModel

    config = load_config(SIZES["xiaonanzhuang"])
    limit, fast_path.COMPILED_UP_TO = fast_path.COMPILED_UP_TO, 0
    CommunityModel(config).run_for(1)  # everything else loaded and warm

    def first_day() -> float:
        start = CLOCK()
        CommunityModel(config).run_for(1)
        return CLOCK() - start

    numpy_day = first_day()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fast_path.COMPILED_UP_TO = limit
    seconds = first_day() - numpy_day
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "mib": after - before}


REPLICATES = (1, 10, 30)
"""Replicates per job timed by ``python -m sim.bench replicates``."""


def job_cpu_seconds(replicates: int, overrides: list[str]) -> float:
    """CPU seconds of one ``python -m sim.run replicates=K`` job (start-up, the runs, their
    folders), in a fresh process, as a sweep pays it."""
    with tempfile.TemporaryDirectory() as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "sim.run", f"replicates={replicates}", *overrides,
                        f"hydra.run.dir={folder}"], check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def runs_cpu_seconds(replicates: int, overrides: list[str], together: bool) -> float:
    """CPU seconds of building and running K replicate seeds in this process (no start-up, no
    run folders): in lockstep (:func:`sim.lockstep.simulate_all`) or one after another."""
    from sim.compose import load_config
    from sim.lockstep import simulate_all
    from sim.model import simulate

    config = load_config(overrides)
    configs = [dataclasses.replace(config, seed=config.seed + k) for k in range(replicates)]
    start = CLOCK()
    if together:
        for outcome in simulate_all(configs):
            if outcome.error is not None:
                raise RuntimeError(outcome.error)
    else:
        for run in configs:
            simulate(run)
    return CLOCK() - start


def replicates_table(argv: list[str]) -> None:
    """Print CPU time per run of a job running K replicate seeds, for K in :data:`REPLICATES`
    (Xiaonanzhuang, 365 days unless overridden): the whole job in a fresh process, and the
    runs alone in this one, in lockstep and one after another (timed back to back)."""
    overrides = ["days=365", *argv]
    runs_cpu_seconds(1, [*overrides, "days=1"], together=False)  # load what a first run loads
    print(f"{'replicates':>10}{'job CPU s':>11}{'per run s':>11}{'runs/CPU-min':>14}"
          f"{'lockstep s':>12}{'alone s':>10}{'ratio':>7}")
    for k in REPLICATES:
        seconds = job_cpu_seconds(k, overrides)
        together = runs_cpu_seconds(k, overrides, together=True) / k
        alone = runs_cpu_seconds(k, overrides, together=False) / k
        print(f"{k:>10}{seconds:>11.2f}{seconds / k:>11.3f}{60 * k / seconds:>14.0f}"
              f"{together:>12.3f}{alone:>10.3f}{together / alone:>7.2f}", flush=True)
    print("job: one fresh `python -m sim.run replicates=K` job each (start-up, K runs and their "
          "run folders); lockstep, alone: CPU per run of building and running the K seeds in "
          "this process (after a first run has loaded what runs need, such as the compiled "
          "passes), in lockstep (sim/lockstep.py) and one after another")


def _in_fresh_process(args: list[str]) -> dict:
    """Run ``python -m sim.bench --one ...`` so each size's peak memory is its own."""
    out = subprocess.run([sys.executable, "-m", "sim.bench", *args], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def format_row(r: dict) -> str:
    """One line of the table: the model against its floor (and idiomatic Mesa)."""
    mesa = ("" if r["mesa_ms"] is None
            else f"{r['mesa_ms']:>10.2f}{r['mesa_ms'] / r['per_day_ms']:>7.0f}×")
    return (f"{r['size']:<16}{r['households']:>11,}{r['setup_s']:>10.3f}{r['per_day_ms']:>11.3f}"
            f"{r['floor_ms']:>10.3f}{r['per_day_ms'] / r['floor_ms']:>7.1f}"
            f"{r['peak_mib']:>10.0f}{mesa}")


HEADER = (f"{'size':<16}{'households':>11}{'set-up s':>10}{'day ms':>11}{'floor ms':>10}"
          f"{'ratio':>7}{'peak MiB':>10}{'Mesa ms':>10}{'lead':>8}")


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark table (or, with ``--one``, one size's figures as JSON); ``app``
    first: the browser app's server time per step (:mod:`sim.app.bench`); ``replicates``
    first: the CPU time per run of jobs running several seeds (:func:`replicates_table`)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["app"]:
        from sim.app.bench import main as app_bench

        return app_bench(argv[1:])
    if argv[:1] == ["replicates"]:
        return replicates_table(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--one", choices=SIZES, help=argparse.SUPPRESS)
    parser.add_argument("--mesa", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--end-to-end", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--compiled-load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--days", type=int, default=365, help="simulated days per size")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs per size; the fastest mean day counts")
    parser.add_argument("overrides", nargs="*", help="extra config overrides, e.g. "
                        "allocation=one_car_owner_first")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.days, args.overrides, args.repeats, args.mesa)))
        return
    if args.end_to_end:
        print(json.dumps({"seconds": [end_to_end(args.overrides) for _ in range(3)]}))
        return
    if args.compiled_load:
        print(json.dumps(compiled_load()))
        return

    print(HEADER)
    for name in SIZES:
        flags = ["--mesa"] if name in MESA_SIZES else []
        days, repeats = (SHORT[name], 1) if name in SHORT else (args.days, args.repeats)
        print(format_row(_in_fresh_process(
            ["--one", name, "--days", str(days), "--repeats", str(repeats), *flags,
             *args.overrides])), flush=True)
    first, *again = _in_fresh_process(["--end-to-end", *args.overrides])["seconds"]
    print(f"\nyuxin_garden end to end (build + 365 days + run folder): {first:.3f} s the first "
          f"time in a process, {min(again):.3f} s after (target < 1.0 s)")
    load = _in_fresh_process(["--compiled-load"])
    print(f"compiled passes (sim.fast_path, up to {COMPILED_UP_TO:,} households): loading them "
          f"costs a process {load['seconds']:.2f} s CPU and {load['mib']:.0f} MiB, once")
    print("day ms: mean simulated day, fastest of the repeats (synthetic_1m: 30 days, one run); "
          "floor: the least NumPy program doing the day's parking, influence and reductions "
          "(sim/bench_reference.py), timed the same way; peak MiB: one build and run; lead: "
          "idiomatic Mesa ms ÷ day ms")


if __name__ == "__main__":
    main()
