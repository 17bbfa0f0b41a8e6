"""Sweeps end to end through Hydra: folders named by overrides, resume, fault isolation,
interruption, replicates, serial = parallel, the collected table and the figures."""

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
import yaml
from pandas.testing import assert_frame_equal
from sweeps import REPO, TINY, sweep, table

from sim import collect, compare
from sim.output import MARKER
from sim.sweep import FAILED, MANIFEST, read_manifest

NAMES = [f"allocation={rule},days=5,seed={seed}"
         for rule in ("status_quo", "one_car_owner_first") for seed in (0, 1)]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny sweep run once with the joblib launcher (two workers here)."""
    folder = tmp_path_factory.mktemp("tiny") / "sweep"
    result = sweep(folder, *TINY)
    assert result.returncode == 0, result.stderr
    return folder, result


def test_sweep_names_each_run_folder_by_its_overrides_and_shows_progress(tiny):
    folder, result = tiny
    assert [run.path for run in read_manifest(folder)] == NAMES
    for name in NAMES:
        assert (folder / name / MARKER).is_file()
    assert (folder / "multirun.yaml").is_file()
    assert "4/4 runs done (100.0 %), 0 failed" in result.stderr
    assert "ETA" in result.stderr


def test_collected_table_has_config_columns_then_the_summary_of_each_run(tiny):
    folder, _ = tiny
    assert collect.main([str(folder)]) == 0
    runs = pd.read_parquet(folder / "runs.parquet")
    as_text = {column: str for column in runs.columns if column.startswith("versions.")}
    pd.testing.assert_frame_equal(pd.read_csv(folder / "runs.csv", dtype=as_text), runs,
                                  check_dtype=False)
    columns = list(runs.columns)
    config_columns = columns[: columns.index("seed") + 1]
    assert config_columns[:2] == ["run", "scenario"]
    assert {"allocation", "days"} <= set(config_columns)
    assert runs["run"].tolist() == NAMES
    assert runs["seed"].tolist() == [0, 1, 0, 1]
    assert runs["allocation"].tolist() == ["status_quo"] * 2 + ["one_car_owner_first"] * 2
    assert str(runs["seed"].dtype) == "int64" and str(runs["days"].dtype) == "int64"
    for row in runs.to_dict("records"):
        run_folder = folder / row["run"]
        summary = json.loads((run_folder / "summary.json").read_text())
        config = yaml.safe_load((run_folder / "config.yaml").read_text())
        assert row["scenario"] == config["scenario"]["name"] == "xiaonanzhuang"
        assert row["allocation"] == config["allocation"]["name"]
        assert row["days"] == config["days"] == 5
        versions = [key for key in columns if key.startswith("versions.")]
        for key in columns[len(config_columns):]:
            if key in versions:
                assert row[key] == summary["versions"][key.removeprefix("versions.")], key
                continue
            expected = summary[key]
            assert row[key] == expected or (expected is None and pd.isna(row[key])), key
        assert {f"versions.{name}" for name in summary["versions"]} == set(versions)
        assert {"config_hash", "git_commit", "git_dirty"} <= set(columns)
        nested = {key for key, value in summary.items() if isinstance(value, dict | list)}
        assert set(summary) - set(columns) == nested  # versions, rule lists: not columns


def test_daily_series_as_a_long_table(tiny):
    folder, _ = tiny
    series = collect.collect(folder, series=True).series
    assert list(series.columns[:2]) == ["run", "day"]
    assert len(series) == 4 * 5
    first = pd.read_parquet(folder / NAMES[0] / "timeseries.parquet")
    got = series[series["run"] == NAMES[0]].drop(columns="run").reset_index(drop=True)
    assert_frame_equal(got, first)


def test_serial_and_parallel_sweeps_give_identical_tables(tiny, tmp_path):
    folder, _ = tiny
    assert sweep(tmp_path, *TINY, launcher="basic").returncode == 0
    assert_frame_equal(table(tmp_path), table(folder))


def test_replicates_in_one_job_equal_separate_jobs(tiny, tmp_path):
    folder, _ = tiny
    result = sweep(tmp_path, "days=5", "allocation=status_quo,one_car_owner_first",
                   "replicates=2", launcher="basic")
    assert result.returncode == 0, result.stderr
    assert "4 runs: 0 complete already, 4 to run in 2 jobs" in result.stdout
    paths = [run.path for run in read_manifest(tmp_path)]
    assert paths == [f"allocation={rule},days=5/seed={seed}"
                     for rule in ("status_quo", "one_car_owner_first") for seed in (0, 1)]
    assert_frame_equal(table(tmp_path).drop(columns="run"), table(folder).drop(columns="run"))
    for replicate, separate in zip(paths, NAMES, strict=True):
        for name in ("config.yaml", "timeseries.parquet", "meetings.parquet"):
            assert (tmp_path / replicate / name).read_bytes() == (
                folder / separate / name).read_bytes(), (replicate, name)


def test_resume_runs_only_missing_and_unfinished_runs(tiny, tmp_path):
    folder, _ = tiny
    copy = tmp_path / "sweep"
    shutil.copytree(folder, copy)
    missing, half_written, crashed, kept = (copy / name for name in NAMES)
    shutil.rmtree(missing)
    (half_written / MARKER).unlink()
    (crashed / MARKER).unlink()
    (crashed / "summary.json").unlink()
    kept_mtime = (kept / "summary.json").stat().st_mtime_ns

    tables = collect.collect(copy)
    assert tables.runs["run"].tolist() == [NAMES[3]]
    assert [(run.path, state) for run, state, _ in tables.incomplete] == [
        (NAMES[0], "missing"), (NAMES[1], "missing"), (NAMES[2], "missing")]

    result = sweep(copy, *TINY, launcher="basic")
    assert result.returncode == 0, result.stderr
    assert "4 runs: 1 complete already, 3 to run in 3 jobs" in result.stdout
    assert (kept / "summary.json").stat().st_mtime_ns == kept_mtime
    assert_frame_equal(table(copy), table(folder))


def test_a_failing_run_does_not_stop_the_others_and_is_listed_at_the_end(tmp_path):
    broken = tmp_path / NAMES[3]
    (broken / "summary.json").mkdir(parents=True)  # summary.json cannot be written
    result = sweep(tmp_path, *TINY)
    assert result.returncode != 0
    assert "1 of 4 runs did not finish" in result.stderr
    assert f"  {NAMES[3]}\n    overrides: days=5 allocation=one_car_owner_first seed=1" in (
        result.stderr)
    assert "IsADirectoryError" in result.stderr
    assert "3/4 runs done (75.0 %), 1 failed" in result.stderr
    for name in NAMES[:3]:
        assert (tmp_path / name / MARKER).is_file()
    assert "IsADirectoryError" in (broken / FAILED).read_text()
    assert not (broken / MARKER).exists()
    assert [state for _, state, _ in collect.collect(tmp_path).incomplete] == ["failed"]

    (broken / "summary.json").rmdir()
    retry = sweep(tmp_path, *TINY, launcher="basic")
    assert retry.returncode == 0, retry.stderr
    assert "4 runs: 3 complete already, 1 to run in 1 jobs" in retry.stdout
    assert "4/4 runs done (100.0 %), 0 failed" in retry.stderr
    assert (broken / MARKER).is_file() and not (broken / FAILED).exists()


def test_an_interrupted_sweep_keeps_its_finished_runs_and_resumes(tmp_path):
    overrides = ["scenario=yuxin_garden", "days=150", "seed=range(0,6)",
                 "hydra.sweeper.progress_seconds=0"]
    command = [sys.executable, "-m", "sim.run", "-m", f"hydra.sweep.dir={tmp_path}", *overrides]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(f"*/{MARKER}")) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal: the parent and its workers
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0

    tables = collect.collect(tmp_path)
    finished = tables.runs["run"].tolist()
    assert 1 <= len(finished) < 6, stderr
    assert len(finished) + len(tables.incomplete) == 6
    for run, _, _ in tables.incomplete:
        assert not (tmp_path / run.path / MARKER).exists()
    mtimes = {name: (tmp_path / name / "summary.json").stat().st_mtime_ns for name in finished}

    result = sweep(tmp_path, *overrides, launcher="basic")
    assert result.returncode == 0, result.stderr
    assert f"6 runs: {len(finished)} complete already" in result.stdout
    progress = [line for line in result.stderr.splitlines() if "runs done" in line]
    assert len(set(progress)) >= 2  # the line is updated as runs finish
    assert len(collect.collect(tmp_path).runs) == 6
    for name, mtime in mtimes.items():
        assert (tmp_path / name / "summary.json").stat().st_mtime_ns == mtime


def test_a_bad_value_stops_the_sweep_before_any_run(tmp_path):
    result = sweep(tmp_path, "days=5", "scenario.owner_share=0.5,1.5")
    assert result.returncode != 0
    assert "scenario.owner_share = 1.5: must be a share in [0, 1]" in result.stderr
    assert "Traceback" not in result.stderr
    assert not tmp_path.joinpath(MANIFEST).exists()
    assert not any(tmp_path.iterdir())


def test_figures_are_drawn_for_policy_staff(tiny):
    folder, _ = tiny
    assert compare.main([str(folder)]) == 0
    names = {"outcome_final_household_coverage", "outcome_complaints_per_1000",
             "outcome_gini_access", "trajectory_household_coverage",
             "trajectory_complaints_per_1000_to_date", "tradeoff"}
    for name in names:
        assert (folder / "figures/en" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<svg" in (folder / "figures/en" / f"{name}.svg").read_bytes()[:2000]
    table = pd.read_csv(folder / "outcomes.csv")
    assert {"mean", "low", "high", "n"} <= set(table.columns)
    for column in ("mean", "low", "high"):
        assert pd.api.types.is_float_dtype(table[column]), column
    coverage = table[table["outcome"] == "final_household_coverage"]
    assert (coverage["low"] <= coverage["mean"]).all()
    assert (coverage["mean"] <= coverage["high"]).all()
    assert set(coverage["arm_zh"]) == {"现状（先到先停）", "一户一车+购房优先"}


def test_chinese_figures_use_a_cjk_font_or_fall_back_to_english(tiny):
    folder, _ = tiny
    from sim.views.figures.fonts import cjk_family

    if cjk_family() is None:
        with pytest.warns(UserWarning, match="fonts-noto-cjk"):
            assert compare.main([str(folder), "lang=zh"]) == 0
        assert not (folder / "figures/zh").exists()
    else:
        assert compare.main([str(folder), "lang=zh"]) == 0
        assert (folder / "figures/zh/tradeoff.png").is_file()


@pytest.mark.parametrize("tool", [collect, compare])
def test_a_folder_that_is_not_a_sweep_is_a_clear_error(tool, tmp_path, capsys):
    assert tool.main([str(tmp_path)]) == 2
    assert f"{tmp_path} has no {MANIFEST}: expected a sweep folder" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_a_single_run_with_replicates_writes_a_folder_per_seed(tmp_path):
    command = [sys.executable, "-m", "sim.run", "days=5", "seed=3", "replicates=2",
               f"hydra.run.dir={tmp_path}"]
    first = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    for seed in (3, 4):
        assert (tmp_path / f"seed={seed}" / MARKER).is_file()
        assert f"seed {seed}" in first.stdout and str(tmp_path / f"seed={seed}") in first.stdout
    again = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert f"already complete, not run again: {tmp_path}" in again.stdout


def one_line_error(result) -> str:
    """The sweep's one-line error (status 2, no traceback)."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    return line


