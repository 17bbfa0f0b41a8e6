"""The electorate: everyone a collective decision counts, and in which role (业主, 使用人).

Every flat (household row) has one owner. A flat its owner lives in has a *resident owner*. A
rented flat has a *tenant* household living in it and an *absentee owner* who lives elsewhere
(业主不在本小区居住): in the owners' electorate with the flat's area (Civil Code art. 278
counts all owners and all exclusive area), outside the local social network, reachable only
through the channels — a written ballot a lead brings when it can contact them, online voting
when they are registered on the owners' e-voting platform. Tenants are residents and parking
users: they join councils and discussion, and vote only where residents vote.

Voters are rows: first the resident households (row i is household i), then one absentee
owner per rented flat, in household order. Absentee owners keep their own opinion, anchor
and trust; residents' are the household table's.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from sim.config import ScenarioConfig
from sim.estate.state import Absentees, Households


class Role(IntEnum):
    """A voter's place in the estate."""

    RESIDENT_OWNER = 0  # 业主, living in the flat
    ABSENTEE_OWNER = 1  # 业主, living elsewhere; the flat is let
    TENANT = 2  # 租户/使用人, living in a rented flat


GROUPS = ("resident_owners", "absentee_owners", "tenants")
"""The roles' names in outputs, in :class:`Role` order."""

CAR_GROUPS = ("cars_0", "cars_1", "cars_2")
"""Resident households by active cars: none, one, two or more."""


class Electorate:
    """The voter rows over a household table and its absentee owners.

    Args:
        households: the household table (its tenure, area and unit never change: a newcomer
            takes a flat with the same tenure).
        absentees: the owners of the rented flats.
        resident_online: per household, registered on the e-voting platform.
    """

    def __init__(self, households: Households, absentees: Absentees, resident_online: np.ndarray):
        self.households, self.absentees = households, absentees
        n, t = len(households), len(absentees)
        self.residents = n
        self.flat = np.concatenate([np.arange(n), absentees.flat])
        self.owner = np.concatenate([households.owner, np.ones(t, dtype=bool)])
        self.resident = np.arange(n + t) < n
        self.role = np.concatenate([np.where(households.owner, Role.RESIDENT_OWNER, Role.TENANT),
                                    np.full(t, Role.ABSENTEE_OWNER)]).astype(np.int64)
        self.online = np.concatenate([resident_online, absentees.online])
        self.area = households.area[self.flat]
        self.unit = households.unit[self.flat]

    def __len__(self) -> int:
        return len(self.flat)

    def join(self, resident: np.ndarray, absentee: np.ndarray) -> np.ndarray:
        """One value per voter: the residents' then the absentee owners'."""
        return np.concatenate([resident, absentee])

    def opinion(self) -> np.ndarray:
        """Every voter's current support for the proposal."""
        return self.join(self.households.opinion, self.absentees.opinion)

    def trust(self) -> np.ndarray:
        """Every voter's current trust in the committee."""
        return self.join(self.households.trust, self.absentees.trust)

    def propensity(self) -> np.ndarray:
        """Every voter's disposition to take part."""
        return self.join(self.households.attend_propensity, self.absentees.propensity)

    def car_class(self) -> np.ndarray:
        """Active cars of each voter's flat, capped at 2 (an absentee owner: its tenants')."""
        return np.minimum(self.households.cars[self.flat], 2)


def build_electorate(households: Households, scenario: ScenarioConfig,
                     rng: np.random.Generator) -> Electorate:
    """The electorate of a household table: one absentee owner per rented flat.

    Absentee owners' dispositions and trust are drawn as residents' are; ``absentee_online_share``
    of them are registered online and a lead can contact ``absentee_contact_share`` of them;
    ``online_share`` of resident households are registered online.
    """
    rented = np.flatnonzero(~households.owner)
    t = len(rented)
    absentees = Absentees(
        flat=rented,
        propensity=rng.beta(2.0, 3.0, t),
        opinion=np.zeros(t),
        anchor=np.zeros(t),
        trust=rng.beta(5.0, 5.0, t),
        online=rng.random(t) < scenario.absentee_online_share,
        contact=rng.random(t) < scenario.absentee_contact_share,
    )
    return Electorate(households, absentees, rng.random(len(households)) < scenario.online_share)
