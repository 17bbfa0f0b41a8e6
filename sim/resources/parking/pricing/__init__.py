"""Pricing rules: how spaces are classified and what each class costs (configs/pricing/)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np

from sim.estate.state import Spaces
from sim.rules.base import Rule


class PricingRule(Rule):
    """Classifies every space (fixed, rotating, temporary) and sets its price."""

    group: ClassVar[str] = "pricing"
    permit_price_fields: ClassVar[tuple[str, ...]] = ()
    """The parameters that are monthly permit prices."""

    def scaled(self, factor: float) -> PricingRule:
        """The same rule with every monthly permit price multiplied by ``factor`` (a
        proposal's price term)."""
        p = self.params
        prices = {name: factor * getattr(p, name) for name in self.permit_price_fields}
        return type(self)(dataclasses.replace(p, **prices))

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
