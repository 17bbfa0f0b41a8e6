"""One car per household, home-buyers first (一户一车+购房优先)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.estate.state import Cars, Households
from sim.resources.parking.allocation import AllocationRule
from sim.rules.registry import register


@register
class OneCarOwnerFirst(AllocationRule):
    """Every household's first car before any second car; within each round, households that
    bought their home first, then other owners, then tenants; ties drawn at random.

    Source: the rule Xiaonanzhuang's parking self-governance committee (停车自管会) adopted.
    """

    en = "One car per household, home-buyers first"
    zh = "一户一车+购房优先"

    @dataclass
    class Params:
        name: str = "one_car_owner_first"

    def priority(self, households: Households, cars: Cars, rng: np.random.Generator) -> np.ndarray:
        """Key = class + tie-break (see :meth:`classes`)."""
        return self.classes(households, cars) + rng.random(len(cars))

    def classes(self, households: Households, cars: Cars) -> np.ndarray:
        """3·[second car] + tenure class: 0 bought, 1 other owner, 2 tenant."""
        home = cars.household
        tenure_class = np.where(households.bought[home], 0, np.where(households.owner[home], 1, 2))
        return 3 * np.minimum(cars.rank, 1) + tenure_class
