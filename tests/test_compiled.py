"""The numba-compiled passes (:mod:`sim.compiled`) give the NumPy reference's bytes: the same
frictions and the same generator state after a day, the same satisfaction, the same runs."""

import dataclasses
import hashlib

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import config
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit
from test_parking import states as parking_states

import sim.fast_path
from sim import compiled, metrics
from sim.estate.state import SpaceKind, Use
from sim.model import CommunityModel, simulate
from sim.negotiation import opinion
from sim.resources import frictions
from sim.resources.parking import kernel as parking


@pytest.fixture(scope="module")
def estate() -> CommunityModel:
    """Xiaonanzhuang with a lead in half the stairwells, so that some conflicts are settled."""
    return CommunityModel(config("scenario=xiaonanzhuang", "scenario.lead_share=0.5"))


def both_days(model, illegal, cfg, seed):
    """One day of frictions, compiled and NumPy, from generators seeded alike; and each
    generator's next draws after it."""
    compiled_rng, numpy_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    args = (model.households, model.estate, cfg)
    fast = frictions.daily(illegal, *args, compiled_rng, compiled)
    reference = frictions.daily_numpy(illegal, *args, numpy_rng)
    return fast, reference, compiled_rng.random(4), numpy_rng.random(4)


def test_small_estates_run_compiled_and_large_ones_in_numpy(monkeypatch):
    # numba is a default dependency, so it is installed here
    assert sim.fast_path.compiled_passes(829) is compiled
    assert sim.fast_path.compiled_passes(sim.fast_path.COMPILED_UP_TO + 1) is None
    assert CommunityModel(config("scenario=xiaonanzhuang")).compiled is compiled
    monkeypatch.setattr(sim.fast_path, "COMPILED_UP_TO", 800)
    assert CommunityModel(config("scenario=xiaonanzhuang")).compiled is None


@njit
def _uniforms(bitgen, count):
    """``count`` draws of :func:`sim.compiled.next_double`, in compiled code."""
    out = np.empty(count)
    for i in range(count):
        out[i] = compiled.next_double(bitgen)
    return out


@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.PCG64DXSM,
                                           np.random.MT19937, np.random.Philox,
                                           np.random.SFC64])
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(0, 1500))
def test_compiled_draws_are_the_generators_own(bit_generator, seed, count):
    mine, numpys = (np.random.Generator(bit_generator(seed)) for _ in range(2))
    mine.integers(0, 7, 3), numpys.integers(0, 7, 3)  # 32-bit draws: a half-used word buffered
    drawn = _uniforms(compiled.bit_generator_address(mine), count)
    assert np.array_equal(drawn, numpys.random(count))
    # the generator has moved on as NumPy's did: the next draws of every width agree
    assert mine.integers(0, 2**31, 5).tolist() == numpys.integers(0, 2**31, 5).tolist()
    assert np.array_equal(mine.random(5), numpys.random(5))


def test_frictions_draw_from_any_bit_generator(estate):
    cfg = dataclasses.replace(estate.config.behaviour.frictions, stranger_tolerance=0.5,
                              neighbour_tolerance=0.7)
    illegal = np.repeat(np.arange(0, 829, 3), 2)
    rngs = [np.random.Generator(np.random.MT19937(5)) for _ in range(2)]
    args = (illegal, estate.households, estate.estate, cfg)
    fast = frictions.daily(*args, rngs[0], compiled)
    reference = frictions.daily_numpy(*args, rngs[1])
    assert fast.conflicts > 0 and dataclasses.astuple(fast)[:4] == dataclasses.astuple(
        reference)[:4]
    assert np.array_equal(rngs[0].random(4), rngs[1].random(4))


@settings(max_examples=150, deadline=None)
@given(cars=st.lists(st.integers(0, 828), max_size=700), seed=st.integers(0, 2**32 - 1),
       stranger=st.floats(0, 1), neighbour=st.floats(0, 1), mediation=st.floats(0, 1),
       threshold=st.floats(0, 1))
