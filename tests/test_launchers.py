"""The optional launchers for bigger machines: submitit (SLURM; tested with its local executor)
and Ray (tested against a local Ray instance confined to loopback in a network namespace).

Each must give the same runs as the model run in this process.
"""

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal
from sweeps import REPO, TINY, sweep, table

from sim.compose import load_config
from sim.model import simulate

RAY_PYTHON = Path(os.environ.get("SHANGLIANG_RAY_PYTHON", REPO / ".venv-ray/bin/python"))
"""A Python with the ``ray`` extra, kept apart from the default environment because
hydra-ray-launcher pins cloudpickle < 3, which holds joblib back (.ci/run creates it)."""


def assert_matches_in_process(folder: Path) -> None:
    """The sweep's runs are the tiny sweep's, and one of them equals an in-process run."""
    runs = table(folder)
    assert runs["run"].tolist() == [f"allocation={rule},days=5,seed={seed}"
                                    for rule in ("status_quo", "one_car_owner_first")
                                    for seed in (0, 1)]
    here = simulate(load_config(["days=5", "allocation=one_car_owner_first", "seed=1"]))
    row = runs.iloc[3]
    for key, value in here.summary().items():
        if not isinstance(value, dict | list):
            assert row[key] == value or (value is None and row[key] != row[key]), key


def test_submitit_runs_the_sweep_as_jobs_of_its_own(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher",
                        reason="the slurm extra is not installed: pip install -e '.[slurm]'")
    result = sweep(tmp_path, *TINY, "hydra.launcher.timeout_min=5", launcher="submitit_local")
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.glob(".submitit/*")), "the jobs went through submitit"
    assert_matches_in_process(tmp_path)


def ray_skip_reason() -> str | None:
    """Why the Ray test cannot run here, or None."""
    if not RAY_PYTHON.exists():
        return (f"no Python with the ray extra at {RAY_PYTHON}: python3 -m venv .venv-ray && "
                ".venv-ray/bin/pip install -e '.[ray]' (or set SHANGLIANG_RAY_PYTHON)")
    probe = [str(RAY_PYTHON), "-c", "import ray, hydra_plugins.hydra_ray_launcher"]
    if subprocess.run(probe, capture_output=True).returncode != 0:
        return f"{RAY_PYTHON} cannot import ray and hydra_plugins.hydra_ray_launcher"
    if not (shutil.which("unshare") and shutil.which("ip")):
        return "unshare or ip not found: cannot confine Ray to loopback"
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        return "cannot create a network namespace (unshare -n needs root or user namespaces)"
    return None


def ray_sweep(tmp_path: Path, folder: Path, *overrides: str) -> subprocess.CompletedProcess:
    """A sweep on a local Ray instance of two CPUs, confined to loopback."""
    reason = ray_skip_reason()
    if reason:
        pytest.skip(reason)
    home = tmp_path / "home"  # Ray writes ~/.ray/auth_token
    home.mkdir(exist_ok=True)
    command = shlex.join([
        str(RAY_PYTHON), "-m", "sim.run", "-m", "hydra/launcher=ray",
        "+hydra.launcher.ray.init.num_cpus=2", "+hydra.launcher.ray.init.include_dashboard=false",
        "+hydra.launcher.ray.init._node_ip_address=127.0.0.1", f"hydra.sweep.dir={folder}",
        *overrides,
    ])
    # Ray listens on every interface; in a new network namespace the only one is loopback.
    result = subprocess.run(
        ["unshare", "-n", "sh", "-c", f"ip link set lo up && exec {command}"], cwd=REPO,
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "HOME": str(home), "RAY_USAGE_STATS_ENABLED": "0"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Started a local Ray instance" in result.stdout + result.stderr
    return result


def test_ray_runs_the_sweep_on_a_local_ray_confined_to_loopback(tmp_path):
    ray_sweep(tmp_path, tmp_path / "sweep", *TINY)
    assert_matches_in_process(tmp_path / "sweep")


def test_ray_runs_a_district_with_the_same_rows_as_one_process(tmp_path):
    district = ("experiment=district", "days=5", "replicates=2", "district.communities=4",
                "package=none", "allocation=status_quo", "district.blocks=2",
                "district.block=range(0,2)")
    ray_sweep(tmp_path, tmp_path / "ray", *district)
    here = sweep(tmp_path / "here", *district[:-2], "district.blocks=1", "district.block=0",
                 launcher="basic")
    assert here.returncode == 0, here.stderr
    timing = ["model_seconds", "wall_seconds", "cpu_seconds"]
    ray, here = (table(tmp_path / name, timing).sort_values("run", ignore_index=True)
                 for name in ("ray", "here"))  # in the sweep's order: block by block
    versions = [column for column in ray if column.startswith("versions.")]  # its own venv
    assert_frame_equal(ray.drop(columns=versions), here.drop(columns=versions))
