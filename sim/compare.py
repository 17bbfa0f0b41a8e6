"""``python -m sim.compare results/<sweep> [lang=en|zh]``: figures comparing a sweep's policy arms.

Writes, for policy staff, PNG and SVG files into ``results/<sweep>/figures/<lang>/``:

- ``outcome_<column>``: each outcome by arm, mean and 95 % confidence interval across seeds,
  arms grouped by package and ordered best first, the baseline and the article's package marked;
- ``trajectory_<measure>``: daily measures over the run for the marked arms and the best and
  worst arm;
- ``tradeoff``: coverage against fairness (1 − Gini of access), colour = complaints;
- ``consensus``: the share of runs that reached consensus and the days it took, when it varies;

plus ``notes.txt`` (outcomes left out because they are the same in every run) and, in the
sweep folder, ``outcomes.csv``: every outcome's mean, low and high per scenario and arm, as
numbers. Counts are per 1,000 households a year. ``lang=zh`` labels in Chinese with a CJK
font (falls back to English, with a warning, if none is installed). Incomplete runs are
listed and left out.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pandas as pd

from sim.cli import settings_parser
from sim.collect import collect, describe_incomplete
from sim.output import write_atomic, write_text
from sim.sweep import NotASweepError
from sim.views.figures import arms, draw, prepare
from sim.views.figures.fonts import resolve_language
from sim.views.figures.labels import DAILY, LANGUAGES, OUTCOMES, TEXT, scenario_name, word
from sim.views.figures.prepare import CONSENSUS, TRADEOFF, deliberated


def shown_outcomes(runs: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """The outcomes to draw (those the runs have and that vary), and notes naming those left
    out because they are the same in every run (days to consensus: every deliberated run)."""
    present = [c for c in OUTCOMES if c in runs and c != CONSENSUS and runs[c].notna().any()]
    same = prepare.constant(runs, present)
    notes = [f"{OUTCOMES[c].name(lang)} = {v:g}" for c, v in same.items()]
    shown = [c for c in present if c not in same]
    if CONSENSUS in runs:
        voted = deliberated(runs)
        if voted.empty:
            notes.append(word(TEXT, "not_deliberated", lang))
        elif prepare.constant(voted, [CONSENSUS]):
            notes.append(f"{OUTCOMES[CONSENSUS].name(lang)} = {voted[CONSENSUS].iloc[0]:g}")
        else:
            shown.append(CONSENSUS)
    return shown, notes


def seeds_note(runs: pd.DataFrame, lang: str, level: float) -> str:
    """What the whiskers are, with the number of seeds per arm."""
    seeds = runs.groupby(["scenario", "group", "arm"])["seed"].nunique()
    n = seeds.min() if seeds.min() == seeds.max() else f"{seeds.min()}–{seeds.max()}"
    return word(TEXT, "interval", lang).format(level=level, n=n)


def figures(runs: pd.DataFrame, series: pd.DataFrame | None, lang: str,
            level: float = prepare.LEVEL) -> dict:
    """Every figure the sweep's tables allow, by file name (without extension).

    Args:
        runs: the runs table with arms and rates (:func:`prepare_runs`).
        series: the daily table, or None.
        lang: ``en`` or ``zh``.
    """
    names = {s: scenario_name(s, lang) for s in runs["scenario"].unique()}
    outcomes, _ = shown_outcomes(runs, lang)
    note = seeds_note(runs, lang, level)
    out = {}
    table = prepare.outcome_intervals(runs, [c for c in outcomes if c != CONSENSUS], level)
    for outcome, rows in table.groupby("outcome", sort=False):
        out[f"outcome_{outcome}"] = draw.outcome_figure(rows, OUTCOMES[outcome], lang, names,
                                                        note)
    if series is not None:
        daily = prepare.with_cumulative_rate(series, runs)
        measures = [m for m in DAILY if m in daily]
        bands = prepare.trajectory_bands(daily, runs, measures, level)
        coverage = table[table["outcome"] == "final_household_coverage"]
        chosen = prepare.highlighted(coverage if len(coverage) else table, "up")
        for measure, rows in bands.groupby("measure", sort=False):
            out[f"trajectory_{measure}"] = draw.trajectory_figure(
                rows, DAILY[measure], lang, names,
                word(TEXT, "band", lang).format(level=level) + "; "
                + word(TEXT, "trajectory_note", lang), chosen)
    if all(c in runs for c in TRADEOFF):
        out["tradeoff"] = draw.tradeoff_figure(prepare.tradeoff_points(runs, *TRADEOFF), lang,
                                               names)
    if CONSENSUS in outcomes:
        out["consensus"] = draw.consensus_figure(
            prepare.consensus(deliberated(runs), CONSENSUS, level), lang, names, note)
    return out


def prepare_runs(runs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The runs table with plain-named arms in ``lang`` and counts per 1,000 households."""
    return prepare.with_rates(arms.with_arms(runs, lang))


