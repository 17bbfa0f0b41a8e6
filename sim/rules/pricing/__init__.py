"""Pricing rules: how spaces are classified and what each class costs (configs/pricing/)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from sim.rules.base import Rule
from sim.state import Spaces


class PricingRule(Rule):
    """Classifies every space (fixed, rotating, temporary) and sets its price."""

    group: ClassVar[str] = "pricing"

    def classify(self, spaces: Spaces, rng: np.random.Generator) -> None:
        """Write ``spaces.use`` and ``spaces.price``."""
        raise NotImplementedError

    def night_price(self) -> float:
        """Yuan per night for a space let for one night (to a resident or a visitor)."""
        raise NotImplementedError

    def permit_price(self) -> float:
        """The typical monthly price of a permit, yuan (what residents expect to pay)."""
        raise NotImplementedError

    def rotation_days(self) -> int | None:
        """Days between passes of the rotating spaces along the waiting list (None: none)."""
        return None
