"""Analyse compare_rules: collect the runs, draw the figures for policy staff in English and
Chinese, and write each rule set's outcomes per scenario as a table.

    python experiments/compare_rules/analyse.py [results/compare_rules]

Writes, in the sweep folder: runs.parquet / runs.csv (sim.collect), figures/en and figures/zh
(sim.compare) and outcomes.csv (mean and 95 % confidence interval across seeds of each outcome,
per scenario and rule set), and prints the outcomes table.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from sim import collect, compare
from sim.figures import prepare
from sim.output import write_atomic

OUTCOMES = ["final_household_coverage", "total_complaints", "gini_access", "owner_tenant_gap",
            "final_fee_payment_rate", "final_satisfaction", "days_to_consensus"]
"""Outcomes of the table, when the runs have them."""


def outcome_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario and rule set, one ``mean [low, high]`` column per outcome."""
    outcomes = [c for c in OUTCOMES if c in runs]
    cis = prepare.outcome_intervals(prepare.with_arms(runs), outcomes)
    cis["text"] = [f"{m:.3g} [{lo:.3g}, {hi:.3g}]"
                   for m, lo, hi in cis[["mean", "low", "high"]].itertuples(index=False)]
    table = cis.pivot(index=prepare.KEYS, columns="outcome", values="text")
    return table[outcomes].reset_index()


def main(sweep: str = "results/compare_rules") -> int:
    for status in (collect.main([sweep]), compare.main([sweep, "lang=en"]),
                   compare.main([sweep, "lang=zh"])):
        if status:
            return status
    table = outcome_table(collect.collect(Path(sweep)).runs)
    write_atomic(Path(sweep) / "outcomes.csv", lambda tmp: table.to_csv(tmp, index=False))
    with pd.option_context("display.width", 200, "display.max_columns", None,
                           "display.max_rows", None):
        print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
