"""Typed config of a shared space and the plans for it (``configs/shared_space/``).

A shared space (e.g. the ground floor of Yuxin Garden's Building 38) is negotiated among
groups of residents who want to use it (elderly, parents with young children, students, ...)
and stakeholders who own, fund, run or host it. Plans are layouts of rooms with a weekly
schedule of which group uses which room when, groups moved to outside venues, and fees.
Checks here name the key, the value and what is allowed (:class:`sim.config.ConfigError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from omegaconf import MISSING

from sim.config import ConfigError, bounded, positive
from sim.config import share as fraction  # GroupConfig has a field named share
from sim.resources.shared_space import week
from sim.resources.shared_space.membership import TRAITS

FEATURES = {
    "area_hours": "m²·h a week of rooms in use inside the space (utilities, cleaning)",
    "hazard": "1 − the space's condition (the risk of an unsafe, unkept space)",
    "renovation": "yuan, one-off, to renovate the space for the plan",
    "fee_income": "yuan a week of fees paid",
    "hosted_hours": "hours a week outside venues host moved groups",
    "welfare": "mean over households of the shares of demand met of their groups",
}
"""A plan's features; stakeholders weigh their changes (yuan a week per unit)."""

MAX_FEE_FACTOR = 10.0
"""The largest factor the committee's search may set on a plan's fees."""


@dataclass
class OpeningHours:
    """Hours the space is open in each period of a day (the same every day)."""

    morning: float = bounded(MISSING, 0.0, 24.0)
    afternoon: float = bounded(MISSING, 0.0, 24.0)
    evening: float = bounded(MISSING, 0.0, 24.0)

    def check_consistency(self, prefix: str) -> None:
        """A day has 24 hours."""
        total = self.morning + self.afternoon + self.evening
        if total > 24:
            raise ConfigError(prefix, total, "the periods' hours add up to at most 24")


@dataclass
class GroupConfig:
    """Residents who want the space for one kind of activity, and what they need.

    Attributes:
        share: share of households with a member in the group.
        prefer: a household trait (e.g. ``special_need``) whose holders join first; "" for
            none.
        hours: hours of use a week the group wants.
        area: m² one of its sessions needs (a smaller room is worth proportionally less).
        weekday, weekend: how well each period (morning, afternoon, evening) suits the
            group on a weekday and on a weekend day, each in [0, 1].
        noise: how much it disturbs others; quiet: how much noise disturbs it ([0, 1]).
        wtp: yuan per hour of use it will pay; a fee at or above this keeps it away.
        avoid: other groups it should not share a place and time with, and the share of
            the value it then loses (age conflicts, e.g. elderly and running children).
        represented: a representative of the group (居民代表) sits at the deliberation
            meeting: a plan the group loses by is blocked, as by a stakeholder's veto.
    """

    label_zh: str = ""
    share: float = fraction(MISSING)
    prefer: str = ""
    hours: float = positive(MISSING)
    area: float = positive(MISSING)
    weekday: list[float] = MISSING
    weekend: list[float] = MISSING
    noise: float = fraction(MISSING)
    quiet: float = fraction(MISSING)
    wtp: float = bounded(MISSING, 0.0, 1e6)
    avoid: dict[str, float] = field(default_factory=dict)
    represented: bool = False

    def check_consistency(self, prefix: str) -> None:
        """Fit lists have one share per period; the trait is one households have."""
        for key in ("weekday", "weekend"):
            values = getattr(self, key)
            if len(values) != len(week.PERIODS) or not all(0 <= v <= 1 for v in values):
                raise ConfigError(f"{prefix}.{key}", values,
                                  f"must be {len(week.PERIODS)} shares in [0, 1] "
                                  f"({', '.join(week.PERIODS)})")
        if self.prefer and self.prefer not in TRAITS:
            raise ConfigError(f"{prefix}.prefer", self.prefer,
                              f"must be empty or one of: {', '.join(TRAITS)}")
        for other, loss in self.avoid.items():
            if not 0 <= loss <= 1:
                raise ConfigError(f"{prefix}.avoid.{other}", loss, "must be a share in [0, 1]")


@dataclass
class SiteConfig:
    """A venue outside the space where a group can be moved (e.g. a nearby gym).

    Attributes:
        area: m² the venue gives the group.
        access: the share of an hour's value left after the longer way there.
        condition: the share of an hour's value the venue's state allows.
        offers: the slots the venue can give (e.g. ``"daily afternoon evening"``).
    """

    label_zh: str = ""
    area: float = positive(MISSING)
    access: float = fraction(MISSING)
    condition: float = fraction(MISSING)
    offers: str = MISSING

    def check_consistency(self, prefix: str) -> None:
        """The offered slots are named in words of :mod:`sim.resources.shared_space.week`."""
        _check_slots(f"{prefix}.offers", self.offers)


@dataclass
class RoomConfig:
    """A room of a layout. Rooms with the same ``enclosure`` (e.g. zones of one hall) hear
    each other fully; "" means walls of its own."""

    area: float = positive(MISSING)
    enclosure: str = ""


@dataclass
class PlanConfig:
    """A layout and its weekly schedule (a proposal for the space).

    Attributes:
        renovate: the plan includes renovating the space (paid by the stakeholders whose
            weights charge ``renovation``).
        rooms: the layout: rooms inside the space, by name.
        use: per room, which group uses it when: ``{room: {group: slot words}}``.
        relocate: groups moved to an outside venue: ``{group: site}``; a moved group gets the
            slots the venue offers.
        fees: yuan per hour of use a group pays (free when not listed).
    """

    label_zh: str = ""
    renovate: bool = False
    rooms: dict[str, RoomConfig] = field(default_factory=dict)
    use: dict[str, dict[str, str]] = field(default_factory=dict)
    relocate: dict[str, str] = field(default_factory=dict)
    fees: dict[str, float] = field(default_factory=dict)


