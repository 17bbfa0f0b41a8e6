"""Figure data preparation checked exactly on small hand-made tables; labels, fonts, drawing."""

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from pandas.testing import assert_frame_equal

from sim.figures import draw, labels, prepare

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
                             "final_household_coverage": base + step,
                             "total_complaints": 10 * seed, "gini_access": 0.2,
                             "days_to_consensus": [30.0, None, 90.0][seed]})
    return pd.DataFrame(rows)


def test_arms_are_the_swept_settings_other_than_scenario_and_seed():
    runs = prepare.with_arms(runs_table())
    assert prepare.arm_columns(runs_table()) == ["allocation"]  # tenure does not vary
    assert runs["arm"].tolist()[:4] == ["status_quo"] * 3 + ["one_car_owner_first"]
    numbers = runs_table().assign(allocation="lottery")
    numbers.insert(numbers.columns.get_loc("seed"), "scenario.lead_share", 0.25)
    numbers.loc[0, "scenario.lead_share"] = 0.5
    assert prepare.with_arms(numbers)["arm"].tolist()[:2] == [
        "scenario.lead_share=0.5", "scenario.lead_share=0.25"]
    assert set(prepare.with_arms(runs_table().assign(allocation="x"))["arm"]) == {"all runs"}


def test_settings_that_follow_from_others_do_not_lengthen_the_arm():
    runs = runs_table()
    package = runs["seed"].map({0: "none", 1: "xiaonanzhuang_2024", 2: "none"})
    runs.insert(runs.columns.get_loc("seed"), "package", package)
    runs["tenure"] = package.map({"none": "permanent", "xiaonanzhuang_2024": "reclaim_reallocate"})
    assert prepare.arm_columns(runs) == ["allocation", "package"]
    arms = prepare.with_arms(runs, labels.describer("en"))["arm"].tolist()
    assert arms[:2] == ["status_quo · package=none", "status_quo · package=xiaonanzhuang_2024"]


def test_outcome_intervals_are_t_intervals_across_seeds():
    out = prepare.outcome_intervals(prepare.with_arms(runs_table()),
                                    ["final_household_coverage", "total_complaints"])
    assert list(out.columns) == ["scenario", "arm", "outcome", "n", "mean", "low", "high"]
    assert out["outcome"].tolist() == ["final_household_coverage"] * 4 + ["total_complaints"] * 4
    first = out.iloc[0]
    assert (first["scenario"], first["arm"], first["n"]) == ("xiaonanzhuang", "status_quo", 3)
    half = T2 * 0.1 / math.sqrt(3)  # sd of (0.3, 0.4, 0.5) is 0.1
    assert first["mean"] == pytest.approx(0.4, abs=1e-15)
    assert first["low"] == pytest.approx(0.4 - half, abs=1e-12)
    assert first["high"] == pytest.approx(0.4 + half, abs=1e-12)
    complaints = out[out["outcome"] == "total_complaints"].iloc[0]
    assert complaints["mean"] == 10.0
    assert complaints["high"] - complaints["mean"] == pytest.approx(T2 * 10 / math.sqrt(3))


def test_missing_values_are_left_out_and_one_value_has_no_interval():
    out = prepare.outcome_intervals(prepare.with_arms(runs_table()), ["days_to_consensus"])
    row = out.iloc[0]
    assert (row["n"], row["mean"]) == (2, 60.0)
    assert row["high"] - row["mean"] == pytest.approx(T1 * 30)  # sd 30·√2, n = 2
    single = runs_table().iloc[[0]]
    one = prepare.intervals(single.assign(arm="a"), prepare.KEYS, ["gini_access"]).iloc[0]
    assert one["n"] == 1 and one["mean"] == 0.2
    assert np.isnan(one["low"]) and np.isnan(one["high"])


def test_trajectory_bands_follow_each_day_across_seeds():
    runs = prepare.with_arms(runs_table())
    series = pd.DataFrame({
        "run": np.repeat(runs["run"], 2).to_numpy(),
        "day": np.tile([1, 2], len(runs)),
        "complaints": np.tile([1, 2], len(runs)) * np.repeat(runs["seed"] + 1, 2).to_numpy(),
    })
    daily = prepare.with_cumulative(series, "complaints")
    assert daily["complaints_to_date"].tolist()[:4] == [1, 3, 2, 6]
    bands = prepare.trajectory_bands(daily, runs, ["complaints_to_date"])
    assert list(bands.columns) == ["scenario", "arm", "day", "measure", "n", "mean", "low",
                                   "high"]
    assert len(bands) == 2 * 2 * 2
    day2 = bands.iloc[1]
    assert (day2["scenario"], day2["arm"], day2["day"]) == ("xiaonanzhuang", "status_quo", 2)
    assert day2["mean"] == 6.0  # runs of seeds 0, 1, 2 have 3, 6, 9 complaints by day 2
    assert day2["high"] - day2["mean"] == pytest.approx(T2 * 3 / math.sqrt(3))


def test_tradeoff_points_and_consensus_days():
    runs = prepare.with_arms(runs_table())
    points = prepare.tradeoff_points(runs, "final_household_coverage", "gini_access",
                                     "total_complaints")
    expected = pd.DataFrame({
        "scenario": ["xiaonanzhuang"] * 2 + ["yuxin_garden"] * 2,
        "arm": ["status_quo", "one_car_owner_first"] * 2,
        "coverage": [0.4, 0.6] * 2, "fairness": [0.8] * 4, "complaints": [10.0] * 4,
    })
    assert_frame_equal(points, expected, atol=1e-12)
    days = prepare.consensus_days(runs, "days_to_consensus")
    assert days.iloc[0].to_dict() == {"scenario": "xiaonanzhuang", "arm": "status_quo",
                                      "days": [30.0, 90.0], "reached": 2, "not_reached": 1}


def test_chinese_labels_come_from_rules_and_scenarios():
    describe = labels.describer("zh")
    assert describe("allocation", "one_car_owner_first") == "一户一车+购房优先"
    assert describe("scenario.lead_share", 0.3) == "scenario.lead_share=0.3"
    assert describe("package", "none") == "package=none"
    assert labels.describer("en")("allocation", "one_car_owner_first") == "one_car_owner_first"
    assert labels.scenario_name("xiaonanzhuang", "zh") == "小南庄社区"
    assert labels.scenario_name("xiaonanzhuang", "en") == "xiaonanzhuang"


def test_without_a_cjk_font_chinese_falls_back_to_english_with_a_warning():
    latin = [f for f in font_manager.fontManager.ttflist if f.name == "DejaVu Sans"]
    assert latin
    with pytest.warns(UserWarning, match="labelled in English.*fonts-noto-cjk"):
        assert labels.resolve_language("zh", latin) == ("en", None)
    assert labels.resolve_language("en") == ("en", None)


def test_the_same_figure_gives_the_same_bytes(tmp_path):
    runs = prepare.with_arms(runs_table())
    out = prepare.outcome_intervals(runs, ["final_household_coverage"])
    files = []
    for sub in ("a", "b"):
        with matplotlib.rc_context(draw.rc(None)):
            figure = draw.outcome_figure(out, "coverage", "note", {
                "xiaonanzhuang": "X", "yuxin_garden": "Y"}, share=True)
            files.append(draw.save(figure, tmp_path / sub, "coverage"))
    for a, b in zip(*files, strict=True):
        assert a.read_bytes() == b.read_bytes()
