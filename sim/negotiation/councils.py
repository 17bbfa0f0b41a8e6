"""Stairwell councils (楼门议事会) and the committee's ledger of objections (痛点库).

Before each meeting, every lead holds a council in the unit it serves: the members hear the
lead and move toward its view, and the lead reports to the committee who objects and why.
What the committee learns of residents' objections it learns here, and, for owners living
elsewhere, on the leads' visits; it never reads private opinions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.resources.interface import Objections


def hold_councils(opinion: np.ndarray, units: np.ndarray, lead: np.ndarray,
                  pull: float) -> np.ndarray:
    """In each unit with a lead, members move ``pull`` of the way toward the lead's view.

    Args:
        opinion: per household, updated in place.
        units: per household, the stairwell or building a lead serves.
        lead: per household, True for a lead (at most one per unit).

    Returns:
        Per household, True where a council heard it (every household of a unit with a lead).
    """
    lead_of_unit = np.full(int(units.max(initial=-1)) + 1, -1)
    lead_of_unit[units[lead]] = np.flatnonzero(lead)
    lead_row = lead_of_unit[units]
    members = np.flatnonzero((lead_row >= 0) & ~lead)
    opinion[members] += pull * (opinion[lead_row[members]] - opinion[members])
    return lead_row >= 0


@dataclass(frozen=True)
class Ledger:
    """痛点库: the objections the committee heard, counted by reason.

    Attributes:
        counts: per reason, the voters heard objecting for it.
        reasons, remedies: as in :class:`sim.resources.interface.Objections`.
    """

    counts: np.ndarray
    reasons: tuple[str, ...]
    remedies: tuple[str | None, ...]

    @classmethod
    def of(cls, objections: Objections, flat: np.ndarray, heard: np.ndarray,
           opposed: np.ndarray) -> Ledger:
        """Count the heard voters who oppose the proposal and whose flat loses under it.

        Args:
            flat: per voter, its flat (household row).
            heard, opposed: bool per voter.
        """
        reason = objections.reason[flat]
        counted = heard & opposed & (reason >= 0)
        counts = np.bincount(reason[counted], minlength=len(objections.reasons))
        return cls(counts, objections.reasons, objections.remedies)

    def by_knob(self) -> dict[str, int]:
        """Heard objections per knob that answers them."""
        knobs: dict[str, int] = {}
        for remedy, count in zip(self.remedies, self.counts.tolist(), strict=True):
            if remedy is not None:
                knobs[remedy] = knobs.get(remedy, 0) + count
        return knobs
