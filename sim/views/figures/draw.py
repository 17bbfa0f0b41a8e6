"""Drawing the comparison figures from prepared tables (:mod:`sim.views.figures.prepare`).

Each function takes the numbers to show and the language to word them in, and returns a
matplotlib ``Figure`` (object interface, no global pyplot state); :func:`save` writes it as PNG
and SVG. Colours are the Okabe–Ito palette (safe for colour-blind readers), always paired with
a distinct marker or line style; the baseline and the article's package are marked the same
way in every figure.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from adjustText import adjust_text
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sim.output import write_atomic
from sim.views.figures import prepare
from sim.views.figures.fonts import families
from sim.views.figures.labels import TEXT, Measure, word

FORMATS = ("png", "svg")
DPI = 150
SVG_SALT = "shangliang"
"""Fixed seed of the SVG element ids, so the same figure gives the same file."""

OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
             "purple": "#CC79A7"}
SERIES = [(OKABE_ITO[c], m, s) for c, m, s in (
    ("blue", "o", "-"), ("orange", "s", "--"), ("green", "^", "-."), ("purple", "D", ":"),
    ("sky", "v", "-"), ("vermillion", "P", "--"), ("black", "X", "-."), ("yellow", "*", ":"))]
"""(colour, marker, line style) for the n-th line of a figure: every line differs in all three."""

ROLES = {"baseline": (OKABE_ITO["black"], "s"), "package": (OKABE_ITO["vermillion"], "D"),
         "": (OKABE_ITO["blue"], "o")}
"""(colour, marker) of an arm by its role."""

WRAP = 46
"""Characters per line of an arm's name."""


def rc(cjk: str | None) -> dict:
    """matplotlib settings for every figure: Latin in DejaVu Sans, Chinese in ``cjk``."""
    return {"svg.hashsalt": SVG_SALT, "font.size": 9, "axes.spines.top": False,
            "axes.spines.right": False, "font.family": families(cjk)}


def formatter(measure: Measure):
    """Tick labels for a measure: shares in %, differences of shares in signed percentage
    points (the measure's name says so)."""
    if measure.unit == "share":
        return PercentFormatter(1.0, decimals=0)
    if measure.unit == "pp":
        return FuncFormatter(lambda v, _: f"{100 * v:+.0f}")
    return None


def arm_label(arm: str, role: str, lang: str) -> str:
    """An arm's name, wrapped, with its role named (e.g. "baseline: status quo")."""
    text = textwrap.fill(arm, WRAP)
    return f"{text}\n[{word(TEXT, role, lang)}]" if role else text


def _rows(order: list[tuple[str, str]]) -> list[tuple[int, str, tuple[str, str] | None]]:
    """Vertical places, top to bottom: a header row per group (when arms are grouped), then
    its arms, as ``(y, text, (group, arm) or None for a header)``."""
    rows, seen = [], set()
    for group, arm in order:
        if group and group not in seen:
            seen.add(group)
            rows.append((len(rows), group, None))
        rows.append((len(rows), arm, (group, arm)))
    return rows


def _panels(count: int, height: float, width: float = 4.4) -> tuple[Figure, list]:
    figure = Figure(figsize=(2.9 + width * count, height), layout="constrained")
    axes = figure.subplots(1, count, sharey=True, squeeze=False)[0]
    return figure, list(axes)


def grid(count: int, columns: int, panel_width: float, panel_height: float) -> tuple[Figure, list]:
    """A figure of ``count`` panels in rows of ``columns``, the unused places blank: the
    one-panel-per-output layout of the sensitivity studies."""
    lines = math.ceil(count / columns)
    figure = Figure(figsize=(panel_width * columns, panel_height * lines), layout="constrained")
    axes = figure.subplots(lines, columns, squeeze=False).ravel()
    for ax in axes[count:]:
        ax.set_axis_off()
    return figure, list(axes[:count])


def outcome_figure(table: pd.DataFrame, measure: Measure, lang: str, names: dict,
                   note: str) -> Figure:
    """One outcome by arm: mean and confidence interval across seeds, one panel per scenario,
    arms grouped by package and ordered best first, the baseline's mean as a dashed line.

    Args:
        table: rows of :func:`~sim.views.figures.prepare.outcome_intervals` for one outcome.
        measure: the outcome's words, unit and direction.
        names: scenario → its plain name (panel titles).
        note: what the whiskers are.
    """
    places = _rows(prepare.arm_order(table, measure.better))
    y = {key: pos for pos, _, key in places if key}
    roles = _roles(table)
    scenarios = list(dict.fromkeys(table["scenario"]))
    figure, axes = _panels(len(scenarios), 1.5 + 0.36 * len(places) + 0.14 * (roles != "").sum())
    for ax, scenario in zip(axes, scenarios, strict=True):
        rows = table[table["scenario"] == scenario]
        for row in rows.itertuples():
            colour, marker = ROLES[row.role]
            pos = y[(row.group, row.arm)]
            ax.errorbar(row.mean, pos, xerr=[[row.mean - row.low], [row.high - row.mean]]
                        if np.isfinite(row.low) else None, fmt=marker, color=colour,
                        ecolor=colour, capsize=3, markersize=5 if row.role else 4)
        base = rows.loc[rows["role"] == "baseline", "mean"]
        if len(base):
            ax.axvline(base.iloc[0], color="0.45", linestyle="--", linewidth=0.8, zorder=0)
        ax.set_title(names[scenario])
        ax.grid(axis="x", alpha=0.3)
        if formatter(measure):
            ax.xaxis.set_major_formatter(formatter(measure))
    _arm_axis(axes[0], places, roles, lang)
    figure.suptitle(measure.name(lang), fontweight="bold")
    figure.supxlabel(note + ("; " + word(TEXT, "baseline_line", lang)
                             if (table["role"] == "baseline").any() else ""),
                     fontsize=8, color="0.35")
    return figure


