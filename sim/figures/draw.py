"""Drawing the comparison figures from prepared tables (:mod:`sim.figures.prepare`).

Each function takes the numbers to show and the words to show them with, and returns a
matplotlib ``Figure`` (object interface, no global pyplot state); :func:`save` writes it as PNG
and SVG. Arms keep the sweep's order.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from sim.output import write_atomic

FORMATS = ("png", "svg")
DPI = 150
SVG_SALT = "shangliang"
"""Fixed seed of the SVG element ids, so the same figure gives the same file."""

RC = {"svg.hashsalt": SVG_SALT, "font.size": 9, "axes.spines.top": False,
      "axes.spines.right": False}
"""matplotlib settings for every figure (see :func:`rc`)."""


def rc(font_family: str | None) -> dict:
    """matplotlib settings for the figures, with ``font_family`` first if given."""
    return RC | ({"font.family": [font_family, "DejaVu Sans"]} if font_family else {})


def _arms(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame["arm"]))


def _colours(count: int) -> list:
    cmap = colormaps["tab10" if count <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(count)]


def _panels(scenarios: list[str], height: float, width: float = 5.0,
            sharey: bool = True) -> tuple[Figure, list]:
    figure = Figure(figsize=(width * len(scenarios), height), layout="constrained")
    axes = figure.subplots(1, len(scenarios), sharey=sharey, squeeze=False)[0]
    return figure, list(axes)


def outcome_figure(intervals: pd.DataFrame, title: str, note: str, scenario_names: dict,
                   share: bool) -> Figure:
    """One outcome by arm: mean and confidence interval across seeds, one panel per scenario.

    Args:
        intervals: rows of :func:`~sim.figures.prepare.outcome_intervals` for one outcome.
        title: the outcome's name; note: what the whiskers are.
        scenario_names: panel titles by scenario.
        share: True to show values as percentages.
    """
    arms = _arms(intervals)
    scenarios = list(dict.fromkeys(intervals["scenario"]))
    figure, axes = _panels(scenarios, 1.2 + 0.32 * len(arms))
    y = {arm: i for i, arm in enumerate(arms)}
    for ax, scenario in zip(axes, scenarios, strict=True):
        rows = intervals[intervals["scenario"] == scenario]
        pos = rows["arm"].map(y).to_numpy()
        error = np.vstack([rows["mean"] - rows["low"], rows["high"] - rows["mean"]])
        ax.errorbar(rows["mean"], pos, xerr=np.nan_to_num(error), fmt="o", color="C0",
                    ecolor="C0", capsize=3, markersize=4)
        ax.set_yticks(range(len(arms)), arms)
        ax.set_ylim(len(arms) - 0.5, -0.5)
        ax.set_title(scenario_names[scenario])
        ax.grid(axis="x", alpha=0.3)
        if share:
            ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    figure.suptitle(title, fontweight="bold")
    figure.supxlabel(note, fontsize=8, color="0.35")
    return figure


def trajectory_figure(bands: pd.DataFrame, title: str, note: str, day_label: str,
                      scenario_names: dict, share: bool) -> Figure:
    """One daily measure over time as small multiples: one panel per arm (shared axes), a
    mean line and confidence band per scenario, so that any number of arms stays readable.

    Args:
        bands: rows of :func:`~sim.figures.prepare.trajectory_bands` for one measure.
    """
    arms = _arms(bands)
    scenarios = list(dict.fromkeys(bands["scenario"]))
    columns = min(len(arms), 4)
    rows_count = -(-len(arms) // columns)
    figure = Figure(figsize=(3.2 * columns, 2.3 * rows_count + 1.2), layout="constrained")
    axes = figure.subplots(rows_count, columns, sharex=True, sharey=True, squeeze=False).ravel()
    colours = dict(zip(scenarios, _colours(len(scenarios)), strict=True))
    for i, (ax, arm) in enumerate(zip(axes, arms, strict=False)):
        for scenario, rows in bands[bands["arm"] == arm].groupby("scenario", sort=False):
            ax.plot(rows["day"], rows["mean"], color=colours[scenario], linewidth=1.2,
                    label=scenario_names[scenario])
            ax.fill_between(rows["day"], rows["low"], rows["high"], color=colours[scenario],
                            alpha=0.25, linewidth=0)
        ax.set_title(textwrap.fill(arm, 34), fontsize=7)
        if i + columns >= len(arms):  # no panel below
            ax.set_xlabel(day_label)
        ax.grid(alpha=0.3)
        if share:
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    for ax in axes[len(arms):]:
        ax.set_visible(False)
    figure.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
                  ncols=len(scenarios), fontsize=8, frameon=False, title=note, title_fontsize=8)
    figure.suptitle(title, fontweight="bold")
    return figure


def tradeoff_figure(points: pd.DataFrame, words: dict, scenario_names: dict) -> Figure:
    """Coverage (x) against fairness (y), colour = complaints, one numbered point per arm, one
    panel per scenario; the key below names the arms.

    Args:
        points: :func:`~sim.figures.prepare.tradeoff_points`.
        words: ``title``, ``coverage``, ``fairness``, ``complaints`` labels.
    """
    arms = _arms(points)
    number = {arm: i + 1 for i, arm in enumerate(arms)}
    scenarios = list(dict.fromkeys(points["scenario"]))
    figure, axes = _panels(scenarios, 4.2 + 0.18 * len(arms), width=5.0, sharey=False)
    norm = Normalize(points["complaints"].min(), points["complaints"].max())
    for ax, scenario in zip(axes, scenarios, strict=True):
        rows = points[points["scenario"] == scenario]
        dots = ax.scatter(rows["coverage"], rows["fairness"], c=rows["complaints"],
                          cmap="viridis_r", norm=norm, s=40, edgecolors="0.2", linewidths=0.5)
        for row in rows.itertuples():
            ax.annotate(str(number[row.arm]), (row.coverage, row.fairness), xytext=(4, 3),
                        textcoords="offset points", fontsize=7, color="0.25")
        ax.set_title(scenario_names[scenario])
        ax.set_xlabel(words["coverage"])
        ax.set_ylabel(words["fairness"])
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.margins(0.1)
        ax.grid(alpha=0.3)
    figure.colorbar(dots, ax=axes, label=words["complaints"], shrink=0.9)
    key = [Line2D([], [], linestyle="none") for _ in arms]
    figure.legend(key, [f"{number[arm]}  {arm}" for arm in arms], loc="outside lower left",
                  ncols=1 if len(arms) <= 12 else 2, fontsize=7, frameon=False,
                  handlelength=0, handletextpad=0)
    figure.suptitle(words["title"], fontweight="bold")
    return figure


def consensus_figure(days: pd.DataFrame, title: str, not_reached: str,
                     scenario_names: dict) -> Figure:
    """Distribution of days to consensus per arm (box and points), one panel per scenario;
    runs without consensus are counted beside each box.

    Args:
        days: :func:`~sim.figures.prepare.consensus_days`.
    """
    arms = _arms(days)
    scenarios = list(dict.fromkeys(days["scenario"]))
    figure, axes = _panels(scenarios, 1.2 + 0.32 * len(arms))
    y = {arm: i for i, arm in enumerate(arms)}
    for ax, scenario in zip(axes, scenarios, strict=True):
        for row in days[days["scenario"] == scenario].itertuples():
            i = y[row.arm]
            if row.days:
                ax.boxplot([row.days], positions=[i], orientation="horizontal", widths=0.5,
                           showfliers=False, medianprops={"color": "C1"})
                ax.scatter(row.days, i + np.linspace(-0.15, 0.15, len(row.days)), s=6,
                           color="C0", alpha=0.6)
            if row.not_reached:
                ax.annotate(f"× {row.not_reached} {not_reached}", (1.0, i),
                            xycoords=("axes fraction", "data"), ha="right", va="center",
                            fontsize=7, color="C3")
        ax.set_yticks(range(len(arms)), arms)
        ax.set_ylim(len(arms) - 0.5, -0.5)
        ax.set_title(scenario_names[scenario])
        ax.grid(axis="x", alpha=0.3)
    figure.suptitle(title, fontweight="bold")
    return figure


def save(figure: Figure, folder: Path, name: str) -> list[Path]:
    """Write ``figure`` as ``<name>.png`` and ``<name>.svg`` in ``folder``, atomically.

    Without a date in the metadata, the same figure gives the same bytes.
    """
    paths = []
    for fmt in FORMATS:
        path = Path(folder) / f"{name}.{fmt}"
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        write_atomic(path, lambda tmp, fmt=fmt, metadata=metadata: figure.savefig(
            tmp, format=fmt, dpi=DPI, metadata=metadata))
        paths.append(path)
    return paths