@dataclass
class StakeholderConfig:
    """An organisation with a stake in the space (owner unit, community, firm, departments).

    Its gain from a plan is the weighted change of the plan's features (yuan a week per
    unit of each feature; see :data:`FEATURES`). A plan whose
    renovation exceeds its ``budget`` (yuan) is a loss of the shortfall.
    """

    label_zh: str = ""
    must_agree: bool = False
    budget: float | None = bounded(None, 0.0, 1e12)
    weights: dict[str, float] = field(default_factory=dict)

    def check_consistency(self, prefix: str) -> None:
        """Weights name known features."""
        for feature in self.weights:
            if feature not in FEATURES:
                raise ConfigError(f"{prefix}.weights", feature,
                                  f"unknown feature; allowed: {', '.join(FEATURES)}")


@dataclass
class SharedSpaceConfig:
    """A shared space, the groups that want it, its stakeholders and the plans for it.

    Attributes:
        area: m² of the space (the rooms of a plan fit inside it).
        opening: hours open in each period of a day.
        condition: the share of an hour's value the space allows before renovation
            (1 after it).
        renovation_cost: yuan per m² of the space to renovate it.
        sound_leak: the share of a noise conflict heard through the walls between rooms.
        status_quo: the plan in force at the start.
        layouts: the plans the committee may put, in the order of its search's ``layout``
            knob (:mod:`sim.resources.shared_space.resource`): the first is its proposal.
        fee_levels: the factors on the plans' fees its search's ``fee`` knob may set, in
            order: the first is the fees as planned.
    """

    name: str = MISSING
    label_zh: str = ""
    area: float = positive(MISSING)
    opening: OpeningHours = field(default_factory=OpeningHours)
    condition: float = fraction(MISSING)
    renovation_cost: float = bounded(MISSING, 0.0, 1e6)
    sound_leak: float = fraction(MISSING)
    status_quo: str = MISSING
    layouts: list[str] = MISSING
    fee_levels: list[float] = field(default_factory=lambda: [1.0])
    groups: dict[str, GroupConfig] = field(default_factory=dict)
    sites: dict[str, SiteConfig] = field(default_factory=dict)
    stakeholders: dict[str, StakeholderConfig] = field(default_factory=dict)
    plans: dict[str, PlanConfig] = field(default_factory=dict)

    def check_consistency(self, prefix: str) -> None:
        """Cross-references: plans name known rooms, groups and sites, fit the space, and
        give a room to one group at a time."""
        if not self.groups:
            raise ConfigError(f"{prefix}.groups", {}, "name at least one group")
        for name in self.stakeholders.keys() & self.groups.keys():
            raise ConfigError(f"{prefix}.stakeholders", name, "must not share a group's name")
        for name, group in self.groups.items():
            for other in group.avoid:
                _check_known(f"{prefix}.groups.{name}.avoid", other, self.groups)
        _check_known(f"{prefix}.status_quo", self.status_quo, self.plans)
        if not self.layouts:
            raise ConfigError(f"{prefix}.layouts", [], "name at least one plan to propose")
        for i, name in enumerate(self.layouts):
            _check_known(f"{prefix}.layouts[{i}]", name, self.plans)
        if not self.fee_levels or not all(0 <= f <= MAX_FEE_FACTOR for f in self.fee_levels):
            raise ConfigError(f"{prefix}.fee_levels", self.fee_levels,
                              f"must list at least one factor, each in [0, {MAX_FEE_FACTOR:g}]")
        for name, plan in self.plans.items():
            self._check_plan(f"{prefix}.plans.{name}", plan)

    def _check_plan(self, prefix: str, plan: PlanConfig) -> None:
        area = sum(room.area for room in plan.rooms.values())
        if area > self.area:
            raise ConfigError(f"{prefix}.rooms", area,
                              f"rooms add up to more than the space's {self.area:g} m²")
        for room, uses in plan.use.items():
            _check_known(f"{prefix}.use", room, plan.rooms)
            taken: dict[int, str] = {}
            for group, words in uses.items():
                _check_known(f"{prefix}.use.{room}", group, self.groups)
                for slot in _check_slots(f"{prefix}.use.{room}.{group}", words).nonzero()[0]:
                    if slot in taken:
                        raise ConfigError(f"{prefix}.use.{room}.{group}", words,
                                          f"overlaps {taken[slot]} in {room}; "
                                          "a room serves one group at a time")
                    taken[slot] = group
        hosted: dict[str, str] = {}
        for group, site in plan.relocate.items():
            _check_known(f"{prefix}.relocate", group, self.groups)
            _check_known(f"{prefix}.relocate.{group}", site, self.sites)
            if site in hosted:
                raise ConfigError(f"{prefix}.relocate.{group}", site,
                                  f"already hosts {hosted[site]}; a venue hosts one group")
            hosted[site] = group
        for group, fee in plan.fees.items():
            _check_known(f"{prefix}.fees", group, self.groups)
            if fee < 0:
                raise ConfigError(f"{prefix}.fees.{group}", fee, "must be at least 0")


def _check_known(key: str, name: str, known: dict) -> None:
    if name not in known:
        raise ConfigError(key, name, f"unknown name; known: {', '.join(known)}")


def _check_slots(key: str, words: str):
    try:
        return week.slots(words)
    except ValueError as error:
        raise ConfigError(key, words, str(error)) from None
