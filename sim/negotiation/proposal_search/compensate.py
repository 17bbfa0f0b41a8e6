"""Compensate step by step (逐轮加补偿), whatever the objections."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.negotiation.proposal_search import ProposalSearch, Situation, Variant, check_space
from sim.rules.registry import register


@register
class Compensate(ProposalSearch):
    """After every failed vote every knob of the space moves one level further toward the
    losers, whatever was heard, until all are at their last level; the committee never
    gives up. With the default space, the quotas for tenants' cars and for second cars rise
    by 0.05 each and the compensation by 0.1 a round, up to half the spaces and half the
    losses: the project's behaviour before the committee listened to objections.

    Source: none; a baseline for the objection-driven search.
    """

    en = "More compensation each round"
    zh = "逐轮加补偿"

    @dataclass
    class Params:
        name: str = "compensate"
        space: dict[str, list[float]] = field(default_factory=lambda: {
            "tenant_quota": [0.0, 0.05, 0.1, 0.15, 0.2, 0.25],
            "second_car_quota": [0.0, 0.05, 0.1, 0.15, 0.2, 0.25],
            "compensation": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
        })

        def check_consistency(self, prefix: str) -> None:
            check_space(self.space, prefix)

    def next(self, situation: Situation) -> Variant:
        """One level up on every knob not yet at its last level."""
        tops = [len(levels) - 1 for levels in self.params.space.values()]
        return tuple(min(level + 1, top) for level, top in zip(situation.current, tops,
                                                               strict=True))
