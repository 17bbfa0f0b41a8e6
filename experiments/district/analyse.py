"""Analyse the district study: the district's hotline load, the spread of outcomes across
communities, and which kinds of community gain most from which rule set.

    python experiments/district/analyse.py [results/district]

Only the communities and seeds that every rule set has are compared. Writes, in the sweep
folder: runs.parquet / runs.csv (sim.collect); district.csv, one row per rule set: hotline
complaints (12345) across the district per year, mean and 95 % confidence interval across
seeds, and the 10th, 50th and 90th percentiles across communities of car-owning
households' coverage and of fee payment (each community's mean over seeds); gains.csv, one row
per kind of community and rule set: the change against the status quo in coverage
(percentage points) and in complaints per 1,000 households a year, paired by community and seed
(common random numbers), mean and 95 % confidence interval across communities; and
figures/en, figures/zh: district.png/.svg (the spread) and gains.png/.svg (the gains).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from sim import collect
from sim.output import write_atomic
from sim.views.figures.draw import OKABE_ITO, rc, save
from sim.views.figures.fonts import resolve_language
from sim.views.figures.labels import rule_name, setting

LEVEL = 0.95
BASELINE = {"package": "none", "allocation": "status_quo"}
RULES = ["package", "allocation"]
KINDS = {
    "firm_situation": (None, {"steady": ("steady firm", "物业稳定"),
                              "struggling": ("struggling firm", "物业薄弱"),
                              "fragmented": ("several firms", "多家物业")}),
    "year_built": ([0, 1980, 2000, 3000], [("built before 1980", "1980年前建成"),
                                           ("built 1980-1999", "1980-1999年建成"),
                                           ("built 2000 or later", "2000年后建成")]),
    "spaces_per_car": ([0, 0.4, 0.65, 9], [("under 0.4 spaces per car", "每车不足0.4个车位"),
                                           ("0.4-0.65 spaces per car", "每车0.4-0.65个车位"),
                                           ("over 0.65 spaces per car", "每车超过0.65个车位")]),
    "lead_share": ([0, 0.35, 0.65, 1.01], [("few building leads", "楼门长少"),
                                           ("some building leads", "楼门长中等"),
                                           ("many building leads", "楼门长多")]),
    "households": ([0, 1000, 2500, 10**6], [("under 1,000 households", "不足1000户"),
                                            ("1,000-2,500 households", "1000-2500户"),
                                            ("over 2,500 households", "超过2500户")]),
}
"""How communities are grouped into kinds: bin edges (or categories) and (en, zh) names."""
WORDS = {
    "complaints": ("Hotline complaints (12345) a year, whole district",
                   "全区每年12345热线诉求"),
    "coverage": ("Car-owning households with a space, across communities",
                 "各社区有车住户中有车位的比例"),
    "fees": ("Property fee payment, across communities", "各社区物业费缴纳率"),
    "gain_coverage": ("Change in coverage against the status quo (percentage points)",
                      "与现状相比覆盖率的变化（百分点）"),
    "gain_complaints": ("Change in complaints per 1,000 households a year",
                        "与现状相比每千户每年诉求的变化"),
    "note": ("across communities: box 25th-75th percentile, whiskers 10th-90th, line median; "
             "complaints: mean and {level:.0%} CI across seeds",
             "各社区分布：箱为第25-75百分位，须为第10-90百分位，线为中位数；诉求：跨随机种子的"
             "均值及{level:.0%}置信区间"),
}


def interval(values: pd.Series) -> tuple[float, float, float]:
    """Mean and the t-interval of the mean at :data:`LEVEL`."""
    values = values.dropna()
    mean = float(values.mean())
    if len(values) < 2:
        return mean, np.nan, np.nan
    half = stats.t.ppf(0.5 + LEVEL / 2, len(values) - 1) * values.std(ddof=1) / np.sqrt(
        len(values))
    return mean, mean - half, mean + half


def with_rates(runs: pd.DataFrame) -> pd.DataFrame:
    """Runs with complaints a year and per 1,000 households a year."""
    per_year = runs["total_complaints"] * 365.0 / runs["days"]
    return runs.assign(complaints_year=per_year,
                       complaints_rate=1000.0 * per_year / runs["households"])


def comparable(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs of the communities and seeds that every rule set has (a study still running or
    cut short compares like with like)."""
    arms = runs.groupby(["community", "seed"])[RULES].apply(lambda g: len(g.drop_duplicates()))
    full = arms[arms == runs[RULES].drop_duplicates().shape[0]].index
    return runs[pd.MultiIndex.from_frame(runs[["community", "seed"]]).isin(full)]


