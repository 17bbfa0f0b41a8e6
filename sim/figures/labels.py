"""Words on the figures, in English (``en``) or Chinese (``zh``), and the font to print them.

Rule names in Chinese come from the rules themselves (``Rule.zh``), scenario names from their
config (``label_zh``), so a new rule or scenario is labelled without touching this module.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from functools import cache

import yaml
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from sim.config import CONFIG_DIR

OUTCOMES = {
    "final_household_coverage": ("Car-owning households with a space (last night)",
                                 "有车住户中有车位的比例（末日）"),
    "mean_household_coverage": ("Car-owning households with a space (mean over days)",
                                "有车住户中有车位的比例（日均）"),
    "total_complaints": ("Hotline complaints (12345), total", "12345热线诉求（总数）"),
    "total_conflicts": ("Neighbour conflicts, total", "邻里冲突（总数）"),
    "gini_access": ("Inequality of parking access (Gini)", "停车机会不平等（基尼系数）"),
    "owner_tenant_gap": ("Owner − tenant coverage gap", "业主与租户的车位覆盖率差"),
    "final_satisfaction": ("Mean satisfaction (last day)", "平均满意度（末日）"),
    "final_fee_payment_rate": ("Property fee payment rate (last month)", "物业费缴费率（末月）"),
    "final_support": ("Support for the proposal (last day)", "对方案的支持度（末日）"),
    "days_to_consensus": ("Days to consensus", "达成共识所需天数"),
}
"""Summary columns shown by rule, in this order, when the sweep has them: (en, zh)."""

DAILY = {
    "household_coverage": ("Car-owning households with a space", "有车住户中有车位的比例"),
    "complaints_to_date": ("Hotline complaints to date", "累计12345热线诉求"),
    "satisfaction": ("Mean satisfaction", "平均满意度"),
    "support": ("Support for the proposal", "对方案的支持度"),
}
"""Daily measures drawn as trajectories: (en, zh)."""

SHARES = {"final_household_coverage", "mean_household_coverage", "owner_tenant_gap",
          "final_fee_payment_rate", "household_coverage"}
"""Columns that are shares of households, shown as percentages."""

TEXT = {
    "mean_ci": ("mean and 95 % confidence interval across {n} seeds",
                "均值及跨 {n} 个随机种子的95%置信区间"),
    "band": ("line: mean; band: 95 % confidence interval across seeds",
             "线：均值；带：跨随机种子的95%置信区间"),
    "day": ("day", "天"),
    "coverage": ("Car-owning households with a space (last night)",
                 "有车住户中有车位的比例（末日）"),
    "fairness": ("Fairness of access (1 − Gini)", "停车机会公平度（1 − 基尼系数）"),
    "complaints": ("Hotline complaints (12345), mean total", "12345热线诉求（平均总数）"),
    "tradeoff": ("Coverage against fairness (better: up and right)",
                 "覆盖率与公平度的权衡（越靠右上越好）"),
    "consensus": ("Days to consensus, across seeds (× runs that did not reach it)",
                  "达成共识所需天数，跨随机种子（× 未达成共识的运行数）"),
    "not_reached": ("no consensus", "未达成共识"),
}
"""Other words on the figures: (en, zh)."""

LANGUAGES = ("en", "zh")
PROBE = "商量停车位业主租户"
"""Characters a font must have to print the Chinese labels."""


def word(table: dict, key: str, lang: str) -> str:
    """``table[key]`` in ``lang``."""
    return table[key][LANGUAGES.index(lang)]


@cache
def _rule_names_zh() -> dict[str, str]:
    """Every registered rule's name → its Chinese name (the name itself if it has none)."""
    from sim.rules import registry

    return {name: rule.zh or name for rules in registry.all_groups().values()
            for name, rule in rules.items()}


@cache
def _scenario_names_zh() -> dict[str, str]:
    names = {}
    for path in sorted((CONFIG_DIR / "scenario").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if data.get("label_zh"):
            names[path.stem] = data["label_zh"]
    return names


def scenario_name(name: str, lang: str) -> str:
    """A scenario's name in ``lang`` (its config's ``label_zh`` in Chinese)."""
    return _scenario_names_zh().get(name, name) if lang == "zh" else name


def describer(lang: str) -> Callable[[str, object], str]:
    """A function wording one part of a policy arm, for :func:`sim.figures.prepare.with_arms`:
    a rule by its name (in Chinese where the rule has one), anything else as ``key=value``."""
    rules = _rule_names_zh()

    def describe(column: str, value) -> str:
        if isinstance(value, str) and value in rules:
            return rules[value] if lang == "zh" else value
        return f"{column}={value:g}" if isinstance(value, float | int) else f"{column}={value}"

    return describe


def _covers(entry: font_manager.FontEntry, characters: str) -> bool:
    try:
        charmap = FT2Font(entry.fname, face_index=entry.index).get_charmap()
    except (OSError, RuntimeError, TypeError):
        return False
    return all(ord(c) in charmap for c in characters)


def find_cjk_font(fonts: Iterable[font_manager.FontEntry] | None = None) -> str | None:
    """The family name of an installed font that prints Chinese, or None.

    Sans-serif, simplified-Chinese, proportional fonts are preferred (e.g. Debian's
    ``fonts-noto-cjk`` gives "Noto Sans CJK SC").

    Args:
        fonts: the fonts to choose from; by default every font matplotlib knows.
    """
    fonts = font_manager.fontManager.ttflist if fonts is None else fonts

    def preference(entry):
        name = entry.name
        return ("SC" not in name, "Serif" in name, "Mono" in name, entry.weight != 400, name)

    for entry in sorted(fonts, key=preference):
        if _covers(entry, PROBE):
            return entry.name
    return None


def resolve_language(lang: str, fonts: Iterable[font_manager.FontEntry] | None = None
                     ) -> tuple[str, str | None]:
    """The language to label in and the font family to use for it.

    Chinese needs a CJK font; without one this warns and falls back to English.

    Returns:
        ``(language, font family or None for matplotlib's default)``.
    """
    if lang == "en":
        return "en", None
    family = find_cjk_font(fonts)
    if family is None:
        warnings.warn(
            "lang=zh: no installed font can print Chinese, so the figures are labelled in "
            "English. Install one (Debian: apt-get install fonts-noto-cjk) and run again.",
            stacklevel=2,
        )
        return "en", None
    return "zh", family
