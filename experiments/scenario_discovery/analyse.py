"""Scenario discovery with PRIM (ema_workbench): which combinations of conditions make
deliberation fail (no consensus within a year) or the property firm leave?

    python experiments/scenario_discovery/analyse.py sample   # write design.csv (committed)
    python -m sim.run -m experiment=scenario_discovery        # run every design point
    python experiments/scenario_discovery/analyse.py [results/scenario_discovery]

For each outcome PRIM (Friedman & Fisher 1999) peels the input space toward the runs where it
happens; the box reported is the one on the peeling trajectory with the most coverage among
those whose density reaches DENSITY (else the densest). Writes boxes.csv: per outcome and
restricted condition, the box's limits, with its coverage and density.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim import designs
from sim.output import write_atomic

HERE = Path(__file__).resolve().parent
DESIGN = HERE / "design.csv"
CONDITIONS = {
    "scenario.lead_share": (0.0, 1.0),
    "scenario.owner_share": (0.4, 0.9),
    "scenario.initial_fee_payment": (0.2, 0.9),
    "scenario.initial_firm_quality": (0.2, 0.8),
    "scenario.spaces": (150, 350),
    "deliberation.turnout.canvass_effect": (0.1, 0.8),
    "behaviour.fees.threshold_mean": (0.4, 0.7),
    "scenario.contract_months_left": (3, 24),
    "scenario.firm_reserve_months": (1.0, 12.0),
}
"""The conditions varied (Latin hypercube) and their ranges."""
WHOLE = ("scenario.spaces", "scenario.contract_months_left")
"""Conditions that are counts."""
POINTS, SEED, DENSITY = 240, 20261130, 0.8
OUTCOMES = {
    "no_consensus": lambda runs: pd.to_numeric(runs["days_to_consensus"],
                                               errors="coerce").isna(),
    "firm_exits": lambda runs: runs["firm_exits"] > 0,
}


def sample() -> pd.DataFrame:
    """A Latin hypercube of POINTS points over CONDITIONS, 6 significant digits."""
    unit = qmc.LatinHypercube(d=len(CONDITIONS), seed=SEED).random(POINTS)
    low, high = np.array(list(CONDITIONS.values()), dtype=float).T
    frame = pd.DataFrame(qmc.scale(unit, low, high), columns=list(CONDITIONS))
    frame = frame.map(lambda x: float(f"{x:.6g}"))
    for key in WHOLE:
        frame[key] = frame[key].round().astype(int)
    return frame


def boxes(runs: pd.DataFrame, design: pd.DataFrame) -> pd.DataFrame:
    """PRIM's box per outcome: one row per restricted condition (or one row saying the
    outcome never or always happens)."""
    from ema_workbench.analysis import prim

    points = runs.assign(point=runs["sample"].astype(int)).set_index("point").sort_index()
    # PRIM writes fractional limits into the frame: every column must be float.
    x = design.loc[points.index].reset_index(drop=True).astype(float)
    rows = []
    for outcome, happens in OUTCOMES.items():
        y = happens(points).to_numpy(dtype=bool)
        share = float(y.mean())
        if share in (0.0, 1.0):
            rows.append({"outcome": outcome, "condition": "never" if share == 0 else "always",
                         "low": np.nan, "high": np.nan, "coverage": np.nan,
                         "density": share, "share_of_runs": share})
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            box = prim.Prim(x, y).find_box()
        trajectory = box.peeling_trajectory
        dense = trajectory[trajectory["density"] >= DENSITY]
        chosen = (dense.sort_values(["coverage", "density"]).index[-1] if len(dense)
                  else trajectory["density"].idxmax())
        box.select(int(chosen))
        limits = box.box_lims[-1]
        for condition in x.columns:
            low, high = limits[condition]
            if low > x[condition].min() or high < x[condition].max():
                rows.append({"outcome": outcome, "condition": condition, "low": low,
                             "high": high, "coverage": box.coverage,
                             "density": box.density, "share_of_runs": share})
    return pd.DataFrame(rows)


def analyse(runs: pd.DataFrame, design: pd.DataFrame, sweep: Path) -> None:
    """Write boxes.csv into the sweep folder and print it."""
    table = boxes(runs, design)
    write_atomic(sweep / "boxes.csv", lambda tmp: table.to_csv(tmp, index=False))
    print(table.round(3).to_string(index=False))


def main(argv: list[str]) -> int:
    return designs.main(argv, DESIGN, sample, analyse, "results/scenario_discovery")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