def test_a_day_of_frictions_is_the_numpy_day(estate, cars, seed, stranger, neighbour,
                                            mediation, threshold):
    cfg = dataclasses.replace(estate.config.behaviour.frictions, stranger_tolerance=stranger,
                              neighbour_tolerance=neighbour, mediation_share=mediation,
                              complaint_threshold=threshold)
    illegal = np.array(sorted(cars), dtype=np.int64)
    fast, reference, after_fast, after_reference = both_days(estate, illegal, cfg, seed)
    assert (fast.blocked, fast.conflicts, fast.mediated, fast.complaints) == (
        reference.blocked, reference.conflicts, reference.mediated, reference.complaints)
    assert np.array_equal(fast.hit, reference.hit)
    assert np.array_equal(fast.illegal_per_building, reference.illegal_per_building)
    assert np.array_equal(after_fast, after_reference)  # the generator is where NumPy's is


def test_a_crowded_day_has_conflicts_mediation_and_calls(estate):
    # the property above is not vacuous: on a crowded day every branch of the pass runs
    cfg = dataclasses.replace(estate.config.behaviour.frictions, stranger_tolerance=0.5,
                              neighbour_tolerance=0.7, complaint_threshold=0.9)
    illegal = np.repeat(np.arange(0, 829, 2), 2)
    fast, reference, after_fast, after_reference = both_days(estate, illegal, cfg, 3)
    assert fast.conflicts > 10 and 0 < fast.mediated < fast.conflicts and fast.complaints > 0
    assert dataclasses.astuple(fast)[:4] == dataclasses.astuple(reference)[:4]
    assert np.array_equal(fast.hit, reference.hit)
    assert np.array_equal(after_fast, after_reference)


@settings(max_examples=200, deadline=None)
@given(state=parking_states, visitors=st.integers(0, 30), seed=st.integers(0, 2**32 - 1),
       uses=st.integers(0, 2**16))
def test_a_compiled_night_is_the_numpy_night(state, visitors, seed, uses):
    h, c, s, rng = state
    s.use[:] = np.random.default_rng(uses).integers(0, len(Use), len(s))  # several groups
    parking.allocate_permits(s, h, c, rng.random(len(c)), s.usable() & (rng.random(len(s)) < 0.5))
    layout = parking.Layout.of(s, h, c)
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    reference = parking.night(s, h, c, None, visitors, numpys, layout)
    visitors_parked = parking.park_visitors(layout, visitors, ours)
    with_car = h.cars > 0
    nights = np.zeros(len(h), dtype=np.int64)
    let, parked_cars, _, illegal, legal, _, _ = compiled.night(
        layout.looking, parking.residents_served(layout, visitors_parked), layout.permit_parked,
        layout.active, c.household, h.five_in_one, *layout.flat_groups,
        parking.first_visitor_space(layout, visitors_parked), compiled.bit_generator_address(ours),
        h.cars.astype(float), with_car, with_car & h.owner, nights)
    assert (visitors_parked, let) == (reference.visitors_parked, reference.let_spaces)
    assert legal == np.count_nonzero(reference.parked)
    assert np.array_equal(illegal, c.household[reference.stranded])
    assert np.array_equal(parked_cars, np.bincount(c.household, weights=reference.parked,
                                                   minlength=len(h)))
    assert np.array_equal(ours.random(4), numpys.random(4))  # the generator is where NumPy's is


def test_a_crowded_night_serves_every_kind_of_group():
    # the property above is not vacuous: roadside spaces, visitors and several groups at once
    model = CommunityModel(config("scenario=xiaonanzhuang", "scenario.lead_share=0.5"))
    s = model.spaces
    s.kind[:40] = SpaceKind.ROADSIDE
    s.use[40:] = np.arange(len(s) - 40) % len(Use)
    layout = parking.Layout.of(s, model.households, model.cars)
    assert len(layout.groups) > 3 and layout.groups[0][0] is SpaceKind.ROADSIDE
    ours, numpys = np.random.default_rng(8), np.random.default_rng(8)
    reference = parking.night(s, model.households, model.cars, None, 60, numpys, layout)
    visitors_parked = parking.park_visitors(layout, 60, ours)
    assert visitors_parked > 0 and reference.let_spaces > 0
    h = model.households
    let = compiled.night(
        layout.looking, True, layout.permit_parked, layout.active, model.cars.household,
        h.five_in_one, *layout.flat_groups, parking.first_visitor_space(layout, visitors_parked),
        compiled.bit_generator_address(ours), h.cars.astype(float), h.cars > 0,
        (h.cars > 0) & h.owner, np.zeros(len(h), dtype=np.int64))[0]
    assert let == reference.let_spaces


