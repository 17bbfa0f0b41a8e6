"""Re-stripe the estate's spaces (重新施划车位)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import bounded, count, share
from sim.estate.state import Households, SpaceKind
from sim.resources.parking.supply import SupplyMeasure
from sim.rules.registry import register


@register
class Restripe(SupplyMeasure):
    """Narrow spaces to the standard minimum width and re-angle them, adding
    ``scenario.supply.restripe_spaces`` on-site spaces (Xiaonanzhuang: +33). The new lines
    run along some buildings' fronts: a ``frontage_share`` of households lose the road
    frontage they used (space by the door for bicycles, a pram, a relative's car) and count
    it a loss of ``frontage_loss``, less the compensation the proposal offers.

    Source: Xiaonanzhuang's committee (the spaces); the frontage loss is assumed.
    """

    en = "Re-stripe spaces"
    zh = "重新施划"
    adds = SpaceKind.ONSITE
    count_key = "restripe_spaces"
    loss_reason = "frontage_restriped"

    @dataclass
    class Params:
        name: str = "restripe"
        delay_days: int = count(60)
        cost: float = bounded(20000.0, 0.0, 1e9)
        frontage_share: float = share(0.1)
        frontage_loss: float = bounded(0.3, 0.0, 10.0)

    def prepare(self, scenario, households: Households, rng: np.random.Generator) -> None:
        """Draw the households whose frontage the new lines take."""
        self.fronting = rng.random(len(households)) < self.params.frontage_share

    def loss(self, households: Households, compensation: float) -> np.ndarray:
        """The frontage, less the compensation."""
        return self.params.frontage_loss * (1.0 - compensation) * self.fronting

    def changes_common_parts(self) -> bool:
        """Re-striping changes the common roads."""
        return True
