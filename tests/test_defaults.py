"""One source of truth for values: the YAML files in configs/. A schema default that a YAML
file also sets must equal it; the behaviour and deliberation files state every value; the
scenario schema carries no numbers at all (every scenario file sets its own). A rule's YAML
file extends its schema (``Params``), whose defaults are the rule's values."""

import dataclasses

import pytest
from omegaconf import MISSING, OmegaConf

from sim.config import (
    CONFIG_DIR,
    BehaviourConfig,
    DeliberationConfig,
    DistrictConfig,
    FirmSituation,
    NetworkConfig,
    ScenarioConfig,
    StoreConfig,
    SupplyCounts,
)
from sim.negotiation import opinion
from sim.rules import registry


def schema_defaults(schema, prefix=""):
    """``{dotted key: default}`` of a dataclass schema, nested dataclasses flattened."""
    out = {}
    for f in dataclasses.fields(schema):
        key = f"{prefix}{f.name}"
        if f.default_factory is not dataclasses.MISSING:
            value = f.default_factory()
            if dataclasses.is_dataclass(value):
                out |= schema_defaults(value, f"{key}.")
            else:  # a mapping, e.g. a search space: flattened as the YAML side is
                out |= {f"{key}.{name}": item for name, item in value.items()}
        else:
            out[key] = f.default
    return out


def yaml_values(path):
    """``{dotted key: value}`` of a YAML file, nested mappings flattened."""
    def flatten(node, prefix=""):
        out = {}
        for key, value in node.items():
            if isinstance(value, dict):
                out |= flatten(value, f"{prefix}{key}.")
            else:
                out[f"{prefix}{key}"] = value
        return out

    raw = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
    return flatten({k: v for k, v in raw.items() if k != "defaults"})


def _plain(value):
    return value.value if hasattr(value, "value") else value


COMPLETE = [(BehaviourConfig, CONFIG_DIR / "behaviour" / "default.yaml"),
            (DeliberationConfig, CONFIG_DIR / "deliberation" / "default.yaml")]
"""YAML files that state every value of their schema."""
PAIRS = COMPLETE + [(rule.Params, CONFIG_DIR / group / f"{name}.yaml")
          for group, rules in registry.all_groups().items() for name, rule in rules.items()]
PAIRS += [(params, CONFIG_DIR / "opinion" / f"{name}.yaml")
          for name, (_, params) in opinion.KERNELS.items()]


@pytest.mark.parametrize(("schema", "path"), PAIRS, ids=[str(p.relative_to(CONFIG_DIR))
                                                         for _, p in PAIRS])
def test_every_schema_default_equals_its_yaml_value(schema, path):
    defaults, values = schema_defaults(schema), yaml_values(path)
    assert set(values) <= set(defaults), f"keys without a schema: {set(values) - set(defaults)}"
    for key, value in values.items():
        assert _plain(defaults[key]) == value, f"{path.name}: {key}"


@pytest.mark.parametrize(("schema", "path"), COMPLETE, ids=lambda x: getattr(x, "name", ""))
def test_behaviour_and_deliberation_yaml_state_every_value(schema, path):
    missing = set(schema_defaults(schema)) - set(yaml_values(path))
    assert not missing, f"schema defaults with no YAML value: {sorted(missing)}"


def test_the_scenario_schema_carries_no_numbers():
    for schema in (ScenarioConfig, NetworkConfig, SupplyCounts):
        numbers = {k: v for k, v in schema_defaults(schema).items()
                   if isinstance(v, int | float) and not isinstance(v, bool)}
        assert not numbers, f"{schema.__name__} defaults: {numbers}"


@pytest.mark.parametrize("path", sorted((CONFIG_DIR / "scenario").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_every_scenario_sets_every_value_its_schema_leaves_open(path):
    open_keys = {k for k, v in schema_defaults(ScenarioConfig).items() if v is MISSING}
    assert open_keys <= set(scenario_values(path))


def scenario_values(path) -> dict:
    """A scenario's values, with those of the scenario it extends (a plain name in its
    ``defaults``, e.g. case D's activity centre extends ``yuxin_garden``)."""
    defaults = OmegaConf.load(path).get("defaults", [])
    bases = [entry for entry in defaults if isinstance(entry, str) and entry != "_self_"]
    values = {}
    for base in bases:
        values |= scenario_values(path.parent / f"{base}.yaml")
    return values | yaml_values(path)


def test_the_store_schema_defaults_equal_config_yaml():
    values = yaml_values(CONFIG_DIR / "config.yaml")
    defaults = schema_defaults(StoreConfig, "store.")
    assert set(defaults) == {key for key in values if key.startswith("store.")}
    for key, default in defaults.items():
        assert _plain(default) == values[key], key


def test_the_district_schema_carries_no_numbers_and_haidian_sets_every_value():
    numbers = {k: v for k, v in schema_defaults(DistrictConfig).items()
               if isinstance(v, int | float) and not isinstance(v, bool)}
    assert not numbers, f"DistrictConfig defaults: {numbers}"
    values = yaml_values(CONFIG_DIR / "district" / "haidian.yaml")
    open_keys = {k for k, v in schema_defaults(DistrictConfig).items() if v is MISSING}
    assert open_keys <= set(values)
    situations = {key.split(".")[1] for key in values if key.startswith("firm_situations.")}
    for name in situations:
        for field in dataclasses.fields(FirmSituation):
            assert f"firm_situations.{name}.{field.name}" in values
