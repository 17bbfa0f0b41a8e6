"""Figure data preparation checked exactly on small hand-made tables; arm names and roles;
fonts in every install order; drawing."""

import math
import os
import re
import subprocess
import sys
import textwrap

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager

from sim.views.figures import arms, draw, fonts, labels, prepare

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
T1 = math.tan(0.475 * math.pi)
T2 = 0.95 / math.sqrt(2 * 0.975 * 0.025)
"""The 97.5 % quantiles of Student's t with 1 and 2 degrees of freedom (closed forms)."""


def runs_table() -> pd.DataFrame:
    """Two scenarios × two rules × three seeds, with hand-picked outcomes."""
    rows = []
    for scenario in ("xiaonanzhuang", "yuxin_garden"):
        for rule, base in (("status_quo", 0.4), ("one_car_owner_first", 0.6)):
            for seed, step in zip((0, 1, 2), (-0.1, 0.0, 0.1), strict=True):
                rows.append({"run": f"{scenario},{rule},{seed}", "scenario": scenario,
                             "allocation": rule, "tenure": "permanent", "seed": seed,
                             "final_household_coverage": base + step * (1 + (base > 0.5)),
                             "total_complaints": 10 * seed, "gini_access": 0.2,
                             "households": 500, "days": 365,
                             "days_to_consensus": [30.0, None, 90.0][seed]})
    return pd.DataFrame(rows)


def named(runs=None, lang="en"):
    return prepare.with_rates(arms.with_arms(runs_table() if runs is None else runs, lang))


# -- arms ------------------------------------------------------------------------------------


def test_arms_are_named_in_plain_words_from_the_rule_catalogue():
    assert arms.arm_columns(runs_table()) == ["allocation"]  # tenure does not vary
    assert named()["arm"].tolist()[:4] == ["Status quo (first come, first served)"] * 3 + [
        "One car per household, home-buyers first"]
    assert named(lang="zh")["arm"].tolist()[3] == "一户一车+购房优先"
    numbers = runs_table().assign(allocation="lottery")
    numbers.insert(numbers.columns.get_loc("seed"), "scenario.lead_share", 0.25)
    numbers.loc[0, "scenario.lead_share"] = 0.5
    assert arms.with_arms(numbers)["arm"].tolist()[:2] == [
        "Stairwells with a building lead: 50%", "Stairwells with a building lead: 25%"]
    assert set(arms.with_arms(runs_table().assign(allocation="x"))["arm"]) == {"all runs"}


def test_the_baseline_and_the_articles_package_are_marked_and_packages_group_arms():
    runs = runs_table()
    package = runs["seed"].map({0: "none", 1: "xiaonanzhuang_2024", 2: "none"})
    runs.insert(runs.columns.get_loc("seed"), "package", package)
    runs["tenure"] = package.map({"none": "permanent", "xiaonanzhuang_2024": "reclaim_reallocate"})
    assert arms.arm_columns(runs) == ["allocation", "package"]
    out = arms.with_arms(runs)
    roles = dict(zip(zip(out["allocation"], out["package"], strict=True), out["role"],
                     strict=True))
    assert roles == {("status_quo", "none"): "baseline",
                     ("one_car_owner_first", "none"): "",
                     ("status_quo", "xiaonanzhuang_2024"): "",
                     ("one_car_owner_first", "xiaonanzhuang_2024"): "package"}
    assert set(out["group"]) == {"Rules alone", labels.PACKAGES["xiaonanzhuang_2024"][0]}
    assert out["arm"].iloc[1] == "Status quo (first come, first served)"  # no package in the name


def test_every_package_and_scenario_has_plain_names_in_both_languages():
    from sim.config import CONFIG_DIR

    for path in (CONFIG_DIR / "package").glob("*.yaml"):
        assert path.stem in labels.PACKAGES, f"name package {path.stem} in labels.PACKAGES"
    for path in (CONFIG_DIR / "scenario").glob("*.yaml"):
        assert labels.scenario_name(path.stem, "en") != path.stem
        assert labels.scenario_name(path.stem, "zh") != path.stem
    assert labels.scenario_name("xiaonanzhuang", "zh") == "小南庄社区"


# -- numbers ---------------------------------------------------------------------------------


def test_outcome_intervals_are_t_intervals_across_seeds():
    out = prepare.outcome_intervals(named(), ["final_household_coverage", "complaints_per_1000"])
    assert list(out.columns) == ["scenario", "group", "arm", "role", "outcome", "n", "mean",
                                 "low", "high"]
    first = out.iloc[0]
    assert (first["scenario"], first["role"], first["n"]) == ("xiaonanzhuang", "baseline", 3)
    half = T2 * 0.1 / math.sqrt(3)  # sd of (0.3, 0.4, 0.5) is 0.1
    assert first["mean"] == pytest.approx(0.4, abs=1e-15)
    assert first["low"] == pytest.approx(0.4 - half, abs=1e-12)
    assert first["high"] == pytest.approx(0.4 + half, abs=1e-12)
    rate = out[out["outcome"] == "complaints_per_1000"].iloc[0]
    assert rate["mean"] == pytest.approx(20.0)  # 10 complaints a year among 500 households


