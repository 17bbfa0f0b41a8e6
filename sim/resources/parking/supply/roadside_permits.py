"""Roadside permits for 五证合一 households (路侧停车认证)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config import bounded, count
from sim.estate.state import SpaceKind
from sim.resources.parking.supply import SupplyMeasure
from sim.rules.registry import register


@register
class RoadsidePermits(SupplyMeasure):
    """The district transport commission, answering the community's "whistle" (街乡吹哨、
    部门报到), certifies residents whose five documents match (五证合一) for
    ``scenario.supply.roadside_spaces`` roadside spaces (Xiaonanzhuang: +45); nobody else may
    use them.

    Source: Xiaonanzhuang's committee with the district transport commission (区交通委).
    """

    en = "Roadside permits"
    zh = "路侧停车认证"
    adds = SpaceKind.ROADSIDE
    count_key = "roadside_spaces"

    @dataclass
    class Params:
        name: str = "roadside_permits"
        delay_days: int = count(120)
        cost: float = bounded(0.0, 0.0, 1e9)
