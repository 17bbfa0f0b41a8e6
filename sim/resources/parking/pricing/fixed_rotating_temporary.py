"""Fixed + rotating + temporary (固定+轮转+临时)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import ConfigError, bounded, count, share
from sim.estate.state import SpaceKind, Spaces, Use
from sim.resources.parking.pricing import PricingRule
from sim.rules.registry import register


@register
class FixedRotatingTemporary(PricingRule):
    """Three classes of space, each with its own fee: fixed spaces held under a permit,
    rotating spaces that pass along the waiting list every ``rotation_days``, and temporary
    spaces let night by night to cars without a permit (second cars) and visitors.
    Roadside permit spaces are always fixed; the other spaces are split by the shares.

    Source: the classification and pricing rule of Xiaonanzhuang's parking committee.
    """

    en = "Fixed + rotating + temporary spaces"
    zh = "固定+轮转+临时"
    permit_price_fields = ("fixed_price", "rotating_price")

    @dataclass
    class Params:
        name: str = "fixed_rotating_temporary"
        fixed_share: float = share(0.6)
        rotating_share: float = share(0.25)
        temporary_share: float = share(0.15)
        fixed_price: float = bounded(150.0, 0.0, 1e6)
        rotating_price: float = bounded(100.0, 0.0, 1e6)
        temporary_price: float = bounded(10.0, 0.0, 1e6)
        rotation_days: int = count(30, minimum=1)

        def check_consistency(self, prefix: str) -> None:
            """The three shares must add up to 1."""
            total = self.fixed_share + self.rotating_share + self.temporary_share
            if abs(total - 1.0) > 1e-9:
                raise ConfigError(
                    f"{prefix}.fixed_share + rotating_share + temporary_share", round(total, 6),
                    "the three class shares must sum to 1",
                )

    def classify(self, spaces: Spaces, rng: np.random.Generator) -> None:
        """Split the non-roadside spaces by the shares, at random."""
        p = self.params
        others = rng.permutation(np.flatnonzero(spaces.kind != SpaceKind.ROADSIDE))
        n_fixed = round(p.fixed_share * len(others))
        n_rotating = round(p.rotating_share * len(others))
        spaces.use[:] = Use.FIXED
        spaces.use[others[n_fixed:n_fixed + n_rotating]] = Use.ROTATING
        spaces.use[others[n_fixed + n_rotating:]] = Use.TEMPORARY
        prices = np.array([p.fixed_price, p.rotating_price, p.temporary_price])
        spaces.price[:] = prices[spaces.use]

    def permit_price(self) -> float:
        """The mean monthly price over fixed and rotating permits."""
        p = self.params
        held = p.fixed_share + p.rotating_share
        if held == 0:
            return 0.0
        return (p.fixed_share * p.fixed_price + p.rotating_share * p.rotating_price) / held

    def night_price(self) -> float:
        """The temporary fee."""
        return self.params.temporary_price

    def rotation_days(self) -> int | None:
        """As configured."""
        return self.params.rotation_days

    def changes_common_parts(self) -> bool:
        """Letting spaces on common land for fees uses it for business."""
        return True
