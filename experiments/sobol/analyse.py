"""Sobol indices (SALib, Saltelli sampling) of coverage, complaints, fee payment, days to
consensus and support to the main behavioural parameters and the density of building leads.

    python experiments/sobol/analyse.py sample     # write design.csv (done; committed)
    python -m sim.run -m experiment=sobol          # run every design point
    python experiments/sobol/analyse.py [results/sobol]

The analysis averages each design point's seeds and computes first-order (S1) and total-order
(ST) indices with bootstrap 95 % confidence half-widths for each output; writes indices.csv and
figures/sobol.png / .svg (without the outputs in UNVARYING). A run without consensus counts as
the run's length (censored).
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
    "scenario.lead_share": (0.0, 1.0),
    "scenario.absentee_contact_share": (0.0, 1.0),
    "behaviour.frictions.lane_spots_per_household": (0.1, 0.5),
    "behaviour.frictions.stranger_tolerance": (0.9, 0.99),
    "behaviour.opinion.anchor_gain": (0.2, 1.0),
    "behaviour.opinion.susceptibility_mean": (0.3, 0.9),
    "behaviour.parking.tolerated_value": (0.2, 0.8),
    "deliberation.trust_rate": (0.02, 0.3),
    "deliberation.grievance_trigger": (0.05, 0.4),
    "behaviour.fees.conditional_share": (0.3, 0.8),
    "behaviour.fees.threshold_mean": (0.4, 0.7),
    "behaviour.firm.fixed_cost_share": (0.1, 0.4),
}
"""The parameters varied and their ranges: the twelve that the Morris screening
(experiments/sensitivity) finds moving at least one outcome, over the same ranges — the whole
range of the estate's reach (leads, owners living elsewhere), the ABC priors
(validation/priors.yaml) for the fitted ones, and about half to twice the assumed value of
configs/ for the rest."""
PROBLEM = {"num_vars": len(PARAMETERS), "names": list(PARAMETERS),
           "bounds": [list(bounds) for bounds in PARAMETERS.values()]}
BASE_SAMPLES, SEED, RESAMPLES = 512, 20261130, 500
OUTPUTS = ["final_household_coverage", "total_complaints", "mean_fee_payment_rate",
           "days_to_consensus", "support_after"]
UNVARYING = ["mean_fee_payment_rate"]
"""Outputs whose indices are written but left out of the figure: on the calibrated behaviour
fee payment varies less over the whole design (standard deviation 0.004) than between the
seeds of one point (0.008 in the Morris runs), so its indices apportion noise."""


def sample() -> pd.DataFrame:
    """The Saltelli design: BASE_SAMPLES × (parameters + 2) points, 6 significant digits."""
    points = sobol_sample.sample(PROBLEM, BASE_SAMPLES, calc_second_order=False, seed=SEED)
    return pd.DataFrame(np.vectorize(lambda x: float(f"{x:.6g}"))(points),
                        columns=PROBLEM["names"])


def indices(runs: pd.DataFrame, design: pd.DataFrame) -> pd.DataFrame:
    """S1 and ST with confidence half-widths per output and parameter, from the whole design
    (``base_samples`` N) and from its first half (N/2: the Saltelli design of N/2 base
    samples, as Sobol sequences extend) to show how far the indices have settled.

    Raises:
        IncompleteDesignError: if a design point has no complete run.
    """
    means = designs.point_means(runs, len(design), OUTPUTS)
    points = PROBLEM["num_vars"] + 2
    base = len(design) // points
    rows = []
    for n in (base, base // 2):
        for output in OUTPUTS:
            y = means[output].to_numpy()[:n * points]
            if np.ptp(y) == 0:  # the output never varies: nothing to apportion
                continue
            result = sobol_analyze.analyze(PROBLEM, y, calc_second_order=False,
                                           num_resamples=RESAMPLES, seed=SEED)
            for i, name in enumerate(PROBLEM["names"]):
                rows.append({"base_samples": n, "output": output, "parameter": name,
                             "S1": result["S1"][i], "S1_conf": result["S1_conf"][i],
                             "ST": result["ST"][i], "ST_conf": result["ST_conf"][i]})
    return pd.DataFrame(rows)


def figure(table: pd.DataFrame) -> Figure:
    """One panel per output: first- and total-order indices of the whole design with their
    half-widths, and the total-order index of its first half (N/2) as a mark."""
    base = table["base_samples"].max()
    full, half = table[table["base_samples"] == base], table[table["base_samples"] < base]
    outputs = list(dict.fromkeys(full["output"]))
    fig, axes = draw.grid(len(outputs), 3, 5.0, 4.5)
    for ax, output in zip(axes, outputs, strict=False):
        rows = full[full["output"] == output].sort_values("ST")
        earlier = half[half["output"] == output].set_index("parameter")["ST"]
        y = np.arange(len(rows))
        labels = [name.rsplit(".", 1)[1] for name in rows["parameter"]]
        ax.barh(y + 0.2, rows["ST"], height=0.4, xerr=rows["ST_conf"], label="total (ST)")
        ax.barh(y - 0.2, rows["S1"], height=0.4, xerr=rows["S1_conf"], label="first (S1)")
        if not earlier.empty:
            ax.plot(earlier.reindex(rows["parameter"]), y + 0.2, "k|", markersize=9,
                    label=f"ST at N = {base // 2}")
        ax.set_yticks(y, labels)
        ax.set_xlim(left=min(0.0, ax.get_xlim()[0]))
        ax.set_title(output)
    fig.axes[0].legend(loc="lower right", fontsize="small")
    fig.suptitle(f"Sobol indices, N = {base} base samples (95 % bootstrap half-widths)")
    return fig


def analyse(runs: pd.DataFrame, design: pd.DataFrame, sweep: Path) -> None:
    """Write indices.csv and the figure (without the UNVARYING outputs) into the sweep folder;
    print the indices."""
    table = indices(runs, design)
    write_atomic(sweep / "indices.csv", lambda tmp: table.to_csv(tmp, index=False))
    draw.save(figure(table[~table["output"].isin(UNVARYING)]), sweep / "figures", "sobol")
    print(table.round(3).to_string(index=False))


def main(argv: list[str]) -> int:
    return designs.main(argv, DESIGN, sample, analyse, "results/sobol")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
