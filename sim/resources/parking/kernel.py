"""The parking kernel: fill spaces with cars in priority order, respecting who may use what.

Standing permits (on allocation days) and each night's first-come-first-served parking both go
through the same serving loop (:func:`fill_spaces`), which costs one sort of the priority key
plus a few masked passes over the cars. Permits are held by households: a household holding k
permits parks its first k active cars in them. What a night reads before anyone arrives (who
parks in a permit space, the free spaces and their serving groups) is a :class:`Layout`, kept
from night to night while the tables stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from sim.estate.state import Cars, Households, SpaceKind, Spaces, Use


def eligible_for_kind(kind: SpaceKind, households: Households, cars: Cars) -> np.ndarray | None:
    """Which cars may use spaces of this kind (None: every car).

    Roadside permit spaces go only to cars of 五证合一 households.
    """
    if kind is SpaceKind.ROADSIDE:
        return households.five_in_one[cars.household]
    return None


_GROUPS = len(SpaceKind) * len(Use)


def _groups(free: np.ndarray, spaces: Spaces):
    """The free spaces grouped by (kind, use), in serving order.

    Restricted (roadside) spaces come first, so eligible cars use them and leave open spaces
    to others; then fixed before rotating before temporary, so the first in line get the best
    spaces.

    Returns:
        ``(kind, slots)`` pairs, ``slots`` the indices of the group's free spaces.
    """
    index = free.nonzero()[0]  # np.flatnonzero, without its two Python-level calls
    if not len(index):
        return []
    kind = spaces.kind[index]
    rank = (kind != SpaceKind.ROADSIDE) * _GROUPS + kind * len(Use) + spaces.use[index]
    if (rank[1:] < rank[:-1]).any():  # not yet in serving order (often it is: no sort then)
        order = np.argsort(rank, kind="stable")
        index, rank, kind = index[order], rank[order], kind[order]
    starts = [0, *((rank[1:] != rank[:-1]).nonzero()[0] + 1).tolist()]
    return [(SpaceKind(int(kind[a])), index[a:b])
            for a, b in zip(starts, [*starts[1:], len(index)], strict=True)]


def fill_spaces(
    order: np.ndarray,
    wants: np.ndarray,
    free: np.ndarray,
    spaces: Spaces,
    households: Households,
    cars: Cars,
    car_wtp: np.ndarray | None = None,
) -> np.ndarray:
    """Give free spaces to cars in ``order``, respecting eligibility and prices.

    Args:
        order: car indices, first served first (a permutation of some or all cars).
        wants: bool per car, True for cars looking for a space.
        free: bool per space, True for spaces that may be given out.
        spaces, households, cars: the state tables (read only).
        car_wtp: if given, a car only takes a space whose price it is willing to pay
            (yuan/month, compared with the group's price; prices are uniform within a use).

    Returns:
        The car index assigned to each space (-1 where none). Serving restricted spaces
        first serves as many cars as any assignment can.
    """
    assigned = np.full(len(spaces), -1, dtype=np.int64)
    for slots, taken in _serve(_looking(order, wants), wants, _groups(free, spaces), households,
                               cars, car_wtp, spaces.price):
        assigned[slots] = taken
    return assigned


def _serve(queue, wants, groups, households, cars, car_wtp=None, price=None):
    """:func:`fill_spaces` group by group (``groups`` as :func:`_groups` makes them): cars in
    ``queue`` order (each looking for a space: ``wants``) take each group's slots in turn.
    Yields ``(slots, taken)``, the group's slots given out and the cars given them."""
    waiting = None  # who still waits, once a group has served someone and another follows
    for group, (kind, slots) in enumerate(groups, start=1):
        candidates = queue
        allowed = eligible_for_kind(kind, households, cars)
        if allowed is not None:
            candidates = candidates[allowed[candidates]]
        if car_wtp is not None:
            candidates = candidates[car_wtp[candidates] >= price[slots[0]]]
        taken = candidates[: len(slots)]
        if len(taken):
            yield slots[: len(taken)], taken
            if group < len(groups):
                waiting = wants.copy() if waiting is None else waiting
                waiting[taken] = False
                queue = queue[waiting[queue]]


def permits_held(spaces: Spaces, households: int) -> np.ndarray:
    """Number of usable permit spaces each household holds."""
    held = spaces.usable() & (spaces.holder >= 0)
    return np.bincount(spaces.holder[held], minlength=households)


@dataclass
class Night:
    """One night's parking outcome."""

    parked: np.ndarray  # bool per car: legally parked
    stranded: np.ndarray  # bool per car: active but without a legal space (parked illegally)
    let_spaces: int  # spaces let for the night to residents without a permit
    visitors_parked: int  # spaces let for the night to visitors
    usable_spaces: int  # spaces a car could park in tonight
    permits: int  # usable permit spaces held (temporary spaces left out)


@dataclass(frozen=True)
class Layout:
    """What a night reads from the spaces and cars before anyone arrives: which cars park in
    their household's permit spaces, which look for a space, which spaces are free and how
    they are served.

    It changes only when the committee, the month's events or a caller change those tables,
    so a caller that parks night after night keeps it (:meth:`of` with the previous one) and
    skips some thirty whole-array passes a night. It is keyed on the tables' bytes, not on
    who may have changed them: a change made anywhere is seen. Its arrays are read-only.
    """

    key: tuple  # the table sizes and columns it was computed from (see _state_key)
    active: np.ndarray  # bool per car: not a zombie
    permit_parked: np.ndarray  # bool per car: parks in a permit space of its household
    wants: np.ndarray  # bool per car: active, without a permit space: looks for a space
    looking: np.ndarray  # indices of the cars looking for a space (those of ``wants``)
    free: np.ndarray  # bool per space: usable and held by nobody
    free_count: int
    general: np.ndarray  # indices of the free spaces visitors may take (not roadside)
    groups: list  # the free spaces by serving group (see _groups)
    usable_spaces: int  # spaces a car can park in
    permits: int  # usable permit spaces held (temporary spaces left out)

    @cached_property
    def flat_groups(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:attr:`groups` as three arrays, for compiled code: whether each group is
        restricted (roadside), where each group's slots start and end in the third (CSR-style
        bounds, one more than the groups), and the slots one group after another."""
        bounds = np.cumsum([0, *(len(slots) for _, slots in self.groups)], dtype=np.int64)
        slots = (np.concatenate([slots for _, slots in self.groups]).astype(np.int64)
                 if self.groups else np.empty(0, dtype=np.int64))
        roadside = np.array([kind is SpaceKind.ROADSIDE for kind, _ in self.groups], dtype=bool)
        for column in (roadside, bounds, slots):
            column.flags.writeable = False
        return roadside, bounds, slots

    @classmethod
    def of(cls, spaces: Spaces, households: Households, cars: Cars,
           previous: Layout | None = None) -> Layout:
        """The layout of these tables: ``previous`` itself when they have not changed."""
        key = _state_key(spaces, cars, len(households))
        if previous is not None and previous.key == key:
            return previous
        active = ~cars.zombie
        usable = spaces.usable()
        held = usable & (spaces.holder >= 0)
        permits = np.bincount(spaces.holder[held], minlength=len(households))
        permit_parked = active & (cars.rank < permits[cars.household])
        free = usable ^ held  # usable and unheld (held ⊆ usable)
        wants = active ^ permit_parked  # active and not in a permit space
        looking = wants.nonzero()[0]
        general = (free & (spaces.kind != SpaceKind.ROADSIDE)).nonzero()[0]
        for column in (active, permit_parked, wants, looking, free, general):
            column.flags.writeable = False
        return cls(key, active, permit_parked, wants, looking, free,
                   int(np.count_nonzero(free)), general, _groups(free, spaces),
                   int(np.count_nonzero(usable)),
                   int(np.count_nonzero(held & (spaces.use != Use.TEMPORARY))))


def _state_key(spaces: Spaces, cars: Cars, households: int) -> tuple:
    """The table sizes and the bytes of every column a :class:`Layout` is computed from (a
    tuple, compared column by column: joining them would copy every byte once more)."""
    return (len(spaces), len(cars), households, spaces.kind.tobytes(), spaces.use.tobytes(),
            spaces.open.tobytes(), spaces.blocked.tobytes(), spaces.holder.tobytes(),
            cars.household.tobytes(), cars.rank.tobytes(), cars.zombie.tobytes())


def night(
    spaces: Spaces,
    households: Households,
    cars: Cars,
    arrival_key: np.ndarray | None,
    visitors: int,
    rng: np.random.Generator,
    layout: Layout | None = None,
) -> Night:
    """Permit holders park in their spaces; everyone else competes for the unheld ones.

    Cars without a permit and ``visitors`` arrive in random order. Visitors cannot use
    restricted (roadside) spaces; of the other free spaces they take as many as a random
    arrival order gives them (a hypergeometric draw), and resident cars fill the rest in
    arrival order: ``arrival_key`` order (lower first) when given, else a uniformly random
    order of the cars still looking.

    Args:
        layout: the tables' :class:`Layout`, when the caller keeps one (else computed here).
    """
    layout = layout or Layout.of(spaces, households, cars)
    parked = layout.permit_parked.copy()
    groups = layout.groups
    visitors_parked = park_visitors(layout, visitors, rng)
    if visitors_parked:  # they take the last general spaces (those from index `first` on,
        # general being sorted): take those out of the groups (each group's slots are
        # ascending, so the ones left are a prefix); roadside ones keep all
        first = first_visitor_space(layout, visitors_parked)
        groups = [(kind, left) for kind, slots in groups if len(
            left := slots if kind is SpaceKind.ROADSIDE else slots[:slots.searchsorted(first)])]
    let = 0
    if residents_served(layout, visitors_parked):
        queue = (_looking(np.argsort(arrival_key), layout.wants) if arrival_key is not None
                 else rng.permutation(layout.looking))
        for _, taken in _serve(queue, layout.wants, groups, households, cars):
            parked[taken] = True
            let += len(taken)
    return Night(parked, layout.active ^ parked, let, visitors_parked, layout.usable_spaces,
                 layout.permits)


def park_visitors(layout: Layout, visitors: int, rng: np.random.Generator) -> int:
    """How many of tonight's ``visitors`` park: of the free spaces they may take
    (:attr:`Layout.general`), as many as a random arrival order among them and the cars
    looking for a space gives them (one hypergeometric draw; none without free spaces)."""
    if not (visitors and layout.free_count):
        return 0
    general, residents = layout.general, len(layout.looking)
    arrivals = min(len(general), residents + visitors)
    return int(rng.hypergeometric(visitors, residents, arrivals)) if arrivals else 0


def first_visitor_space(layout: Layout, visitors_parked: int) -> int:
    """The first of the spaces the visitors took (they take the last general ones); -1 for
    none."""
    general = layout.general
    return int(general[len(general) - visitors_parked]) if visitors_parked else -1


def residents_served(layout: Layout, visitors_parked: int) -> bool:
    """Whether residents' cars are served tonight (and so arrive in an order): some cars
    look for a space and the visitors left some free."""
    return layout.free_count > visitors_parked and len(layout.looking) > 0


def _looking(order: np.ndarray, wants: np.ndarray) -> np.ndarray:
    """The cars of ``order`` that look for a space, in that order."""
    return order[wants[order]]


def allocate_permits(
    spaces: Spaces,
    households: Households,
    cars: Cars,
    key: np.ndarray,
    allocatable: np.ndarray,
    car_wtp: np.ndarray | None = None,
    quotas: list[tuple[float, np.ndarray]] = (),
) -> np.ndarray:
    """Hand out standing permits on the ``allocatable`` spaces in order of ``key``.

    Permits on other spaces stay with their holders, and a household's cars already covered
    by its permits do not queue again. Cars with a non-finite key are not candidates.
    Temporary spaces are never held. Writes ``spaces.holder``.

    Args:
        quotas: ``(share, target)`` pools, served in turn before everyone else: each takes
            that share of the allocatable open (non-roadside) spaces for its ``target`` cars
            (bool per car), in key order; reserved spaces they leave unused go to everyone
            else. This is how an amended proposal compensates a group that would lose (e.g.
            tenants, second cars).

    Returns:
        The car given each space (-1 where none), for rules that price by the bids.
    """
    allocatable = allocatable & (spaces.use != Use.TEMPORARY)
    spaces.holder[allocatable] = -1
    permits = permits_held(spaces, len(households))
    wants = ~cars.zombie & (cars.rank >= permits[cars.household]) & np.isfinite(key)
    order = np.argsort(key)
    assigned = np.full(len(spaces), -1, dtype=np.int64)
    general = np.flatnonzero(allocatable & (spaces.kind != SpaceKind.ROADSIDE))
    start = 0
    for share, target in quotas:
        pool = np.zeros(len(spaces), dtype=bool)
        pool[general[start:start + round(share * len(general))]] = True
        start += int(pool.sum())
        got = fill_spaces(order, wants & target, pool, spaces, households, cars, car_wtp)
        assigned = np.where(got >= 0, got, assigned)
        wants = wants.copy()
        wants[got[got >= 0]] = False
    rest = fill_spaces(order, wants, allocatable & (assigned < 0), spaces, households, cars,
                       car_wtp)
    assigned = np.where(assigned >= 0, assigned, rest)
    given = assigned >= 0
    spaces.holder[given] = cars.household[assigned[given]]
    return assigned


def expected_access(
    spaces: Spaces,
    households: Households,
    cars: Cars,
    rule,
    usable: np.ndarray,
    rng: np.random.Generator,
    draws: int = 8,
    quotas: list[tuple[float, np.ndarray]] = (),
) -> np.ndarray:
    """Each car's chance of a space if the ``usable`` spaces were all handed out in the
    allocation ``rule``'s order (0 for a zombie car). Prices are left out: this is what
    residents weigh when they judge a proposal, before anyone is charged.

    Cars the rule cannot tell apart
    (:meth:`~sim.resources.parking.allocation.AllocationRule.classes`) that are alike in
    everything else the allocation reads — roadside eligibility, the quota pools they belong
    to, being a zombie — are exchangeable, so one allocation averaged over each such group
    gives every car its chance. For a rule without classes, the chances are
    the mean of ``draws`` allocations with fresh random tie-breaks.
    """
    trial = spaces.copy()
    trial.open[:] = usable
    trial.blocked[:] = False
    trial.use[:] = Use.FIXED
    classes = rule.classes(households, cars)
    got = np.zeros(len(cars))
    for _ in range(1 if classes is not None else draws):
        trial.holder[:] = -1
        assigned = allocate_permits(trial, households, cars, rule.priority(households, cars, rng),
                                    usable, quotas=quotas)
        got[assigned[assigned >= 0]] += 1.0
    if classes is None:
        return got / draws
    group = np.asarray(classes, dtype=np.int64)
    for flag in (households.five_in_one[cars.household], cars.zombie,
                 *(target for _, target in quotas)):
        group = 2 * group + flag
    return (np.bincount(group, weights=got) / np.maximum(np.bincount(group), 1))[group]
