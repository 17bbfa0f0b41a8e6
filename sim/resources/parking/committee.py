"""The community committee (社区党委) and, once rules are adopted, the parking
self-governance committee (停车自管会) that runs them: allocation, reclaiming, rotation,
supply measures and the parking accounts."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Protocol

import mesa
import numpy as np

from sim.estate.state import Cars, Households, SpaceKind, Spaces, Use
from sim.resources.parking import kernel as parking
from sim.resources.parking.allocation import AllocationRule
from sim.resources.parking.pricing import PricingRule
from sim.resources.parking.revenue import Accounts, RevenueRule
from sim.resources.parking.supply import SupplyMeasure
from sim.resources.parking.tenure import Event, TenureRule
from sim.rules import registry

if TYPE_CHECKING:
    from sim.config import RunConfig
    from sim.estate.events import MonthEvents


class Tables(Protocol):
    """The estate's state tables (the model has them; the car table is replaced monthly)."""

    households: Households
    cars: Cars
    spaces: Spaces


class Site(Tables, Protocol):
    """The estate as the committee acts on it: its tables, what cars will pay, and towing."""

    def car_wtp(self) -> np.ndarray:
        """Each car's willingness to pay for a permit, yuan/month."""

    def remove_zombies(self) -> None:
        """Drop the zombie cars from the car table and free the spaces they block."""


@dataclass
class RuleSet:
    """One rule per group, and the supply measures: a package the community can adopt."""

    allocation: AllocationRule
    tenure: TenureRule
    pricing: PricingRule
    revenue: RevenueRule
    supply: list[SupplyMeasure] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: RunConfig) -> RuleSet:
        """The package a run config describes."""
        return cls(
            allocation=registry.build("allocation", config.allocation),
            tenure=registry.build("tenure", config.tenure),
            pricing=registry.build("pricing", config.pricing),
            revenue=registry.build("revenue", config.revenue),
            supply=[registry.build("supply", p) for p in config.supply.values()],
        )

    @classmethod
    def status_quo(cls) -> RuleSet:
        """No rules: informal first come, first served, nothing charged, nothing added."""
        def rule(group: str, name: str, **params):
            rule_class = registry.get(group, name)
            return rule_class(rule_class.Params(**params))

        return cls(
            allocation=rule("allocation", "status_quo"),
            tenure=rule("tenure", "permanent"),
            pricing=rule("pricing", "flat", monthly_price=0.0),
            revenue=rule("revenue", "opaque", management_cost=0.0, trust_erosion=0.0),
        )

    def changes_anything(self) -> bool:
        """False for a package that leaves the informal status quo as it is (nothing to
        deliberate)."""
        return not self.allocation.nightly or bool(self.supply)

    def major(self) -> bool:
        """Adopting the package changes the use of common parts (a major matter)."""
        rules = [self.allocation, self.tenure, self.pricing, self.revenue, *self.supply]
        permit_rules = rules if not self.allocation.nightly else [self.allocation, *self.supply]
        return any(rule.changes_common_parts() for rule in permit_rules)

    def summary(self) -> str:
        """A short label: the rule names joined by '/', supply measures after a '+'."""
        names = self.names()
        label = "/".join(names[g] for g in ("allocation", "tenure", "pricing", "revenue"))
        return "+".join([label, *names["supply"]])

    def names(self) -> dict[str, str | list[str]]:
        """Rule names by group (supply: the list of measures)."""
        names = {f.name: getattr(self, f.name) for f in fields(self)}
        return {group: ([m.name for m in rule] if isinstance(rule, list) else rule.name)
                for group, rule in names.items()}


