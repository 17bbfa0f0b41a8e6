"""The committee's proposal search and the channels: each option's contract, the searches'
choices against hand-made situations, and the one-line errors for bad input."""

import dataclasses
import subprocess
import sys

import pytest
from conftest import config

from sim.config import CONFIG_DIR, ConfigError, check_fields
from sim.model import CommunityModel
from sim.negotiation.proposal_search import Situation
from sim.rules import registry

GROUPS = ("proposal_search", "channels")
OPTIONS = [(group, name) for group in GROUPS for name in registry.names(group)]


@pytest.mark.parametrize(("group", "name"), OPTIONS)
def test_each_option_is_named_like_its_yaml_file_documented_and_selectable(group, name):
    rule = registry.get(group, name)
    assert (CONFIG_DIR / group / f"{name}.yaml").is_file()
    assert rule.name == name == rule.Params().name
    assert rule.__doc__ and len(rule.__doc__.split()) > 10 and rule.zh and rule.en
    cfg = config(f"{group}=[{name}]" if group == "channels" else f"{group}={name}")
    node = cfg.channels[name] if group == "channels" else cfg.proposal_search
    assert node == rule.Params()  # the YAML file's values are the schema's


def test_the_options_the_issue_asks_for_exist():
    assert {"fixed", "compensate", "objection_driven"} <= set(registry.names("proposal_search"))
    assert {"in_person", "written_ballot", "online"} <= set(registry.names("channels"))


def search(name, **params):
    rule = registry.get("proposal_search", name)
    return rule(dataclasses.replace(rule.Params(), **params))


SPACE = {"a": [0.0, 1.0, 2.0], "b": [0.0, 1.0, 2.0]}


def situation(current=(0, 0), failed_on="threshold", objections=None, tried=(), passes=()):
    """A situation whose expectation passes exactly the variants in ``passes``; the closer a
    variant is to (2, 2), the higher its expected yes share."""

    def expect(variant):
        return variant in passes, sum(variant) / 10

    return Situation(current, failed_on, objections or {"a": 3, "b": 1},
                     frozenset(tried) | {current}, expect)


def test_fixed_puts_the_same_proposal_again():
    assert search("fixed").next(situation(current=())) == ()


def test_compensate_raises_every_knob_one_level_whatever_was_heard():
    rule = search("compensate", space=SPACE)
    assert rule.next(situation(objections={"a": 0, "b": 0})) == (1, 1)
    assert rule.next(situation(current=(2, 1))) == (2, 2)
    assert rule.next(situation(current=(2, 2))) == (2, 2)


def test_objection_driven_puts_the_least_change_expected_to_pass():
    rule = search("objection_driven", space=SPACE)
    # two steps: on the knob most objected to first
    assert rule.next(situation(passes={(1, 1), (2, 0)})) == (2, 0)
    assert rule.next(situation(passes={(1, 1), (0, 1)})) == (0, 1)  # 1 step beats 2
    assert rule.next(situation(passes={(0, 1), (1, 0)})) == (1, 0)  # tie: more objections


def test_objection_driven_moves_only_the_knobs_objected_to():
    rule = search("objection_driven", space=SPACE)
    chosen = rule.next(situation(objections={"a": 5, "b": 0}, passes={(0, 1), (2, 0)}))
    assert chosen == (2, 0)


def test_objection_driven_without_a_passing_variant_tries_the_closest_untried_then_gives_up():
    rule = search("objection_driven", space=SPACE, max_step=4)
    assert rule.next(situation()) == (2, 2)
    everything = {(a, b) for a in range(3) for b in range(3)}
    assert rule.next(situation(tried=everything)) is None


def test_objection_driven_amends_by_at_most_max_step_level_steps():
    assert search("objection_driven", space=SPACE, max_step=1).next(situation()) == (1, 0)
    assert search("objection_driven", space=SPACE, max_step=2).next(situation()) == (2, 0)
    within_reach = {(1, 0), (0, 1), (2, 0), (1, 1), (0, 2)}
    gave_up = search("objection_driven", space=SPACE, max_step=2).next(
        situation(tried=within_reach))
    assert gave_up is None  # (2, 2) is out of reach


def test_objection_driven_keeps_a_proposal_that_failed_only_on_its_quorum():
    rule = search("objection_driven", space=SPACE)
    assert rule.next(situation(current=(1, 0), failed_on="quorum", passes={(1, 0)})) == (1, 0)
    assert rule.next(situation(current=(1, 0), failed_on="quorum", passes={(2, 0)})) == (2, 0)


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("overrides", "message"), [
    (["proposal_search.space.price=[]"],
     r"proposal_search\.space\.price = \[\]: must list at least one level"),
    (["channels.written_ballot.visits_per_lead_per_day=-1"],
     r"channels\.written_ballot\.visits_per_lead_per_day = -1: must be at least 0"),
    (["channels.online.cost=-0.5"], r"channels\.online\.cost = -0\.5: must lie in \[0, 20\]"),
    (["deliberation.turnout.canvass_effect=-1"],
     r"deliberation\.turnout\.canvass_effect = -1(\.0)?: must lie in \[0, 50\]"),
])
def test_bad_values_are_reported_with_key_value_and_what_is_allowed(overrides, message):
    with pytest.raises(ConfigError, match=message):
        config(*overrides)


def test_a_space_without_knobs_has_no_variant_to_search():
    params = dataclasses.replace(registry.get("proposal_search", "compensate").Params(), space={})
    with pytest.raises(ConfigError, match=r"proposal_search\.space = \{\}: must name"):
        check_fields(params, "proposal_search")


def test_a_knob_the_resource_does_not_have_is_reported_with_the_available_ones():
    cfg = config("package=xiaonanzhuang_2024", "decision=civil_code_278")
    cfg.proposal_search.space = {"rent": [0.0, 1.0]}
    with pytest.raises(ConfigError, match=r"proposal_search\.space\.rent = 'rent': unknown "
                                          r"knob; available: tenant_quota, second_car_quota"):
        CommunityModel(cfg)
    cfg.proposal_search.space = {"price": [1.0, -0.5]}
    with pytest.raises(ConfigError, match=r"proposal_search\.space\.price = -0\.5: must lie"):
        CommunityModel(cfg)


def test_the_command_line_names_an_unknown_search_in_one_line_and_exits_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sim.run", "proposal_search=haggle", f"out={tmp_path}"],
        capture_output=True, text=True, cwd=CONFIG_DIR.parent,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["error: proposal_search = 'haggle': unknown option; available: compensate, "
                     "fixed, objection_driven"]
    assert not any(tmp_path.iterdir())
