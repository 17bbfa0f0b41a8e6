"""Decision rules: thresholds exactly as the law counts them, hand-computed cases, invariants."""

import dataclasses

import numpy as np
import pytest
from hydra import compose, initialize_config_dir
from hypothesis import given
from hypothesis import strategies as st
from omegaconf import OmegaConf

from sim.compose import register_schemas
from sim.config import CONFIG_DIR, ConfigError, check_fields
from sim.negotiation.decision import Ballot, Electorate
from sim.rules import registry

NAMES = registry.names("decision")


def rule(name: str, **params):
    cls = registry.get("decision", name)
    return cls(cls.Params(**params))


def ballot(attended, yes, owner=None, area=None, unit=None, major=False, resident=None) -> Ballot:
    """A ballot from lists; by default everyone is a resident owner of 100 m² outside every
    unit."""
    n = len(attended)
    return Ballot(
        owner=np.ones(n, dtype=bool) if owner is None else np.array(owner, dtype=bool),
        resident=np.ones(n, dtype=bool) if resident is None else np.array(resident, dtype=bool),
        area=np.full(n, 100.0) if area is None else np.array(area, dtype=float),
        attended=np.array(attended, dtype=bool),
        yes=np.array(yes, dtype=bool),
        unit=np.full(n, -1) if unit is None else np.array(unit),
        major=major,
    )


def civil(*args, **kwargs):
    return rule("civil_code_278").decide(ballot(*args, **kwargs))


T, F = True, False


# -- Civil Code art. 278 --------------------------------------------------------------------------


def test_quorum_of_exactly_two_thirds_is_met_where_floats_would_miss_it():
    area = [50.3, 67.82, 59.06]  # 50.3 + 67.82 = 118.12 = 2/3 × 177.18
    taking_part = 50.3 + 67.82
    assert taking_part < 2 / 3 * sum(area)  # the trap: floats put it below 2/3
    out = civil([T, T, F], [T, T, F], area=area)
    assert out.quorum_met and out.passed
    assert out.attendance_heads == pytest.approx(2 / 3)
    assert out.attendance_area == pytest.approx(2 / 3)


def test_quorum_fails_by_one_hundredth_of_a_square_metre():
    out = civil([T, T, F], [T, T, F], area=[100.0, 100.0, 100.01])
    assert not out.quorum_met and not out.passed


def test_quorum_fails_on_head_count_while_area_suffices():
    out = civil([T, T, F, F], [T, T, F, F], area=[300.0, 10.0, 10.0, 10.0])
    assert out.attendance_area > 2 / 3
    assert not out.quorum_met and not out.passed


def test_major_matter_passes_with_exactly_three_quarters_where_floats_would_miss_it():
    area = [14.96, 10.45, 4.29, 9.9]  # 14.96 + 10.45 + 4.29 = 29.7 = 3/4 × 39.6
    saying_yes = 14.96 + 10.45 + 4.29
    assert saying_yes < 0.75 * sum(area)  # the trap: floats put it below 3/4
    out = civil([T] * 4, [T, T, T, F], area=area, major=True)
    assert out.quorum_met and out.passed
    assert out.yes_heads == 0.75


def test_major_matter_fails_one_hundredth_below_three_quarters_of_the_area():
    out = civil([T] * 4, [T, T, T, F], area=[14.96, 10.45, 4.29, 9.91], major=True)
    assert out.quorum_met and not out.passed


def test_major_matter_needs_more_than_an_ordinary_majority():
    votes = ([T] * 3, [T, T, F])
    assert civil(*votes, major=False).passed
    assert not civil(*votes, major=True).passed


def test_ordinary_matter_needs_more_than_half_so_a_tie_fails():
    assert not civil([T] * 4, [T, T, F, F]).passed
    assert civil([T] * 5, [T, T, T, F, F]).passed


@pytest.mark.parametrize("major", [False, True])
def test_area_passes_while_head_count_fails(major):
    out = civil([T] * 4, [T, F, F, F], area=[500.0, 50.0, 50.0, 50.0], major=major)
    assert out.yes_area == pytest.approx(500 / 650) and out.yes_heads == 0.25
    assert out.quorum_met and not out.passed


