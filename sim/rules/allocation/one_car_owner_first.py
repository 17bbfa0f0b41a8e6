"""One car per household, home-buyers first (一户一车+购房优先)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.rules.allocation import AllocationRule, first_cars_first
from sim.rules.registry import register
from sim.state import Cars, Households


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
        """Key = 3·[second car] + tenure class + tie-break; class 0 bought, 1 owner, 2 tenant."""
        home = cars.household
        tenure_class = np.where(
            households.bought[home], 0.0, np.where(households.owner[home], 1.0, 2.0)
        )
        return 3.0 * first_cars_first(cars) + tenure_class + rng.random(len(cars))
