"""Seniority: the longest-resident households first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.estate.state import Cars, Households
from sim.resources.parking.allocation import AllocationRule, first_cars_first
from sim.rules.registry import register


@register
class Seniority(AllocationRule):
    """Households in order of years lived in the estate, longest first; with
    ``one_car_first`` every first car comes before any second car.

    Source: "先来后到" — seniority queues are a common informal norm in old work-unit estates.
    """

    en = "Longest residents first"
    zh = "按居住年限"

    @dataclass
    class Params:
        name: str = "seniority"
        one_car_first: bool = True

    def priority(self, households: Households, cars: Cars, rng: np.random.Generator) -> np.ndarray:
        """Key = (a large step for second cars) − years of residence + tie-break."""
        years = households.residence_years[cars.household]
        step = (years.max() + 2.0) if len(years) else 0.0
        rounds = first_cars_first(cars) if self.params.one_car_first else 0.0
        return step * rounds - years + 1e-6 * rng.random(len(cars))
