"""Deliberation (大家商量着办): the negotiation over one resource, round after round.

The committee puts its proposal forward. Each round opens with stairwell councils
(楼门议事会), where leads pull their neighbours toward their view and hear objections; then
leads and volunteers bring written ballots door to door (:class:`sim.negotiation.turnout.Campaign`).
The committee calls the meeting once the notice period has passed and it either expects the
proposal to pass or grievances (complaints, conflicts) have built up. At the meeting,
residents who come discuss (bounded confidence in one room), voters who did not return a
written ballot take part in person or online or not at all (:mod:`sim.negotiation.turnout`), and the
decision rule counts the ballot; a party the resource names as a veto holder (a represented
group, a stakeholder that must agree) blocks a proposal it loses by, whatever the vote. A
passed proposal is adopted; after a failed one the
committee's search (:mod:`sim.negotiation.proposal_search`) keeps it, amends it or gives up.
Trust in the committee follows experience: being heard, seeing one's objection taken up or
ignored, winning or losing a vote, having a package imposed.

The negotiation sees the resource only through :class:`sim.resources.interface.Resource` and
the estate only through the arrays it is given; it does not import the model.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sim.config import DeliberationConfig, OpinionConfig
from sim.estate.electorate import Electorate
from sim.negotiation.channels import Channel, Reach
from sim.negotiation.councils import Ledger, hold_councils
from sim.negotiation.decision import Ballot, DecisionRule, Outcome
from sim.negotiation.decision import Electorate as Voters
from sim.negotiation.forecast import Forecast, score
from sim.negotiation.meeting_log import FAILURES, changes, groups, row, share
from sim.negotiation.proposal_search import ProposalSearch, Situation, Variant
from sim.negotiation.turnout import Campaign, chance, inclination, on_the_day
from sim.resources.interface import TOLERANCE, Evaluation, Resource


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


@dataclass(frozen=True)
class Procedure:
    """The rules of the negotiation: how a vote is counted, how one takes part, and how the
    committee amends a failed proposal."""

    rule: DecisionRule
    channels: list[Channel]
    search: ProposalSearch


class Deliberation:
    """The negotiation over one resource until a proposal passes, the committee gives up or
    the run ends.

    Args:
        electorate: the voters (its household table is the estate's).
        influence: the row-stochastic influence matrix W of the social network.
        units: per household, the stairwell or building a lead serves.
        resource: what is negotiated.
        procedure: decision rule, channels, search.
        cfg: the process's parameters; ``opinion``: how gains become views.
        rng: draws turnout and the visits; ``forecast_rng``: the committee's fixed keys.

    Attributes:
        rounds: meetings held so far.
        adopted_day: the day a proposal was adopted (None: not yet, or never).
        gave_up_day: the day the committee gave up (None: it did not).
        meetings: the meeting log, one dict per row
            (:data:`sim.negotiation.meeting_log.MEETING_COLUMNS`).
    """

    def __init__(self, electorate: Electorate, influence: sp.csr_array, units: np.ndarray,
                 resource: Resource, procedure: Procedure, cfg: DeliberationConfig,
                 opinion: OpinionConfig, rng: np.random.Generator,
                 forecast_rng: np.random.Generator):
        self.electorate, self.influence, self.units = electorate, influence, units
        self.resource, self.procedure, self.cfg, self.opinion = resource, procedure, cfg, opinion
        self.rng = rng
        self.space = procedure.search.space()
        resource.check_space(self.space, "proposal_search.space")
        self.level: Variant = tuple(0 for _ in self.space)
        self.active = resource.changes_anything()
        self.rounds, self.visits = 0, 0
        self.adopted_day: int | None = None
        self.gave_up_day: int | None = None
        self.support_before: float | None = None
        self.meetings: list[dict] = []
        self.last_put: dict[str, float] | None = None
        self.failed_on = dict.fromkeys(FAILURES, 0)
        self.tried: set[Variant] = set()
        households = electorate.households
        self.took_part_before = np.zeros(len(households), dtype=bool)
        self.voters = (electorate.owner if procedure.rule.voters() is Voters.owners
                       else electorate.resident)
        self.campaign: Campaign | None = None
        self.evaluate()
        self.anchor(keep_opinions=False)
        self.forecast = Forecast(electorate, procedure.rule, self.gain, cfg.responsiveness,
                                 cfg.forecast_margin, cfg.prior_turnout, forecast_rng)

    @property
    def rule(self) -> DecisionRule:
        """The decision rule votes are counted by."""
        return self.procedure.rule

    # -- proposals and views -----------------------------------------------------------------

    def terms(self, level: Variant | None = None) -> dict[str, float]:
        """The terms of a variant (default: the current one)."""
        level = self.level if level is None else level
        return {knob: levels[i] for (knob, levels), i in zip(self.space.items(), level,
                                                               strict=True)}

    def voter_gain(self, level: Variant) -> np.ndarray:
        """Per voter, its expected gain from a variant (an absentee owner: the owner's)."""
        evaluation = self.resource.evaluate(self.terms(level))
        return self._per_voter(evaluation.resident, evaluation.owner)

    def evaluate(self) -> None:
        """Evaluate the current proposal: gains, and who loses and why."""
        self.evaluation = self.resource.evaluate(self.terms())
        self.gain = self._per_voter(self.evaluation.resident, self.evaluation.owner)
        self.objections = self.resource.objections(self.terms(), self.evaluation)

    def _per_voter(self, resident: np.ndarray, owner: np.ndarray) -> np.ndarray:
        return self.electorate.join(resident, owner[self.electorate.absentees.flat])

    def anchor(self, keep_opinions: bool) -> None:
        """Anchor every voter's view on its gain and its trust in the committee.

        u = clip(½ + ``anchor_gain`` × gain + ``trust_weight`` × (trust − ½), 0, 1); a
        party-member lead backs the committee's proposal with at least
        ``deliberation.lead_support``. Views start at their anchors, or with
        ``keep_opinions`` move by as much as their anchors moved.
        """
        h, a = self.electorate.households, self.electorate.absentees
        for table, gain in ((h, self.evaluation.resident), (a, self.gain[len(h):])):
            anchor = 0.5 + self.opinion.anchor_gain * gain + self.opinion.trust_weight * (
                table.trust - 0.5)
            if table is h and self.resource.changes_anything():
                anchor[h.lead] = np.maximum(anchor[h.lead], self.cfg.lead_support)
            np.clip(anchor, 0.0, 1.0, out=anchor)
            moved = table.opinion + anchor - table.anchor if keep_opinions else anchor
            table.opinion[:] = np.clip(moved, 0.0, 1.0)
            table.anchor[:] = anchor

    def learn(self, who: np.ndarray, signal: np.ndarray | float) -> None:
        """Trust of the voters ``who`` (bool per voter) moves ``trust_rate`` of the way toward
        ``signal`` (1: a good experience of the committee, 0: a bad one)."""
        trust = self.electorate.trust()
        moved = trust + self.cfg.trust_rate * (signal - trust)
        n = self.electorate.residents
        h, a = self.electorate.households, self.electorate.absentees
        h.trust[who[:n]] = moved[:n][who[:n]]
        a.trust[who[n:]] = moved[n:][who[n:]]

    # -- the day -----------------------------------------------------------------------------

    def daily(self, day: int, grievances: int) -> None:
        """Prepare, or hold, the next meeting; impose the proposal on the proposal day when
        the rule does not deliberate."""
        if not self.active or day < self.cfg.proposal_day:
            return
        if not self.procedure.rule.deliberates:
            self.impose(day)
            return
        if self.campaign is None:
            self.open(day)
        self.grievances += grievances
        new = self.campaign.day()
        if len(new):
            self.written_yes[new] = self.electorate.opinion()[new] > 0.5
        called_on = self.due(day)
        if called_on:
            self.meet(day, called_on)

    def open(self, day: int) -> None:
        """Start preparing a meeting: councils hear the residents they reach, and the door to
        door campaign begins."""
        if self.support_before is None:
            self.support_before = float(self.electorate.households.opinion.mean())
        h = self.electorate.households
        self.prepared_from, self.grievances = day, 0
        heard = np.zeros(len(self.electorate), dtype=bool)
        if self.cfg.stairwell_councils:
            heard[:len(h)] = hold_councils(h.opinion, self.units, h.lead, self.cfg.council_pull)
        self.heard = heard
        self.learn(heard, 1.0)
        self.campaign = self._campaign()
        self.listen()
        self.written_yes = np.zeros(len(self.electorate), dtype=bool)

    def _campaign(self) -> Campaign:
        """Door-to-door written ballots, by the written channel if there is one."""
        e, h = self.electorate, self.electorate.households
        written = [c for c in self.procedure.channels if c.door_to_door]
        per_lead = written[0].params.visits_per_lead_per_day if written else 0
        max_visits = written[0].params.max_visits if written else 0
        unit = self.units[e.flat]
        leads = np.bincount(self.units[h.lead], minlength=int(self.units.max()) + 1)
        contact = e.join(np.ones(len(h), dtype=bool), e.absentees.contact)
        lead = e.join(h.lead, np.zeros(len(e.absentees), dtype=bool))
        reachable = self.voters & contact & (leads[unit] > 0) & ~lead
        cost = written[0].cost() if written else np.inf
        returns = chance(self._inclination(visited=np.ones(len(e), dtype=bool)), cost)
        return Campaign(reachable, unit, per_lead * leads, returns, max_visits, self.rng)

    def listen(self) -> None:
        """The committee notes the views it has heard (councils, visits) and what it now
        expects of the vote."""
        self.forecast.regroup()
        heard = self.heard | self.campaign.visited
        self.forecast.heard(heard, self.electorate.opinion() > 0.5, self.gain)
        self.expectation = self.forecast.expect(self.gain, self.resource.major())
        self.listened_at = self.campaign.visits
        self.expects: bool | None = None

    def due(self, day: int) -> str | None:
        """Why the committee calls the meeting today, if it does: grievances have built up,
        or it expects the proposal to pass with the ballots in hand."""
        if day - self.prepared_from < self.cfg.min_preparation_days:
            return None
        trigger = self.cfg.grievance_trigger * self.electorate.residents
        if self.cfg.grievance_trigger > 0 and self.grievances >= trigger:
            return "grievances"
        if self.campaign.visits > self.listened_at or self.expects is None:
            self.listen()
            self.expects = self.expectation.outcome(written=self.campaign.cast).passed
        return "expected_pass" if self.expects else None

    # -- the meeting -------------------------------------------------------------------------

    def meet(self, day: int, called_on: str) -> None:
        """One round: turnout, discussion, the vote; adopt, or amend and prepare the next."""
        e, h = self.electorate, self.electorate.households
        self.rounds += 1
        self.visits += self.campaign.visits
        written = self.campaign.cast
        channel, on_day = self._turnout(written)
        in_room = np.flatnonzero(on_day[:len(h)] & (channel[:len(h)] == self._in_person()))
        h.opinion[in_room] = discuss(h.opinion[in_room], self.cfg.discussion_epsilon,
                                     self.cfg.discussion_weight)
        took_part = written | on_day
        yes = np.where(written, self.written_yes, e.opinion() > 0.5)
        outcome = self.procedure.rule.decide(Ballot.of(e, took_part, yes, self.resource.major()))
        if outcome.passed and self.vetoed(self.evaluation):
            outcome = dataclasses.replace(outcome, passed=False, failed_on="veto")
        ballots = {name: int(np.count_nonzero(on_day & (channel == i)))
                   for i, name in enumerate(self._day_channels())}
        ballots["written_ballot"] = int(np.count_nonzero(written))
        self._record(day, called_on, outcome, took_part, yes, ballots, self.campaign.visits)
        self.learn(took_part, (yes == outcome.passed).astype(float))
        self.took_part_before = took_part[:len(h)]
        self.forecast.counted(took_part & self.voters, written)
        self.forecast.heard(took_part, yes, self.gain)
        if outcome.passed:
            self.adopt(day)
        else:
            self.amend(day, outcome, ~(e.opinion() > 0.5))

    def _inclination(self, visited: np.ndarray) -> np.ndarray:
        e = self.electorate
        social = e.join(self.influence @ self.took_part_before.astype(float),
                        np.zeros(len(e.absentees)))
        return inclination(self.cfg.turnout, np.abs(self.gain), e.propensity(), social, visited)

    def _day_channels(self) -> list[str]:
        """The names of the meeting-day channels (those not door to door), in config order."""
        return [c.name for c in self.procedure.channels if not c.door_to_door]

    def _in_person(self) -> int:
        """The index of the in-person channel among the meeting-day channels (−1: none)."""
        names = self._day_channels()
        return names.index("in_person") if "in_person" in names else -1

    def _turnout(self, written: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Who takes part on the meeting day (not those who returned a written ballot), and by
        which channel: the cheapest open; leads come in person when meetings are held."""
        e, h = self.electorate, self.electorate.households
        visited = self.campaign.visited
        reach = Reach(resident=e.resident, voter=self.voters, online=e.online, visited=visited)
        channels = [c for c in self.procedure.channels if not c.door_to_door]
        channel, takes_part = on_the_day(channels, reach, self._inclination(visited), self.rng)
        on_day = ~written & takes_part
        if self._in_person() >= 0:
            lead = e.join(h.lead, np.zeros(len(e.absentees), dtype=bool))
            on_day |= lead
            channel[lead] = self._in_person()
        return channel, on_day

    def _record(self, day: int, called_on: str, outcome: Outcome, took_part: np.ndarray,
                yes: np.ndarray, ballots: dict[str, int], visits: int) -> None:
        """Append the meeting's row to the log."""
        self.meetings.append(row(
            day=day, round=self.rounds, called_on=called_on,
            proposal=self.resource.describe(self.terms()),
            changed=changes(self.last_put, self.terms()), outcome=outcome,
            electorate=self.electorate, took_part=took_part, yes=yes, ballots=ballots,
            visits=visits))
        self.last_put = self.terms()

    # -- after the vote ----------------------------------------------------------------------

    def adopt(self, day: int) -> None:
        """Put the proposal in force; views re-anchor on trust (the gains stay as judged)."""
        self.resource.adopt(self.terms(), day)
        self.adopted_day = day
        self.active = False
        self.anchor(keep_opinions=True)

    def amend(self, day: int, outcome: Outcome, opposed: np.ndarray) -> None:
        """After a failed vote: the committee's search keeps, amends or gives up the proposal.

        Heard objectors whose objection the new proposal takes up (its knob moves on) gain
        trust; those it ignores lose it.
        """
        self.failed_on[outcome.failed_on] += 1
        if outcome.failed_on != "quorum":
            self.tried.add(self.level)
        heard = self.heard | self.campaign.visited
        ledger = Ledger.of(self.objections, self.electorate.flat, heard, opposed)
        major = self.resource.major()

        def expect(level: Variant) -> tuple[bool, float]:
            if self.resource.veto_holders() and self.vetoed(
                    self.resource.evaluate(self.terms(level))):
                return False, 0.0
            expected = self.forecast.expect(self.voter_gain(level), major).outcome()
            return expected.agreed, score(expected)

        situation = Situation(self.level, outcome.failed_on, ledger.by_knob(),
                              frozenset(self.tried), expect)
        chosen = self.procedure.search.next(situation)
        objector = heard & opposed & (self.objections.reason[self.electorate.flat] >= 0)
        self.learn(objector, self._taken_up(chosen)[self.electorate.flat].astype(float))
        self.campaign = None
        if chosen is None:
            self.active, self.gave_up_day = False, day
            return
        if chosen != self.level:
            self.level = chosen
            self.evaluate()
            self.anchor(keep_opinions=True)

    def _taken_up(self, chosen: Variant | None) -> np.ndarray:
        """Per flat, whether the chosen variant moves on the knob that answers its objection."""
        reason = self.objections.reason
        if chosen is None:
            return np.zeros(len(reason), dtype=bool)
        moved = {knob for knob, new, old in zip(self.space, chosen, self.level, strict=True)
                 if new > old}
        answered = np.array([remedy in moved for remedy in self.objections.remedies] + [False])
        return answered[reason]

    def vetoed(self, evaluation: Evaluation) -> bool:
        """A party at the meeting with a veto (:meth:`Resource.veto_holders`) loses: the
        proposal fails on its veto, whatever the vote."""
        gains = evaluation.gains()
        return any(gains[party] < -TOLERANCE for party in self.resource.veto_holders())

    def impose(self, day: int) -> None:
        """The committee adopts the proposal without a vote: nobody is heard; those who
        oppose it lose trust, those who wanted it gain some."""
        e = self.electorate
        self.support_before = float(e.households.opinion.mean())
        yes = e.opinion() > 0.5
        nobody = np.zeros(len(e), dtype=bool)
        outcome = self.procedure.rule.decide(Ballot.of(e, nobody, yes, self.resource.major()))
        self._record(day, "imposed", outcome, nobody, yes, {}, visits=0)
        self.learn(np.ones(len(e), dtype=bool), yes.astype(float))
        self.adopt(day)

    # -- results -----------------------------------------------------------------------------

    def summary(self) -> dict:
        """Rounds and days to consensus (None if none), what votes failed on, support."""
        e = self.electorate
        yes = e.opinion() > 0.5
        return {
            "has_proposal": self.resource.changes_anything(),
            "rounds": self.rounds,
            "rounds_to_consensus": self.rounds if self.adopted_day is not None else None,
            "days_to_consensus": self.adopted_day,
            "gave_up": self.gave_up_day is not None,
            "failed_on_counts": dict(self.failed_on),
            "support_by_group_final": {g: share(yes & m, m) for g, m in groups(e).items()},
            "support_before": self.support_before,
            "support_after": float(e.households.opinion.mean()),
            "terms": self.terms(),
            "visits": self.visits,
        }
