"""Tenure rules: how long a permit lasts and when freed spaces are handed out again
(configs/tenure/)."""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from sim.rules.base import Rule


class Event(Enum):
    """Things that happen to a permit holder (see :mod:`sim.estate.events`)."""

    CAR_SOLD = "car_sold"  # the household has fewer active cars than permits
    MOVED_OUT = "moved_out"  # the household left; a new one lives in the flat
    TURNED_ZOMBIE = "turned_zombie"  # a car was abandoned (僵尸车)
    VIOLATION = "violation"  # the holder broke the parking rules


class TenureRule(Rule):
    """Decides which events cost a household its permits and how often free spaces are
    reallocated from the waiting list."""

    group: ClassVar[str] = "tenure"

    def reclaims(self, event: Event) -> bool:
        """Whether the permits concerned by ``event`` go back to the committee."""
        raise NotImplementedError

    def reallocation_days(self) -> int | None:
        """Days between reallocations of free spaces to the waiting list (None: only when new
        spaces open)."""
        raise NotImplementedError
