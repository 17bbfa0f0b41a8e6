"""The pattern catalogue: its schema check, and that every entry points at something real —
inputs equal the configs and code they name, outputs exist in a run's results."""

import importlib
from functools import cache

import pytest
from conftest import config, run_model

from sim import patterns
from sim.model import MEETING_COLUMNS
from sim.validate import MODEL_OUTPUTS

CATALOGUE = patterns.load()


def test_catalogue_covers_every_case_kind_and_the_civil_code():
    kinds = {p.kind for p in CATALOGUE}
    assert kinds == set(patterns.KINDS)
    sources = " ".join(p.source for p in CATALOGUE)
    for case in ("case A", "case B", "case C", "case D", "Civil Code art. 278"):
        assert case in sources, case


def resolve(path: str, setting: tuple[str, ...]):
    """The value an input pattern's ``config.`` or ``code.`` output names."""
    where, _, key = path.partition(".")
    if where == "config":
        value = config(*setting)
        for part in key.split("."):
            value = getattr(value, part)
        return value
    module, _, name = key.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("pattern", [p for p in CATALOGUE if p.kind == "input"
                                     and (p.output or "").startswith(("config.", "code."))],
                         ids=lambda p: p.id)
def test_every_input_equals_the_value_it_names(pattern):
    value = resolve(pattern.output, pattern.setting)
    if pattern.target.value is not None:
        assert float(value) == pytest.approx(pattern.target.value, abs=1e-9)
    elif pattern.target.range is not None:
        low, high = pattern.target.range
        assert low <= float(value) <= high
    else:
        pytest.fail(f"an input named by a config key or constant has a value or range: {pattern}")


@cache
def summary_keys() -> frozenset[str]:
    return frozenset(run_model("package=xiaonanzhuang_2024", days=2).summary())


@pytest.mark.parametrize("pattern", [p for p in CATALOGUE if p.kind != "input"
                                     or (p.output or "").startswith("summary.")],
                         ids=lambda p: p.id)
def test_every_output_exists_in_a_runs_results(pattern):
    where, _, key = pattern.output.partition(".")
    assert where in {"summary", "meetings", "model"}, pattern.output
    if where == "summary":
        assert key in summary_keys()
    if where == "meetings":
        assert key in MEETING_COLUMNS
    if where == "model":
        assert key in MODEL_OUTPUTS
    for overrides in (pattern.setting, pattern.target.compare):
        config(*overrides)  # the setting composes and passes every check


@pytest.mark.parametrize(
    ("entry", "key"),
    [
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "guess",
          "target": {"value": 1}}, "kind"),
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "validation",
          "target": {"value": 1, "range": [0, 1]}}, "target"),
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "validation",
          "target": {"range": [2, 1]}}, "target.range"),
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "validation",
          "target": {"direction": "up", "compare": ["seed=1"]}}, "target.direction"),
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "validation",
          "target": {"direction": "higher"}}, "target.compare"),
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "validation",
          "target": {"share": [0.9, 1.1]}}, "target.share"),
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "validation",
          "target": {"share": [0.5, 0.4]}}, "target.share"),
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "validation",
          "target": {"share": [-0.1, 0.4]}}, "target.share"),
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "validation",
          "target": {"share": 0.9}}, "target.share"),
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "validation",
          "target": {"share": [0.9, 1], "range": [0, 1]}}, "target"),
        ({"id": "x", "source": "s", "quantity": "q", "output": None, "kind": "validation",
          "target": {"value": 1}}, "output"),
        ({"id": "x", "quantity": "q", "output": "summary.a", "kind": "input",
          "target": {"value": 1}}, "source"),
        ({"id": "x", "source": "s", "quantity": "q", "output": "summary.a", "kind": "input",
          "target": {"value": 1}, "weight": 2}, "keys"),
    ],
)
def test_a_malformed_entry_fails_with_one_line_naming_the_key(entry, key):
    with pytest.raises(patterns.PatternError) as error:
        patterns.parse(entry, 0)
    message = str(error.value)
    assert "\n" not in message
    assert f": {key} = " in message


def test_a_share_target_holds_its_bounds():
    entry = {"id": "x", "source": "s", "quantity": "q", "output": "model.a", "kind": "validation",
             "target": {"share": [0.9, 1]}}
    assert patterns.parse(entry, 0).target == patterns.Target(share=(0.9, 1.0))


def test_repeated_ids_are_rejected(tmp_path):
    entry = ("  - {id: a, source: s, quantity: q, output: summary.x, kind: input, "
             "target: {value: 1}}\n")
    path = tmp_path / "patterns.yaml"
    path.write_text("patterns:\n" + entry + entry)
    with pytest.raises(patterns.PatternError, match="must be unique"):
        patterns.load(path)
