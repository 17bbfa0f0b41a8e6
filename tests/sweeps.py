"""Helpers for tests that run real sweeps: ``python -m sim.run -m ...`` in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from sim.collect import collect

REPO = Path(__file__).resolve().parent.parent
TINY = ("days=5", "allocation=status_quo,one_car_owner_first", "seed=0,1")
"""A tiny sweep: 2 rules × 2 seeds, 5 days each (4 runs, 4 jobs)."""
TIMING = ["model_seconds", "wall_seconds"]
"""Columns that measure time and so differ between otherwise identical runs."""


def sweep(folder: Path, *overrides: str, launcher: str = "joblib", python: str = sys.executable,
          prefix: tuple[str, ...] = (), env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a sweep into ``folder`` with ``launcher``; return the finished process."""
    command = [*prefix, python, "-m", "sim.run", "-m", f"hydra/launcher={launcher}",
               f"hydra.sweep.dir={folder}", *overrides]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600,
                          env=env)


def table(folder: Path, timing: list[str] = TIMING) -> pd.DataFrame:
    """The sweep's runs table without its ``timing`` columns."""
    return collect(folder).runs.drop(columns=timing)


def summary(run_folder: Path) -> dict:
    return json.loads((run_folder / "summary.json").read_text(encoding="utf-8"))
