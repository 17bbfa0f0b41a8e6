"""Morris sensitivity analysis (SALib) of coverage, complaints, days to consensus and adoption
to the main behavioural and process parameters.

    python experiments/sensitivity/analyse.py sample     # write design.csv (done; committed)
    python -m sim.run -m experiment=sensitivity          # run every design point
    python experiments/sensitivity/analyse.py [results/sensitivity]

The analysis averages each design point's seeds, computes Morris elementary-effect indices
(μ*, its 95 % confidence half-width and σ) for each output, writes them to indices.csv and
draws figures/morris.png / .svg. A run without consensus counts as the run's length in days
(censored). Every design point must be complete.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from SALib.analyze import morris as morris_analyze
from SALib.sample import morris as morris_sample

from sim import designs
from sim.output import write_atomic
from sim.views.figures import draw

HERE = Path(__file__).resolve().parent
DESIGN = HERE / "design.csv"
PARAMETERS = {
    "behaviour.opinion.susceptibility_mean": (0.3, 0.9),
    "behaviour.opinion.lead_weight": (1.0, 6.0),
    "behaviour.opinion.anchor_gain": (0.2, 1.0),
    "behaviour.opinion.landlord_share": (0.2, 0.8),
    "behaviour.parking.tolerated_value": (0.2, 0.8),
    "behaviour.frictions.lane_spots_per_household": (0.1, 0.5),
    "behaviour.frictions.stranger_tolerance": (0.9, 0.99),
    "behaviour.frictions.complaint_threshold": (0.25, 0.45),
    "behaviour.fees.conditional_share": (0.3, 0.8),
    "behaviour.fees.threshold_mean": (0.4, 0.7),
    "behaviour.fees.visit_effect": (0.05, 0.5),
    "behaviour.firm.fixed_cost_share": (0.1, 0.4),
    "behaviour.firm.service_cost_share": (0.3, 0.9),
    "deliberation.council_pull": (0.1, 0.5),
    "deliberation.discussion_epsilon": (0.05, 0.3),
    "deliberation.grievance_trigger": (0.05, 0.4),
    "deliberation.forecast_margin": (0.0, 0.1),
    "deliberation.trust_rate": (0.02, 0.3),
    "deliberation.turnout.stake_weight": (0.5, 4.0),
    "deliberation.turnout.social_weight": (0.0, 2.0),
    "deliberation.turnout.canvass_effect": (0.1, 0.8),
    "scenario.lead_share": (0.25, 1.0),
    "scenario.absentee_contact_share": (0.0, 1.0),
    "scenario.absentee_online_share": (0.0, 0.6),
}
"""The parameters varied and their ranges: how residents value the package, the encounters
that make conflicts and complaints, paying the fee as conditional cooperation and the firm's
costs (the ABC priors of validation/priors.yaml for the fitted ones; a lead's ask its
former prior), the negotiation's process
and turnout, and the estate's reach (leads, owners living elsewhere); each range holds the
value of configs/ (the calibrated behaviour, configs/deliberation, Xiaonanzhuang's scenario)."""
PROBLEM = {"num_vars": len(PARAMETERS), "names": list(PARAMETERS),
           "bounds": [list(bounds) for bounds in PARAMETERS.values()]}
TRAJECTORIES, LEVELS, SEED = 12, 4, 20261128
OUTPUTS = ["final_household_coverage", "total_complaints", "mean_fee_payment_rate",
           "days_to_consensus", "support_after", "adopted"]
"""``adopted``: 1 if the package was adopted within the run, else 0 (its mean over a design
point's seeds is the share of seeds that reached consensus)."""


def sample() -> pd.DataFrame:
    """The Morris design: TRAJECTORIES × (parameters + 1) points, 6 significant digits."""
    points = morris_sample.sample(PROBLEM, N=TRAJECTORIES, num_levels=LEVELS, seed=SEED)
    return pd.DataFrame(np.vectorize(lambda x: float(f"{x:.6g}"))(points), columns=PROBLEM["names"])


def indices(runs: pd.DataFrame, design: pd.DataFrame) -> pd.DataFrame:
    """Morris indices per output and parameter from the runs of every design point.

    Raises:
        IncompleteDesignError: if a design point has no complete run.
    """
    days = pd.to_numeric(runs["days_to_consensus"], errors="coerce")
    means = designs.point_means(runs.assign(adopted=days.notna().astype(float)), len(design),
                                OUTPUTS)
    outputs = list(means.columns)
    rows = []
    for output in outputs:
        result = morris_analyze.analyze(PROBLEM, design.to_numpy(), means[output].to_numpy(),
                                        num_levels=LEVELS, seed=SEED)
        for i, name in enumerate(PROBLEM["names"]):
            rows.append({"output": output, "parameter": name, "mu_star": result["mu_star"][i],
                         "mu_star_conf": result["mu_star_conf"][i], "sigma": result["sigma"][i]})
    return pd.DataFrame(rows)


def figure(table: pd.DataFrame) -> Figure:
    """One panel per output: μ* per parameter with its confidence half-width."""
    outputs = list(dict.fromkeys(table["output"]))
    fig, axes = draw.grid(len(outputs), 3, 5.0, 5.5)
    for ax, output in zip(axes, outputs, strict=False):
        rows = table[table["output"] == output].sort_values("mu_star")
        labels = [name.rsplit(".", 1)[1] for name in rows["parameter"]]
        ax.barh(labels, rows["mu_star"], xerr=rows["mu_star_conf"], color="C0", capsize=2)
        ax.set_title(output)
        ax.set_xlabel("μ* (mean absolute elementary effect)")
    return fig


def analyse(runs: pd.DataFrame, design: pd.DataFrame, sweep: Path) -> None:
    """Write indices.csv and the figure into the sweep folder; print the indices."""
    table = indices(runs, design)
    write_atomic(sweep / "indices.csv", lambda tmp: table.to_csv(tmp, index=False))
    draw.save(figure(table), sweep / "figures", "morris")
    print(table.to_string(index=False))


def main(argv: list[str]) -> int:
    return designs.main(argv, DESIGN, sample, analyse, "results/sensitivity")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
