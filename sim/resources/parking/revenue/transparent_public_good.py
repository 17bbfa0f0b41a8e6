"""Transparent accounts, surplus fed back as public goods (透明监管+公益反哺)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import bounded, positive, share
from sim.resources.parking.revenue import Accounts, RevenueRule
from sim.rules.registry import register


@register
class TransparentPublicGood(RevenueRule):
    """The committee publishes its accounts every month, which moves trust toward 1 by
    ``trust_gain`` of the gap, and spends ``public_good_share`` of any positive balance on
    public goods (greening, lighting, seating). The public-good level residents feel is
    stock / (stock + ``half_level_stock``), the stock wearing out by ``wear`` a month.

    Source: the revenue rule of Xiaonanzhuang's parking self-governance committee.
    """

    en = "Open accounts, surplus to public good"
    zh = "透明监管+公益反哺"

    @dataclass
    class Params:
        name: str = "transparent_public_good"
        management_cost: float = bounded(2000.0, 0.0, 1e9)
        trust_gain: float = share(0.05)
        public_good_share: float = share(0.8)
        half_level_stock: float = positive(50000.0)
        wear: float = share(0.02)

    def close_month(self, accounts: Accounts, trust: np.ndarray) -> float:
        """Book the month, raise trust, fund public goods from the balance."""
        p = self.params
        self.book(accounts)
        trust += p.trust_gain * (1.0 - trust)
        spend = p.public_good_share * max(accounts.balance, 0.0)
        accounts.balance -= spend
        accounts.public_good_spent += spend
        accounts.public_good_stock = (1.0 - p.wear) * accounts.public_good_stock + spend
        return accounts.public_good_stock / (accounts.public_good_stock + p.half_level_stock)
