"""Sobol indices (SALib, Saltelli sampling) of coverage, complaints, fee payment, days to
consensus and support to the main behavioural parameters and the density of building leads.

    python experiments/sobol/analyse.py sample     # write design.csv (done; committed)
    python -m sim.run -m experiment=sobol          # run every design point
    python experiments/sobol/analyse.py [results/sobol]

The analysis averages each design point's seeds and computes first-order (S1) and total-order
(ST) indices with bootstrap 95 % confidence half-widths for each output; writes indices.csv and
figures/sobol.png / .svg. A run without consensus counts as the run's length (censored).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from sim import designs
from sim.output import write_atomic
from sim.views.figures import draw

HERE = Path(__file__).resolve().parent
DESIGN = HERE / "design.csv"
PARAMETERS = {
    "behaviour.fees.threshold_mean": (0.4, 0.7),
    "behaviour.fees.visit_effect": (0.05, 0.5),
    "behaviour.frictions.lane_spots_per_household": (0.1, 0.5),
    "behaviour.frictions.stranger_tolerance": (0.9, 0.99),
    "behaviour.opinion.anchor_gain": (0.2, 1.0),
    "scenario.lead_share": (0.0, 1.0),
    "deliberation.turnout.canvass_effect": (0.1, 0.8),
    "deliberation.council_pull": (0.1, 0.5),
}
"""The parameters varied and their ranges (around the values in configs/)."""
PROBLEM = {"num_vars": len(PARAMETERS), "names": list(PARAMETERS),
           "bounds": [list(bounds) for bounds in PARAMETERS.values()]}
BASE_SAMPLES, SEED, RESAMPLES = 32, 20261130, 500
OUTPUTS = ["final_household_coverage", "total_complaints", "mean_fee_payment_rate",
           "days_to_consensus", "support_after"]


def sample() -> pd.DataFrame:
    """The Saltelli design: BASE_SAMPLES × (parameters + 2) points, 6 significant digits."""
    points = sobol_sample.sample(PROBLEM, BASE_SAMPLES, calc_second_order=False, seed=SEED)
    return pd.DataFrame(np.vectorize(lambda x: float(f"{x:.6g}"))(points),
                        columns=PROBLEM["names"])


def indices(runs: pd.DataFrame, design: pd.DataFrame) -> pd.DataFrame:
    """S1 and ST with confidence half-widths per output and parameter.

    Raises:
        IncompleteDesignError: if a design point has no complete run.
    """
    means = designs.point_means(runs, len(design), OUTPUTS)
    rows = []
    for output in OUTPUTS:
        y = means[output].to_numpy()
        if np.ptp(y) == 0:  # the output never varies: nothing to apportion
            continue
        result = sobol_analyze.analyze(PROBLEM, y, calc_second_order=False,
                                       num_resamples=RESAMPLES, seed=SEED)
        for i, name in enumerate(PROBLEM["names"]):
            rows.append({"output": output, "parameter": name,
                         "S1": result["S1"][i], "S1_conf": result["S1_conf"][i],
                         "ST": result["ST"][i], "ST_conf": result["ST_conf"][i]})
    return pd.DataFrame(rows)


def figure(table: pd.DataFrame) -> Figure:
    """One panel per output: first- and total-order indices with their half-widths."""
    outputs = list(dict.fromkeys(table["output"]))
    fig = Figure(figsize=(4.2 * len(outputs), 3.8), layout="constrained")
    for ax, output in zip(fig.subplots(1, len(outputs), squeeze=False)[0], outputs,
                          strict=True):
        rows = table[table["output"] == output].sort_values("ST")
        y = np.arange(len(rows))
        labels = [name.rsplit(".", 1)[1] for name in rows["parameter"]]
        ax.barh(y + 0.2, rows["ST"], height=0.4, xerr=rows["ST_conf"], label="total (ST)")
        ax.barh(y - 0.2, rows["S1"], height=0.4, xerr=rows["S1_conf"], label="first (S1)")
        ax.set_yticks(y, labels)
        ax.set_title(output)
    fig.axes[0].legend(loc="lower right")
    return fig


def analyse(runs: pd.DataFrame, design: pd.DataFrame, sweep: Path) -> None:
    """Write indices.csv and the figure into the sweep folder; print the indices."""
    table = indices(runs, design)
    write_atomic(sweep / "indices.csv", lambda tmp: table.to_csv(tmp, index=False))
    draw.save(figure(table), sweep / "figures", "sobol")
    print(table.round(3).to_string(index=False))


def main(argv: list[str]) -> int:
    return designs.main(argv, DESIGN, sample, analyse, "results/sobol")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
