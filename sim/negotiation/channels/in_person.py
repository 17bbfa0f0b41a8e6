"""In person at the community meeting (到会参加)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import bounded
from sim.negotiation.channels import Channel, Reach
from sim.rules.registry import register


@register
class InPerson(Channel):
    """Residents come to the meeting, hear the discussion and vote there if they may; tenants
    come to be heard even where they do not vote. It costs an evening: ``cost``.

    Source: the deliberation meeting (协商议事会) of the article's cases.
    """

    en = "In person at the meeting"
    zh = "到会参加"

    @dataclass
    class Params:
        name: str = "in_person"
        cost: float = bounded(0.5, 0.0, 20.0)

    def reaches(self, reach: Reach) -> np.ndarray:
        """Every resident."""
        return reach.resident
