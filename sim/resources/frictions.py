"""Frictions of a night's parking: blocked access, neighbours' tolerance, leads' mediation,
hotline complaints (12345).

Conflicts come from encounters, not from a rate per illegally parked car. A car that found no
legal space searches its own building's lanes; the lanes hold a few cars without harm
(``lane_spots_per_household``), and the cars beyond that block a passage or another car.
A blocked household shrugs it off with its tolerance — higher when the driver is someone it
knows (a tie in the social network) — or confronts the driver: a conflict. A lead serving the
stairwell or building of either party settles a conflict with ``mediation_share``; a blocked
household in an unsettled conflict calls the 12345 hotline with ``conflict_complaint_prob``.
Unhappy households (satisfaction below ``complaint_threshold``) call about anything with
``complaint_prob`` a day. Conflicts therefore grow faster than illegal parking (only the cars
beyond the lanes' room block), fall where neighbours know each other, and reach the hotline
less where leads serve.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import numpy as np

from sim.config import FrictionConfig
from sim.estate.network import are_tied
from sim.estate.state import Households


@dataclass
class Frictions:
    """What one day's frictions produced."""

    blocked: int  # encounters: a car beyond the lanes' room blocked a household
    conflicts: int  # encounters the blocked household did not tolerate
    mediated: int  # of which a building lead settled
    complaints: int  # calls to the 12345 citizen hotline (市民服务热线)
    hit: np.ndarray  # households party to an unsettled conflict today (sorted indices)
    illegal_per_building: np.ndarray  # illegally parked cars per building


@dataclass
class Estate:
    """The fixed layout frictions need: buildings as row blocks, lanes, leads, ties."""

    building_start: np.ndarray  # first household row of each building
    building_size: np.ndarray  # households per building
    lane_room: np.ndarray  # cars each building's lanes hold without blocking anyone
    lead_nearby: np.ndarray  # bool per household: a lead serves its stairwell or building
    tie_keys: np.ndarray  # the social network's ties (sim.estate.network.tie_keys)


