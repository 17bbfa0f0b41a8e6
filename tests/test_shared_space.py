"""The shared space (case D): the week's slots, memberships, what plans give each group,
stakeholders, the committee's terms, the resource contract, and the article's outcome on
Yuxin Garden."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import config
from omegaconf import OmegaConf
from resource_contract import ResourceContract

from sim.config import ConfigError, check_fields
from sim.estate.population import build_households
from sim.estate.state import Households
from sim.resources.interface import Evaluation
from sim.resources.shared_space import membership, week
from sim.resources.shared_space.resource import SharedSpace, knob_space
from sim.resources.shared_space.schema import SharedSpaceConfig

HOURS = {"morning": 4.0, "afternoon": 5.0, "evening": 4.0}
WEEK_HOURS = 7 * sum(HOURS.values())
EVERY_PERIOD = [1.0, 1.0, 1.0]


def group(**fields) -> dict:
    """A group that fits every slot, needs 50 m², makes no noise and minds none."""
    return {"share": 0.5, "hours": 20.0, "area": 50.0, "weekday": EVERY_PERIOD,
            "weekend": EVERY_PERIOD, "noise": 0.0, "quiet": 0.0, "wtp": 10.0, **fields}


def space_config(**fields) -> SharedSpaceConfig:
    """A small hand-made space: 200 m², groups a and b, an empty status quo; ``fields``
    replace or add top-level entries (plans are added to the empty one)."""
    plans = {"empty": {"rooms": {"r1": {"area": 100.0}}}, **fields.pop("plans", {})}
    data = {"name": "test", "area": 200.0, "opening": HOURS, "condition": 0.5,
            "renovation_cost": 100.0, "sound_leak": 0.25,
            "status_quo": "empty", "layouts": ["empty"],
            "groups": {"a": group(), "b": group()}, "plans": plans, **fields}
    cfg = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(SharedSpaceConfig), data))
    check_fields(cfg, "shared_space")
    return cfg


def members(*rows: tuple[bool, ...]) -> np.ndarray:
    return np.array(rows, dtype=bool)


def small_space(plans: dict, **fields) -> SharedSpace:
    """The small space for four households: one in a, one in b, one in both, one in none."""
    cfg = space_config(plans=plans, **fields)
    return SharedSpace(cfg, members((1, 0), (0, 1), (1, 1), (0, 0)), np.ones(4, dtype=bool))


def one_plan(use: dict, rooms: dict | None = None, **plan) -> SharedSpace:
    rooms = rooms or {"r1": {"area": 100.0}}
    return small_space({"p": {"rooms": rooms, "use": use, **plan}})


# -- the week ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("words", "days", "periods"), [
    ("daily", range(7), range(3)),
    ("weekday evening", range(5), [2]),
    ("sat sun morning afternoon", [5, 6], [0, 1]),
    ("weekend", [5, 6], range(3)),
    ("wed", [2], range(3)),
    ("evening", range(7), [2]),
])
def test_slot_words_name_days_times_periods(words, days, periods):
    expected = np.zeros((7, 3), dtype=bool)
    expected[np.ix_(list(days), list(periods))] = True
    assert np.array_equal(week.slots(words), expected.ravel())


def test_clauses_add_up():
    both = week.slots("weekday evening, weekend morning")
    assert both.sum() == 5 + 2
    assert np.array_equal(both, week.slots("weekday evening") | week.slots("weekend morning"))


@pytest.mark.parametrize("words", ["", "  ", "weekday,", "fortnightly", "mon noon"])
def test_slot_words_that_name_nothing_or_nonsense_fail(words):
    with pytest.raises(ValueError, match="names no time|unknown word"):
        week.slots(words)


def test_slot_hours_and_fit_follow_the_day():
    hours = week.slot_hours(4, 5, 4)
    assert hours.sum() == WEEK_HOURS and hours[week.slots("evening")].tolist() == [4.0] * 7
    fit = week.by_slot([0.0, 0.2, 1.0], [1.0, 1.0, 0.8])
    assert fit[week.slots("weekday afternoon")].tolist() == [0.2] * 5
    assert fit[week.slots("sun evening")].tolist() == [0.8]


# -- memberships ---------------------------------------------------------------------------------


def households_with(special_need: np.ndarray) -> Households:
    n = len(special_need)
    return Households(**{name: np.zeros(n, dtype=bool) for name in Households.__dataclass_fields__}
                      | {"special_need": special_need})


@pytest.mark.parametrize("share", [0.0, 0.1, 0.3, 0.5, 1.0])
def test_each_group_gets_exactly_its_share_preferred_trait_first(share):
    special = np.arange(1000) < 300
    drawn = membership.draw([share, share], ["special_need", ""],
                            households_with(special), np.random.default_rng(4))
    assert (drawn.sum(axis=0) == round(share * 1000)).all()
    preferred = drawn[:, 0]
    if share <= 0.3:
        assert special[preferred].all()
    else:
        assert preferred[special].all()


def test_memberships_follow_the_seed():
    special = np.arange(500) < 100
    draw = [membership.draw([0.2, 0.4], ["", ""], households_with(special),
                            np.random.default_rng(seed)) for seed in (1, 1, 2)]
    assert np.array_equal(draw[0], draw[1]) and not np.array_equal(draw[0], draw[2])


# -- what a plan gives each group: hours, factors, utilisation -----------------------------------


def test_hours_are_the_slots_times_their_length():
    space = one_plan({"r1": {"a": "weekday evening", "b": "sat sun morning afternoon"}})
    usage = space.usage(space.plans["p"])
    assert usage.hours.tolist() == [5 * 4.0, 2 * (4.0 + 5.0)]


def test_effective_hours_multiply_fit_size_and_condition():
    # a: fit 0.5 in the evening, needs 200 m² in a 100 m² room, unrenovated (condition 0.5)
    cfg = {"groups": {"a": group(weekday=[1.0, 1.0, 0.5], area=200.0, hours=40.0), "b": group()}}
    space = small_space({"p": {"rooms": {"r1": {"area": 100.0}},
                               "use": {"r1": {"a": "weekday evening"}}}}, **cfg)
    usage = space.usage(space.plans["p"])
    expected = 20.0 * 0.5 * (100 / 200) * 0.5
    assert usage.effective[0] == pytest.approx(expected)
    assert usage.met[0] == pytest.approx(expected / 40.0)


def test_renovation_restores_the_full_value_of_an_hour():
    space = small_space({"p": {"renovate": True, "rooms": {"r1": {"area": 100.0}},
                               "use": {"r1": {"a": "mon"}}}})
    assert space.usage(space.plans["p"]).effective[0] == pytest.approx(13.0)


def test_share_of_demand_met_is_capped_at_one():
    space = one_plan({"r1": {"a": "daily"}}, renovate=True)
    usage = space.usage(space.plans["p"])
    assert usage.effective[0] == pytest.approx(WEEK_HOURS) and usage.met[0] == 1.0


@pytest.mark.parametrize(("enclosure", "hearing"), [("hall", 1.0), ("", 0.25)])
def test_noise_costs_the_quiet_group_by_how_much_it_hears(enclosure, hearing):
    groups = {"a": group(quiet=0.8), "b": group(noise=0.5)}
    rooms = {"r1": {"area": 60.0, "enclosure": enclosure},
             "r2": {"area": 60.0, "enclosure": enclosure}}
    space = small_space({"p": {"renovate": True, "rooms": rooms,
                               "use": {"r1": {"a": "mon evening, tue evening"},
                                       "r2": {"b": "mon evening"}}}}, groups=groups)
    usage = space.usage(space.plans["p"])
    loud, calm = 4.0 * (1 - 0.8 * 0.5 * hearing), 4.0
    assert usage.effective[0] == pytest.approx(loud + calm)
    assert usage.factors["quiet"][0] == pytest.approx((loud + calm) / 8.0)
    assert usage.effective[1] == pytest.approx(4.0)  # b minds no noise


def test_a_group_alone_hears_nobody_however_loud_it_is():
    space = small_space({"p": {"renovate": True, "rooms": {"r1": {"area": 60.0}},
                               "use": {"r1": {"a": "mon evening"}}}},
                        groups={"a": group(noise=1.0, quiet=1.0), "b": group()})
    assert space.usage(space.plans["p"]).effective[0] == pytest.approx(4.0)


def test_an_age_conflict_counts_when_it_is_worse_than_the_noise():
    groups = {"a": group(quiet=0.1, avoid={"b": 0.6}), "b": group(noise=1.0)}
    rooms = {"r1": {"area": 60.0, "enclosure": "hall"}, "r2": {"area": 60.0, "enclosure": "hall"}}
    space = small_space({"p": {"renovate": True, "rooms": rooms,
                               "use": {"r1": {"a": "mon evening"}, "r2": {"b": "mon evening"}}}},
                        groups=groups)
    assert space.usage(space.plans["p"]).effective[0] == pytest.approx(4.0 * (1 - 0.6))


@pytest.mark.parametrize(("fee", "left"), [(0.0, 1.0), (2.5, 0.75), (5.0, 0.5), (10.0, 0.0)])
def test_a_fee_takes_its_share_of_what_the_group_will_pay(fee, left):
    space = one_plan({"r1": {"a": "weekday evening"}}, renovate=True, fees={"a": fee})
    usage = space.usage(space.plans["p"])
    held = 20.0 if left > 0 else 0.0  # a fee at or above what it pays keeps the group away
    assert usage.hours[0] == held
    assert usage.effective[0] == pytest.approx(20.0 * left)
    assert usage.features["fee_income"] == pytest.approx(fee * held)


def test_utilisation_counts_the_area_sessions_need_over_the_space_and_week():
    # a needs 50 m² (room 100), b needs 150 m² (room 100): each counts min(room, need)
    groups = {"a": group(), "b": group(area=150.0)}
    space = small_space({"p": {"rooms": {"r1": {"area": 100.0}, "r2": {"area": 100.0}},
                               "use": {"r1": {"a": "weekday evening"},
                                       "r2": {"b": "sat sun"}}}}, groups=groups)
    usage = space.usage(space.plans["p"])
    assert usage.utilisation == pytest.approx((50 * 20.0 + 100 * 26.0) / (200 * WEEK_HOURS))
    assert usage.features["area_hours"] == pytest.approx(100 * 20.0 + 100 * 26.0)


def test_a_moved_group_gets_the_venues_slots_at_its_access_and_condition():
    sites = {"gym": {"area": 100.0, "access": 0.5, "condition": 0.8, "offers": "weekend"}}
    space = small_space({"p": {"rooms": {"r1": {"area": 100.0}}, "use": {"r1": {"a": "mon"}},
                               "relocate": {"b": "gym"}}}, sites=sites)
    usage = space.usage(space.plans["p"])
    assert usage.hours[1] == 2 * 13.0
    assert usage.effective[1] == pytest.approx(26.0 * 0.5 * 0.8)
    assert usage.features["hosted_hours"] == 26.0
    assert usage.utilisation == pytest.approx(50 * 13.0 / (200 * WEEK_HOURS))  # inside only


# -- evaluation, stakeholders, Pareto ------------------------------------------------------------


def test_each_household_gains_the_sum_over_its_groups():
    space = one_plan({"r1": {"a": "weekday evening", "b": "mon morning"}}, renovate=True)
    evaluation = space.evaluate_plan(space.plans["p"])
    a, b = 20.0 / 20.0, 4.0 / 20.0
    assert evaluation.groups == pytest.approx({"a": a, "b": b})
    assert evaluation.resident == pytest.approx([a, b, a + b, 0.0])


def test_a_stakeholder_gains_its_weighted_change_of_features():
    stakeholders = {"owner": {"weights": {"area_hours": -0.5, "hazard": -100.0}},
                    "payer": {"weights": {"renovation": -0.01, "welfare": 10.0}}}
    space = small_space({"p": {"renovate": True, "rooms": {"r1": {"area": 100.0}},
                               "use": {"r1": {"a": "weekday evening"}}}},
                        stakeholders=stakeholders)
    gains = space.evaluate_plan(space.plans["p"]).stakeholders
    # 100 m² × 20 h in use; hazard 1 − 0.5 → 0; renovation 200 m² × 100 yuan; a (half the
    # households) fully served: welfare 0.5
    assert gains["owner"] == pytest.approx(-0.5 * 2000 + 100.0 * 0.5)
    assert gains["payer"] == pytest.approx(-0.01 * 20000 + 10.0 * 0.5)


def test_a_renovation_beyond_the_budget_is_a_loss_of_the_shortfall():
    stakeholders = {"payer": {"budget": 15000.0, "weights": {"welfare": 1e6}}}
    space = small_space({"p": {"renovate": True, "rooms": {"r1": {"area": 100.0}},
                               "use": {"r1": {"a": "daily"}}}}, stakeholders=stakeholders)
    plan = space.plans["p"]
    assert space.evaluate_plan(plan).stakeholders["payer"] == pytest.approx(15000 - 20000)
    [objection] = space.plan_objections(plan)
    assert objection.party == "payer" and "budget" in objection.reason


def test_a_done_renovation_costs_nothing_again_and_keeps_its_value():
    stakeholders = {"payer": {"weights": {"renovation": -1.0}}}
    space = small_space({"p": {"renovate": True, "rooms": {"r1": {"area": 100.0}},
                               "use": {"r1": {"a": "mon"}}},
                         "q": {"rooms": {"r1": {"area": 100.0}}, "use": {"r1": {"b": "mon"}}}},
                        stakeholders=stakeholders, layouts=["p", "q"])
    space.adopt({"layout": 0}, day=1)
    usage = space.usage(space.plans["q"])
    assert usage.features["renovation"] == 0.0 and usage.effective[1] == pytest.approx(13.0)


@pytest.mark.parametrize(("groups", "stakeholders", "pareto", "losers"), [
    ({"a": 0.2, "b": 0.0}, {"s": 5.0}, True, []),
    ({"a": 0.0, "b": 0.0}, {"s": 0.0}, False, []),
    ({"a": 0.2, "b": -0.1}, {"s": 5.0}, False, ["b"]),
    ({"a": 0.2, "b": 0.1}, {"s": -1.0}, False, ["s"]),
    ({"a": 1e-12, "b": -1e-12}, {"s": 1.0}, True, []),  # rounding is no loss
])
def test_pareto_means_nobody_loses_and_somebody_gains(groups, stakeholders, pareto, losers):
    evaluation = Evaluation(np.zeros(2), np.zeros(2), groups, stakeholders)
    assert evaluation.pareto() is pareto and evaluation.losers() == losers


def test_a_group_that_loses_hours_objects_with_that_reason():
    space = small_space({"before": {"rooms": {"r1": {"area": 100.0}},
                                    "use": {"r1": {"a": "weekday evening"}}},
                         "after": {"rooms": {"r1": {"area": 100.0}},
                                   "use": {"r1": {"a": "mon evening", "b": "tue evening"}}}},
                        status_quo="before")
    [objection] = space.plan_objections(space.plans["after"])
    assert objection.party == "a" and objection.kind == "group"
    assert objection.reason.startswith("fewer hours") and "20 → 4" in objection.reason
    assert not space.evaluate_plan(space.plans["after"]).pareto()


def test_a_plan_that_adds_use_without_taking_any_is_a_pareto_improvement():
    stakeholders = {"host": {"weights": {"welfare": 1.0, "area_hours": -1e-6}}}
    space = small_space({"before": {"rooms": {"r1": {"area": 100.0}},
                                    "use": {"r1": {"a": "weekday evening"}}},
                         "after": {"rooms": {"r1": {"area": 100.0}},
                                   "use": {"r1": {"a": "weekday evening", "b": "weekend"}}}},
                        status_quo="before", stakeholders=stakeholders)
    evaluation = space.evaluate_plan(space.plans["after"])
    # b gets 26 h in the unrenovated room (condition 0.5): 13 of the 20 it wants; the host
    # gains welfare 0.5 (b's share of households) × 0.65 and pays for 100 m² × 26 h more
    assert evaluation.groups == pytest.approx({"a": 0.0, "b": 13 / 20})
    assert evaluation.stakeholders["host"] == pytest.approx(0.5 * 13 / 20 - 1e-6 * 2600)
    assert evaluation.pareto() and not space.plan_objections(space.plans["after"])


# -- the resource contract, on Yuxin Garden's activity centre ------------------------------------


def yuxin(seed: int = 0) -> SharedSpace:
    cfg = config("scenario=yuxin_activity_centre", f"seed={seed}")
    households = build_households(cfg.scenario, cfg.behaviour.fees, np.random.default_rng(seed))
    return SharedSpace.for_households(cfg.shared_space, households,
                                      np.random.default_rng(seed + 1))


class TestSharedSpaceContract(ResourceContract):
    @pytest.fixture
    def make_resource(self):
        return yuxin

    @pytest.fixture
    def households(self):
        return 5032

    def terms(self, resource):
        return [{"layout": layout, "fee": fee}
                for layout in range(len(resource.layouts)) for fee in (1.0, 0.0, 4.0)]


def test_adopting_puts_the_plan_in_force_and_the_outcome_compares_it_with_the_start():
    space = yuxin()
    assert space.outcome()["plan"] == "table_tennis_hall" and not space.outcome()["pareto"]
    space.adopt({"layout": 1, "fee": 1.0}, day=30)
    assert space.status_quo is space.layouts[1] and space.adopted_day == 30
    evaluation = space.evaluate({"layout": 1})
    assert not evaluation.resident.any() and not any(evaluation.gains().values())
    outcome = space.outcome()
    usage = space.usage(space.layouts[1])
    assert outcome["plan"] == "six_rooms_one_hall_gym" and outcome["pareto"]
    assert outcome["groups_worse_off"] == 0 and outcome["utilisation"] == usage.utilisation
    assert outcome["hours_table_tennis"] == usage.hours[space.groups.index("table_tennis")]


def test_a_group_that_loses_by_the_fee_names_the_fee_as_its_remedy():
    use = {"rooms": {"r1": {"area": 100.0}}, "use": {"r1": {"a": "weekday evening"}}}
    space = small_space({"before": use, "after": {**use, "fees": {"a": 8.0}}},
                        status_quo="before", layouts=["after"])
    charged = space.evaluate({"layout": 0, "fee": 1.0})
    objections = space.objections({"layout": 0, "fee": 1.0}, charged)
    assert charged.groups["a"] == pytest.approx(-0.8 * (20 * 0.5) / 20)  # 80 % of a's value
    assert objections.remedies[0] == "fee" and objections.parties[0].party == "a"
    assert objections.reason.tolist() == [0, -1, 0, -1]  # a's members: households 0 and 2
    free = space.evaluate({"layout": 0, "fee": 0.0})
    assert free.groups["a"] == 0.0
    assert (space.objections({"layout": 0, "fee": 0.0}, free).reason == -1).all()


def test_the_search_walks_every_layout_and_fee_level_and_nothing_else(centre):
    space = knob_space(centre.config)
    assert space == {"layout": [0.0, 1.0], "fee": [1.0, 0.5, 0.0]}
    centre.check_space(space, "proposal_search.space")
    with pytest.raises(ConfigError, match="must index shared_space.layouts"):
        centre.check_space({"layout": [2.0]}, "proposal_search.space")
    with pytest.raises(ConfigError, match=r"must lie in \[0, 10\]"):
        centre.check_space({"fee": [11.0]}, "proposal_search.space")


def test_an_owner_living_elsewhere_gains_nothing_from_the_space():
    cfg = config("scenario=yuxin_activity_centre")
    households = build_households(cfg.scenario, cfg.behaviour.fees, np.random.default_rng(0))
    space = SharedSpace.for_households(cfg.shared_space, households, np.random.default_rng(1))
    evaluation = space.evaluate({})
    assert (evaluation.owner[~households.owner] == 0).all()
    assert np.array_equal(evaluation.owner[households.owner],
                          evaluation.resident[households.owner])


# -- case D: the article's outcome and its alternatives ------------------------------------------


@pytest.fixture(scope="module")
def centre() -> SharedSpace:
    return yuxin()


def test_the_estate_is_yuxin_gardens(centre):
    cfg = config("scenario=yuxin_activity_centre")
    assert (cfg.scenario.households, cfg.scenario.buildings) == (5032, 53)
    assert cfg.shared_space.area == 1152 and len(centre.members) == 5032
    assert config("scenario=yuxin_garden").shared_space is None


def test_the_status_quo_is_one_table_tennis_hall(centre):
    usage = centre.usage(centre.status_quo)
    served = [g for g, hours in zip(centre.groups, usage.hours, strict=True) if hours > 0]
    assert [room.name for room in centre.status_quo.rooms] == ["hall"]
    assert served == ["table_tennis"]


def test_six_rooms_one_hall_with_table_tennis_at_the_gym_leaves_no_one_worse_off(centre):
    plan = centre.plans["six_rooms_one_hall_gym"]
    evaluation = centre.evaluate_plan(plan)
    assert (len(plan.rooms), sorted(r.area for r in plan.rooms)[-1]) == (7, 576)
    assert evaluation.pareto() and not centre.plan_objections(plan)
    assert min(evaluation.groups.values()) >= 0 and (evaluation.resident >= 0).all()
    assert all(gain > 0 for gain in evaluation.stakeholders.values()), "every party gains"
    assert centre.usage(plan).utilisation > centre.usage(centre.status_quo).utilisation


@pytest.mark.parametrize("name", ["elderly_care_centre", "six_rooms_one_hall"])
def test_a_plan_that_takes_the_hall_from_table_tennis_leaves_it_worse_off(centre, name):
    objections = centre.plan_objections(centre.plans[name])
    assert [o.party for o in objections] == ["table_tennis"]
    assert objections[0].reason.startswith("fewer hours")


def test_the_committees_second_layout_moves_table_tennis_and_settles_the_objection(centre):
    first, second = centre.evaluate({"layout": 0}), centre.evaluate({"layout": 1})
    assert first.losers() == ["table_tennis"]
    assert centre.objections({"layout": 0}, first).remedies[
        centre.groups.index("table_tennis")] == "layout"
    assert second.pareto() and not second.losers()


def test_the_community_will_not_pay_to_renovate_a_single_use_table_tennis_hall(centre):
    objections = centre.plan_objections(centre.plans["renovated_table_tennis_hall"])
    assert [(o.party, o.kind) for o in objections] == [("community", "stakeholder")]
    assert objections[0].reason.startswith("renovation")


def test_a_budget_below_the_renovation_makes_the_community_object():
    cfg = config("scenario=yuxin_activity_centre",
                 "shared_space.stakeholders.community.budget=300000")
    space = SharedSpace(cfg.shared_space, np.ones((10, 6), dtype=bool), np.ones(10, dtype=bool))
    for plan in space.plans.values():
        parties = {o.party: o.reason for o in space.plan_objections(plan)}
        assert ("community" in parties) is plan.renovate
        assert not plan.renovate or "exceeds its budget" in parties["community"]


def test_the_represented_groups_the_owner_unit_and_the_community_hold_vetoes(centre):
    assert centre.veto_holders() == (*centre.groups, "owner_unit", "community")
