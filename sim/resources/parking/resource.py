"""Parking as a negotiated resource: the committee's package on terms, what each flat expects
from it, who loses and why (implements :class:`sim.resources.interface.Resource`).

The terms a committee may change are four knobs (:data:`KNOBS`): a ``tenant_quota`` and a
``second_car_quota`` of permit spaces reserved for the cars an owner-first, one-car-first
package leaves last, a ``price`` factor on the monthly permit prices, and the
``compensation`` share of other losses (a re-striped frontage, a removed structure) the
proposal makes good.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from sim.config import BehaviourConfig, ConfigError
from sim.resources.interface import Evaluation, Objections, Terms
from sim.resources.parking import kernel as parking
from sim.resources.parking.committee import Committee, RuleSet, Tables, quota_pools

if TYPE_CHECKING:
    from sim.resources.parking.supply import SupplyMeasure

KNOBS = {"tenant_quota": (0.0, 0.0, 1.0), "second_car_quota": (0.0, 0.0, 1.0),
         "price": (1.0, 0.0, 10.0), "compensation": (0.0, 0.0, 1.0)}
"""Each knob's neutral level (the package as the run config states it) and its range."""

PARKING_REASONS = ("first_car_loses_access", "tenant_car_loses_access",
                   "second_car_loses_access", "permit_price")
PARKING_REMEDIES = (None, "tenant_quota", "second_car_quota", "price")
"""The parking losses an objection can name, and the knob that answers each."""


