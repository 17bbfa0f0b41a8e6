"""A simple majority of those voting (简单多数)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sim.negotiation.decision import Ballot, DecisionRule, Electorate, Outcome, Tally, more_than
from sim.rules.registry import register

HALF = Fraction(1, 2)


@register
class SimpleMajority(DecisionRule):
    """More than half of those who take part vote yes, by head count; no quorum beyond at
    least one vote. By default every resident household votes, tenants included (owners
    living elsewhere do not).

    Source: the plain majority vote of a residents' meeting (居民会议), the baseline against
    which the Civil Code's owner rule and unanimity are compared.
    """

    en = "Simple majority of residents"
    zh = "简单多数"

    @dataclass
    class Params:
        name: str = "simple_majority"
        voters: Electorate = Electorate.residents

    def decide(self, ballot: Ballot) -> Outcome:
        t = Tally.of(ballot, ballot.electorate(self.params.voters))
        quorum = t.attended_heads > 0
        return t.outcome(quorum, more_than(t.yes_heads, t.attended_heads, HALF))
