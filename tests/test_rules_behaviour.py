"""Rule library: directional effects that follow from what each rule does, averaged over seeds."""

import numpy as np
import pytest
from conftest import config, run_model

from sim.model import CommunityModel
from sim.rules import registry

SEEDS = range(5)
PERMITS = "allocation=one_car_owner_first"


def mean_over_seeds(column, *overrides, days=60):
    return np.mean([run_model(*overrides, f"seed={s}", days=days).timeseries()[column].mean()
                    for s in SEEDS])


def test_owner_first_rules_cover_owners_at_least_as_well_as_tenants():
    for rule in ("one_car_owner_first",):
        owners = mean_over_seeds("owner_coverage", f"allocation={rule}")
        tenants = mean_over_seeds("tenant_coverage", f"allocation={rule}")
        assert owners >= tenants


def test_need_first_serves_special_need_households_first():
    m = run_model("allocation=need_first", "pricing.monthly_price=0", days=1)
    h = m.households
    has_permit = np.bincount(m.spaces.holder[m.spaces.holder >= 0], minlength=len(h)) > 0
    queued = h.cars > 0
    assert (h.special_need & queued).sum() < m.spaces.usable().sum()
    assert has_permit[h.special_need & queued].all()


def test_seniority_serves_longer_residents_first():
    m = run_model("allocation=seniority", "pricing.monthly_price=0", days=1)
    h = m.households
    has_permit = np.bincount(m.spaces.holder[m.spaces.holder >= 0], minlength=len(h)) > 0
    queued = h.cars > 0
    # Every first-car holder has lived here longer than every first-car household without one.
    assert h.residence_years[has_permit].min() > h.residence_years[queued & ~has_permit].max()


def test_price_auction_gives_spaces_to_higher_willingness_to_pay():
    for seed in SEEDS:
        m = CommunityModel(config("allocation=price_auction", f"seed={seed}"))
        h = m.households
        has_permit = np.bincount(m.spaces.holder[m.spaces.holder >= 0], minlength=len(h)) > 0
        with_car = h.cars > 0
        assert h.wtp[has_permit].mean() > h.wtp[with_car & ~has_permit].mean()
        # Uniform clearing price: every holder pays the same, and no more than its bid.
        prices = m.spaces.price[m.spaces.holder >= 0]
        assert np.unique(prices).size == 1
        assert h.wtp[has_permit].min() >= prices[0]


def test_lottery_redraws_the_permits_each_period():
    m = CommunityModel(config("allocation=lottery", "allocation.period_days=10",
                              "pricing.monthly_price=0"))
    before = set(m.spaces.holder[m.spaces.holder >= 0])
    for _ in range(10):
        m.step()
    after = set(m.spaces.holder[m.spaces.holder >= 0])
    assert before != after
    assert len(after) == len(before)


@pytest.mark.parametrize(
    ("measure", "count_key", "count", "delay"),
    [("restripe", "restripe_spaces", 33, 60), ("offpeak_sharing", "shared_spaces", 50, 90),
     ("roadside_permits", "roadside_spaces", 45, 120), ("restripe", "restripe_spaces", 7, 12)],
)
def test_each_measure_adds_its_spaces_on_its_day(measure, count_key, count, delay):
    series = run_model(
        PERMITS, f"supply=[{measure}]", f"scenario.supply.{count_key}={count}",
        f"supply.{measure}.delay_days={delay}", "behaviour.turnover.zombie_rate=0",
        *(["supply.offpeak_sharing.lapse_prob=0"] if measure == "offpeak_sharing" else []),
        days=delay + 5,
    ).timeseries().set_index("day")["usable_spaces"]
    # The measure starts in the committee's round on its day: usable from that night on.
    assert series.loc[delay] == series.loc[1]
    assert series.loc[delay + 1] - series.loc[delay] == count


def test_roadside_spaces_go_only_to_five_in_one_households():
    m = run_model(PERMITS, "supply=[roadside_permits]", "supply.roadside_permits.delay_days=1",
                  days=5)
    roadside = m.spaces.holder[(m.spaces.kind == 2) & (m.spaces.holder >= 0)]
    assert len(roadside) > 0
    assert m.households.five_in_one[roadside].all()


def test_clearing_zombie_cars_frees_their_spaces():
    m = run_model(PERMITS, "supply=[clear_zombie_cars]", "supply.clear_zombie_cars.delay_days=5",
                  days=4)
    blocked, zombies = m.spaces.blocked.sum(), m.cars.zombie.sum()
    assert blocked > 0 and zombies >= blocked
    for _ in range(2):
        m.step()
    series = m.timeseries().set_index("day")
    assert series.loc[6, "zombie_cars"] == 0
    assert series.loc[6, "usable_spaces"] - series.loc[5, "usable_spaces"] == blocked


def test_the_package_reaches_the_articles_358_spaces():
    series = run_model("package=xiaonanzhuang_2024", "supply.offpeak_sharing.lapse_prob=0",
                       days=125).timeseries()
    assert series["usable_spaces"].iloc[-1] == 230 + 33 + 50 + 45


def test_reclaiming_keeps_more_cars_parked_than_permanent_tenure():
    fast_turnover = ["behaviour.turnover.car_sale_rate=0.03",
                     "behaviour.turnover.tenant_move_rate=0.1"]
    permanent = mean_over_seeds("car_coverage", PERMITS, "tenure=permanent", *fast_turnover,
                                days=360)
    reclaim = mean_over_seeds("car_coverage", PERMITS, "tenure=reclaim_reallocate",
                              *fast_turnover, days=360)
    assert reclaim > permanent


def test_rotating_and_temporary_spaces_spread_access_more_evenly():
    def gini(pricing):
        return np.mean([run_model(PERMITS, f"pricing={pricing}", f"seed={s}",
                                  days=180).summary()["gini_access"] for s in SEEDS])

    assert gini("fixed_rotating_temporary") < gini("flat")


def test_transparent_accounts_raise_trust_and_fund_public_goods():
    opaque = run_model(PERMITS, "revenue=opaque", days=180).timeseries().iloc[-1]
    transparent = run_model(PERMITS, "revenue=transparent_public_good",
                            days=180).timeseries().iloc[-1]
    assert transparent["trust"] > opaque["trust"]
    assert transparent["public_good"] > 0 == opaque["public_good"]
    assert transparent["public_good_spent"] > 0 == opaque["public_good_spent"]
    assert opaque["parking_costs"] > 0  # management is paid for either way


@pytest.mark.parametrize("group", ["allocation", "tenure", "pricing", "revenue", "supply"])
def test_every_group_offers_its_rules_as_options(group):
    from sim.config import CONFIG_DIR

    yaml_names = sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))
    assert yaml_names == registry.names(group)
