"""Documentation stays true to the code."""

import re
import subprocess
from pathlib import Path

from sim.config import CONFIG_DIR
from sim.metrics import METRICS
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
                  "decision", "deliberation", "opinion", "behaviour", "channels",
                  "proposal_search"):
        assert re.search(rf"`{group}[=/.]", text), group


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)
    assert blocks[0].endswith("-m sim.run package=xiaonanzhuang_2024 decision=simple_majority")
    assert blocks[1].endswith("-m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci


SHELL_SPECIAL = re.compile(r"[][()*?{}]")
"""Characters bash or zsh read themselves (globs, subshells, brace expansion) when unquoted."""


def unquoted(command: str) -> str:
    """The parts of a shell command outside quotes, up to a comment."""
    kept, quote = [], None
    for i, char in enumerate(command):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or command[i - 1].isspace()):
            break
        else:
            kept.append(char)
    return "".join(kept)


def shell_examples() -> list[tuple[str, str]]:
    """Every shell command in the README and the experiments' READMEs: the lines of ```bash
    blocks and inline code that runs Python or pip."""
    examples = []
    for path in [ROOT / "README.md", *sorted((ROOT / "experiments").glob("*/README.md"))]:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"```bash\n(.*?)\n```", text, flags=re.S):
            examples += [(path.name, line) for line in block.splitlines() if line.strip()]
        text = re.sub(r"```.*?```", "", text, flags=re.S)
        for span in re.findall(r"`([^`]+)`", text):
            if re.match(r"(\.venv\S*/bin/)?(python3?|pip) ", span):
                examples.append((path.name, " ".join(span.split())))
    return examples


def test_shell_examples_paste_into_bash_and_zsh():
    examples = shell_examples()
    assert any("glob(*)" in command for _, command in examples)  # the sweep example is seen
    for name, command in examples:
        assert not SHELL_SPECIAL.search(unquoted(command)), f"{name}: quote {command!r}"
        check = subprocess.run(["bash", "-n", "-c", command], capture_output=True, text=True)
        assert check.returncode == 0, f"{name}: {command!r}: {check.stderr}"
