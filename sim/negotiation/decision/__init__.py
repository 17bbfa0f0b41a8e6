"""Decision rules: how a vote at a deliberation meeting becomes a decision (configs/decision/).

A rule reads a :class:`Ballot` (who may vote, their floor area, who came, who said yes) and
returns an :class:`Outcome`. Counting is exact: head counts are integers and floor areas count
in whole hundredths of a square metre, the precision of a property certificate (不动产权证书),
so a share that meets a threshold on paper meets it here too, free of floating-point rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from sim.rules.base import Rule

if TYPE_CHECKING:
    from sim.estate import electorate

AREA_STEP = 100
"""Floor areas are counted in 1/100 m²."""


class Electorate(Enum):
    """Who votes: every owner of an exclusive part (业主), living here or elsewhere, or every
    resident household, tenants (租户) included and owners living elsewhere left out."""

    owners = "owners"
    residents = "residents"


@dataclass(frozen=True)
class Ballot:
    """One vote, as equal-length arrays over the people who might vote: the resident
    households, and the owners of rented flats who live elsewhere.

    Attributes:
        owner: owns an exclusive part (业主), whether living here or not.
        resident: lives in the estate (a resident owner or a tenant).
        area: exclusive floor area (专有部分面积) of the flat, m².
        attended: took part in the vote.
        yes: voted for the proposal (read only where ``attended``).
        unit: property-right unit (产权单位) the household belongs to, −1 for none.
        major: the matter changes the use of common parts or uses them for business, e.g.
            re-striping common roads or leasing common land for parking.
    """

    owner: np.ndarray
    resident: np.ndarray
    area: np.ndarray
    attended: np.ndarray
    yes: np.ndarray
    unit: np.ndarray
    major: bool = False

    def __post_init__(self):
        columns = (self.owner, self.resident, self.area, self.attended, self.yes, self.unit)
        shapes = {a.shape for a in columns}
        if len(shapes) != 1:
            raise ValueError(f"ballot arrays must have one shape, got {sorted(shapes)}")

    @classmethod
    def of(cls, voters: electorate.Electorate, attended: np.ndarray, yes: np.ndarray,
           major: bool) -> Ballot:
        """The ballot of a vote of ``voters``: who took part and who said yes, per voter."""
        return cls(owner=voters.owner, resident=voters.resident, area=voters.area,
                   attended=attended, yes=yes, unit=voters.unit, major=major)

    def electorate(self, who: Electorate) -> np.ndarray:
        """The households that may vote when ``who`` votes."""
        return self.owner if who is Electorate.owners else self.resident


@dataclass(frozen=True)
class Outcome:
    """The result of one vote; shares are of the electorate the rule counts (0 when empty).

    Attributes:
        attendance_heads: voters who took part / voters.
        attendance_area: floor area of those who took part / floor area of all voters.
        yes_heads: yes votes / voters who took part.
        yes_area: floor area voting yes / floor area taking part.
        quorum_met: enough voters took part for the vote to count.
        agreed: the votes cast would adopt the proposal, quorum or not.
        passed: the proposal is adopted (quorum met and agreed).
        failed_on: why it was not: ``none`` (it passed), ``quorum`` (too few took part),
            ``threshold`` (too few said yes) or ``veto`` (a veto holder said no).
    """

    attendance_heads: float
    attendance_area: float
    yes_heads: float
    yes_area: float
    quorum_met: bool
    agreed: bool
    passed: bool
    failed_on: str


@dataclass(frozen=True)
class Tally:
    """Exact counts over one electorate: heads, and floor areas in 1/100 m²."""

    heads: int
    attended_heads: int
    yes_heads: int
    area: int
    attended_area: int
    yes_area: int

    @classmethod
    def of(cls, ballot: Ballot, voters: np.ndarray) -> Tally:
        """Count the ``voters`` of a ballot, who of them took part and who voted yes."""
        took_part = voters & ballot.attended
        said_yes = took_part & ballot.yes
        area = np.rint(ballot.area * AREA_STEP).astype(np.int64)
        masks = (voters, took_part, said_yes)
        heads = [int(np.count_nonzero(mask)) for mask in masks]
        areas = [int(area @ mask) for mask in masks]
        return cls(heads[0], heads[1], heads[2], areas[0], areas[1], areas[2])

    def outcome(self, quorum_met: bool, agreed: bool, substance: str = "threshold") -> Outcome:
        """The outcome record with this tally's shares.

        Args:
            quorum_met: enough voters took part.
            agreed: the votes cast are enough to adopt.
            substance: what a vote with a quorum fails on when it does not agree.
        """
        passed = bool(quorum_met and agreed)
        failed_on = "none" if passed else ("quorum" if not quorum_met else substance)
        return Outcome(
            _ratio(self.attended_heads, self.heads), _ratio(self.attended_area, self.area),
            _ratio(self.yes_heads, self.attended_heads), _ratio(self.yes_area, self.attended_area),
            bool(quorum_met), bool(agreed), passed, failed_on,
        )


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def at_least(part, whole, share: Fraction):
    """part ≥ share × whole, exactly (integers or integer arrays)."""
    return part * share.denominator >= whole * share.numerator


def more_than(part, whole, share: Fraction):
    """part > share × whole, exactly (integers or integer arrays)."""
    return part * share.denominator > whole * share.numerator


def exact_share(share: float) -> Fraction:
    """A configured share as the nearest fraction with denominator ≤ 1000, so that 0.7 means
    7/10 and 0.6666666666666666 means 2/3 rather than their binary approximations."""
    return Fraction(share).limit_denominator(1000)


class DecisionRule(Rule):
    """Turns a ballot into an outcome: whether enough voters took part and whether it passed."""

    group: ClassVar[str] = "decision"
    deliberates: ClassVar[bool] = True
    """False: the proposal is adopted without meetings, so deliberation skips them."""

    def voters(self) -> Electorate:
        """Who votes under the rule (by default its ``voters`` parameter)."""
        return self.params.voters

    def decide(self, ballot: Ballot) -> Outcome:
        """The outcome of the vote. Must not modify the ballot."""
        raise NotImplementedError
