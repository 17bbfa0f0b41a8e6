"""``python -m sim.run``: one simulation run → one run folder (a Hydra app).

With no arguments it runs the flagship scenario, Xiaonanzhuang (小南庄), for 365 days with
seed 0, prints a summary table and writes ``results/runs/xiaonanzhuang/<time>/``. Any config
value can be overridden, e.g. ``scenario=yuxin_garden allocation=one_car_owner_first seed=7``.

``replicates=K`` runs seeds ``seed`` … ``seed + K - 1`` in the same process, in lockstep
(:mod:`sim.lockstep`), each into its own ``seed=<s>`` folder, with the same results as K
separate runs. With ``-m``
(Hydra multirun) it runs a sweep, e.g. ``python -m sim.run -m experiment=compare_rules``: see
``hydra_plugins/shangliang_sweeper`` for resume and fault isolation, and :mod:`sim.collect`.

A mistake on the command line is reported in one line naming the key, the value and what is
allowed, with exit status 2, before anything is written (see :func:`cli`).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import sys
import time
import traceback
from pathlib import Path
from unittest import mock

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf, open_dict

from sim.batch import run_parts
from sim.compose import compose_config, register_schemas, to_run_config
from sim.config import CONFIG_DIR, Layout, RunConfig, check_overrides
from sim.errors import describe
from sim.lockstep import simulate_all
from sim.model import CommunityModel
from sim.output import write_run, write_text
from sim.provenance import config_hash, package_versions, source_state
from sim.sweep import (
    FAILED,
    RunsFailedError,
    SweepFailedError,
    replicate_folder,
    replicate_seeds,
    run_state,
)

register_schemas()


def write_run_folder(model: CommunityModel, cfg: DictConfig, folder: Path,
                     model_seconds: float) -> dict:
    """Write a simulated run's folder; return the summary that was written.

    Args:
        model: the model after its days.
        cfg: its config as composed (written as ``config.yaml``, hashed in the summary).
        folder: the run folder.
        model_seconds: the wall time of its simulation.
    """
    start = time.perf_counter()
    config = model.config
    summary = {
        "scenario": config.scenario.name,
        "allocation": config.allocation.name,
        "seed": config.seed,
        "days": config.days,
        "config_hash": config_hash(cfg),
        "versions": package_versions(),
        **source_state(),
        "model_seconds": model_seconds,
        **model.summary(),
    }
    tables = model.tables()
    summary["wall_seconds"] = model_seconds + time.perf_counter() - start
    write_run(folder, OmegaConf.to_yaml(cfg, resolve=True), tables, summary)
    return summary


def _keep_error(run_folder: Path, error: str) -> str:
    """Leave a run's traceback in ``run_folder/FAILED``; return ``""``, or why it could not be
    written (a full disk that failed the run may refuse its error too)."""
    try:
        write_text(run_folder / FAILED, error)
    except OSError as failure:
        return f"; its error could not be saved in {FAILED}: {failure.strerror or failure}"
    return ""


def replicate_cfg(cfg: DictConfig, seed: int) -> DictConfig:
    """The config of one replicate: ``seed`` set and ``replicates`` 1, exactly the config of a
    separate run with that seed (so its ``config.yaml`` and config hash are the same)."""
    cfg = cfg.copy()
    with open_dict(cfg):
        cfg.seed, cfg.replicates = seed, 1
    return cfg


def run_replicates(config: RunConfig, cfg: DictConfig, folder: Path) -> list[tuple[Path, dict]]:
    """Run a job's replicate seeds, each into its folder (:func:`sim.sweep.replicate_folder`).

    The seeds run in lockstep groups (:func:`sim.lockstep.simulate_all`), with the same bytes
    as separate runs; each group's folders are written when it ends. A run whose folder is
    complete is skipped (resume). A run that raises leaves its traceback in ``FAILED`` and
    does not stop the others.

    Returns:
        ``(run folder, summary)`` of each run made now.

    Raises:
        RunsFailedError: after the other runs, if any run raised.
    """
    seeds = [seed for seed in replicate_seeds(config.seed, config.replicates)
             if run_state(replicate_folder(folder, seed, config.replicates)) != "complete"]
    made, failed = [], []
    configs = (dataclasses.replace(config, seed=seed, replicates=1) for seed in seeds)
    for seed, outcome in zip(seeds, simulate_all(configs), strict=True):
        run_folder = replicate_folder(folder, seed, config.replicates)
        (run_folder / FAILED).unlink(missing_ok=True)
        error = outcome.error
        if error is None:
            try:
                made.append((run_folder, write_run_folder(
                    outcome.model, replicate_cfg(cfg, seed), run_folder, outcome.seconds)))
                continue
            except Exception:
                error = traceback.format_exc()
        failed.append(f"seed {seed} ({error.strip().splitlines()[-1]}"
                      f"{_keep_error(run_folder, error)})")
    if failed:
        raise RunsFailedError(
            f"{len(failed)} of {config.replicates} runs failed, see FAILED in their folders "
            f"under {folder}: {'; '.join(failed)}"
        )
    return made


def format_summary(summary: dict, folder: Path) -> str:
    """A short table of the end-of-run outcomes for the terminal."""

    def pct(key):
        value = summary[key]
        return "n/a" if value is None else f"{100 * value:5.1f} %"

    rows = [
        ("cars with a legal space (last night)", pct("final_car_coverage")),
        ("car-owning households with a space", pct("final_household_coverage")),
        ("  owners / tenants", f"{pct('final_owner_coverage')} / {pct('final_tenant_coverage')}"),
        ("cars parked illegally (last night)", f"{summary['final_illegal_parking']}"),
        ("usable spaces (last night)", f"{summary['final_usable_spaces']}"),
        ("conflicts / settled by leads (total)",
         f"{summary['total_conflicts']} / {summary['total_mediated']}"),
        ("hotline complaints 12345 (total)", f"{summary['total_complaints']}"),
        ("fee payment rate (last month)", pct("final_fee_payment_rate")),
        ("property firms present", f"{summary['final_firms_present']}"),
        ("mean satisfaction", f"{summary['final_satisfaction']:.3f}"),
        ("support for the proposal", f"{summary['final_support']:.3f}"),
        ("rules adopted", _adoption(summary)),
    ]
    width = max(len(label) for label, _ in rows)
    head = (f"{summary['scenario']} · {summary['allocation']} · seed {summary['seed']} · "
            f"{summary['days']} days · {summary['wall_seconds']:.2f} s")
    lines = [head, "-" * len(head)] + [f"{label:<{width}}  {value}" for label, value in rows]
    lines.append(f"run folder: {folder}")
    return "\n".join(lines)


def _adoption(summary: dict) -> str:
    """When and how the proposal was adopted, for the summary table."""
    rounds, day = summary["rounds"], summary["days_to_consensus"]
    if not summary["has_proposal"]:
        return "nothing to decide (the status quo)"
    if summary["decision"] == "committee_decides" and day is not None:
        return f"imposed by the committee on day {day}"
    if day is not None:
        return f"day {day}, after {rounds} meeting(s) ({summary['decision']})"
    failed = ", ".join(f"{n} on {why}" for why, n in summary["failed_on_counts"].items() if n)
    if summary["gave_up"]:
        return f"not adopted: the committee gave up after {rounds} meeting(s) ({failed})"
    if rounds:
        return f"no consensus within the horizon: {rounds} meeting(s) failed ({failed})"
    return "no consensus within the horizon: no meeting held"


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> list[dict] | float:
    """Hydra entry point: check the config, run every replicate into its folder; print the
    summaries of a single run (a sweep shows its progress instead).

    Returns:
        The summaries of the runs made now or, with an ``objective``, its mean over the job's
        replicates (what an optimising sweeper such as Optuna's asks of a job).
    """
    hydra_config = HydraConfig.get()
    folder = Path(hydra_config.runtime.output_dir)
    single = hydra_config.mode is RunMode.RUN
    config = to_run_config(cfg)
    if config.store.layout is Layout.parts:
        rows = run_parts(config, cfg, folder, named_overrides(hydra_config))
        if single:
            print(f"{len(rows)} runs made now, kept as Parquet parts in {folder}")
        return rows
    made = run_replicates(config, cfg, folder)
    if single:
        print("\n\n".join(format_summary(summary, path) for path, summary in made)
              or f"already complete, not run again: {folder}")
    if config.objective is not None:
        return objective_value(config, folder)
    return [summary for _, summary in made]


def named_overrides(hydra_config) -> dict[str, str]:
    """The job's overrides that name it (as its folder's name): neither ``hydra.*`` nor a key
    of ``hydra.job.config.override_dirname.exclude_keys``."""
    excluded = set(hydra_config.job.config.override_dirname.exclude_keys)
    pairs = (item.split("=", 1) for item in hydra_config.overrides.task)
    return {key: value for key, value in pairs
            if not key.lstrip("+~").startswith("hydra") and key.lstrip("+~") not in excluded}


def objective_value(config: RunConfig, folder: Path) -> float:
    """The mean of the summary number ``config.objective`` over the job's replicates, NaN if
    a replicate has none (a share with nothing to divide)."""
    values = []
    for seed in replicate_seeds(config.seed, config.replicates):
        path = replicate_folder(folder, seed, config.replicates) / "summary.json"
        values.append(json.loads(path.read_text(encoding="utf-8"))[config.objective])
    return math.nan if None in values else math.fsum(values) / len(values)


def cli(argv: list[str]) -> int:
    """``python -m sim.run [--verbose] [hydra flags] [overrides]``; returns the exit status.

    Every override is checked before Hydra composes anything, and a single run's whole config
    before Hydra makes its folder (so ``--cfg job`` never prints a config that would not run).
    A bad input is reported in one line naming the key and the value (status 2), runs that
    failed by their errors (status 1), Ctrl-C by what is kept (status 130). ``--verbose`` or
    ``HYDRA_FULL_ERROR=1`` add the traceback.
    """
    from hydra._internal.utils import get_args_parser

    verbose = "--verbose" in argv or os.environ.get("HYDRA_FULL_ERROR") == "1"
    argv = [arg for arg in argv if arg != "--verbose"]
    parser = get_args_parser()
    parser.error = _refuse_flags
    try:
        args = parser.parse_args(argv)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        check_overrides(args.overrides)
        if not args.multirun:
            to_run_config(compose_config(args.overrides))
        # Hydra reads sys.argv, and raises errors instead of printing them with this variable.
        with mock.patch.object(sys, "argv", [sys.argv[0], *argv]), mock.patch.dict(
                os.environ, HYDRA_FULL_ERROR="1"):
            main()
    except KeyboardInterrupt:
        print("interrupted: finished runs are kept (each with its COMPLETE marker); run the "
              "same command to finish the rest", file=sys.stderr)
        return 130
    except Exception as error:
        if verbose:
            traceback.print_exc()
        if isinstance(error, RunsFailedError | SweepFailedError):
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"error: {describe(error, args.overrides)}", file=sys.stderr)
        return 2
    return 0


def _refuse_flags(message: str) -> None:
    """Report a command-line flag Hydra does not know, in one line (not argparse's usage)."""
    raise ValueError(f"{message} (python -m sim.run --help lists the flags)")


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
