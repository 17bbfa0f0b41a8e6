"""Permanent: a space once allocated is kept."""

from __future__ import annotations

from dataclasses import dataclass

from sim.resources.parking.tenure import Event, TenureRule
from sim.rules.registry import register


@register
class Permanent(TenureRule):
    """A permit stays with the flat whatever happens: a household that sells its car, lets
    it rot or moves out keeps the space (a new household inherits it), so spaces can sit idle.

    Source: the first-come permanent assignment common before reform (固定车位, 终身占用).
    """

    en = "Permanent permits"
    zh = "永久占用"

    @dataclass
    class Params:
        name: str = "permanent"

    def reclaims(self, event: Event) -> bool:
        """Never."""
        return False

    def reallocation_days(self) -> int | None:
        """No periodic reallocation."""
        return None
