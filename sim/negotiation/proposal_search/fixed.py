"""Fixed: the committee never amends its proposal (不修改方案)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.negotiation.proposal_search import ProposalSearch, Situation, Variant
from sim.rules.registry import register


@register
class Fixed(ProposalSearch):
    """The committee puts the same proposal again after every failed vote and never gives
    up; only opinions, trust and turnout can change between rounds.

    Source: none; the counterfactual to a committee that negotiates.
    """

    en = "No amendment"
    zh = "不修改方案"

    @dataclass
    class Params:
        name: str = "fixed"

    def space(self) -> dict[str, list[float]]:
        """No knobs."""
        return {}

    def next(self, situation: Situation) -> Variant:
        """The same proposal."""
        return situation.current
