"""Data preparation for the comparison figures and the brief: pure functions from a sweep's
tables to the numbers they show (no drawing here, so every number can be tested exactly).

Every function takes the tables of :func:`sim.collect.collect`: ``runs`` (one row per run,
config columns from ``run`` to ``seed``, then metrics) with the arm columns of
:func:`sim.views.figures.arms.with_arms`, and ``series`` (one row per run and day). Statistics are
taken across the seeds of an arm within a scenario.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.views.figures.labels import DAILY, OUTCOMES, Measure

LEVEL = 0.95
"""Default confidence level of the intervals across seeds."""

ARM_COLUMNS = ["group", "arm", "role"]
DAYS_PER_YEAR = 365
PER = 1000
"""Counts are stated per this many households."""

TRADEOFF = ("final_household_coverage", "gini_access", "complaints_per_1000")
"""Columns of the trade-off view: coverage, inequality, complaints."""
CONSENSUS = "days_to_consensus"
"""The outcome that means something only for runs that deliberated."""


def deliberated(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs that put their proposal to a vote (days to consensus means something only
    there; the committee imposes its rules at once otherwise)."""
    return runs[runs["decision"] != "committee_decides"] if "decision" in runs else runs


def with_rates(runs: pd.DataFrame) -> pd.DataFrame:
    """``runs`` with complaints and conflicts per 1,000 households a year
    (``<count>_per_1000``) where the run has the count, its households and its days."""
    out = runs.copy()
    if "households" not in runs or "days" not in runs:
        return out
    scale = PER * DAYS_PER_YEAR / (runs["households"] * runs["days"])
    for count in ("complaints", "conflicts"):
        if f"total_{count}" in runs:
            out[f"{count}_per_1000"] = runs[f"total_{count}"] * scale
    return out


