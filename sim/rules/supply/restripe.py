"""Re-stripe the estate's spaces (重新施划车位)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config import bounded, count
from sim.rules.registry import register
from sim.rules.supply import SupplyMeasure
from sim.state import SpaceKind


@register
class Restripe(SupplyMeasure):
    """Narrow spaces to the standard minimum width and re-angle them, adding
    ``scenario.supply.restripe_spaces`` on-site spaces (Xiaonanzhuang: +33).

    Source: Xiaonanzhuang's committee.
    """

    en = "Re-stripe spaces"
    zh = "重新施划"
    adds = SpaceKind.ONSITE
    count_key = "restripe_spaces"

    @dataclass
    class Params:
        name: str = "restripe"
        delay_days: int = count(60)
        cost: float = bounded(20000.0, 0.0, 1e9)

    def changes_common_parts(self) -> bool:
        """Re-striping changes the common roads."""
        return True
