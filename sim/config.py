"""Typed run configuration: Hydra schemas and checks on values (composing and loading a
config: :mod:`sim.compose`).

Hydra checks types and unknown keys while it composes a config; the checks here add what
types cannot say (a share must lie in [0, 1], a count must not be negative, two numbers must
not contradict each other). Every failed check raises :class:`ConfigError`, whose message
names the key, the value and what is allowed, so the command line can print it without a
traceback.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from omegaconf import MISSING, DictConfig, OmegaConf

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
"""The config files (the Hydra search path of ``python -m sim.run``): in a checkout a link to
the repository's ``configs/``, in an installed wheel a copy of it."""


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
                if dataclasses.is_dataclass(item):
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

    stairwell_ties: float = bounded(MISSING, 0.0, 1000.0)
    building_ties: float = bounded(MISSING, 0.0, 1000.0)
    cross_ties: float = bounded(MISSING, 0.0, 1000.0)


@dataclass
class SupplyCounts:
    """What each supply measure has to work with in this estate (see configs/supply/)."""

    restripe_spaces: int = count(MISSING)
    shared_spaces: int = count(MISSING)
    roadside_spaces: int = count(MISSING)
    illegal_construction_m2: float = bounded(MISSING, 0.0, 1e7)


@dataclass
class ScenarioConfig:
    """A neighbourhood: its buildings, households, cars, parking and property management.

    Every value comes from the scenario's YAML file: the schema carries no numbers (a test
    checks). Counts from the source article are plain values there; assumed values carry a
    ``# assumed`` comment. ``owners`` and ``leads`` may be given as counts; when null they
    follow from ``owner_share`` and ``lead_share``. ``firm_runs_parking`` hands the parking
    income to the property firms instead of the committee's accounts. Every flat not lived
    in by its owner is rented, its owner living elsewhere: ``absentee_online_share`` of those
    owners are registered for online voting and a lead can contact ``absentee_contact_share``
    of them; ``online_share`` of resident households are registered.
    """

    name: str = MISSING
    label_en: str = MISSING
    label_zh: str = MISSING
    year_built: int | None = None
    households: int = count(MISSING, minimum=1)
    buildings: int = count(MISSING, minimum=1)
    stairwells_per_building: int = count(MISSING, minimum=1)
    spaces: int = count(MISSING)
    cars: int = count(MISSING)
    second_car_share: float = share(MISSING)
    zombie_car_share: float = share(MISSING)
    owner_share: float = share(MISSING)
    owners: int | None = count(None)
    online_share: float = share(MISSING)
    absentee_online_share: float = share(MISSING)
    absentee_contact_share: float = share(MISSING)
    bought_share: float = share(MISSING)
    five_in_one_share: float = share(MISSING)
    special_need_share: float = share(MISSING)
    party_share: float = share(MISSING)
    lead_share: float = share(MISSING)
    leads: int | None = count(None)
    lead_level: LeadLevel = MISSING
    mean_floor_area: float = positive(MISSING)
    mean_residence_years: float = positive(MISSING)
    wtp_mean: float = positive(MISSING)
    wtp_sd: float = bounded(MISSING, 0.0, 1e6)
    firms: int = count(MISSING, minimum=1)
    property_units: int = count(MISSING, minimum=1)
    monthly_fee: float = positive(MISSING)
    initial_fee_payment: float = share(MISSING)
    initial_firm_quality: float = share(MISSING)
    contract_months_left: int = count(MISSING, minimum=1)
    firm_reserve_months: float = bounded(MISSING, 0.0, 120.0)
    firm_runs_parking: bool = False
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
    """Encounters on crowded lanes: blocked access, neighbours' tolerance, leads' mediation,
    hotline complaints (12345). See :mod:`sim.resources.frictions`."""

    lane_spots_per_household: float = bounded(0.25, 0.0, 10.0)
    stranger_tolerance: float = share(0.97)
    neighbour_tolerance: float = share(0.995)
    mediation_share: float = share(0.6)
    complaint_threshold: float = share(0.35)
    complaint_prob: float = share(0.002)
    conflict_complaint_prob: float = share(0.2)


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
    """Friedkin–Johnsen influence (susceptibility λ, the extra weight leads carry in W) and
    how households value a proposal (the anchor)."""

    susceptibility_mean: float = share(0.6)
    susceptibility_spread: float = share(0.2)
    lead_weight: float = bounded(3.0, 0.0, 1000.0)
    self_weight: float = bounded(1.0, 0.0, 1000.0)
    anchor_gain: float = bounded(0.5, 0.0, 10.0)
    trust_weight: float = bounded(0.3, 0.0, 10.0)
    order_value: float = bounded(0.5, 0.0, 10.0)
    need_weight: float = bounded(1.5, 0.0, 10.0)
    landlord_share: float = share(0.5)


