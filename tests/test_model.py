"""CommunityModel: determinism, the Mesa face, and behaviour that follows from the domain."""

import numpy as np
import pytest
from conftest import config, run_model
from pandas.testing import assert_frame_equal

from sim.estate.agents import BuildingLead, Household, PropertyFirm
from sim.metrics import COUNTS, METRICS
from sim.model import CommunityModel
from sim.negotiation import opinion
from sim.resources.parking.committee import Committee

SEEDS = range(6)


def test_same_seed_same_series_other_seed_differs():
    a = run_model("seed=11", days=60).timeseries()
    b = run_model("seed=11", days=60).timeseries()
    c = run_model("seed=12", days=60).timeseries()
    assert a.equals(b)
    assert not a.equals(c)


def test_rules_are_compared_on_the_same_population_and_network():
    a = CommunityModel(config("allocation=status_quo", "seed=4"))
    b = CommunityModel(config("allocation=one_car_owner_first", "seed=4"))
    assert np.array_equal(a.households.owner, b.households.owner)
    assert np.array_equal(a.cars.household, b.cars.household)
    assert (a.adjacency != b.adjacency).nnz == 0


def test_mesa_agents_mirror_the_population(small_model):
    m = small_model
    h = m.households
    households = m.agents.select(agent_type=Household)
    assert len(households) == len(h)
    assert len(m.agents.select(agent_type=BuildingLead)) == h.lead.sum()
    assert len(m.agents_by_type[PropertyFirm]) == m.config.scenario.firms
    assert len(m.agents_by_type[Committee]) == 1
    owners = households.select(lambda a: a.owner)
    assert len(owners) == h.owner.sum()
    assert sorted(a.row for a in owners) == np.flatnonzero(h.owner).tolist()


def test_each_lead_serves_its_own_stairwell(small_model):
    leads = small_model.agents.select(agent_type=BuildingLead)
    assert len(leads) > 0
    assert all(lead.serves == lead.stairwell for lead in leads)
    assert len({lead.serves for lead in leads}) == len(leads)


def test_household_agent_is_a_view_of_its_row(small_model):
    m = small_model
    agent = next(iter(m.agents.select(agent_type=Household, at_most=1)))
    agent.opinion = 0.125
    assert m.households.opinion[agent.row] == 0.125
    m.households.satisfaction[agent.row] = 0.75
    assert agent.satisfaction == 0.75


def test_daily_table_has_one_row_per_day_and_every_metric():
    m = run_model(days=12)
    series = m.timeseries()
    assert list(series.columns) == ["day", *METRICS]
    assert tuple(m.today) == METRICS, "the table records today's values in this order"
    assert series["day"].tolist() == list(range(1, 13))
    assert series.iloc[-1].drop("day").to_dict() == pytest.approx(m.today, nan_ok=True)
    # each name labels its own value: today's measures recomputed from the model's state
    h, last = m.households, series.iloc[-1]
    assert last["satisfaction"] == pytest.approx(h.satisfaction.mean())
    assert last["trust"] == pytest.approx(h.trust.mean())
    assert last["support"] == pytest.approx(h.opinion.mean())
    assert last["support_sd"] == pytest.approx(h.opinion.std())
    assert last["firms_present"] == m.management.present()
    assert last["fee_payment_rate"] == m.management.payment_rate
    assert last["zombie_cars"] == np.count_nonzero(m.cars.zombie)
    assert last["usable_spaces"] == np.count_nonzero(m.spaces.usable())
    assert all(series[name].dtype == np.int64 for name in COUNTS)


def test_mesa_datacollector_holds_the_daily_table():
    m = run_model(days=12)
    frame = m.datacollector.get_model_vars_dataframe()
    assert_frame_equal(frame, m.timeseries().drop(columns="day"))


def test_daily_table_grows_past_the_days_it_was_sized_for():
    m = run_model("days=3")
    for _ in range(4):
        m.step()
    assert m.timeseries()["day"].tolist() == list(range(1, 8))
    assert m.series.column("support")[-1] == m.today["support"]


def test_run_for_then_step_is_the_same_as_plain_steps():
    """``run_for`` skips Mesa's per-day event scheduling; Mesa's clock, step counter and
    schedule must still read as after plain steps, and a later ``step()`` must carry on."""
    fast = CommunityModel(config("days=40", "package=xiaonanzhuang_2024"))
    fast.run_for(40)
    fast.step()
    plain = run_model("days=40", "package=xiaonanzhuang_2024", days=41)
    assert (fast.steps, fast.time) == (plain.steps, plain.time) == (41, 41.0)
    assert fast._default_schedule.execution_count == plain._default_schedule.execution_count
    assert fast._default_schedule.next_scheduled_time == 42.0
    assert_frame_equal(fast.timeseries(), plain.timeseries())
    assert fast.summary() == plain.summary()


