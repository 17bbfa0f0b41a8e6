"""The electorate: every flat has an owner, and the Civil Code counts them all, residents or
not — exact arithmetic of the quorum's denominators."""

import numpy as np
import pytest
from conftest import config

from sim.estate.electorate import Electorate, Role, build_electorate
from sim.estate.population import build_households
from sim.estate.state import Absentees
from sim.model import CommunityModel
from sim.negotiation.decision import Ballot
from sim.rules import registry

T, F = True, False


def six_flats():
    """Six flats of 50 … 100 m²; flats 4 and 5 are let, their owners live elsewhere."""
    cfg = config("scenario=synthetic", "scenario.households=6", "scenario.buildings=1")
    h = build_households(cfg.scenario, cfg.behaviour.fees, np.random.default_rng(0))
    h.owner[:] = [T, T, T, T, F, F]
    h.area[:] = [50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
    h.unit[:] = 0
    absentees = Absentees(flat=np.array([4, 5]), propensity=np.full(2, 0.5),
                          opinion=np.zeros(2), anchor=np.zeros(2), trust=np.full(2, 0.5),
                          online=np.array([T, F]), contact=np.array([F, T]))
    return Electorate(h, absentees, np.zeros(6, dtype=bool))


def decide(name, electorate, attended, yes=None):
    rule = registry.get("decision", name)
    n = len(electorate)
    yes = np.ones(n, dtype=bool) if yes is None else np.array(yes)
    return rule(rule.Params()).decide(Ballot.of(electorate, np.array(attended), yes, major=False))


def test_every_flat_has_one_owner_and_a_let_flat_two_kinds_of_voter():
    e = six_flats()
    assert len(e) == 8
    assert e.flat.tolist() == [0, 1, 2, 3, 4, 5, 4, 5]
    assert e.role.tolist() == [Role.RESIDENT_OWNER] * 4 + [Role.TENANT] * 2 + [
        Role.ABSENTEE_OWNER] * 2
    assert e.owner.tolist() == [T, T, T, T, F, F, T, T]
    assert e.resident.tolist() == [T] * 6 + [F, F]
    assert e.area.tolist() == [50, 60, 70, 80, 90, 100, 90, 100]


def test_the_quorum_counts_absentee_owners_heads_and_area():
    e = six_flats()
    # Every resident owner takes part: 4 of 6 owners (exactly 2/3 of heads) but only
    # 260 of 450 m² — the absentee owners' 190 m² stay in the denominator.
    out = decide("civil_code_278", e, [T, T, T, T, F, F, F, F])
    assert out.attendance_heads == pytest.approx(4 / 6)
    assert out.attendance_area == pytest.approx(260 / 450)
    assert not out.quorum_met and out.failed_on == "quorum"
    # The owner of the 100 m² flat votes online from elsewhere: 5 of 6, 360 of 450 m².
    out = decide("civil_code_278", e, [T, T, T, T, F, F, F, T])
    assert out.attendance_heads == pytest.approx(5 / 6)
    assert out.attendance_area == pytest.approx(360 / 450)
    assert out.quorum_met and out.passed


def test_tenants_taking_part_change_nothing_under_the_civil_code():
    e = six_flats()
    without = decide("civil_code_278", e, [T, T, T, F, F, F, F, F])
    with_tenants = decide("civil_code_278", e, [T, T, T, F, T, T, F, F])
    assert without == with_tenants


def test_residents_vote_where_residents_vote_and_absentee_owners_do_not():
    e = six_flats()
    # The two absentee owners say yes, every resident no: residents decide.
    out = decide("simple_majority", e, [T] * 8, yes=[F] * 6 + [T, T])
    assert out.yes_heads == 0 and not out.passed
    assert out.attendance_heads == 1.0


def test_a_model_has_one_absentee_owner_per_rented_flat_with_the_scenario_shares():
    model = CommunityModel(config("scenario=yuxin_garden"))
    h, e = model.households, model.electorate
    rented = np.flatnonzero(~h.owner)
    np.testing.assert_array_equal(e.absentees.flat, rented)
    assert np.count_nonzero(e.owner) == len(h)  # one owner per flat
    scenario = model.config.scenario
    for drawn, share in ((e.absentees.online, scenario.absentee_online_share),
                         (e.absentees.contact, scenario.absentee_contact_share),
                         (e.online[: len(h)], scenario.online_share)):
        assert abs(drawn.mean() - share) < 3 * np.sqrt(share * (1 - share) / len(drawn))


def test_build_electorate_is_deterministic_under_the_seed():
    cfg = config()
    model = CommunityModel(cfg)
    a = build_electorate(model.households, cfg.scenario, np.random.default_rng(5))
    b = build_electorate(model.households, cfg.scenario, np.random.default_rng(5))
    np.testing.assert_array_equal(a.online, b.online)
    np.testing.assert_array_equal(a.absentees.trust, b.absentees.trust)
