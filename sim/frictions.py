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
    hit: np.ndarray  # bool per household: party to an unsettled conflict today


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
    ``complaint_threshold`` calls with probability ``complaint_prob`` per day.

    Args:
        illegal_households: the owning household of each illegally parked car.
        building_start, building_size: the row block of each building.
        unit_has_lead: bool per lead unit (stairwell or building).
        units: the lead unit of each household.
    """
    n = len(households)
    starters = illegal_households[rng.random(len(illegal_households)) < cfg.conflict_prob]
    settled = unit_has_lead[units[starters]] & (rng.random(len(starters)) < cfg.mediation_share)
    open_starters = starters[~settled]
    building = households.building[open_starters]
    victims = building_start[building] + (
        rng.random(len(open_starters)) * building_size[building]
    ).astype(np.int64)
    hit = np.zeros(n, dtype=bool)
    hit[open_starters] = True
    hit[victims] = True
    unhappy = households.satisfaction < cfg.complaint_threshold
    p_call = np.where(hit, cfg.conflict_complaint_prob, 0.0)
    p_call = np.maximum(p_call, np.where(unhappy, cfg.complaint_prob, 0.0))
    complaints = int(np.count_nonzero(rng.random(n) < p_call))
    return Frictions(len(starters), int(settled.sum()), complaints, hit)