def _roles(table: pd.DataFrame) -> pd.Series:
    """Each arm's role, indexed by (group, arm)."""
    return table.drop_duplicates(["group", "arm"]).set_index(["group", "arm"])["role"]


def _arm_axis(ax, rows: list, roles: pd.Series, lang: str) -> None:
    """Arm names on the y axis: group headers in bold italics, marked arms in their colour."""
    ax.set_yticks([pos for pos, _, _ in rows],
                  [textwrap.fill(text, WRAP) if key is None else arm_label(text, roles[key], lang)
                   for _, text, key in rows])
    ax.set_ylim(len(rows) - 0.4, -0.6)
    for tick, (_, _, key) in zip(ax.get_yticklabels(), rows, strict=True):
        tick.set_fontsize(7.5)
        if key is None:
            tick.set_fontweight("bold")
            tick.set_fontstyle("italic")
        elif roles[key]:
            tick.set_color(ROLES[roles[key]][0])
            tick.set_fontweight("bold")


def trajectory_figure(bands: pd.DataFrame, measure: Measure, lang: str, names: dict,
                      note: str, arms: list[tuple[str, str]]) -> Figure:
    """One daily measure over time, one panel per scenario, a mean line and confidence band
    for each of a few ``arms`` (each in its own colour, marker and line style)."""
    scenarios = list(dict.fromkeys(bands["scenario"]))
    figure = Figure(figsize=(max(7.0, 4.6 * len(scenarios)), 3.4 + 0.16 * len(arms)),
                    layout="constrained")
    axes = figure.subplots(1, len(scenarios), squeeze=False)[0]
    for ax, scenario in zip(axes, scenarios, strict=True):
        rows = bands[bands["scenario"] == scenario]
        for (group, arm), (colour, marker, style) in zip(arms, SERIES, strict=False):
            line = rows[(rows["group"] == group) & (rows["arm"] == arm)]
            every = max(1, len(line) // 8)
            role = line["role"].iloc[0] if len(line) else ""
            label = arm_label(f"{arm} · {group}" if group else arm, role, lang)
            ax.plot(line["day"], line["mean"], color=colour, linestyle=style, marker=marker,
                    markevery=every, markersize=4, linewidth=1.3, label=label)
            ax.fill_between(line["day"], line["low"], line["high"], color=colour, alpha=0.18,
                            linewidth=0)
        ax.set_title(names[scenario])
        ax.set_xlabel(word(TEXT, "day", lang))
        ax.grid(alpha=0.3)
        if formatter(measure):
            ax.yaxis.set_major_formatter(formatter(measure))
    figure.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2,
                  fontsize=7, frameon=False, title=note, title_fontsize=7.5)
    figure.suptitle(measure.name(lang), fontweight="bold")
    return figure


