"""What a plan gives each group of users, and the plan's features that stakeholders weigh.

Every session (a group in a place in a slot) is worth its hours times five factors, each in
[0, 1]:

- **fit**: how well the slot's time suits the group;
- **size**: min(1, the place's m² / the m² a session of the group needs);
- **place**: the condition of the place (the unrenovated space: ``condition``; renovated: 1;
  an outside venue: its condition × access);
- **quiet**: Π over the other sessions at the same time of (1 − conflict[g, h] × hearing),
  hearing 1 within one enclosure, ``sound_leak`` between rooms of the space, 0 across sites;
- **fee**: (1 − fee / wtp)⁺ — and a group whose fee is at or above what it pays does not come.

A group's effective hours E are the sum over its sessions; the share of its demand D met is
min(1, E / D). Utilisation is the m² the held sessions need (at most the room's) times their
hours, over the space's m² times its opening hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.resources.shared_space.plan import IDLE

if TYPE_CHECKING:
    from sim.resources.shared_space.plan import Plan
    from sim.resources.shared_space.setting import Setting

FACTORS = ("fee", "hours", "fit", "size", "place", "quiet")
"""What a group's value is made of, in the order objections look for a cause."""


@dataclass(frozen=True)
class Usage:
    """What one plan gives (one entry per group unless said otherwise).

    Attributes:
        hours: hours a week of sessions held.
        effective: hours a week weighted by fit, size, place, quiet and fee.
        met: share of the group's demand met, min(1, effective / demand).
        factors: per factor of :data:`FACTORS`, its hour-weighted mean over the group's
            sessions (``hours``: the hours themselves; NaN without sessions).
        utilisation: share of the space's m²·hours the held sessions use.
        features: the plan's :data:`FEATURES`.
    """

    hours: np.ndarray
    effective: np.ndarray
    met: np.ndarray
    factors: dict[str, np.ndarray]
    utilisation: float
    features: dict[str, float]


def measure(plan: Plan, setting: Setting, renovated: bool, member_share: np.ndarray) -> Usage:
    """Measure a plan.

    Args:
        plan: the plan.
        setting: the compiled config of the space.
        renovated: whether the space has been renovated already (no cost to renovate again).
        member_share: share of households with a member in each group (for ``welfare``).
    """
    s, n_groups = setting, len(setting.groups)
    places = _Places.of(plan, s, renovated)
    fee = _fee_factor(plan.fees, s.wtp)
    g = np.where(places.use == IDLE, 0, places.use)
    held = (places.use != IDLE) & (fee[g] > 0)
    hours = np.where(held, s.hours, 0.0)
    factors = _session_factors(places, g, held, s)
    value = hours * fee[g] * np.prod(list(factors.values()), axis=0)

    def per_group(weights: np.ndarray) -> np.ndarray:
        return np.bincount(g[held], weights=weights[held], minlength=n_groups)

    group_hours, effective = per_group(hours), per_group(value)
    met = np.minimum(1.0, effective / s.demand)
    means = {name: np.divide(per_group(hours * factor), group_hours,
                             out=np.full(n_groups, np.nan), where=group_hours > 0)
             for name, factor in factors.items()}
    inside, area = places.inside, places.area[: places.inside, None]
    needed = np.minimum(area, s.need[g[:inside]])
    features = {
        "area_hours": float((area * hours[:inside]).sum()),
        "hazard": 1.0 - places.condition,
        "renovation": s.renovation_cost * s.area if plan.renovate and not renovated else 0.0,
        "fee_income": float(group_hours @ plan.fees),
        "hosted_hours": float(hours[inside:].sum()),
        "welfare": float(member_share @ met),
    }
    return Usage(
        hours=group_hours,
        effective=effective,
        met=met,
        factors={"fee": fee, "hours": group_hours, **means},
        utilisation=float((needed * hours[:inside]).sum() / (s.area * s.hours.sum())),
        features=features,
    )


@dataclass(frozen=True)
class _Places:
    """The places of a plan: its rooms inside the space, then one venue per moved group.

    Attributes:
        use: group in each place and slot (places × slots; a moved group holds the slots its
            venue offers).
        area: m² of each place; place: condition (× access outside) of each place.
        hearing: how fully each place hears each other (places × places).
        inside: the number of rooms inside; condition: the space's condition.
    """

    use: np.ndarray
    area: np.ndarray
    place: np.ndarray
    hearing: np.ndarray
    inside: int
    condition: float

    @classmethod
    def of(cls, plan: Plan, s: Setting, renovated: bool) -> _Places:
        moved = np.flatnonzero(plan.venue != IDLE)
        venues = plan.venue[moved]
        condition = 1.0 if renovated or plan.renovate else s.condition
        inside = len(plan.rooms)
        return cls(
            use=np.vstack([plan.use, np.where(s.site_offers[venues], moved[:, None], IDLE)]),
            area=np.concatenate([[room.area for room in plan.rooms], s.site_area[venues]]),
            place=np.concatenate([np.full(inside, condition), s.site_place[venues]]),
            hearing=_hearing(plan, len(moved), s.sound_leak),
            inside=inside,
            condition=condition,
        )


def _fee_factor(fees: np.ndarray, wtp: np.ndarray) -> np.ndarray:
    """(1 − fee / wtp)⁺ per group; a group that will pay nothing keeps 1 only when free."""
    ratio = np.divide(fees, wtp, out=np.where(fees > 0, np.inf, 0.0), where=wtp > 0)
    return np.clip(1.0 - ratio, 0.0, 1.0)


def _session_factors(places: _Places, g: np.ndarray, held: np.ndarray,
                     s: Setting) -> dict[str, np.ndarray]:
    """Fit, size, place and quiet of every place and slot (places × slots each)."""
    heard = s.conflict[g[:, None, :], g[None, :, :]] * places.hearing[:, :, None]
    return {
        "fit": s.fit[g, np.arange(g.shape[1])],
        "size": np.minimum(1.0, places.area[:, None] / s.need[g]),
        "place": np.broadcast_to(places.place[:, None], g.shape),
        "quiet": np.prod(1.0 - heard * held[None, :, :], axis=1),
    }


def _hearing(plan: Plan, moved: int, sound_leak: float) -> np.ndarray:
    """How fully each place hears each other place (places × places; 0 on the diagonal).

    Rooms of one enclosure hear each other fully, other rooms of the space ``sound_leak``;
    outside venues (the last ``moved`` places) hear nothing of the others.
    """
    enclosure = np.array([room.enclosure for room in plan.rooms])
    inside = len(enclosure)
    hearing = np.zeros((inside + moved, inside + moved))
    hearing[:inside, :inside] = np.where(enclosure[:, None] == enclosure[None, :], 1.0,
                                         sound_leak)
    np.fill_diagonal(hearing, 0.0)
    return hearing
