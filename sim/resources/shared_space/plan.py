"""Plans for a shared space: layouts with weekly schedules.

A plan is a proposal the community can adopt: rooms inside the space, a schedule saying which
group uses each room in each of the week's 21 slots, groups moved to outside venues, fees per
hour and whether the space is renovated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.resources.shared_space import week

if TYPE_CHECKING:
    from sim.resources.shared_space.schema import SharedSpaceConfig

IDLE = -1
"""The group index of an unused slot; also "not moved" in :attr:`Plan.venue`."""


@dataclass(frozen=True)
class Room:
    """A room of a layout; rooms with the same enclosure (zones of a hall) hear each other."""

    name: str
    area: float
    enclosure: str


@dataclass(frozen=True, eq=False)
class Plan:
    """A layout and its weekly schedule. Immutable: a plan on other terms is a new plan.

    Attributes:
        name: the config plan's name.
        rooms: the rooms inside the space.
        use: the group using each room in each slot (rooms × slots; :data:`IDLE`: nobody).
        venue: the outside venue each group is moved to (one entry per group; IDLE: none).
        fees: yuan per hour of use each group pays.
        renovate: the plan renovates the space.
    """

    name: str
    rooms: tuple[Room, ...]
    use: np.ndarray
    venue: np.ndarray
    fees: np.ndarray
    renovate: bool

    def __post_init__(self):
        for array in (self.use, self.venue, self.fees):
            array.setflags(write=False)


def from_config(config: SharedSpaceConfig, name: str) -> Plan:
    """The plan ``config.plans[name]`` as arrays (groups and venues in config order)."""
    plan = config.plans[name]
    groups, sites = list(config.groups), list(config.sites)
    rooms = tuple(Room(room, spec.area, spec.enclosure or room)
                  for room, spec in plan.rooms.items())
    use = np.full((len(rooms), week.SLOTS), IDLE, dtype=np.int64)
    for r, room in enumerate(rooms):
        for group, words in plan.use.get(room.name, {}).items():
            use[r, week.slots(words)] = groups.index(group)
    venue = np.full(len(groups), IDLE, dtype=np.int64)
    for group, site in plan.relocate.items():
        venue[groups.index(group)] = sites.index(site)
    fees = np.array([plan.fees.get(group, 0.0) for group in groups], dtype=float)
    return Plan(name, rooms, use, venue, fees, plan.renovate)
