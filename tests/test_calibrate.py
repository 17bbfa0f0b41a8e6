"""``python -m sim.calibrate`` end to end on a tiny problem: it fits only calibration
patterns, writes a posterior inside the priors and a loadable behaviour config, and resumes."""

import json

import pandas as pd
import pytest
from omegaconf import OmegaConf

from sim import calibrate
from sim.config import BehaviourConfig

CATALOGUE = """\
patterns:
  - id: low_payment
    source: test
    quantity: Sanhuqiao's payment after a month
    output: summary.final_fee_payment_rate
    setting: [scenario=sanhuqiao, scenario.lead_share=0, days=31]
    target: {value: 0.2}
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


def test_a_small_calibration_writes_posterior_config_and_record_and_resumes(tmp_path):
    (tmp_path / "patterns.yaml").write_text(CATALOGUE)
    (tmp_path / "priors.yaml").write_text(PRIORS)
    out, config = tmp_path / "cal", tmp_path / "calibrated.yaml"
    args = ["--particles", "4", "--generations", "1", "--cores", "1",
            "--catalogue", str(tmp_path / "patterns.yaml"), "--priors",
            str(tmp_path / "priors.yaml"), "--out", str(out), "--config", str(config)]
    assert calibrate.main(args) == 0
    posterior = pd.read_csv(out / "posterior.csv")
    assert len(posterior) == 4
    assert posterior["weight"].sum() == pytest.approx(1.0)
    assert posterior["behaviour.fees.threshold_mean"].between(0.4, 0.7).all()
    record = json.loads((out / "record.json").read_text())
    assert [p["id"] for p in record["fitted_to"]] == ["low_payment"]  # never a validation one
    behaviour = OmegaConf.merge(OmegaConf.structured(BehaviourConfig), OmegaConf.load(config))
    median = record["posterior_medians"]["behaviour.fees.threshold_mean"]
    assert behaviour.fees.threshold_mean == median
    assert behaviour.fees.free_rider_share == 0.3  # not calibrated: the default stays

    assert calibrate.main(args) == 0  # resumes the history with one more generation
    assert json.loads((out / "record.json").read_text())["generations"] == 2


@pytest.mark.parametrize(
    ("priors", "message"),
    [("parameters:\n  deliberation.council_pull: {low: 0, high: 1, why: x}\n", "behaviour"),
     ("parameters:\n  behaviour.fees.visit_effect: {low: 1, high: 0, why: x}\n", "low < high"),
     ("parameters:\n  behaviour.fees.visit_effect: {low: 0, high: 1}\n", "justification")],
)
def test_bad_priors_fail_with_one_line(tmp_path, capsys, priors, message):
    (tmp_path / "priors.yaml").write_text(priors)
    assert calibrate.main(["--priors", str(tmp_path / "priors.yaml"),
                           "--out", str(tmp_path / "cal")]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and message in error
    assert not (tmp_path / "cal").exists()