class ParkingResource:
    """The run config's parking package, negotiable on the terms of :data:`KNOBS`.

    Args:
        tables: the state tables, read when a proposal is evaluated.
        committee: the self-governance committee that runs an adopted package.
        package: the package the committee proposes.
        behaviour: the behavioural parameters (how flats value parking and order).
        rng: draws the random tie-breaks of expected allocations.
    """

    def __init__(self, tables: Tables, committee: Committee, package: RuleSet,
                 behaviour: BehaviourConfig, rng: np.random.Generator):
        self.tables, self.committee, self.package = tables, committee, package
        self.opinion = behaviour.opinion
        self.second_car_share = behaviour.parking.second_car_wtp_share
        self.tolerated = behaviour.parking.tolerated_value
        self.rng = rng
        self._basis: tuple | None = None
        self._cache: dict[tuple, np.ndarray] = {}

    # -- the Resource interface ------------------------------------------------------------------

    def changes_anything(self) -> bool:
        """False for a package that leaves the informal status quo as it is."""
        return self.package.changes_anything()

    def major(self) -> bool:
        """The package changes the use of common parts (Civil Code art. 278(6)–(8))."""
        return self.package.major()

    def veto_holders(self) -> tuple[str, ...]:
        """None: households and owners decide on parking by their vote alone."""
        return ()

    def check_space(self, space: Mapping[str, list[float]], key: str) -> None:
        """Every knob must be one of :data:`KNOBS` and every level within its range."""
        for knob, levels in space.items():
            if knob not in KNOBS:
                raise ConfigError(f"{key}.{knob}", knob,
                                  f"unknown knob; available: {', '.join(KNOBS)}")
            _, low, high = KNOBS[knob]
            for level in levels:
                if not low <= level <= high:
                    raise ConfigError(f"{key}.{knob}", level, f"must lie in [{low:g}, {high:g}]")

    def evaluate(self, terms: Terms) -> Evaluation:
        """Each flat's expected gain from the package on ``terms`` over the rules in force.

        For the residents: over their cars, the expected chance of a space under the package
        (its allocation order, its extra spaces, the quotas) valued net of the price they would
        pay, (1 − price / willingness to pay)⁺, less what parking is worth to them now — the
        chance of a free space, and on other nights ``tolerated_value`` for parking where it is
        not allowed, which the status quo tolerates and a package in force ends — weighted by
        ``need_weight`` for households with an elderly or disabled member; plus
        ``order_value`` × the rise in the share of cars legally parked (order, which everyone
        enjoys); plus the other measures' gains and less their losses (after compensation).
        An owner living elsewhere gains ``landlord_share`` of what the flat's tenants gain:
        parking that tenants value is let with the flat.
        """
        h = self.tables.households
        terms = full_terms(terms)
        quotas, price, compensation = _quotas(terms), terms["price"], terms["compensation"]
        parking_gain = self._remembered(
            ("parking", quotas, price),
            lambda: self._parking_value(terms).sum(axis=1) + self._order_gain(quotas))
        others = self._remembered(("others", compensation), lambda: sum(
            (m.expected_gain(h) - m.loss(h, compensation) for m in self.package.supply),
            np.zeros(len(h))))
        resident = parking_gain + others
        owner = np.where(h.owner, resident, self.opinion.landlord_share * resident)
        return Evaluation(resident=resident, owner=owner)

    def objections(self, terms: Terms, evaluation: Evaluation) -> Objections:
        """A flat that loses objects for its largest loss: a car losing its chance of a space
        (a first car, a tenant's car, a second car), the permit price, or a measure's loss."""
        h = self.tables.households
        terms = full_terms(terms)
        measures = [m for m in self.package.supply if m.loss_reason is not None]
        losses = [*self._parking_losses(terms).T,
                  *(-np.broadcast_to(m.loss(h, terms["compensation"]), len(h)) for m in measures)]
        table = np.column_stack(losses)
        worst = table.argmin(axis=1)
        loses = (evaluation.resident < 0) & (table.min(axis=1) < 0)
        return Objections(
            reason=np.where(loses, worst, -1),
            reasons=(*PARKING_REASONS, *(m.loss_reason for m in measures)),
            remedies=(*PARKING_REMEDIES, *("compensation" for _ in measures)),
        )

    def adopt(self, terms: Terms, day: int) -> None:
        """The committee puts the package in force at the terms' prices and quotas."""
        terms = full_terms(terms)
        rules = dataclasses.replace(self.package,
                                    pricing=self.package.pricing.scaled(terms["price"]))
        self.committee.adopt(rules, _quotas(terms), day)

    def describe(self, terms: Terms) -> str:
        """The package's rule names, then every term that differs from the package as stated."""
        label = self.package.summary()
        changed = [describe_term(knob, level) for knob, level in terms.items()
                   if level != KNOBS[knob][0]]
        return f"{label} ({', '.join(changed)})" if changed else label

    # -- parts of the evaluation -----------------------------------------------------------------

    def _parking_value(self, terms: Terms) -> np.ndarray:
        """Per household, the parking part of the gain split as in :data:`PARKING_REASONS`
        (chance of a space: first car, tenant's car, second car; then the price): n × 4."""
        quotas = _quotas(terms)
        return self._remembered(("value", quotas, terms["price"]),
                                lambda: self._value(quotas, terms["price"]))

    def _value(self, quotas: tuple[float, float], price: float) -> np.ndarray:
        h, cars = self.tables.households, self.tables.cars
        regulated = not self.package.allocation.nightly
        proposed = self._expected(quotas if regulated else (0.0, 0.0))
        now = self._expected(None)
        access = self._worth(proposed, tolerated=not regulated) - self._worth(now, tolerated=True)
        tenant = ~h.owner[cars.household]
        first = cars.rank == 0
        parts = (np.where(first & ~tenant, access, 0.0), np.where(first & tenant, access, 0.0),
                 np.where(first, 0.0, access), -proposed * (1.0 - self._net(price)))
        value = np.column_stack([np.bincount(cars.household, weights=part, minlength=len(h))
                                 for part in parts])
        need = np.where(h.special_need, self.opinion.need_weight, 1.0)
        return need[:, None] * value

    def _worth(self, access: np.ndarray, tolerated: bool) -> np.ndarray:
        """Per car, what parking is worth with this chance of a legal space: on other nights
        ``tolerated_value`` where parking is not allowed, if it is tolerated."""
        if not tolerated:
            return access
        return access + self.tolerated * (1.0 - access) * ~self.tables.cars.zombie

    def _parking_losses(self, terms: Terms) -> np.ndarray:
        """The negative parts of :meth:`_parking_value` (0 where a part is a gain)."""
        return np.minimum(self._parking_value(terms), 0.0)

    def _order_gain(self, quotas: tuple[float, float]) -> float:
        """``order_value`` × the expected rise in the share of active cars legally parked."""
        active = np.count_nonzero(~self.tables.cars.zombie)
        if not active:
            return 0.0
        rise = (self._expected(quotas).sum() - self._expected(None).sum()) / active
        return self.opinion.order_value * rise

    def _net(self, price_factor: float) -> np.ndarray:
        """Per car, the share of its value left after the permit price, (1 − price / wtp)⁺
        (a second car is worth ``second_car_wtp_share`` of the first)."""
        h, cars = self.tables.households, self.tables.cars
        nightly = self.package.allocation.nightly
        price = 0.0 if nightly else price_factor * self.package.pricing.permit_price()
        wtp = h.wtp[cars.household] * np.where(cars.rank >= 1, self.second_car_share, 1.0)
        share = np.divide(price, wtp, out=np.full(len(cars), np.inf), where=wtp > 0)
        return np.clip(1.0 - share, 0.0, 1.0)

    def _expected(self, quotas: tuple[float, float] | None) -> np.ndarray:
        """Per car, its expected chance of a space: under the rules in force (``quotas``
        None) or under the package with these quotas."""
        return self._remembered(("access", quotas), lambda: self._allocate(quotas))

    def _remembered(self, key: tuple, compute) -> np.ndarray:
        """``compute()``, remembered under ``key`` until the car table or the rules in force
        change (monthly at most): a search evaluates many variants on the same state."""
        basis = (self.tables.cars, self.committee.rules)
        if self._basis is None or any(a is not b for a, b in zip(basis, self._basis, strict=True)):
            self._basis, self._cache = basis, {}
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _allocate(self, quotas: tuple[float, float] | None) -> np.ndarray:
        h, cars, spaces = self.tables.households, self.tables.cars, self.tables.spaces
        if quotas is None:
            return parking.expected_access(spaces, h, cars, self.committee.rules.allocation,
                                           spaces.usable(), self.rng)
        return parking.expected_access(spaces, h, cars, self.package.allocation,
                                       self._usable(), self.rng,
                                       quotas=quota_pools(quotas, h, cars))

    def _usable(self) -> np.ndarray:
        """The spaces usable once the package's supply measures have all started."""
        spaces = self.tables.spaces
        usable = spaces.open.copy()
        measures: list[SupplyMeasure] = self.package.supply
        for measure in measures:
            usable[self.committee.measure_spaces[measure.name]] = True
        clears_zombies = any(m.name == "clear_zombie_cars" for m in measures)
        return usable if clears_zombies else usable & ~spaces.blocked


def _quotas(terms: Terms) -> tuple[float, float]:
    return terms["tenant_quota"], terms["second_car_quota"]


def full_terms(terms: Terms) -> dict[str, float]:
    """Terms with every knob they leave out at its neutral level."""
    return {knob: terms.get(knob, neutral) for knob, (neutral, _, _) in KNOBS.items()}


def describe_term(knob: str, level: float) -> str:
    """A term as the meeting log shows it, e.g. ``tenant quota 20%`` or ``price ×0.85``."""
    name = knob.replace("_", " ")
    return f"{name} ×{level:g}" if knob == "price" else f"{name} {level:.0%}"
