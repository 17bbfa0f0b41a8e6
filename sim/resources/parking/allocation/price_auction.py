"""Price auction: spaces go to the highest willingness to pay at a uniform clearing price."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import bounded
from sim.estate.state import Cars, Households
from sim.resources.parking.allocation import AllocationRule
from sim.rules.registry import register


@register
class PriceAuction(AllocationRule):
    """Cars bid their willingness to pay (a second car bids ``second_car_bid`` of the
    household's); the highest bids win and every winner pays the highest losing bid (a
    uniform-price auction, so bidding one's true value is the best strategy), never less than
    ``reserve_price``. Bids below the reserve are not candidates.

    Source: the market counterfactual economists propose for scarce urban parking.
    """

    en = "Price auction"
    zh = "竞价"
    sets_price = True

    @dataclass
    class Params:
        name: str = "price_auction"
        reserve_price: float = bounded(50.0, 0.0, 1e6)
        second_car_bid: float = bounded(0.5, 0.0, 1.0)

    def bids(self, households: Households, cars: Cars) -> np.ndarray:
        """Each car's bid, yuan/month."""
        wtp = households.wtp[cars.household]
        return np.where(cars.rank >= 1, self.params.second_car_bid * wtp, wtp)

    def priority(self, households: Households, cars: Cars, rng: np.random.Generator) -> np.ndarray:
        """Key = −bid (+∞ below the reserve); ties broken at random."""
        bid = self.bids(households, cars)
        key = -bid + 1e-9 * rng.random(len(cars))
        return np.where(bid >= self.params.reserve_price, key, np.inf)

    def clearing_price(
        self, households: Households, cars: Cars, winners: np.ndarray, losers: np.ndarray
    ) -> float:
        """The highest losing bid, at least the reserve price."""
        bids = self.bids(households, cars)[losers]
        return float(max(bids.max() if len(bids) else 0.0, self.params.reserve_price))
