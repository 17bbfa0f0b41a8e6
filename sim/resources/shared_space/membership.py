"""Which households have a member in each group of users of a shared space.

A household may belong to several groups (an elderly parent and a student under one roof).
Each group gets exactly ``round(share × households)`` member households, drawn at random;
households with the group's preferred trait (e.g. ``special_need`` for the elderly, ``party``
for party-building study) join first. One draw per group, each a whole-array operation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

TRAITS = ("special_need", "party", "owner")
"""Household columns (:class:`sim.estate.state.Households`) a group may prefer."""


def draw(shares: Sequence[float], prefer: Sequence[str], households,
         rng: np.random.Generator) -> np.ndarray:
    """Membership of every household in every group.

    Args:
        shares: per group, the share of households with a member.
        prefer: per group, a trait in :data:`TRAITS` whose holders join first ("" for none).
        households: the household table (:class:`sim.estate.state.Households`).
        rng: the generator for these draws (spawned from the run seed).

    Returns:
        A boolean array (households × groups).
    """
    n = len(households)
    members = np.zeros((n, len(shares)), dtype=bool)
    for g, (group_share, trait) in enumerate(zip(shares, prefer, strict=True)):
        key = rng.random(n)
        if trait:
            key += ~getattr(households, trait)  # holders first: their keys stay below 1
        members[np.argsort(key, kind="stable")[: round(group_share * n)], g] = True
    return members
