"""Frictions of a night's parking: neighbour conflicts, mediation by leads, hotline complaints."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import FrictionConfig
from sim.state import Households


@dataclass
class Frictions:
    """What one day's frictions produced."""

    conflicts: int  # conflicts started by illegally parked cars
    mediated: int  # of which a building lead settled
    complaints: int  # calls to the 12345 citizen hotline (市民服务热线)
    hit: np.ndarray  # households party to an unsettled conflict today (sorted indices)


def daily(
    illegal_households: np.ndarray,
    households: Households,
    building_start: np.ndarray,
    building_size: np.ndarray,
    unit_has_lead: np.ndarray,
    units: np.ndarray,
    cfg: FrictionConfig,
    rng: np.random.Generator,
) -> Frictions:
    """Conflicts, mediation and complaints for one day.

    Each illegally parked car starts a conflict with probability ``conflict_prob`` with a
    random household of its own building (it blocks a passage, takes a fire lane). Where the
    car's stairwell or building has a lead, the lead settles the conflict with probability
    ``mediation_share``. Parties to unsettled conflicts call the hotline with probability
    ``conflict_complaint_prob``; any household whose satisfaction is below
    ``complaint_threshold`` calls with probability ``complaint_prob`` per day (a party to a
    conflict who is also unhappy calls with the higher of the two).

    Args:
        illegal_households: the owning household of each illegally parked car.
        building_start, building_size: the row block of each building.
        unit_has_lead: bool per lead unit (stairwell or building).
        units: the lead unit of each household.
    """
    starters = illegal_households[rng.random(len(illegal_households)) < cfg.conflict_prob]
    settled = unit_has_lead[units[starters]] & (rng.random(len(starters)) < cfg.mediation_share)
    open_starters = starters[~settled]
    building = households.building[open_starters]
    victims = building_start[building] + (
        rng.random(len(open_starters)) * building_size[building]
    ).astype(np.int64)
    hit = np.unique(np.concatenate([open_starters, victims]))
    unhappy = households.satisfaction < cfg.complaint_threshold
    hit_unhappy = int(np.count_nonzero(unhappy[hit]))
    # Callers are independent, so each group's number of calls is one binomial draw.
    complaints = (
        rng.binomial(hit_unhappy, max(cfg.conflict_complaint_prob, cfg.complaint_prob))
        + rng.binomial(len(hit) - hit_unhappy, cfg.conflict_complaint_prob)
        + rng.binomial(int(np.count_nonzero(unhappy)) - hit_unhappy, cfg.complaint_prob)
    )
    return Frictions(len(starters), int(settled.sum()), int(complaints), hit)
