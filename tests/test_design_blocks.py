"""A design packed into blocks (hydra.sweeper.design_blocks): each point's runs are the runs of
that point alone, whichever block runs it; the sweep makes one job per block, resumes, and
refuses what it cannot pack before any run."""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sweeps import sweep

from sim import batch, collect, designs
from sim.compose import compose_config, to_run_config
from sim.config import ConfigError
from sim.model import simulate
from sim.parts import read_parts
from sim.points import apply_point, block_points, read_points

TIMING = ["model_seconds", "wall_seconds", "cpu_seconds"]
SHORT = ["scenario=synthetic", "scenario.households=300", "days=10", "store.layout=parts",
         "replicates=2"]
ROWS = [("scenario.lead_share", "behaviour.fees.threshold_mean"),
        ("0.25", "0.45"), ("1", "0.6"), ("0.5", "0.7"), ("0", "0.5"), ("0.75", "0.4")]


@pytest.fixture
def design(tmp_path):
    path = tmp_path / "design.csv"
    path.write_text("\n".join(",".join(row) for row in ROWS) + "\n", encoding="utf-8")
    return path


def job(folder, design, block, blocks):
    """Run one packed job in this process, as the Hydra app does; return its rows."""
    cfg = compose_config([*SHORT, f"design.file={design}", f"design.blocks={blocks}",
                          f"design.block={block}"])
    return batch.run_parts(to_run_config(cfg), cfg, folder, {"scenario": "synthetic"})


