"""Deliberation (大家商量着办): stairwell councils, community meetings, votes and amendments.

The committee puts its package to a community meeting (协商议事会) on ``first_meeting_day``.
Before each meeting, leads hold stairwell councils (楼门议事会) that pull their neighbours
toward the lead's view. Households take part with a probability that grows with their own
propensity, their lead's mobilisation and their stake; at the meeting the participants'
views move by bounded-confidence discussion; then they vote under the decision rule. A failed
proposal is amended — more compensation for the groups that would lose — and put again after
``interval_days`` (or sooner, when complaints pile up), up to ``max_rounds`` rounds
(反复式商量). A passed proposal is adopted and the self-governance committee (自管会) runs it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

import numpy as np

from sim.rules.decision import Ballot, DecisionRule

if TYPE_CHECKING:
    from sim.config import DeliberationConfig
    from sim.model import CommunityModel


def discuss(x: np.ndarray, epsilon: float, weight: float) -> np.ndarray:
    """Bounded-confidence discussion in one room, where everyone hears everyone.

    Each participant moves ``weight`` of the way to the mean of the views within ``epsilon``
    of its own (one Hegselmann–Krause step on a complete graph, damped: people listen but
    keep part of their view). With the views sorted those form a contiguous window, so this
    costs one sort and two binary searches, not a pairwise comparison.
    """
    order = np.argsort(x)
    v = x[order]
    cumulative = np.concatenate([[0.0], np.cumsum(v)])
    lo = np.searchsorted(v, v - epsilon, side="left")
    hi = np.searchsorted(v, v + epsilon, side="right")
    heard = np.empty_like(x)
    heard[order] = (cumulative[hi] - cumulative[lo]) / (hi - lo)
    return x + weight * (heard - x)


class Deliberation:
    """Runs the meetings of one model until a proposal passes or the rounds run out.

    Attributes:
        rounds: meetings held so far.
        adopted_day: the day the package was adopted (None while pending or failed).
        support_before: mean support for the proposal before the first meeting.
    """

    def __init__(self, model: CommunityModel, rule: DecisionRule, cfg: DeliberationConfig):
        self.model, self.rule, self.cfg = model, rule, cfg
        self.active = model.committee.proposal.changes_anything()
        self.rounds = 0
        self.next_day = cfg.first_meeting_day
        self.last_day = -cfg.min_gap_days
        self.adopted_day: int | None = None
        self.support_before: float | None = None
        self.complaints = np.zeros(cfg.complaint_window_days, dtype=np.int64)
        self.draws = model.streams["deliberation"]

    def daily(self, day: int, complaints: int) -> None:
        """Hold a meeting if one is due: scheduled, or brought forward by complaints."""
        self.complaints[day % len(self.complaints)] = complaints
        if not self.active:
            return
        triggered = (self.cfg.complaint_trigger > 0
                     and self.complaints.sum() >= self.cfg.complaint_trigger
                     and day - self.last_day >= self.cfg.min_gap_days)
        if day >= self.next_day or triggered:
            self.meet(day)

    def meet(self, day: int) -> None:
        """One round: councils, participation, discussion, the vote; adopt or amend."""
        model, cfg = self.model, self.cfg
        h = model.households
        if self.support_before is None:
            self.support_before = float(h.opinion.mean())
        self.rounds += 1
        self.last_day = day
        if self.rule.deliberates:
            if cfg.stairwell_councils:
                self.councils()
            attended = self.participants()
            h.opinion[attended] = discuss(h.opinion[attended], cfg.discussion_epsilon,
                                          cfg.discussion_weight)
        else:
            attended = np.zeros(len(h), dtype=bool)
        ballot = Ballot(owner=h.owner, area=h.area, attended=attended, yes=h.opinion > 0.5,
                        unit=h.unit, major=model.committee.proposal.major())
        outcome = self.rule.decide(ballot)
        model.meetings.append({"day": day, "round": self.rounds, "proposal": self.label(),
                               **asdict(outcome)})
        if outcome.passed:
            self.adopt(day, attended)
        elif self.rounds >= cfg.max_rounds:
            self.active = False
        else:
            model.committee.amend(cfg.compensation_step, cfg.max_compensation)
            model.set_anchors(keep_opinions=True)
            self.next_day = day + cfg.interval_days

    def label(self) -> str:
        """The proposal as the meeting log shows it: its name and the compensation offered."""
        committee = self.model.committee
        label = committee.proposal.summary()
        if committee.compensation:
            label += f" (compensation {committee.compensation:.0%})"
        return label

    def councils(self) -> None:
        """Stairwell councils: in each unit with a lead, members move toward the lead's view."""
        model = self.model
        h = model.households
        lead_of_unit = np.full(len(model.unit_has_lead), -1)
        lead_of_unit[model.units[h.lead]] = np.flatnonzero(h.lead)
        lead = lead_of_unit[model.units]
        members = np.flatnonzero((lead >= 0) & ~h.lead)
        h.opinion[members] += self.cfg.council_pull * (h.opinion[lead[members]]
                                                       - h.opinion[members])

    def participants(self) -> np.ndarray:
        """Who takes part in the vote (at the meeting or by a ballot a lead collects).

        The chance grows with the household's own propensity, with a lead serving its unit
        (mobilisation), with its stake (how much it expects to gain or lose) and with every
        repeated round; leads always take part.
        """
        model, cfg = self.model, self.cfg
        h = model.households
        stake = np.abs(2.0 * h.anchor - 1.0)
        p = (cfg.propensity_weight * h.attend_propensity + cfg.mobilisation * model.lead_nearby
             + cfg.stake_weight * stake + cfg.round_mobilisation * (self.rounds - 1))
        return (self.draws.random(len(h)) < p) | h.lead

    def adopt(self, day: int, attended: np.ndarray) -> None:
        """Adopt the package. A vote's legitimacy raises the participants' trust; a package
        the committee imposes costs everyone's."""
        model, cfg = self.model, self.cfg
        trust = model.households.trust
        if self.rule.deliberates:
            trust[attended] += cfg.legitimacy_gain * (1.0 - trust[attended])
        else:
            trust *= 1.0 - cfg.imposition_loss
        model.committee.adopt(day)
        model.set_anchors(keep_opinions=True)
        self.adopted_day = day
        self.active = False

    def summary(self) -> dict:
        """Rounds and days to consensus (None if none), support before and after."""
        h = self.model.households
        return {
            "meetings": self.rounds,
            "rounds_to_consensus": self.rounds if self.adopted_day is not None else None,
            "days_to_consensus": self.adopted_day,
            "support_before": self.support_before,
            "support_after": float(h.opinion.mean()),
            "compensation": self.model.committee.compensation,
        }