def test_run_for_takes_mesas_path_when_other_events_are_scheduled():
    model = CommunityModel(config("days=10"))
    seen = []

    def note():  # a named function: Mesa keeps only a weak reference to it
        seen.append((model.time, model.day))

    model.schedule_event(note, at=2.5)
    model.run_for(5)
    assert seen == [(2.5, 2)], "the user's event ran between days 2 and 3"
    assert (model.steps, model.time, model.day) == (5, 5.0, 5)


@pytest.mark.parametrize("kernel", sorted(opinion.KERNELS))
def test_every_opinion_kernel_drives_the_model_reproducibly(kernel):
    runs = [run_model(f"opinion={kernel}", "package=xiaonanzhuang_2024",
                      "decision=civil_code_278", "seed=4", days=100) for _ in range(2)]
    assert runs[0].timeseries().equals(runs[1].timeseries())
    x = runs[0].households.opinion
    assert ((x >= 0) & (x <= 1)).all()
    assert runs[0].meetings  # the kernel's opinions reach the vote


def test_shares_stay_in_unit_interval():
    series = run_model("scenario=sanhuqiao", days=120).timeseries()
    shares = ["car_coverage", "household_coverage", "fee_payment_rate", "satisfaction", "support"]
    values = series[shares].to_numpy()
    assert ((values >= 0) & (values <= 1)).all()


@pytest.mark.parametrize("seed", [0, 1])
def test_xiaonanzhuang_never_parks_more_cars_legally_than_spaces(seed):
    series = run_model(f"seed={seed}", days=90).timeseries()
    assert series["legally_parked"].max() <= 230
    # Zombie cars take some of the 230 spaces, so even fewer can be parked legally.
    assert (series["legally_parked"] <= series["usable_spaces"]).all()
    assert (series["usable_spaces"] < 230).all()


def test_owner_first_covers_more_car_owning_households_than_status_quo():
    def mean_coverage(rule):
        return np.mean([
            run_model(f"allocation={rule}", f"seed={s}", days=30).timeseries()[
                "household_coverage"].mean()
            for s in SEEDS
        ])

    assert mean_coverage("one_car_owner_first") > mean_coverage("status_quo")


def test_owner_first_serves_home_buyers_then_owners_then_tenants():
    m = run_model("allocation=one_car_owner_first", days=1)
    h = m.households
    holders = m.spaces.holder[m.spaces.holder >= 0]
    has_permit = np.bincount(holders, minlength=len(h)) > 0
    # Only households willing to pay the flat monthly price queue for a permit.
    queues = (h.cars > 0) & (h.wtp >= m.config.pricing.monthly_price)
    # Xiaonanzhuang has more first cars than spaces: nobody holds a second permit.
    assert np.bincount(holders).max() == 1
    # Fewer home-buyers in the queue than usable spaces: every one of them holds a permit.
    assert (h.bought & queues).sum() < m.spaces.usable().sum()
    assert has_permit[h.bought & queues].all()
    # Owners outnumber the spaces, so no tenant holds one.
    assert (h.owner & queues).sum() > m.spaces.usable().sum()
    assert not has_permit[~h.owner].any()


def test_sanhuqiao_without_leads_fees_stay_low_and_the_firm_leaves():
    for seed in range(3):
        series = run_model("scenario=sanhuqiao", "scenario.lead_share=0", f"seed={seed}",
                           days=730).timeseries()
        assert (series["firms_present"] == 0).any(), "the firm should exit within two years"
        assert series["fee_payment_rate"].max() < 0.35


def test_sanhuqiao_with_leads_fee_payment_rises():
    for seed in range(3):
        series = run_model("scenario=sanhuqiao", "scenario.lead_share=1", f"seed={seed}",
                           days=365).timeseries()
        assert series["fee_payment_rate"].iloc[-1] > 0.24 + 0.2
        assert (series["firms_present"] == 1).all()


def test_leads_settle_conflicts_only_where_they_serve():
    without = run_model("scenario.lead_share=0", days=60).timeseries()
    with_leads = run_model("scenario.lead_share=1", days=60).timeseries()
    assert without["mediated"].sum() == 0
    assert with_leads["mediated"].sum() > 0
    assert (with_leads["mediated"] <= with_leads["conflicts"]).all()


def test_more_spaces_mean_fewer_conflicts_and_complaints():
    scarce = run_model("scenario.spaces=150", days=120).timeseries()
    ample = run_model("scenario.spaces=600", days=120).timeseries()
    assert ample["conflicts"].sum() < scarce["conflicts"].sum()
    assert ample["complaints"].sum() < scarce["complaints"].sum()
    assert ample["illegal_parking"].iloc[-1] == 0
