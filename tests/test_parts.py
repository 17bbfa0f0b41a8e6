"""Parquet parts (store.layout=parts): written atomically with their record, resume and failure
isolation per run, nothing lost on interrupt, the same rows as run folders, collected in order."""

import functools
import json
import os
import signal

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from sim import batch, collect, lockstep
from sim.compose import compose_config, to_run_config
from sim.model import CommunityModel, simulate
from sim.parts import PartWriter, job_states, parts, read_parts
from sim.sweep import RunsFailedError, parts_job_runs, update_manifest

TIMING = ["model_seconds", "wall_seconds", "cpu_seconds"]
SHORT = ["scenario=synthetic", "scenario.households=300", "days=10", "store.layout=parts"]
DISTRICT = [*SHORT, "district=haidian", "district.communities=5", "replicates=2"]


def job(folder, *overrides, job_overrides=None):
    """Run one parts job in this process, as the Hydra app does; return its rows."""
    cfg = compose_config(list(overrides))
    return batch.run_parts(to_run_config(cfg), cfg, folder, job_overrides or {})


def rows(folder):
    return read_parts([folder]).drop(columns=TIMING)


def test_a_part_is_seen_only_once_its_record_is_written_and_only_while_sound(tmp_path):
    writer = PartWriter(tmp_path, flush_seconds=3600)
    writer.add("seed=0", {"run": "j/seed=0", "x": 1.0})
    writer.fail("seed=1", "Traceback ...\nValueError: no")
    assert parts(tmp_path) == [] and job_states(tmp_path) == {}  # still in memory
    writer.flush()
    assert job_states(tmp_path) == {"seed=0": ("complete", ""),
                                    "seed=1": ("failed", "ValueError: no")}
    (part,) = parts(tmp_path)
    part.file("summary").write_bytes(b"damaged")
    assert job_states(tmp_path)["seed=0"] == ("corrupt", f"{part.file('summary').name} does "
                                                         "not match its checksum")
    assert job_states(tmp_path, verify=False)["seed=0"][0] == "complete"
    assert read_parts([tmp_path]) is None


def test_a_writer_flushes_once_its_oldest_run_has_waited_long_enough(tmp_path):
    writer = PartWriter(tmp_path, flush_seconds=0)
    for seed in range(3):
        writer.add(f"seed={seed}", {"run": f"j/seed={seed}", "x": float(seed)})
    assert len(parts(tmp_path)) == 3 and writer.rows == []


def test_a_later_success_replaces_an_earlier_failure(tmp_path):
    first = PartWriter(tmp_path, flush_seconds=3600)
    first.fail("seed=0", "RuntimeError: disk")
    first.flush()
    second = PartWriter(tmp_path, flush_seconds=3600)
    second.add("seed=0", {"run": "j/seed=0"})
    second.flush()
    assert job_states(tmp_path) == {"seed=0": ("complete", "")}


def test_parts_hold_the_same_outcomes_as_separate_runs(tmp_path):
    made = job(tmp_path / "job", *SHORT, "seed=3", "replicates=2")
    assert [row["run"] for row in made] == ["job/seed=3", "job/seed=4"]
    for row in made:
        alone = simulate(to_run_config(compose_config([*SHORT, f"seed={row['seed']}"])))
        for key, value in alone.summary().items():
            if not isinstance(value, dict | list):
                assert row[key] == value or (value is None and row[key] is None), key


def test_a_failing_run_loses_no_other_and_alone_is_run_again(tmp_path, monkeypatch):
    def broken(config):
        if config.scenario.name.endswith("0002"):
            raise RuntimeError("community 2 is broken")
        return CommunityModel(config)

    monkeypatch.setattr(lockstep, "CommunityModel", broken)
    with pytest.raises(RunsFailedError, match="2 runs failed"):
        job(tmp_path, *DISTRICT)
    states = job_states(tmp_path)
    assert sorted(k for k, (s, _) in states.items() if s == "complete") == [
        f"community={c:04d},seed={s}" for c in (0, 1, 3, 4) for s in (0, 1)]
    assert states["community=0002,seed=0"] == ("failed", "RuntimeError: community 2 is broken")

    monkeypatch.setattr(lockstep, "CommunityModel", CommunityModel)
    again = job(tmp_path, *DISTRICT)
    assert [row["run"].split("/")[1] for row in again] == [
        "community=0002,seed=0", "community=0002,seed=1"]
    assert all(s == "complete" for s, _ in job_states(tmp_path).values())


