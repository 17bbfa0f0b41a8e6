"""``python -m sim.calibrate`` end to end on a tiny problem: it fits only calibration
patterns, accepts exactly the draws whose runs meet them, writes a posterior inside the
priors, a loadable behaviour config and a record, resumes, and draws the same for any cores."""

import json
import math
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from multiprocessing import get_context

import pandas as pd
import pytest
from omegaconf import OmegaConf

from sim import calibrate, patterns
from sim.compose import load_config
from sim.config import BehaviourConfig

CATALOGUE = """\
patterns:
  - id: low_payment
    source: test
    quantity: Sanhuqiao's payment after a month
    output: summary.final_fee_payment_rate
    setting: [scenario=sanhuqiao, scenario.lead_share=0, days=31]
    target: {range: [0.1, 0.3]}
    kind: calibration
  - id: held_back
    source: test
    quantity: never fitted
    output: summary.final_trust
    setting: [scenario=sanhuqiao, days=5]
    target: {range: [0, 1]}
    kind: validation
"""
PRIORS = """\
parameters:
  behaviour.fees.threshold_mean: {low: 0.4, high: 0.7, why: test}
  behaviour.fees.service_weight: {low: 0.1, high: 1.0, why: test}
fixed:
  behaviour.fees.pursuit_effect: test
"""


def test_a_small_calibration_writes_posterior_config_and_record_and_resumes(tmp_path, capsys):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE)
    (tmp_path / "priors.yaml").write_text(PRIORS)
    out, config, store = tmp_path / "cal", tmp_path / "calibrated.yaml", tmp_path / "draws.csv"
    args = ["--cores", "1", "--catalogue", str(tmp_path / "patterns.yaml"), "--priors",
            str(tmp_path / "priors.yaml"), "--out", str(out), "--store", str(store),
            "--config", str(config)]
    assert calibrate.main([*args, "--particles", "2"]) == 0
    draws = pd.read_csv(store)
    posterior = pd.read_csv(out / "posterior.csv")
    assert len(posterior) == draws["accepted"].sum() >= 2
    assert posterior["weight"].sum() == pytest.approx(1.0)
    assert posterior["behaviour.fees.threshold_mean"].between(0.4, 0.7).all()
    # an accepted draw met the pattern; a rejected one missed it
    target = (0.1, 0.3)
    assert draws.loc[draws["accepted"], "low_payment"].between(*target).all()
    assert not draws.loc[~draws["accepted"], "low_payment"].between(*target).any()
    record = json.loads((out / "calibration.json").read_text())
    assert [p["id"] for p in record["fitted_to"]] == ["low_payment"]  # never a validation one
    assert record["effective_sample_size"] == len(posterior)  # equal weights
    assert record["fixed"] == {"behaviour.fees.pursuit_effect": "test"}
    summary = record["posterior"]["behaviour.fees.threshold_mean"]
    low, high = summary["interval_90"]
    assert 0.4 <= low <= summary["median"] <= high <= 0.7
    behaviour = OmegaConf.merge(OmegaConf.structured(BehaviourConfig), OmegaConf.load(config))
    assert behaviour.fees.threshold_mean == pytest.approx(summary["median"], rel=1e-3)
    assert behaviour.fees.free_rider_share == 0.3  # not calibrated: the default stays
    lines = {line.split(":")[0].strip(): line for line in config.read_text().splitlines()}
    assert "# fitted: ABC posterior median" in lines["threshold_mean"]
    assert "# Fischbacher" in lines["free_rider_share"]  # its source stays beside it

    assert calibrate.main([*args, "--particles", str(len(posterior) + 1)]) == 0  # resumes
    assert "resuming" in capsys.readouterr().out
    resumed = pd.read_csv(store)
    assert resumed.iloc[:len(draws)].equals(draws)  # the earlier draws kept as they were
    assert resumed["accepted"].sum() > len(posterior)
    assert len(json.loads((out / "calibration.json").read_text())["calls"]) == 2


def test_the_draws_do_not_depend_on_the_cores_or_the_batches(tmp_path):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE)
    (tmp_path / "priors.yaml").write_text(PRIORS)
    priors, fixed = calibrate.load_priors(tmp_path / "priors.yaml")
    problem = calibrate.Calibration(
        priors, fixed, calibrate.calibration_patterns(tmp_path / "patterns.yaml"))
    whole = problem.rows(range(6))
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        split = pd.concat([problem.rows(range(3), pool.map), problem.rows(range(3, 6))],
                          ignore_index=True)
    pd.testing.assert_frame_equal(whole, split)


