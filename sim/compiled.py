"""Numba-compiled passes for the day's phases that are many small NumPy calls.

At a few thousand households these phases are ~75 NumPy and SciPy calls a day on a few hundred
cars or a few thousand households (the frictions alone ~40); each call costs more than its
work. Here the same rules run as loops, one call per phase. They are the fast path when numba is
installed (a default dependency); the NumPy code they mirror stays the reference and serves
without numba, and the tests check that both give the same bytes.

- :func:`conflicts_day` (:mod:`sim.resources.frictions`). The draws are the NumPy day's, in the
  same order from the same generator: the pass takes each uniform from the generator's own
  bit generator as it needs it (:func:`next_double`, the C function ``rng.random`` calls per
  value), so it draws exactly what the NumPy day draws and leaves the generator where that day
  would. The hotline calls stay NumPy's binomial draws, taken after that.
- :func:`night` (:meth:`sim.model.CommunityModel.park_night` when residents arrive in random
  order, as under the status quo and on every night of a permit rule): the residents' arrival
  order by NumPy's own shuffle (:func:`random_interval`, the same 32-bit draws through
  :func:`next_uint32`), the serving of the free spaces group by group, then the tallies. The
  visitors' hypergeometric draw stays NumPy's, taken before.
- :func:`night_tally`: the night's counts per household and overall, all of them counts (exact
  in any order); on its own after a NumPy night whose order is keyed (a nightly priority rule).
- :func:`household_means` (:meth:`sim.model.CommunityModel.measure`): the day's means of
  trust, satisfaction and opinions, their spread and polarisation, with every sum taken in
  NumPy's pairwise order (:func:`pairwise_sum`), so the same floats as ``np.add.reduce``.
- :func:`friedkin_johnsen` (:meth:`sim.model.CommunityModel.update_opinions` with the
  Friedkin–Johnsen kernel, the default): each row's weighted sum in stored order, as SciPy's
  CSR product adds it, then the same two products and sum as the NumPy kernel.
- :func:`satisfaction_day` (:meth:`sim.model.CommunityModel._update_satisfaction`): the same
  arithmetic, element by element in the NumPy update's order (numba does not fuse a multiply
  and an add), so the same floating-point numbers.

The loops over households and cars index with unsigned integers (``np.uint64``; indices are
never negative): numba then skips its check for negative indices, which there costs as much as
the work.
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic


def bit_generator_address(rng: np.random.Generator) -> int:
    """The address of ``rng``'s ``bitgen_t``, NumPy's C interface to its bit generator (a
    struct of the state and the functions that draw from it), for :func:`next_double`.

    Taken from the live generator at each call, so it is never stale."""
    return rng.bit_generator.ctypes.bit_generator.value


def _bit_generator_draw(field: int, value: ir.Type, numba_type: types.Type):
    """An intrinsic calling the function in slot ``field`` of a ``bitgen_t`` with its state.

    ``bitgen_t`` is ``{void *state; uint64 (*next_uint64)(void *); uint32 (*next_uint32)(void
    *); double (*next_double)(void *); ...}``: what NumPy's own distributions call, one value
    at a time, so draws taken this way are NumPy's and leave the generator where NumPy would.
    """

    @intrinsic
    def draw(typingctx, bitgen):
        if not isinstance(bitgen, types.Integer):
            return None

        def codegen(context, builder, signature, args):
            void_pointer = ir.IntType(8).as_pointer()
            slots = builder.inttoptr(args[0], void_pointer.as_pointer())
            function = builder.load(builder.gep(slots, [ir.Constant(ir.IntType(32), field)]))
            call = ir.FunctionType(value, [void_pointer])
            return builder.call(builder.bitcast(function, call.as_pointer()),
                                [builder.load(slots)])

        return numba_type(bitgen), codegen

    return draw


next_uint32 = _bit_generator_draw(2, ir.IntType(32), types.uint32)
"""The next 32 random bits of the generator whose ``bitgen_t`` is at the given address
(:func:`bit_generator_address`), inside compiled code (a 64-bit generator's spare half first,
as NumPy's ``next_uint32`` keeps it)."""

next_double = _bit_generator_draw(3, ir.DoubleType(), types.float64)
"""The next ``rng.random()`` of the generator whose ``bitgen_t`` is at the given address
(:func:`bit_generator_address`), inside compiled code. (Numba can take a ``Generator``
itself, but reads it through ctypes on every call, ~8 µs; this reads one integer.)

The draws bypass the ``Generator``'s lock, as each model's streams are used by one thread."""


@njit(cache=True)
def random_interval(bitgen, largest):
    """A uniform integer in [0, ``largest``] (< 2³²), as NumPy's ``random_interval`` draws it
    (the shuffle's draw): 32-bit draws masked to the smallest covering power of two, drawn
    again while above ``largest``."""
    if largest == 0:
        return 0
    mask = np.uint32(largest)
    mask |= mask >> np.uint32(1)
    mask |= mask >> np.uint32(2)
    mask |= mask >> np.uint32(4)
    mask |= mask >> np.uint32(8)
    mask |= mask >> np.uint32(16)
    value = next_uint32(bitgen) & mask
    while value > largest:
        value = next_uint32(bitgen) & mask
    return np.int64(value)


@njit(cache=True)
def conflicts_day(illegal, building, lane_room, building_start, building_size, lead_nearby,
                  tie_keys, satisfaction, complaint_threshold, stranger_tolerance,
                  neighbour_tolerance, mediation_share, bitgen):
    """One day's encounters, conflicts and mediations, drawing from ``bitgen``.

    Args:
        illegal: the owning household of each illegally parked car.
        building, satisfaction: per household.
        lane_room, building_start, building_size: per building.
        lead_nearby: per household, whether a lead serves its stairwell or building.
        tie_keys: the network's ties as :func:`sim.estate.network.tie_keys` makes them.
        bitgen: the generator's :func:`bit_generator_address`.

    Returns:
        Encounters, conflicts, conflicts settled, illegal cars per building, the
        distinct households of unsettled conflicts (sorted), how many are victims, how many of
        those are unhappy, and how many households are unhappy.
    """
    n = len(building)
    # blocking: in a building with k illegal cars and room r, a car finds the lanes full with
    # probability (k − r)⁺ / k
    per_building = np.zeros(len(lane_room), np.int64)
    for car in range(len(illegal)):
        per_building[building[illegal[car]]] += 1
    full = np.empty(len(lane_room))
    for b in range(len(lane_room)):
        full[b] = max(per_building[b] - lane_room[b], 0) / max(per_building[b], 1)
    offenders = np.empty(len(illegal), np.int64)
    blocking = 0
    for car in range(len(illegal)):
        if next_double(bitgen) < full[building[illegal[car]]]:
            offenders[blocking] = illegal[car]
            blocking += 1
    # whom each blocking car blocks: a household of its building drawn at random (not itself)
    met_offender = np.empty(blocking, np.int64)
    met_victim = np.empty(blocking, np.int64)
    blocked = 0
    for k in range(blocking):
        offender = offenders[k]
        b = building[offender]
        victim = building_start[b] + np.int64(next_double(bitgen) * building_size[b])
        if victim != offender:
            met_offender[blocked] = offender
            met_victim[blocked] = victim
            blocked += 1
    # tolerance: higher towards a driver the blocked household knows; the network is looked
    # up only for a draw above the lower of the two
    least = min(stranger_tolerance, neighbour_tolerance)
    conflict_offender = np.empty(blocked, np.int64)
    conflict_victim = np.empty(blocked, np.int64)
    conflicts = 0
    for k in range(blocked):
        draw = next_double(bitgen)
        if draw < least:
            continue
        key = met_victim[k] * n + met_offender[k]
        known = tie_keys[np.searchsorted(tie_keys, key)] == key
        if draw >= (neighbour_tolerance if known else stranger_tolerance):
            conflict_offender[conflicts] = met_offender[k]
            conflict_victim[conflicts] = met_victim[k]
            conflicts += 1
    unhappy = satisfaction < complaint_threshold
    all_unhappy = np.count_nonzero(unhappy)
    if conflicts == 0:
        return blocked, 0, 0, per_building, np.empty(0, np.int64), 0, 0, all_unhappy
    # mediation: a lead near either party settles with mediation_share
    party = np.zeros(n, np.bool_)
    open_offenders = np.empty(conflicts, np.int64)
    unsettled = 0
    for k in range(conflicts):
        offender, victim = conflict_offender[k], conflict_victim[k]
        draw = next_double(bitgen)  # drawn for every conflict, as NumPy draws them
        settled = (lead_nearby[offender] or lead_nearby[victim]) and draw < mediation_share
        if not settled:
            party[victim] = True
            open_offenders[unsettled] = offender
            unsettled += 1
    open_victims = 0
    unhappy_victims = 0
    for household in range(n):
        if party[household]:
            open_victims += 1
            unhappy_victims += unhappy[household]
    for k in range(unsettled):
        party[open_offenders[k]] = True
    return (blocked, conflicts, conflicts - unsettled, per_building,
            np.flatnonzero(party), open_victims, unhappy_victims, all_unhappy)


@njit(cache=True)
def satisfaction_day(satisfaction, parked_cars, parking_per_car, order_coefficient,
                     service_term, illegal_per_building, building_start, building_size, hit,
                     conflict_penalty, opinion, opposition, adjustment):
    """Move each household's satisfaction toward today's target, in place.

    The target is ``parked_cars × parking_per_car + order × order_coefficient + service_term``,
    with ``order`` = 1 − illegal cars per household of the building (at least 0), less
    ``conflict_penalty`` for the households in ``hit`` and ``opposition`` × (0.5 − opinion)⁺
    (0 when the rules change nothing), clipped to [0, 1]; satisfaction moves ``adjustment`` of
    the way there.
    """
    target = np.empty(len(satisfaction))
    for b in range(len(building_start)):
        order = max(1.0 - illegal_per_building[b] / building_size[b], 0.0)
        for i in range(np.uint64(building_start[b]),
                       np.uint64(building_start[b] + building_size[b])):
            target[i] = parked_cars[i] * parking_per_car[i] + order * order_coefficient[i]
            target[i] += service_term[i]
    for i in hit:
        target[np.uint64(i)] -= conflict_penalty
    for i in range(np.uint64(len(satisfaction))):
        value = target[i]
        if opposition:
            value -= opposition * max(0.5 - opinion[i], 0.0)
        value = min(max(value, 0.0), 1.0)
        satisfaction[i] += (value - satisfaction[i]) * adjustment


@njit(cache=True)
def _block_sum(values, start, count):
    """:func:`pairwise_sum` of at most 128 values: eight running sums, then the rest in turn."""
    if count < 8:
        total = 0.0
        for i in range(start, start + count):
            total += values[i]
        return total
    r0, r1, r2, r3 = values[start], values[start + 1], values[start + 2], values[start + 3]
    r4, r5, r6, r7 = values[start + 4], values[start + 5], values[start + 6], values[start + 7]
    i = start + 8
    end = start + count - count % 8
    while i < end:
        r0 += values[i]
        r1 += values[i + 1]
        r2 += values[i + 2]
        r3 += values[i + 3]
        r4 += values[i + 4]
        r5 += values[i + 5]
        r6 += values[i + 6]
        r7 += values[i + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < start + count:
        total += values[i]
        i += 1
    return total


@njit(cache=True)
def pairwise_sum(values, start, count):
    """The sum of ``values[start:start + count]`` in NumPy's pairwise order (``np.add.reduce``
    on float64): blocks of up to 128 values (:func:`_block_sum`), and above that the sum of the
    two halves (the first a multiple of 8 long), each summed the same way. The same additions
    in the same order, so the same float.

    The halving runs on an explicit stack: numba's cache cannot reload a recursive function.
    """
    if count <= 128:
        return _block_sum(values, start, count)
    starts = np.empty(64, np.int64)  # a path from the root: 64 halvings cover any length
    counts = np.empty(64, np.int64)
    stage = np.empty(64, np.int64)  # 0: left half next, 1: right half next, 2: add them
    left = np.empty(64)
    top, starts[0], counts[0], stage[0] = 0, start, count, 0
    result = 0.0
    while top >= 0:
        begin, length = starts[top], counts[top]
        if length <= 128:
            result = _block_sum(values, begin, length)
            top -= 1
            continue
        half = length // 2 - (length // 2) % 8
        if stage[top] == 0:
            stage[top] = 1
            top += 1
            starts[top], counts[top], stage[top] = begin, half, 0
        elif stage[top] == 1:
            left[top], stage[top] = result, 2
            top += 1
            starts[top], counts[top], stage[top] = begin + half, length - half, 0
        else:
            result = left[top] + result
            top -= 1
    return result


@njit(cache=True)
def household_means(trust, satisfaction, opinion):
    """Mean trust, mean satisfaction, and the mean, spread and polarisation of opinions, as
    :func:`sim.metrics.mean` and :func:`sim.metrics.opinion_measures` compute them (the same
    sums of the same arrays, in NumPy's order)."""
    n = len(opinion)
    total = pairwise_sum(opinion, 0, n)
    support = total / n
    squares = np.empty(n)
    high_values = np.empty(n)
    high = 0
    for i in range(np.uint64(n)):
        deviation = opinion[i] - support
        squares[i] = deviation * deviation
        above = opinion[i] >= 0.5
        high_values[i] = opinion[i] * above
        high += above
    polarisation = 0.0
    if 0 < high < n:
        high_sum = pairwise_sum(high_values, 0, n)
        gap = high_sum / high - (total - high_sum) / (n - high)
        polarisation = 4.0 * (high / n) * (1.0 - high / n) * gap
    return (pairwise_sum(trust, 0, len(trust)) / len(trust),
            pairwise_sum(satisfaction, 0, len(satisfaction)) / len(satisfaction),
            support, math.sqrt(pairwise_sum(squares, 0, n) / n), polarisation)


@njit(cache=True)
def night_tally(household, parked, stranded, cars_counted, with_car, owners_with_car,
                parked_nights):
    """The night's tallies (:meth:`sim.model.CommunityModel.park_night`), counting a night
    for each car-owning household with every car parked in ``parked_nights`` (in place).

    Returns:
        Per household its cars legally parked (float, as ``np.bincount`` with weights gives
        them) and whether all are; the owning household of each illegally parked car, in car
        order; the cars legally parked; the households with a car parked; the owners among them.
    """
    parked_cars = np.zeros(len(cars_counted))
    legal = 0
    illegal_count = 0
    for car in range(np.uint64(len(household))):
        if parked[car]:
            parked_cars[np.uint64(household[car])] += 1.0
            legal += 1
        if stranded[car]:
            illegal_count += 1
    illegal = np.empty(illegal_count, np.int64)
    k = 0
    for car in range(np.uint64(len(household))):
        if stranded[car]:
            illegal[k] = household[car]
            k += 1
    all_parked = np.empty(len(cars_counted), np.bool_)
    parked_households = 0
    owners = 0
    for i in range(np.uint64(len(cars_counted))):
        all_parked[i] = parked_cars[i] >= cars_counted[i]
        if all_parked[i] and with_car[i]:
            parked_nights[i] += 1
        if parked_cars[i] > 0:
            parked_households += 1
            owners += owners_with_car[i]
    return parked_cars, all_parked, illegal, legal, parked_households, owners


@njit(cache=True)
def night(looking, serve, permit_parked, active, household, five_in_one, group_roadside,
          group_bounds, group_slots, first_visitor_space, bitgen, cars_counted, with_car,
          owners_with_car, parked_nights):
    """A night with residents arriving in random order, after the visitors' draw
    (:func:`sim.resources.parking.kernel.night` without an arrival key), then
    :func:`night_tally`.

    When ``serve`` (:func:`~sim.resources.parking.kernel.residents_served`), the cars in
    ``looking`` arrive in ``rng.permutation(looking)``'s order: NumPy's shuffle from the last
    place down, each swap drawn by :func:`random_interval`, so the same draws. They take each
    serving group's free spaces in turn, first come first served: a roadside group's only for
    cars of 五证合一 households, the others' only below the first space the visitors took.

    Args:
        looking, permit_parked, active, household: the layout's cars looking for a space, and
            per car whether it parks in a permit space, is active, and its household.
        group_roadside, group_bounds, group_slots: the layout's
            :attr:`~sim.resources.parking.kernel.Layout.flat_groups`.
        first_visitor_space: :func:`~sim.resources.parking.kernel.first_visitor_space`.
        bitgen: the night generator's :func:`bit_generator_address`.

    Returns:
        The spaces let to residents, then :func:`night_tally`'s results.
    """
    parked = permit_parked.copy()
    let = 0
    if serve:
        queue = looking.copy()
        for i in range(len(queue) - 1, 0, -1):
            j = random_interval(bitgen, i)
            queue[i], queue[j] = queue[j], queue[i]
        for group in range(len(group_roadside)):
            start, end = group_bounds[group], group_bounds[group + 1]
            room = end - start
            if first_visitor_space >= 0 and not group_roadside[group]:
                room = np.searchsorted(group_slots[start:end], first_visitor_space)
            for car in queue:
                if room == 0:
                    break
                car = np.uint64(car)
                if parked[car] or (group_roadside[group]
                                   and not five_in_one[np.uint64(household[car])]):
                    continue
                parked[car] = True
                let += 1
                room -= 1
    parked_cars, all_parked, illegal, legal, parked_households, owners = night_tally(
        household, parked, active & ~parked, cars_counted, with_car, owners_with_car,
        parked_nights)
    return let, parked_cars, all_parked, illegal, legal, parked_households, owners


@njit(cache=True)
def friedkin_johnsen(indptr, indices, weights, opinion, susceptibility, anchor):
    """One Friedkin–Johnsen update x ← ΛWx + (I − Λ)u with W in CSR form (row-stochastic).

    Each row's sum runs over its entries in stored order from 0, as SciPy's CSR product adds
    them, so the numbers are :func:`sim.negotiation.opinion.friedkin_johnsen`'s. The indices
    are read as unsigned (they are never negative): numba then skips its check for negative
    indices, which would double the cost of the loop.
    """
    updated = np.empty(len(opinion))
    for i in range(len(opinion)):
        pulled = 0.0
        for k in range(np.uint64(indptr[i]), np.uint64(indptr[i + 1])):
            pulled += weights[k] * opinion[np.uint64(indices[k])]
        updated[i] = pulled * susceptibility[i] + (1.0 - susceptibility[i]) * anchor[i]
    return updated
