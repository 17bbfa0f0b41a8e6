"""Experiments over a design (``experiments/<name>/design.csv``, one row per point, run by the
sweeper's ``design`` option): the command line they share and the per-point means.

An experiment's ``analyse.py`` supplies how to sample its design and how to analyse the
collected runs; :func:`main` does the rest: ``analyse.py sample`` writes the design, and
``analyse.py [sweep folder]`` collects the sweep and analyses it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim import collect
from sim.output import write_atomic


class IncompleteDesignError(ValueError):
    """Some design points have no complete run."""


def point_means(runs: pd.DataFrame, points: int, outputs: list[str]) -> pd.DataFrame:
    """The mean of each output over each design point's runs (seeds), one row per point.

    A run without consensus counts as the run's length in ``days_to_consensus`` (censored).

    Raises:
        IncompleteDesignError: if a design point has no complete run.
    """
    runs = runs.assign(point=runs["sample"].astype(int))
    if "days_to_consensus" in runs:
        days = pd.to_numeric(runs["days_to_consensus"], errors="coerce").astype(float)
        runs["days_to_consensus"] = days.fillna(runs["days"])
    means = runs.groupby("point")[[o for o in outputs if o in runs]].mean()
    means = means.reindex(range(points))
    missing = means.index[means.isna().any(axis=1)].tolist()
    if missing:
        raise IncompleteDesignError(f"design points without complete runs: {missing[:10]} "
                                    f"({len(missing)} in all); run the sweep again to finish "
                                    "them")
    return means


def main(argv: list[str], design_path: Path, sample: Callable[[], pd.DataFrame],
         analyse: Callable[[pd.DataFrame, pd.DataFrame, Path], None], default_sweep: str) -> int:
    """``sample`` writes the design; otherwise collect the sweep folder (``argv[0]`` or
    ``default_sweep``) and call ``analyse(runs, design, sweep folder)``."""
    if argv[:1] == ["sample"]:
        design = sample()
        write_atomic(design_path, lambda tmp: design.to_csv(tmp, index=False))
        print(f"{len(design)} design points -> {design_path}")
        return 0
    sweep = Path(argv[0] if argv else default_sweep)
    status = collect.main([str(sweep)])
    if status:
        return status
    try:
        analyse(collect.collect(sweep).runs, pd.read_csv(design_path), sweep)
    except IncompleteDesignError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