VALUE = patterns.Target(value=0.24, tolerance=0.06)
RANGE = patterns.Target(range=(0.1, 0.3))
OPEN = patterns.Target(range=(2.0, math.inf))


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [(0.30, VALUE, True), (0.21, VALUE, True), (0.3601, VALUE, False), (0.17, VALUE, False),
     (0.2, RANGE, True), (0.1, RANGE, True), (0.3, RANGE, True), (0.31, RANGE, False),
     (0.05, RANGE, False), (7.0, OPEN, True), (1.0, OPEN, False), (math.nan, RANGE, False)],
)
def test_a_run_meets_a_target_within_its_tolerance_or_range(value, target, expected):
    assert calibrate.met(value, target) is expected


def test_a_draw_without_a_valid_configuration_is_never_accepted(tmp_path):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE)
    fitted = calibrate.calibration_patterns(tmp_path / "patterns.yaml")
    assert calibrate.evaluate(fitted, {"behaviour.fees.free_rider_share": 0.6,
                                       "behaviour.fees.conditional_share": 0.6}, 1) == {}


def test_a_draw_stops_at_its_first_unmet_pattern(tmp_path):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE.replace(
        "    kind: validation", "    kind: calibration").replace(
        "range: [0.1, 0.3]", "range: [2, 3]"))  # a payment rate never reaches 2
    fitted = calibrate.cheapest_first(calibrate.calibration_patterns(tmp_path / "patterns.yaml"))
    assert [p.id for p in fitted] == ["held_back", "low_payment"]  # 5 days before 31
    outputs = calibrate.evaluate(fitted, {}, 1)
    assert set(outputs) == {"held_back", "low_payment"}  # trust in [0, 1]: ran on
    outputs = calibrate.evaluate(fitted[::-1], {}, 1)
    assert set(outputs) == {"low_payment"}  # missed: the second is never run


@pytest.mark.parametrize(
    ("priors", "message"),
    [("parameters:\n  deliberation.council_pull: {low: 0, high: 1, why: x}\n", "behaviour"),
     ("parameters:\n  behaviour.fees.visit_effect: {low: 1, high: 0, why: x}\n", "low < high"),
     ("parameters:\n  behaviour.fees.visit_effect: {low: 0, high: 1}\n", "justification"),
     ("parameters:\n  behaviour.fees.visit_effect: {low: 0, high: 1, why: x}\n"
      "fixed:\n  behaviour.fees.visit_effect: x\n", "cannot also have a prior"),
     ("parameters:\n  behaviour.fees.visit_effect: {low: 0, high: 1, why: x}\n"
      "fixed:\n  behaviour.fees.no_such_value: x\n", "not in behaviour/default.yaml")],
)
def test_bad_priors_fail_with_one_line(tmp_path, capsys, priors, message):
    (tmp_path / "priors.yaml").write_text(priors)
    assert calibrate.main(["--priors", str(tmp_path / "priors.yaml"),
                           "--out", str(tmp_path / "cal"), "--store",
                           str(tmp_path / "cal" / "draws.csv")]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and message in error
    assert not (tmp_path / "cal").exists()


def test_a_calibration_pattern_without_a_distance_fails_with_one_line(tmp_path, capsys):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE.replace(
        "target: {range: [0.1, 0.3]}", "target: {value: 0.2}"))
    assert calibrate.main(["--catalogue", str(tmp_path / "patterns.yaml"),
                           "--out", str(tmp_path / "cal"), "--store",
                           str(tmp_path / "cal" / "draws.csv")]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "low_payment" in error and "tolerance" in error
    assert not (tmp_path / "cal").exists()


def flat(tree: dict, prefix: str) -> dict:
    """``{dotted key: leaf}`` of a nested mapping."""
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out |= flat(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_the_calibrated_behaviour_differs_from_the_default_only_in_fitted_values_inside_priors():
    priors, fixed = calibrate.load_priors()
    calibrated = flat(asdict(load_config(["behaviour=calibrated"]).behaviour), "behaviour.")
    default = flat(asdict(load_config([]).behaviour), "behaviour.")
    assert calibrated.keys() == default.keys()
    assert {key for key in default if calibrated[key] != default[key]} <= set(priors)
    for key, spec in priors.items():
        assert spec["low"] <= calibrated[key] <= spec["high"], key
    for key in fixed:
        assert calibrated[key] == default[key], key


def test_a_store_drawn_with_another_seed_is_not_resumed(tmp_path, capsys):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE)
    (tmp_path / "priors.yaml").write_text(PRIORS)
    priors, fixed = calibrate.load_priors(tmp_path / "priors.yaml")
    fitted = calibrate.calibration_patterns(tmp_path / "patterns.yaml")
    store = tmp_path / "draws.csv"
    calibrate.Calibration(priors, fixed, fitted, seed=1).rows(range(1)).to_csv(store, index=False)
    assert calibrate.main(["--seed", "2", "--cores", "1", "--catalogue",
                           str(tmp_path / "patterns.yaml"), "--priors",
                           str(tmp_path / "priors.yaml"), "--out", str(tmp_path / "cal"),
                           "--store", str(store), "--config", str(tmp_path / "c.yaml")]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "--store" in error and "move it aside" in error
    assert not (tmp_path / "cal").exists()
