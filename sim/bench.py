"""``python -m sim.bench``: the model's speed and memory against the floor, by size.

For each size (Xiaonanzhuang's 829 households, Yuxin Garden's 5,032, a synthetic 100,000) a
fresh process builds the model, runs it and reports set-up time, cost per simulated day and
peak memory. Beside the cost per day it prints the *floor* measured in the same process on the
same network: one CSR matrix-vector product plus one argsort of one float key per car — the
least any simulated day can cost — and the ratio of the two. It also times Yuxin Garden end
to end (build + 365 days + writing the run folder).

Targets (2-core machine): Yuxin Garden end to end < 1.0 s; cost per day ≤ 10× the floor at
5,032 households and ≤ 5× at 100,000; 100,000 households × 365 days < 60 s and < 2 GiB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SIZES = {
    "xiaonanzhuang": ["scenario=xiaonanzhuang"],
    "yuxin_garden": ["scenario=yuxin_garden"],
    "synthetic_100k": ["scenario=synthetic", "scenario.households=100000"],
}


def floor_per_day(model, repeats: int = 200) -> float:
    """Seconds for one CSR mat-vec on the model's network plus one argsort of a key per car
    (the best of ``repeats`` tries, as for the model's own timing)."""
    x = np.random.default_rng(0).random(model.influence.shape[0])
    keys = np.random.default_rng(1).random(len(model.cars))
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        model.influence @ x
        np.argsort(keys)
        best = min(best, time.perf_counter() - start)
    return best


def measure(name: str, days: int, extra: list[str], repeats: int) -> dict:
    """Build and run one size ``repeats`` times in this process (same seed, so the same work)
    and keep the fastest, as for the floor, so that other load on the machine counts least;
    return its timings and the peak memory."""
    from sim.config import load_config
    from sim.model import CommunityModel

    config = load_config([*SIZES[name], f"days={days}", *extra])
    setup = run = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        model = CommunityModel(config)
        built = time.perf_counter()
        for _ in range(days):
            model.step()
        setup = min(setup, built - start)
        run = min(run, time.perf_counter() - built)
    return {
        "size": name,
        "households": len(model.households),
        "cars": len(model.cars),
        "setup_s": setup,
        "run_s": run,
        "per_day_ms": 1e3 * run / days,
        "floor_ms": 1e3 * floor_per_day(model),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def end_to_end(extra: list[str]) -> float:
    """Seconds for Yuxin Garden: build + 365 days + writing the run folder, in-process."""
    from omegaconf import OmegaConf

    from sim.config import load_config
    from sim.model import CommunityModel
    from sim.output import write_run

    config = load_config([*SIZES["yuxin_garden"], "days=365", *extra])
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        model = CommunityModel(config)
        for _ in range(config.days):
            model.step()
        write_run(Path(folder), OmegaConf.to_yaml(OmegaConf.structured(config)),
                  model.tables(), model.summary())
        return time.perf_counter() - start


def _in_fresh_process(args: list[str]) -> dict:
    """Run ``python -m sim.bench --one ...`` so each size's peak memory is its own."""
    out = subprocess.run([sys.executable, "-m", "sim.bench", *args], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark table (or, with ``--one``, one size's figures as JSON); ``app``
    first: the browser app's server time per step (:mod:`sim.app.bench`)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["app"]:
        from sim.app.bench import main as app_bench

        return app_bench(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--one", choices=SIZES, help=argparse.SUPPRESS)
    parser.add_argument("--end-to-end", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--days", type=int, default=365, help="simulated days per size")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size; the fastest counts")
    parser.add_argument("overrides", nargs="*", help="extra config overrides, e.g. "
                        "allocation=one_car_owner_first")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.days, args.overrides, args.repeats)))
        return
    if args.end_to_end:
        print(json.dumps({"seconds": min(end_to_end(args.overrides) for _ in range(3))}))
        return

    print(f"{'size':<16}{'households':>11}{'set-up s':>10}{'per day ms':>12}"
          f"{'floor ms':>10}{'ratio':>7}{'run s':>8}{'peak MiB':>10}")
    for name in SIZES:
        r = _in_fresh_process(["--one", name, "--days", str(args.days),
                               "--repeats", str(args.repeats), *args.overrides])
        print(f"{name:<16}{r['households']:>11,}{r['setup_s']:>10.3f}{r['per_day_ms']:>12.3f}"
              f"{r['floor_ms']:>10.3f}{r['per_day_ms'] / r['floor_ms']:>7.1f}"
              f"{r['run_s']:>8.2f}{r['peak_mib']:>10.0f}")
    seconds = _in_fresh_process(["--end-to-end", *args.overrides])["seconds"]
    print(f"\nyuxin_garden end to end (build + 365 days + run folder): {seconds:.3f} s "
          f"(target < 1.0 s)")


if __name__ == "__main__":
    main()
