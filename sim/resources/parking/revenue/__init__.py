"""Revenue rules: what happens to parking income, and to trust in the committee
(configs/revenue/)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.rules.base import Rule


@dataclass
class Accounts:
    """The parking accounts the committee keeps, in yuan."""

    income: float = 0.0  # this month: permit fees and nightly lets
    costs: float = 0.0  # this month: management and supply measures
    balance: float = 0.0  # running surplus not yet spent
    public_good_stock: float = 0.0  # value of public goods funded so far, net of wear
    public_good_spent: float = 0.0  # total ever spent on public goods


class RevenueRule(Rule):
    """Closes the parking accounts each month: may fund public goods and changes trust."""

    group: ClassVar[str] = "revenue"

    def close_month(self, accounts: Accounts, trust: np.ndarray) -> float:
        """Book the month, update ``trust`` in place; return the public-good level in [0, 1]."""
        raise NotImplementedError

    def book(self, accounts: Accounts) -> None:
        """Charge the month's management cost and carry income less costs to the balance."""
        accounts.costs += self.params.management_cost
        accounts.balance += accounts.income - accounts.costs
