"""The parking kernel: fill spaces with cars in priority order, respecting who may use what.

Both standing permits (on allocation days) and each night's first-come-first-served parking
go through :func:`fill_spaces`, which costs one sort of the priority key plus a few masked
passes over the cars.
"""

from __future__ import annotations

import numpy as np

from sim.state import Cars, Households, SpaceKind, Spaces


def eligible_for_kind(kind: SpaceKind, households: Households, cars: Cars) -> np.ndarray | None:
    """Which cars may use spaces of this kind (None: every car).

    Roadside permit spaces go only to cars of 五证合一 households.
    """
    if kind is SpaceKind.ROADSIDE:
        return households.five_in_one[cars.household]
    return None


def fill_spaces(
    order: np.ndarray,
    wants: np.ndarray,
    free: np.ndarray,
    spaces: Spaces,
    households: Households,
    cars: Cars,
) -> np.ndarray:
    """Give free spaces to cars in ``order``; restricted kinds first, to cars allowed there.

    Args:
        order: car indices, first served first (a permutation of some or all cars).
        wants: bool per car, True for cars still looking for a space.
        free: bool per space, True for spaces that may be given out.
        spaces, households, cars: the state tables (read only).

    Returns:
        The car index assigned to each space (-1 where none). Restricted spaces are filled
        first so that eligible cars use them and leave the open spaces to others, which
        serves as many cars as any assignment can.
    """
    assigned = np.full(len(spaces), -1, dtype=np.int64)
    waiting = wants.copy()
    kinds = sorted(
        (SpaceKind(k) for k in np.unique(spaces.kind[free])),
        key=lambda k: eligible_for_kind(k, households, cars) is None,
    )
    for kind in kinds:
        slots = np.flatnonzero(free & (spaces.kind == kind))
        allowed = eligible_for_kind(kind, households, cars)
        candidates = order[waiting[order] & allowed[order]] if allowed is not None else (
            order[waiting[order]]
        )
        taken = candidates[: len(slots)]
        assigned[slots[: len(taken)]] = taken
        waiting[taken] = False
    return assigned


def night(
    spaces: Spaces, households: Households, cars: Cars, arrival_key: np.ndarray
) -> np.ndarray:
    """One night's parking: permit holders park in their spaces, others take free ones.

    Args:
        arrival_key: per car; the order in which cars without a permit look for a free space
            (lower first).

    Returns:
        Bool per car: legally parked tonight. Zombie cars never count.
    """
    usable = spaces.usable()
    parked = np.zeros(len(cars), dtype=bool)
    permit = usable & (spaces.holder >= 0)
    parked[spaces.holder[permit]] = True
    wants = ~parked & ~cars.zombie
    free = usable & ~permit
    if free.any() and wants.any():
        order = np.argsort(arrival_key)
        taken = fill_spaces(order, wants, free, spaces, households, cars)
        parked[taken[taken >= 0]] = True
    return parked


def allocate_permits(
    spaces: Spaces, households: Households, cars: Cars, key: np.ndarray, allocatable: np.ndarray
) -> None:
    """Hand out standing permits on the ``allocatable`` spaces in order of ``key``.

    Permits already held on other spaces stay; cars that hold one are not considered again.
    Writes ``spaces.holder``.
    """
    spaces.holder[allocatable] = -1
    wants = ~cars.zombie
    wants[spaces.holder[spaces.holder >= 0]] = False
    order = np.argsort(key)
    assigned = fill_spaces(order, wants, allocatable, spaces, households, cars)
    spaces.holder[allocatable] = assigned[allocatable]
