"""Turnout: whether a voter takes part in a vote, and the door-to-door campaign before it.

A voter takes part when p·B + D > C (the calculus of voting: Downs 1957; Riker & Ordeshook
1968, *APSR* 62:25–42): its stake in the proposal, its sense of duty, against the cost of the
cheapest channel open to it (:mod:`sim.negotiation.channels`). Two terms follow field evidence:
taking part spreads along close ties (Bond et al. 2012, *Nature* 489:295–298), here the
influence-weighted share of a resident's network neighbours who took part in the last vote,
which makes turnout a threshold process (Granovetter 1978, *AJS* 83:1420–1443); and a visit
at the door raises it (Gerber & Green 2000, *APSR* 94:653–663: face-to-face canvassing raised
turnout by about 8–10 percentage points among those reached). The chance is logistic:

    P = σ(intercept + stake_weight·|g| + duty_weight·(d − ½) + social_weight·s
          + canvass_effect·[visited] − cost).

Every weight is a config value (``deliberation.turnout``); none is fitted.
"""

from __future__ import annotations

import numpy as np

from sim.config import TurnoutConfig
from sim.negotiation.channels import Channel, Reach


def inclination(cfg: TurnoutConfig, stake: np.ndarray, duty: np.ndarray, social: np.ndarray,
                visited: np.ndarray) -> np.ndarray:
    """The participation logit before the channel's cost.

    Args:
        stake: |expected gain| from the proposal (on the opinion anchor's scale).
        duty: disposition to take part, in [0, 1].
        social: share of network neighbours who took part last time (0 for owners living
            elsewhere, who are outside the network).
        visited: a lead or volunteer came to the door.
    """
    return (cfg.intercept + cfg.stake_weight * stake + cfg.duty_weight * (duty - 0.5)
            + cfg.social_weight * social + cfg.canvass_effect * visited)


def chance(logit: np.ndarray, cost: np.ndarray | float) -> np.ndarray:
    """σ(logit − cost); 0 where no channel is open (cost ∞)."""
    return 1.0 / (1.0 + np.exp(cost - logit))


def on_the_day(channels: list[Channel], reach: Reach, logit: np.ndarray,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Who takes part on the meeting day, each through the cheapest channel open to it.

    Args:
        channels: the meeting-day channels (not door to door).
        reach: who each channel may reach.
        logit: per voter, the participation logit before the channel's cost.

    Returns:
        Per voter, the index of its channel in ``channels`` (−1: none open), and whether it
        takes part.
    """
    n = len(logit)
    costs = np.array([np.where(c.reaches(reach), c.cost(), np.inf) for c in channels]
                     ).reshape(len(channels), n)
    channel = np.where(np.isfinite(costs).any(axis=0), costs.argmin(axis=0), -1)
    takes_part = rng.random(n) < chance(logit, costs.min(axis=0, initial=np.inf))
    return channel, takes_part


class Campaign:
    """Door-to-door written ballots (书面表决) before one meeting.

    Each day every unit's leads make ``capacity`` visits in all, spread at random over the
    voters of the unit they can reach who have neither returned a ballot nor been visited
    ``max_visits`` times (on average: each of them is visited with chance capacity / waiting,
    at most 1). A visited voter returns the ballot with its chance at the door; one who does
    not may on a later visit.

    Args:
        reachable: bool per voter: in a unit with a lead and contactable.
        unit: per voter, its lead unit (stairwell or building).
        capacity: per unit, visits a day (leads × visits per lead per day).
        returns: per voter, the chance it returns the ballot when visited.
        max_visits: visits a voter gets at most before the leads stop asking.
        rng: draws the visits and the returns.

    Attributes:
        cast: bool per voter, returned a ballot.
        times: per voter, visits so far.
        visits: visits made so far (the leads' effort).
    """

    def __init__(self, reachable: np.ndarray, unit: np.ndarray, capacity: np.ndarray,
                 returns: np.ndarray, max_visits: int, rng: np.random.Generator):
        self.unit, self.capacity, self.returns, self.rng = unit, capacity, returns, rng
        self.waiting = reachable & (max_visits > 0)
        self.max_visits = max_visits
        self.cast = np.zeros(len(reachable), dtype=bool)
        self.times = np.zeros(len(reachable), dtype=np.int64)
        self.visits = 0

    @property
    def visited(self) -> np.ndarray:
        """Bool per voter: visited at least once."""
        return self.times > 0

    def day(self) -> np.ndarray:
        """One day of visits; returns the voters who returned a ballot today."""
        waiting = np.flatnonzero(self.waiting)
        if not len(waiting):
            return waiting
        unit = self.unit[waiting]
        per_unit = np.bincount(unit, minlength=len(self.capacity))
        visit = self.rng.random(len(waiting)) * per_unit[unit] < self.capacity[unit]
        seen = waiting[visit]
        self.visits += len(seen)
        self.times[seen] += 1
        new = seen[self.rng.random(len(seen)) < self.returns[seen]]
        self.cast[new] = True
        self.waiting[new] = False
        self.waiting[seen[self.times[seen] >= self.max_visits]] = False
        return new
