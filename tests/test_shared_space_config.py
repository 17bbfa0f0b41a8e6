"""The shared space's config: every mistake stops with a message naming the key."""

from __future__ import annotations

import copy

import pytest
from hydra import compose, initialize_config_dir
from omegaconf import DictConfig, OmegaConf

from sim.compose import load_config, register_schemas, to_run_config
from sim.config import CONFIG_DIR, ConfigError, RunConfig, check_fields
from sim.resources.shared_space.schema import StakeholderConfig

SPACE = "shared_space"
PLAN = "plans.six_rooms_one_hall"


@pytest.fixture(scope="module")
def composed() -> DictConfig:
    """Case D's config as Hydra composes it (once: each case below changes a copy)."""
    register_schemas()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose(config_name="config", overrides=["scenario=yuxin_activity_centre"])


def checked(composed: DictConfig, key: str, value) -> RunConfig:
    """The config with ``key`` set (or added) to ``value``, checked as a run's config is."""
    cfg = copy.deepcopy(composed)
    OmegaConf.update(cfg, key, value, force_add=True)
    return to_run_config(cfg)


@pytest.mark.parametrize(("key", "value", "error_key", "allowed"), [
    ("groups.elderly.share", 1.5, "groups.elderly.share", "share in [0, 1]"),
    ("area", 0, "area", "greater than 0"),
    ("opening.evening", 20, "opening", "at most 24"),
    ("groups.students.weekday", [1, 1], "groups.students.weekday", "3 shares"),
    ("groups.students.weekend", [1, 2, 1], "groups.students.weekend", "3 shares"),
    ("groups.elderly.prefer", "tall", "groups.elderly.prefer", "special_need"),
    ("groups.elderly.avoid.young_children", 3, "groups.elderly.avoid.young_children",
     "share in [0, 1]"),
    ("groups.elderly.avoid.dogs", 0.5, "groups.elderly.avoid", "known: elderly"),
    ("sites.gym.offers", "fortnightly", "sites.gym.offers", "unknown word"),
    ("stakeholders.owner_unit.weights.prestige", 1, "stakeholders.owner_unit.weights",
     "area_hours"),
    ("stakeholders.community.budget", -1, "stakeholders.community.budget", "must lie in"),
    ("status_quo", "castle", "status_quo", "table_tennis_hall"),
    ("layouts", ["six_rooms_one_hall", "castle"], "layouts[1]", "six_rooms_one_hall"),
    ("layouts", [], "layouts", "at least one plan"),
    ("fee_levels", [1.0, 20.0], "fee_levels", "each in [0, 10]"),
    ("fee_levels", [], "fee_levels", "at least one factor"),
    (f"{PLAN}.rooms.hall.area", 900, f"{PLAN}.rooms", "more than the space's 1152 m²"),
    (f"{PLAN}.use.gallery", {"culture": "daily"}, f"{PLAN}.use", "known: united_front_home"),
    (f"{PLAN}.use.hall.dancers", "mon", f"{PLAN}.use.hall", "known: elderly"),
    (f"{PLAN}.use.hall.elderly", "daily", f"{PLAN}.use.hall.young_children", "overlaps elderly"),
    (f"{PLAN}.use.hall.culture", "sundays", f"{PLAN}.use.hall.culture", "unknown word"),
    (f"{PLAN}.use.hall.culture", "", f"{PLAN}.use.hall.culture", "names no time"),
    (f"{PLAN}.relocate.table_tennis", "moon", f"{PLAN}.relocate.table_tennis", "known: gym"),
    (f"{PLAN}.relocate.dancers", "gym", f"{PLAN}.relocate", "known: elderly"),
    (f"{PLAN}.fees.culture", -5, f"{PLAN}.fees.culture", "at least 0"),
    (f"{PLAN}.fees.dancers", 5, f"{PLAN}.fees", "known: elderly"),
    ("plans.six_rooms_one_hall_gym.relocate.culture", "gym",
     "plans.six_rooms_one_hall_gym.relocate.culture", "already hosts table_tennis"),
])
def test_a_bad_value_names_the_key_and_what_is_allowed(composed, key, value, error_key,
                                                       allowed):
    with pytest.raises(ConfigError) as error:
        checked(composed, f"{SPACE}.{key}", value)
    assert error.value.key == f"{SPACE}.{error_key}"
    assert allowed in str(error.value) and "\n" not in str(error.value)


def test_a_stakeholder_must_not_be_named_like_a_group(composed):
    space = to_run_config(copy.deepcopy(composed)).shared_space
    space.stakeholders["elderly"] = StakeholderConfig()
    with pytest.raises(ConfigError, match="must not share a group's name"):
        check_fields(space, SPACE)


def test_any_estate_can_take_the_space_and_yuxin_garden_keeps_none():
    assert load_config(["scenario=yuxin_garden"]).shared_space is None
    chosen = load_config(["scenario=sanhuqiao", "shared_space=yuxin_building_38"])
    assert chosen.scenario.households == 182 and chosen.shared_space.area == 1152
