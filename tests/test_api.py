"""The notebook path: sim.simulate, the keyword constructor, Mesa's batch_run, the tutorial,
and the API reference built from the docstrings."""

import subprocess
import sys
from pathlib import Path

import mesa
import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient
from pandas.testing import assert_frame_equal

import sim
from sim.compose import load_config
from sim.config import ConfigError
from sim.model import CommunityModel
from sim.model import simulate as run_config

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ["scenario=sanhuqiao", "days=20", "seed=3", "allocation=lottery"]


def test_simulate_gives_the_run_the_command_line_config_gives():
    series, model = sim.simulate(scenario="sanhuqiao", days=20, seed=3, allocation="lottery")
    assert model.config == load_config(SETTINGS)
    assert series["day"].tolist() == list(range(1, 21))
    assert_frame_equal(series, run_config(load_config(SETTINGS)).timeseries())


def test_keywords_reach_nested_keys_and_mistakes_name_the_key():
    model = CommunityModel(scenario="sanhuqiao", scenario__lead_share=0.0,
                           **{"behaviour.frictions.stranger_tolerance": 0.9})
    assert model.config.scenario.lead_share == 0.0
    assert model.config.behaviour.frictions.stranger_tolerance == 0.9
    with pytest.raises(ConfigError, match=r"^scenario.owner_share = 1.5: must be a share"):
        CommunityModel(scenario__owner_share=1.5)
    with pytest.raises(ConfigError, match=r"^scenario.nosuch = '1': Key 'nosuch' not in"):
        CommunityModel(scenario__nosuch=1)
    with pytest.raises(TypeError, match="a config or keyword settings, not both"):
        CommunityModel(load_config(), seed=1)


def test_batch_run_runs_the_research_model_seed_by_seed():
    results = pd.DataFrame(mesa.batch_run(
        CommunityModel, parameters={"scenario": "sanhuqiao", "allocation": "lottery"},
        rng=[3, 4], max_steps=20, display_progress=False))
    assert results["rng"].tolist() == [3, 4]
    for row in results.to_dict("records"):
        series, _ = sim.simulate(scenario="sanhuqiao", days=20, seed=row["rng"],
                                 allocation="lottery")
        assert row["car_coverage"] == series["car_coverage"].iloc[-1]
    with pytest.raises(ConfigError, match="^rng = None: give seeds"):
        mesa.batch_run(CommunityModel, parameters={"scenario": "sanhuqiao"}, max_steps=2,
                       display_progress=False)


def test_the_tutorial_runs_from_top_to_bottom(tmp_path):
    notebook = nbformat.read(ROOT / "docs" / "tutorial.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert not any(cell.outputs for cell in code), "commit the tutorial without outputs"
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [output for cell in code for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert any("image/png" in output.get("data", {}) for output in outputs)
    printed = "".join(output.get("text", "") for output in outputs)
    assert "(95 % CI over 5 paired seeds)" in printed


def test_the_api_reference_is_built_from_the_docstrings(tmp_path):
    subprocess.run([sys.executable, "-m", "pdoc", "-o", str(tmp_path), "sim",
                    "hydra_plugins.shangliang_sweeper"], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    page = (tmp_path / "sim" / "api.html").read_text(encoding="utf-8")
    assert "Build a model from keyword settings" in page
    for module in ("model", "config", "run", "collect", "limits",
                   "resources/parking/allocation/lottery"):
        assert (tmp_path / "sim" / f"{module}.html").is_file(), module
    assert (tmp_path / "hydra_plugins" / "shangliang_sweeper" / "resumable_sweeper.html").is_file()