@dataclass
class FeeConfig:
    """Paying the property fee as conditional cooperation (see :mod:`sim.resources.fees`).

    Each household has a threshold: the share of its neighbours it needs to see paying before
    it pays. Free riders never pay (their threshold is infinite), unconditional payers'
    threshold is 0, conditional cooperators' is drawn from a Beta distribution with the given
    mean and concentration (α + β).
    """

    free_rider_share: float = share(0.3)
    conditional_share: float = share(0.5)
    threshold_mean: float = bounded(0.55, 0.01, 0.99)
    threshold_concentration: float = bounded(4.0, 0.1, 1000.0)
    service_weight: float = bounded(0.5, 0.0, 10.0)
    reference_quality: float = share(0.5)
    trust_weight: float = bounded(0.2, 0.0, 10.0)
    visits_per_lead: int = count(4)
    visit_effect: float = bounded(0.3, 0.0, 10.0)
    pursuit_share: float = share(0.1)
    pursuit_effect: float = bounded(0.5, 0.0, 10.0)

    def check_consistency(self, prefix: str) -> None:
        """Free riders and conditional cooperators cannot outnumber the households."""
        total = self.free_rider_share + self.conditional_share
        if total > 1.0:
            raise ConfigError(f"{prefix}.conditional_share", self.conditional_share,
                              f"with free_rider_share {self.free_rider_share:g} the two "
                              f"shares add up to {total:g}; at most 1")


@dataclass
class FirmConfig:
    """Property firms as accounts: costs that follow service quality, a reserve, contracts,
    exit and replacement (see :mod:`sim.resources.firms`). Costs are per household and month,
    as shares of the scenario's monthly fee."""

    fixed_cost_share: float = bounded(0.2, 0.0, 10.0)
    service_cost_share: float = bounded(0.6, 0.0, 10.0)
    standard_quality: float = share(0.7)
    quality_adjustment: float = share(0.3)
    contract_months: int = count(36, minimum=1)
    entrant_quality: float = share(0.8)
    entrant_reserve_months: float = bounded(3.0, 0.0, 120.0)
    ballot_mobilisation: float = share(0.4)


@dataclass
class ParkingBehaviour:
    """Demand for spaces beyond the residents' first cars."""

    visitors_per_household: float = bounded(0.02, 0.0, 10.0)
    second_car_wtp_share: float = share(0.5)
    tolerated_value: float = share(0.5)


@dataclass
class TurnoverConfig:
    """Monthly rates of the life events that change who needs a space (see sim/estate/events.py)."""

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
class TurnoutConfig:
    """The participation logit (see :mod:`sim.negotiation.turnout`)."""

    intercept: float = bounded(-1.0, -50.0, 50.0)
    duty_weight: float = bounded(2.0, 0.0, 50.0)
    stake_weight: float = bounded(2.0, 0.0, 50.0)
    social_weight: float = bounded(1.0, 0.0, 50.0)
    canvass_effect: float = bounded(0.4, 0.0, 50.0)


@dataclass
class DeliberationConfig:
    """The "大家商量着办" process: councils, turnout, discussion, meeting calls and trust."""

    proposal_day: int = count(0)
    min_preparation_days: int = count(15)
    grievance_trigger: float = bounded(0.15, 0.0, 1000.0)
    stairwell_councils: bool = True
    council_pull: float = share(0.3)
    lead_support: float = share(0.8)
    discussion_epsilon: float = share(0.15)
    discussion_weight: float = share(0.5)
    responsiveness: float = bounded(1.0, 0.0, 100.0)
    forecast_margin: float = share(0.05)
    prior_turnout: float = share(0.25)
    trust_rate: float = share(0.1)
    turnout: TurnoutConfig = field(default_factory=TurnoutConfig)