@pytest.mark.parametrize("major", [False, True])
def test_head_count_passes_while_area_fails(major):
    out = civil([T] * 4, [T, T, T, F], area=[50.0, 50.0, 50.0, 500.0], major=major)
    assert out.yes_heads == 0.75 and out.yes_area == pytest.approx(150 / 650)
    assert out.quorum_met and not out.passed


def test_tenants_neither_vote_nor_count_towards_the_quorum():
    owner = [T, T, T, F, F, F]
    out = civil([T, T, T, T, T, T], [F, F, T, T, T, T], owner=owner)
    assert out.yes_heads == pytest.approx(1 / 3) and not out.passed
    out = civil([T, T, F, T, T, T], [T, T, F, F, F, F], owner=owner)
    assert out.attendance_heads == pytest.approx(2 / 3) and out.passed


# -- nobody attends -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_nobody_attends(name):
    with np.errstate(all="raise"):
        out = rule(name).decide(ballot([F] * 4, [T] * 4, unit=[0, 0, 1, 1]))
    assert (out.attendance_heads, out.attendance_area, out.yes_heads, out.yes_area) == (0,) * 4
    deliberated = registry.get("decision", name).deliberates
    assert out.quorum_met is out.passed is (not deliberated)


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_ballot_decides_without_error(name):
    with np.errstate(all="raise"):
        out = rule(name).decide(ballot([], []))
    assert out.passed is (not registry.get("decision", name).deliberates)


# -- simple majority ------------------------------------------------------------------------------


def test_simple_majority_of_residents_counts_tenants():
    votes = ([T] * 5, [F, F, T, T, T])
    owner = [T, T, F, F, F]
    assert rule("simple_majority").decide(ballot(*votes, owner=owner)).passed
    only_owners = rule("simple_majority", voters=Electorate.owners)
    assert not only_owners.decide(ballot(*votes, owner=owner)).passed


def test_simple_majority_needs_more_than_half_of_those_voting():
    majority = rule("simple_majority")
    assert not majority.decide(ballot([T, T, T, T, F], [T, T, F, F, T])).passed
    out = majority.decide(ballot([T, T, T, F, F], [T, T, F, F, F]))
    assert out.passed and out.attendance_heads == 0.6 and out.yes_heads == pytest.approx(2 / 3)


# -- veto holders ---------------------------------------------------------------------------------

UNITS = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]  # four property-right units of three households


def veto(yes, attended=None, approval=2 / 3, unit=UNITS):
    votes = ballot([T] * len(unit) if attended is None else attended, yes, unit=unit)
    return rule("veto_holders_unanimity", approval=approval).decide(votes)


def test_all_units_approving_at_exactly_their_threshold_pass():
    out = veto([T, T, F] * 4)
    assert out.quorum_met and out.passed
    assert out.yes_heads == pytest.approx(2 / 3)


def test_one_veto_holder_saying_no_blocks():
    out = veto([T, T, F] * 3 + [T, F, F])
    assert out.quorum_met and not out.passed
    assert out.yes_heads == pytest.approx(7 / 12)


def test_a_unit_that_does_not_come_blocks():
    out = veto([T] * 12, attended=[T] * 9 + [F] * 3)
    assert not out.quorum_met and not out.passed


def test_unit_approval_share_is_exact():
    unit = [0] * 25
    assert 14 < 0.56 * 25  # the trap: floats put 14 of 25 below 0.56
    assert veto([T] * 14 + [F] * 11, approval=0.56, unit=unit).passed
    assert not veto([T] * 13 + [F] * 12, approval=0.56, unit=unit).passed


def test_households_outside_every_unit_do_not_vote():
    out = veto([T, T, F] * 4 + [F, F], unit=UNITS + [-1, -1])
    assert out.passed and out.attendance_heads == 1.0


