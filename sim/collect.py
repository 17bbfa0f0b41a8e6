"""``python -m sim.collect results/<sweep>``: a sweep's run folders → one tidy table.

Writes ``runs.parquet`` and ``runs.csv`` into the sweep folder: one row per complete run, in the
sweep's order. Config columns come first: ``run`` (its folder), ``scenario``, one column per
rule group (the rule's name; several rules, e.g. supply measures, joined by ``+``), one per
other swept key (``package``, ``scenario.lead_share``, ...) and ``seed``; then every scalar of
the run's ``summary.json`` — its outcomes and its provenance (``config_hash``, ``git_commit``,
``git_dirty``) — and one ``versions.<package>`` column per package version. ``series=true``
also writes ``series.parquet``: the daily measures of every run as one long table keyed by
``run`` and ``day``.

The sweep may come from this project's sweeper (its manifest lists every run) or from any
other Hydra sweeper (``hydra/sweeper=basic``, ``optuna``: the runs of its job folders). Runs
that are not complete (failed, interrupted, not run yet) or whose files no longer match the
checksums in their completion marker (corrupt) are listed by folder and left out, never mixed
in. A folder that is not a sweep is an error (exit status 2).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import yaml
from pyarrow import csv

from sim.cli import settings_parser
from sim.output import write_atomic, write_parquet
from sim.parts import read_parts
from sim.sweep import NotASweepError, Run, read_runs, run_states

LISTED = 20
"""Incomplete runs listed by name before the rest are only counted."""


@dataclass
class Collected:
    """A sweep's tables.

    Attributes:
        runs: one row per complete run (config columns, then summary metrics).
        series: one row per complete run and day, or None if not asked for.
        incomplete: the runs left out, as ``(run, state, reason)``.
    """

    runs: pd.DataFrame
    series: pd.DataFrame | None
    incomplete: list[tuple[Run, str, str]] = field(default_factory=list)


def config_columns(config: dict, overrides: dict[str, str]) -> dict:
    """A run's config columns: scenario, each rule group, each other swept key, seed.

    Args:
        config: the run's resolved config (its ``config.yaml``).
        overrides: the overrides that made it (from the manifest).
    """
    columns = {"scenario": config["scenario"]["name"]}
    for key, node in config.items():
        if key == "scenario" or not isinstance(node, dict):
            continue
        if "name" in node:
            columns[key] = node["name"]
        elif all(isinstance(rule, dict) and "name" in rule for rule in node.values()):
            columns[key] = "+".join(rule["name"] for rule in node.values()) or "none"
    for key, value in overrides.items():
        key = key.lstrip("+~")
        if key not in columns and key != "seed":
            columns[key] = _lookup(config, key, value)
    columns["seed"] = config["seed"]
    return columns


def _lookup(config: dict, key: str, written: str):
    """The value of dotted ``key`` in ``config`` if it is a plain value there, else the
    override as written (e.g. ``package=xiaonanzhuang_2024`` selects a group that is no node)."""
    node = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return written
        node = node[part]
    return written if isinstance(node, dict | list) else node


def read_run(folder: Path) -> tuple[dict, dict]:
    """A complete run's resolved config and summary."""
    config = yaml.load((folder / "config.yaml").read_text(encoding="utf-8"), yaml.CSafeLoader)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return config, summary


def collect(sweep_dir: Path, series: bool = False) -> Collected:
    """Read every complete run of a sweep, kept as run folders or as Parquet parts
    (:mod:`sim.parts`), into tables in the sweep's order.

    Raises:
        NotASweepError: if ``sweep_dir`` is not a sweep folder.
    """
    sweep_dir = Path(sweep_dir)
    runs = read_runs(sweep_dir)
    states = run_states(sweep_dir, runs)
    incomplete = [(run, state, reason) for run, (state, reason) in zip(runs, states, strict=True)
                  if state != "complete"]
    complete = [run for run, (state, _) in zip(runs, states, strict=True) if state == "complete"]
    jobs = [sweep_dir / job for job in dict.fromkeys(run.path.split("/")[0] for run in complete)]
    parted = read_parts(jobs)
    in_parts = set() if parted is None else set(parted["run"])
    folders = [run for run in complete if run.path not in in_parts]
    tables = [table for table in (parted, _folder_rows(sweep_dir, folders)) if table is not None]
    order = {run.path: i for i, run in enumerate(complete)}
    table = _in_order(pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(), order)
    daily = None
    if series:
        parts_series = read_parts(jobs, "series")
        frames = [parts_series] if parts_series is not None else []
        frames += [_series(sweep_dir, run) for run in folders]
        daily = _in_order(pd.concat(frames, ignore_index=True), order) if frames else None
    return Collected(table, daily, incomplete)


def _in_order(table: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """The rows of complete runs (others dropped), in the sweep's order (stable within a run)."""
    if table.empty:
        return table
    rank = table["run"].map(order)
    return table[rank.notna()].iloc[rank.dropna().argsort(kind="stable")].reset_index(drop=True)


def _folder_rows(sweep_dir: Path, runs: list[Run]) -> pd.DataFrame | None:
    """One row per complete run folder: config columns, summary scalars, versions."""
    rows = []
    for run in runs:
        config, summary = read_run(sweep_dir / run.path)
        columns = {"run": run.path, **config_columns(config, run.overrides)}
        metrics = {key: value for key, value in summary.items()
                   if key not in columns and not isinstance(value, dict | list)}
        versions = {f"versions.{name}": value
                    for name, value in summary.get("versions", {}).items()}
        rows.append({**columns, **metrics, **versions})
    return pd.DataFrame(rows) if rows else None


def _series(sweep_dir: Path, run: Run) -> pd.DataFrame:
    """A run folder's daily table keyed by its run."""
    table = pd.read_parquet(sweep_dir / run.path / "timeseries.parquet")
    return table.assign(run=run.path)[["run", *table.columns]]


def describe_incomplete(incomplete: list[tuple[Run, str, str]], total: int) -> str:
    """A few lines naming the runs left out and why."""
    lines = [f"{len(incomplete)} of {total} runs are not complete and are left out:"]
    for run, state, reason in incomplete[:LISTED]:
        lines.append(f"  {run.path}: {state}" + (f" ({reason})" if reason else ""))
    if len(incomplete) > LISTED:
        lines.append(f"  ... and {len(incomplete) - LISTED} more")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Collect a sweep into ``runs.parquet`` / ``runs.csv`` (and ``series.parquet``)."""
    parse = settings_parser(__doc__.splitlines()[0], {"series": ("false", "true")})
    sweep, settings = parse(argv)
    try:
        tables = collect(Path(sweep), series=settings["series"] == "true")
    except NotASweepError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    total = len(tables.runs) + len(tables.incomplete)
    if tables.incomplete:
        print(describe_incomplete(tables.incomplete, total), file=sys.stderr)
    if tables.runs.empty:
        print(f"error: {sweep} has no complete run yet; nothing written", file=sys.stderr)
        return 1
    out = Path(sweep)
    write_parquet(out / "runs.parquet", tables.runs)
    write_atomic(out / "runs.csv", lambda tmp: csv.write_csv(
        pa.Table.from_pandas(tables.runs, preserve_index=False), tmp))  # 10× pandas' to_csv
    written = ["runs.parquet", "runs.csv"]
    if tables.series is not None:
        write_parquet(out / "series.parquet", tables.series)
        written.append("series.parquet")
    print(f"{len(tables.runs)} of {total} runs -> {', '.join(str(out / n) for n in written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
