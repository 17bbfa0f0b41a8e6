"""Lockstep runs (sim.lockstep): every run's summary, daily table and meeting log byte for byte
those of a separate run, whatever the scenario, rules, sizes, seeds and grouping; a failing
run leaves the others alone."""

import dataclasses
import io
import json

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import batch
from sim.compose import load_config
from sim.lockstep import Lockstep, block_diagonal, simulate_all
from sim.model import CommunityModel, simulate


def output_bytes(model: CommunityModel) -> dict[str, bytes]:
    """The run's summary as JSON and each table (daily table, meeting log) as Parquet."""
    found = {"summary": json.dumps(model.summary(), sort_keys=True).encode()}
    for name, table in model.tables().items():
        buffer = io.BytesIO()
        table.to_parquet(buffer)
        found[name] = buffer.getvalue()
    return found


def assert_same_as_separate_runs(configs, **grouping):
    outcomes = list(simulate_all(configs, **grouping))
    assert [o.error for o in outcomes] == [None] * len(configs)
    for config, outcome in zip(configs, outcomes, strict=True):
        assert output_bytes(outcome.model) == output_bytes(simulate(config)), config.seed


def seeds_of(overrides, seeds=(0, 1, 2)):
    config = load_config(overrides)
    return [dataclasses.replace(config, seed=s) for s in seeds]


CASES = {
    "xiaonanzhuang": ["scenario=xiaonanzhuang", "days=60"],
    "yuxin_garden": ["scenario=yuxin_garden", "days=30"],
    "voted package": ["scenario=xiaonanzhuang", "package=xiaonanzhuang_2024",
                      "decision=civil_code_278", "days=200"],
    "shared space": ["scenario=yuxin_activity_centre", "decision=simple_majority", "days=60"],
    "deffuant (not stacked)": ["scenario=xiaonanzhuang", "opinion=deffuant", "days=30"],
}


@pytest.mark.parametrize("case", CASES)
def test_lockstep_runs_are_byte_identical_to_separate_runs(case):
    configs = seeds_of(CASES[case])
    if case == "voted package":  # the meeting log is compared with meetings in it
        assert all(simulate(c).meetings for c in configs[:1])
    assert_same_as_separate_runs(configs)


def test_a_district_block_of_communities_of_different_sizes_is_byte_identical():
    job = load_config(["scenario=synthetic", "district=haidian", "district.communities=4",
                       "store.layout=parts", "days=40"])
    configs = [batch.run_config(job, f"c{c}s{s}", s, c, "job")[0]
               for c in range(4) for s in (0, 1)]
    assert len({c.scenario.households for c in configs}) == 4
    assert_same_as_separate_runs(configs)


def test_runs_of_different_kernels_and_lengths_share_a_job():
    configs = [*seeds_of(["scenario=xiaonanzhuang", "days=20"], (0, 1)),
               *seeds_of(["scenario=xiaonanzhuang", "opinion=degroot", "days=20"], (2,)),
               *seeds_of(["scenario=xiaonanzhuang", "days=25"], (3, 4))]
    assert_same_as_separate_runs(configs)


@settings(max_examples=8, deadline=None)
@given(first=st.integers(0, 10_000), k=st.integers(1, 5), days=st.integers(1, 40),
       group=st.integers(1, 2_000))
def test_any_seeds_count_and_grouping_give_the_separate_runs_bytes(first, k, days, group):
    configs = seeds_of(["scenario=synthetic", "scenario.households=300", f"days={days}"],
                       range(first, first + k))
    assert_same_as_separate_runs(configs, group_households=group)


def test_a_run_that_raises_fails_alone_and_the_others_go_on(monkeypatch):
    configs = seeds_of(["scenario=xiaonanzhuang", "days=30"], (0, 1, 2))
    real = CommunityModel.start_day

    def breaks_on_day_10(model):
        if model.config.seed == 1 and model.day == 9:
            raise RuntimeError("seed 1 breaks")
        return real(model)

    monkeypatch.setattr(CommunityModel, "start_day", breaks_on_day_10)
    outcomes = list(simulate_all(configs))
    assert outcomes[1].model is None
    assert outcomes[1].error.strip().splitlines()[-1] == "RuntimeError: seed 1 breaks"
    monkeypatch.setattr(CommunityModel, "start_day", real)
    for i in (0, 2):
        assert outcomes[i].error is None and outcomes[i].model.day == 30
        assert output_bytes(outcomes[i].model) == output_bytes(simulate(configs[i]))


def interrupted_in_a_callback():
    """What Ctrl-C landing in Python code called back from C becomes (as in numba's first call
    of a compiled pass): a SystemError raised from the KeyboardInterrupt."""
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as interrupt:
        raise SystemError("returned a result with an exception set") from interrupt


@pytest.mark.parametrize("phase", ["start_day", "__init__"])
def test_an_interrupt_behind_another_error_interrupts_the_job(monkeypatch, phase):
    real = getattr(CommunityModel, phase)

    def interrupted(model, *args):
        if phase == "start_day" or args[0].seed == 1:
            interrupted_in_a_callback()
        return real(model, *args)

    monkeypatch.setattr(CommunityModel, phase, interrupted)
    configs = seeds_of(["scenario=xiaonanzhuang", "days=5"], (0, 1))
    with pytest.raises(KeyboardInterrupt):
        list(simulate_all(configs))
    # any other error is the run's own failure, as before
    monkeypatch.setattr(CommunityModel, phase, real)
    assert all(o.error is None for o in simulate_all(configs))


def test_a_run_whose_build_raises_fails_alone():
    good = seeds_of(["scenario=xiaonanzhuang", "days=5"], (0,))[0]
    bad = dataclasses.replace(good, seed=-1)  # SeedSequence refuses a negative seed
    outcomes = list(simulate_all([good, bad, good]))
    assert [o.error is None for o in outcomes] == [True, False, True]
    assert outcomes[0].model.day == outcomes[2].model.day == 5


def test_a_block_diagonal_mat_vec_is_each_block_s_own():
    rng = np.random.default_rng(0)
    blocks = [sp.random_array((n, n), density=0.3, format="csr", rng=rng) for n in (1, 7, 30)]
    x = [rng.random(b.shape[0]) for b in blocks]
    stacked = block_diagonal(blocks) @ np.concatenate(x)
    assert np.array_equal(stacked, np.concatenate([b @ v for b, v in zip(blocks, x,
                                                                          strict=True)]))
    assert (block_diagonal(blocks) != sp.block_diag(blocks, format="csr")).nnz == 0


def test_lockstep_leaves_mesas_clock_as_a_separate_run_and_the_run_can_go_on():
    configs = seeds_of(["scenario=xiaonanzhuang", "days=20"], seeds=(0, 1))
    stepped = [o.model for o in simulate_all(configs)]
    alone = [simulate(c) for c in configs]
    for model, reference in zip(stepped, alone, strict=True):
        assert (model.time, model.steps, model.day) == (20, 20, 20)
        model.step()  # Mesa's own step: its schedule must be live again
        reference.step()
        assert (model.time, model.steps, model.day) == (21, 21, 21)
        assert output_bytes(model) == output_bytes(reference)


def test_lockstep_refuses_models_with_other_events_scheduled():
    model = CommunityModel(load_config(["scenario=xiaonanzhuang", "days=5"]))

    def event():  # a named function: Mesa keeps only a weak reference to it
        pass

    model.schedule_event(event, at=2.5)
    with pytest.raises(ValueError, match="nothing but their daily step"):
        Lockstep([model])
