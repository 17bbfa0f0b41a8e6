"""``python -m sim.validate`` end to end on a small catalogue: it runs the patterns, states
which fail, and refuses bad arguments with a one-line message."""

from sim import validate

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
    assert set(rows) == {"`spaces_open`", "`impossible_payment`", "`leads_mediate`"}
    assert rows["`spaces_open`"].endswith("| pass |")
    assert rows["`leads_mediate`"].endswith("| pass |")
    assert rows["`impossible_payment`"].endswith("| **fail** |")
    failures = text.split("Patterns the model fails:")[1]
    assert "impossible_payment" in failures and "spaces_open" not in failures
    assert "2 of 3 patterns pass" in text
    assert (tmp_path / "docs" / "img" / "validation.png").exists()


def test_unknown_pattern_and_bad_run_count_fail_with_one_line(tmp_path, capsys):
    out = tmp_path / "validation.md"
    assert validate.main(["--only", "no_such_pattern", "--out", str(out)]) == 2
    assert validate.main(["--runs", "0", "--out", str(out)]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2 and "no_such_pattern" in errors[0] and "--runs = 0" in errors[1]
    assert not out.exists()
