"""A shared space's config compiled into arrays: groups' needs, venues, opening hours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.resources.shared_space import week

if TYPE_CHECKING:
    from sim.resources.shared_space.schema import SharedSpaceConfig


@dataclass(frozen=True)
class Setting:
    """What measuring a plan needs, one array entry per group, venue or slot.

    Attributes:
        groups: group names, in config order (group index g).
        demand: hours of use a week each group wants.
        need: m² a session of each group needs.
        fit: how well each slot suits each group (groups × slots).
        conflict: conflict[g, h], the share of its value group g loses when it hears group h
            at the same time: the larger of quiet_g × noise_h and g's ``avoid`` of h.
        wtp: yuan per hour of use each group will pay.
        hours: hours in each slot.
        area: m² of the space; condition: share of an hour's value before renovation;
        renovation_cost: yuan per m²; sound_leak: share of a conflict heard through walls.
        sites: outside venue names (venue index v); site_area: m² each gives;
        site_place: access × condition of each; site_offers: its slots (venues × slots).
    """

    groups: tuple[str, ...]
    demand: np.ndarray
    need: np.ndarray
    fit: np.ndarray
    conflict: np.ndarray
    wtp: np.ndarray
    hours: np.ndarray
    area: float
    condition: float
    renovation_cost: float
    sound_leak: float
    sites: tuple[str, ...]
    site_area: np.ndarray
    site_place: np.ndarray
    site_offers: np.ndarray

    @classmethod
    def from_config(cls, config: SharedSpaceConfig) -> Setting:
        """Compile a checked config."""
        groups = list(config.groups.values())
        names = tuple(config.groups)
        noise = np.array([g.noise for g in groups])
        quiet = np.array([g.quiet for g in groups])
        avoid = np.array([[g.avoid.get(other, 0.0) for other in names] for g in groups])
        sites = list(config.sites.values())
        opening = config.opening
        return cls(
            groups=names,
            demand=np.array([g.hours for g in groups], dtype=float),
            need=np.array([g.area for g in groups], dtype=float),
            fit=np.array([week.by_slot(g.weekday, g.weekend) for g in groups], dtype=float),
            conflict=np.maximum(np.outer(quiet, noise), avoid).reshape(len(names), len(names)),
            wtp=np.array([g.wtp for g in groups], dtype=float),
            hours=week.slot_hours(opening.morning, opening.afternoon, opening.evening),
            area=config.area,
            condition=config.condition,
            renovation_cost=config.renovation_cost,
            sound_leak=config.sound_leak,
            sites=tuple(config.sites),
            site_area=np.array([s.area for s in sites], dtype=float),
            site_place=np.array([s.access * s.condition for s in sites], dtype=float),
            site_offers=np.array([week.slots(s.offers) for s in sites],
                                 dtype=bool).reshape(len(sites), week.SLOTS),
        )
