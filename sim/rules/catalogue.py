"""``python -m sim.rules.catalogue``: the rule library as a Markdown table (docs/rules.md).

The table is generated from the registry, so it lists exactly the rules the code has, with
each rule's Chinese name, the first paragraph of its docstring and its parameters with their
defaults. A test keeps docs/rules.md equal to this output.
"""

from __future__ import annotations

import dataclasses
import inspect

from sim.rules import registry

GROUP_TITLES = {
    "allocation": "Allocation — who gets a space (`allocation=`)",
    "tenure": "Tenure — how long a permit lasts (`tenure=`)",
    "pricing": "Classification and pricing (`pricing=`)",
    "revenue": "Revenue — what happens to parking income (`revenue=`)",
    "supply": "Supply measures — composable as a list (`supply=[a,b]`)",
    "decision": "Decision rules — how a vote becomes a decision (`decision=`)",
    "channels": "Channels — ways to take part in a vote, composable as a list (`channels=[a,b]`)",
    "proposal_search": "Proposal search — how the committee amends a failed proposal "
                       "(`proposal_search=`)",
}


def _summary(rule) -> str:
    """The rule's docstring up to its first blank line, on one line."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    text = " ".join(doc.split("\n\n")[0].split())
    return text.replace("``", "`").replace("|", "\\|")


def _parameters(rule) -> str:
    """``key=default`` for every parameter but the name."""
    fields = [f for f in dataclasses.fields(rule.Params) if f.name != "name"]
    return ", ".join(f"`{f.name}={_default(f)}`" for f in fields) or "—"


def _default(f: dataclasses.Field) -> str:
    value = f.default_factory() if f.default is dataclasses.MISSING else f.default
    return getattr(value, "value", value)


def markdown() -> str:
    """The whole catalogue."""
    lines = [
        "# Rule library",
        "",
        "Generated from the code by `python -m sim.rules.catalogue > docs/rules.md`; every rule",
        "is one module in `sim/resources/parking/<group>/` or `sim/negotiation/<group>/`, one",
        "YAML file in `configs/<group>/` and one registry name. Parameters are set on the command",
        "line, e.g. `allocation=lottery allocation.period_days=90`.",
    ]
    groups = registry.all_groups()
    for group in sorted(groups, key=lambda g: list(GROUP_TITLES).index(g)
                        if g in GROUP_TITLES else len(GROUP_TITLES)):
        rules = groups[group]
        lines += ["", f"## {GROUP_TITLES.get(group, group)}", "",
                  "| name | plain name | 中文 | what it does | parameters (defaults) |",
                  "|---|---|---|---|---|"]
        lines += [f"| `{name}` | {rule.en} | {rule.zh} | {_summary(rule)} | {_parameters(rule)} |"
                  for name, rule in rules.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