class Layout(Enum):
    """How a sweep keeps its runs: a folder per run, or Parquet parts, one set per job."""

    folders = "folders"
    parts = "parts"


@dataclass
class StoreConfig:
    """Where a job writes its runs (see :mod:`sim.output` and :mod:`sim.parts`)."""

    layout: Layout = Layout.folders
    series: bool = False
    """Parts only: keep each run's daily series beside its summary (folders always do)."""
    flush_seconds: float = bounded(15.0, 0.0, 86400.0)
    """Parts only: the longest a finished run waits in memory before it is written."""


# -- district ------------------------------------------------------------------------------------


def check_interval(prefix: str, low: float, high: float) -> None:
    """Reject ``{prefix}.low`` above ``{prefix}.high`` (a spread with nothing to draw from)."""
    if low > high:
        raise ConfigError(f"{prefix}.low", low, f"cannot exceed {prefix}.high = {high}")


@dataclass
class Spread:
    """A community attribute drawn uniformly between ``low`` and ``high``."""

    low: float = bounded(MISSING, 0.0, 1e6)
    high: float = bounded(MISSING, 0.0, 1e6)

    def check_consistency(self, prefix: str) -> None:
        """Reject an empty interval."""
        check_interval(prefix, self.low, self.high)


@dataclass
class SizeSpread:
    """Households per community: log-normal with ``median`` and ``sigma``, kept within
    [``low``, ``high``]."""

    median: float = positive(MISSING)
    sigma: float = bounded(MISSING, 0.0, 5.0)
    low: int = count(MISSING, minimum=1)
    high: int = count(MISSING, minimum=1)

    def check_consistency(self, prefix: str) -> None:
        """Reject an empty interval."""
        check_interval(prefix, self.low, self.high)


@dataclass
class YearSpread:
    """Year built: triangular between ``low`` and ``high``, most likely ``mode``."""

    low: int = bounded(MISSING, 1900, 2100)
    mode: int = bounded(MISSING, 1900, 2100)
    high: int = bounded(MISSING, 1900, 2100)

    def check_consistency(self, prefix: str) -> None:
        """Require low ≤ mode ≤ high and low < high."""
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ConfigError(f"{prefix}.mode", self.mode, f"must lie in [{prefix}.low, "
                              f"{prefix}.high] = [{self.low}, {self.high}], with low < high")


@dataclass
class FirmSituation:
    """One kind of property management a community may have."""

    weight: float = share(MISSING)
    """Share of the district's communities in this situation."""
    firms: int = count(MISSING, minimum=1)
    quality: float = share(MISSING)
    fee_payment: float = share(MISSING)


@dataclass
class DistrictConfig:
    """A district: how its communities are drawn and which of them one job runs.

    Every number comes from the district's YAML file (the schema carries none). Community
    ``i`` is drawn from the study ``seed`` with ``i`` in the seed's spawn key; a job runs the
    communities ``i`` with ``i % blocks == block``.
    """

    name: str = MISSING
    label_en: str = MISSING
    label_zh: str = MISSING
    communities: int = count(MISSING, minimum=1)
    seed: int = count(MISSING)
    blocks: int = count(MISSING, minimum=1)
    block: int = count(MISSING)
    households: SizeSpread = field(default_factory=SizeSpread)
    year_built: YearSpread = field(default_factory=YearSpread)
    cars_per_household: Spread = field(default_factory=Spread)
    spaces_per_car: Spread = field(default_factory=Spread)
    owner_share: Spread = field(default_factory=Spread)
    lead_share: Spread = field(default_factory=Spread)
    firm_situations: dict[str, FirmSituation] = field(default_factory=dict)

    def check_consistency(self, prefix: str) -> None:
        """A block within the blocks; situation shares that sum to 1; shares within [0, 1]."""
        if self.block >= self.blocks:
            raise ConfigError(f"{prefix}.block", self.block,
                              f"must be below {prefix}.blocks = {self.blocks}")
        for key in ("owner_share", "lead_share"):
            if getattr(self, key).high > 1.0:
                raise ConfigError(f"{prefix}.{key}.high", getattr(self, key).high,
                                  "must be a share in [0, 1]")
        total = math.fsum(s.weight for s in self.firm_situations.values())
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ConfigError(f"{prefix}.firm_situations", total,
                              "their weights must sum to 1")


