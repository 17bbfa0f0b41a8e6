"""Opaque: parking income is collected but its use is not published."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import bounded, share
from sim.resources.parking.revenue import Accounts, RevenueRule
from sim.rules.registry import register


@register
class Opaque(RevenueRule):
    """Income and costs go to an unpublished balance; nothing visibly returns to residents,
    and each month in which fees are charged trust in the committee erodes by
    ``trust_erosion`` of its level.

    Source: the situation the article's "透明监管" rule was designed to end.
    """

    en = "Accounts not published"
    zh = "不公开"

    @dataclass
    class Params:
        name: str = "opaque"
        management_cost: float = bounded(2000.0, 0.0, 1e9)
        trust_erosion: float = share(0.02)

    def close_month(self, accounts: Accounts, trust: np.ndarray) -> float:
        """Book the month; erode trust if anything was charged; no public goods."""
        self.book(accounts)
        if accounts.income > 0:
            trust *= 1.0 - self.params.trust_erosion
        return 0.0
