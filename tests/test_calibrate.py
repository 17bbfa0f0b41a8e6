"""``python -m sim.calibrate`` end to end on a tiny problem: it fits only calibration
patterns, writes a posterior inside the priors, a loadable behaviour config and a record, and
resumes; its distance is checked against hand-computed misses."""

import json
import math
from dataclasses import asdict

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
    target: {value: 0.2, tolerance: 0.01}
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
"""


def test_a_small_calibration_writes_posterior_config_and_record_and_resumes(tmp_path, capsys):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE)
    (tmp_path / "priors.yaml").write_text(PRIORS)
    out, config = tmp_path / "cal", tmp_path / "calibrated.yaml"
    args = ["--particles", "4", "--generations", "1", "--cores", "1",
            "--catalogue", str(tmp_path / "patterns.yaml"), "--priors",
            str(tmp_path / "priors.yaml"), "--out", str(out), "--db", str(out / "abc.db"),
            "--config", str(config)]
    assert calibrate.main(args) == 0
    posterior = pd.read_csv(out / "posterior.csv")
    assert len(posterior) == 4
    assert posterior["weight"].sum() == pytest.approx(1.0)
    assert posterior["behaviour.fees.threshold_mean"].between(0.4, 0.7).all()
    record = json.loads((out / "calibration.json").read_text())
    assert [p["id"] for p in record["fitted_to"]] == ["low_payment"]  # never a validation one
    assert len(record["generations"]) == 1
    assert 1.0 <= record["effective_sample_size"] <= 4.0 + 1e-9  # 4 particles at most
    summary = record["posterior"]["behaviour.fees.threshold_mean"]
    low, high = summary["interval_90"]
    assert 0.4 <= low <= summary["median"] <= high <= 0.7
    behaviour = OmegaConf.merge(OmegaConf.structured(BehaviourConfig), OmegaConf.load(config))
    assert behaviour.fees.threshold_mean == pytest.approx(summary["median"], rel=1e-3)
    assert behaviour.fees.free_rider_share == 0.3  # not calibrated: the default stays
    lines = {line.split(":")[0].strip(): line for line in config.read_text().splitlines()}
    assert "# fitted: ABC posterior median" in lines["threshold_mean"]
    assert "# Fischbacher" in lines["free_rider_share"]  # its source stays beside it

    assert calibrate.main([*args, "--generations", "2"]) == 0  # resumes: two more generations
    assert "resuming" in capsys.readouterr().out
    thresholds = [g["threshold"] for g in
                  json.loads((out / "calibration.json").read_text())["generations"]]
    assert len(thresholds) == 3 and thresholds[0] == math.inf
    # each later threshold is the median of the last generation's distances, which all lie
    # within that generation's threshold: it falls until it reaches the floor
    assert calibrate.MET <= thresholds[2] <= thresholds[1] < math.inf
    assert thresholds[2] < thresholds[1] or thresholds[2] == calibrate.MET


VALUE = patterns.Target(value=0.24, tolerance=0.06)
RANGE = patterns.Target(range=(0.1, 0.3))
OPEN = patterns.Target(range=(2.0, math.inf))


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [(0.30, VALUE, 1.0), (0.21, VALUE, 0.5), (0.36, VALUE, 2.0),
     (0.2, RANGE, 0.0), (0.1, RANGE, 0.0), (0.5, RANGE, 1.0 + 0.2 / 0.2), (0.05, RANGE, 1.25),
     (7.0, OPEN, 0.0), (1.0, OPEN, 1.0 + 1.0 / 2.0), (math.nan, RANGE, math.inf)],
)
def test_a_miss_is_at_most_one_exactly_when_the_target_is_met(value, target, expected):
    assert calibrate.miss(value, target) == pytest.approx(expected)


def test_a_particle_without_a_valid_configuration_is_never_accepted(tmp_path):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE)
    fitted = calibrate.calibration_patterns(tmp_path / "patterns.yaml")
    problem = calibrate.Calibration(
        {"behaviour.fees.free_rider_share": {"low": 0, "high": 1, "why": "x"},
         "behaviour.fees.conditional_share": {"low": 0, "high": 1, "why": "x"}}, fitted)
    simulated = problem.model({"behaviour__fees__free_rider_share": 0.6,
                               "behaviour__fees__conditional_share": 0.6})
    assert problem.distance(simulated, {}) == math.inf


@pytest.mark.parametrize(
    ("priors", "message"),
    [("parameters:\n  deliberation.council_pull: {low: 0, high: 1, why: x}\n", "behaviour"),
     ("parameters:\n  behaviour.fees.visit_effect: {low: 1, high: 0, why: x}\n", "low < high"),
     ("parameters:\n  behaviour.fees.visit_effect: {low: 0, high: 1}\n", "justification")],
)
def test_bad_priors_fail_with_one_line(tmp_path, capsys, priors, message):
    (tmp_path / "priors.yaml").write_text(priors)
    assert calibrate.main(["--priors", str(tmp_path / "priors.yaml"),
                           "--out", str(tmp_path / "cal"), "--db",
                           str(tmp_path / "cal" / "abc.db")]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and message in error
    assert not (tmp_path / "cal").exists()


def test_a_calibration_pattern_without_a_distance_fails_with_one_line(tmp_path, capsys):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE.replace(
        "target: {value: 0.2, tolerance: 0.01}", "target: {value: 0.2}"))
    assert calibrate.main(["--catalogue", str(tmp_path / "patterns.yaml"),
                           "--out", str(tmp_path / "cal"), "--db",
                           str(tmp_path / "cal" / "abc.db")]) == 2
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
    priors = calibrate.load_priors()
    calibrated = flat(asdict(load_config(["behaviour=calibrated"]).behaviour), "behaviour.")
    default = flat(asdict(load_config([]).behaviour), "behaviour.")
    assert calibrated.keys() == default.keys()
    assert {key for key in default if calibrated[key] != default[key]} <= set(priors)
    for key, spec in priors.items():
        assert spec["low"] <= calibrated[key] <= spec["high"], key


def test_the_distance_sums_the_misses_beyond_meeting_each_pattern(tmp_path):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE.replace(
        "    kind: validation", "    kind: calibration"))
    problem = calibrate.Calibration({}, calibrate.calibration_patterns(tmp_path / "patterns.yaml"))
    assert problem.distance({"low_payment": 0.205, "held_back": 0.5}, {}) == 0.0  # both met
    # 0.03 from 0.2 is three tolerances (2 beyond met); 1.5 is half a width above [0, 1] (0.5)
    assert problem.distance({"low_payment": 0.23, "held_back": 1.5}, {}) == pytest.approx(2.5)