# -- design --------------------------------------------------------------------------------------


@dataclass
class DesignConfig:
    """The block of a design's points one job runs (``hydra.sweeper.design_blocks``; see
    :mod:`sim.points`): the rows ``i`` of the CSV ``file`` with ``i % blocks == block``, or
    none (``file`` null: the job runs its own config). The sweeper sets the values.
    """

    file: str | None = None
    blocks: int = count(1, minimum=1)
    block: int = count(0)

    def check_consistency(self, prefix: str) -> None:
        """A block within the blocks."""
        if self.block >= self.blocks:
            raise ConfigError(f"{prefix}.block", self.block,
                              f"must be below {prefix}.blocks = {self.blocks}")


# -- the run -------------------------------------------------------------------------------------


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
    channels: dict[str, Any] = field(default_factory=dict)
    proposal_search: Any = MISSING
    deliberation: DeliberationConfig = field(default_factory=DeliberationConfig)
    opinion: Any = MISSING
    shared_space: Any = None
    """A shared space to negotiate instead of parking
    (:class:`sim.resources.shared_space.schema.SharedSpaceConfig`; None: parking)."""
    behaviour: BehaviourConfig = field(default_factory=BehaviourConfig)
    days: int = count(365, minimum=1)
    seed: int = count(0)
    replicates: int = count(1, minimum=1)
    """Seeds seed … seed + replicates − 1 run in one job, in lockstep (see sim/lockstep.py)."""
    objective: str | None = None
    """A summary number a job returns to an optimising sweeper (its mean over replicates)."""
    out: str = "results"
    store: StoreConfig = field(default_factory=StoreConfig)
    district: DistrictConfig | None = None
    """A district study: each run is one of its communities (see :mod:`sim.estate.district`)."""
    design: DesignConfig = field(default_factory=DesignConfig)
    """A block of a design's points, each run with every replicate seed (see :mod:`sim.points`)."""

    def check_consistency(self, prefix: str) -> None:
        """A district study or a packed design writes parts, and not both in one job; an
        objective is read from run folders."""
        if self.district is not None and self.store.layout is Layout.folders:
            raise ConfigError("store.layout", "folders", "a district study keeps its runs as "
                              "Parquet parts: set store.layout=parts (experiment=district does)")
        if self.design.file is not None and self.store.layout is Layout.folders:
            raise ConfigError("store.layout", "folders", "a packed design (hydra.sweeper."
                              "design_blocks) keeps its runs as Parquet parts: set "
                              "store.layout=parts")
        if self.design.file is not None and self.district is not None:
            raise ConfigError("design.file", self.design.file, "a job runs a district's "
                              "communities or a design's points, not both: drop "
                              "hydra.sweeper.design_blocks or the district")
        if self.objective is not None and self.store.layout is Layout.parts:
            raise ConfigError("store.layout", "parts", "an objective is read from run folders: "
                              "set store.layout=folders")


def check_known_keys(node: DictConfig, prefix: str) -> None:
    """Check that every key of a typed node is a field of its schema, at every depth.

    Hydra refuses an unknown key unless it is added with ``+key=value``, which bypasses the
    schema; this check refuses it in every form.

    Raises:
        ConfigError: for the first key its schema does not have.
    """
    schema = OmegaConf.get_type(node)
    known = None
    if dataclasses.is_dataclass(schema):
        known = {f.name for f in dataclasses.fields(schema)}
    for key in node:
        name = f"{prefix}.{key}" if prefix else str(key)
        if OmegaConf.is_missing(node, key):
            continue  # a required value not given: to_object names it
        child = node[key]
        if known is not None and key not in known:
            raise ConfigError(name, child,
                              f"unknown key; {prefix or 'the run'} has {', '.join(sorted(known))}")
        if isinstance(child, DictConfig):
            check_known_keys(child, name)


NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
"""Names that become folder names: a letter or digit, then letters, digits, ``_`` or ``-``."""


def check_name(key: str, name: str) -> None:
    """Check that a name that becomes a folder name is safe on every file system.

    Raises:
        ConfigError: for a name with other characters (e.g. ``/`` or ``..``) or too long.
    """
    if not NAME_PATTERN.fullmatch(str(name)):
        raise ConfigError(key, name, "must be 1 to 64 letters, digits, '_' or '-', starting "
                          "with a letter or digit")


def check_overrides(overrides: list[str]) -> None:
    """Check command-line overrides before any config is composed.

    Each override must parse; a value outside ``hydra.*`` may not be an interpolation
    (``${oc.env:HOME}`` would make the run depend on the machine and write its value into the
    run's ``config.yaml``); a config group must name options that exist, in every form
    (Hydra lists them for a single unknown option, not for a list ``supply=[a,b]``, a sweep
    ``allocation=a,b`` or a glob that matches nothing), and cannot be removed or set to null.

    Raises:
        ConfigError: for the first override that breaks a rule.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import OverrideParseException

    parser = OverridesParser.create()
    groups = {p.name: sorted(f.stem for f in p.glob("*.yaml")) for p in CONFIG_DIR.iterdir()
              if p.is_dir()}
    for text in overrides:
        key, _, value = text.partition("=")
        key = key.lstrip("+~")
        try:
            (override,) = parser.parse_overrides([text])
        except OverrideParseException as error:
            lines = str(error).strip().splitlines()
            reason = lines[1] if len(lines) > 1 else lines[0]
            raise ConfigError(key or text, value, f"not a valid override ({reason}): write "
                              "key=value, and quote the whole override in the shell") from None
        if "${" in value and not key.startswith("hydra"):
            raise ConfigError(key, value, "interpolations (${...}) are not allowed on the "
                              "command line: write the value itself")
        if override.key_or_group in groups:
            _check_choice(override, value, groups[override.key_or_group])


def _check_choice(override, written: str, options: list[str]) -> None:
    """Check one override of a config group (its value ``written`` as typed) against the
    group's ``options``."""
    from hydra.core.override_parser.types import ChoiceSweep, Glob

    group, value = override.key_or_group, override.value()
    allowed = f"available: {', '.join(options)}"
    if override.is_delete() or value is None:
        raise ConfigError(group, written or None, f"a config group needs an option; {allowed}")
    if isinstance(value, Glob):
        if not value.filter(options):
            raise ConfigError(group, written, f"matches no option; {allowed}")
        return
    if isinstance(value, ChoiceSweep):
        names = list(value.list)
    elif override.is_sweep_override():
        return  # a range over option names cannot name an unknown one
    else:
        names = value if isinstance(value, list) else [value]
    for name in names:
        if isinstance(name, list):
            names.extend(name)
        elif name is None or str(name) not in options:
            raise ConfigError(group, name, f"unknown option; {allowed}")


def _hydra_value(value: Any) -> str:
    """A Python value written as Hydra's override grammar reads it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_hydra_value(item) for item in value) + "]"
    if isinstance(value, str) and not re.fullmatch(r"[\w.\-/]*", value):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return str(value)


def keyword_overrides(settings: dict[str, Any]) -> list[str]:
    """Hydra override strings for keyword settings, as Python code gives them.

    A dotted key is given as ``scenario__lead_share=0`` or ``**{"scenario.lead_share": 0}``;
    ``rng`` (the name Mesa's ``batch_run`` gives the seed) stands for ``seed``.

    Raises:
        ConfigError: for ``rng=None`` (a run without a seed would not be reproducible).
    """
    settings = dict(settings)
    if "rng" in settings:
        rng = settings.pop("rng")
        if rng is None:
            raise ConfigError("rng", None, "give seeds, e.g. batch_run(..., rng=range(5)): a "
                              "run without a seed would not be reproducible")
        settings["seed"] = rng
    return [f"{key.replace('__', '.')}={_hydra_value(value)}" for key, value in settings.items()]
