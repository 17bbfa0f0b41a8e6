"""Allocation rules: who gets a parking space first (configs/allocation/)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from sim.rules.base import Rule
from sim.state import Cars, Households


class AllocationRule(Rule):
    """Decides which cars get parking spaces first.

    A rule gives every car a priority key (lower = served first); the parking kernel fills the
    spaces in that order, so one allocation costs one sort of one float key per car.
    """

    group: ClassVar[str] = "allocation"
    nightly: ClassVar[bool] = False
    """True: no standing permits; every night's free spaces go in this order (e.g. first come,
    first served). False: the order hands out standing permits on allocation days."""

    def priority(self, households: Households, cars: Cars, rng: np.random.Generator) -> np.ndarray:
        """A float key per car; lower keys are served first. Must not modify its inputs."""
        raise NotImplementedError
