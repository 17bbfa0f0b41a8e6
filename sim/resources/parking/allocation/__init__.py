"""Allocation rules: who gets a parking space first (configs/allocation/)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from sim.estate.state import Cars, Households
from sim.rules.base import Rule


class AllocationRule(Rule):
    """Decides which cars get parking spaces first.

    A rule gives every car a priority key (lower = served first; a non-finite key means "not
    a candidate"); the parking kernel fills the spaces in that order, so one allocation costs
    one sort of one float key per car.
    """

    group: ClassVar[str] = "allocation"
    nightly: ClassVar[bool] = False
    """True: no standing permits; every night's free spaces go in this order (e.g. first come,
    first served), and tenure and pricing rules have nothing to act on. False: the order hands
    out standing permits on allocation days."""
    random_order: ClassVar[bool] = False
    """True: the nightly order is uniformly random (first come, first served), so the parking
    kernel draws it for the cars still looking instead of sorting a key for every car."""

    def priority(self, households: Households, cars: Cars, rng: np.random.Generator) -> np.ndarray:
        """A float key per car; lower keys are served first. Must not modify its inputs."""
        raise NotImplementedError

    def classes(self, households: Households, cars: Cars) -> np.ndarray | None:
        """An integer class per car such that the rule orders the cars of one class only by a
        random tie-break, so they are exchangeable: each has the same chance of a space. None
        (the default) when the rule has no such classes."""
        return None

    sets_price: ClassVar[bool] = False
    """True: the rule sets the permit price from the bids (:meth:`clearing_price`)."""

    def redraw_days(self) -> int | None:
        """Days between complete redraws of every permit (None: permits are not redrawn)."""
        return None

    def clearing_price(
        self, households: Households, cars: Cars, winners: np.ndarray, losers: np.ndarray
    ) -> float:
        """The monthly price every permit holder pays, for rules that ``sets_price``.

        Args:
            winners, losers: car indices of the candidates who got and did not get a space.
        """
        raise NotImplementedError


def first_cars_first(cars: Cars) -> np.ndarray:
    """0 for a household's first active car, 1 for any further car: 一户一车 before a second."""
    return np.minimum(cars.rank, 1).astype(float)
