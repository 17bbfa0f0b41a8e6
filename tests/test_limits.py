"""The memory estimate matches what the model uses, and refuses what would not fit."""

import tracemalloc

import pytest
from conftest import config, run_model

from sim import metrics
from sim.config import ConfigError
from sim.limits import check_memory, memory_estimate
from sim.metrics import METRICS
from sim.model import CommunityModel


@pytest.mark.parametrize("network", [[], ["scenario.network.stairwell_ties=60"]],
                         ids=["usual ties", "dense stairwells"])
def test_the_estimate_covers_the_memory_a_model_uses(network):
    overrides = ["scenario=synthetic", "scenario.households=50000", *network]
    settings = config(*overrides)
    tracemalloc.start()  # NumPy reports its arrays to tracemalloc
    try:
        model = CommunityModel(settings)
        model.step()
        model.step()
        _, used = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    estimate = sum(size for _, size in memory_estimate(settings.scenario).values())
    print(f"estimate / measured peak = {estimate / used:.2f} ({estimate / 1e6:.0f} MB / "
          f"{used / 1e6:.0f} MB)")
    assert used <= estimate <= 2.5 * used


def test_an_estate_that_would_not_fit_is_refused_by_its_largest_part():
    scenario = config("scenario=synthetic", "scenario.households=100000",
                      "scenario.network.cross_ties=0").scenario
    with pytest.raises(ConfigError, match=r"^scenario.households = 100000: the model would "
                                          r"need about 0\.\d GB of memory; 0\.1 GB is available"):
        check_memory(scenario, available=1e8)
    dense = config("scenario=synthetic", "scenario.households=100000",
                   "scenario.network.cross_ties=100").scenario
    with pytest.raises(ConfigError, match=r"^scenario.network = 110.0: "):
        check_memory(dense, available=1e8)
    check_memory(scenario, available=1e9)


def test_summary_names_are_the_numbers_of_a_run_summary():
    model = run_model("days=3")
    h = model.households
    numbers = metrics.summarise(model.timeseries(), h.parked_nights, h.cars, 3,
                                model.config.scenario.firms)
    assert metrics.summary_names(METRICS) == list(numbers)
    assert set(numbers) <= set(model.summary())