def with_cumulative_rate(series: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """``series`` with ``complaints_per_1000_to_date``: each run's complaints so far per 1,000
    of its households."""
    households = series["run"].map(runs.set_index("run")["households"])
    running = series.groupby("run", sort=False)["complaints"].cumsum()
    return series.assign(complaints_per_1000_to_date=PER * running / households.to_numpy())


def constant(runs: pd.DataFrame, columns: list[str]) -> dict[str, float]:
    """The columns whose value is the same in every run (missing values included), with it."""
    return {c: runs[c].iloc[0] for c in columns
            if runs[c].nunique(dropna=False) == 1 and pd.notna(runs[c].iloc[0])}


def intervals(frame: pd.DataFrame, keys: list[str], value_columns: list[str],
              level: float = LEVEL) -> pd.DataFrame:
    """Mean and two-sided t confidence interval of each value column across the rows of each
    group of ``keys`` (the seeds), in long format, groups in order of first appearance.

    Missing values are left out; with fewer than two values the interval's ends are NaN.

    Returns:
        Columns ``keys``, measure, n, mean, low, high.
    """
    long = frame.melt(id_vars=keys, value_vars=value_columns, var_name="measure")
    grouped = long.groupby(keys + ["measure"], sort=False)["value"]
    out = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    with np.errstate(invalid="ignore"):
        t = stats.t.ppf(0.5 + level / 2, np.maximum(out["n"] - 1, 0))
    half = np.where(out["n"] >= 2, t * out["sd"] / np.sqrt(out["n"]), np.nan)
    return out.assign(low=out["mean"] - half, high=out["mean"] + half).drop(columns="sd")


def clipped(table: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """``table`` with its interval ends clipped to the range the measure can take."""
    return table.assign(low=table["low"].clip(measure.low, measure.high),
                        high=table["high"].clip(measure.low, measure.high))


def outcome_intervals(runs: pd.DataFrame, outcomes: list[str],
                      level: float = LEVEL) -> pd.DataFrame:
    """Each outcome's mean and confidence interval across seeds, per scenario and arm, clipped
    to the outcome's range.

    Returns:
        Columns scenario, group, arm, role, outcome, n, mean, low, high.
    """
    out = intervals(runs, ["scenario", *ARM_COLUMNS], outcomes, level)
    out = out.rename(columns={"measure": "outcome"})
    parts = [clipped(rows, OUTCOMES[name]) if name in OUTCOMES else rows
             for name, rows in out.groupby("outcome", sort=False)]
    rank = {name: i for i, name in enumerate(outcomes)}
    out = pd.concat(parts).sort_values("outcome", key=lambda s: s.map(rank), kind="stable")
    return out.reset_index(drop=True)[
        ["scenario", *ARM_COLUMNS, "outcome", "n", "mean", "low", "high"]]


def goodness(values: pd.Series, better: str) -> pd.Series:
    """Larger is better: the values turned so that sorting descending puts the best first."""
    return {"up": values, "down": -values, "zero": -values.abs()}.get(better, values)


def arm_order(table: pd.DataFrame, better: str) -> list[tuple[str, str]]:
    """``(group, arm)`` pairs, groups in order of first appearance with the baseline's group
    first, arms within a group best first by their mean over scenarios.

    Args:
        table: rows with group, arm, role and mean (one per scenario and arm).
        better: the measure's direction (:attr:`Measure.better`).
    """
    means = table.groupby(["group", "arm"], sort=False).agg(
        mean=("mean", "mean"), baseline=("role", lambda r: (r == "baseline").any()))
    means["score"] = goodness(means["mean"], better)
    groups = list(dict.fromkeys(table["group"]))
    first = means[means["baseline"]].index.get_level_values("group")
    groups.sort(key=lambda g: g not in set(first))
    order = []
    for group in groups:
        rows = means.xs(group, level="group").sort_values("score", ascending=False, kind="stable")
        order += [(group, arm) for arm in rows.index]
    return order


def trajectory_bands(series: pd.DataFrame, runs: pd.DataFrame, measures: list[str],
                     level: float = LEVEL) -> pd.DataFrame:
    """Each daily measure's mean and confidence band across seeds, per scenario, arm and day.

    Returns:
        Columns scenario, group, arm, role, day, measure, n, mean, low, high.
    """
    frame = series.merge(runs[["run", "scenario", *ARM_COLUMNS]], on="run", how="inner",
                         validate="many_to_one")
    out = intervals(frame, ["scenario", *ARM_COLUMNS, "day"], measures, level)
    parts = [clipped(rows, OUTCOMES.get(name) or DAILY[name])
             for name, rows in out.groupby("measure", sort=False)]
    return pd.concat(parts)[["scenario", *ARM_COLUMNS, "day", "measure", "n", "mean", "low",
                             "high"]]


def highlighted(table: pd.DataFrame, better: str) -> list[tuple[str, str]]:
    """The ``(group, arm)`` pairs worth a line of their own: the marked arms, then the best
    and the worst."""
    means = table.groupby(["group", "arm"], sort=False)["mean"].mean()
    ranked = goodness(means, better).sort_values(ascending=False, kind="stable").index
    marked = table.loc[table["role"] != "", ["group", "arm"]].itertuples(index=False, name=None)
    return list(dict.fromkeys([*marked, ranked[0], ranked[-1]]))


def tradeoff_points(runs: pd.DataFrame, coverage: str, inequality: str,
                    complaints: str) -> pd.DataFrame:
    """One point per scenario and arm: mean coverage, mean fairness (1 − the inequality
    measure, so that up and right are better), mean complaints across seeds, and whether no
    other arm of the scenario is at least as good on both axes and better on one (``front``)."""
    frame = runs.assign(fairness=1.0 - runs[inequality])
    means = frame.groupby(["scenario", *ARM_COLUMNS], sort=False)[
        [coverage, "fairness", complaints]].mean()
    points = means.reset_index().rename(columns={coverage: "coverage", complaints: "complaints"})
    front = []
    for _, rows in points.groupby("scenario", sort=False):
        x, y = rows["coverage"].to_numpy(), rows["fairness"].to_numpy()
        dominated = ((x[None, :] >= x[:, None]) & (y[None, :] >= y[:, None])
                     & ((x[None, :] > x[:, None]) | (y[None, :] > y[:, None]))).any(axis=1)
        front += list(~dominated)
    return points.assign(front=front)


def consensus(runs: pd.DataFrame, column: str = "days_to_consensus",
              level: float = LEVEL) -> pd.DataFrame:
    """Consensus per scenario and arm: the share of runs that reached it (with a Wilson
    interval) and the days of those that did. A missing value means no consensus.

    Returns:
        Columns scenario, group, arm, role, runs, reached, share, low, high, days (sorted list).
    """
    grouped = runs.groupby(["scenario", *ARM_COLUMNS], sort=False)[column]
    out = grouped.agg(runs="size", reached=lambda s: int(s.notna().sum()),
                      days=lambda s: sorted(s.dropna().tolist())).reset_index()
    low, high = wilson(out["reached"].to_numpy(), out["runs"].to_numpy(), level)
    out = out.assign(share=out["reached"] / out["runs"], low=low, high=high)
    return out[["scenario", *ARM_COLUMNS, "runs", "reached", "share", "low", "high", "days"]]


def wilson(successes: np.ndarray, trials: np.ndarray, level: float = LEVEL
           ) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial share (stays inside [0, 1], sensible at 0 and n)."""
    z = stats.norm.ppf(0.5 + level / 2)
    n = np.asarray(trials, dtype=float)
    p = np.asarray(successes, dtype=float) / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def paired_differences(runs: pd.DataFrame, outcomes: list[str], level: float = LEVEL,
                       reference: str = "baseline") -> pd.DataFrame:
    """Each arm minus the arm of role ``reference`` (``baseline`` or ``package``), seed by seed
    (the same seed gives the same households and network under every rule: common random
    numbers), with the mean difference's t interval; NaN where the sweep has no such arm.

    Returns:
        Columns scenario, group, arm, role, outcome, n, mean, low, high (of the differences).
    """
    base = runs[runs["role"] == reference].set_index(["scenario", "seed"])[outcomes]
    others = runs.set_index(["scenario", "seed"])
    joined = others[outcomes].sub(base.reindex(others.index))
    frame = pd.concat([others[ARM_COLUMNS], joined], axis=1).reset_index()
    out = intervals(frame, ["scenario", *ARM_COLUMNS], outcomes, level)
    return out.rename(columns={"measure": "outcome"})
