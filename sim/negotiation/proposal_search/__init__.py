"""The committee's search for a compromise between rounds (configs/proposal_search/).

After a failed vote the committee picks the next proposal from a space of variants: the
package with other terms, a level for each knob (for parking: quotas for tenants' cars and
for second cars, a price factor, compensation for other losses;
:mod:`sim.resources.parking.resource`).
A variant is a tuple of level indices, one per knob of the space, in the space's order; the
first level of each knob is the package as proposed, later levels go further toward the
groups that object. A search may keep the proposal, change it, or give up (None).

The search sees only the space, what the committee heard and what it expects
(:class:`Situation`); never a resource or a household's private opinion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from sim.config import ConfigError
from sim.rules.base import Rule

Variant = tuple[int, ...]
"""Level indices, one per knob of the space."""


@dataclass(frozen=True)
class Situation:
    """What the committee knows when it picks the next proposal.

    Attributes:
        current: the variant just voted on.
        failed_on: why the vote failed (``quorum``, ``threshold`` or ``veto``).
        objections: per knob, the heard objections its later levels answer (痛点库).
        tried: variants that failed on substance (threshold or veto) so far.
        expect: for a variant, whether the committee expects the votes cast to adopt it
            (the quorum being a matter of canvassing, not of terms) and how close it expects
            it to come (the lower of its expected yes shares).
    """

    current: Variant
    failed_on: str
    objections: Mapping[str, int]
    tried: frozenset[Variant]
    expect: Callable[[Variant], tuple[bool, float]]


class ProposalSearch(Rule):
    """Picks the proposal to put after a failed vote."""

    group: ClassVar[str] = "proposal_search"

    def space(self) -> dict[str, list[float]]:
        """The knobs and their levels (none: the package is put as it is)."""
        return dict(self.params.space)

    def next(self, situation: Situation) -> Variant | None:
        """The variant to put next, or None to give up."""
        raise NotImplementedError


def check_space(space: Mapping[str, list[float]], prefix: str) -> None:
    """A space must name at least one knob, each with at least one level.

    Raises:
        ConfigError: naming the key of the empty space or knob.
    """
    if not space:
        raise ConfigError(f"{prefix}.space", {}, "must name at least one knob with its levels")
    for knob, levels in space.items():
        if not levels:
            raise ConfigError(f"{prefix}.space.{knob}", [],
                              "must list at least one level (the first: as proposed)")