def district_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per rule set: district totals across seeds, spread across communities."""
    rows = []
    for rules, group in runs.groupby(RULES, sort=False):
        totals = group.groupby("seed")["complaints_year"].sum()
        communities = group.groupby("community")[["final_household_coverage",
                                                   "mean_fee_payment_rate"]].mean()
        row = dict(zip(RULES, rules, strict=True))
        row["seeds"], row["communities"] = len(totals), len(communities)
        row |= dict(zip(["complaints_year", "complaints_year_low", "complaints_year_high"],
                        interval(totals), strict=True))
        for column, name in (("final_household_coverage", "coverage"),
                             ("mean_fee_payment_rate", "fee_payment")):
            for q in (10, 50, 90):
                row[f"{name}_p{q}"] = communities[column].quantile(q / 100)
        rows.append(row)
    return pd.DataFrame(rows)


def kinds(runs: pd.DataFrame) -> pd.DataFrame:
    """One column per grouping of :data:`KINDS`: the community's kind, in English."""
    out = {}
    for column, (edges, names) in KINDS.items():
        if edges is None:
            out[f"kind.{column}"] = runs[column].map({k: v[0] for k, v in names.items()})
        else:
            out[f"kind.{column}"] = pd.cut(runs[column], edges, right=False,
                                           labels=[en for en, _ in names]).astype(str)
    return pd.DataFrame(out, index=runs.index)


