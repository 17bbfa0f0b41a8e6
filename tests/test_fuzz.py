"""Fuzzing the command line: whatever the overrides, ``python -m sim.run`` ends with a complete
run (exit 0) or with one line naming a key (exit 2) — never a traceback, never a partial run
marked complete. Bounded: a few examples of two-day runs on a small estate."""

import os
import string
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.output import MARKER, damage

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("SHANGLIANG_FUZZ_EXAMPLES", "10"))
"""Examples per test run (more for a longer hunt: SHANGLIANG_FUZZ_EXAMPLES=200)."""

KEYS = ["days", "seed", "replicates", "scenario", "scenario.households", "scenario.owner_share",
        "scenario.name", "scenario.network.cross_ties", "scenario.spaces", "allocation",
        "supply", "decision", "package", "objective", "behaviour.frictions.stranger_tolerance",
        "+foo", "+scenario.nosuch", "~allocation", "~days", "scenario.label_zh"]
VALUES = ["0", "1", "2", "-1", "0.5", "1.5", "nan", "inf", "null", "true", "abc", "[]", "[1,2]",
          "{}", "1e9", "10**9", "9223372036854775808", "${oc.env:HOME}", "${days}", "glob(*)",
          "glob(nos*)", "lottery", "sanhuqiao", "synthetic", "../x", "x" * 70, "'quoted'",
          "a,b", "", "restripe", "[restripe,roadside_permits]", "civil_code_278",
          "xiaonanzhuang_2024", "final_household_coverage", "range(0,2)", "名字"]

overrides = st.lists(
    st.tuples(st.sampled_from(KEYS),
              st.one_of(st.sampled_from(VALUES),
                        st.text(alphabet=string.printable.strip(), max_size=8))),
    min_size=1, max_size=3,
)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(overrides=overrides)
def test_any_overrides_end_in_a_complete_run_or_one_line_naming_a_key(tmp_path_factory,
                                                                      overrides):
    out = tmp_path_factory.mktemp("fuzz")
    drawn = [f"{key}={value}" if not key.startswith("~") else key for key, value in overrides]
    result = subprocess.run(
        [sys.executable, "-m", "sim.run", f"out={out}", "days=2", "scenario=sanhuqiao",
         *drawn], cwd=ROOT, capture_output=True, text=True, timeout=300)
    markers = list(out.rglob(MARKER))
    assert "Traceback" not in result.stderr, (drawn, result.stderr)
    if result.returncode == 0:
        assert markers, drawn
        assert all(damage(marker.parent) is None for marker in markers), drawn
        return
    assert result.returncode == 2, (drawn, result.stderr)
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: "), (drawn, line)
    keys = {key.lstrip("+~") for key, _ in overrides} | {"out", "days", "scenario"}
    assert any(key in line for key in keys), (drawn, line)
    assert not markers, drawn