def blocking_cars(illegal_households: np.ndarray, building: np.ndarray, room: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    """The illegally parked cars (by owning household) that found the lanes full.

    In building b, with k illegal cars and room r, a car arriving in random order finds the
    lanes full with probability (k − r)⁺ / k, so on average the k − r cars beyond the room
    block (one draw per car, no sort: the day's hot path).
    """
    where = building[illegal_households]
    return _blocking(illegal_households, where, np.bincount(where, minlength=len(room)), room,
                     rng)


def _blocking(illegal_households: np.ndarray, where: np.ndarray, parked: np.ndarray,
              room: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """:func:`blocking_cars` given each illegal car's building (``where``) and the illegal
    cars per building (``parked``)."""
    # (k − r)⁺ / k; where k = 0 the numerator is 0 too, so dividing by max(k, 1) gives 0
    full = np.maximum(parked - room, 0) / np.maximum(parked, 1)
    return illegal_households[rng.random(len(where)) < full[where]]


def daily(
    illegal_households: np.ndarray,
    households: Households,
    estate: Estate,
    cfg: FrictionConfig,
    rng: np.random.Generator,
    compiled: ModuleType | None = None,
) -> Frictions:
    """Encounters, conflicts, mediation and complaints for one day.

    In NumPy calls (:func:`daily_numpy`), or with the compiled pass of ``compiled``
    (:func:`sim.compiled.conflicts_day`): the same draws, the same result.

    Args:
        illegal_households: the owning household of each illegally parked car.
        compiled: :mod:`sim.compiled`, or None for NumPy.
    """
    if compiled is None:
        return daily_numpy(illegal_households, households, estate, cfg, rng)
    (blocked, conflicts, mediated, per_building, hit, open_victims, unhappy_victims,
     unhappy) = compiled.conflicts_day(
        illegal_households, households.building, estate.lane_room, estate.building_start,
        estate.building_size, estate.lead_nearby, estate.tie_keys, households.satisfaction,
        cfg.complaint_threshold, cfg.stranger_tolerance, cfg.neighbour_tolerance,
        cfg.mediation_share, compiled.bit_generator_address(rng))
    if not conflicts:
        return Frictions(blocked, 0, 0, int(rng.binomial(unhappy, cfg.complaint_prob)), _NOBODY,
                         per_building)
    return Frictions(blocked, conflicts, mediated,
                     _complaints(rng, cfg, open_victims, unhappy_victims, unhappy), hit,
                     per_building)


def daily_numpy(
    illegal_households: np.ndarray,
    households: Households,
    estate: Estate,
    cfg: FrictionConfig,
    rng: np.random.Generator,
) -> Frictions:
    """:func:`daily` in NumPy calls: the reference the compiled pass is tested against."""
    where = households.building[illegal_households]
    per_building = np.bincount(where, minlength=len(estate.lane_room))
    offenders = _blocking(illegal_households, where, per_building, estate.lane_room, rng)
    blocked, offenders, victims = _conflicts(offenders, households.building, estate, cfg, rng)
    unhappy = households.satisfaction < cfg.complaint_threshold
    if not len(victims):  # no conflict (most days in a small estate): only the unhappy call;
        # the draws skipped below would all be empty, and an empty draw draws nothing
        complaints = rng.binomial(int(np.count_nonzero(unhappy)), cfg.complaint_prob)
        return Frictions(blocked, 0, 0, int(complaints), _NOBODY, per_building)
    lead_near = estate.lead_nearby[offenders] | estate.lead_nearby[victims]
    settled = lead_near & (rng.random(len(victims)) < cfg.mediation_share)
    unsettled = ~settled
    # the distinct households of the unsettled conflicts, sorted, by a mask (no sort, no unique)
    party = np.zeros(len(unhappy), dtype=bool)
    party[victims[unsettled]] = True
    open_victims = party.nonzero()[0]
    party[offenders[unsettled]] = True
    hit = party.nonzero()[0]
    unhappy_victims = int(np.count_nonzero(unhappy[open_victims]))
    complaints = _complaints(rng, cfg, len(open_victims), unhappy_victims,
                             int(np.count_nonzero(unhappy)))
    return Frictions(blocked, len(victims), int(np.count_nonzero(settled)), complaints, hit,
                     per_building)


def _complaints(rng: np.random.Generator, cfg: FrictionConfig, open_victims: int,
                unhappy_victims: int, unhappy: int) -> int:
    """The day's hotline calls on a day with conflicts.

    Callers are independent, so each group's number of calls is one binomial draw; a blocked
    household that is unhappy anyway calls with the higher of the two chances.

    Args:
        open_victims: the blocked households of unsettled conflicts.
        unhappy_victims: how many of them are unhappy.
        unhappy: how many households are unhappy.
    """
    return int(
        rng.binomial(unhappy_victims, max(cfg.conflict_complaint_prob, cfg.complaint_prob))
        + rng.binomial(open_victims - unhappy_victims, cfg.conflict_complaint_prob)
        + rng.binomial(unhappy - unhappy_victims, cfg.complaint_prob)
    )


def _conflicts(offenders: np.ndarray, building: np.ndarray, estate: Estate, cfg: FrictionConfig,
               rng: np.random.Generator) -> tuple[int, np.ndarray, np.ndarray]:
    """Who the blocking cars block, and which of those encounters the blocked household does
    not tolerate.

    Args:
        offenders: the household of each blocking car.
        building: each household's building.

    Returns:
        The number of encounters, and the offender and the victim of each conflict.
    """
    if not len(offenders):
        return 0, _NOBODY, _NOBODY
    where = building[offenders]
    victims = estate.building_start[where] + (
        rng.random(len(offenders)) * estate.building_size[where]).astype(np.int64)
    meets = victims != offenders
    offenders, victims = offenders[meets], victims[meets]
    blocked = len(victims)
    # a draw below both tolerances is tolerated whoever the driver is: only the other
    # encounters need the network looked up (a few in a hundred)
    draw = rng.random(len(victims))
    maybe = draw >= min(cfg.stranger_tolerance, cfg.neighbour_tolerance)
    offenders, victims, draw = offenders[maybe], victims[maybe], draw[maybe]
    known = are_tied(estate.tie_keys, len(building), victims, offenders)
    conflict = draw >= np.where(known, cfg.neighbour_tolerance, cfg.stranger_tolerance)
    return blocked, offenders[conflict], victims[conflict]


_NOBODY = np.empty(0, dtype=np.intp)
_NOBODY.flags.writeable = False
"""No household (nobody hit, on a day without conflicts)."""
