"""Online voting on the owners' e-voting platform (线上表决)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import bounded
from sim.negotiation.channels import Channel, Reach
from sim.rules.registry import register


@register
class Online(Channel):
    """Voters registered on the owners' e-voting platform vote from wherever they are, owners
    living elsewhere included, at ``cost`` (finding the vote, logging in). Who is registered
    is a scenario value (``online_share``, ``absentee_online_share``).

    Source: Beijing's owners' e-voting platforms (业主电子投票/线上表决), which the city
    promotes so that owners' decisions can reach their quorum.
    """

    en = "Online voting"
    zh = "线上表决"

    @dataclass
    class Params:
        name: str = "online"
        cost: float = bounded(0.3, 0.0, 20.0)

    def reaches(self, reach: Reach) -> np.ndarray:
        """Registered voters."""
        return reach.online & reach.voter
