"""Remove illegal construction and open service spaces (拆除违建, 六空间一站)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import bounded, count, positive, share
from sim.estate.state import Households
from sim.resources.parking.supply import SupplyMeasure
from sim.rules.registry import register


@register
class RemoveIllegalConstruction(SupplyMeasure):
    """Tear down ``scenario.supply.illegal_construction_m2`` of illegal structures (Shiyou
    compound: 550 m²) and turn the space into service spaces for every age group. Everyone
    gains services worth ``service_value`` at full level, the level being
    area / (area + ``half_level_m2``). The structures belong to the first
    ``affected_units`` property-right units: a ``user_share`` of their households use them
    and lose ``user_loss``, less the compensation the proposal offers.

    Source: the "six spaces and one station" (六空间一站) of the Shiyou compound (石油大院),
    agreed by four property-right units after repeated rounds of discussion (反复式商量).
    """

    en = "Remove illegal building, open service spaces"
    zh = "拆除违建+六空间一站"
    count_key = "illegal_construction_m2"
    loss_reason = "structures_removed"

    @dataclass
    class Params:
        name: str = "remove_illegal_construction"
        delay_days: int = count(90)
        cost: float = bounded(300000.0, 0.0, 1e9)
        affected_units: int = count(1, minimum=1)
        user_share: float = share(0.45)
        user_loss: float = bounded(0.8, 0.0, 10.0)
        service_value: float = bounded(0.3, 0.0, 10.0)
        half_level_m2: float = positive(500.0)

    def level(self) -> float:
        """The public-service level the cleared area supports, in [0, 1)."""
        return self.area / (self.area + self.params.half_level_m2)

    def prepare(self, scenario, households: Households, rng: np.random.Generator) -> None:
        """Note the area to clear; draw the households who use the illegal structures."""
        self.area = getattr(scenario.supply, self.count_key)
        affected = households.unit < self.params.affected_units
        self.users = affected & (rng.random(len(households)) < self.params.user_share)

    def expected_gain(self, households: Households) -> float:
        """Services for all."""
        return self.params.service_value * self.level()

    def loss(self, households: Households, compensation: float) -> np.ndarray:
        """The structures' users lose their use, less the compensation."""
        return self.params.user_loss * (1.0 - compensation) * self.users

    def start(self, committee, spaces: np.ndarray) -> None:
        """The structures come down; the service spaces open."""
        committee.amenity = max(committee.amenity, self.level())

    def changes_common_parts(self) -> bool:
        """Turning the space into service spaces changes the use of common parts."""
        return True
