"""The benchmark's reference programs do the work they claim, and its table adds up."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from sim import lockstep
from sim.bench import format_row, job_cpu_seconds, runs_cpu_seconds
from sim.bench_reference import Floor, MesaReference
from sim.model import CommunityModel
from tests.conftest import config


def test_floor_and_mesa_reference_compute_the_same_day():
    model = CommunityModel(config())
    floor = Floor(model).day()
    reference = MesaReference(model)
    reference.step()
    mesa = reference.datacollector.get_model_vars_dataframe().iloc[-1]
    cars = int(model.households.cars.sum())
    spaces = int(np.count_nonzero(model.spaces.usable()))
    assert floor["illegal_parking"] == mesa["illegal_parking"] == cars - min(cars, spaces)
    assert floor["car_coverage"] == pytest.approx(mesa["car_coverage"])
    # one step of x <- W x from the same opinions, written two ways
    expected = model.influence @ model.households.opinion
    assert floor["support"] == pytest.approx(expected.mean(), rel=1e-12)
    assert mesa["support"] == pytest.approx(expected.mean(), rel=1e-12)
    assert mesa["support_sd"] == pytest.approx(expected.std(), rel=1e-9)


def test_table_ratio_is_day_over_floor():
    out = subprocess.run(
        [sys.executable, "-m", "sim.bench", "--one", "xiaonanzhuang", "--days", "5",
         "--repeats", "1", "--mesa"], capture_output=True, text=True, check=True)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    assert row["households"] == 829
    assert min(row["floor_ms"], row["per_day_ms"], row["mesa_ms"]) > 0
    ratio = float(format_row(row).split()[5])
    assert ratio == pytest.approx(row["per_day_ms"] / row["floor_ms"], abs=0.051)


def test_a_replicates_job_is_timed_and_a_failing_one_is_not():
    assert job_cpu_seconds(2, ["days=2"]) > 0
    with pytest.raises(subprocess.CalledProcessError):
        job_cpu_seconds(1, ["days=-1"])


def test_runs_are_timed_in_lockstep_and_alone_and_a_failing_one_is_not(monkeypatch):
    assert runs_cpu_seconds(2, ["days=2"], together=True) > 0
    assert runs_cpu_seconds(2, ["days=2"], together=False) > 0

    def broken(config):
        raise ValueError("no model")

    monkeypatch.setattr(lockstep, "CommunityModel", broken)
    with pytest.raises(RuntimeError, match="ValueError: no model"):
        runs_cpu_seconds(1, ["days=2"], together=True)
