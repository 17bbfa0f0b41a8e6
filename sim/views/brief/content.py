"""The brief's numbers: the estates, the arms compared, a headline table per estate and the
provenance, from a sweep's runs table (with arms and rates, :func:`sim.compare.prepare_runs`).
"""

from __future__ import annotations

import hashlib
from datetime import date
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from sim.collect import read_run
from sim.views.brief.words import WORDS
from sim.views.figures import prepare
from sim.views.figures.labels import OUTCOMES

LEVEL = 0.90
"""Confidence level of every interval in the brief."""
ROWS = 4
"""Rule sets in each headline table: the baseline and the package, if the sweep has them, then
those with the highest coverage."""
HEADLINE = {"final_household_coverage": "col_coverage", "complaints_per_1000": "col_complaints",
            "owner_tenant_gap": "col_gap", "final_fee_payment_rate": "col_fees",
            "days_to_consensus": "col_days"}
"""Columns of the headline table: outcome → its heading."""
DAYS = "days_to_consensus"


def number(value: float, unit: str, lang: str, signed: bool = False) -> str:
    """A value as printed in the brief: shares in %, differences of shares in percentage
    points, other numbers rounded to whole units."""
    if unit == "pp" or (signed and unit == "share"):
        return WORDS[lang]["pp"].format(value=round(100 * value))
    if unit == "share":
        return f"{100 * value:.0f} %"
    return f"{value:+,.0f}" if signed else f"{value:,.0f}"


def cell(row, unit: str, lang: str) -> str:
    """``mean (low–high)`` of one interval row."""
    if pd.isna(row["mean"]):
        return "—"
    if unit == "pp":
        mean, low, high = (round(100 * row[k]) for k in ("mean", "low", "high"))
        return f"{mean:+d} ({low:+d}{'至' if lang == 'zh' else ' to '}{high:+d})"
    scale, suffix = (100, " %") if unit == "share" else (1, "")
    return f"{scale * row['mean']:,.0f}{suffix} ({scale * row['low']:,.0f}–" \
           f"{scale * row['high']:,.0f})"


def estate(scenario: str, package: str | None) -> dict:
    """An estate's size from its config: households, cars, spaces, and the spaces the
    package's measures add."""
    from sim.views.figures.arms import reference_config

    config = reference_config(scenario, "none")
    extra = 0
    if package:
        measures = reference_config(scenario, package).supply
        extra = sum(getattr(config.scenario.supply, m.count_key, 0)
                    for m in _measures(measures) if m.count_key.endswith("_spaces"))
    return {"households": config.scenario.households, "cars": config.scenario.cars,
            "spaces": config.scenario.spaces, "extra": extra}


def _measures(supply: dict) -> list:
    from sim.rules import registry

    return [registry.get("supply", name) for name in supply]


def headline(runs: pd.DataFrame, scenario: str, lang: str) -> tuple[list[str], list[dict]]:
    """The headline table of one estate: the outcomes shown, and one row per arm shown (the
    baseline, the package, then the others with the highest coverage: :data:`ROWS`), each with
    its name, role and one printed interval per outcome. Days to consensus are shown for the
    arms that deliberated (over the runs that reached it, with how many did)."""
    rows = runs[runs["scenario"] == scenario]
    voted = prepare.deliberated(rows)
    outcomes = [c for c in HEADLINE if c in rows and c != DAYS and rows[c].notna().any()]
    table = prepare.outcome_intervals(rows, outcomes, LEVEL)
    if DAYS in rows and not voted.empty:
        outcomes.append(DAYS)
        table = pd.concat([table, prepare.outcome_intervals(voted, [DAYS], LEVEL)])
        reached = prepare.consensus(voted, DAYS, LEVEL).set_index(["group", "arm"])
    coverage = table[table["outcome"] == outcomes[0]]
    ranked = coverage.sort_values("mean", ascending=False, kind="stable")
    marked = ranked[ranked["role"] != ""].sort_values("role", key=lambda r: r != "baseline")
    chosen = pd.concat([marked, ranked[ranked["role"] == ""].head(ROWS - len(marked))])
    out = []
    for arm in chosen.itertuples():
        cells = table[(table["group"] == arm.group) & (table["arm"] == arm.arm)].set_index(
            "outcome")
        printed = [cell(cells.loc[c], OUTCOMES[c].unit, lang) if c in cells.index else "—"
                   for c in outcomes]
        if DAYS in cells.index:  # runs without consensus are counted, not dropped
            share = reached.loc[(arm.group, arm.arm)]
            printed[-1] += WORDS[lang]["reached"].format(reached=share["reached"],
                                                         runs=share["runs"])
        out.append({"arm": arm.arm, "group": arm.group, "role": arm.role, "cells": printed})
    return outcomes, out


def sweep_hash(runs: pd.DataFrame) -> str:
    """A short fingerprint of the sweep: SHA-256 over its runs' config hashes."""
    text = "\n".join(sorted(runs["config_hash"].astype(str)))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def seed_range(runs: pd.DataFrame) -> str:
    seeds = sorted(runs["seed"].unique())
    contiguous = seeds == list(range(seeds[0], seeds[-1] + 1))
    return f"{seeds[0]}–{seeds[-1]}" if contiguous and len(seeds) > 1 else \
        ", ".join(map(str, seeds))


def provenance(sweep: Path, runs: pd.DataFrame, lang: str) -> str:
    """Where the numbers come from: versions, the sweep, its seeds and hash, the date and how
    to make them again."""
    _, summary = read_run(Path(sweep) / runs["run"].iloc[0])
    versions = summary.get("versions", {})
    from sim.config import CONFIG_DIR

    name = Path(sweep).name
    experiment = name if (CONFIG_DIR / "experiment" / f"{name}.yaml").is_file() else "<name>"
    return WORDS[lang]["provenance"].format(
        version=version("shangliang"), sweep=sweep, runs=len(runs), seeds=seed_range(runs),
        hash=sweep_hash(runs), python=versions.get("python", "?"),
        mesa=versions.get("mesa", "?"), numpy=versions.get("numpy", "?"),
        date=date.today().isoformat(), experiment=experiment, lang=lang)
