"""Reclaim and reallocate (车位回收+动态分配)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config import count
from sim.resources.parking.tenure import Event, TenureRule
from sim.rules.registry import register


@register
class ReclaimReallocate(TenureRule):
    """The committee takes a space back when the car is sold, the household leaves, the car
    turns zombie or its holder breaks the rules (each can be switched off), and hands free
    spaces to the waiting list every ``interval_days``.

    Source: the management rule of Xiaonanzhuang's parking self-governance committee.
    """

    en = "Reclaim and reallocate"
    zh = "车位回收+动态分配"

    @dataclass
    class Params:
        name: str = "reclaim_reallocate"
        interval_days: int = count(30, minimum=1)
        on_car_sold: bool = True
        on_moved_out: bool = True
        on_turned_zombie: bool = True
        on_violation: bool = True

    def reclaims(self, event: Event) -> bool:
        """As switched in the parameters."""
        return getattr(self.params, f"on_{event.value}")

    def reallocation_days(self) -> int | None:
        """Every ``interval_days``."""
        return self.params.interval_days
