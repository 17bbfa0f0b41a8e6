"""Status quo: informal first come, first served on unassigned spaces, every night."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.estate.state import Cars, Households
from sim.resources.parking.allocation import AllocationRule
from sim.rules.registry import register


@register
class StatusQuo(AllocationRule):
    """No permits: each night the cars that come home first take the free spaces.

    Source: the situation before deliberation in Xiaonanzhuang (小南庄), where 500+ cars
    competed for 230 unassigned spaces. Arrival order is random each night.
    """

    en = "Status quo (first come, first served)"
    zh = "现状（先到先停）"
    nightly = True
    random_order = True

    @dataclass
    class Params:
        name: str = "status_quo"

    def priority(self, households: Households, cars: Cars, rng: np.random.Generator) -> np.ndarray:
        """A fresh random arrival time per car."""
        return rng.random(len(cars))

    def classes(self, households: Households, cars: Cars) -> np.ndarray:
        """One class: every car is alike."""
        return np.zeros(len(cars), dtype=np.int64)