class Committee(mesa.Agent):
    """Runs the package the community adopted (the self-governance committee, 自管会).

    Args:
        site: the estate it runs the parking of: the Mesa model, the committee being one of
            its agents.
        measure_spaces: per supply measure, the indices of the spaces it can open.
        firm_runs_parking: the property firms collect the permit fees (they keep the income).
        draws: the allocation stream (lotteries, price classes, rotation).

    Attributes:
        site: the estate it acts on.
        rules: the package in force: the status quo until ``adopt`` is called.
        quotas: the shares of permit spaces reserved for tenants' cars and for second cars,
            as the adopted terms say (:func:`quota_pools`).
        adopted_day: the day a package was adopted (None: not yet).
        accounts: the parking accounts (yuan).
        public_good: the public-good level funded by parking revenue, in [0, 1].
        amenity: the level of service spaces opened by supply measures, in [0, 1].
        measure_spaces: per supply measure, the indices of the spaces it can open.
    """

    def __init__(self, site: Site, measure_spaces: dict, firm_runs_parking: bool,
                 draws: np.random.Generator):
        super().__init__(site)
        self.site = site
        self.firm_runs_parking = firm_runs_parking
        self.rules = RuleSet.status_quo()
        self.quotas = (0.0, 0.0)
        self.adopted_day: int | None = None
        self.accounts = Accounts()
        self.public_good = 0.0
        self.amenity = 0.0
        self.measure_spaces = measure_spaces
        self.started: dict[str, int] = {}
        self.month_income = self.month_costs = 0.0
        self.draws = draws

    # -- adoption and the daily round ------------------------------------------------------------

    def adopt(self, rules: RuleSet, quotas: tuple[float, float], day: int) -> None:
        """Put a package in force: classify and price the spaces, schedule the supply
        measures and hand out permits, reserving ``quotas`` of them for tenants' cars and for
        second cars."""
        self.rules, self.quotas = rules, quotas
        self.adopted_day = day
        self.rules.pricing.classify(self.site.spaces, self.draws)
        if not self.rules.allocation.nightly:
            self.allocate(self.site.spaces.usable())

    def daily(self, day: int) -> None:
        """Start supply measures that are due; redraw, reallocate or rotate on their days."""
        if self.adopted_day is None:
            return
        since = day - self.adopted_day
        for measure in self.rules.supply:
            if measure.name not in self.started and since >= measure.params.delay_days:
                self.started[measure.name] = day
                self.accounts.costs += measure.params.cost
                measure.start(self, self.measure_spaces[measure.name])
        rules = self.rules
        if rules.allocation.nightly or since == 0:
            return
        spaces = self.site.spaces
        if _due(since, rules.allocation.redraw_days()):
            self.allocate(spaces.usable())
        elif _due(since, rules.tenure.reallocation_days()):
            self.allocate(spaces.usable() & (spaces.holder < 0))
        if _due(since, rules.pricing.rotation_days()):
            self.rotate()

    # -- permits ---------------------------------------------------------------------------------

    def reserve(self) -> list[tuple[float, np.ndarray]]:
        """The quota pools in force (see :func:`sim.resources.parking.kernel.allocate_permits`)."""
        return quota_pools(self.quotas, self.site.households, self.site.cars)

    def allocate(self, allocatable: np.ndarray) -> None:
        """Hand out permits on ``allocatable`` spaces under the allocation rule in force."""
        site = self.site
        self._give(self.rules.allocation.priority(site.households, site.cars, self.draws),
                   allocatable)

    def _give(self, key: np.ndarray, allocatable: np.ndarray) -> None:
        """Allocate by ``key``: at the pricing rule's prices, or at the clearing price for a
        rule that sets its own."""
        site, rule = self.site, self.rules.allocation
        h, c, spaces = site.households, site.cars, site.spaces
        wtp = None if rule.sets_price else site.car_wtp()
        assigned = parking.allocate_permits(spaces, h, c, key, allocatable, wtp, self.reserve())
        if rule.sets_price:
            winners = assigned[assigned >= 0]
            won = np.zeros(len(c), dtype=bool)
            won[winners] = True
            losers = np.flatnonzero(~won & ~c.zombie & np.isfinite(key))
            price = rule.clearing_price(h, c, winners, losers)
            spaces.price[(spaces.holder >= 0) & (spaces.use != Use.TEMPORARY)] = price

    def rotate(self) -> None:
        """Pass the rotating spaces along the waiting list: this period's holders queue last."""
        site = self.site
        spaces = site.spaces
        rotating = spaces.usable() & (spaces.use == Use.ROTATING)
        previous = np.zeros(len(site.households), dtype=bool)
        previous[spaces.holder[rotating & (spaces.holder >= 0)]] = True
        key = self.rules.allocation.priority(site.households, site.cars, self.draws)
        rank = np.empty(len(key))
        rank[np.argsort(key)] = np.arange(len(key))
        rank[~np.isfinite(key)] = np.inf
        self._give(rank + len(key) * previous[site.cars.household], rotating)

    def release(self, households: np.ndarray, keep: np.ndarray | int = 0) -> None:
        """Take back the permits of ``households`` beyond ``keep`` each (0: all of them)."""
        spaces = self.site.spaces
        mine = np.flatnonzero(np.isin(spaces.holder, households))
        if not len(mine):
            return
        allowed = np.zeros(len(self.site.households), dtype=np.int64)
        allowed[households] = keep
        holder = spaces.holder[mine]
        order = np.argsort(holder, kind="stable")
        nth = np.arange(len(order)) - np.searchsorted(holder[order], holder[order])
        spaces.holder[mine[order[nth >= allowed[holder[order]]]]] = -1

    def on_events(self, events: MonthEvents) -> None:
        """Reclaim permits as the tenure rule says; the freed spaces wait for reallocation.

        Whatever the tenure rule, a roadside permit is a personal certification: it lapses
        when its holder no longer qualifies (e.g. a newcomer in the flat).
        """
        spaces, households = self.site.spaces, self.site.households
        roadside = (spaces.holder >= 0) & (spaces.kind == SpaceKind.ROADSIDE)
        lapsed = roadside & ~households.five_in_one[np.maximum(spaces.holder, 0)]
        spaces.holder[lapsed] = -1
        tenure = self.rules.tenure
        cars = self.site.households.cars
        if tenure.reclaims(Event.MOVED_OUT):
            self.release(events.moved_out)
        if tenure.reclaims(Event.VIOLATION):
            self.release(events.violators)
        for event, who in ((Event.CAR_SOLD, events.sold),
                           (Event.TURNED_ZOMBIE, events.turned_zombie)):
            if tenure.reclaims(event):
                self.release(who, keep=cars[who])

    # -- supply ----------------------------------------------------------------------------------

    def open_spaces(self, spaces: np.ndarray) -> None:
        """Open spaces (a measure starts or an agreement is renewed) and allocate the free
        ones among them."""
        self.site.spaces.open[spaces] = True
        if not self.rules.allocation.nightly:
            opened = np.zeros(len(self.site.spaces), dtype=bool)
            opened[spaces] = True
            self.allocate(opened & (self.site.spaces.holder < 0))

    def close_spaces(self, spaces: np.ndarray) -> None:
        """Close spaces (an agreement lapsed); their permits wait for the reopening."""
        self.site.spaces.open[spaces] = False

    def clear_zombies(self) -> None:
        """Tow every zombie car; the spaces they blocked become free."""
        self.site.remove_zombies()

    # -- money -----------------------------------------------------------------------------------

    def book_night(self, lets: int) -> None:
        """Income from spaces let for one night."""
        self.accounts.income += lets * self.rules.pricing.night_price()

    def close_month(self) -> float:
        """Collect permit fees, close the accounts under the revenue rule, start a new month.

        Returns:
            The permit fees handed to the property firms (0 unless they run the parking).
        """
        spaces = self.site.spaces
        held = spaces.usable() & (spaces.holder >= 0) & (spaces.use != Use.TEMPORARY)
        self.accounts.income += float(spaces.price[held].sum())
        handed_over = 0.0
        if self.firm_runs_parking:
            handed_over, self.accounts.income = self.accounts.income, 0.0
        trust = self.site.households.trust
        self.public_good = self.rules.revenue.close_month(self.accounts, trust)
        self.month_income, self.month_costs = self.accounts.income, self.accounts.costs
        self.accounts.income = self.accounts.costs = 0.0
        for measure in self.rules.supply:
            if measure.name in self.started:
                measure.month(self, self.measure_spaces[measure.name], self.draws)
        return handed_over


def quota_pools(quotas: tuple[float, float], households: Households,
                cars: Cars) -> list[tuple[float, np.ndarray]]:
    """The quota pools: ``(share, target cars)`` for tenants' cars and for second cars, the
    groups an owner-first, one-car-first package leaves last; empty pools left out."""
    targets = (~households.owner[cars.household], cars.rank >= 1)
    return [(share, target) for share, target in zip(quotas, targets, strict=True) if share > 0]


def _due(since: int, every: int | None) -> bool:
    return every is not None and since % every == 0
