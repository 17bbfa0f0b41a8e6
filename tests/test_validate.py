"""``python -m sim.validate`` end to end on a small catalogue: it runs the patterns, states
which fail, and refuses bad arguments with a one-line message."""

import pytest

from sim import validate
from sim.compose import load_config
from sim.config import ConfigError

CATALOGUE = """\
patterns:
  - id: spaces_open
    source: test
    quantity: usable spaces in Sanhuqiao
    output: summary.final_usable_spaces
    setting: [scenario=sanhuqiao, days=5]
    target: {range: [1, 1000]}
    kind: validation
  - id: impossible_payment
    source: test
    quantity: a payment rate above 1
    output: summary.final_fee_payment_rate
    setting: [scenario=sanhuqiao, days=5]
    target: {range: [2, 3]}
    kind: validation
  - id: leads_mediate
    source: test
    quantity: mediated conflicts with leads against without
    output: summary.total_mediated
    setting: [scenario=xiaonanzhuang, scenario.lead_share=1, days=20]
    target: {direction: higher, compare: [scenario=xiaonanzhuang, scenario.lead_share=0, days=20]}
    kind: validation
  - id: fitted
    source: test
    quantity: not checked by default
    output: summary.final_trust
    setting: [scenario=sanhuqiao, days=5]
    target: {range: [0, 1]}
    kind: calibration
"""


def test_validate_reports_each_pattern_and_lists_the_failures(tmp_path, capsys):
    catalogue = tmp_path / "patterns.yaml"
    catalogue.write_text(CATALOGUE)
    out = tmp_path / "docs" / "validation.md"
    assert validate.main(["--runs", "2", "--catalogue", str(catalogue), "--out", str(out)]) == 0
    text = out.read_text()
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| `")}
    assert set(rows) == {"`spaces_open`", "`impossible_payment`", "`leads_mediate`", "`fitted`"}
    assert rows["`spaces_open`"].endswith("| pass |")
    assert rows["`leads_mediate`"].endswith("| pass |")
    assert rows["`impossible_payment`"].endswith("| **fail** |")
    never_fitted, fitted = text.split("## Calibration patterns")
    assert "`fitted`" in fitted and "`fitted`" not in never_fitted  # each kind in its table
    failures = text.split("## Patterns the model fails")[1]
    assert "impossible_payment" in failures and "spaces_open" not in failures
    assert "2 of 3 validation patterns pass" in text
    assert "1 of 1 calibration patterns pass" in text
    assert (tmp_path / "docs" / "img" / "validation.png").exists()


def test_validate_checks_one_kind_when_asked(tmp_path):
    catalogue = tmp_path / "patterns.yaml"
    catalogue.write_text(CATALOGUE)
    out = tmp_path / "validation.md"
    assert validate.main(["--runs", "1", "--kind", "calibration", "--catalogue",
                          str(catalogue), "--out", str(out)]) == 0
    rows = [line for line in out.read_text().splitlines() if line.startswith("| `")]
    assert len(rows) == 1 and rows[0].startswith("| `fitted`")


def test_unknown_pattern_and_bad_counts_fail_with_one_line(tmp_path, capsys):
    out = tmp_path / "validation.md"
    assert validate.main(["--only", "no_such_pattern", "--out", str(out)]) == 2
    assert validate.main(["--runs", "0", "--out", str(out)]) == 2
    assert validate.main(["--cores", "0", "--out", str(out)]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3 and "no_such_pattern" in errors[0] and "--runs = 0" in errors[1]
    assert "--cores = 0" in errors[2]
    assert not out.exists()


def test_a_cached_composition_gives_the_config_that_composing_every_override_gives():
    setting = ("scenario=sanhuqiao", "scenario.lead_share=1", "days=40")
    parameters = {"behaviour.fees.free_rider_share": 0.05, "behaviour.opinion.anchor_gain": 0.7}
    overrides = [*setting, *(f"{k}={v}" for k, v in parameters.items()), "seed=7"]
    assert validate.configure(setting, parameters, 7) == load_config(overrides)
    assert validate.configure(setting, {}, 8) == load_config([*setting, "seed=8"])  # no leak


def test_a_parameter_the_config_lacks_fails_with_its_key():
    with pytest.raises(ConfigError, match="behaviour.fees.no_such_key"):
        validate.configure(("scenario=sanhuqiao",), {"behaviour.fees.no_such_key": 1.0}, 0)


SHARES = """\
patterns:
  - id: no_firm_leaves_in_a_week
    source: test
    quantity: runs in which the firm leaves within 5 days
    output: summary.firm_exits
    setting: [scenario=sanhuqiao, days=5]
    target: {share: [0, 0.1]}
    kind: validation
  - id: firm_leaves_in_most_weeks
    source: test
    quantity: the same, wanted in most runs
    output: summary.firm_exits
    setting: [scenario=sanhuqiao, days=5]
    target: {share: [0.9, 1]}
    kind: validation
"""


def test_a_share_target_counts_the_runs_with_a_yes(tmp_path):
    catalogue = tmp_path / "patterns.yaml"
    catalogue.write_text(SHARES)
    out = tmp_path / "validation.md"
    assert validate.main(["--runs", "2", "--catalogue", str(catalogue), "--out", str(out)]) == 0
    rows = {line.split("|")[1].strip(): line for line in out.read_text().splitlines()
            if line.startswith("| `")}
    # a firm with months of contract and reserve left never leaves in 5 days: a share of 0
    assert "| share of runs in [0, 0.1] | 0 |" in rows["`no_firm_leaves_in_a_week`"]
    assert rows["`no_firm_leaves_in_a_week`"].endswith("| pass |")
    assert rows["`firm_leaves_in_most_weeks`"].endswith("| **fail** |")


def test_a_share_target_on_an_output_that_is_not_yes_or_no_fails_with_one_line(tmp_path, capsys):
    catalogue = tmp_path / "patterns.yaml"
    catalogue.write_text(SHARES.replace("summary.firm_exits", "summary.final_usable_spaces"))
    out = tmp_path / "validation.md"
    assert validate.main(["--runs", "1", "--catalogue", str(catalogue), "--out", str(out)]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "no_firm_leaves_in_a_week" in error
    assert "yes-or-no" in error and not out.exists()
