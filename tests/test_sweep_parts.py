"""The parts of a sweep on their own: folder names, the manifest, run states, progress."""

import io

import pytest

from sim.cli import settings_parser
from sim.output import write_run
from sim.progress import Progress, clock
from sim.sweep import (
    FAILED,
    MANIFEST,
    NotASweepError,
    Run,
    folder_name,
    job_runs,
    read_manifest,
    run_state,
    update_manifest,
)


def test_folder_names_are_sorted_overrides():
    assert folder_name({"seed": "1", "allocation": "lottery"}) == "allocation=lottery,seed=1"
    with pytest.raises(ValueError, match="not a valid folder name"):
        folder_name({"out": "a/b"})
    with pytest.raises(ValueError, match="at most 255 bytes"):
        folder_name({f"behaviour.opinion.key{i}": "0.123456" for i in range(10)})


def test_replicates_go_to_seed_folders_inside_the_job_folder():
    assert job_runs("a=1", {"a": "1"}, seed=0, replicates=1) == [
        Run("a=1", {"a": "1", "seed": "0"})]
    assert [run.path for run in job_runs("a=1", {"a": "1"}, seed=5, replicates=3)] == [
        "a=1/seed=5", "a=1/seed=6", "a=1/seed=7"]


def test_the_manifest_keeps_every_run_a_folder_was_asked_for(tmp_path):
    with pytest.raises(NotASweepError, match=f"has no {MANIFEST}"):
        read_manifest(tmp_path)
    first = [Run("a=1", {"a": "1"}), Run("a=2", {"a": "2"})]
    assert update_manifest(tmp_path, first) == first
    more = [Run("a=2", {"a": "2"}), Run("a=3", {"a": "3"})]
    assert [run.path for run in update_manifest(tmp_path, more)] == ["a=1", "a=2", "a=3"]
    assert read_manifest(tmp_path)[2] == Run("a=3", {"a": "3"})


def test_a_run_is_complete_only_with_its_marker(tmp_path):
    assert run_state(tmp_path / "never") == "missing"
    write_run(tmp_path / "done", "seed: 0\n", {}, {"seed": 0})
    assert run_state(tmp_path / "done") == "complete"
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "summary.json").write_text("{}")
    assert run_state(tmp_path / "half") == "missing"
    (tmp_path / "half" / FAILED).write_text("Traceback ...\nValueError: boom\n")
    assert run_state(tmp_path / "half") == "failed"


def test_progress_counts_finished_runs_and_estimates_the_rest(tmp_path):
    runs = [Run(f"r{i}", {}) for i in range(4)]
    stream = io.StringIO()
    with Progress(tmp_path, runs, total=6, label="s", stream=stream) as progress:
        assert "s: 2/6 runs done (33.3 %), 0 failed" in progress.line()
        assert progress.line().endswith("ETA --")
        write_run(tmp_path / "r0", "", {}, {})
        (tmp_path / "r1").mkdir()
        (tmp_path / "r1" / FAILED).write_text("boom")
        progress.poll()
        assert (progress.done, progress.failed) == (1, 1)
        assert "3/6 runs done (50.0 %), 1 failed" in progress.line()
        assert "ETA --" not in progress.line()
    assert stream.getvalue().splitlines()[-1].startswith("s: 3/6 runs done")
    assert clock(3725) == "1:02:05"


def test_settings_name_what_is_allowed(capsys):
    parse = settings_parser("demo", {"lang": ("en", "zh")})
    assert parse(["results/x"]) == ("results/x", {"lang": "en"})
    assert parse(["results/x", "lang=zh"]) == ("results/x", {"lang": "zh"})
    with pytest.raises(SystemExit) as exit_info:
        parse(["results/x", "lang=fr"])
    assert exit_info.value.code == 2
    assert "'lang=fr': allowed settings are lang=en|zh" in capsys.readouterr().err

