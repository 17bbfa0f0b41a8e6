"""Find rules by group and name; every rule module registers itself on import.

Groups are the sub-packages of the layers' rule homes (:data:`HOMES`): parking's
(``allocation``, ``tenure``, ...) and the negotiation's (``decision``, ``channels``,
``proposal_search``). Importing a group imports all of its modules, so a new rule is found as
soon as its module exists.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from sim.config import ConfigError
from sim.rules.base import Rule

HOMES = ("sim.resources.parking", "sim.negotiation")
"""The packages whose sub-packages are rule groups, each named as its config group."""

_RULES: dict[str, dict[str, type[Rule]]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: register a rule under its group and its module's name.

    Also checks that ``Params.name`` defaults to the same name, so config and code agree.
    """
    name = cls.__module__.rsplit(".", 1)[1]
    if cls.Params().name != name:
        raise TypeError(f"{cls.__qualname__}.Params.name must default to {name!r}")
    cls.name = name
    _RULES.setdefault(cls.group, {})[name] = cls
    return cls


@cache
def _import_all() -> None:
    for home in HOMES:
        for group in pkgutil.iter_modules(importlib.import_module(home).__path__):
            if not group.ispkg:
                continue
            package = importlib.import_module(f"{home}.{group.name}")
            for module in pkgutil.iter_modules(package.__path__):
                importlib.import_module(f"{home}.{group.name}.{module.name}")


def all_groups() -> dict[str, dict[str, type[Rule]]]:
    """Every registered rule: ``{group: {name: rule class}}``."""
    _import_all()
    return {group: dict(sorted(rules.items())) for group, rules in sorted(_RULES.items())}


def names(group: str) -> list[str]:
    """The registered rule names of a group, sorted."""
    return list(all_groups().get(group, {}))


def get(group: str, name: str) -> type[Rule]:
    """The rule class registered as ``name`` in ``group``.

    Raises:
        ConfigError: if there is no such rule; the message lists the available ones.
    """
    _import_all()
    rule = _RULES.get(group, {}).get(name)  # not all_groups(): a sorted copy of every group
    if rule is None:
        available = ", ".join(all_groups().get(group, {}))
        raise ConfigError(group, name, f"unknown rule; available: {available}")
    return rule


def build(group: str, params) -> Rule:
    """An instance of the rule that ``params`` (a rule's ``Params``) names."""
    return get(group, params.name)(params)
