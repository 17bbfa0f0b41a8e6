"""Flat: one monthly price for every space."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import bounded
from sim.estate.state import Spaces, Use
from sim.resources.parking.pricing import PricingRule
from sim.rules.registry import register


@register
class Flat(PricingRule):
    """Every space is a fixed permit at ``monthly_price``; a space nobody holds is let night
    by night at ``night_price``.

    Source: the single monthly parking fee most estates charge.
    """

    en = "One flat price"
    zh = "统一价格"
    permit_price_fields = ("monthly_price",)

    @dataclass
    class Params:
        name: str = "flat"
        monthly_price: float = bounded(100.0, 0.0, 1e6)
        night_price: float = bounded(0.0, 0.0, 1e6)

    def classify(self, spaces: Spaces, rng: np.random.Generator) -> None:
        """All fixed, one price."""
        spaces.use[:] = Use.FIXED
        spaces.price[:] = self.params.monthly_price

    def permit_price(self) -> float:
        """The monthly price."""
        return self.params.monthly_price

    def night_price(self) -> float:
        """As configured."""
        return self.params.night_price

    def changes_common_parts(self) -> bool:
        """Charging for spaces on common land uses it for business."""
        return self.params.monthly_price > 0 or self.params.night_price > 0
