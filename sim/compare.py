"""``python -m sim.compare results/<sweep> [lang=en|zh]``: figures comparing a sweep's policy arms.

Writes PNG and SVG files into ``results/<sweep>/figures/<lang>/`` for policy staff:

- ``outcome_<column>``: each outcome by arm, mean and 95 % confidence interval across seeds;
- ``trajectory_<measure>``: daily measures over the run, mean line and 95 % band per arm;
- ``tradeoff``: coverage against fairness (1 − Gini of access), colour = complaints;
- ``consensus_days``: the distribution of days to consensus, when the sweep records it.

An *arm* is one combination of the swept settings other than scenario and seed; scenarios are
side-by-side panels. ``lang=zh`` labels in Chinese with a CJK font (falls back to English,
with a warning, if none is installed). Incomplete runs are listed and left out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import pandas as pd

from sim.cli import settings_parser
from sim.collect import collect, describe_incomplete
from sim.figures import draw, prepare
from sim.figures.labels import (
    DAILY,
    LANGUAGES,
    OUTCOMES,
    SHARES,
    TEXT,
    describer,
    resolve_language,
    scenario_name,
    word,
)
from sim.sweep import NotASweepError

CONSENSUS = "days_to_consensus"
TRADEOFF = ("final_household_coverage", "gini_access", "total_complaints")
"""Columns of the trade-off view: coverage, inequality, complaints."""


def figures(runs: pd.DataFrame, series: pd.DataFrame, lang: str) -> dict:
    """Every figure the sweep's tables allow, by file name (without extension).

    Args:
        runs: the runs table with an ``arm`` column (:func:`sim.figures.prepare.with_arms`).
        series: the daily table.
        lang: ``en`` or ``zh``.
    """
    names = {s: scenario_name(s, lang) for s in runs["scenario"].unique()}
    outcomes = [c for c in OUTCOMES if c in runs and runs[c].notna().any()]
    seeds = runs.groupby(prepare.KEYS)["seed"].nunique()
    note = word(TEXT, "mean_ci", lang).format(
        n=seeds.min() if seeds.min() == seeds.max() else f"{seeds.min()}–{seeds.max()}")
    out = {}
    intervals = prepare.outcome_intervals(runs, outcomes)
    for outcome, rows in intervals.groupby("outcome", sort=False):
        out[f"outcome_{outcome}"] = draw.outcome_figure(
            rows, word(OUTCOMES, outcome, lang), note, names, outcome in SHARES)
    daily = prepare.with_cumulative(series, "complaints")
    measures = [m for m in DAILY if m in daily]
    bands = prepare.trajectory_bands(daily, runs, measures)
    for measure, rows in bands.groupby("measure", sort=False):
        out[f"trajectory_{measure}"] = draw.trajectory_figure(
            rows, word(DAILY, measure, lang), word(TEXT, "band", lang), word(TEXT, "day", lang),
            names, measure in SHARES)
    if all(c in runs for c in TRADEOFF):
        points = prepare.tradeoff_points(runs, *TRADEOFF)
        words = {key: word(TEXT, key, lang) for key in ("coverage", "fairness", "complaints")}
        out["tradeoff"] = draw.tradeoff_figure(
            points, words | {"title": word(TEXT, "tradeoff", lang)}, names)
    if CONSENSUS in runs:
        out["consensus_days"] = draw.consensus_figure(
            prepare.consensus_days(runs, CONSENSUS), word(TEXT, "consensus", lang),
            word(TEXT, "not_reached", lang), names)
    return out


def main(argv: list[str] | None = None) -> int:
    """Draw a sweep's comparison figures; print where they went."""
    parse = settings_parser(__doc__.splitlines()[0], {"lang": LANGUAGES})
    sweep, settings = parse(argv)
    try:
        tables = collect(Path(sweep), series=True)
    except NotASweepError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if tables.incomplete:
        total = len(tables.runs) + len(tables.incomplete)
        print(describe_incomplete(tables.incomplete, total), file=sys.stderr)
    if tables.runs.empty:
        print(f"error: {sweep} has no complete run yet; no figures drawn", file=sys.stderr)
        return 1
    lang, family = resolve_language(settings["lang"])
    runs = prepare.with_arms(tables.runs, describer(lang))
    folder = Path(sweep) / "figures" / lang
    written = []
    with matplotlib.rc_context(draw.rc(family)):
        for name, figure in figures(runs, tables.series, lang).items():
            written += draw.save(figure, folder, name)
    print(f"{len(written)} files -> {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
