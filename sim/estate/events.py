"""Monthly life events: households move, cars are bought, sold and abandoned, rules broken.

These change who needs a space, so tenure rules (keep the permit, or reclaim and reallocate it)
make a difference. Every event is one vectorised draw over households or cars.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import FeeConfig, ScenarioConfig, TurnoverConfig
from sim.estate.fee_thresholds import draw_thresholds
from sim.estate.state import Cars, Households


@dataclass
class MonthEvents:
    """What happened this month (household indices unless noted)."""

    moved_out: np.ndarray  # households replaced by newcomers in the same flat
    sold: np.ndarray  # households that sold a car
    turned_zombie: np.ndarray  # households with a car newly abandoned
    violators: np.ndarray  # permit holders who broke the parking rules


def _draw(n: int, rate: float, rng: np.random.Generator) -> np.ndarray:
    return rng.random(n) < rate


def month(
    households: Households,
    cars: Cars,
    permits: np.ndarray,
    scenario: ScenarioConfig,
    cfg: TurnoverConfig,
    fee_cfg: FeeConfig,
    day: int,
    rng: np.random.Generator,
) -> tuple[MonthEvents, Cars]:
    """Draw one month's events, update ``households`` in place and return the new car table.

    Owners move out at ``owner_move_rate`` a month and tenants at ``tenant_move_rate``
    (building leads stay); a newcomer of the same tenure takes the flat (a new owner has
    bought it, 购房), with cars, documents and preferences drawn as at the start. Each active
    car is sold at ``car_sale_rate`` and abandoned at ``zombie_rate``; each household with
    fewer than two cars buys one at ``car_purchase_rate``; each permit holder breaks the rules
    at ``violation_rate``.

    Args:
        permits: permits held per household (for violations).
        fee_cfg: the fee behaviour newcomers' payment thresholds are drawn from.
        day: today, so newcomers' years of residence count from today.
    """
    n = len(households)
    active = ~cars.zombie
    moved = _draw(n, np.where(households.owner, cfg.owner_move_rate, cfg.tenant_move_rate), rng)
    moved &= ~households.lead
    sold = active & _draw(len(cars), cfg.car_sale_rate, rng) & ~moved[cars.household]
    abandoned = active & ~sold & _draw(len(cars), cfg.zombie_rate, rng)
    buys = (households.cars < 2) & ~moved & _draw(n, cfg.car_purchase_rate, rng)
    violators = (permits > 0) & _draw(n, cfg.violation_rate, rng)

    newcomers = moved.nonzero()[0]
    _renew(households, newcomers, scenario, fee_cfg, day, rng)
    new_cars = _newcomer_cars(newcomers, scenario, rng)
    leaving = active & moved[cars.household]
    keep = ~sold & ~leaving
    zombie = cars.zombie | abandoned
    household = np.concatenate([cars.household[keep], buys.nonzero()[0], new_cars])
    arrived = len(household) - np.count_nonzero(keep)
    zombie = np.concatenate([zombie[keep], np.zeros(arrived, dtype=bool)])
    order = np.argsort(household, kind="stable")
    table = Cars(household=household[order], rank=np.zeros(len(order), dtype=np.int64),
                 zombie=zombie[order])
    table.rerank()

    households.cars[:] = np.bincount(table.household[~table.zombie], minlength=n)
    first_car = (buys & (households.cars == 1)) | (moved & (households.cars > 0))
    documents = first_car & households.owner
    households.five_in_one[documents] = (rng.random(np.count_nonzero(documents))
                                         < scenario.five_in_one_share)
    events = MonthEvents(
        moved_out=newcomers,
        sold=_distinct(cars.household[sold], n),
        turned_zombie=_distinct(cars.household[abandoned], n),
        violators=violators.nonzero()[0],
    )
    return events, table


def _mean(values: np.ndarray) -> float:
    """``values.mean()``, bit for bit, without its Python layer (a month's hot spot)."""
    return float(np.add.reduce(values)) / len(values)


def _distinct(rows: np.ndarray, n: int) -> np.ndarray:
    """The distinct households among ``rows`` (of ``n``), sorted: ``np.unique``'s result by a
    mask, without its sort and its Python layer (a month's hot spot)."""
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask.nonzero()[0]


def _newcomer_cars(newcomers: np.ndarray, scenario: ScenarioConfig, rng) -> np.ndarray:
    """Households of the newcomers' cars: a first car with the estate's car-ownership rate,
    a second with ``second_car_share``."""
    first = newcomers[rng.random(len(newcomers)) < scenario.car_households / scenario.households]
    second = first[rng.random(len(first)) < scenario.second_car_share]
    return np.concatenate([first, second])


def _renew(households: Households, rows: np.ndarray, scenario: ScenarioConfig,
           fee_cfg: FeeConfig, day: int, rng: np.random.Generator) -> None:
    """Newcomers in ``rows``: a new owner has bought the flat; a tenant is a new tenant.
    Their opinion starts at the mean anchor of the estate (they have not yet heard the
    arguments) and their satisfaction at the estate's mean."""
    k = len(rows)
    if not k:
        return
    h = households
    h.bought[rows] = h.owner[rows]
    h.five_in_one[rows] = False  # set when their cars are known
    h.special_need[rows] = rng.random(k) < scenario.special_need_share
    h.party[rows] = rng.random(k) < scenario.party_share
    h.residence_years[rows] = -day / 365.0
    h.wtp[rows] = np.maximum(rng.normal(scenario.wtp_mean, scenario.wtp_sd, k), 0.0)
    h.pay_threshold[rows] = draw_thresholds(k, fee_cfg, rng)
    h.attend_propensity[rows] = rng.beta(2.0, 3.0, k)
    h.trust[rows] = rng.beta(5.0, 5.0, k)
    h.anchor[rows] = _mean(h.anchor)
    h.opinion[rows] = h.anchor[rows]
    h.satisfaction[rows] = _mean(h.satisfaction)
    h.willing[rows] = rng.random(k) < np.count_nonzero(h.willing) / len(h.willing)
