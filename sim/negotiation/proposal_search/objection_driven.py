"""Objection-driven search for a compromise (按痛点协商)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from sim.config import count
from sim.negotiation.proposal_search import ProposalSearch, Situation, Variant, check_space
from sim.rules.registry import register


@register
class ObjectionDriven(ProposalSearch):
    """The committee turns the knobs that answer the objections it heard (痛点库), and puts
    the variant it expects to pass with the least change: the fewest level steps from the
    proposal that failed, ties going to moves on the knobs most objected to. It amends by at
    most ``max_step`` level steps a round (a proposal changed beyond recognition would be a new
    one), and never puts again a variant that failed on substance. After a vote that failed
    only on its quorum, a proposal it still expects to pass is kept. If it expects no variant
    within reach to pass, it puts the one it expects to come closest; it gives up when none is
    left. With no objection answered by any knob, it considers every knob.

    Source: the article's 痛点库 (pain-point library) and 反复式商量 (repeated rounds); in
    bargaining terms, a proposer who must win a qualified majority offers the cheapest
    coalition enough to pass (Baron & Ferejohn 1989), limited to what councils report.
    """

    en = "Answer the objections heard"
    zh = "按痛点协商"

    @dataclass
    class Params:
        name: str = "objection_driven"
        space: dict[str, list[float]] = field(default_factory=lambda: {
            "tenant_quota": [0.0, 0.1, 0.2],
            "second_car_quota": [0.0, 0.1, 0.2],
            "price": [1.0, 0.85, 0.7],
            "compensation": [0.0, 0.5, 1.0],
        })
        max_step: int = count(2, minimum=1)

        def check_consistency(self, prefix: str) -> None:
            check_space(self.space, prefix)

    def next(self, situation: Situation) -> Variant | None:
        """The least change expected to pass, else the closest to passing, else None."""
        current = situation.current
        if situation.failed_on == "quorum" and situation.expect(current)[0]:
            return current
        weights = [situation.objections.get(knob, 0) for knob in self.params.space]
        best, best_score = None, -1.0
        for variant in self._candidates(current, weights, situation.tried):
            passes, score = situation.expect(variant)
            if passes:
                return variant
            if score > best_score:
                best, best_score = variant, score
        return best

    def _candidates(self, current: Variant, weights: list[int],
                    tried: frozenset[Variant]) -> list[Variant]:
        """Variants within ``max_step`` moving only the objected knobs (all, if none is),
        least change first."""
        movable = [w > 0 for w in weights] if any(weights) else [True] * len(weights)
        ranges = [range(len(levels)) if move else [level]
                  for levels, move, level in zip(self.params.space.values(), movable, current,
                                                 strict=True)]

        def change(variant: Variant) -> tuple[int, int]:
            steps = [abs(a - b) for a, b in zip(variant, current, strict=True)]
            return sum(steps), -sum(w * s for w, s in zip(weights, steps, strict=True))

        variants = [v for v in itertools.product(*ranges)
                    if v != current and v not in tried and change(v)[0] <= self.params.max_step]
        return sorted(variants, key=change)
