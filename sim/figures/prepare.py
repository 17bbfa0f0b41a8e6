"""Data preparation for the comparison figures: pure functions from a sweep's tables to the
numbers each figure shows (no drawing here, so every number can be tested exactly).

Every function takes the tables of :func:`sim.collect.collect`: ``runs`` (one row per run,
config columns from ``run`` to ``seed``, then metrics) and ``series`` (one row per run and day).
A policy *arm* is one combination of the swept config values other than scenario and seed;
statistics are taken across the seeds of an arm within a scenario.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats

LEVEL = 0.95
"""Confidence level of the intervals across seeds."""

KEYS = ["scenario", "arm"]


def config_columns(runs: pd.DataFrame) -> list[str]:
    """The config columns of a runs table: from ``run`` to ``seed`` (collect puts them first)."""
    return list(runs.columns[: runs.columns.get_loc("seed") + 1])


def arm_columns(runs: pd.DataFrame) -> list[str]:
    """Config columns that define the arms: those that vary across runs (not scenario, seed,
    run), less those the others already determine (e.g. the pricing rule a package brings),
    tried in table order so that a swept key such as ``package`` is the one kept."""
    columns = [
        column for column in config_columns(runs)
        if column not in ("run", "scenario", "seed") and runs[column].nunique(dropna=False) > 1
    ]
    arms = len(runs[columns].drop_duplicates())
    for column in list(columns):
        rest = [c for c in columns if c != column]
        if rest and len(runs[rest].drop_duplicates()) == arms:
            columns = rest
    return columns


def plain(column: str, value) -> str:
    """An arm part: a name as is, a number as ``column=value``."""
    return value if isinstance(value, str) else f"{column}={value:g}"


def with_arms(runs: pd.DataFrame, describe: Callable[[str, object], str] = plain) -> pd.DataFrame:
    """``runs`` with an ``arm`` column: its arm's parts joined by `` · `` (``"all runs"`` when
    nothing but scenario and seed varies). ``describe(column, value)`` words each part."""
    columns = arm_columns(runs)
    if not columns:
        return runs.assign(arm="all runs")
    arm = [" · ".join(describe(c, v) for c, v in zip(columns, values, strict=True))
           for values in runs[columns].itertuples(index=False)]
    return runs.assign(arm=arm)


def intervals(frame: pd.DataFrame, keys: list[str], value_columns: list[str]) -> pd.DataFrame:
    """Mean and two-sided t confidence interval (:data:`LEVEL`) of each value column across
    the rows of each group of ``keys`` (the seeds), in long format, groups in order of first
    appearance.

    Missing values are left out; with fewer than two values the interval's ends are NaN.

    Returns:
        Columns ``keys``, measure, n, mean, low, high.
    """
    long = frame.melt(id_vars=keys, value_vars=value_columns, var_name="measure")
    grouped = long.groupby(keys + ["measure"], sort=False)["value"]
    out = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    with np.errstate(invalid="ignore"):
        t = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(out["n"] - 1, 0))
    half = np.where(out["n"] >= 2, t * out["sd"] / np.sqrt(out["n"]), np.nan)
    return out.assign(low=out["mean"] - half, high=out["mean"] + half).drop(columns="sd")


def outcome_intervals(runs: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Each outcome's mean and confidence interval across seeds, per scenario and arm.

    Args:
        runs: the runs table with an ``arm`` column (:func:`with_arms`).
        outcomes: metric columns, in the order to show them.

    Returns:
        Columns scenario, arm, outcome, n, mean, low, high.
    """
    out = intervals(runs, KEYS, outcomes).rename(columns={"measure": "outcome"})
    rank = {name: i for i, name in enumerate(outcomes)}
    out = out.sort_values("outcome", key=lambda s: s.map(rank), kind="stable")
    return out.reset_index(drop=True)[["scenario", "arm", "outcome", "n", "mean", "low", "high"]]


def with_cumulative(series: pd.DataFrame, column: str) -> pd.DataFrame:
    """``series`` with ``<column>_to_date``: the running total of a daily count per run."""
    running = series.groupby("run", sort=False)[column].cumsum()
    return series.assign(**{f"{column}_to_date": running})


def trajectory_bands(series: pd.DataFrame, runs: pd.DataFrame,
                     measures: list[str]) -> pd.DataFrame:
    """Each daily measure's mean and confidence band across seeds, per scenario, arm and day.

    Args:
        series: the daily table (``run``, ``day``, measures).
        runs: the runs table with an ``arm`` column, for each run's scenario and arm.
        measures: daily columns to show.

    Returns:
        Columns scenario, arm, day, measure, n, mean, low, high.
    """
    frame = series.merge(runs[["run", *KEYS]], on="run", how="inner", validate="many_to_one")
    out = intervals(frame, KEYS + ["day"], measures)
    return out[["scenario", "arm", "day", "measure", "n", "mean", "low", "high"]]


def tradeoff_points(runs: pd.DataFrame, coverage: str, inequality: str,
                    complaints: str) -> pd.DataFrame:
    """One point per scenario and arm: mean coverage, mean fairness (1 − the inequality
    measure, so that up and right are better) and mean complaints across seeds."""
    frame = runs.assign(fairness=1.0 - runs[inequality])
    means = frame.groupby(KEYS, sort=False)[[coverage, "fairness", complaints]].mean()
    return means.reset_index().rename(columns={coverage: "coverage", complaints: "complaints"})


def consensus_days(runs: pd.DataFrame, column: str) -> pd.DataFrame:
    """Days to consensus per scenario and arm: the days of the runs that reached it and how
    many did not (a missing value means no consensus within the run).

    Returns:
        Columns scenario, arm, days (a list, sorted), reached, not_reached.
    """
    grouped = runs.groupby(KEYS, sort=False)[column]
    out = grouped.agg(
        days=lambda s: sorted(s.dropna().tolist()),
        reached=lambda s: int(s.notna().sum()),
        not_reached=lambda s: int(s.isna().sum()),
    )
    return out.reset_index()
