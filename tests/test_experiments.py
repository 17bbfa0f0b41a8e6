"""Experiments: every design names config keys that exist and values that pass the checks;
the Sobol and PRIM analyses recover known answers on made-up runs."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import config

DESIGNS = sorted(Path(__file__).resolve().parent.parent.glob("experiments/*/design.csv"))


@pytest.mark.parametrize("design", DESIGNS, ids=lambda p: p.parent.name)
def test_every_design_row_composes_into_a_checked_config(design):
    sweep = yaml.safe_load((design.parent / "sweep.yaml").read_text(encoding="utf-8"))
    fixed = [f"{key}={value}" for key, value in sweep["hydra"]["sweeper"]["params"].items()]
    frame = pd.read_csv(design, dtype=str)  # the values as the sweeper reads them
    numbers = pd.read_csv(design)
    lowest = {key: str(numbers[key].min()) for key in numbers}
    highest = {key: str(numbers[key].max()) for key in numbers}
    for row in (frame.iloc[0].to_dict(), frame.iloc[-1].to_dict(), lowest, highest):
        config(*fixed, *(f"{key}={value}" for key, value in row.items()))


def load_analysis(name: str):
    """An experiment's analyse.py as a module."""
    path = Path(__file__).resolve().parent.parent / "experiments" / name / "analyse.py"
    spec = importlib.util.spec_from_file_location(f"{name}_analyse", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sobol_indices_match_a_linear_models_variance_shares():
    sobol = load_analysis("sobol")
    design = sobol.sample()
    names = list(sobol.PARAMETERS)
    unit = (design - design.min()) / (design.max() - design.min())  # each input ~ U(0, 1)
    # y = 2 u0 + u1: variance shares 4/5 and 1/5, no interactions (S1 = ST), the rest 0.
    y = 2.0 * unit[names[0]] + unit[names[1]]
    runs = pd.DataFrame({"sample": np.arange(len(design)), "days": 365,
                         **{output: y for output in sobol.OUTPUTS}})
    table = sobol.indices(runs, design)
    assert sorted(table["base_samples"].unique()) == [sobol.BASE_SAMPLES // 2,
                                                       sobol.BASE_SAMPLES]
    for _, first in table[table["output"] == sobol.OUTPUTS[0]].groupby("base_samples"):
        first = first.set_index("parameter")
        assert first.loc[names[0], "ST"] == pytest.approx(0.8, abs=0.1)
        assert first.loc[names[1], "ST"] == pytest.approx(0.2, abs=0.1)
        assert first.loc[names[0], "S1"] == pytest.approx(0.8, abs=0.15)
        assert first.loc[names[2:], "ST"].abs().max() < 0.05


def test_prim_finds_the_box_where_deliberation_fails():
    discovery = load_analysis("scenario_discovery")
    design = discovery.sample()
    fails = design["scenario.lead_share"] < 0.3
    runs = pd.DataFrame({"sample": np.arange(len(design)),
                         "days_to_consensus": np.where(fails, None, 40),
                         "firm_exits": 0})
    table = discovery.boxes(runs, design).set_index(["outcome", "condition"])
    box = table.loc[("no_consensus", "scenario.lead_share")]
    assert box["high"] == pytest.approx(0.3, abs=0.05) and box["density"] >= 0.8
    assert box["coverage"] >= 0.8
    assert table.loc[("firm_exits", "never"), "share_of_runs"] == 0


def made_up_district_runs() -> pd.DataFrame:
    """Four communities × 3 seeds under the status quo and one package: the package adds 10
    points of coverage in communities with a struggling firm and nothing elsewhere."""
    rows = []
    for community, situation in enumerate(["steady", "struggling", "struggling", "fragmented"]):
        for seed in range(3):
            noise = 0.01 * seed
            for package, gain in (("none", 0.0), ("xiaonanzhuang_2024", 0.1)):
                rows.append({
                    "community": community, "seed": seed, "package": package,
                    "allocation": "status_quo", "firm_situation": situation,
                    "year_built": 1990, "spaces_per_car": 0.5, "lead_share": 0.5,
                    "households": 1000 * (community + 1), "days": 73,
                    "total_complaints": 10 * (community + 1) + seed,
                    "final_household_coverage": 0.4 + noise
                    + (gain if situation == "struggling" else 0.0),
                    "mean_fee_payment_rate": 0.8,
                })
    return pd.DataFrame(rows)


def test_the_district_analysis_finds_who_gains_and_sums_the_district():
    district = load_analysis("district")
    runs = district.with_rates(made_up_district_runs())
    table = district.district_table(runs)
    base = table[table["package"] == "none"].iloc[0]
    # per seed: (10 + 20 + 30 + 40 + 4 seed) complaints in 73 days, × 5 for a year
    assert base["complaints_year"] == pytest.approx(5 * (100 + 4 * 1))
    assert base["coverage_p50"] == pytest.approx(0.41)
    gains = district.gains_table(runs).set_index(["grouping", "kind"])
    by_firm = gains.loc["firm_situation", "coverage_change"]
    assert by_firm["struggling firm"] == pytest.approx(0.1)
    assert by_firm["steady firm"] == pytest.approx(0.0)
    assert by_firm["several firms"] == pytest.approx(0.0)
    assert gains.loc[("firm_situation", "struggling firm"), "communities"] == 2
    assert (gains["complaints_change"] == 0).all()


def test_the_district_analysis_compares_only_what_every_rule_set_has():
    district = load_analysis("district")
    runs = made_up_district_runs()
    extra = runs[(runs["package"] == "none") & (runs["community"] == 0)].assign(community=9)
    kept = district.comparable(pd.concat([runs, extra], ignore_index=True))
    assert sorted(kept["community"].unique()) == [0, 1, 2, 3]
    assert len(kept) == len(runs)