def test_points_are_labelled_by_row_and_striped_over_blocks(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a\n" + "\n".join(str(i) for i in range(12)) + "\n", encoding="utf-8")
    points = read_points(path)
    assert [label for label, _ in points][:3] == ["00", "01", "02"]
    assert points[11] == ("11", {"a": "11"})
    assert [label for label, _ in block_points(points, 1, 5)] == ["01", "06", "11"]
    blocks = [block_points(points, b, 5) for b in range(5)]
    assert sorted(p for block in blocks for p, _ in block) == [p for p, _ in points]
    with pytest.raises(ConfigError, match="design.file = .*no such file"):
        read_points(tmp_path / "missing.csv")


def test_a_point_sets_typed_values_and_refuses_what_is_no_value():
    cfg = compose_config(["design.file=x.csv", "design.blocks=2", "design.block=1"])
    point = apply_point(cfg, {"scenario.lead_share": "1", "scenario.spaces": "231"})
    assert point.scenario.lead_share == 1.0 and isinstance(point.scenario.lead_share, float)
    assert point.scenario.spaces == 231
    assert point.design.file is None and point.design.blocks == 1  # a run as if alone
    assert cfg.scenario.spaces != 231 and cfg.design.file == "x.csv"  # the job's untouched
    with pytest.raises(ConfigError, match="package = 'none': is no value of the config"):
        apply_point(cfg, {"package": "none"})
    with pytest.raises(ConfigError, match="scenario = 'x': is no value"):
        apply_point(cfg, {"scenario": "x"})
    with pytest.raises(ConfigError, match="scenario.lead_share = 'many': not a value"):
        apply_point(cfg, {"scenario.lead_share": "many"})


def test_a_packed_point_holds_the_runs_of_that_point_alone(tmp_path, design):
    made = job(tmp_path / "job", design, block=1, blocks=2)
    assert [row["run"].split("/")[1] for row in made] == [
        "sample=1,seed=0", "sample=1,seed=1", "sample=3,seed=0", "sample=3,seed=1"]
    for row in made:
        values = dict(zip(ROWS[0], ROWS[1 + int(row["sample"])], strict=True))
        assert row["scenario.lead_share"] == float(values["scenario.lead_share"])
        alone_cfg = compose_config([*SHORT[:-2], f"seed={row['seed']}",
                                    *(f"{k}={v}" for k, v in values.items())])
        alone = simulate(to_run_config(alone_cfg))
        for key, value in alone.summary().items():
            if not isinstance(value, dict | list):
                assert row[key] == value or (value is None and row[key] is None), key


def test_a_point_is_the_same_whatever_block_runs_it(tmp_path, design):
    job(tmp_path / "one", design, block=0, blocks=1)
    for block in range(3):
        job(tmp_path / "three", design, block=block, blocks=3)
    one, three = (read_parts([tmp_path / name]).drop(columns=TIMING) for name in ("one", "three"))
    three = three.assign(run=three["run"].str.replace("three/", "one/"))
    assert len(one) == 5 * 2 and one["sample"].nunique() == 5
    assert_frame_equal(three.sort_values("run", ignore_index=True),
                       one.sort_values("run", ignore_index=True))
    assert one.groupby("sample")["final_support"].mean().nunique() == 5  # the points differ


def test_a_packed_sweep_equals_one_job_per_point_and_resumes(tmp_path, design):
    fixed = ("scenario=synthetic", "scenario.households=300", "days=10", "replicates=2",
             f"hydra.sweeper.design={design}")
    packed = sweep(tmp_path / "packed", *fixed, "store.layout=parts",
                   "hydra.sweeper.design_blocks=2")
    assert packed.returncode == 0, packed.stderr
    assert "10 to run in 2 jobs" in packed.stdout
    alone = sweep(tmp_path / "alone", *fixed)
    assert alone.returncode == 0, alone.stderr
    assert "10 to run in 5 jobs" in alone.stdout
    outputs = ["total_complaints", "mean_fee_payment_rate", "final_household_coverage"]
    by_point = [collect.collect(tmp_path / name).runs.sort_values(["sample", "seed"])
                for name in ("packed", "alone")]
    assert by_point[0]["sample"].tolist() == by_point[1]["sample"].tolist()
    assert_frame_equal(by_point[0][outputs].reset_index(drop=True),
                       by_point[1][outputs].reset_index(drop=True))
    means = designs.point_means(by_point[0], 5, outputs)
    assert len(means) == 5 and not means.isna().any().any()
    again = sweep(tmp_path / "packed", *fixed, "store.layout=parts",
                  "hydra.sweeper.design_blocks=2")
    assert again.returncode == 0 and "0 to run in 0 jobs" in again.stdout


@pytest.mark.parametrize(("overrides", "message"), [
    (["hydra.sweeper.design_blocks=2"], "design_blocks = 2: packs the rows of a design"),
    (["hydra.sweeper.design={design}", "hydra.sweeper.design_blocks=2"],
     "store.layout = 'folders': a packed design"),
    (["hydra.sweeper.design={design}", "hydra.sweeper.design_blocks=9", "store.layout=parts"],
     "design_blocks = 9: must be a whole number from 1 to the design's 5 rows"),
])
def test_what_cannot_be_packed_stops_the_sweep_before_any_run(tmp_path, design, overrides,
                                                             message):
    result = sweep(tmp_path / "s", "days=5",
                   *(o.format(design=design) for o in overrides))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not list((tmp_path / "s").glob("*/part-*.json"))


def test_a_bad_design_value_names_its_row_before_any_run(tmp_path, design):
    design.write_text(design.read_text() + "2,0.5\n", encoding="utf-8")  # a share of 2
    result = sweep(tmp_path / "s", "days=5", "store.layout=parts",
                   f"hydra.sweeper.design={design}", "hydra.sweeper.design_blocks=2")
    assert result.returncode == 2
    assert "scenario.lead_share = 2.0: must be a share in [0, 1] (design row 5" in result.stderr
    assert not list((tmp_path / "s").glob("*/part-*.json"))


def test_runs_table_has_the_sample_and_its_values(tmp_path, design):
    job(tmp_path / "job", design, block=0, blocks=1)
    table = pd.DataFrame(read_parts([tmp_path / "job"]))
    assert set(table["sample"]) == {"0", "1", "2", "3", "4"}
    assert sorted(table["scenario.lead_share"].unique()) == [0.0, 0.25, 0.5, 0.75, 1.0]
