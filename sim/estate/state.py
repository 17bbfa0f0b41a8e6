"""Columnar state: one NumPy array per attribute of households, cars and parking spaces.

Every daily process reads and writes these arrays in whole-array operations; Mesa agents are
thin views over one row (see :mod:`sim.estate.agents`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntEnum

import numpy as np


class SpaceKind(IntEnum):
    """Where a parking space is and who may use it."""

    ONSITE = 0  # a space inside the estate (小区内车位)
    SHARED = 1  # shared off-peak by a nearby unit (错时共享), open at night only
    ROADSIDE = 2  # a roadside permit space (路侧车位), only for 五证合一 households


class Use(IntEnum):
    """How a space is let (固定+轮转+临时)."""

    FIXED = 0  # held under a standing permit (固定车位)
    ROTATING = 1  # a permit that passes along the waiting list every few days (轮转车位)
    TEMPORARY = 2  # let night by night to cars without a permit and visitors (临时车位)


class _Columns:
    """Mixin for dataclasses whose fields are equal-length NumPy arrays."""

    def __len__(self) -> int:
        for column in vars(self).values():  # the first column (a loop: the fastest way here)
            return len(column)
        return 0

    def copy(self):
        """A deep copy: every column copied."""
        return type(self)(**{f.name: getattr(self, f.name).copy() for f in fields(self)})

    def select(self, rows: np.ndarray):
        """A new table of the given rows (a boolean mask or indices), in order."""
        return type(self)(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})


@dataclass
class Households(_Columns):
    """Per-household columns; row i is household (and network node) i.

    Households are ordered by building, then stairwell, so each building and each stairwell
    is a contiguous block of rows.
    """

    building: np.ndarray  # int: building index
    stairwell: np.ndarray  # int: stairwell (楼门) index, unique across the estate
    unit: np.ndarray  # int: property-right unit (产权单位) of the household's building
    owner: np.ndarray  # bool: owner (业主) rather than tenant (租户)
    bought: np.ndarray  # bool: owner who bought the home (购房)
    five_in_one: np.ndarray  # bool: all five documents match (五证合一)
    special_need: np.ndarray  # bool: elderly or disabled member
    party: np.ndarray  # bool: party member
    lead: np.ndarray  # bool: party-member building lead (党员楼门长)
    area: np.ndarray  # float: exclusive floor area, m²
    residence_years: np.ndarray  # float: years lived in the estate at the start
    wtp: np.ndarray  # float: willingness to pay for a space, yuan/month
    pay_threshold: np.ndarray  # share of neighbours it must see pay, in [0, 1]; inf: never
    attend_propensity: np.ndarray  # float in [0, 1]: disposition to attend meetings
    susceptibility: np.ndarray  # float in [0, 1): weight λ on neighbours' opinions
    opinion: np.ndarray  # float in [0, 1]: support for the proposal under discussion
    anchor: np.ndarray  # float in [0, 1]: self-interest anchor u of the opinion
    trust: np.ndarray  # float in [0, 1]: trust in the community committee
    satisfaction: np.ndarray  # float in [0, 1]
    willing: np.ndarray  # bool: intends to pay the property fee (pays when a firm serves it)
    cars: np.ndarray  # int: active (non-zombie) cars
    parked_nights: np.ndarray  # int: nights with every active car legally parked


@dataclass
class Absentees(_Columns):
    """Per owner of a rented flat who lives elsewhere (业主不在本小区居住), one per rented
    flat (see :mod:`sim.estate.electorate`)."""

    flat: np.ndarray  # int: household row of the rented flat
    propensity: np.ndarray  # float in [0, 1]: disposition to take part
    opinion: np.ndarray  # float in [0, 1]: support for the proposal
    anchor: np.ndarray  # float in [0, 1]: self-interest anchor of the opinion
    trust: np.ndarray  # float in [0, 1]: trust in the community committee
    online: np.ndarray  # bool: registered on the owners' e-voting platform
    contact: np.ndarray  # bool: a lead has their address or phone (can bring a written ballot)


@dataclass
class Cars(_Columns):
    """Per-car columns, ordered by household."""

    household: np.ndarray  # int: owning household
    rank: np.ndarray  # int: 0 for a household's first active car, 1 for its second, ...
    zombie: np.ndarray  # bool: abandoned car (僵尸车) that never moves

    def rerank(self) -> None:
        """Recompute ``rank``: active cars first within each household, zombies after them.

        Call whenever cars turn zombie, leave or arrive, so that "first car" always means
        a car the household actually uses.
        """
        order = np.lexsort((self.zombie, self.household))
        sorted_household = self.household[order]
        starts = np.searchsorted(sorted_household, sorted_household, side="left")
        self.rank[order] = np.arange(len(order)) - starts


@dataclass
class Spaces(_Columns):
    """Per-space columns."""

    kind: np.ndarray  # int: a SpaceKind (where the space is, who may use it)
    use: np.ndarray  # int: a Use (fixed, rotating or temporary)
    price: np.ndarray  # float: yuan/month for a permit; yuan/night for a temporary space
    open: np.ndarray  # bool: usable now (measure started, agreement not lapsed)
    blocked: np.ndarray  # bool: occupied by a zombie car
    holder: np.ndarray  # int: household holding the space under a permit, or -1

    def usable(self) -> np.ndarray:
        """Spaces a car can park in tonight."""
        return self.open & ~self.blocked
