"""The district study end to end through Hydra: the same rows whatever the launcher and the
cut into blocks, and an interrupted sweep keeps its finished runs and resumes."""

import os
import signal
import subprocess
import sys
import time

import pytest
from pandas.testing import assert_frame_equal
from sweeps import REPO, sweep

from sim import collect
from sim.parts import job_states

TIMING = ["model_seconds", "wall_seconds", "cpu_seconds"]
SMALL = ("experiment=district", "days=5", "replicates=2", "district.communities=5",
         "package=none", "allocation=status_quo,lottery")


def blocks(n: int) -> tuple[str, str]:
    return f"district.blocks={n}", f"district.block=range(0,{n})"


def district_table(folder):
    runs = collect.collect(folder).runs.drop(columns=TIMING)
    return runs.sort_values("run", ignore_index=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The small district in 2 blocks with the joblib launcher."""
    folder = tmp_path_factory.mktemp("district") / "joblib"
    result = sweep(folder, *SMALL, *blocks(2))
    assert result.returncode == 0, result.stderr
    return district_table(folder)


def test_the_district_sweep_runs_every_community_seed_and_rule_set(reference):
    assert len(reference) == 5 * 2 * 2
    assert sorted(reference["community"].unique()) == [0, 1, 2, 3, 4]
    assert sorted(reference["allocation"].unique()) == ["lottery", "status_quo"]
    assert reference["run"].str.startswith("allocation=").all()
    assert not reference["run"].str.contains("block").any()  # the cut is not in the names


def test_the_same_rows_whatever_the_launcher_and_the_blocks(reference, tmp_path):
    result = sweep(tmp_path, *SMALL, *blocks(3), launcher="basic")
    assert result.returncode == 0, result.stderr
    assert_frame_equal(district_table(tmp_path), reference)


def test_submitit_runs_the_district_as_jobs_of_its_own(reference, tmp_path):
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher",
                        reason="the slurm extra is not installed: pip install -e '.[slurm]'")
    result = sweep(tmp_path, *SMALL, *blocks(2), "hydra.launcher.timeout_min=5",
                   launcher="submitit_local")
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.glob(".submitit/*")), "the jobs went through submitit"
    assert_frame_equal(district_table(tmp_path), reference)


def test_an_interrupted_district_keeps_its_finished_runs_and_resumes(tmp_path):
    overrides = [*SMALL, *blocks(1), "days=60", "store.flush_seconds=0",
                 "hydra.sweeper.progress_seconds=0"]
    command = [sys.executable, "-m", "sim.run", "-m", "hydra/launcher=basic",
               f"hydra.sweep.dir={tmp_path}", *overrides]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    deadline = time.monotonic() + 300
    while not list(tmp_path.glob("*/part-*.json")) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode != 0, stderr
    kept = collect.collect(tmp_path)
    assert 1 <= len(kept.runs) < 20, stderr
    assert len(kept.runs) + len(kept.incomplete) == 20
    before = {path.name for path in tmp_path.glob("*/part-*")}

    result = sweep(tmp_path, *overrides, launcher="basic")
    assert result.returncode == 0, result.stderr
    assert f"20 runs: {len(kept.runs)} complete already" in result.stdout
    assert before <= {path.name for path in tmp_path.glob("*/part-*")}  # kept, not rewritten
    for job in {path.parent for path in tmp_path.glob("*/part-*.json")}:
        assert all(state == "complete" for state, _ in job_states(job).values())
    assert len(collect.collect(tmp_path).runs) == 20
