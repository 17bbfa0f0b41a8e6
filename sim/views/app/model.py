"""The model a browser session runs: the research model built from the page's choices through
:func:`sim.compose.load_config`, exactly as ``python -m sim.run`` builds it, plus the estate's
picture layout."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.compose import load_config
from sim.config import ConfigError, RunConfig, ScenarioConfig
from sim.estate.state import Households
from sim.model import CommunityModel
from sim.rules import registry

SCENARIOS = ("xiaonanzhuang", "sanhuqiao", "shiyou_compound", "yuxin_garden",
             "yuxin_activity_centre", "synthetic")
"""Every scenario the page offers (the first is the default)."""


@dataclass(frozen=True)
class Choices:
    """What the page's controls ask for; ``None`` keeps the config's default.

    The defaults give something to watch: the article's allocation rule put to the owners'
    vote under the Civil Code, with the estate's supply measures on.
    """

    neighbourhood: str = SCENARIOS[0]
    allocation: str | None = "one_car_owner_first"
    decision: str | None = "civil_code_278"
    lead_share: float | None = None
    supply: bool | None = True
    seed: int | str = 0


def overrides(choices: Choices, seed: int | str | None = None) -> list[str]:
    """Hydra overrides for the page's choices (``seed`` replaces the typed one if given).

    Raises:
        ConfigError: if the seed is not a whole number (the seed box sends text).
    """
    typed = choices.seed if seed is None else seed
    try:
        seed = int(str(typed).strip())
    except ValueError:
        raise ConfigError("seed", typed, "must be a whole number, e.g. 7") from None
    chosen = [f"scenario={choices.neighbourhood}", f"seed={seed}"]
    if choices.lead_share is not None:
        chosen.append(f"scenario.lead_share={choices.lead_share:.4g}")
    for group in ("allocation", "decision"):
        if getattr(choices, group) is not None:
            chosen.append(f"{group}={getattr(choices, group)}")
    return chosen


def supply_measures(scenario: ScenarioConfig) -> list[str]:
    """The registered supply measures that act in this neighbourhood: those working on the
    cars (clearing zombie cars) and those the scenario gives spaces or an area to work with."""
    return [name for name, measure in registry.all_groups().get("supply", {}).items()
            if not measure.count_key or getattr(scenario.supply, measure.count_key) > 0]


def page_config(choices: Choices) -> tuple[RunConfig, ConfigError | None]:
    """The run config for the page's choices, and why the seed was refused (else None).

    A refused seed (not a whole number, or negative) is replaced by 0: a typo must not take
    the page down. Supply measures on means every measure that acts in the neighbourhood.
    """
    try:
        chosen, refused = overrides(choices), None
        config = load_config(chosen)
    except ConfigError as error:
        if error.key != "seed":
            raise
        chosen, refused = overrides(choices, 0), error
        config = load_config(chosen)
    if choices.supply is not None:
        measures = supply_measures(config.scenario) if choices.supply else []
        config = load_config([*chosen, f"supply=[{','.join(measures)}]"])
    return config, refused


def scenario_lead_share(neighbourhood: str) -> float:
    """The scenario's own share of stairwells with a lead (the slider's starting value)."""
    return load_config([f"scenario={neighbourhood}"]).scenario.lead_share


RING_RADIUS, BUILDING_GAP, ROW_HEIGHT = 0.38, 0.6, 1.6
"""Estate picture geometry, in units of the distance between neighbouring stairwells."""


def estate_layout(households: Households) -> np.ndarray:
    """Node positions (n × 2) that look like the estate: buildings on a grid, each stairwell
    (楼门) a ring of its households around its lead.

    A pure function of the household table, computed once per model: the same scenario and
    seed always give the same picture, and a force layout (3 s at 829 households) is avoided.
    """
    building, stairwell, lead = households.building, households.stairwell, households.lead
    start = np.searchsorted(stairwell, stairwell, side="left")
    size = np.searchsorted(stairwell, stairwell, side="right") - start
    local = stairwell - stairwell[np.searchsorted(building, building)]  # stairwell in building
    width = int(local.max()) + 1 + BUILDING_GAP
    # Leads sit in the middle; the other members share the ring in row order.
    leads_before = np.cumsum(lead) - lead
    slot = np.arange(len(households)) - start - (leads_before - leads_before[start])
    on_ring = size - np.bincount(stairwell, weights=lead)[stairwell]
    angle = 2.0 * np.pi * slot / np.maximum(on_ring, 1)
    radius = np.where(lead, 0.0, RING_RADIUS)
    # Columns for a picture about 4:3 wide: columns × width ≈ 4/3 × rows × row height.
    buildings = int(building.max()) + 1
    columns = max(1, math.ceil(math.sqrt(4 / 3 * buildings * ROW_HEIGHT / width)))
    x = (building % columns) * width + local + radius * np.cos(angle)
    y = -(building // columns) * ROW_HEIGHT + radius * np.sin(angle)
    return np.column_stack([x, y])


class AppModel(CommunityModel):
    """The community model built from the page's choices, with its picture layout.

    Attributes:
        choices: what the page asked for.
        seed_error: why the typed seed was refused (the model then runs seed 0), else None.
        layout: each household's place in the picture (:func:`estate_layout`).
    """

    def __init__(self, choices: Choices = Choices()):
        config, self.seed_error = page_config(choices)
        super().__init__(config)
        self.choices = choices
        self.layout = estate_layout(self.households)