def test_intervals_are_clipped_to_the_range_of_the_measure():
    runs = runs_table().assign(final_household_coverage=[0.98, 1.0, 0.9] * 4)
    out = prepare.outcome_intervals(named(runs), ["final_household_coverage"])
    unclipped = np.mean([0.98, 1.0, 0.9]) + T2 * np.std([0.98, 1.0, 0.9], ddof=1) / math.sqrt(3)
    assert unclipped > 1.0
    assert out["high"].max() == 1.0


def test_missing_values_are_left_out_and_one_value_has_no_interval():
    out = prepare.outcome_intervals(named(), ["days_to_consensus"])
    row = out.iloc[0]
    assert (row["n"], row["mean"]) == (2, 60.0)
    assert row["high"] - row["mean"] == pytest.approx(T1 * 30)  # sd 30·√2, n = 2
    one = prepare.intervals(runs_table().iloc[[0]], ["scenario"], ["gini_access"]).iloc[0]
    assert one["n"] == 1 and one["mean"] == 0.2
    assert np.isnan(one["low"]) and np.isnan(one["high"])


def test_rates_are_per_1000_households_a_year():
    runs = pd.DataFrame({"households": [200, 1000], "days": [365, 730],
                         "total_complaints": [10, 10], "total_conflicts": [4, 0]})
    out = prepare.with_rates(runs)
    assert out["complaints_per_1000"].tolist() == pytest.approx([50.0, 5.0])
    assert out["conflicts_per_1000"].tolist() == pytest.approx([20.0, 0.0])


def test_arms_are_ordered_best_first_within_groups_the_baselines_group_first():
    table = pd.DataFrame({
        "group": ["B", "B", "A", "A"], "arm": ["x", "y", "base", "z"],
        "role": ["", "", "baseline", ""], "mean": [0.5, 0.9, 0.1, 0.3]})
    assert prepare.arm_order(table, "up") == [("A", "z"), ("A", "base"), ("B", "y"), ("B", "x")]
    assert prepare.arm_order(table, "down") == [("A", "base"), ("A", "z"), ("B", "x"),
                                                ("B", "y")]
    gap = table.assign(mean=[-0.05, 0.2, -0.3, 0.1])
    assert prepare.arm_order(gap, "zero")[2:] == [("B", "x"), ("B", "y")]


def test_outcomes_the_same_in_every_run_are_found():
    runs = runs_table().assign(days_to_consensus=0.0)
    assert prepare.constant(runs, ["days_to_consensus", "gini_access",
                                   "final_household_coverage"]) == {
        "days_to_consensus": 0.0, "gini_access": 0.2}


def test_runs_without_consensus_count_as_a_share_with_a_wilson_interval():
    table = runs_table()
    runs = named(table.assign(days_to_consensus=table["allocation"].map(
        {"status_quo": None, "one_car_owner_first": 10.0})))
    out = prepare.consensus(runs, "days_to_consensus")
    assert out["runs"].tolist() == [3, 3, 3, 3] and out["reached"].tolist() == [0, 3, 0, 3]
    assert out.iloc[1]["days"] == [10.0, 10.0, 10.0]
    # Wilson 95 % interval of 0 of 10 is [0, 0.2775] and of 10 of 10 [0.7225, 1] (tables)
    low, high = prepare.wilson(np.array([0, 10]), np.array([10, 10]))
    assert low == pytest.approx([0.0, 0.7225], abs=1e-4)
    assert high == pytest.approx([0.2775, 1.0], abs=1e-4)


def test_paired_differences_use_the_same_seeds():
    runs = named()
    out = prepare.paired_differences(runs, ["final_household_coverage"])
    other = out[(out["scenario"] == "xiaonanzhuang") & (out["role"] == "")].iloc[0]
    # differences by seed: (0.4, 0.6, 0.8) − (0.3, 0.4, 0.5) = (0.1, 0.2, 0.3)
    assert other["mean"] == pytest.approx(0.2)
    assert other["high"] - other["mean"] == pytest.approx(T2 * 0.1 / math.sqrt(3))
    base = out[(out["scenario"] == "xiaonanzhuang") & (out["role"] == "baseline")].iloc[0]
    assert base["mean"] == 0.0


def test_trajectory_bands_follow_each_day_across_seeds():
    runs = named()
    series = pd.DataFrame({
        "run": np.repeat(runs["run"], 2).to_numpy(),
        "day": np.tile([1, 2], len(runs)),
        "complaints": np.tile([1, 2], len(runs)) * np.repeat(runs["seed"] + 1, 2).to_numpy(),
    })
    daily = prepare.with_cumulative_rate(series, runs)
    assert daily["complaints_per_1000_to_date"].tolist()[:4] == [2.0, 6.0, 4.0, 12.0]
    bands = prepare.trajectory_bands(daily, runs, ["complaints_per_1000_to_date"])
    day2 = bands.iloc[1]
    assert (day2["scenario"], day2["role"], day2["day"]) == ("xiaonanzhuang", "baseline", 2)
    assert day2["mean"] == 12.0  # seeds 0, 1, 2: 3, 6, 9 complaints by day 2 among 500
    assert day2["high"] - day2["mean"] == pytest.approx(T2 * 6 / math.sqrt(3))


