"""Clear zombie cars (清理僵尸车)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import bounded, count
from sim.resources.parking.supply import SupplyMeasure
from sim.rules.registry import register


@register
class ClearZombieCars(SupplyMeasure):
    """Tow every abandoned car, freeing the spaces they sat in; with ``repeat_months`` > 0
    the clearing is repeated that often.

    Source: Xiaonanzhuang's committee cleared clutter and zombie cars from the roads.
    """

    en = "Clear zombie cars"
    zh = "清理僵尸车"

    @dataclass
    class Params:
        name: str = "clear_zombie_cars"
        delay_days: int = count(30)
        cost: float = bounded(5000.0, 0.0, 1e9)
        repeat_months: int = count(6)

    def start(self, committee, spaces: np.ndarray) -> None:
        """Clear all zombie cars now."""
        self.months = 0
        committee.clear_zombies()

    def month(self, committee, spaces: np.ndarray, rng: np.random.Generator) -> None:
        """Clear again every ``repeat_months`` months."""
        self.months += 1
        if self.params.repeat_months and self.months % self.params.repeat_months == 0:
            committee.clear_zombies()
