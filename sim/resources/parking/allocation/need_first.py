"""Need first: households with an elderly or disabled member, then one car per household."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.estate.state import Cars, Households
from sim.resources.parking.allocation import AllocationRule
from sim.rules.registry import register


@register
class NeedFirst(AllocationRule):
    """First cars of households with special need, then other first cars, then second cars;
    ties drawn at random.

    Source: priority for the elderly and disabled is common in community parking rules
    (适老化/无障碍优先); a counterfactual to tenure-based priority.
    """

    en = "Special needs first"
    zh = "特殊需求优先"

    @dataclass
    class Params:
        name: str = "need_first"

    def priority(self, households: Households, cars: Cars, rng: np.random.Generator) -> np.ndarray:
        """Key = class + tie-break (see :meth:`classes`)."""
        return self.classes(households, cars) + rng.random(len(cars))

    def classes(self, households: Households, cars: Cars) -> np.ndarray:
        """2·[second car] + [no special need]."""
        return 2 * np.minimum(cars.rank, 1) + ~households.special_need[cars.household]
