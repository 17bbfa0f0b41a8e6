"""CommunityModel: households, building leads, property firms and a committee share parking.

One step is one day: parking night → frictions → social influence → (monthly) fees and firms
→ satisfaction → metrics. Household state is columnar (:mod:`sim.state`) and every daily
process over households is a handful of whole-array operations.
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

from sim import fees, frictions, metrics, parking
from sim.agents import BuildingLead, Committee, Household, PropertyFirm
from sim.config import LeadLevel, RunConfig
from sim.network import build_adjacency, influence_matrix
from sim.opinion import friedkin_johnsen
from sim.population import block_sizes, build_cars, build_households, build_spaces
from sim.rules import registry
from sim.rules.allocation import AllocationRule

STREAMS = ("population", "network", "night", "frictions", "fees", "allocation", "anchor")
"""Independent random streams spawned from the run seed, one per process, so that changing
one process (e.g. the allocation rule) leaves the draws of the others (e.g. the population
and the network) unchanged: rules are compared under common random numbers."""

ANCHOR_DRAWS = 8
"""Allocation draws averaged to estimate each household's expected access under a rule."""

METRICS = (
    "car_coverage", "household_coverage", "owner_coverage", "tenant_coverage",
    "illegal_parking", "zombie_cars", "usable_spaces", "conflicts", "mediated", "complaints",
    "fee_payment_rate", "firms_present", "revenue", "satisfaction", "support", "support_sd",
    "polarisation",
)
"""Daily outcome columns collected by the DataCollector (see :meth:`CommunityModel.measure`)."""

MEETING_COLUMNS = (
    "day", "round", "proposal", "attendance_heads", "attendance_area", "yes_heads", "yes_area",
    "quorum_met", "passed",
)
"""One row per deliberation meeting (协商议事会): attendance and yes shares by head count and
by floor area, whether the quorum was met and whether the proposal passed."""


