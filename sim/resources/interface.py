"""What a negotiation sees of a shared resource: proposals on terms, their evaluation, and who
objects and why.

The negotiation (electorate, turnout, councils, the vote, the committee's search for a
compromise; :mod:`sim.negotiation.deliberation`) never looks inside a resource: it works through
:class:`Resource`, which parking (:class:`sim.resources.parking.resource.ParkingResource`) and
a shared space such as an activity centre
(:class:`sim.resources.shared_space.resource.SharedSpace`) implement.

A proposal is the resource's package *with terms*: a level for each knob the committee may
turn — for parking, a quota of spaces for tenants and second cars, a price factor and the
compensation for other losses; for a shared space, which layout with its weekly schedule and
which fee model. Its variants are the same package with other terms; the status quo is what
every evaluation is measured against.

Every resource says what each flat gains (its residents, and its owner, who may live
elsewhere). A resource with named parties says more: what each *group* of households gains
(e.g. the elderly, students) and what each *stakeholder* gains (an owner unit that lends the
space, the community that pays for it); the parties in :meth:`Resource.veto_holders` must not
lose, or the proposal fails at the meeting on their veto, whatever the vote.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

Terms = Mapping[str, float]
"""A proposal's terms: the level of each knob, e.g. ``{"quota": 0.2, "price": 0.85}``."""

TOLERANCE = 1e-9
"""Gains within this of zero count as no change (rounding in sums of floats)."""


@dataclass(frozen=True)
class Evaluation:
    """What a proposal brings against the status quo, on the scale of the opinion anchor (for
    parking: a space for one car = 1; for a shared space: all of a group's demand met = 1).

    Attributes:
        resident: per household, the change for the people who live in the flat.
        owner: per household, the change for the flat's owner: the same as ``resident``
            for a flat its owner lives in; for a rented flat, what its owner, who lives
            elsewhere (业主不在本小区居住), gains from it.
        groups: per named group of households, the change for one member household (empty
            for a resource without groups).
        stakeholders: per stakeholder, its change (each in its own unit; only signs compare
            across stakeholders; empty for a resource without stakeholders).
    """

    resident: np.ndarray
    owner: np.ndarray
    groups: Mapping[str, float] = field(default_factory=dict)
    stakeholders: Mapping[str, float] = field(default_factory=dict)

    def gains(self) -> dict[str, float]:
        """Every named party's change: the groups', then the stakeholders'."""
        return {**self.groups, **self.stakeholders}

    def losers(self) -> list[str]:
        """The named parties (groups and stakeholders) that lose."""
        return [party for party, gain in self.gains().items() if gain < -TOLERANCE]

    def pareto(self) -> bool:
        """A Pareto improvement among the named parties: none loses and at least one gains."""
        return not self.losers() and any(g > TOLERANCE for g in self.gains().values())


@dataclass(frozen=True)
class Objection:
    """A named party that loses under a proposal, and why.

    Attributes:
        party: the group's or stakeholder's name.
        kind: ``"group"`` (of households) or ``"stakeholder"``.
        gain: its (negative) change, as in the :class:`Evaluation`.
        reason: what it loses, in words a meeting log can show.
    """

    party: str
    kind: str
    gain: float
    reason: str


@dataclass(frozen=True)
class Objections:
    """Which flats and named parties lose under a proposal, and why (the committee's 痛点库
    sorts them so).

    Attributes:
        reason: per household, the index in ``reasons`` of the flat's largest loss, −1 for
            a flat that does not lose.
        reasons: the names of the losses, e.g. ``second_car_loses_access``.
        remedies: per reason, the knob whose later levels answer it (None: no knob does).
        parties: the named groups and stakeholders that lose, the largest loss first (empty
            for a resource without named parties).
    """

    reason: np.ndarray
    reasons: tuple[str, ...]
    remedies: tuple[str | None, ...]
    parties: tuple[Objection, ...] = ()


@runtime_checkable
class Resource(Protocol):
    """A shared resource the community negotiates over (checkable with ``isinstance``: a
    resource has every method below)."""

    def changes_anything(self) -> bool:
        """False when the package leaves the status quo as it is (nothing to negotiate)."""

    def major(self) -> bool:
        """Adopting the package is a major matter (e.g. it changes the use of common parts)."""

    def veto_holders(self) -> tuple[str, ...]:
        """The named parties (groups or stakeholders) that must not lose for a proposal to
        be adopted at a meeting (may be none)."""

    def check_space(self, space: Mapping[str, list[float]], key: str) -> None:
        """Raise :class:`sim.config.ConfigError` (naming ``key``) for a knob or level the
        resource does not know."""

    def evaluate(self, terms: Terms) -> Evaluation:
        """Each flat's, group's and stakeholder's expected gain from the package on these
        terms; deterministic for the same state, changes nothing."""

    def objections(self, terms: Terms, evaluation: Evaluation) -> Objections:
        """Who loses under these terms (``evaluation`` is theirs), and why."""

    def adopt(self, terms: Terms, day: int) -> None:
        """Put the package on these terms in force."""

    def describe(self, terms: Terms) -> str:
        """A short label of the package and its terms, for the meeting log."""
