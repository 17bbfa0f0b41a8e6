"""Off-peak sharing with nearby units (错时共享)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import bounded, count, share
from sim.estate.state import SpaceKind
from sim.resources.parking.supply import SupplyMeasure
from sim.rules.registry import register


@register
class OffpeakSharing(SupplyMeasure):
    """Nearby office buildings and units open ``scenario.supply.shared_spaces`` spaces to
    residents at night (Xiaonanzhuang: +50). The agreement lapses with probability
    ``lapse_prob`` each month; the spaces close until it is renegotiated
    ``renegotiation_months`` later.

    Source: Xiaonanzhuang's committee, with surrounding office buildings and units.
    """

    en = "Off-peak sharing with neighbours"
    zh = "错时共享"
    adds = SpaceKind.SHARED
    count_key = "shared_spaces"

    @dataclass
    class Params:
        name: str = "offpeak_sharing"
        delay_days: int = count(90)
        cost: float = bounded(0.0, 0.0, 1e9)
        lapse_prob: float = share(0.02)
        renegotiation_months: int = count(3, minimum=1)

    def start(self, committee, spaces: np.ndarray) -> None:
        """Open the shared spaces."""
        self.lapsed_for = 0
        committee.open_spaces(spaces)

    def month(self, committee, spaces: np.ndarray, rng: np.random.Generator) -> None:
        """The agreement may lapse; a lapsed one is renegotiated after a while."""
        if self.lapsed_for:
            self.lapsed_for += 1
            if self.lapsed_for > self.params.renegotiation_months:
                self.lapsed_for = 0
                committee.open_spaces(spaces)
        elif rng.random() < self.params.lapse_prob:
            self.lapsed_for = 1
            committee.close_spaces(spaces)
