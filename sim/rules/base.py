"""The interfaces every governance rule implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.state import Cars, Households


class Rule:
    """A governance rule: a named, parameterised policy of one group.

    Subclasses set ``group``, define a ``Params`` dataclass whose ``name`` defaults to the
    module's name, and are registered with :func:`sim.rules.registry.register`.
    """

    group: ClassVar[str]
    name: ClassVar[str]
    zh: ClassVar[str] = ""

    @dataclass
    class Params:
        name: str = ""

    def __init__(self, params: Params):
        self.params = params


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