def tradeoff_figure(points: pd.DataFrame, lang: str, names: dict) -> Figure:
    """Coverage (x) against fairness (y), colour = complaints per 1,000 households a year
    (its own scale in each panel), marker = package group; the arms that no other arm
    outdoes on both axes and the marked arms are numbered, the key below names them."""
    scenarios = list(dict.fromkeys(points["scenario"]))
    groups = list(dict.fromkeys(points["group"]))
    shapes = dict(zip(groups, "o^sDv", strict=False))
    shown = points[points["front"] | (points["role"] != "")]
    keyed = list(dict.fromkeys(shown[["group", "arm"]].itertuples(index=False, name=None)))
    number = {arm: i + 1 for i, arm in enumerate(keyed)}
    figure = Figure(figsize=(max(7.5, 5.0 * len(scenarios)), 4.4 + 0.09 * len(keyed)),
                    layout="constrained")
    axes = figure.subplots(1, len(scenarios), squeeze=False)[0]
    for ax, scenario in zip(axes, scenarios, strict=True):
        rows = points[points["scenario"] == scenario]
        low, high = rows["complaints"].min(), rows["complaints"].max()
        for group in groups:
            part = rows[rows["group"] == group]
            dots = ax.scatter(part["coverage"], part["fairness"], c=part["complaints"],
                              cmap="viridis_r", vmin=low, vmax=high, s=44, marker=shapes[group],
                              edgecolors="0.25", linewidths=0.5, label=group or None)
        marked = rows[rows["role"] != ""]
        for row in marked.itertuples():
            ax.scatter(row.coverage, row.fairness, s=150, marker=ROLES[row.role][1],
                       facecolors="none", edgecolors=ROLES[row.role][0], linewidths=1.4)
        texts = [ax.text(x, y, ", ".join(labels), fontsize=7.5, color="0.1")
                 for (x, y), labels in _coinciding(rows, number).items()]
        ax.set_title(names[scenario])
        ax.set_xlabel(word(TEXT, "coverage", lang))
        ax.set_ylabel(word(TEXT, "fairness", lang))
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.margins(0.12)
        ax.grid(alpha=0.3)
        figure.colorbar(dots, ax=ax, label=word(TEXT, "complaints", lang), shrink=0.85)
        adjust_text(texts, x=rows["coverage"].to_numpy(), y=rows["fairness"].to_numpy(), ax=ax,
                    expand=(1.6, 1.8), arrowprops={"arrowstyle": "-", "color": "0.5", "lw": 0.5})
    handles = [Line2D([], [], marker=shapes[group], linestyle="none", color="0.4")
               for group, _ in keyed]
    key = [f"{number[(group, arm)]}  {arm}" for group, arm in keyed]
    if len(groups) > 1:
        handles += [Line2D([], [], marker=shapes[g], linestyle="none", color="0.4") for g in groups]
        key += groups
    figure.legend(handles, key, loc="outside lower left", ncols=2 if len(key) > 6 else 1,
                  fontsize=7, frameon=False,
                  handlelength=1.2, title=word(TEXT, "numbered", lang), title_fontsize=7.5)
    figure.suptitle(word(TEXT, "tradeoff", lang), fontweight="bold")
    return figure


def _coinciding(rows: pd.DataFrame, number: dict) -> dict:
    """The numbers of the keyed arms by point, several arms at one point sharing a label."""
    out: dict = {}
    for row in rows.itertuples():
        if (row.group, row.arm) in number:
            place = (round(row.coverage, 4), round(row.fairness, 4))
            out.setdefault(place, []).append(str(number[(row.group, row.arm)]))
    return out


def consensus_figure(table: pd.DataFrame, lang: str, names: dict, note: str) -> Figure:
    """For each arm and scenario: the share of runs that reached consensus (with its Wilson
    interval) beside the days it took in those runs (box and points). Runs that never
    reached it count in the share; none is dropped.

    Args:
        table: :func:`~sim.views.figures.prepare.consensus`.
    """
    places = _rows(prepare.arm_order(table.assign(mean=table["share"]), "up"))
    y = {key: pos for pos, _, key in places if key}
    roles = _roles(table)
    scenarios = list(dict.fromkeys(table["scenario"]))
    figure = Figure(figsize=(2.9 + 6.0 * len(scenarios), 1.6 + 0.36 * len(places)),
                    layout="constrained")
    axes = figure.subplots(1, 2 * len(scenarios), sharey=True, squeeze=False,
                           width_ratios=[1, 1.6] * len(scenarios))[0]
    for i, scenario in enumerate(scenarios):
        share_ax, days_ax = axes[2 * i], axes[2 * i + 1]
        for row in table[table["scenario"] == scenario].itertuples():
            colour, marker = ROLES[row.role]
            pos = y[(row.group, row.arm)]
            error = [[max(0.0, row.share - row.low)], [max(0.0, row.high - row.share)]]
            share_ax.errorbar(row.share, pos, xerr=error,
                              fmt=marker, color=colour, capsize=3, markersize=5)
            share_ax.annotate(f"{row.reached}/{row.runs}", (1.0, pos), fontsize=6.5,
                              xycoords=("axes fraction", "data"), ha="right", va="bottom",
                              color="0.35")
            if row.days:
                days_ax.boxplot([row.days], positions=[pos], orientation="horizontal",
                                widths=0.5, showfliers=False,
                                medianprops={"color": OKABE_ITO["orange"]})
                days_ax.scatter(row.days, pos + np.linspace(-0.15, 0.15, len(row.days)), s=5,
                                color=colour, alpha=0.6)
        share_ax.set_xlim(-0.02, 1.02)
        share_ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        share_ax.set_xlabel(word(TEXT, "reached", lang), fontsize=8)
        days_ax.set_xlabel(word(TEXT, "days_taken", lang), fontsize=8)
        days_ax.set_xlim(left=0)
        share_ax.set_title(names[scenario], loc="left")
        for ax in (share_ax, days_ax):
            ax.grid(axis="x", alpha=0.3)
    _arm_axis(axes[0], places, roles, lang)
    figure.suptitle(word(TEXT, "consensus", lang), fontweight="bold")
    figure.supxlabel(note, fontsize=8, color="0.35")
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
