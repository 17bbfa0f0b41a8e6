"""The command line: one run folder per run, clear errors for bad input, no false completions."""

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import output, run
from sim.compose import compose_config, to_run_config
from sim.metrics import METRICS
from sim.model import MEETING_COLUMNS
from sim.output import MARKER

ROOT = Path(__file__).resolve().parent.parent


def sim_run(tmp_path, *overrides, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "sim.run", f"out={tmp_path}", *overrides],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )


def run_folders(root: Path) -> list[Path]:
    return sorted(p.parent for p in Path(root).rglob("config.yaml") if p.parent.name != ".hydra")


def test_a_run_writes_a_complete_folder_and_prints_a_summary(tmp_path):
    result = sim_run(tmp_path, "days=20", "seed=3")
    assert result.returncode == 0, result.stderr
    (folder,) = run_folders(tmp_path)
    assert "car-owning households with a space" in result.stdout
    assert str(folder) in result.stdout

    series = pd.read_parquet(folder / "timeseries.parquet")
    assert series["day"].tolist() == list(range(1, 21))
    assert list(series.columns) == ["day", *METRICS]
    assert list(pd.read_parquet(folder / "meetings.parquet").columns) == list(MEETING_COLUMNS)

    summary = json.loads((folder / "summary.json").read_text())
    assert summary["seed"] == 3 and summary["days"] == 20
    assert summary["scenario"] == "xiaonanzhuang" and summary["allocation"] == "status_quo"
    assert len(summary["config_hash"]) == 64
    assert {"mesa", "numpy", "hydra-core", "python"} <= set(summary["versions"])
    assert summary["wall_seconds"] > 0
    assert summary["final_illegal_parking"] == series["illegal_parking"].iloc[-1]

    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    if head:  # run from a git checkout
        assert summary["git_commit"] == head and isinstance(summary["git_dirty"], bool)

    written = [folder / n for n in ("config.yaml", "timeseries.parquet", "meetings.parquet",
                                    "summary.json")]
    marker = folder / MARKER
    assert marker.is_file()
    assert all(marker.stat().st_mtime_ns >= f.stat().st_mtime_ns for f in written)
    assert json.loads(marker.read_text())["sha256"] == {
        f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in written}
    assert not list(folder.glob(".*.tmp"))


def test_overrides_reach_the_model(tmp_path):
    result = sim_run(tmp_path, "scenario=yuxin_garden", "allocation=one_car_owner_first",
                     "seed=7", "days=730")
    assert result.returncode == 0, result.stderr
    (folder,) = run_folders(tmp_path)
    summary = json.loads((folder / "summary.json").read_text())
    assert (summary["scenario"], summary["allocation"], summary["seed"], summary["days"]) == (
        "yuxin_garden", "one_car_owner_first", 7, 730)
    assert len(pd.read_parquet(folder / "timeseries.parquet")) == 730


def test_same_config_and_seed_give_the_same_bytes(tmp_path):
    for sub in ("a", "b"):
        assert sim_run(tmp_path / sub, "days=40", "seed=5").returncode == 0
    (a,), (b,) = run_folders(tmp_path / "a"), run_folders(tmp_path / "b")
    assert (a / "timeseries.parquet").read_bytes() == (b / "timeseries.parquet").read_bytes()
    hashes = [json.loads((f / "summary.json").read_text())["config_hash"] for f in (a, b)]
    assert hashes[0] == hashes[1]  # the output folder is not part of the config hash


def test_interrupted_run_leaves_no_completion_marker(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "sim.run", f"out={tmp_path}", "scenario=synthetic",
         "scenario.households=20000", "days=36500"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not run_folders(tmp_path) and not list(Path(tmp_path).rglob(".hydra")):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.2)
    time.sleep(1.0)
    os.kill(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert not list(Path(tmp_path).rglob(MARKER))
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("interrupted: finished runs are kept")


def test_a_disk_error_fails_its_run_even_when_the_error_cannot_be_saved(tmp_path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output, "write_parquet", full_disk)  # the run's tables
    monkeypatch.setattr(run, "write_text", full_disk)  # its FAILED file
    cfg = compose_config(["days=2", "replicates=2"])
    with pytest.raises(run.RunsFailedError) as failure:
        run.run_replicates(to_run_config(cfg), cfg, tmp_path)
    assert str(failure.value).startswith("2 of 2 runs failed")
    assert str(failure.value).count("its error could not be saved in FAILED") == 2
    assert failure.value.__context__ is None  # one error, not a chain of them
    assert not list(tmp_path.rglob(MARKER))
