"""The parking kernel: invariants under random states (hypothesis) and order semantics."""

import dataclasses
from types import SimpleNamespace

import numpy as np
from conftest import config
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.estate.population import build_cars, build_households, build_spaces
from sim.estate.state import SpaceKind, Use
from sim.model import CommunityModel
from sim.resources.parking import kernel as parking


def make_state(households, cars, spaces, roadside, blocked_share, seed):
    base = config("scenario=synthetic")
    scenario = dataclasses.replace(
        base.scenario, name="test", households=households, buildings=1, spaces=spaces,
        cars=cars, zombie_car_share=0.1,
    )
    rng = np.random.default_rng(seed)
    h = build_households(scenario, base.behaviour.fees, rng)
    c = build_cars(scenario, h, rng)
    s, _ = build_spaces(scenario, c, [], rng)
    s.kind[: min(roadside, spaces)] = SpaceKind.ROADSIDE
    s.open[rng.random(spaces) < blocked_share] = False
    return h, c, s, rng


states = st.builds(
    make_state,
    households=st.integers(1, 60),
    cars=st.integers(0, 60),
    spaces=st.integers(0, 80),
    roadside=st.integers(0, 20),
    blocked_share=st.floats(0, 0.5),
    seed=st.integers(0, 2**16),
).filter(lambda s: len(s[1]) <= 2 * len(s[0]))


def check_assignment(assigned, usable, h, c, s):
    """Car-level assignment: one space per car, usable spaces only, eligibility kept."""
    held = assigned[assigned >= 0]
    assert len(np.unique(held)) == len(held), "a car holds two spaces"
    assert (usable | (assigned < 0)).all(), "a car was put in an unusable space"
    assert not c.zombie[held].any(), "a zombie car was given a space"
    roadside = assigned[(s.kind == SpaceKind.ROADSIDE) & (assigned >= 0)]
    assert h.five_in_one[c.household[roadside]].all(), "roadside space to an ineligible car"


@settings(max_examples=150, deadline=None)
@given(states)
def test_permits_respect_capacity_and_eligibility(state):
    h, c, s, rng = state
    before = (h.five_in_one.copy(), c.household.copy(), s.kind.copy())
    assigned = parking.allocate_permits(s, h, c, rng.random(len(c)), s.usable())
    check_assignment(assigned, s.usable(), h, c, s)
    holders = s.holder[s.holder >= 0]
    assert np.array_equal(holders, c.household[assigned[assigned >= 0]])
    assert (np.bincount(holders, minlength=len(h)) <= h.cars).all(), "more permits than cars"
    assert (s.holder[~s.usable()] == -1).all()
    # Inputs other than the holder column are untouched.
    assert all(np.array_equal(x, y) for x, y in zip(before, (h.five_in_one, c.household, s.kind),
                                                      strict=True))


@settings(max_examples=150, deadline=None)
@given(states)
def test_night_parks_every_car_at_most_once_within_capacity(state):
    h, c, s, rng = state
    parking.allocate_permits(s, h, c, rng.random(len(c)), s.usable() & (rng.random(len(s)) < 0.5))
    visitors = int(rng.integers(0, 5))
    tonight = parking.night(s, h, c, rng.random(len(c)), visitors, rng)
    parked = tonight.parked
    assert parked.sum() + tonight.visitors_parked <= s.usable().sum()
    assert tonight.visitors_parked <= visitors
    assert not parked[c.zombie].any()
    # Every permit is used by one of its household's active cars, as far as it has cars.
    permits = parking.permits_held(s, len(h))
    by_permit = np.minimum(permits, h.cars)
    parked_per_household = np.bincount(c.household[parked], minlength=len(h))
    assert (parked_per_household >= by_permit).all()


@settings(max_examples=150, deadline=None)
@given(states)
def test_fill_serves_as_many_cars_as_possible(state):
    h, c, s, rng = state
    usable = s.usable()
    wants = ~c.zombie
    assigned = parking.fill_spaces(np.argsort(rng.random(len(c))), wants, usable, s, h, c)
    roadside = usable & (s.kind == SpaceKind.ROADSIDE)
    eligible = wants & h.five_in_one[c.household]
    on_roadside = min(roadside.sum(), eligible.sum())
    expected = on_roadside + min((usable & ~roadside).sum(), wants.sum() - on_roadside)
    assert (assigned >= 0).sum() == expected


