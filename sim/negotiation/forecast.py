"""What the committee expects of a vote, from what it could know.

The committee can work out who gains what under a proposal — it holds the register of flats,
cars and tenure (:meth:`sim.resources.interface.Resource.evaluate`) — but not how people feel
about it: it reads support only from what it hears (councils, visits) and from counted votes. Voters
fall into cells: role (resident owner, absentee owner, tenant) × cars of the flat (0, 1, 2+)
× property-right unit. For each cell the committee keeps the support it last observed, s_c,
and the cell's mean gain at the time, g_c, and expects support for a proposal v to move with
the cell's mean gain under it:

    ŝ_c(v) = s_c + κ (ḡ_c(v) − g_c) − margin,

κ being ``deliberation.responsiveness`` and ``margin`` its caution. A cell it never heard
from starts at s_c = ½. Expected turnout per cell is the last vote's. The expected ballot
draws nothing new: fixed random keys per voter decide who is among a cell's expected
participants and yes-sayers, and the decision rule counts it. Before the first vote the
committee expects ``prior_turnout`` of the voters without a written ballot to take part.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.estate.electorate import GROUPS, Electorate
from sim.negotiation.decision import Ballot, DecisionRule, Outcome


class Forecast:
    """The committee's expectation of a vote.

    Args:
        electorate: the voters.
        rule: the decision rule the vote is counted by.
        gain: per voter, the expected gain from the first proposal (the starting g_c).
        responsiveness: κ, expected change in a cell's yes share per unit of mean gain.
        margin: caution subtracted from every expected yes share.
        prior_turnout: expected turnout on the day before any vote.
        rng: draws the fixed keys.
    """

    def __init__(self, electorate: Electorate, rule: DecisionRule, gain: np.ndarray,
                 responsiveness: float, margin: float, prior_turnout: float,
                 rng: np.random.Generator):
        self.electorate, self.rule = electorate, rule
        self.responsiveness, self.margin = responsiveness, margin
        self.units = int(electorate.unit.max(initial=0)) + 1
        self._cells: np.ndarray | None = None
        self.size = len(GROUPS) * 3 * self.units
        self.support = np.full(self.size, 0.5)
        self.at_gain = self._means(gain)
        self.turnout = np.full(self.size, prior_turnout)  # last vote, all channels
        self.turnout_on_the_day = np.full(self.size, prior_turnout)  # without a written ballot
        self.attend_key = rng.random(len(electorate))
        self.yes_key = rng.random(len(electorate))

    def cells(self) -> np.ndarray:
        """Each voter's cell, as of the last :meth:`regroup`."""
        if self._cells is None:
            self.regroup()
        return self._cells

    def regroup(self) -> None:
        """Sort the voters into cells afresh (their flats' cars change monthly)."""
        e = self.electorate
        self._cells = (e.role * 3 + e.car_class()) * self.units + np.maximum(e.unit, 0)
        self._sizes = np.bincount(self._cells, minlength=self.size)

    def heard(self, seen: np.ndarray, yes: np.ndarray, gain: np.ndarray) -> None:
        """Note the support of the ``seen`` voters (bool per voter) in their cells."""
        cells = self.cells()
        seen_per_cell = np.bincount(cells[seen], minlength=self.size)
        yes_per_cell = np.bincount(cells[seen & yes], minlength=self.size)
        observed = seen_per_cell > 0
        self.support[observed] = yes_per_cell[observed] / seen_per_cell[observed]
        self.at_gain[observed] = self._means(gain)[observed]

    def counted(self, took_part: np.ndarray, written: np.ndarray) -> None:
        """Note the turnout of a vote per cell: in all, and on the meeting day."""
        cells = self.cells()
        size = self.size
        voters = np.bincount(cells, minlength=size)
        self.turnout = _share(np.bincount(cells[took_part], minlength=size), voters)
        other = ~written
        self.turnout_on_the_day = _share(np.bincount(cells[took_part & other], minlength=size),
                                         np.bincount(cells[other], minlength=size))

    def expect(self, gain: np.ndarray, major: bool) -> Expectation:
        """The committee's expectation of a vote on a proposal with per-voter ``gain``."""
        cells = self.cells()
        shifted = self.support + self.responsiveness * (self._means(gain) - self.at_gain)
        yes = self.yes_key < np.clip(shifted - self.margin, 0.0, 1.0)[cells]
        return Expectation(self, cells, yes, major)

    def _means(self, values: np.ndarray) -> np.ndarray:
        """Mean of ``values`` per cell (0 for an empty cell)."""
        cells = self.cells()
        return _share(np.bincount(cells, weights=values, minlength=self.size), self._sizes)


@dataclass(frozen=True)
class Expectation:
    """Who the committee expects to take part and to say yes in a vote on one proposal."""

    forecast: Forecast
    cells: np.ndarray
    yes: np.ndarray
    major: bool

    def outcome(self, written: np.ndarray | None = None) -> Outcome:
        """The expected outcome, counted by the decision rule.

        Args:
            written: bool per voter, written ballots in hand (a campaign under way): those
                voters take part and the others as on the last meeting day. None: turnout
                as in the last vote.
        """
        f = self.forecast
        if written is None:
            attended = f.attend_key < f.turnout[self.cells]
        else:
            attended = written | (f.attend_key < f.turnout_on_the_day[self.cells])
        return f.rule.decide(Ballot.of(f.electorate, attended, self.yes, self.major))


def score(outcome: Outcome) -> float:
    """How close an expected outcome comes to passing: the lower of its two yes shares."""
    return min(outcome.yes_heads, outcome.yes_area)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.divide(part, whole, out=np.zeros(len(whole)), where=whole > 0)