def one_run_per_group(monkeypatch, build):
    """Lockstep groups of one run each, built by ``build``: runs are handed back one by one."""
    monkeypatch.setattr(batch, "simulate_all",
                        functools.partial(lockstep.simulate_all, group_households=1))
    monkeypatch.setattr(lockstep, "CommunityModel", build)


def test_an_interrupted_job_keeps_its_finished_runs_and_resumes_to_the_same_rows(
        tmp_path, monkeypatch):
    whole = rows_of_job(tmp_path / "whole")
    calls = []

    def interrupted(config):
        calls.append(config.seed)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return CommunityModel(config)

    one_run_per_group(monkeypatch, interrupted)
    folder = tmp_path / "whole_again"
    with pytest.raises(KeyboardInterrupt):
        job(folder, *DISTRICT, "store.flush_seconds=3600")
    assert len(job_states(folder)) == 3  # written on the way out, though not yet due
    monkeypatch.setattr(lockstep, "CommunityModel", CommunityModel)
    assert len(job(folder, *DISTRICT)) == 7
    resumed = rows(folder).assign(run=lambda t: t["run"].str.replace("whole_again", "whole"))
    assert_frame_equal(resumed.sort_values("run", ignore_index=True), whole)


def rows_of_job(folder):
    job(folder, *DISTRICT)
    return rows(folder).sort_values("run", ignore_index=True)


def test_a_community_is_the_same_whatever_block_runs_it(tmp_path):
    whole = rows_of_job(tmp_path / "one")
    for block in range(2):
        job(tmp_path / "two", *DISTRICT, "district.blocks=2", f"district.block={block}")
    split = rows(tmp_path / "two").assign(run=lambda t: t["run"].str.replace("two", "one"))
    assert_frame_equal(split.sort_values("run", ignore_index=True), whole)
    assert whole["households"].nunique() == 5  # five different communities
    assert whole.groupby("community")["model_seed"].nunique().eq(2).all()
    assert whole["model_seed"].nunique() == 10  # no two runs share their draws


def test_collect_reads_parts_in_the_sweep_s_order_with_series(tmp_path):
    name = "package=none"
    runs = parts_job_runs(name, {"package": "none"}, 0, 2, [0, 1, 2, 3, 4])
    update_manifest(tmp_path, runs)
    job(tmp_path / name, *DISTRICT, "store.series=true", "district.blocks=2", "district.block=1")
    job(tmp_path / name, *DISTRICT, "store.series=true", "district.blocks=2", "district.block=0")
    tables = collect.collect(tmp_path, series=True)
    assert tables.runs["run"].tolist() == [run.path for run in runs]
    assert tables.incomplete == []
    assert tables.series.groupby("run", sort=False).size().tolist() == [10] * 10
    assert tables.series["run"].drop_duplicates().tolist() == [run.path for run in runs]
    assert tables.runs["total_complaints"].tolist() == tables.series.groupby(
        "run", sort=False)["complaints"].sum().tolist()


def test_collect_names_the_runs_no_part_holds(tmp_path):
    name = "package=none"
    update_manifest(tmp_path, parts_job_runs(name, {}, 0, 2, [0, 1, 2, 3, 4]))
    job(tmp_path / name, *DISTRICT, "district.blocks=2", "district.block=0")
    tables = collect.collect(tmp_path)
    assert len(tables.runs) == 6
    assert [(run.path.split("/")[1][:14], state) for run, state, _ in tables.incomplete] == [
        ("community=0001", "missing")] * 2 + [("community=0003", "missing")] * 2


def test_a_part_record_names_its_files_and_runs(tmp_path):
    job(tmp_path, *SHORT, "replicates=2", "store.series=true")
    (record,) = tmp_path.glob("part-*.json")
    data = json.loads(record.read_text())
    stem = record.name.removesuffix(".json")
    assert data["runs"] == ["seed=0", "seed=1"] and data["failed"] == {}
    assert sorted(data["sha256"]) == [f"{stem}.parquet", f"{stem}.series.parquet"]
    assert len(pd.read_parquet(tmp_path / f"{stem}.series.parquet")) == 20


def test_sigterm_ends_a_job_as_ctrl_c_does_keeping_its_finished_runs(tmp_path, monkeypatch):
    calls = []

    def terminated(config):
        calls.append(config.seed)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGTERM)  # as Slurm's time limit or scancel
        return CommunityModel(config)

    one_run_per_group(monkeypatch, terminated)
    with pytest.raises(SystemExit) as ended:
        job(tmp_path, *DISTRICT, "store.flush_seconds=3600")
    assert ended.value.code == 128 + signal.SIGTERM
    assert len(job_states(tmp_path)) in (2, 3)  # the runs finished before the signal landed
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handed back
