"""Analyse compare_rules: collect the runs, draw the figures for policy staff in English and
Chinese with the numeric outcomes table, and write the scenario brief in both languages.

    python experiments/compare_rules/analyse.py [results/compare_rules]

Writes, in the sweep folder: runs.parquet / runs.csv (sim.collect), figures/en and figures/zh
with outcomes.csv (sim.compare: mean, low and high of every outcome per scenario and rule
set) and brief/<lang>/brief.html and brief.pdf (sim.brief).
"""

from __future__ import annotations

import sys

from sim import brief, collect, compare


def main(sweep: str = "results/compare_rules") -> int:
    steps = (lambda: collect.main([sweep]),
             lambda: compare.main([sweep, "lang=en"]), lambda: compare.main([sweep, "lang=zh"]),
             lambda: brief.main([sweep, "lang=en"]), lambda: brief.main([sweep, "lang=zh"]))
    for step in steps:
        status = step()
        if status:
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
