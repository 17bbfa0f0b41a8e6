"""Frictions from encounters: only cars beyond the lanes' room block, tolerance depends on
knowing the driver, leads settle, the blocked call the hotline."""

import dataclasses

import numpy as np
import pytest
from conftest import config, run_model
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import CommunityModel
from sim.resources import frictions


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=0, max_size=80), st.integers(0, 3),
       st.integers(0, 2**16))
def test_only_buildings_with_more_cars_than_room_have_blocking_cars(buildings_of_cars, room,
                                                                     seed):
    building = np.repeat(np.arange(5), 10)  # five buildings of ten households
    rng = np.random.default_rng(seed)
    owners = np.array([10 * b + rng.integers(10) for b in buildings_of_cars], dtype=np.int64)
    blocking = frictions.blocking_cars(owners, building, np.full(5, room), rng)
    parked = np.bincount(building[owners], minlength=5)
    blocked = np.bincount(building[blocking], minlength=5)
    assert (blocked[parked <= room] == 0).all()
    assert (blocked <= parked).all()
    assert np.isin(blocking, owners).all()


def test_on_average_the_cars_beyond_the_room_block():
    building = np.repeat(np.arange(3), 20)
    owners = np.concatenate([np.arange(0, 12), np.arange(20, 23), np.arange(40, 60)])
    room = np.array([4, 4, 5])
    rng = np.random.default_rng(7)
    counts = np.array([np.bincount(building[frictions.blocking_cars(owners, building, room,
                                                                     rng)], minlength=3)
                       for _ in range(2000)])
    expected = np.array([12 - 4, 0, 20 - 5])
    half = 1.96 * counts.std(axis=0, ddof=1) / np.sqrt(len(counts))
    assert (np.abs(counts.mean(axis=0) - expected) <= half + 1e-12).all(), counts.mean(axis=0)


def estate_model(*overrides):
    return CommunityModel(config("scenario.lead_share=0", *overrides))


def day_of_frictions(model, illegal, cfg, seed):
    return frictions.daily(illegal, model.households, model.estate, cfg,
                           np.random.default_rng(seed))


def test_conflicts_match_blocked_encounters_times_intolerance():
    model = estate_model()
    h = model.households
    cfg = dataclasses.replace(model.config.behaviour.frictions, neighbour_tolerance=0.9,
                              stranger_tolerance=0.9)
    illegal = np.flatnonzero(h.building == 0)[:30]  # 30 cars in one building
    room = int(model.estate.lane_room[0])
    days = [day_of_frictions(model, illegal, cfg, seed) for seed in range(400)]
    # Encounters: on average the 30 − room cars beyond the room, less those that happen to
    # block their own household (1 in the building's size).
    size = model.estate.building_size[0]
    encounters = (30 - room) * (1 - 1 / size)
    assert np.mean([d.blocked for d in days]) == pytest.approx(encounters, rel=0.03)
    conflicts = np.array([d.conflicts for d in days])
    expected = np.mean([d.blocked for d in days]) * 0.1
    half = 1.96 * conflicts.std(ddof=1) / np.sqrt(len(conflicts))
    assert abs(conflicts.mean() - expected) < half + 1e-9
    assert all(d.mediated == 0 for d in days)  # no leads, nobody settles


def test_neighbours_who_know_each_other_tolerate_more():
    model = estate_model()
    h = model.households
    base = model.config.behaviour.frictions
    illegal = np.flatnonzero(h.building < 4).repeat(2)
    only_strangers = dataclasses.replace(base, neighbour_tolerance=1.0, stranger_tolerance=0.0)
    everyone = dataclasses.replace(base, neighbour_tolerance=0.0, stranger_tolerance=0.0)
    with_ties = sum(day_of_frictions(model, illegal, only_strangers, s).conflicts
                    for s in range(50))
    without = sum(day_of_frictions(model, illegal, everyone, s).conflicts for s in range(50))
    assert 0 < with_ties < without


def test_adding_spaces_cuts_conflicts_more_than_proportionally():
    def per_illegal_car(spaces):
        series = run_model(f"scenario.spaces={spaces}", "scenario.lead_share=0",
                           days=60).timeseries()
        return series["conflicts"].sum() / series["illegal_parking"].sum()

    # Only cars beyond the lanes' room block, so each illegal car causes fewer conflicts
    # where there are fewer of them.
    assert per_illegal_car(350) < per_illegal_car(150)


def test_leads_settle_conflicts_and_fewer_reach_the_hotline():
    cfg = config().behaviour.frictions
    ratio = []
    for share in (0, 1):
        series = run_model(f"scenario.lead_share={share}", days=60).timeseries()
        ratio.append(series["mediated"].sum() / max(series["conflicts"].sum(), 1))
    assert ratio[0] == 0
    # A lead serves every stairwell: it settles about mediation_share of the conflicts.
    assert ratio[1] == pytest.approx(cfg.mediation_share, abs=0.1)