def gains_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per kind of community and rule set, the paired change against the status quo."""
    keys = ["community", "seed"]
    base = runs[(runs[RULES] == pd.Series(BASELINE)).all(axis=1)].set_index(keys)
    rows = []
    for rules, group in runs.groupby(RULES, sort=False):
        if dict(zip(RULES, rules, strict=True)) == BASELINE:
            continue
        arm = group.set_index(keys)
        both = arm.index.intersection(base.index)
        diff = pd.DataFrame({
            "coverage": arm.loc[both, "final_household_coverage"]
            - base.loc[both, "final_household_coverage"],
            "complaints": arm.loc[both, "complaints_rate"] - base.loc[both, "complaints_rate"],
        }).groupby("community").mean()
        described = kinds(arm.loc[both].groupby("community").first())
        for grouping, (edges, names) in KINDS.items():
            members_of = described.groupby(f"kind.{grouping}").groups
            order = [en for en, _ in (names.values() if edges is None else names)]
            for kind, members in ((k, members_of[k]) for k in order if k in members_of):
                row = {**dict(zip(RULES, rules, strict=True)), "grouping": grouping,
                       "kind": kind, "communities": len(members)}
                for name in ("coverage", "complaints"):
                    row |= dict(zip([f"{name}_change", f"{name}_low", f"{name}_high"],
                                    interval(diff.loc[members, name]), strict=True))
                rows.append(row)
    return pd.DataFrame(rows)


def arm_name(package: str, allocation: str, lang: str) -> str:
    """A rule set in plain words."""
    return f"{rule_name(allocation, lang)} · {setting('package', package, lang)}"


def kind_name(grouping: str, kind: str, lang: str) -> str:
    """A kind of community (named in English in the tables) in ``lang``."""
    edges, names = KINDS[grouping]
    return kind if lang == "en" else dict(names.values() if edges is None else names)[kind]


def wrap(text: str, lang: str) -> str:
    """A panel title in lines that fit its panel."""
    return textwrap.fill(text, 34 if lang == "en" else 18)


def word(key: str, lang: str) -> str:
    """One of :data:`WORDS` in ``lang``."""
    return WORDS[key][0 if lang == "en" else 1]


def district_figure(runs: pd.DataFrame, table: pd.DataFrame, lang: str) -> Figure:
    """Complaints across the district per rule set; coverage and fee payment across
    communities."""
    names = [arm_name(p, a, lang) for p, a in zip(table["package"], table["allocation"],
                                                    strict=True)]
    y = np.arange(len(table))[::-1]
    figure = Figure(figsize=(11, 0.42 * len(table) + 1.6), layout="constrained")
    axes = figure.subplots(1, 3, sharey=True)
    low = table["complaints_year"] - table["complaints_year_low"]
    high = table["complaints_year_high"] - table["complaints_year"]
    axes[0].errorbar(table["complaints_year"], y, xerr=[low.fillna(0), high.fillna(0)], fmt="o",
                     color=OKABE_ITO["vermillion"])
    axes[0].set_title(wrap(word("complaints", lang), lang), fontsize=9)
    for ax, column, key in ((axes[1], "final_household_coverage", "coverage"),
                            (axes[2], "mean_fee_payment_rate", "fees")):
        per = runs.groupby(RULES + ["community"], sort=False)[column].mean()
        data = [per.loc[(p, a)].to_numpy() for p, a in zip(table["package"],
                                                           table["allocation"], strict=True)]
        ax.boxplot(data, positions=y, orientation="horizontal", whis=(10, 90), showfliers=False,
                   widths=0.6, medianprops={"color": OKABE_ITO["blue"]})
        ax.set_title(wrap(word(key, lang), lang), fontsize=9)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    axes[0].set_yticks(y, names)
    figure.supxlabel(word("note", lang).format(level=LEVEL), fontsize=8, color="0.35")
    return figure


def gains_figure(gains: pd.DataFrame, lang: str) -> Figure:
    """Heat maps: kinds of community × rule sets, change in coverage and in complaints."""
    arms = gains[RULES].drop_duplicates()
    columns = [arm_name(p, a, lang) for p, a in arms.itertuples(index=False)]
    rows = gains[["grouping", "kind"]].drop_duplicates()
    labels = [kind_name(g, k, lang) for g, k in rows.itertuples(index=False)]
    figure = Figure(figsize=(12, 0.3 * len(rows) + 3.2), layout="constrained")
    for ax, name, cmap in zip(figure.subplots(1, 2, sharey=True), ("coverage", "complaints"),
                              ("PuOr", "PuOr_r"), strict=True):
        grid = gains.pivot_table(index=["grouping", "kind"], columns=RULES,
                                 values=f"{name}_change", sort=False)
        grid = grid.loc[list(rows.itertuples(index=False)), list(arms.itertuples(index=False))]
        values = grid.to_numpy() * (100 if name == "coverage" else 1)
        bound = np.nanmax(np.abs(values)) or 1.0
        ax.imshow(values, cmap=cmap, vmin=-bound, vmax=bound, aspect="auto")
        for (i, j), value in np.ndenumerate(values):
            ax.text(j, i, f"{value:+.1f}", ha="center", va="center", fontsize=7)
        ax.set_xticks(range(len(columns)), columns, rotation=60, ha="right", fontsize=7)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.set_title(word(f"gain_{name}", lang), fontsize=9)
    return figure


def main(sweep: str = "results/district") -> int:
    status = collect.main([sweep])
    if status:
        return status
    folder = Path(sweep)
    runs = comparable(with_rates(pd.read_parquet(folder / "runs.parquet")))
    table, gains = district_table(runs), gains_table(runs)
    for name, frame in (("district.csv", table), ("gains.csv", gains)):
        write_atomic(folder / name, lambda tmp, f=frame: f.to_csv(tmp, index=False))
    for requested in ("en", "zh"):
        lang, cjk = resolve_language(requested)
        import matplotlib

        with matplotlib.rc_context(rc(cjk)):
            out = folder / "figures" / requested
            save(district_figure(runs, table, lang), out, "district")
            if not gains.empty:
                save(gains_figure(gains, lang), out, "gains")
    print(f"{folder / 'district.csv'}, {folder / 'gains.csv'}, {folder / 'figures'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
