"""Supply measures: ways the committee finds more spaces (configs/supply/, a list).

Each measure starts ``delay_days`` after the rule package is adopted and costs ``cost`` yuan
once; how many spaces it adds is a scenario value (``scenario.supply``), not a constant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

import numpy as np

from sim.estate.state import Households, SpaceKind
from sim.rules.base import Rule

if TYPE_CHECKING:
    from sim.config import ScenarioConfig


class Works(Protocol):
    """What a measure asks of the committee that runs it
    (:class:`~sim.resources.parking.committee.Committee`)."""

    amenity: float
    """The level of service spaces opened so far, in [0, 1]."""

    def open_spaces(self, spaces: np.ndarray) -> None:
        """Open spaces (indices) and hand out permits on them."""

    def close_spaces(self, spaces: np.ndarray) -> None:
        """Close spaces (indices); their permits wait for the reopening."""

    def clear_zombies(self) -> None:
        """Tow every zombie car."""


class SupplyMeasure(Rule):
    """A measure that adds spaces of one kind, or acts on the cars (e.g. clears zombies)."""

    group: ClassVar[str] = "supply"
    adds: ClassVar[SpaceKind | None] = None
    """The kind of space the measure adds (None: it adds none)."""
    count_key: ClassVar[str] = ""
    """The field of ``scenario.supply`` that says how many."""
    loss_reason: ClassVar[str | None] = None
    """What the households that :meth:`loss` names lose, as an objection's reason (None:
    the measure costs nobody anything beyond parking)."""

    def added(self, scenario: ScenarioConfig) -> int:
        """How many spaces the measure adds in this scenario."""
        return getattr(scenario.supply, self.count_key) if self.adds is not None else 0

    def prepare(
        self, scenario: ScenarioConfig, households: Households, rng: np.random.Generator
    ) -> None:
        """Set-up once the population exists (by default nothing)."""

    def expected_gain(self, households: Households) -> np.ndarray | float:
        """What every household expects to gain from the measure beyond parking, on the scale
        of the opinion anchor (a parking space for one car = 1); 0 by default."""
        return 0.0

    def loss(self, households: Households, compensation: float) -> np.ndarray | float:
        """What the households the measure hurts expect to lose (≥ 0, same scale), less the
        ``compensation`` share of it the proposal offers to make good; 0 by default."""
        return 0.0

    def start(self, committee: Works, spaces: np.ndarray) -> None:
        """Take effect: by default open the measure's ``spaces`` (indices)."""
        committee.open_spaces(spaces)

    def month(self, committee: Works, spaces: np.ndarray, rng: np.random.Generator) -> None:
        """Monthly upkeep once started (by default nothing)."""
