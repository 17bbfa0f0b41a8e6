"""A district's communities: drawn from the study seed and their index, within the assumed
distributions, turned into valid scenarios; mistakes in the district config are one-line
errors."""

import dataclasses
import math
import subprocess
import sys

import numpy as np
import pytest
from conftest import config
from sweeps import REPO

from sim.compose import load_config
from sim.config import ConfigError, check_fields
from sim.estate import district

HAIDIAN = config("district=haidian", "scenario=synthetic", "store.layout=parts")
D = HAIDIAN.district


def test_a_community_depends_only_on_the_study_seed_and_its_index():
    assert district.draw(D, 7) == district.draw(D, 7)
    assert district.draw(D, 7) != district.draw(D, 8)
    other = dataclasses.replace(D, seed=D.seed + 1, communities=10, blocks=5, block=2)
    assert district.draw(other, 7) != district.draw(D, 7)
    assert district.draw(dataclasses.replace(D, communities=10, blocks=5), 7) == (
        district.draw(D, 7))


def test_model_seeds_differ_between_communities_and_replicates():
    seeds = {district.community_seed(s, c) for s in range(5) for c in range(100)}
    assert len(seeds) == 500 and all(0 <= s < 2**63 for s in seeds)


@pytest.fixture(scope="module")
def draws():
    return [district.draw(D, i) for i in range(4000)]


def test_every_attribute_stays_within_its_distribution(draws):
    for key in ("cars_per_household", "spaces_per_car", "owner_share", "lead_share"):
        spread = getattr(D, key)
        assert all(spread.low <= d[key] <= spread.high for d in draws), key
    assert all(D.households.low <= d["households"] <= D.households.high for d in draws)
    assert all(D.year_built.low <= d["year_built"] <= D.year_built.high for d in draws)


def test_firm_situations_come_in_their_weights(draws):
    n = len(draws)
    for name, situation in D.firm_situations.items():
        share = sum(d["firm_situation"] == name for d in draws) / n
        se = math.sqrt(situation.weight * (1 - situation.weight) / n)
        assert abs(share - situation.weight) < 4 * se, name


def test_sizes_have_their_median_and_years_their_triangular_mean(draws):
    sizes = np.array([d["households"] for d in draws])
    below = np.mean(sizes < D.households.median)
    assert abs(below - 0.5) < 4 * math.sqrt(0.25 / len(draws))
    years = np.array([d["year_built"] for d in draws])
    y = D.year_built
    mean = (y.low + y.mode + y.high) / 3
    sd = math.sqrt((y.low**2 + y.mode**2 + y.high**2 - y.low * y.mode - y.low * y.high
                    - y.mode * y.high) / 18)
    assert abs(years.mean() - mean) < 4 * sd / math.sqrt(len(draws)) + 0.5  # rounded to years


@pytest.mark.parametrize("community", [0, 1, 2, 3, 41])
def test_a_community_becomes_a_valid_scenario_with_its_drawn_numbers(community):
    attributes = district.draw(D, community)
    scenario = district.scenario(D, community, HAIDIAN.scenario, attributes)
    check_fields(scenario, "scenario")
    n = attributes["households"]
    assert scenario.households == n and scenario.name == f"haidian-{community:04d}"
    assert abs(scenario.cars - attributes["cars_per_household"] * n) <= 0.5
    assert abs(scenario.spaces - attributes["spaces_per_car"] * scenario.cars) <= 0.5
    situation = D.firm_situations[attributes["firm_situation"]]
    assert scenario.initial_firm_quality == situation.quality
    assert scenario.firms == min(situation.firms, scenario.buildings)
    assert scenario.buildings == max(1, round(n / HAIDIAN.scenario.households
                                              * HAIDIAN.scenario.buildings))


@pytest.mark.parametrize(("overrides", "key"), [
    (["district.block=3", "district.blocks=3"], "district.block"),
    (["district.firm_situations.steady.weight=0.6"], "district.firm_situations"),
    (["district.owner_share.high=1.2"], "district.owner_share.high"),
    (["district.cars_per_household.low=2"], "district.cars_per_household.low"),
    (["district.year_built.mode=1900"], "district.year_built.mode"),
    (["store.layout=folders"], "store.layout"),
])
def test_a_district_mistake_names_its_key(overrides, key):
    with pytest.raises(ConfigError) as caught:
        load_config(["district=haidian", "scenario=synthetic", "store.layout=parts",
                     *overrides])
    assert caught.value.key == key


def test_the_command_line_refuses_a_district_mistake_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sim.run", "experiment=district", "district.blocks=0",
         f"hydra.run.dir={tmp_path}/run"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: district.blocks = 0: must be at least 1"]
    assert not (tmp_path / "run").exists()
