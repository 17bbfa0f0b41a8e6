"""The committee decides alone (委员会直接决定): no deliberation, the counterfactual."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sim.negotiation.decision import Ballot, DecisionRule, Electorate, Outcome, Tally
from sim.rules.registry import register


@register
class CommitteeDecides(DecisionRule):
    """The proposal is adopted at once, whatever residents think; no meetings are held.

    The outcome still reports how the ballot's residents (tenants included) stand, so that
    support for an imposed rule can be compared with support for a deliberated one.

    Source: none in the article; it is the counterfactual to "大家商量着办" (deciding together).
    """

    en = "Committee decides (no deliberation)"
    zh = "委员会直接决定（不协商）"
    deliberates: ClassVar[bool] = False

    @dataclass
    class Params:
        name: str = "committee_decides"

    def voters(self) -> Electorate:
        """Residents: whose support the outcome reports."""
        return Electorate.residents

    def decide(self, ballot: Ballot) -> Outcome:
        residents = ballot.electorate(Electorate.residents)
        return Tally.of(ballot, residents).outcome(quorum_met=True, agreed=True)
