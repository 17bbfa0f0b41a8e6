"""The population drawn from a scenario matches the scenario's numbers exactly."""

import numpy as np
import pytest
from conftest import config
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.estate.population import block_sizes, build_cars, build_households, build_spaces


def draw(*overrides, seed=0):
    cfg = config(*overrides)
    scenario = cfg.scenario
    rng = np.random.default_rng(seed)
    households = build_households(scenario, cfg.behaviour.fees, rng)
    cars = build_cars(scenario, households, rng)
    spaces, _ = build_spaces(scenario, cars, [], rng)
    return scenario, households, cars, spaces


@pytest.mark.parametrize("name", ["xiaonanzhuang", "sanhuqiao", "yuxin_garden"])
def test_article_counts_are_exact(name):
    scenario, households, cars, spaces = draw(f"scenario={name}")
    assert len(households) == scenario.households
    assert len(cars) == scenario.cars
    assert len(spaces) == scenario.spaces
    assert len(np.unique(households.building)) == scenario.buildings
    assert len(np.unique(households.stairwell)) == scenario.stairwells


def test_xiaonanzhuang_has_the_article_numbers():
    scenario, households, cars, spaces = draw()
    assert (len(households), len(cars), len(spaces), scenario.firms) == (829, 500, 230, 3)
    assert scenario.year_built == 1993


def test_every_car_is_counted_once():
    scenario, households, cars, _ = draw()
    assert households.cars.sum() == np.count_nonzero(~cars.zombie)
    assert np.array_equal(
        np.bincount(cars.household[~cars.zombie], minlength=len(households)), households.cars
    )
    # A household's cars are ranked 0, 1, ... without gaps, active cars before zombies.
    per_household = np.bincount(cars.household, minlength=len(households))
    assert per_household.max() <= 2
    assert np.count_nonzero(cars.rank == 0) == np.count_nonzero(per_household > 0)
    assert np.count_nonzero(per_household > 0) == scenario.car_households
    # A zombie is never ranked before an active car of the same household.
    zombie_first = cars.zombie & (cars.rank == 0) & (per_household[cars.household] == 2)
    for household in cars.household[zombie_first]:
        assert cars.zombie[cars.household == household].all()


def test_rerank_puts_active_cars_first():
    _, _, cars, _ = draw("scenario.zombie_car_share=0.5")
    cars.zombie[:] = False
    cars.zombie[cars.rank == 0] = True  # every first car turns zombie
    cars.rerank()
    two = np.bincount(cars.household)[cars.household] == 2
    assert (cars.rank[two & cars.zombie] == 1).all()
    assert (cars.rank[two & ~cars.zombie] == 0).all()


def test_tenure_flags_are_consistent():
    scenario, households, cars, _ = draw()
    assert households.owner.sum() == scenario.owner_count
    assert not (households.bought & ~households.owner).any()  # only owners bought
    has_car = np.bincount(cars.household, minlength=len(households)) > 0
    assert not (households.five_in_one & ~(households.owner & has_car)).any()


def test_one_lead_per_chosen_unit_and_leads_are_party_members():
    scenario, households, *_ = draw("scenario.lead_share=0.5")
    leads_per_stairwell = np.bincount(households.stairwell[households.lead])
    assert leads_per_stairwell.max() == 1
    assert households.lead.sum() == round(0.5 * scenario.stairwells)
    assert households.party[households.lead].all()


def test_building_level_leads():
    scenario, households, *_ = draw("scenario.lead_level=building", "scenario.lead_share=1")
    assert households.lead.sum() == scenario.buildings
    assert np.bincount(households.building[households.lead]).max() == 1


def test_zombie_cars_block_spaces():
    scenario, _, cars, spaces = draw()
    assert spaces.blocked.sum() == min(cars.zombie.sum(), len(spaces))
    assert cars.zombie.sum() == round(scenario.zombie_car_share * scenario.cars)


def test_same_seed_same_population_other_seed_differs():
    _, a, *_ = draw(seed=3)
    _, b, *_ = draw(seed=3)
    _, c, *_ = draw(seed=4)
    assert np.array_equal(a.owner, b.owner) and np.array_equal(a.wtp, b.wtp)
    assert not np.array_equal(a.owner, c.owner)


@given(total=st.integers(0, 10_000), blocks=st.integers(1, 200))
def test_block_sizes_partition_evenly(total, blocks):
    sizes = block_sizes(total, blocks)
    assert sizes.sum() == total and len(sizes) == blocks
    assert sizes.max() - sizes.min() <= 1


@settings(max_examples=25, deadline=None)
@given(
    households=st.integers(1, 300),
    car_ratio=st.floats(0, 1.5),
    space_ratio=st.floats(0, 1),
    seed=st.integers(0, 2**16),
)
def test_synthetic_populations_keep_every_share_in_range(households, car_ratio, space_ratio, seed):
    buildings = max(1, households // 40)
    cars = int(car_ratio * households)
    scenario, h, c, s = draw(
        "scenario=synthetic", f"scenario.households={households}",
        f"scenario.buildings={buildings}", f"scenario.cars={cars}",
        f"scenario.spaces={int(space_ratio * households)}", seed=seed,
    )
    assert len(c) == cars and h.cars.sum() == np.count_nonzero(~c.zombie)
    free_riders = ~np.isfinite(h.pay_threshold)
    assert np.isposinf(h.pay_threshold[free_riders]).all()  # they never pay
    for column in (h.pay_threshold[~free_riders], h.attend_propensity, h.trust):
        assert ((column >= 0) & (column <= 1)).all()
