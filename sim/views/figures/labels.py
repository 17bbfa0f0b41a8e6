"""Words for figures and the brief, in English (``en``) or Chinese (``zh``).

Rule names come from the rules themselves (``Rule.en`` / ``Rule.zh``, the rule catalogue),
scenario names from their config (``label_en`` / ``label_zh``), so a new rule or scenario is
named without touching this module. Packages are YAML-only bundles and are named here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from sim.config import CONFIG_DIR

LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Measure:
    """An outcome as shown: its name in both languages, how to print it and which way is better.

    Attributes:
        unit: ``share`` (printed in %), ``pp`` (a difference of shares, in percentage points),
            ``rate`` (per 1,000 households a year), ``days`` or ``index`` (a plain number).
        better: ``up``, ``down``, ``zero`` (closest to zero) or ``none``.
        low, high: the range a value can take, to clip intervals to.
    """

    en: str
    zh: str
    unit: str
    better: str
    low: float = float("-inf")
    high: float = float("inf")

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _share(en: str, zh: str, better: str = "up") -> Measure:
    return Measure(en, zh, "share", better, 0.0, 1.0)


OUTCOMES = {
    "final_household_coverage": _share("Car-owning households with a space (last night)",
                                       "有车住户中有车位的比例（末日）"),
    "mean_household_coverage": _share("Car-owning households with a space (mean over the year)",
                                      "有车住户中有车位的比例（全年平均）"),
    "complaints_per_1000": Measure("Hotline complaints (12345) per 1,000 households a year",
                                   "每千户每年12345热线诉求", "rate", "down", 0.0),
    "conflicts_per_1000": Measure("Neighbour conflicts per 1,000 households a year",
                                  "每千户每年邻里冲突", "rate", "down", 0.0),
    "owner_tenant_gap": Measure("Owner − tenant coverage gap (percentage points)",
                                "业主与租户车位覆盖率之差（百分点）", "pp", "zero", -1.0, 1.0),
    "gini_access": Measure("Inequality of parking access (Gini, 0 = equal)",
                           "停车机会不平等（基尼系数，0为完全平等）", "index", "down", 0.0, 1.0),
    "final_fee_payment_rate": _share("Property fee payment rate (last month)",
                                     "物业费缴费率（末月）"),
    "final_satisfaction": Measure("Mean satisfaction (0–1, last day)", "平均满意度（0–1，末日）",
                                  "index", "up", 0.0, 1.0),
    "final_support": Measure("Support for the proposal (0–1, last day)",
                             "对方案的支持度（0–1，末日）", "index", "none", 0.0, 1.0),
    "days_to_consensus": Measure("Days to consensus (runs that reached it)",
                                 "达成共识所需天数（仅达成共识的运行）", "days", "down", 0.0),
    "space_groups_worse_off": Measure(
        "Groups of users worse off than before (shared space)",
        "使用群体中利益受损的群体数（共享空间）", "index", "down", 0.0),
    "space_utilisation": _share("Shared space in use (share of m²·hours)",
                                "共享空间使用率（面积×时长）"),
}
"""Outcomes shown, in this order, when the sweep has them (``*_per_1000`` are derived)."""

DAILY = {
    "household_coverage": _share("Car-owning households with a space", "有车住户中有车位的比例"),
    "complaints_per_1000_to_date": Measure(
        "Hotline complaints (12345) per 1,000 households, to date",
        "每千户累计12345热线诉求", "rate", "down", 0.0),
    "satisfaction": Measure("Mean satisfaction (0–1)", "平均满意度（0–1）", "index", "up",
                            0.0, 1.0),
    "support": Measure("Support for the proposal (0–1)", "对方案的支持度（0–1）", "index", "none",
                       0.0, 1.0),
}
"""Daily measures drawn over time."""

PACKAGES = {
    "none": ("Rules alone", "仅改规则"),
    "xiaonanzhuang_2024": ("With Xiaonanzhuang's other measures", "配合小南庄的其他措施"),
    "shiyou_renewal": ("Shiyou compound renewal", "石油大院更新方案"),
}
"""Plain names of the packages (``configs/package/``) as groups of arms: with a package, the
swept rules replace the package's own and its other rules and measures stay."""

