"""Lottery (摇号): permits drawn at random, redrawn every period."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import count
from sim.estate.state import Cars, Households
from sim.resources.parking.allocation import AllocationRule
from sim.rules.registry import register


@register
class Lottery(AllocationRule):
    """A random draw among first cars, then among second cars; every permit is redrawn each
    ``period_days``, so nobody keeps a space by incumbency.

    Source: lotteries are the common way Beijing estates ration scarce spaces (摇号).
    """

    en = "Lottery"
    zh = "摇号"

    @dataclass
    class Params:
        name: str = "lottery"
        period_days: int = count(180, minimum=1)

    def priority(self, households: Households, cars: Cars, rng: np.random.Generator) -> np.ndarray:
        """Key = [second car] + a uniform draw."""
        return self.classes(households, cars) + rng.random(len(cars))

    def classes(self, households: Households, cars: Cars) -> np.ndarray:
        """[second car]."""
        return np.minimum(cars.rank, 1)

    def redraw_days(self) -> int | None:
        """Every ``period_days``."""
        return self.params.period_days
