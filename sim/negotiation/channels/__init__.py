"""Channels: the ways to take part in a vote (configs/channels/, a list).

A voter takes part through the cheapest channel open to it (the calculus of voting's cost,
:mod:`sim.negotiation.turnout`). In person at the meeting is open to residents; a written ballot
(书面表决) only to a voter a lead or volunteer has visited before the meeting; online voting
to voters registered on the owners' e-voting platform. Owners who live elsewhere can take
part only by the last two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.rules.base import Rule


@dataclass(frozen=True)
class Reach:
    """Who could use a channel at one vote (bool per voter row, see :mod:`sim.estate.electorate`).

    Attributes:
        resident: lives in the estate.
        voter: in the decision rule's electorate.
        online: registered on the owners' e-voting platform.
        visited: a lead or volunteer came to the door with a written ballot.
    """

    resident: np.ndarray
    voter: np.ndarray
    online: np.ndarray
    visited: np.ndarray


class Channel(Rule):
    """A way to take part, with the cost of using it (in the participation logit's units)."""

    group: ClassVar[str] = "channels"
    door_to_door: ClassVar[bool] = False
    """True: ballots are collected on visits before the meeting, not on the meeting day."""

    def reaches(self, reach: Reach) -> np.ndarray:
        """Who may take part this way (bool per voter row)."""
        raise NotImplementedError

    def cost(self) -> float:
        """The cost of taking part this way."""
        return self.params.cost
