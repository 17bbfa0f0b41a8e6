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
from typing import ClassVar

import numpy as np

from sim.rules.base import Rule

AREA_STEP = 100
"""Floor areas are counted in 1/100 m²."""


class Electorate(Enum):
    """Who votes: owners only (业主), or every resident household, tenants (租户) included."""

    owners = "owners"
    residents = "residents"


@dataclass(frozen=True)
class Ballot:
    """One vote, as equal-length arrays over households.

    Attributes:
        owner: owner household (业主) rather than tenant.
        area: exclusive floor area (专有部分面积), m².
        attended: took part in the vote.
        yes: voted for the proposal (read only where ``attended``).
        unit: property-right unit (产权单位) the household belongs to, −1 for none.
        major: the matter changes the use of common parts or uses them for business, e.g.
            re-striping common roads or leasing common land for parking.
    """

    owner: np.ndarray
    area: np.ndarray
    attended: np.ndarray
    yes: np.ndarray
    unit: np.ndarray
    major: bool = False

    def __post_init__(self):
        shapes = {a.shape for a in (self.owner, self.area, self.attended, self.yes, self.unit)}
        if len(shapes) != 1:
            raise ValueError(f"ballot arrays must have one shape, got {sorted(shapes)}")

    def electorate(self, who: Electorate) -> np.ndarray:
        """The households that may vote when ``who`` votes."""
        return self.owner if who is Electorate.owners else np.ones_like(self.owner, dtype=bool)


@dataclass(frozen=True)
class Outcome:
    """The result of one vote; shares are of the electorate the rule counts (0 when empty).

    Attributes:
        attendance_heads: voters who took part / voters.
        attendance_area: floor area of those who took part / floor area of all voters.
        yes_heads: yes votes / voters who took part.
        yes_area: floor area voting yes / floor area taking part.
        quorum_met: enough voters took part for the vote to count.
        passed: the proposal is adopted.
    """

    attendance_heads: float
    attendance_area: float
    yes_heads: float
    yes_area: float
    quorum_met: bool
    passed: bool


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
        return cls(
            int(voters.sum()), int(took_part.sum()), int(said_yes.sum()),
            int(area[voters].sum()), int(area[took_part].sum()), int(area[said_yes].sum()),
        )

    def outcome(self, quorum_met: bool, passed: bool) -> Outcome:
        """The outcome record with this tally's shares."""
        return Outcome(
            _ratio(self.attended_heads, self.heads), _ratio(self.attended_area, self.area),
            _ratio(self.yes_heads, self.attended_heads), _ratio(self.yes_area, self.attended_area),
            bool(quorum_met), bool(passed),
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

    def decide(self, ballot: Ballot) -> Outcome:
        """The outcome of the vote. Must not modify the ballot."""
        raise NotImplementedError
