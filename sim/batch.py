"""A job's runs written as Parquet parts (``store.layout=parts``, :mod:`sim.parts`).

A job runs its replicate seeds: in a district study each seed for each community of its
block (:mod:`sim.estate.district`), in a packed design each seed for each point of its block
(:mod:`sim.points`), in lockstep groups (:mod:`sim.lockstep`) with the same bytes as
separate runs. Each run becomes one row: the job's config columns (as :mod:`sim.collect`
makes them for run folders; a design point's values and ``sample`` among them), the community
and its drawn attributes, every scalar of the run's summary, its timing, and the job's
provenance. A run already held by a
sound part is skipped (resume); a run that raises has its traceback recorded and the others go
on; the runs finished so far are written when the job is interrupted (those of the lockstep
group in progress run again on resume).
"""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import threading
import time
import traceback
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from sim import points
from sim.collect import config_columns
from sim.compose import to_run_config
from sim.config import RunConfig, check_fields
from sim.estate import district
from sim.lockstep import Outcome, simulate_all
from sim.parts import PartWriter, job_states
from sim.provenance import config_hash, package_versions, source_state
from sim.sweep import RunsFailedError, run_keys


def job_columns(cfg: DictConfig, overrides: dict[str, str]) -> dict:
    """The columns every run of the job shares: config columns, length and provenance."""
    columns = config_columns(OmegaConf.to_container(cfg, resolve=True, enum_to_str=True),
                             overrides)
    columns.pop("seed")
    versions = {f"versions.{name}": value for name, value in package_versions().items()}
    return {**columns, "days": cfg.days, "config_hash": config_hash(cfg), **source_state(),
            **versions}


def job_points(config: RunConfig, cfg: DictConfig, overrides: dict[str, str]
               ) -> list[tuple[str | None, RunConfig, dict]]:
    """The points a job runs as ``(sample, config, columns)``: its own config, or each point
    of its block of a design (:mod:`sim.points`), with the point's values and ``sample`` among
    its columns."""
    if config.design.file is None:
        return [(None, config, job_columns(cfg, overrides))]
    named = {key: value for key, value in overrides.items()
             if not key.lstrip("+~").startswith("design.")}
    found = []
    for sample, values in points.block_points(points.read_points(config.design.file),
                                              config.design.block, config.design.blocks):
        point = points.apply_point(cfg, values)
        found.append((sample, to_run_config(point),
                      job_columns(point, {**named, "sample": sample, **values})))
    return found


def run_config(config: RunConfig, key: str, seed: int, community: int | None, job: str
               ) -> tuple[RunConfig, dict]:
    """One run's config (a district community's drawn scenario and seed in it) and the
    columns that name it: ``run`` and, in a district, the community and its attributes."""
    identity = {"run": f"{job}/{key}"}
    if community is not None:
        attributes = district.draw(config.district, community)
        scenario = district.scenario(config.district, community, config.scenario, attributes)
        check_fields(scenario, "scenario")
        config = dataclasses.replace(config, scenario=scenario,
                                     seed=district.community_seed(seed, community))
        identity |= {"community": community, **attributes}
    else:
        config = dataclasses.replace(config, seed=seed)
    return dataclasses.replace(config, replicates=1), identity


def run_row(outcome: Outcome, identity: dict, columns: dict, seed: int, series: bool):
    """A simulated run's row and, if asked, its daily series; its times are its share of its
    lockstep group's (:class:`sim.lockstep.Outcome`) and the summary's own."""
    start, cpu = time.perf_counter(), time.process_time()
    model = outcome.model
    summary = {name: value for name, value in model.summary().items()
               if not isinstance(value, dict | list)}
    row = {**identity, **columns, "scenario": model.config.scenario.name, "seed": seed,
           "model_seed": model.config.seed, **summary, "model_seconds": outcome.seconds}
    daily = None
    if series:
        table = model.timeseries()
        daily = table.assign(run=row["run"])[["run", *table.columns]]
    row["wall_seconds"] = outcome.seconds + time.perf_counter() - start
    # this process's CPU: comparable under load
    row["cpu_seconds"] = outcome.cpu_seconds + time.process_time() - cpu
    return row, daily


@contextlib.contextmanager
def sigterm_as_exit():
    """Within the block, SIGTERM (Slurm's cancel and time limit, a plain ``kill``) raises
    ``SystemExit`` as Ctrl-C raises ``KeyboardInterrupt``, so ``finally`` clauses write the
    finished runs first. Signals can be handled in the main thread only; elsewhere (a Ray
    worker's thread) the block runs unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def run_parts(config: RunConfig, cfg: DictConfig, folder: Path,
              overrides: dict[str, str]) -> list[dict]:
    """Run a job's runs that no sound part holds yet and write them as parts.

    Args:
        config: the job's checked config.
        cfg: the same, as composed (for the config columns and the config hash).
        folder: the job folder.
        overrides: the job's named overrides (its swept keys).

    Returns:
        The rows of the runs made now.

    Raises:
        RunsFailedError: after the other runs, if any run raised.
    """
    folder = Path(folder)
    done = {key for key, (state, _) in job_states(folder).items() if state == "complete"}
    d = config.district
    communities = None if d is None else district.block_members(d.communities, d.block,
                                                                 d.blocks)
    writer = PartWriter(folder, config.store.flush_seconds)
    made, failed = [], []

    def fail(key: str, error: str) -> None:
        writer.fail(key, error)
        failed.append(f"{key} ({error.strip().splitlines()[-1]})")

    with sigterm_as_exit():
        try:
            planned = []
            for sample, point, columns in job_points(config, cfg, overrides):
                for key, seed, community in run_keys(config.seed, config.replicates,
                                                     communities, sample):
                    if key in done:
                        continue
                    try:
                        run, identity = run_config(point, key, seed, community, folder.name)
                    except Exception:
                        fail(key, traceback.format_exc())
                        continue
                    planned.append((key, seed, columns, run, identity))
            outcomes = simulate_all(run for *_, run, _ in planned)
            for (key, seed, columns, _, identity), outcome in zip(planned, outcomes,
                                                                    strict=True):
                if outcome.error is not None:
                    fail(key, outcome.error)
                    continue
                try:
                    row, daily = run_row(outcome, identity, columns, seed, config.store.series)
                except Exception:
                    fail(key, traceback.format_exc())
                    continue
                writer.add(key, row, daily)
                made.append(row)
        finally:
            writer.flush()
    if failed:
        raise RunsFailedError(f"{len(failed)} runs failed, see the records (part-*.json) in "
                              f"{folder}: {'; '.join(failed[:5])}")
    return made
