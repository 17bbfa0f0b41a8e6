"""Every mistake a user can make on the command line: one line naming the key and the value,
exit status 2, no traceback, and nothing written."""

import subprocess
import sys
from pathlib import Path

import pytest

from sim.run import cli

ROOT = Path(__file__).resolve().parent.parent

MISTAKES = [
    # (overrides, the key the message must name)
    ("scenario.owner_share=1.5", "scenario.owner_share"),
    ("scenario.households=-5", "scenario.households"),
    ("days=0", "days"),
    ("scenario.leads=500", "scenario.leads"),
    ("scenario.owners=900", "scenario.owners"),
    ("scenario.cars=5000", "scenario.cars"),
    ("behaviour.frictions.mediation_share=2", "behaviour.frictions.mediation_share"),
    ("allocation=lottery allocation.period_days=0", "allocation.period_days"),
    ("pricing=fixed_rotating_temporary pricing.fixed_share=0.9", "pricing.fixed_share"),
    ("package=xiaonanzhuang_2024 supply.restripe.delay_days=-1", "supply.restripe.delay_days"),
    ("scenario.supply.roadside_spaces=-3", "scenario.supply.roadside_spaces"),
    # unknown options and keys, wrong types
    ("scenario=atlantis", "scenario"),
    ("allocation=first_in_line", "allocation"),
    ("tenure=forever", "tenure"),
    ("pricing=free_for_all", "pricing"),
    ("supply=[teleport]", "supply"),
    ("package=utopia", "package"),
    ("days=abc", "days"),
    ("seed=[1,2]", "seed"),
    ("scenario.households=null", "scenario.households"),
    ("scenario.no_such_key=1", "scenario.no_such_key"),
    ("allocation=lottery allocation.period_days=soon", "allocation.period_days"),
    # what Hydra let through before
    ("+foo=1", "foo"),
    ("+scenario.nosuch=1", "scenario.nosuch"),
    ("+allocation.nosuch=1", "allocation.nosuch"),
    ("allocation=null", "allocation"),
    ("~scenario", "scenario"),
    ("scenario.label_zh=${oc.env:HOME}", "scenario.label_zh"),
    ("days=${seed}", "days"),
    ("allocation=lottery(", "allocation"),
    ("scenario.name=../../escaped", "scenario.name"),
    ("scenario.name=" + "x" * 300, "scenario.name"),
    ("--cfg job scenario.owner_share=1.5", "scenario.owner_share"),
    # sizes
    ("days=1000000000", "days"),
    ("replicates=1000000000", "replicates"),
    ("seed=9223372036854775808", "seed"),
    ("scenario=synthetic scenario.households=1000000000", "scenario.households"),
    ("scenario=synthetic scenario.households=9223372036854775808", "scenario.households"),
    ("scenario=synthetic scenario.households=5000000 scenario.network.cross_ties=1000",
     "scenario.network"),
    ("scenario.spaces=100000000000", "scenario.spaces"),
]


@pytest.mark.parametrize(("overrides", "key"), MISTAKES)
def test_a_mistake_is_one_line_naming_the_key_and_nothing_is_written(
        tmp_path, capsys, overrides, key):
    out = tmp_path / "out"
    status = cli([*overrides.split(), f"out={out}"])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err.startswith(f"error: {key}") and " = " in captured.err, captured.err
    assert len(captured.err.strip().splitlines()) == 1, captured.err
    assert captured.out == ""  # --cfg prints no config that would not run
    assert list(tmp_path.iterdir()) == []  # no run folder, nothing beside out= either


def test_an_empty_glob_stops_a_sweep_before_it_starts(tmp_path, capsys):
    assert cli(["-m", f"hydra.sweep.dir={tmp_path / 'sweep'}", "scenario=glob(nos*)"]) == 2
    assert capsys.readouterr().err.startswith("error: scenario = 'glob(nos*)': matches no option")
    assert list(tmp_path.iterdir()) == []


def run(*arguments: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim.run", *arguments], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, **kwargs)


def test_a_folder_that_cannot_be_written_is_named_in_one_line(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    result = run(f"out={blocker}", "days=2")
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: out = '{blocker}': cannot write the run there")
    assert len(result.stderr.strip().splitlines()) == 1


def test_verbose_adds_the_traceback(tmp_path):
    quiet = run(f"out={tmp_path}", "days=abc")
    loud = run(f"out={tmp_path}", "days=abc", "--verbose")
    assert quiet.returncode == loud.returncode == 2
    assert "Traceback" not in quiet.stderr and "Traceback" in loud.stderr
    assert quiet.stderr.strip().splitlines()[-1] == loud.stderr.strip().splitlines()[-1]


def test_a_bad_job_stops_a_sweep_with_one_line_naming_its_key(tmp_path):
    result = run("-m", f"hydra.sweep.dir={tmp_path / 'sweep'}", "days=2",
                 "scenario.owner_share=0.5,1.5")
    assert result.returncode == 2
    assert result.stderr.startswith("error: scenario.owner_share = 1.5: must be a share in "
                                    "[0, 1] (job days=2 scenario.owner_share=1.5)")
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("flags", "message"), [
    (["--badflag"], "error: unrecognized arguments: --badflag"),
    (["--cfg", "nonsense"], "error: argument --cfg/-c: invalid choice: 'nonsense'"),
])
def test_an_unknown_flag_is_one_line_too(capsys, flags, message):
    assert cli(flags) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and len(err.strip().splitlines()) == 1, err