def test_fill_follows_priority_order():
    h, c, s, _ = make_state(40, 30, 10, 0, 0.0, seed=1)
    s.use[:] = Use.FIXED
    key = np.arange(len(c), dtype=float)[::-1]  # the last car first
    order = np.argsort(key)
    wants = ~c.zombie
    assigned = parking.fill_spaces(order, wants, s.usable(), s, h, c)
    served = set(assigned[assigned >= 0])
    expected = set(order[wants[order]][: s.usable().sum()])
    assert served == expected


def test_expected_access_from_classes_agrees_with_many_draws():
    """Cars a rule cannot tell apart get one chance from one allocation, the same as the mean
    of many allocations with fresh tie-breaks gives them."""
    model = CommunityModel(config("package=xiaonanzhuang_2024", "scenario.cars=700"))
    h, c, s = model.households, model.cars, model.spaces
    rule = model.resource.package.allocation
    usable = model.resource._usable()
    quotas = [(0.1, c.rank >= 1)]
    by_class = parking.expected_access(s, h, c, rule, usable, np.random.default_rng(1),
                                       quotas=quotas)
    blind = SimpleNamespace(priority=rule.priority, classes=lambda households, cars: None)
    draws = 400
    reference = parking.expected_access(s, h, c, blind, usable, np.random.default_rng(2),
                                        draws=draws, quotas=quotas)
    assert (by_class[c.zombie] == 0).all()
    groups = rule.classes(h, c) * 4 + 2 * h.five_in_one[c.household] + (c.rank >= 1)
    for group in np.unique(groups[~c.zombie]):
        members = (groups == group) & ~c.zombie
        assert np.ptp(by_class[members]) == 0  # exchangeable cars, one chance
        p = reference[members].mean()
        noise = np.sqrt(p * (1 - p) / (draws * members.sum())) + np.sqrt(
            p * (1 - p) / members.sum())
        assert abs(by_class[members][0] - p) <= 4 * noise + 1e-9, group


def _fields(layout):
    return {f.name: getattr(layout, f.name) for f in dataclasses.fields(layout)}


@settings(max_examples=60, deadline=None)
@given(states, st.sampled_from(["holder", "open", "blocked", "zombie", "rank", "none"]))
def test_a_kept_layout_is_reused_only_while_the_tables_are_unchanged(state, change):
    h, c, s, rng = state
    kept = parking.Layout.of(s, h, c)
    if change == "none":
        assert parking.Layout.of(s, h, c, kept) is kept
        return
    column = getattr(c if change in ("zombie", "rank") else s, change)
    if not len(column):
        return
    column[0] = not column[0] if column.dtype == bool else column[0] + 1
    again = parking.Layout.of(s, h, c, kept)
    assert again is not kept, f"an in-place change of {change} was not seen"
    fresh = _fields(parking.Layout.of(s, h, c))
    for name, value in _fields(again).items():
        if name == "groups":
            assert [(k, list(v)) for k, v in value] == [(k, list(v)) for k, v in fresh[name]]
        elif isinstance(value, np.ndarray):
            assert np.array_equal(value, fresh[name]), name
        else:
            assert value == fresh[name], name


@settings(max_examples=150, deadline=None)
@given(states, st.data())
def test_free_spaces_are_grouped_in_serving_order_each_group_ascending(state, data):
    # the night takes the visitors' spaces off each group's end by a binary search: it relies
    # on every free space appearing once, in one group of its kind and use, in ascending order
    h, c, s, rng = state
    for kind in range(len(SpaceKind)):  # mix kinds and uses so that a sort is needed
        s.kind[data.draw(st.lists(st.integers(0, max(len(s) - 1, 0)), max_size=10))
               if len(s) else []] = kind
    s.use[:] = rng.integers(0, len(Use), len(s))
    free = s.usable() & (s.holder < 0)
    groups = parking._groups(free, s)
    slots = np.concatenate([g for _, g in groups]) if groups else np.empty(0, dtype=int)
    assert np.array_equal(np.sort(slots), np.flatnonzero(free))
    for kind, group in groups:
        assert (np.diff(group) > 0).all()
        assert (s.kind[group] == kind).all() and len(np.unique(s.use[group])) == 1
    roadside_first = [k is SpaceKind.ROADSIDE for k, _ in groups]
    assert roadside_first == sorted(roadside_first, reverse=True)
