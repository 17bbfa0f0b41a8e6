"""Households, cars and parking spaces drawn from a scenario config and a random generator."""

from __future__ import annotations

import numpy as np

from sim.config import FeeConfig, LeadLevel, ScenarioConfig
from sim.estate.fee_thresholds import draw_thresholds, initial_payers
from sim.estate.state import Cars, Households, SpaceKind, Spaces, Use

TENANT_RESIDENCE_SHARE = 0.25
"""Tenants' mean residence relative to owners': tenants move far more often."""


def block_sizes(total: int, blocks: int) -> np.ndarray:
    """Split ``total`` items into ``blocks`` contiguous blocks whose sizes differ by at most one."""
    sizes = np.full(blocks, total // blocks, dtype=np.int64)
    sizes[: total % blocks] += 1
    return sizes


def _labels(sizes: np.ndarray) -> np.ndarray:
    """Block index of every item, for contiguous blocks of the given sizes."""
    return np.repeat(np.arange(len(sizes)), sizes)


def _exact_subset(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """A boolean mask with exactly ``k`` of ``n`` entries set, chosen uniformly."""
    mask = np.zeros(n, dtype=bool)
    mask[rng.permutation(n)[:k]] = True
    return mask


def _place_leads(
    scenario: ScenarioConfig, units: np.ndarray, party: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Pick one household to lead each of ``lead_count`` randomly chosen units.

    A lead is drawn among the unit's party members when it has any (党员楼门长), otherwise
    among all its households (who then count as party members: the role recruits them).
    """
    n_units = int(units.max()) + 1
    lead = np.zeros(len(units), dtype=bool)
    chosen = rng.permutation(n_units)[: scenario.lead_count]
    # One random key per household; party members first, so the minimum per unit is a party
    # member whenever the unit has one.
    key = rng.random(len(units)) + np.where(party, 0.0, 1.0)
    order = np.lexsort((key, units))
    first_of_unit = order[np.searchsorted(units[order], np.arange(n_units))]
    lead[first_of_unit[chosen]] = True
    return lead


def build_households(
    scenario: ScenarioConfig, fee_cfg: FeeConfig, rng: np.random.Generator
) -> Households:
    """Draw the household table: buildings, stairwells, tenure, documents, preferences.

    Args:
        scenario: the checked scenario config.
        fee_cfg: the fee behaviour (who free-rides, who cooperates conditionally).
        rng: the generator for population draws (spawned from the run seed).
    """
    n = scenario.households
    building = _labels(block_sizes(n, scenario.buildings))
    stairwell_sizes = np.concatenate(
        [block_sizes(size, scenario.stairwells_per_building)
         for size in block_sizes(n, scenario.buildings)]
    )
    stairwell = _labels(stairwell_sizes)
    unit_of_building = _labels(block_sizes(scenario.buildings, scenario.property_units))

    owner = _exact_subset(n, scenario.owner_count, rng)
    bought = np.zeros(n, dtype=bool)
    owner_ids = np.flatnonzero(owner)
    bought[rng.permutation(owner_ids)[: round(scenario.bought_share * len(owner_ids))]] = True

    party = rng.random(n) < scenario.party_share
    units = stairwell if scenario.lead_level is LeadLevel.stairwell else building
    lead = _place_leads(scenario, units, party, rng)
    party |= lead

    mean_years = np.where(owner, 1.0, TENANT_RESIDENCE_SHARE) * scenario.mean_residence_years
    thresholds = draw_thresholds(n, fee_cfg, rng)
    willing = initial_payers(thresholds, scenario.initial_fee_payment, rng)

    return Households(
        building=building,
        stairwell=stairwell,
        unit=unit_of_building[building],
        owner=owner,
        bought=bought,
        five_in_one=np.zeros(n, dtype=bool),  # set once cars are known
        special_need=rng.random(n) < scenario.special_need_share,
        party=party,
        lead=lead,
        area=scenario.mean_floor_area * rng.lognormal(-0.045, 0.3, n),
        residence_years=rng.exponential(mean_years),
        wtp=np.maximum(rng.normal(scenario.wtp_mean, scenario.wtp_sd, n), 0.0),
        pay_threshold=thresholds,
        attend_propensity=rng.beta(2.0, 3.0, n),
        susceptibility=np.zeros(n),  # set by the model from behaviour config
        opinion=np.zeros(n),
        anchor=np.zeros(n),
        trust=rng.beta(5.0, 5.0, n),
        satisfaction=np.zeros(n),
        willing=willing,
        cars=np.zeros(n, dtype=np.int64),
        parked_nights=np.zeros(n, dtype=np.int64),
    )


def build_cars(
    scenario: ScenarioConfig, households: Households, rng: np.random.Generator
) -> Cars:
    """Give exactly ``scenario.cars`` cars to randomly chosen households.

    ``car_households`` households get a first car and the remaining cars go as second cars to
    some of them; a ``zombie_car_share`` of all cars are abandoned (僵尸车). Sets the
    households' active car counts and 五证合一 flags (owners with a car only: the property
    certificate must be in the household's name).
    """
    n = len(households)
    with_car = rng.permutation(n)[: scenario.car_households]
    second = rng.permutation(with_car)[: scenario.cars - len(with_car)]
    owner_of = np.sort(np.concatenate([with_car, second]))
    zombie = _exact_subset(len(owner_of), round(scenario.zombie_car_share * len(owner_of)), rng)
    cars = Cars(household=owner_of, rank=np.zeros(len(owner_of), dtype=np.int64), zombie=zombie)
    cars.rerank()

    households.cars[:] = np.bincount(owner_of[~zombie], minlength=n)
    has_car = np.bincount(owner_of, minlength=n) > 0
    households.five_in_one[:] = (
        has_car & households.owner & (rng.random(n) < scenario.five_in_one_share)
    )
    return cars


def build_spaces(
    scenario: ScenarioConfig, cars: Cars, measures: list, rng: np.random.Generator
) -> tuple[Spaces, dict[str, np.ndarray]]:
    """The estate's own spaces, with zombie cars sitting in randomly chosen ones, followed by
    the (closed) spaces each supply measure can open.

    Args:
        measures: the supply measures of the package
            (:class:`sim.resources.parking.supply.SupplyMeasure`).

    Returns:
        The space table and, per measure name, the indices of the spaces it adds.
    """
    m = scenario.spaces
    kinds = [np.full(m, SpaceKind.ONSITE, dtype=np.int64)]
    measure_spaces, start = {}, m
    for measure in measures:
        added = measure.added(scenario)
        measure_spaces[measure.name] = np.arange(start, start + added)
        kinds.append(np.full(added, measure.adds if added else SpaceKind.ONSITE, dtype=np.int64))
        start += added
    kind = np.concatenate(kinds)
    spaces = Spaces(
        kind=kind,
        use=np.full(len(kind), Use.FIXED, dtype=np.int64),
        price=np.zeros(len(kind)),
        open=np.arange(len(kind)) < m,
        blocked=np.zeros(len(kind), dtype=bool),
        holder=np.full(len(kind), -1, dtype=np.int64),
    )
    zombies = int(cars.zombie.sum())
    spaces.blocked[rng.permutation(m)[: min(zombies, m)]] = True
    return spaces, measure_spaces
