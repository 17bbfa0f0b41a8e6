"""The parts of the negotiation one by one: turnout, the door-to-door campaign, councils and
the objection ledger, the committee's forecast."""

import numpy as np
import pytest
from conftest import config

from sim.config import TurnoutConfig
from sim.model import CommunityModel
from sim.negotiation.councils import Ledger, hold_councils
from sim.negotiation.forecast import Forecast, score
from sim.negotiation.turnout import Campaign, chance, inclination
from sim.resources.interface import Objections
from sim.rules import registry

# -- turnout --------------------------------------------------------------------------------------


def test_participation_is_the_logistic_of_the_calculus_of_voting():
    cfg = TurnoutConfig(intercept=-1.0, duty_weight=2.0, stake_weight=3.0, social_weight=1.5,
                        canvass_effect=0.4)
    logit = inclination(cfg, stake=np.array([0.2]), duty=np.array([0.75]),
                        social=np.array([0.4]), visited=np.array([True]))
    expected = -1.0 + 3.0 * 0.2 + 2.0 * 0.25 + 1.5 * 0.4 + 0.4
    assert logit[0] == pytest.approx(expected)
    assert chance(logit, 0.3)[0] == pytest.approx(1 / (1 + np.exp(0.3 - expected)))
    assert chance(np.array([0.0]), 0.0)[0] == 0.5
    assert chance(np.array([50.0]), np.inf)[0] == 0.0  # no channel open: nobody takes part


def campaign(reachable, capacity, returns, max_visits, units=None, seed=0):
    n = len(reachable)
    unit = np.zeros(n, dtype=np.int64) if units is None else units
    return Campaign(np.array(reachable), unit, np.array(capacity, dtype=float),
                    np.full(n, returns), max_visits, np.random.default_rng(seed))


def test_leads_make_their_visits_a_day_on_average():
    c = campaign([True] * 100, [5], returns=0.0, max_visits=10_000)
    days = 400
    for _ in range(days):
        c.day()
    per_day = c.visits / days
    assert per_day == pytest.approx(5, abs=3 * np.sqrt(5 / days))  # Poisson-like noise


def test_the_campaign_reaches_only_the_reachable_and_asks_each_at_most_max_visits():
    reachable = [True] * 30 + [False] * 10
    c = campaign(reachable, [50], returns=0.0, max_visits=3)
    for _ in range(20):
        c.day()
    assert (c.times[30:] == 0).all()
    assert (c.times[:30] == 3).all()  # capacity is ample: everyone asked three times
    assert c.visits == 90 and not c.cast.any()
    assert len(c.day()) == 0 and c.visits == 90  # nobody left to ask


def test_a_voter_who_returns_the_ballot_is_not_visited_again():
    c = campaign([True] * 20, [20], returns=1.0, max_visits=3)
    new = c.day()
    assert len(new) == 20 and c.cast.all() and (c.times == 1).all()
    c.day()
    assert c.visits == 20


def test_units_without_capacity_are_not_canvassed():
    units = np.array([0] * 10 + [1] * 10)
    c = campaign([True] * 20, [5, 0], returns=0.5, max_visits=3, units=units)
    for _ in range(10):
        c.day()
    assert c.times[:10].sum() > 0 and (c.times[10:] == 0).all()


# -- councils and the ledger ----------------------------------------------------------------------


def test_a_council_pulls_its_members_toward_the_lead_and_hears_its_unit():
    opinion = np.array([0.2, 0.9, 0.4, 0.1, 0.6])
    units = np.array([0, 0, 0, 1, 1])
    lead = np.array([False, True, False, False, False])
    heard = hold_councils(opinion, units, lead, pull=0.5)
    np.testing.assert_allclose(opinion, [0.55, 0.9, 0.65, 0.1, 0.6])
    assert heard.tolist() == [True, True, True, False, False]


def test_the_ledger_counts_heard_opponents_who_lose_by_reason_and_knob():
    objections = Objections(reason=np.array([0, 1, 1, 2, -1]),
                            reasons=("a", "b", "c"), remedies=("price", "price", None))
    flat = np.array([0, 1, 2, 3, 4, 1])  # voter 5 is flat 1's owner living elsewhere
    heard = np.array([True, True, False, True, True, True])
    opposed = np.array([True, True, True, True, True, False])
    ledger = Ledger.of(objections, flat, heard, opposed)
    assert ledger.counts.tolist() == [1, 1, 1]
    assert ledger.by_knob() == {"price": 2}


# -- the committee's forecast ---------------------------------------------------------------------


@pytest.fixture
def forecast():
    model = CommunityModel(config("package=xiaonanzhuang_2024", "decision=civil_code_278"))
    rule = registry.build("decision", model.config.decision)
    gain = np.zeros(len(model.electorate))
    return model, Forecast(model.electorate, rule, gain, responsiveness=1.0, margin=0.0,
                           prior_turnout=1.0, rng=np.random.default_rng(3))


def test_the_forecast_reads_support_only_from_the_voters_it_heard(forecast):
    model, f = forecast
    n = len(model.electorate)
    nobody, everyone = np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
    zero = np.zeros(n)
    assert score(f.expect(zero, major=False).outcome()) == pytest.approx(0.5, abs=0.05)
    f.heard(nobody, everyone, zero)  # hearing nobody changes nothing
    assert score(f.expect(zero, major=False).outcome()) == pytest.approx(0.5, abs=0.05)
    f.heard(everyone, everyone, zero)
    assert f.expect(zero, major=True).outcome().passed
    f.heard(everyone, nobody, zero)
    assert f.expect(zero, major=False).outcome().yes_heads == 0.0


def test_the_forecast_expects_support_to_follow_gains(forecast):
    model, f = forecast
    n = len(model.electorate)
    scores = [score(f.expect(np.full(n, g), major=False).outcome()) for g in (-0.2, 0.0, 0.2)]
    assert scores[0] < scores[1] < scores[2]
    again = f.expect(np.full(n, 0.2), major=False).outcome()
    assert score(again) == scores[2]  # fixed keys: the same expectation, the same ballot


def test_the_forecast_counts_written_ballots_in_hand(forecast):
    model, f = forecast
    n = len(model.electorate)
    f.heard(np.ones(n, dtype=bool), np.ones(n, dtype=bool), np.zeros(n))
    f.counted(np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))  # nobody came last time
    expectation = f.expect(np.zeros(n), major=False)
    assert not expectation.outcome(written=np.zeros(n, dtype=bool)).quorum_met
    assert expectation.outcome(written=np.ones(n, dtype=bool)).quorum_met


def test_the_process_parameters_in_the_yaml_file_are_the_schemas_defaults():
    from sim.config import DeliberationConfig

    assert config().deliberation == DeliberationConfig()
