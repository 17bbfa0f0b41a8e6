"""Cutting a district study into cluster tasks: the arithmetic of sim.packing."""

import math

import pytest

from sim import packing
from sim.estate.district import block_members


def test_a_task_lasts_about_the_wanted_minutes():
    study = packing.plan(662, 10, 30, run_seconds=0.2, task_minutes=5)
    assert study.blocks == round(662 * 30 * 0.2 / 300)  # 13 blocks of the district's work
    assert study.tasks == 10 * study.blocks
    assert study.runs_per_task == math.ceil(662 / study.blocks) * 30
    assert 4 <= study.task_seconds / 60 <= 6


def test_the_blocks_cover_every_community_once_and_the_largest_task_is_planned():
    study = packing.plan(662, 10, 30, run_seconds=0.2, task_minutes=5)
    members = [block_members(662, b, study.blocks) for b in range(study.blocks)]
    assert sorted(c for block in members for c in block) == list(range(662))
    assert max(map(len, members)) * 30 == study.runs_per_task


def test_an_array_never_exceeds_the_task_limit():
    study = packing.plan(662, 10, 30, run_seconds=0.2, task_minutes=0.01, max_tasks=1000)
    assert study.tasks <= 1000 and study.blocks == 100


def test_more_cores_than_tasks_get_shorter_tasks_in_one_wave():
    few = packing.plan(662, 10, 30, run_seconds=0.2, task_minutes=5, cores=2)
    many = packing.plan(662, 10, 30, run_seconds=0.2, task_minutes=5, cores=256)
    assert many.tasks <= 256 < 2 * many.tasks
    assert many.wall_seconds(256) == many.task_seconds < few.task_seconds


def test_wall_time_is_waves_of_the_largest_task():
    study = packing.Plan(blocks=3, tasks=30, runs_per_task=10, task_seconds=60.0)
    assert study.wall_seconds(1) == 30 * 60.0
    assert study.wall_seconds(29) == 2 * 60.0
    assert study.wall_seconds(30) == study.wall_seconds(300) == 60.0


def test_one_community_never_splits():
    study = packing.plan(1, 1, 1, run_seconds=100.0, task_minutes=1)
    assert (study.blocks, study.tasks, study.runs_per_task) == (1, 1, 1)


@pytest.mark.parametrize("argv", [[], ["run_seconds=0"], ["run_seconds=0.2", "colour=red"],
                                  ["run_seconds=0.2", "rule_sets=2000"], ["run_seconds"],
                                  ["run_seconds=0.2", "start_seconds=-1"]])
def test_bad_settings_are_one_line_errors(argv, capsys):
    assert packing.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_the_command_prints_a_plan_per_core_count(capsys):
    assert packing.main(["run_seconds=0.2", "cores=2,256"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "district.blocks=13 " in lines[0]


def test_a_task_s_start_adds_to_its_length_once():
    bare = packing.plan(100, 2, 10, run_seconds=0.5, task_minutes=1)
    started = packing.plan(100, 2, 10, run_seconds=0.5, task_minutes=1, start_seconds=7.0)
    assert started.blocks == bare.blocks
    assert started.task_seconds == bare.task_seconds + 7.0


def test_help_prints_the_usage(capsys):
    assert packing.main(["--help"]) == 0
    assert "python -m sim.packing run_seconds=" in capsys.readouterr().out