def test_tradeoff_points_mark_the_arms_no_other_outdoes():
    runs = named()
    points = prepare.tradeoff_points(runs, "final_household_coverage", "gini_access",
                                     "complaints_per_1000")
    assert points["coverage"].tolist() == pytest.approx([0.4, 0.6] * 2)
    assert points["fairness"].tolist() == pytest.approx([0.8] * 4)
    assert points["front"].tolist() == [False, True] * 2


# -- fonts -----------------------------------------------------------------------------------


def test_a_placeholder_font_is_never_taken_for_a_chinese_font():
    bundled = [f for f in font_manager.fontManager.ttflist
               if f.name in ("DejaVu Sans", "Last Resort High-Efficiency")]
    assert {f.name for f in bundled} == {"DejaVu Sans", "Last Resort High-Efficiency"}
    assert fonts.find_cjk_font(bundled) is None


def _python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


DRAW_CHINESE = """
    import re, warnings
    import matplotlib
    from matplotlib.figure import Figure
    from sim.views.figures import draw, fonts
    lang, cjk = fonts.resolve_language("zh")
    with matplotlib.rc_context(draw.rc(cjk)):
        figure = Figure()
        figure.suptitle("商量停车 Parking" if lang == "zh" else "Parking")
        figure.savefig("{svg}")
    print(lang, cjk, sorted(set(re.findall(r'id="([A-Za-z-]+)-[0-9a-f]+"', open("{svg}").read()))))
"""


def test_a_machine_without_a_cjk_font_gets_english_and_a_clear_warning(tmp_path):
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path), "MPL_IGNORE_SYSTEM_FONTS": "1"}
    out = _python(DRAW_CHINESE.format(svg=tmp_path / "f.svg"), env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[:2] == ["en", "None"]
    assert "no installed font can print Chinese" in out.stderr
    assert "fonts-noto-cjk" in out.stderr
    assert "LastResort" not in out.stdout  # no glyph is a box


def test_a_stale_font_cache_is_rebuilt_once_and_chinese_is_printed(tmp_path):
    if fonts.cjk_family() is None:
        pytest.skip("no CJK font on this machine (apt-get install fonts-noto-cjk)")
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path)}
    stale = _python("""
        from pathlib import Path
        import matplotlib
        from matplotlib import font_manager as fm
        from sim.views.figures import fonts
        manager = fm.fontManager  # as if the CJK font had been installed after this list
        manager.ttflist = [f for f in manager.ttflist if not fonts.draws(f.fname, f.index)]
        fm.json_dump(manager, Path(matplotlib.get_cachedir(),
                                   f"fontlist-v{manager.__version__}.json"))
    """, env)
    assert stale.returncode == 0, stale.stderr
    first = _python(DRAW_CHINESE.format(svg=tmp_path / "a.svg"), env)
    assert first.returncode == 0, first.stderr
    assert "font cache predates" in first.stderr and "rewrote" in first.stderr
    lang, family, *_ = first.stdout.split()
    assert lang == "zh" and family != "None"
    glyph_fonts = re.findall(r"'([^']+)'", first.stdout)
    assert "DejaVuSans" in glyph_fonts and any("CJK" in f for f in glyph_fonts)
    assert not any("LastResort" in f for f in glyph_fonts)
    second = _python(DRAW_CHINESE.format(svg=tmp_path / "b.svg"), env)
    assert "font cache predates" not in second.stderr  # rebuilt once, for good
    assert second.stdout == first.stdout


# -- drawing ---------------------------------------------------------------------------------


def test_the_same_figure_gives_the_same_bytes(tmp_path):
    out = prepare.outcome_intervals(named(), ["final_household_coverage"])
    files = []
    for sub in ("a", "b"):
        with matplotlib.rc_context(draw.rc(None)):
            figure = draw.outcome_figure(out, labels.OUTCOMES["final_household_coverage"], "en",
                                         {"xiaonanzhuang": "X", "yuxin_garden": "Y"}, "note")
            files.append(draw.save(figure, tmp_path / sub, "coverage"))
    for a, b in zip(*files, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_marked_arms_are_named_on_the_figure():
    out = prepare.outcome_intervals(named(), ["final_household_coverage"])
    figure = draw.outcome_figure(out, labels.OUTCOMES["final_household_coverage"], "en",
                                 {"xiaonanzhuang": "X", "yuxin_garden": "Y"}, "note")
    ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert ticks[0] == "One car per household, home-buyers first"  # best first
    assert ticks[1].endswith("[baseline: status quo]")
