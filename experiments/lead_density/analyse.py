"""Analyse lead_density: outcomes against the share of stairwells with a building lead, one
line per decision rule, with 95 % confidence bands across seeds.

    python experiments/lead_density/analyse.py [results/lead_density]

Writes runs.parquet / runs.csv and figures/<lang>/lead_density.png / .svg (English and
Chinese) into the sweep folder. Consensus is shown as the share of runs that reached it (runs
that never did count, none is dropped) beside the median days of those that did.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim import collect
from sim.views.figures import draw, prepare
from sim.views.figures.fonts import resolve_language
from sim.views.figures.labels import OUTCOMES, TEXT, Measure, rule_name, word

SHARE = "scenario.lead_share"
RULE = "decision"
MEASURES = ["final_support", "final_fee_payment_rate", "complaints_per_1000",
            "final_satisfaction", "final_household_coverage"]
"""Outcomes drawn beside consensus, when the runs have them."""
REACHED = Measure("Runs that reached consensus", "达成共识的运行比例", "share", "up", 0.0, 1.0)
MEDIAN_DAYS = Measure("Days to consensus (median of the runs that reached it)",
                      "达成共识所需天数（达成者的中位数）", "days", "down", 0.0)
AXIS = ("Share of stairwells with a building lead", "有党员楼门长的楼门比例")


def lines(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean and confidence interval per decision rule and lead share of each outcome, the
    share of runs that reached consensus (Wilson interval) and their median days."""
    measures = [m for m in MEASURES if m in runs and runs[m].notna().any()]
    out = prepare.intervals(runs, [RULE, SHARE], measures)
    out = pd.concat([prepare.clipped(rows, OUTCOMES[m])
                     for m, rows in out.groupby("measure", sort=False)])
    grouped = runs.groupby([RULE, SHARE], sort=False)["days_to_consensus"]
    counts = grouped.agg(n="size", reached="count", median="median").reset_index()
    low, high = prepare.wilson(counts["reached"].to_numpy(), counts["n"].to_numpy())
    reached = counts.assign(measure="reached", mean=counts["reached"] / counts["n"], low=low,
                            high=high)
    days = counts.assign(measure="median_days", mean=counts["median"], low=np.nan, high=np.nan)
    columns = [RULE, SHARE, "measure", "mean", "low", "high"]
    table = pd.concat([reached[columns], days[columns], out[columns]], ignore_index=True)
    return table.sort_values([RULE, SHARE], kind="stable")


def figure(table: pd.DataFrame, lang: str) -> Figure:
    """One panel per outcome: a line and band per decision rule over the lead share, each
    rule in its own colour, marker and line style."""
    measures = list(dict.fromkeys(table["measure"]))
    shown = {"reached": REACHED, "median_days": MEDIAN_DAYS} | OUTCOMES
    columns = min(len(measures), 3)
    rows_count = -(-len(measures) // columns)
    fig = Figure(figsize=(4.4 * columns, 3.3 * rows_count + 1.0), layout="constrained")
    axes = fig.subplots(rows_count, columns, squeeze=False).ravel()
    rules = list(dict.fromkeys(table[RULE]))
    for ax, measure in zip(axes, measures, strict=False):
        for rule, (colour, marker, style) in zip(rules, draw.SERIES, strict=False):
            rows = table[(table["measure"] == measure) & (table[RULE] == rule)]
            ax.plot(rows[SHARE], rows["mean"], color=colour, marker=marker, linestyle=style,
                    markersize=4, label=rule_name(rule, lang))
            ax.fill_between(rows[SHARE], rows["low"], rows["high"], color=colour, alpha=0.15,
                            linewidth=0)
        ax.set_title(shown[measure].name(lang), fontsize=9)
        ax.set_xlabel(AXIS[lang == "zh"])
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        if draw.formatter(shown[measure]):
            ax.yaxis.set_major_formatter(draw.formatter(shown[measure]))
        ax.grid(alpha=0.3)
    for ax in axes[len(measures):]:
        ax.set_visible(False)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2,
               frameon=False, title=word(TEXT, "band", lang).format(level=prepare.LEVEL))
    return fig


def main(sweep: str = "results/lead_density") -> int:
    status = collect.main([sweep])
    if status:
        return status
    runs = prepare.with_rates(collect.collect(Path(sweep)).runs)
    table = lines(runs)
    for wanted in ("en", "zh"):
        lang, cjk = resolve_language(wanted)
        with matplotlib.rc_context(draw.rc(cjk)):
            paths = draw.save(figure(table, lang), Path(sweep) / "figures" / lang,
                              "lead_density")
        print(f"-> {', '.join(map(str, paths))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