def test_tenants_of_a_unit_vote_only_when_residents_vote():
    votes = ballot([T] * 4, [T, F, F, F], owner=[T, T, F, F], unit=[0, 0, 0, 0])
    assert rule("veto_holders_unanimity").decide(votes).passed  # 1 of 2 owners: half approves
    residents = rule("veto_holders_unanimity", voters=Electorate.residents)
    assert not residents.decide(votes).passed  # 1 of 4 residents


# -- the committee --------------------------------------------------------------------------------


def test_the_committee_adopts_at_once_without_deliberation():
    committee = rule("committee_decides")
    assert not committee.deliberates
    out = committee.decide(ballot([T] * 4, [F] * 4, owner=[T, T, F, F]))
    assert out.passed and out.yes_heads == 0.0 and out.attendance_heads == 1.0
    assert all(registry.get("decision", n).deliberates for n in NAMES if n != "committee_decides")


# -- invariants of every rule ---------------------------------------------------------------------


@st.composite
def ballots(draw) -> Ballot:
    n = draw(st.integers(0, 25))

    def column(elements) -> np.ndarray:
        return np.array(draw(st.lists(elements, min_size=n, max_size=n)))

    owner = column(st.booleans()).astype(bool)
    return Ballot(
        owner=owner,
        resident=~owner | column(st.booleans()).astype(bool),
        area=column(st.integers(0, 20000)) / 100.0,
        attended=column(st.booleans()).astype(bool),
        yes=column(st.booleans()).astype(bool),
        unit=column(st.integers(-1, 3)).astype(np.int64),
        major=draw(st.booleans()),
    )


@st.composite
def rules(draw):
    name = draw(st.sampled_from(NAMES))
    fields = {f.name for f in dataclasses.fields(registry.get("decision", name).Params)}
    params = {}
    if "voters" in fields:
        params["voters"] = draw(st.sampled_from(Electorate))
    if "approval" in fields:
        params["approval"] = draw(st.floats(0.0, 1.0))
    return rule(name, **params)


@given(rules(), ballots(), st.data())
def test_every_rule_keeps_its_invariants(decision, votes, data):
    out = decision.decide(votes)
    shares = [out.attendance_heads, out.attendance_area, out.yes_heads, out.yes_area]
    assert all(0.0 <= s <= 1.0 for s in shares)
    assert out.quorum_met or not out.passed
    if len(votes.yes):
        flipped = votes.yes.copy()
        flipped[data.draw(st.integers(0, len(flipped) - 1))] = True
        more_yes = decision.decide(dataclasses.replace(votes, yes=flipped))
        assert more_yes.passed or not out.passed  # a new yes never defeats a proposal


@given(rules(), ballots())
def test_deciding_leaves_the_ballot_intact(decision, votes):
    before = {f.name: np.copy(getattr(votes, f.name)) for f in dataclasses.fields(votes)}
    decision.decide(votes)
    for name, value in before.items():
        np.testing.assert_array_equal(getattr(votes, name), value)


# -- configuration --------------------------------------------------------------------------------


def compose_params(name: str, *overrides: str):
    """A decision rule's Params from its YAML file, composed and checked as in a run."""
    register_schemas()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name=f"decision/{name}", overrides=list(overrides))
    params = OmegaConf.to_object(cfg.decision)
    check_fields(params, "decision")
    return params


@pytest.mark.parametrize("name", NAMES)
def test_each_rule_has_a_yaml_file_extending_its_schema(name):
    params = compose_params(name)
    assert params == registry.get("decision", name).Params()


def test_an_approval_share_out_of_range_is_reported_with_key_value_and_range():
    message = r"decision\.approval = 1\.5: must be a share in \[0, 1\]"
    with pytest.raises(ConfigError, match=message):
        compose_params("veto_holders_unanimity", "decision.approval=1.5")


def test_an_unknown_rule_is_reported_with_the_available_ones():
    with pytest.raises(ConfigError, match="decision = 'consensus'.*available: civil_code_278"):
        registry.get("decision", "consensus")


def test_a_ballot_with_arrays_of_different_lengths_is_refused():
    with pytest.raises(ValueError, match="one shape"):
        dataclasses.replace(ballot([T, T], [T, T]), unit=np.array([0]))
