"""Documentation stays true to the code."""

import re
from pathlib import Path

from sim.config import CONFIG_DIR
from sim.model import METRICS
from sim.rules import catalogue, registry

ROOT = Path(__file__).resolve().parent.parent


def test_rule_table_is_generated_from_the_registry():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == catalogue.markdown(), (
        "docs/rules.md is stale: run python -m sim.rules.catalogue > docs/rules.md")


def test_rule_table_lists_every_rule_with_its_plain_and_chinese_names():
    text = catalogue.markdown()
    for group, rules in registry.all_groups().items():
        for name, rule in rules.items():
            assert f"| `{name}` | {rule.en} | {rule.zh} |" in text, (group, name)


def test_model_description_names_every_metric_scenario_and_config_group():
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    for metric in METRICS:
        assert f"`{metric}`" in text, metric
    for scenario in (CONFIG_DIR / "scenario").glob("*.yaml"):
        assert f"`{scenario.stem}`" in text, scenario.stem
    for group in ("scenario", "allocation", "tenure", "pricing", "revenue", "supply",
                  "decision", "deliberation", "opinion", "behaviour"):
        assert re.search(rf"`{group}[=/.]", text), group


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)
    assert blocks[0].endswith("-m sim.run package=xiaonanzhuang_2024 decision=civil_code_278")
    assert blocks[1].endswith("-m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci
