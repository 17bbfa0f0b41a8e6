"""Typed run configuration: Hydra schemas, checks on values, and loading outside Hydra.

Hydra checks types and unknown keys while it composes a config; the checks here add what
types cannot say (a share must lie in [0, 1], a count must not be negative, two numbers must
not contradict each other). Every failed check raises :class:`ConfigError`, whose message
names the key, the value and what is allowed, so the command line can print it without a
traceback.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, DictConfig, OmegaConf

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
"""The repository's ``configs/`` folder (the Hydra search path of ``python -m sim.run``)."""


def _scale(count: int, ratio: float) -> int:
    """``${scale:n,r}`` in a config: round(n × r), for sizes that follow another size."""
    return round(count * ratio)


if not OmegaConf.has_resolver("scale"):
    OmegaConf.register_new_resolver("scale", _scale)


class ConfigError(ValueError):
    """A user-facing configuration mistake: names the key, the value and what is allowed."""

    def __init__(self, key: str, value: Any, allowed: str):
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key} = {value!r}: {allowed}")


# -- field helpers: a default plus the check that the value must pass ---------------------------


def share(default: float) -> Any:
    """A proportion in [0, 1]."""
    return field(default=default, metadata={"check": ("range", 0.0, 1.0)})


def count(default: int, minimum: int = 0) -> Any:
    """A whole number of things, at least ``minimum``."""
    return field(default=default, metadata={"check": ("range", minimum, math.inf)})


def positive(default: float) -> Any:
    """A strictly positive quantity (a price, an area, a rate)."""
    return field(default=default, metadata={"check": ("positive",)})


def bounded(default: float, low: float, high: float) -> Any:
    """A number in the closed interval [low, high]."""
    return field(default=default, metadata={"check": ("range", low, high)})


def check_fields(obj: Any, prefix: str) -> None:
    """Check every field of a dataclass instance (recursively) against its declared range.

    Raises:
        ConfigError: on the first field outside its allowed range.
    """
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}.{f.name}" if prefix else f.name
        if dataclasses.is_dataclass(value):
            check_fields(value, key)
            continue
        if isinstance(value, dict):  # e.g. the list of supply measures, keyed by name
            for name, item in value.items():
                check_fields(item, f"{key}.{name}")
            continue
        rule = f.metadata.get("check")
        if rule is None or value is None:
            continue
        if rule[0] == "positive" and not value > 0:
            raise ConfigError(key, value, "must be greater than 0")
        if rule[0] == "range":
            low, high = rule[1], rule[2]
            if not low <= value <= high:
                raise ConfigError(key, value, _describe_range(low, high))
    consistency = getattr(obj, "check_consistency", None)
    if consistency is not None:
        consistency(prefix)


def _describe_range(low: float, high: float) -> str:
    if (low, high) == (0.0, 1.0):
        return "must be a share in [0, 1]"
    if high == math.inf:
        return f"must be at least {low:g}"
    return f"must lie in [{low:g}, {high:g}]"


# -- scenario ------------------------------------------------------------------------------------


class LeadLevel(Enum):
    """Where a party-member lead (党员楼门长) works: one stairwell (楼门) or a whole building."""

    stairwell = "stairwell"
    building = "building"


@dataclass
class NetworkConfig:
    """Social ties between households (expected numbers of ties per household)."""

    stairwell_ties: float = bounded(6.0, 0.0, 1000.0)
    building_ties: float = bounded(2.0, 0.0, 1000.0)
    cross_ties: float = bounded(1.0, 0.0, 1000.0)


@dataclass
class SupplyCounts:
    """What each supply measure has to work with in this estate (see configs/supply/)."""

    restripe_spaces: int = count(0)
    shared_spaces: int = count(0)
    roadside_spaces: int = count(0)
    illegal_construction_m2: float = bounded(0.0, 0.0, 1e7)


@dataclass
class ScenarioConfig:
    """A neighbourhood: its buildings, households, cars, parking and property management.

    Counts from the source article are plain values in the YAML files; assumed values carry a
    ``# assumed`` comment there. ``owners`` and ``leads`` may be given as counts; when null they
    follow from ``owner_share`` and ``lead_share``.
    """

    name: str = MISSING
    label_en: str = ""
    label_zh: str = ""
    year_built: int | None = None
    households: int = count(MISSING, minimum=1)
    residents: int | None = count(None, minimum=0)
    buildings: int = count(MISSING, minimum=1)
    stairwells_per_building: int = count(3, minimum=1)
    spaces: int = count(MISSING)
    cars: int = count(MISSING)
    second_car_share: float = share(0.2)
    zombie_car_share: float = share(0.03)
    owner_share: float = share(0.7)
    owners: int | None = count(None)
    bought_share: float = share(0.5)
    five_in_one_share: float = share(0.5)
    special_need_share: float = share(0.15)
    party_share: float = share(0.1)
    lead_share: float = share(0.5)
    leads: int | None = count(None)
    lead_level: LeadLevel = LeadLevel.stairwell
    mean_floor_area: float = positive(60.0)
    mean_residence_years: float = positive(12.0)
    wtp_mean: float = positive(150.0)
    wtp_sd: float = bounded(60.0, 0.0, 1e6)
    firms: int = count(1, minimum=1)
    property_units: int = count(1, minimum=1)
    monthly_fee: float = positive(60.0)
    initial_fee_payment: float = share(0.8)
    initial_firm_quality: float = share(0.6)
    initial_months_below: int = count(0)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    supply: SupplyCounts = field(default_factory=SupplyCounts)

    @property
    def stairwells(self) -> int:
        """Number of stairwells (楼门) in the estate."""
        return self.buildings * self.stairwells_per_building

    @property
    def owner_count(self) -> int:
        """Owner households (业主): the explicit count, else ``owner_share`` of households."""
        return self.owners if self.owners is not None else round(self.owner_share * self.households)

    @property
    def lead_units(self) -> int:
        """Stairwells or buildings a lead can serve, by ``lead_level``."""
        return self.stairwells if self.lead_level is LeadLevel.stairwell else self.buildings

    @property
    def lead_count(self) -> int:
        """Building leads (党员楼门长): the explicit count, else ``lead_share`` of the units."""
        return self.leads if self.leads is not None else round(self.lead_share * self.lead_units)

    @property
    def car_households(self) -> int:
        """Households with at least one car: enough that ``second_car_share`` of them have a
        second car, but no more than there are households."""
        return min(self.households, math.ceil(self.cars / (1.0 + self.second_car_share)))

    def check_consistency(self, prefix: str) -> None:
        """Reject numbers that contradict each other."""
        limits = [
            ("buildings", self.buildings, self.households, "cannot exceed scenario.households"),
            ("owners", self.owner_count, self.households, "cannot exceed scenario.households"),
            ("leads", self.lead_count, self.lead_units,
             f"at most one lead per {self.lead_level.value}"),
            ("property_units", self.property_units, self.buildings,
             "at most one unit per building"),
            ("firms", self.firms, self.buildings, "at most one firm per building"),
            ("cars", self.cars, 2 * self.households, "at most two cars per household"),
        ]
        for key, value, limit, rule in limits:
            if value > limit:
                raise ConfigError(f"{prefix}.{key}", value, f"{rule}: at most {limit}")


# -- behaviour -------------------------------------------------------------------------------------


@dataclass
class FrictionConfig:
    """Conflicts caused by illegal parking, mediation by leads, hotline complaints (12345)."""

    conflict_prob: float = share(0.05)
    mediation_share: float = share(0.6)
    complaint_threshold: float = share(0.35)
    complaint_prob: float = share(0.02)
    conflict_complaint_prob: float = share(0.3)


@dataclass
class SatisfactionConfig:
    """Weights of the daily satisfaction target and its adjustment speed."""

    parking_weight: float = bounded(0.4, 0.0, 1.0)
    service_weight: float = bounded(0.3, 0.0, 1.0)
    order_weight: float = bounded(0.2, 0.0, 1.0)
    public_good_weight: float = bounded(0.1, 0.0, 1.0)
    conflict_penalty: float = bounded(0.3, 0.0, 1.0)
    opposition_penalty: float = bounded(0.2, 0.0, 1.0)
    adjustment: float = share(0.05)
    initial: float = share(0.6)


@dataclass
class OpinionConfig:
    """Friedkin–Johnsen influence: susceptibility λ and the extra weight leads carry in W."""

    susceptibility_mean: float = share(0.6)
    susceptibility_spread: float = share(0.2)
    lead_weight: float = bounded(3.0, 0.0, 1000.0)
    self_weight: float = bounded(1.0, 0.0, 1000.0)
    anchor_gain: float = bounded(0.5, 0.0, 10.0)
    trust_weight: float = bounded(0.3, 0.0, 10.0)
    order_value: float = bounded(0.5, 0.0, 10.0)


@dataclass
class FeeConfig:
    """Conditional cooperation in paying the property fee (logistic in its drivers)."""

    intercept: float = bounded(0.3, -50.0, 50.0)
    propensity_weight: float = bounded(2.0, -50.0, 50.0)
    neighbour_weight: float = bounded(4.0, -50.0, 50.0)
    quality_weight: float = bounded(2.0, -50.0, 50.0)
    satisfaction_weight: float = bounded(1.0, -50.0, 50.0)
    lead_persuasion: float = bounded(1.5, 0.0, 50.0)


@dataclass
class FirmConfig:
    """Property firms: quality follows revenue; exit after k months of low collection."""

    quality_adjustment: float = share(0.2)
    required_collection: float = share(0.8)
    exit_threshold: float = share(0.3)
    exit_months: int = count(6, minimum=1)
    entry_delay_months: int = count(3, minimum=0)
    entry_willingness: float = share(0.5)
    entrant_quality: float = share(0.8)


@dataclass
class ParkingBehaviour:
    """Demand for spaces beyond the residents' first cars."""

    visitors_per_household: float = bounded(0.02, 0.0, 10.0)
    second_car_wtp_share: float = share(0.5)


@dataclass
class TurnoverConfig:
    """Monthly rates of the life events that change who needs a space (see sim/events.py)."""

    owner_move_rate: float = share(0.003)
    tenant_move_rate: float = share(0.03)
    car_sale_rate: float = share(0.005)
    car_purchase_rate: float = share(0.004)
    zombie_rate: float = share(0.001)
    violation_rate: float = share(0.005)


@dataclass
class BehaviourConfig:
    """Behavioural parameters shared by all scenarios (all assumed; see configs/behaviour)."""

    days_per_month: int = count(30, minimum=1)
    frictions: FrictionConfig = field(default_factory=FrictionConfig)
    satisfaction: SatisfactionConfig = field(default_factory=SatisfactionConfig)
    opinion: OpinionConfig = field(default_factory=OpinionConfig)
    fees: FeeConfig = field(default_factory=FeeConfig)
    firm: FirmConfig = field(default_factory=FirmConfig)
    parking: ParkingBehaviour = field(default_factory=ParkingBehaviour)
    turnover: TurnoverConfig = field(default_factory=TurnoverConfig)


# -- the run ---------------------------------------------------------------------------------------


@dataclass
class DeliberationConfig:
    """The "大家商量着办" process: meetings, stairwell councils, discussion and amendment."""

    first_meeting_day: int = count(0)
    interval_days: int = count(30, minimum=1)
    complaint_trigger: int = count(0)
    complaint_window_days: int = count(30, minimum=1)
    min_gap_days: int = count(7, minimum=1)
    max_rounds: int = count(6, minimum=1)
    stairwell_councils: bool = True
    council_pull: float = share(0.3)
    lead_support: float = share(0.8)
    propensity_weight: float = bounded(1.0, 0.0, 10.0)
    mobilisation: float = bounded(0.35, 0.0, 10.0)
    stake_weight: float = bounded(0.3, 0.0, 10.0)
    round_mobilisation: float = bounded(0.04, 0.0, 1.0)
    discussion_epsilon: float = share(0.15)
    discussion_weight: float = share(0.5)
    compensation_step: float = share(0.1)
    max_compensation: float = share(0.5)
    legitimacy_gain: float = share(0.2)
    imposition_loss: float = share(0.15)


@dataclass
class RunConfig:
    """One simulation run: a scenario, the rules in force, behaviour, length and seed."""

    scenario: ScenarioConfig = MISSING
    allocation: Any = MISSING
    tenure: Any = MISSING
    pricing: Any = MISSING
    revenue: Any = MISSING
    supply: dict[str, Any] = field(default_factory=dict)
    decision: Any = MISSING
    deliberation: DeliberationConfig = field(default_factory=DeliberationConfig)
    opinion: Any = MISSING
    behaviour: BehaviourConfig = field(default_factory=BehaviourConfig)
    days: int = count(365, minimum=1)
    seed: int = count(0)
    replicates: int = count(1, minimum=1)
    """Seeds seed … seed + replicates − 1 run one after another in one job (see sim/run.py)."""
    out: str = "results"


def register_schemas() -> None:
    """Store the schemas in Hydra's ConfigStore, outside every option group.

    Rule schemas go under ``schema/<group>/<name>`` and opinion kernels' under
    ``schema/opinion/<name>``, so they never show up as options of the group they describe.
    """
    from sim import opinion
    from sim.rules import registry

    cs = ConfigStore.instance()
    cs.store(name="run_schema", node=RunConfig)
    for group, rules in registry.all_groups().items():
        for name, rule in rules.items():
            cs.store(group=f"schema/{group}", name=name, node=rule.Params)
    for name, (_, params) in opinion.KERNELS.items():
        cs.store(group="schema/opinion", name=name, node=params)


def to_run_config(cfg: DictConfig) -> RunConfig:
    """Turn a composed Hydra config into checked, typed objects.

    Each rule's node becomes its own ``Params`` dataclass (its YAML file extends the schema).

    Raises:
        ConfigError: if a value is outside its range or numbers contradict each other.
    """
    run: RunConfig = OmegaConf.to_object(cfg)
    check_fields(run, "")
    return run


def check_option_names(overrides: list[str]) -> None:
    """Check that every option named for a config group in ``overrides`` exists.

    Hydra lists the options when a single unknown option is chosen, but not for a list
    (``supply=[a,b]``) or a sweep (``allocation=a,b``); this check names the unknown option
    and lists the available ones in every form.

    Raises:
        ConfigError: for the first unknown option.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.core.override_parser.types import ChoiceSweep

    groups = {p.name: sorted(f.stem for f in p.glob("*.yaml")) for p in CONFIG_DIR.iterdir()
              if p.is_dir()}
    candidates = [a for a in overrides if "=" in a and a.split("=")[0].lstrip("+~") in groups]
    for override in OverridesParser.create().parse_overrides(candidates):
        group = override.key_or_group
        value = override.value()
        if isinstance(value, ChoiceSweep):
            names = list(value.list)
        elif override.is_sweep_override():
            continue  # ranges and globs select among existing options
        else:
            names = value if isinstance(value, list) else [value]
        available = ", ".join(groups[group])
        for name in names:
            if isinstance(name, list):
                names.extend(name)
            elif name is not None and str(name) not in groups[group]:
                raise ConfigError(group, name, f"unknown option; available: {available}")


_COMPOSING = threading.Lock()
"""Hydra composes through one process-wide ``GlobalHydra``: one thread at a time (the browser
app builds each session's model in that session's thread)."""


def load_config(overrides: list[str] | tuple[str, ...] = ()) -> RunConfig:
    """Compose and check a run config outside a Hydra app (tests, notebooks, the browser app).
    Safe to call from several threads at once.

    Args:
        overrides: Hydra override strings, e.g. ``["scenario=sanhuqiao", "seed=3"]``.
    """
    from hydra import compose, initialize_config_dir

    with _COMPOSING:
        register_schemas()
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            cfg = compose(config_name="config", overrides=list(overrides))
    return to_run_config(cfg)