def test_seeds_closer_than_replicates_are_refused_not_run_twice(tmp_path):
    line = one_line_error(sweep(tmp_path, "days=5", "seed=0,1", "replicates=2",
                               launcher="basic"))
    assert line.startswith("error: seed = 0,1: with replicates = 2 each job runs seeds seed … "
                           "seed+1, so seed 1 would run twice; give seeds 2 apart")
    assert list(tmp_path.iterdir()) == []


def test_a_sweep_that_selects_nothing_is_an_error(tmp_path):
    line = one_line_error(sweep(tmp_path, "days=5", "seed=range(0,0)", launcher="basic"))
    assert line == "error: seed = 'range(0,0)': selects no value"
    assert list(tmp_path.iterdir()) == []


def test_a_second_sweep_into_a_busy_folder_stops_at_once(tmp_path):
    from filelock import FileLock

    with FileLock(tmp_path / ".lock"):
        line = one_line_error(sweep(tmp_path, *TINY, launcher="basic"))
    assert line == (f"error: hydra.sweep.dir = '{tmp_path}': another sweep is running into "
                    "this folder; wait for it to end (then run this command to resume) or "
                    "choose another folder")
    assert not (tmp_path / MANIFEST).exists()


def test_a_damaged_run_is_named_left_out_and_run_again(tiny, tmp_path, capsys):
    folder, _ = tiny
    copy = tmp_path / "sweep"
    shutil.copytree(folder, copy)
    truncated, garbled = copy / NAMES[1], copy / NAMES[2]
    series = (truncated / "timeseries.parquet").read_bytes()
    (truncated / "timeseries.parquet").write_bytes(series[: len(series) // 2])
    (garbled / "summary.json").write_text("{")

    assert collect.main([str(copy), "series=true"]) == 0
    err = capsys.readouterr().err
    assert f"{NAMES[1]}: corrupt (timeseries.parquet does not match its checksum)" in err
    assert f"{NAMES[2]}: corrupt (summary.json does not match its checksum)" in err
    assert pd.read_parquet(copy / "runs.parquet")["run"].tolist() == [NAMES[0], NAMES[3]]
    assert set(pd.read_parquet(copy / "series.parquet")["run"]) == {NAMES[0], NAMES[3]}

    result = sweep(copy, *TINY, launcher="basic")
    assert result.returncode == 0, result.stderr
    assert "4 runs: 2 complete already, 2 to run in 2 jobs" in result.stdout
    assert_frame_equal(table(copy), table(folder))


def test_collect_reads_a_multirun_of_hydra_s_own_sweeper(tiny, tmp_path):
    folder, _ = tiny
    result = sweep(tmp_path, *TINY, "hydra/sweeper=basic", launcher="basic")
    assert result.returncode == 0, result.stderr
    runs = table(tmp_path)
    assert runs["run"].tolist() == ["0", "1", "2", "3"]
    by_config = ["allocation", "seed"]
    assert_frame_equal(
        runs.drop(columns="run").sort_values(by_config).reset_index(drop=True),
        table(folder).drop(columns="run").sort_values(by_config).reset_index(drop=True))


def test_collect_reads_a_multirun_of_an_optimising_sweeper(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper",
                        reason="the analysis extra is not installed: pip install -e '.[analysis]'")
    result = sweep(tmp_path, "days=5", "hydra/sweeper=optuna", "hydra.sweeper.n_trials=3",
                   "hydra.sweeper.n_jobs=1", "hydra.sweeper.sampler.seed=0",
                   "hydra.sweeper.direction=maximize",
                   "objective=final_household_coverage",
                   "scenario.lead_share=interval(0,1)", launcher="basic")
    assert result.returncode == 0, result.stderr
    runs = collect.collect(tmp_path).runs
    assert runs["run"].tolist() == ["0", "1", "2"]
    assert runs["scenario.lead_share"].between(0, 1).all()
    assert runs["scenario.lead_share"].nunique() == 3
    best = yaml.safe_load((tmp_path / "optimization_results.yaml").read_text())
    assert best["best_value"] == pytest.approx(runs["final_household_coverage"].max())


def test_a_full_disk_fails_only_the_runs_it_hits_and_the_sweep_resumes(tiny, tmp_path):
    """A 100 kB disk holds two or three of the four runs: the others fail like any run that
    raises, and the same command on a larger disk finishes the sweep."""
    if not shutil.which("unshare") or subprocess.run(
            ["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot make a mount namespace (unshare -m) for a small disk")
    folder, _ = tiny
    disk = tmp_path / "disk"
    disk.mkdir()
    command = shlex.join([sys.executable, "-m", "sim.run", "-m", "hydra/launcher=basic",
                          f"hydra.sweep.dir={disk / 'sweep'}", *TINY])
    script = (f"mount -t tmpfs -o size=100k tmpfs {disk} || exit 97\n"
              f"{command} > {tmp_path}/first.out 2> {tmp_path}/first.err\n"
              f"echo $? > {tmp_path}/first.rc\n"
              f"mount -o remount,size=10m {disk}\n"
              f"{command} > {tmp_path}/again.out 2> {tmp_path}/again.err\n"
              f"echo $? > {tmp_path}/again.rc\n"
              f"cp -r {disk / 'sweep'} {tmp_path / 'copy'}\n")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    if done.returncode == 97:
        pytest.skip(f"cannot mount a small tmpfs: {done.stderr.strip()}")

    def read(name: str) -> str:
        return (tmp_path / name).read_text()

    first = read("first.err")
    assert read("first.rc").strip() == "1", first
    assert "Traceback" not in first
    assert "runs did not finish" in first and "No space left on device" in first
    assert read("again.rc").strip() == "0", read("again.err")
    assert re.search(r"4 runs: [1-3] complete already", read("again.out"))
    assert_frame_equal(table(tmp_path / "copy"), table(folder))
    assert not list((tmp_path / "copy").rglob(FAILED))