def outcome_table(runs: pd.DataFrame, level: float = prepare.LEVEL) -> pd.DataFrame:
    """Every outcome's mean and confidence interval per scenario and arm, as numbers, arms
    named in English and Chinese. Deliberated sweeps add ``consensus_reached`` (the share of
    runs, Wilson interval) and ``days_to_consensus`` (over the runs that reached it).

    Args:
        runs: the collected runs table (no arm columns yet).
    """
    parts = []
    for lang in LANGUAGES:
        named = prepare_runs(runs, lang)
        shown, _ = shown_outcomes(named, "en")
        table = prepare.outcome_intervals(named, [c for c in shown if c != CONSENSUS], level)
        if CONSENSUS in shown:
            voted = deliberated(named)
            reached = prepare.consensus(voted, CONSENSUS, level).rename(
                columns={"reached": "n", "share": "mean"}).assign(outcome="consensus_reached")
            days = prepare.outcome_intervals(voted, [CONSENSUS], level)
            table = pd.concat([table, reached[table.columns], days], ignore_index=True)
        parts.append(table)
    english, chinese = parts
    english.insert(english.columns.get_loc("arm") + 1, "arm_zh", chinese["arm"].to_numpy())
    english.insert(english.columns.get_loc("group") + 1, "group_zh", chinese["group"].to_numpy())
    units = {name: measure.unit for name, measure in OUTCOMES.items()} | {
        "consensus_reached": "share"}
    return english.assign(unit=english["outcome"].map(units), level=level)


@dataclass
class Opened:
    """A sweep read for the views: its folder, the language and CJK font to write with, the
    runs with plain-named arms and rates (:func:`prepare_runs`) and the daily series."""

    sweep: Path
    lang: str
    cjk: str | None
    runs: pd.DataFrame
    series: pd.DataFrame


def open_sweep(argv: list[str] | None, description: str, product: str) -> Opened | int:
    """Parse ``SWEEP [lang=en|zh]`` and read the sweep, or return the exit status after saying
    what is wrong (2: not a sweep; 1: no complete run, so no ``product`` is written).
    Incomplete runs are listed and left out."""
    sweep, settings = settings_parser(description, {"lang": LANGUAGES})(argv)
    try:
        tables = collect(Path(sweep), series=True)
    except NotASweepError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if tables.incomplete:
        total = len(tables.runs) + len(tables.incomplete)
        print(describe_incomplete(tables.incomplete, total), file=sys.stderr)
    if tables.runs.empty:
        print(f"error: {sweep} has no complete run yet; no {product} written", file=sys.stderr)
        return 1
    lang, cjk = resolve_language(settings["lang"])
    return Opened(Path(sweep), lang, cjk, prepare_runs(tables.runs, lang), tables.series)


def main(argv: list[str] | None = None) -> int:
    """Draw a sweep's comparison figures and its outcomes table; print where they went."""
    opened = open_sweep(argv, __doc__.splitlines()[0], "figures")
    if isinstance(opened, int):
        return opened
    sweep, lang, cjk, runs = opened.sweep, opened.lang, opened.cjk, opened.runs
    folder = Path(sweep) / "figures" / lang
    written = []
    with matplotlib.rc_context(draw.rc(cjk)):
        for name, figure in figures(runs, opened.series, lang).items():
            written += draw.save(figure, folder, name)
    _, notes = shown_outcomes(runs, lang)
    note = word(TEXT, "constant", lang).format(items="; ".join(notes) or "—")
    write_text(folder / "notes.txt", note + "\n")
    table = outcome_table(collect(sweep).runs)
    write_atomic(Path(sweep) / "outcomes.csv", lambda tmp: table.to_csv(tmp, index=False))
    print(note)
    print(f"{len(written)} figures -> {folder}; outcomes.csv -> {sweep}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
