"""Plain-language findings generated from the numbers: which rule set helps whom, by how much
and how sure, each with its interval.

Every finding compares two arms seed by seed (common random numbers, see
:func:`sim.views.figures.prepare.paired_differences`); a difference is called clear when its
interval excludes zero.
"""

from __future__ import annotations

import pandas as pd

from sim.views.brief.content import LEVEL, number
from sim.views.brief.words import FINDINGS
from sim.views.figures import prepare

COMPARED = ["final_household_coverage", "final_owner_coverage", "final_tenant_coverage",
            "complaints_per_1000", "owner_tenant_gap"]
"""Outcomes the findings compare (those the runs have)."""
UNITS = {"complaints_per_1000": "rate", "owner_tenant_gap": "pp"}
SPACES_SHARE = 0.5
"""The brief says the spaces, not the rules, make most of the package's gain in coverage when
the best rule set without the package's measures gains less than this share of it."""
"""Units of the compared outcomes; the rest are shares (their differences in points)."""


def worded(row, unit: str, lang: str) -> dict:
    """A paired difference in words: its value, its interval and whether it is clear."""
    words = FINDINGS[lang]
    clear = row["low"] > 0 or row["high"] < 0
    return {"value": number(row["mean"], unit, lang, signed=True),
            "ci": words["span"].format(low=number(row["low"], unit, lang, signed=True),
                                       high=number(row["high"], unit, lang, signed=True)),
            "sure": words["sure" if clear else "unsure"]}


def _differences(rows: pd.DataFrame, reference: str) -> pd.DataFrame:
    outcomes = [c for c in COMPARED if c in rows]
    return prepare.paired_differences(rows, outcomes, LEVEL, reference).set_index(
        ["group", "arm", "outcome"])


def findings(runs: pd.DataFrame, scenario: str, name: str, lang: str) -> list[str]:
    """The findings for one estate (none when the sweep has no baseline)."""
    rows = runs[runs["scenario"] == scenario]
    if not (rows["role"] == "baseline").any():
        return []
    words, versus_base = FINDINGS[lang], _differences(rows, "baseline")

    def diff(arm: tuple[str, str], outcome: str, table=versus_base) -> dict:
        return worded(table.loc[(*arm, outcome)], UNITS.get(outcome, "share"), lang)

    out = []
    package = _arms(rows, rows["role"] == "package")
    if package:
        arm, base = package[0], _arms(rows, rows["role"] == "baseline")[0]
        coverage, complaints = diff(arm, "final_household_coverage"), diff(
            arm, "complaints_per_1000")
        owners, tenants = diff(arm, "final_owner_coverage"), diff(arm, "final_tenant_coverage")
        gaps = rows.groupby(["group", "arm"], sort=False)["owner_tenant_gap"].mean()
        out.append(words["package"].format(
            name=name, coverage=coverage["value"], coverage_ci=coverage["ci"],
            sure=coverage["sure"], owners=owners["value"], owners_ci=owners["ci"],
            tenants=tenants["value"], tenants_ci=tenants["ci"],
            complaints=complaints["value"], complaints_ci=complaints["ci"],
            complaints_sure=complaints["sure"], before=number(gaps[base], "pp", lang),
            after=number(gaps[arm], "pp", lang), gap_ci=diff(arm, "owner_tenant_gap")["ci"]))
    base_group = rows.loc[rows["role"] == "baseline", "group"].iloc[0]
    alone = _best(rows, rows["group"] == base_group)
    if alone:
        coverage = diff(alone, "final_household_coverage")
        gain = versus_base.loc[(*alone, "final_household_coverage"), "mean"]
        spaces_matter = package and gain < SPACES_SHARE * versus_base.loc[
            (*package[0], "final_household_coverage"), "mean"]
        out.append(words["rules_alone" if spaces_matter else "rules_alone_plain"].format(
            name=name, arm=alone[1], coverage=coverage["value"], coverage_ci=coverage["ci"]))
    best = _best(rows, rows["role"] != "baseline")
    if package and best and best != package[0]:
        coverage = diff(best, "final_household_coverage", _differences(rows, "package"))
        out.append(words["best"].format(name=name, arm=best[1], coverage=coverage["value"],
                                        coverage_ci=coverage["ci"], sure=coverage["sure"]))
    return out


def _arms(rows: pd.DataFrame, mask: pd.Series) -> list[tuple[str, str]]:
    pairs = rows.loc[mask, ["group", "arm"]].itertuples(index=False, name=None)
    return list(dict.fromkeys(pairs))


def _best(rows: pd.DataFrame, mask: pd.Series) -> tuple[str, str] | None:
    """The arm with the highest mean coverage among ``mask``, the baseline left out."""
    pool = rows[mask & (rows["role"] != "baseline")]
    if pool.empty:
        return None
    return pool.groupby(["group", "arm"], sort=False)["final_household_coverage"].mean().idxmax()
