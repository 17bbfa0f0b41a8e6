"""What a negotiation sees of a shared resource: proposals, their evaluation, objections.

The negotiation (electorate, turnout, councils, the vote, the committee's search for a
compromise; :mod:`sim.negotiation.deliberation`) never looks inside a resource: it works through
:class:`Resource`, which parking implements
(:class:`sim.resources.parking.resource.ParkingResource`) and which other shared resources
(fees, shared space) can implement in turn.

A proposal is the resource's package *with terms*: a level for each knob the committee may
turn — for parking, a quota of spaces for tenants and second cars, a price factor and the
compensation for other losses. Its variants are the same package with other terms; the
status quo is what every evaluation is measured against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

Terms = Mapping[str, float]
"""A proposal's terms: the level of each knob, e.g. ``{"quota": 0.2, "price": 0.85}``."""


@dataclass(frozen=True)
class Evaluation:
    """What a proposal brings each flat against the status quo, on the scale of the opinion
    anchor (for parking: a space for one car = 1).

    Attributes:
        resident: per household, the change for the people who live in the flat.
        owner: per household, the change for the flat's owner: the same as ``resident``
            for a flat its owner lives in; for a rented flat, what its owner, who lives
            elsewhere (业主不在本小区居住), gains from it.
    """

    resident: np.ndarray
    owner: np.ndarray


@dataclass(frozen=True)
class Objections:
    """Which flats lose under a proposal, and why (the committee's 痛点库 sorts them so).

    Attributes:
        reason: per household, the index in ``reasons`` of the flat's largest loss, −1 for
            a flat that does not lose.
        reasons: the names of the losses, e.g. ``second_car_loses_access``.
        remedies: per reason, the knob whose later levels answer it (None: no knob does).
    """

    reason: np.ndarray
    reasons: tuple[str, ...]
    remedies: tuple[str | None, ...]


@runtime_checkable
class Resource(Protocol):
    """A shared resource the community negotiates over (checkable with ``isinstance``: a
    resource has every method below)."""

    def changes_anything(self) -> bool:
        """False when the package leaves the status quo as it is (nothing to negotiate)."""

    def major(self) -> bool:
        """Adopting the package is a major matter (e.g. it changes the use of common parts)."""

    def check_space(self, space: Mapping[str, list[float]], key: str) -> None:
        """Raise :class:`sim.config.ConfigError` (naming ``key``) for a knob or level the
        resource does not know."""

    def evaluate(self, terms: Terms) -> Evaluation:
        """Each flat's expected gain from the package on these terms."""

    def objections(self, terms: Terms, evaluation: Evaluation) -> Objections:
        """Who loses under these terms, and why."""

    def adopt(self, terms: Terms, day: int) -> None:
        """Put the package on these terms in force."""

    def describe(self, terms: Terms) -> str:
        """A short label of the package and its terms, for the meeting log."""
