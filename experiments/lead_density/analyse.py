"""Analyse lead_density: outcomes against the share of stairwells with a building lead, one
line per decision rule, with 95 % confidence bands across seeds.

    python experiments/lead_density/analyse.py [results/lead_density]

Writes runs.parquet / runs.csv and figures/lead_density.png / .svg into the sweep folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim import collect
from sim.figures import draw, prepare
from sim.figures.labels import OUTCOMES, word

SHARE = "scenario.lead_share"
RULE = "decision"
MEASURES = ["days_to_consensus", "final_support", "final_fee_payment_rate", "total_complaints",
            "final_satisfaction", "final_household_coverage"]
"""Outcomes drawn, when the runs have them."""


def lines(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean and confidence interval of each outcome per decision rule and lead share."""
    measures = [m for m in MEASURES if m in runs and runs[m].notna().any()]
    out = prepare.intervals(runs, [RULE, SHARE], measures)
    return out.sort_values([RULE, SHARE], kind="stable")


def figure(table: pd.DataFrame) -> Figure:
    """One panel per outcome: a line and band per decision rule over the lead share."""
    measures = list(dict.fromkeys(table["measure"]))
    fig = Figure(figsize=(4.2 * min(len(measures), 3), 3.4 * -(-len(measures) // 3)),
                 layout="constrained")
    axes = fig.subplots(-(-len(measures) // 3), min(len(measures), 3), squeeze=False).ravel()
    for ax, measure in zip(axes, measures, strict=False):
        for rule, rows in table[table["measure"] == measure].groupby(RULE, sort=False):
            (line,) = ax.plot(rows[SHARE], rows["mean"], marker="o", markersize=3, label=rule)
            ax.fill_between(rows[SHARE], rows["low"], rows["high"], color=line.get_color(),
                            alpha=0.2, linewidth=0)
        ax.set_title(word(OUTCOMES, measure, "en") if measure in OUTCOMES else measure)
        ax.set_xlabel("share of stairwells with a building lead")
        ax.grid(alpha=0.3)
    for ax in axes[len(measures):]:
        ax.set_visible(False)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
               ncols=4, frameon=False, title="decision rule (band: 95 % CI across seeds)")
    return fig


def main(sweep: str = "results/lead_density") -> int:
    status = collect.main([sweep])
    if status:
        return status
    table = lines(collect.collect(Path(sweep)).runs)
    paths = draw.save(figure(table), Path(sweep) / "figures", "lead_density")
    print(f"-> {', '.join(map(str, paths))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
