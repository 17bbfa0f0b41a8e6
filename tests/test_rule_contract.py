"""The contract every parking rule keeps, run for every rule of the parking groups in the
registry (decision rules have their own contract in test_decision.py).

A new rule module with its YAML file is picked up here without editing this file
(Axelrod-style contract tests): it must be configurable under its own name, deterministic
under the seed, leave its inputs alone, and keep the parking invariants in edge cases.
"""

import dataclasses

import numpy as np
import pytest
from conftest import config

from sim.config import CONFIG_DIR
from sim.estate.state import SpaceKind, Use
from sim.model import CommunityModel
from sim.resources.parking.kernel import permits_held
from sim.rules import registry

PERMIT_GROUPS = {"tenure", "pricing", "revenue", "supply"}
PARKING_GROUPS = {"allocation"} | PERMIT_GROUPS
RULES = [(group, name) for group, rules in registry.all_groups().items() for name in rules
         if group in PARKING_GROUPS]

EDGE_CASES = {
    "no spaces": ["scenario.spaces=0"],
    "no cars": ["scenario.cars=0"],
    "more spaces than cars": ["scenario.spaces=900"],
    "all tenants": ["scenario.owner_share=0"],
    "one household": ["scenario=synthetic", "scenario.households=1", "scenario.buildings=1",
                      "scenario.cars=1", "scenario.spaces=1"],
}


def overrides_for(group: str, name: str) -> list[str]:
    """Overrides that put the rule in force (with a permit-based allocation where needed)."""
    if group == "supply":
        return ["allocation=one_car_owner_first", f"supply=[{name}]"]
    if group in PERMIT_GROUPS:
        return ["allocation=one_car_owner_first", f"{group}={name}"]
    return [f"{group}={name}"]


def check_invariants(model: CommunityModel) -> None:
    """No space held twice beyond need, capacity respected, eligibility respected."""
    s, h = model.spaces, model.households
    held = s.holder >= 0
    assert not (held & (s.use == Use.TEMPORARY)).any(), "a temporary space is held"
    assert (s.holder < len(h)).all()
    roadside = held & (s.kind == SpaceKind.ROADSIDE)
    assert h.five_in_one[s.holder[roadside]].all(), "roadside permit to an ineligible household"
    assert model.today["legally_parked"] <= s.usable().sum()
    # A household never holds more usable permits than it had cars when they were handed out
    # (2 at most) — nobody holds spaces to keep others out.
    assert permits_held(s, len(h)).max(initial=0) <= 2


@pytest.mark.parametrize(("group", "name"), RULES)
class TestRuleContract:
    """Every registered rule, whatever its group."""

    def test_named_like_its_yaml_file_and_documented(self, group, name):
        rule = registry.get(group, name)
        assert (CONFIG_DIR / group / f"{name}.yaml").is_file()
        assert rule.name == name == rule.Params().name
        assert rule.__doc__ and len(rule.__doc__.split()) > 10
        assert rule.zh, "give the rule's Chinese name"
        assert rule.en, "give the rule's plain English name (figures, brief, app)"

    def test_selectable_from_the_command_line(self, group, name):
        cfg = config(*overrides_for(group, name))
        node = cfg.supply[name] if group == "supply" else getattr(cfg, group)
        assert dataclasses.is_dataclass(node) and node.name == name

    def test_same_seed_same_run(self, group, name):
        runs = []
        for _ in range(2):
            model = CommunityModel(config(*overrides_for(group, name), "seed=3"))
            for _ in range(65):
                model.step()
            runs.append(model.timeseries())
        assert runs[0].equals(runs[1])

    @pytest.mark.parametrize("case", list(EDGE_CASES))
    def test_invariants_hold_in_edge_cases(self, group, name, case):
        model = CommunityModel(config(*overrides_for(group, name), *EDGE_CASES[case]))
        for _ in range(130):  # past every default supply delay and a few reallocations
            model.step()
            check_invariants(model)
        series = model.timeseries()
        shares = series[["car_coverage", "household_coverage", "satisfaction"]].to_numpy()
        shares = shares[~np.isnan(shares)]  # coverage is undefined (NaN) without cars
        assert ((shares >= 0) & (shares <= 1)).all()


@pytest.mark.parametrize("name", registry.names("allocation"))
class TestAllocationContract:
    """Allocation rules: a key per car, deterministic under the seed, inputs untouched."""

    def test_priority_is_a_key_per_car_and_leaves_inputs_alone(self, name):
        model = CommunityModel(config())
        h, c = model.households, model.cars
        before_h, before_c = h.copy(), c.copy()
        rule = registry.build("allocation", registry.get("allocation", name).Params())
        a = rule.priority(h, c, np.random.default_rng(1))
        b = rule.priority(h, c, np.random.default_rng(1))
        assert a.shape == (len(c),) and np.array_equal(a, b)
        for column in dataclasses.fields(h):
            assert np.array_equal(getattr(h, column.name), getattr(before_h, column.name))
        for column in dataclasses.fields(c):
            assert np.array_equal(getattr(c, column.name), getattr(before_c, column.name))


@pytest.mark.parametrize("name", registry.names("pricing"))
def test_pricing_classifies_every_space_with_a_price(name):
    model = CommunityModel(config("package=xiaonanzhuang_2024", f"pricing={name}"))
    s = model.spaces
    assert set(np.unique(s.use)) <= {Use.FIXED, Use.ROTATING, Use.TEMPORARY}
    assert (s.price >= 0).all()
    assert (s.use[s.kind == SpaceKind.ROADSIDE] == Use.FIXED).all()
