"""Policy arms in plain words: which settings define them, what to call them, which one is the
baseline (the status quo) and which one is the article's package.

An *arm* is one combination of the swept settings other than scenario and seed. Arms are
grouped by package (``package=``) when the sweep varies it; within its group an arm is named
by its other settings (rule names from the rule catalogue). An arm is the *baseline* when all
its settings are those of ``python -m sim.run`` without overrides, and *the package* when they
are exactly what its package brings (e.g. ``package=xiaonanzhuang_2024`` with its own
allocation and tenure rules).
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pandas as pd

from sim.collect import config_columns as run_columns
from sim.views.figures.labels import TEXT, setting, word

BASELINE, PACKAGE = "baseline", "package"
"""Roles of marked arms."""


def config_columns(runs: pd.DataFrame) -> list[str]:
    """The config columns of a runs table: from ``run`` to ``seed`` (collect puts them first)."""
    return list(runs.columns[: runs.columns.get_loc("seed") + 1])


def arm_columns(runs: pd.DataFrame) -> list[str]:
    """Config columns that define the arms: those that vary across runs (not scenario, seed,
    run), less those the others already determine (e.g. the pricing rule a package brings),
    tried in table order so that a swept key such as ``package`` is the one kept."""
    columns = [
        column for column in config_columns(runs)
        if column not in ("run", "scenario", "seed") and runs[column].nunique(dropna=False) > 1
    ]
    arms = len(runs[columns].drop_duplicates())
    for column in list(columns):
        rest = [c for c in columns if c != column]
        if rest and len(runs[rest].drop_duplicates()) == arms:
            columns = rest
    return columns


@cache
def reference_config(scenario: str, package: str):
    """The run config of ``scenario`` with ``package`` (``none``: no package) and no other
    override."""
    from sim.compose import load_config

    return load_config([f"scenario={scenario}"]
                       + ([] if package == "none" else [f"package={package}"]))


def reference(scenario: str, package: str) -> dict:
    """The config columns of ``scenario`` with ``package`` and no other override."""
    config = dataclasses.asdict(reference_config(scenario, package))
    return run_columns(config, {"package": package})


def role(scenario: str, settings: dict) -> str:
    """``baseline``, ``package`` or ``""`` for an arm's settings in ``scenario``."""
    package = settings.get("package", "none")
    try:
        expected = reference(scenario, str(package))
    except (ValueError, OSError):  # a package or scenario this checkout does not have
        return ""
    if any(expected.get(column) != value for column, value in settings.items()):
        return ""
    return BASELINE if package == "none" else PACKAGE


def with_arms(runs: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``runs`` with the columns ``arm`` (its plain name in ``lang``), ``group`` (its package's
    plain name, or "") and ``role`` (``baseline``, ``package`` or "")."""
    columns = arm_columns(runs)
    if not columns:
        return runs.assign(arm=word(TEXT, "all_runs", lang), group="", role="")
    named = [c for c in columns if c != "package"] or columns
    rows = runs[["scenario", *columns]].to_dict("records")
    arms = [" · ".join(setting(c, row[c], lang) for c in named) for row in rows]
    groups = [setting("package", row["package"], lang) if "package" in columns and named != columns
              else "" for row in rows]
    roles = [role(row["scenario"], {c: row[c] for c in columns}) for row in rows]
    return runs.assign(arm=arms, group=groups, role=roles)