SETTINGS = {
    "scenario.lead_share": ("Stairwells with a building lead: {:.0%}",
                            "有党员楼门长的楼门：{:.0%}"),
}
"""Plain wording of swept numbers; any other setting is shown as ``key=value``."""

TEXT = {
    "interval": ("mean and {level:.0%} confidence interval across {n} seeds",
                 "均值及跨{n}个随机种子的{level:.0%}置信区间"),
    "band": ("line: mean; band: {level:.0%} confidence interval across seeds",
             "线：均值；带：跨随机种子的{level:.0%}置信区间"),
    "day": ("day", "天"),
    "baseline": ("baseline: status quo", "基线：现状"),
    "package": ("the article's package", "文章中的方案"),
    "baseline_line": ("dashed line: baseline", "虚线：基线"),
    "tradeoff": ("Coverage, fairness and complaints (better: up and right, lighter)",
                 "覆盖率、公平度与诉求（越靠右上、颜色越浅越好）"),
    "coverage": ("Car-owning households with a space (last night)",
                 "有车住户中有车位的比例（末日）"),
    "fairness": ("Fairness of access (1 − Gini)", "停车机会公平度（1 − 基尼系数）"),
    "complaints": ("Complaints per 1,000 households a year", "每千户每年诉求"),
    "numbered": ("numbered: not outdone on both axes by another arm, and the marked arms",
                 "编号：两项指标均未被其他方案超过者，以及标注的方案"),
    "consensus": ("Consensus: share of runs that reached it, and days it took",
                  "共识：达成共识的运行比例及所需天数"),
    "reached": ("runs that reached consensus", "达成共识的运行比例"),
    "days_taken": ("days to consensus (runs that reached it)", "达成共识所需天数（仅达成者）"),
    "trajectory_note": ("marked arms and the best and worst on coverage; all arms in "
                        "outcomes.csv", "标注的方案及覆盖率最高、最低者；全部方案见 outcomes.csv"),
    "per_year": ("per 1,000 households a year", "每千户每年"),
    "no_measures": ("no extra spaces", "不增加车位"),
    "all_runs": ("all runs", "全部运行"),
    "constant": ("Left out, the same in every run: {items}.",
                 "未画出（所有运行中相同）：{items}。"),
    "not_deliberated": ("days to consensus (no run deliberated: the committee decides)",
                        "达成共识所需天数（没有运行进行协商：委员会直接决定）"),
}
"""Other words on the figures: (en, zh)."""


def word(table: dict, key: str, lang: str) -> str:
    """``table[key]`` in ``lang``."""
    return table[key][LANGUAGES.index(lang)]


@cache
def _rules() -> dict[str, tuple[str, str]]:
    """Every registered rule's name → (plain English name, Chinese name)."""
    from sim.rules import registry

    return {name: (rule.en or name, rule.zh or rule.en or name)
            for rules in registry.all_groups().values() for name, rule in rules.items()}


@cache
def _scenarios() -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for path in sorted((CONFIG_DIR / "scenario").glob("*.yaml"))}


def scenario_name(name: str, lang: str) -> str:
    """A scenario's plain name in ``lang`` (its config's ``label_en`` / ``label_zh``)."""
    return _scenarios().get(name, {}).get(f"label_{lang}") or name


def rule_name(name: str, lang: str) -> str:
    """A rule's plain name in ``lang`` (the name itself if it is no registered rule)."""
    return _rules().get(name, (name, name))[LANGUAGES.index(lang)]


def setting(column: str, value, lang: str) -> str:
    """One part of a policy arm in plain words: a rule (or ``+``-joined rules, e.g. supply
    measures) by its plain name, a known number by its wording, anything else ``key=value``."""
    if column == "package":
        return word(PACKAGES, value, lang) if value in PACKAGES else f"package={value}"
    if column in SETTINGS and isinstance(value, int | float):
        return word(SETTINGS, column, lang).format(value)
    if isinstance(value, str):
        if value == "none":
            return word(TEXT, "no_measures", lang)
        return " + ".join(rule_name(part, lang) for part in value.split("+"))
    return f"{column}={value:g}" if isinstance(value, int | float) else f"{column}={value}"
