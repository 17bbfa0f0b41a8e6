"""A district's communities, each drawn from the study seed and its own index.

Community ``i`` of a district is drawn by a generator seeded with the district's study seed and
``i`` in the seed's spawn key, so it is the same community whichever job, launcher or batching
runs it, and under every rule and replicate seed (rules are compared on the same district). Its
model run with replicate seed ``s`` is seeded with ``s`` and ``i`` in the spawn key, so two
communities never share their random draws.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from sim.config import DistrictConfig, ScenarioConfig, SupplyCounts

ATTRIBUTES = ("households", "year_built", "cars_per_household", "spaces_per_car", "owner_share",
              "lead_share", "firm_situation")
"""What is drawn for each community (the columns a district study adds to each run)."""


def block_members(communities: int, block: int, blocks: int) -> list[int]:
    """The communities of a district's ``block``: ``i % blocks == block``, in order (striped,
    so every block holds a like mix of small and large communities)."""
    return list(range(block, communities, blocks))


def community_seed(seed: int, community: int) -> int:
    """The model seed of ``community``'s run with replicate ``seed``: a 63-bit number drawn
    from ``seed`` with the community in the spawn key."""
    state = np.random.SeedSequence(seed, spawn_key=(community,)).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))


def draw(district: DistrictConfig, community: int) -> dict:
    """The attributes of one community (see :data:`ATTRIBUTES`), from the study seed."""
    rng = np.random.default_rng(np.random.SeedSequence(district.seed, spawn_key=(community,)))
    size, year = district.households, district.year_built
    households = int(np.clip(round(size.median * np.exp(size.sigma * rng.standard_normal())),
                             size.low, size.high))
    situations = list(district.firm_situations)
    weights = np.array([district.firm_situations[name].weight for name in situations])
    return {
        "households": households,
        "year_built": int(round(rng.triangular(year.low, year.mode, year.high))),
        "cars_per_household": float(rng.uniform(district.cars_per_household.low,
                                                district.cars_per_household.high)),
        "spaces_per_car": float(rng.uniform(district.spaces_per_car.low,
                                            district.spaces_per_car.high)),
        "owner_share": float(rng.uniform(district.owner_share.low, district.owner_share.high)),
        "lead_share": float(rng.uniform(district.lead_share.low, district.lead_share.high)),
        "firm_situation": situations[int(rng.choice(len(situations), p=weights / weights.sum()))],
    }


def scenario(district: DistrictConfig, community: int, base: ScenarioConfig,
             attributes: dict) -> ScenarioConfig:
    """The community as a scenario: ``base`` (per-household ratios, behaviour of the estate)
    scaled to its size and given its drawn attributes."""
    n = attributes["households"]

    def per_household(count: int | float) -> int:
        return round(count / base.households * n)

    situation = district.firm_situations[attributes["firm_situation"]]
    buildings = max(1, per_household(base.buildings))
    cars = min(2 * n, round(attributes["cars_per_household"] * n))
    return dataclasses.replace(
        base,
        name=f"{district.name}-{community:04d}",
        label_en=f"{district.label_en}, community {community}",
        label_zh=f"{district.label_zh}社区 {community}",
        year_built=attributes["year_built"],
        households=n,
        buildings=buildings,
        cars=cars,
        spaces=round(attributes["spaces_per_car"] * cars),
        owner_share=attributes["owner_share"],
        owners=None,
        lead_share=attributes["lead_share"],
        leads=None,
        firms=min(situation.firms, buildings),
        property_units=min(base.property_units, buildings),
        initial_firm_quality=situation.quality,
        initial_fee_payment=situation.fee_payment,
        supply=SupplyCounts(
            restripe_spaces=per_household(base.supply.restripe_spaces),
            shared_spaces=per_household(base.supply.shared_spaces),
            roadside_spaces=per_household(base.supply.roadside_spaces),
            illegal_construction_m2=base.supply.illegal_construction_m2 / base.households * n,
        ),
    )
