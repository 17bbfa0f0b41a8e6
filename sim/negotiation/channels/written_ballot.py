"""Written ballots collected door to door (书面表决，入户征求意见)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.config import bounded, count
from sim.negotiation.channels import Channel, Reach
from sim.rules.registry import register


@register
class WrittenBallot(Channel):
    """Before the meeting, each building lead (with the volunteers of its stairwell or
    building) makes up to ``visits_per_lead_per_day`` visits a day to voters of its unit who
    have not yet returned a ballot, absentee owners included when it can contact them. A
    visited voter fills in the ballot at the door at ``cost`` (little: it is in hand), or
    may do so on a later visit, up to ``max_visits`` visits a meeting. Units without a lead
    are not canvassed.

    Source: written consultation (书面征求意见) is a legal form of an owners' meeting, and
    leads collecting ballots door to door is how estates reach the Civil Code's quorum.
    """

    en = "Written ballots, door to door"
    zh = "书面表决（入户）"
    door_to_door: ClassVar[bool] = True

    @dataclass
    class Params:
        name: str = "written_ballot"
        cost: float = bounded(0.0, 0.0, 20.0)
        visits_per_lead_per_day: int = count(5)
        max_visits: int = count(3)

    def reaches(self, reach: Reach) -> np.ndarray:
        """Voters a lead or volunteer has visited."""
        return reach.visited & reach.voter