class CommunityModel(mesa.Model):
    """A neighbourhood negotiating shared parking; see ``docs/model.md`` for the ODD description.

    Args:
        config: a checked run config (:func:`sim.config.load_config` or the Hydra app).

    Attributes:
        households, cars, spaces: the columnar state tables.
        adjacency: the social network (symmetric CSR, node i = household row i).
        influence: row-stochastic influence matrix W (leads weigh more).
        committee: the :class:`Committee` agent; ``committee.rule`` is the allocation in force.
        today: the latest day's outcome measures.
    """

    def __init__(self, config: RunConfig):
        super().__init__(rng=config.seed)
        self.config = config
        self.day = 0
        seeds = np.random.SeedSequence(config.seed).spawn(len(STREAMS))
        self.streams = {
            name: np.random.default_rng(s) for name, s in zip(STREAMS, seeds, strict=True)
        }
        self._build_population()
        self._build_agents()
        self.datacollector = mesa.DataCollector(
            model_reporters={name: (lambda m, name=name: m.today[name]) for name in METRICS}
        )
        self.today = self.measure(np.zeros(len(self.cars), dtype=bool), None)

    # -- set-up ----------------------------------------------------------------------------------

    def _build_population(self) -> None:
        scenario, behaviour = self.config.scenario, self.config.behaviour
        rng = self.streams["population"]
        self.households = h = build_households(scenario, rng)
        self.cars = build_cars(scenario, h, rng)
        self.spaces = build_spaces(scenario, self.cars, rng)
        h.susceptibility[:] = np.clip(
            rng.normal(behaviour.opinion.susceptibility_mean,
                       behaviour.opinion.susceptibility_spread, len(h)), 0.0, 0.95,
        )
        h.satisfaction[:] = behaviour.satisfaction.initial

        self.adjacency = build_adjacency(
            h, scenario.network, scenario.lead_level, self.streams["network"]
        )
        self.influence = influence_matrix(
            self.adjacency, h.lead, behaviour.opinion.lead_weight, behaviour.opinion.self_weight
        )
        sizes = block_sizes(len(h), scenario.buildings)
        self.building_size = sizes
        self.building_start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.units = h.stairwell if scenario.lead_level is LeadLevel.stairwell else h.building
        self.unit_has_lead = (
            np.bincount(self.units, weights=h.lead, minlength=scenario.lead_units) > 0
        )
        self.lead_nearby = self.unit_has_lead[self.units]
        self.lead_unit_of = self.units
        # Management areas: buildings split into contiguous blocks, one per firm.
        area_of_building = np.repeat(
            np.arange(scenario.firms), block_sizes(scenario.buildings, scenario.firms)
        )
        self.area_of = area_of_building[h.building]
        self.household_parked = np.zeros(len(h), dtype=bool)
        self.meetings: list[dict] = []
        self.fee_payment_rate = float(h.willing.mean())
        self.revenue = 0.0
        self.public_good = 0.0

    def _build_agents(self) -> None:
        scenario = self.config.scenario
        h = self.households
        for row in range(len(h)):
            (BuildingLead if h.lead[row] else Household)(self, row)
        self.firms: list[PropertyFirm | None] = [
            PropertyFirm(self, area, scenario.initial_firm_quality, scenario.initial_months_below)
            for area in range(scenario.firms)
        ]
        self.vacant_months = np.zeros(scenario.firms, dtype=np.int64)
        rule = registry.build("allocation", self.config.allocation)
        self.committee = Committee(self, rule, self.config.proposal)
        if not rule.nightly:
            self.allocate()
        self.set_proposal(self.config.proposal)
        self._refresh_service_term()

    # -- rules and proposals --------------------------------------------------------------------

    @property
    def rule(self) -> AllocationRule:
        """The allocation rule in force."""
        return self.committee.rule

    def allocate(self) -> None:
        """Hand out standing permits on every usable space under the rule in force."""
        key = self.rule.priority(self.households, self.cars, self.streams["allocation"])
        parking.allocate_permits(self.spaces, self.households, self.cars, key, self.spaces.usable())

    def expected_access(self, rule: AllocationRule) -> np.ndarray:
        """Each household's expected share of active cars with a space if ``rule`` gave out all
        usable spaces (mean over a few draws of its random tie-breaks)."""
        h, c = self.households, self.cars
        usable = self.spaces.usable()
        got = np.zeros(len(c))
        for _ in range(ANCHOR_DRAWS):
            order = np.argsort(rule.priority(h, c, self.streams["anchor"]))
            assigned = parking.fill_spaces(order, ~c.zombie, usable, self.spaces, h, c)
            got[assigned[assigned >= 0]] += 1.0 / ANCHOR_DRAWS
        per_household = np.bincount(c.household, weights=got, minlength=len(h))
        return np.divide(per_household, h.cars, out=np.zeros(len(h)), where=h.cars > 0)

    def set_proposal(self, name: str) -> None:
        """Put an allocation rule to discussion: anchors follow each household's expected gain.

        u = clip(0.5 + anchor_gain × (access under the proposal − access now), 0, 1); opinions
        start at their anchors.
        """
        proposal = registry.get("allocation", name)(registry.get("allocation", name).Params())
        gain = self.expected_access(proposal) - self.expected_access(self.rule)
        h = self.households
        h.anchor[:] = np.clip(0.5 + self.config.behaviour.opinion.anchor_gain * gain, 0.0, 1.0)
        h.opinion[:] = h.anchor
        self.committee.proposal = name

    # -- the day ---------------------------------------------------------------------------------

    def step(self) -> None:
        """Advance one day."""
        self.day += 1
        h, c = self.households, self.cars
        behaviour = self.config.behaviour
        night_rng = self.streams["night"]
        arrival = (self.rule.priority(h, c, night_rng) if self.rule.nightly
                   else night_rng.random(len(c)))
        parked = parking.night(self.spaces, h, c, arrival)

        parked_cars = np.bincount(c.household, weights=parked, minlength=len(h))
        self.household_parked = parked_cars >= h.cars
        h.parked_nights += self.household_parked & (h.cars > 0)
        illegal = c.household[~parked & ~c.zombie]
        fr = frictions.daily(
            illegal, h, self.building_start, self.building_size, self.unit_has_lead,
            self.units, behaviour.frictions, self.streams["frictions"],
        )
        h.opinion[:] = friedkin_johnsen(h.opinion, self.influence, h.susceptibility, h.anchor)
        if self.day % behaviour.days_per_month == 0:
            self.close_month()
        self._update_satisfaction(parked_cars, illegal, fr.hit)
        self.today = self.measure(parked, fr)
        self.datacollector.collect(self)

    def _service_quality(self) -> np.ndarray:
        """Quality each household receives: its area's firm quality, 0 where no firm serves."""
        quality = np.array([f.quality if f is not None else 0.0 for f in self.firms])
        return quality[self.area_of]

    def _refresh_service_term(self) -> None:
        """Cache the part of the satisfaction target that changes only monthly: service
        quality and public goods."""
        cfg = self.config.behaviour.satisfaction
        self.service_term = (
            cfg.service_weight * self._service_quality() + cfg.public_good_weight * self.public_good
        )

    def close_month(self) -> None:
        """Fees are paid, firms book collection and revenue, may exit; vacant areas may get an
        entrant once enough households are willing to pay."""
        h = self.households
        scenario, behaviour = self.config.scenario, self.config.behaviour
        present = np.array([f is not None for f in self.firms])
        h.willing[:] = fees.willingness(
            h, self.influence, self._service_quality(), self.lead_nearby, behaviour.fees,
            self.streams["fees"],
        )
        paid = h.willing & present[self.area_of]
        collection = fees.collection_by_area(paid, self.area_of, scenario.firms)
        willing_share = fees.collection_by_area(h.willing, self.area_of, scenario.firms)
        area_households = np.bincount(self.area_of, minlength=scenario.firms)
        for area, firm in enumerate(self.firms):
            if firm is not None:
                revenue = collection[area] * area_households[area] * scenario.monthly_fee
                if firm.close_month(collection[area], revenue, behaviour.firm):
                    firm.remove()
                    self.firms[area] = None
                    self.vacant_months[area] = 0
            else:
                self.vacant_months[area] += 1
                if (self.vacant_months[area] >= behaviour.firm.entry_delay_months
                        and willing_share[area] >= behaviour.firm.entry_willingness):
                    self.firms[area] = PropertyFirm(self, area, behaviour.firm.entrant_quality)
        self.fee_payment_rate = float(paid.mean())
        self.revenue = float(paid.sum() * scenario.monthly_fee)
        self._refresh_service_term()

    def _update_satisfaction(self, parked_cars, illegal, hit) -> None:
        """Move satisfaction toward today's target: parking (or order, for households without
        a car), service quality, order in the building, public goods, minus conflicts."""
        h = self.households
        cfg = self.config.behaviour.satisfaction
        illegal_per_building = np.bincount(h.building[illegal], minlength=len(self.building_size))
        order_of_building = np.clip(1.0 - illegal_per_building / self.building_size, 0.0, 1.0)
        order = order_of_building[h.building]
        parking_term = np.divide(parked_cars, h.cars, out=order.copy(), where=h.cars > 0)
        target = cfg.parking_weight * parking_term + cfg.order_weight * order
        target += self.service_term
        target[hit] -= cfg.conflict_penalty
        np.clip(target, 0.0, 1.0, out=target)
        h.satisfaction += cfg.adjustment * (target - h.satisfaction)

    # -- outcomes --------------------------------------------------------------------------------

    def measure(self, parked: np.ndarray, fr: frictions.Frictions | None) -> dict:
        """Today's outcome measures (the DataCollector's model reporters read this dict)."""
        h, c = self.households, self.cars
        active = ~c.zombie
        car_households = h.cars > 0
        any_parked = np.bincount(c.household, weights=parked, minlength=len(h)) > 0
        owners, tenants = car_households & h.owner, car_households & ~h.owner
        return {
            "car_coverage": metrics.share_among(parked, active),
            "household_coverage": metrics.share_among(any_parked, car_households),
            "owner_coverage": metrics.share_among(any_parked, owners),
            "tenant_coverage": metrics.share_among(any_parked, tenants),
            "illegal_parking": int(np.count_nonzero(active & ~parked)),
            "zombie_cars": int(np.count_nonzero(c.zombie)),
            "usable_spaces": int(np.count_nonzero(self.spaces.usable())),
            "conflicts": fr.conflicts if fr else 0,
            "mediated": fr.mediated if fr else 0,
            "complaints": fr.complaints if fr else 0,
            "fee_payment_rate": self.fee_payment_rate,
            "firms_present": sum(f is not None for f in self.firms),
            "revenue": self.revenue,
            "satisfaction": float(h.satisfaction.mean()),
            "support": float(h.opinion.mean()),
            "support_sd": float(h.opinion.std()),
            "polarisation": metrics.polarisation(h.opinion),
        }

    # -- results ---------------------------------------------------------------------------------

    def tables(self) -> dict[str, pd.DataFrame]:
        """The run's tables, each written as ``<name>.parquet`` in the run folder."""
        return {
            "timeseries": self.timeseries(),
            "meetings": pd.DataFrame(self.meetings, columns=MEETING_COLUMNS),
        }

    def timeseries(self) -> pd.DataFrame:
        """The daily table: a ``day`` column then one column per measure in :data:`METRICS`."""
        frame = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        frame.insert(0, "day", np.arange(1, len(frame) + 1))
        return frame

    def summary(self) -> dict:
        """End-of-run outcome summary (see :func:`sim.metrics.summarise`)."""
        return metrics.summarise(
            self.timeseries(), self.households.parked_nights, self.households.cars,
            self.day, self.config.scenario.firms,
        )