values = st.integers(0, 3000).flatmap(lambda n: st.tuples(
    st.integers(0, 2**32 - 1), st.just(n), st.sampled_from([1.0, 1e-3, 1e6]),
    st.floats(-0.5, 0.5))).map(
    lambda a: np.random.default_rng(a[0]).random(a[1]) * a[2] + a[3])
"""Float64 arrays of 0 to 3,000 values (beyond 128, where the pairwise sum starts halving) of
different magnitudes and signs."""


@settings(max_examples=300, deadline=None)
@given(values=values)
def test_the_pairwise_sum_is_numpys(values):
    assert compiled.pairwise_sum(values, 0, len(values)) == np.add.reduce(values)


@settings(max_examples=100, deadline=None)
@given(opinion=values, trust=values, satisfaction=values)
def test_the_household_means_are_numpys(opinion, trust, satisfaction):
    opinion, trust, satisfaction = (np.concatenate([a, [0.5]])  # never empty
                                    for a in (opinion.clip(0, 1), trust, satisfaction))
    expected = (metrics.mean(trust), metrics.mean(satisfaction),
                *metrics.opinion_measures(opinion))
    assert compiled.household_means(trust, satisfaction, opinion) == expected


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 400), density=st.floats(0.0, 0.2), seed=st.integers(0, 2**32 - 1))
def test_a_friedkin_johnsen_update_is_numpys(n, density, seed):
    rng = np.random.default_rng(seed)
    ties = sp.random_array((n, n), density=density, rng=rng, format="csr") + sp.eye_array(n)
    w = opinion.row_stochastic(sp.csr_array(ties))
    x, susceptibility, anchor = rng.random(n), rng.random(n), rng.random(n)
    expected = opinion.friedkin_johnsen(x, w, susceptibility, anchor)
    updated = compiled.friedkin_johnsen(w.indptr, w.indices, w.data, x, susceptibility, anchor)
    assert np.array_equal(updated, expected)


def run_bytes(overrides) -> tuple[str, object]:
    """A digest of a run's tables, and its daily series."""
    model = simulate(config(*overrides))
    digest = hashlib.sha256()
    for name, table in model.tables().items():
        digest.update(name.encode())
        digest.update(table.to_csv().encode())
    return digest.hexdigest(), model.timeseries()


@pytest.mark.parametrize("overrides", [
    ["scenario=xiaonanzhuang", "package=xiaonanzhuang_2024", "days=365"],
    ["scenario=yuxin_garden", "days=120"],
    ["scenario=yuxin_activity_centre", "decision=simple_majority", "days=90"],
], ids=["voted package", "yuxin garden", "shared space"])
def test_a_run_is_the_numpy_run(monkeypatch, overrides):
    fast, series = run_bytes(overrides)
    monkeypatch.setattr(sim.fast_path, "COMPILED_UP_TO", 0)
    reference, _ = run_bytes(overrides)
    assert fast == reference
    # days with conflicts (the hit households' penalty) ran through both passes
    assert series["conflicts"].sum() > 0


def test_the_voted_package_runs_the_opposition_term():
    # the opposition penalty applies once the committee's rules change something: the voted
    # package's run above covers days with it (else that comparison would not test it)
    model = simulate(config("scenario=xiaonanzhuang", "package=xiaonanzhuang_2024",
                            "days=365"))
    assert model.committee.rules.changes_anything()
