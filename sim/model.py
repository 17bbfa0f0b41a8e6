"""CommunityModel: households, building leads, property firms and a committee share parking,
and negotiate over it or over a shared space such as an activity centre.

One step is one day: parking night → frictions → social influence → the committee's round
(supply measures, reallocation) → monthly: life events, fees and firms, the parking accounts →
satisfaction → metrics. Household state is columnar (:mod:`sim.estate.state`) and every daily
process over households is a handful of whole-array operations.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import NamedTuple

import mesa
import numpy as np
import pandas as pd

from sim import metrics
from sim.compose import load_config
from sim.config import LeadLevel, RunConfig, keyword_overrides
from sim.daily_table import DailyTable
from sim.estate import events
from sim.estate.agents import BuildingLead, Household
from sim.estate.electorate import build_electorate
from sim.estate.network import build_adjacency, influence_matrix, tie_keys
from sim.estate.population import block_sizes, build_cars, build_households, build_spaces
from sim.fast_path import compiled_passes
from sim.negotiation import opinion
from sim.negotiation.decision import Ballot
from sim.negotiation.deliberation import Deliberation, Procedure
from sim.negotiation.meeting_log import MEETING_COLUMNS
from sim.resources import frictions
from sim.resources.firms import PropertyManagement
from sim.resources.interface import Resource
from sim.resources.parking import kernel as parking
from sim.resources.parking.allocation import AllocationRule
from sim.resources.parking.committee import Committee, RuleSet
from sim.resources.parking.resource import ParkingResource
from sim.resources.shared_space.resource import SharedSpace, knob_space
from sim.rules import registry

STREAMS = ("population", "network", "night", "frictions", "fees", "allocation", "anchor",
           "events", "deliberation", "opinion", "electorate", "forecast", "shared_space")
"""Independent random streams spawned from the run seed, one per process, so that changing
one process (e.g. the allocation rule) leaves the draws of the others (e.g. the population
and the network) unchanged: rules are compared under common random numbers."""


class Day(NamedTuple):
    """What a day's first phases hand to the rest (:meth:`CommunityModel.start_day`; a named
    tuple: made every day, it costs a third of a frozen dataclass)."""

    parked_cars: np.ndarray  # per household, its cars legally parked tonight
    parking_today: list  # tonight's parking measures (CommunityModel.parking_measures)
    frictions: frictions.Frictions  # the day's encounters, conflicts and complaints


class CommunityModel(mesa.Model):
    """A neighbourhood negotiating shared parking; see ``docs/model.md`` for the ODD description.

    Args:
        config: a checked run config (:func:`sim.compose.load_config` or the Hydra app).
        **settings: instead of ``config``, the settings of one, as keywords: e.g.
            ``CommunityModel(scenario="sanhuqiao", allocation="lottery", seed=3)`` (see
            :func:`sim.config.keyword_overrides`), so Mesa's ``batch_run`` can build it.

    Attributes:
        households, cars, spaces: the columnar state tables.
        adjacency: the social network (symmetric CSR, node i = household row i).
        influence: row-stochastic influence matrix W (leads weigh more).
        committee: the :class:`~sim.resources.parking.committee.Committee`;
            ``committee.rules`` are in force.
        package: the parking package the run config states (the status quo when it states
            none).
        resource: what is negotiated: the parking package
            (:class:`~sim.resources.parking.resource.ParkingResource`), or the shared space the
            config names (:class:`~sim.resources.shared_space.resource.SharedSpace`).
        electorate: the voters (:class:`~sim.estate.electorate.Electorate`), absentee owners
            included.
        deliberation: the :class:`~sim.negotiation.deliberation.Deliberation` that decides on
            adoption.
        management: the property firms (:class:`~sim.resources.firms.PropertyManagement`).
        today: the latest day's outcome measures.
        series: the daily table of those measures
            (:class:`~sim.daily_table.DailyTable`, one row per day).
        compiled: :mod:`sim.compiled` when the day's small-array phases run compiled, None
            when they run in NumPy (:func:`sim.fast_path.compiled_passes`; the same bytes).
    """

    def __init__(self, config: RunConfig | None = None, /, **settings):
        if config is None:
            config = load_config(keyword_overrides(settings))
        elif settings:
            raise TypeError("CommunityModel takes a config or keyword settings, not both")
        super().__init__(rng=config.seed)
        self.config = config
        self.day = 0
        seeds = np.random.SeedSequence(config.seed).spawn(len(STREAMS))
        self.streams = {
            name: np.random.default_rng(s) for name, s in zip(STREAMS, seeds, strict=True)
        }
        proposal = RuleSet.from_config(config)
        measure_spaces = self._build_population(proposal)
        self.compiled = compiled_passes(len(self.households))
        self._build_agents(proposal, measure_spaces)
        self.series = DailyTable(metrics.METRICS, metrics.COUNTS, config.days)
        # before the first night no car is parked legally: every active car is stranded
        before = parking.Layout.of(self.spaces, self.households, self.cars)
        self._today = self.measure(self.parking_measures(
            before, 0, 0, 0, 0, int(np.count_nonzero(before.active))))

    # -- set-up ----------------------------------------------------------------------------------

    def _build_population(self, proposal: RuleSet) -> dict[str, np.ndarray]:
        scenario, behaviour = self.config.scenario, self.config.behaviour
        rng = self.streams["population"]
        self.households = h = build_households(scenario, behaviour.fees, rng)
        self.cars = build_cars(scenario, h, rng)
        self.spaces, measure_spaces = build_spaces(scenario, self.cars, proposal.supply, rng)
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
        self.opinion_update = opinion.get(self.config.opinion.name)
        self._bind_opinion_args()
        sizes = block_sizes(len(h), scenario.buildings)
        self.building_size = sizes
        self.units = h.stairwell if scenario.lead_level is LeadLevel.stairwell else h.building
        self.unit_has_lead = (
            np.bincount(self.units, weights=h.lead, minlength=scenario.lead_units) > 0
        )
        self.estate = frictions.Estate(
            building_start=np.concatenate([[0], np.cumsum(sizes)[:-1]]),
            building_size=sizes,
            lane_room=np.floor(behaviour.frictions.lane_spots_per_household * sizes),
            lead_nearby=self.unit_has_lead[self.units], tie_keys=tie_keys(self.adjacency),
        )
        self.lead_nearby = self.estate.lead_nearby
        for measure in proposal.supply:
            measure.prepare(scenario, h, self.streams["allocation"])
        self.household_parked = np.zeros(len(h), dtype=bool)
        self.parking_layout: parking.Layout | None = None  # kept between nights (park_night)
        return measure_spaces

    def _bind_opinion_args(self) -> None:
        """The opinion kernel's keywords: its stream, its parameters and, for Friedkin–Johnsen,
        the household columns it reads."""
        kernel, h = self.config.opinion, self.households
        self.opinion_args = {"rng": self.streams["opinion"], **opinion.kernel_args(kernel)}
        if kernel.name == "friedkin_johnsen":
            self.opinion_args |= {"susceptibility": h.susceptibility, "anchor": h.anchor}

    def share_columns(self, views: dict[str, np.ndarray]) -> None:
        """Keep the named household columns in the given arrays from now on, values copied in.

        A lockstep runner (:mod:`sim.lockstep`) hands each model views into buffers it shares
        with other models, so that one whole-array operation updates them all; every process
        here writes these columns in place, so the model works on the views as on its own.
        """
        h = self.households
        for name, view in views.items():
            view[:] = getattr(h, name)
            setattr(h, name, view)
        self._bind_opinion_args()

    def _build_agents(self, proposal: RuleSet, measure_spaces: dict) -> None:
        scenario, h = self.config.scenario, self.households
        self._household_agents_made = False
        area_of_building = np.repeat(
            np.arange(scenario.firms), block_sizes(scenario.buildings, scenario.firms)
        )
        procedure = Procedure(
            rule=registry.build("decision", self.config.decision),
            channels=[registry.build("channels", p) for p in self.config.channels.values()],
            search=registry.build("proposal_search", self._search_params()),
        )
        self.management = PropertyManagement(
            self, h, area_of_building[h.building], self.influence, self.units,
            self.unit_has_lead, scenario, self.config.behaviour,
            owners_accept=lambda **votes: procedure.rule.decide(Ballot(**votes)).passed,
        )
        self.committee = Committee(self, measure_spaces, scenario.firm_runs_parking,
                                   self.streams["allocation"])
        self.package = proposal
        self.resource = self._resource()
        self.electorate = build_electorate(h, scenario, self.streams["electorate"])
        self.deliberation = Deliberation(
            self.electorate, self.influence, self.units, self.resource, procedure,
            self.config.deliberation, self.config.behaviour.opinion,
            self.streams["deliberation"], self.streams["forecast"],
        )
        self.deliberation.daily(0, grievances=0)
        self._refresh_monthly_terms()

    def _resource(self) -> Resource:
        """What the community negotiates: the shared space the config names, else parking."""
        if self.config.shared_space is not None:
            return SharedSpace.for_households(self.config.shared_space, self.households,
                                              self.streams["shared_space"])
        return ParkingResource(self, self.committee, self.package, self.config.behaviour,
                               self.streams["anchor"])

    def _search_params(self):
        """The committee's search as configured; for a shared space one that walks knobs walks
        the space's own (:func:`~sim.resources.shared_space.resource.knob_space`), not the
        parking terms of ``proposal_search.space``."""
        params = self.config.proposal_search
        if self.config.shared_space is None or not hasattr(params, "space"):
            return params
        return dataclasses.replace(params, space=knob_space(self.config.shared_space))

    # -- the Mesa face ----------------------------------------------------------------------------

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """Every Mesa agent: firms, the committee and one per household (made on first use)."""
        self._make_household_agents()
        return super().agents

    @property
    def agents_by_type(self) -> dict[type, mesa.agent.AgentSet]:
        """Mesa's agents by class (household agents made on first use)."""
        self._make_household_agents()
        return super().agents_by_type

    def _make_household_agents(self) -> None:
        """Create the household agents, views over the household rows, the first time anyone
        asks for agents: the simulation itself never reads them, and at a million households
        they would cost seconds and hundreds of MiB for nothing."""
        if self._household_agents_made:
            return
        self._household_agents_made = True
        lead = self.households.lead
        for row in range(len(lead)):
            (BuildingLead if lead[row] else Household)(self, row)

    def run_for(self, duration: float | int) -> None:
        """Run ``duration`` days, as Mesa's ``run_for`` does, without its per-day scheduling.

        Mesa advances time through an event list: each day pops the step's event, calls
        :meth:`step` and pushes the next day's event (≈ 20 µs, an eighth of a small estate's
        day). When nothing but that daily step is scheduled, the same days run as a plain
        loop (:meth:`days_unscheduled`). Anything else scheduled (a user's events, a
        simulator) takes Mesa's path.
        """
        if not (isinstance(duration, int) and duration > 0 and self.only_days_scheduled()):
            super().run_for(duration)
            return
        with self.days_unscheduled():
            for _ in range(duration):
                self.count_day()
                self._user_step()

    def only_days_scheduled(self) -> bool:
        """Whether Mesa has nothing scheduled but the next day's step."""
        return (self._simulator is None and len(self._event_list) == 1
                and self._default_schedule.next_scheduled_time == self.time + 1)

    @contextlib.contextmanager
    def days_unscheduled(self):
        """Pause Mesa's daily step event while days run as a plain loop, each counted by
        :meth:`count_day` (Mesa's own ``pause``/``resume``). On leaving, even if a day raised,
        the schedule has counted the days run as Mesa counts them and the step is scheduled
        for the next day, so ``step()`` and Mesa's ``run_for`` carry on as if Mesa had run
        them."""
        schedule = self._default_schedule
        first = self.steps
        schedule.pause()
        try:
            yield
        finally:
            schedule._execution_count += self.steps - first
            schedule.resume()

    def count_day(self) -> None:
        """Advance Mesa's clock by a day, as its step event does (inside
        :meth:`days_unscheduled`)."""
        self.time += 1
        self.steps += 1

    @property
    def datacollector(self) -> mesa.DataCollector:
        """Mesa's DataCollector with the daily table so far, made when asked
        (``mesa.batch_run`` reads it); the run itself records its days in :attr:`series`."""
        return self.series.to_datacollector()

    # -- rules -----------------------------------------------------------------------------------

    @property
    def meetings(self) -> list[dict]:
        """The meeting log (one dict per meeting,
        :data:`sim.negotiation.meeting_log.MEETING_COLUMNS`)."""
        return self.deliberation.meetings

    @property
    def rule(self) -> AllocationRule:
        """The allocation rule in force."""
        return self.committee.rules.allocation

    def car_wtp(self) -> np.ndarray:
        """Each car's willingness to pay for a permit, yuan/month (less for a second car)."""
        wtp = self.households.wtp[self.cars.household]
        second = self.config.behaviour.parking.second_car_wtp_share
        return np.where(self.cars.rank >= 1, second * wtp, wtp)

    # -- the day ---------------------------------------------------------------------------------

    def step(self) -> None:
        """Advance one day: :meth:`start_day`, :meth:`update_opinions`, :meth:`finish_day`.

        The day is cut into phases so that a runner advancing several models in lockstep
        (:mod:`sim.lockstep`) can run the opinion update once for all of them."""
        day = self.start_day()
        self.update_opinions()
        self.finish_day(day)

    def start_day(self) -> Day:
        """The day's phases before social influence: the parking night, then frictions."""
        self.day += 1
        parked_cars, parking_today, illegal = self.park_night()
        return Day(parked_cars, parking_today, self.meet_frictions(illegal))

    def finish_day(self, day: Day) -> None:
        """The day's phases after social influence: deliberation, the committee's round, the
        month's close on its last day, satisfaction, and the day's measures."""
        self.deliberate(day.frictions)
        self.committee.daily(self.day)
        if self.day % self.config.behaviour.days_per_month == 0:
            self.close_month()
        self._update_satisfaction(day.parked_cars, day.frictions)
        self.record_day(day.parking_today, day.frictions)

    def park_night(self) -> tuple[np.ndarray, list, np.ndarray]:
        """Tonight's parking: who parks where, the spaces let, the nights parked.

        Returns:
            Per household its cars legally parked, tonight's parking measures, and the owning
            household of each car parked illegally.
        """
        h, c = self.households, self.cars
        behaviour = self.config.behaviour
        night_rng = self.streams["night"]
        keyed = self.rule.nightly and not self.rule.random_order
        arrival = self.rule.priority(h, c, night_rng) if keyed else None
        visitors = int(night_rng.poisson(behaviour.parking.visitors_per_household * len(h)))
        self.parking_layout = layout = parking.Layout.of(self.spaces, h, c, self.parking_layout)
        if self.compiled is not None and arrival is None:
            return self._park_night_compiled(layout, visitors, night_rng)
        tonight = parking.night(self.spaces, h, c, arrival, visitors, night_rng, layout)
        self.committee.book_night(tonight.let_spaces + tonight.visitors_parked)

        if self.compiled is not None:
            parked_cars, self.household_parked, illegal, *counts = self.compiled.night_tally(
                c.household, tonight.parked, tonight.stranded, self.cars_as_counted,
                self.with_car, self.owners_with_car, h.parked_nights)
        else:
            parked_cars = np.bincount(c.household, weights=tonight.parked, minlength=len(h))
            self.household_parked = parked_cars >= self.cars_as_counted
            h.parked_nights += self.household_parked & self.with_car
            illegal = c.household[tonight.stranded]
            counts = self._night_counts(tonight, parked_cars)
        return (parked_cars, self.parking_measures(layout, tonight.visitors_parked, *counts,
                                                   len(illegal)), illegal)

    def _park_night_compiled(self, layout: parking.Layout, visitors: int,
                             rng: np.random.Generator) -> tuple[np.ndarray, list, np.ndarray]:
        """:meth:`park_night` when residents arrive in random order: the visitors' draw, then
        the serving and the tallies in one compiled pass (:func:`sim.compiled.night`), with
        the same draws as :func:`sim.resources.parking.kernel.night`."""
        h = self.households
        visitors_parked = parking.park_visitors(layout, visitors, rng)
        (let, parked_cars, self.household_parked, illegal, *counts) = self.compiled.night(
            layout.looking, parking.residents_served(layout, visitors_parked),
            layout.permit_parked, layout.active, self.cars.household, h.five_in_one,
            *layout.flat_groups, parking.first_visitor_space(layout, visitors_parked),
            self.compiled.bit_generator_address(rng), self.cars_as_counted, self.with_car,
            self.owners_with_car, h.parked_nights)
        self.committee.book_night(let + visitors_parked)
        return (parked_cars, self.parking_measures(layout, visitors_parked, *counts,
                                                   len(illegal)), illegal)

    def _night_counts(self, tonight: parking.Night, parked_cars: np.ndarray) -> tuple[int, ...]:
        """Cars legally parked, households with a car parked (each has a car), and the owners
        among them (the tenants are the rest: two counts, not a bincount of a masked group
        column)."""
        some_parked = parked_cars > 0
        return (int(np.count_nonzero(tonight.parked)), int(np.count_nonzero(some_parked)),
                int(np.count_nonzero(some_parked & self.owners_with_car)))

    def meet_frictions(self, illegal: np.ndarray) -> frictions.Frictions:
        """Encounters over blocked lanes, conflicts, mediation and hotline complaints."""
        return frictions.daily(illegal, self.households, self.estate,
                               self.config.behaviour.frictions, self.streams["frictions"],
                               self.compiled)

    def update_opinions(self) -> None:
        """One round of social influence on the households' opinions."""
        h = self.households
        if self.compiled is not None and self.opinion_update is opinion.friedkin_johnsen:
            w = opinion.row_stochastic(self.influence)
            h.opinion[:] = self.compiled.friedkin_johnsen(
                w.indptr, w.indices, w.data, h.opinion, self.opinion_args["susceptibility"],
                self.opinion_args["anchor"])
            return
        h.opinion[:] = self.opinion_update(h.opinion, self.influence, **self.opinion_args)

    def deliberate(self, fr: frictions.Frictions) -> None:
        """The deliberation's day: grievances (complaints and conflicts) and any meeting."""
        self.deliberation.daily(self.day, fr.complaints + fr.conflicts)

    def record_day(self, parking_today: list, fr: frictions.Frictions) -> None:
        """Today's measures, kept for :attr:`today` and appended to the daily table."""
        self._today = self.measure(parking_today, fr)
        self.series.append(self._today)

    def close_month(self) -> None:
        """Life events (and the permits they cost), fees and firms, the parking accounts."""
        held = parking.permits_held(self.spaces, len(self.households))
        month, self.cars = events.month(
            self.households, self.cars, held, self.config.scenario,
            self.config.behaviour.turnover, self.config.behaviour.fees, self.day,
            self.streams["events"],
        )
        self.committee.on_events(month)
        self.management.parking_income = self.committee.close_month()
        self.management.close_month(self.streams["fees"])
        self._refresh_monthly_terms()

    def remove_zombies(self) -> None:
        """Tow every zombie car: drop them from the car table and free the spaces they block."""
        self.cars = self.cars.select(~self.cars.zombie)
        self.spaces.blocked[:] = False

    def _refresh_monthly_terms(self) -> None:
        """Cache what changes only when a month closes: the service quality and public goods
        in the satisfaction target, the firms' measures, each household's cars (as a float,
        like the night's count of its parked cars), and the car-owning households, owners and
        tenants (with their numbers) whose coverage is measured daily."""
        cfg = self.config.behaviour.satisfaction
        public_good = min(1.0, self.committee.public_good + self.committee.amenity)
        quality = self.management.quality()
        self.service_quality = metrics.mean(quality)
        self.firms_present = self.management.present()
        self.service_term = cfg.service_weight * quality + cfg.public_good_weight * public_good
        h = self.households
        cars = h.cars
        self.with_car = with_car = cars > 0
        self.cars_as_counted = cars.astype(float)
        self.owners_with_car = with_car & h.owner
        self.tenants_with_car = with_car & ~h.owner
        self.car_group_sizes = (int(np.count_nonzero(self.owners_with_car)),
                                int(np.count_nonzero(self.tenants_with_car)))
        self.parking_per_car = cfg.parking_weight * np.divide(
            1.0, cars, out=np.zeros(len(cars)), where=cars > 0)
        self.order_coefficient = cfg.order_weight + cfg.parking_weight * (cars == 0)

    def _update_satisfaction(self, parked_cars, fr: frictions.Frictions) -> None:
        """Move satisfaction toward today's target: parking (or order, for households without
        a car), service quality, order in the building, public goods, minus conflicts."""
        h = self.households
        cfg = self.config.behaviour.satisfaction
        changed = self.committee.rules.changes_anything()
        opposition = 2.0 * cfg.opposition_penalty if changed else 0.0  # 0: no opposition term
        if self.compiled is not None:
            self.compiled.satisfaction_day(
                h.satisfaction, parked_cars, self.parking_per_car, self.order_coefficient,
                self.service_term, fr.illegal_per_building, self.estate.building_start,
                self.building_size, fr.hit, cfg.conflict_penalty, h.opinion, opposition,
                cfg.adjustment)
            return
        # 1 − illegal cars per household of the building, floored at 0 (never above 1)
        order_of_building = np.maximum(1.0 - fr.illegal_per_building / self.building_size, 0.0)
        # parking_weight × own cars parked (order instead, without a car) + order_weight × order
        # (in place where it can: at a million households every temporary is 8 MB)
        target = parked_cars * self.parking_per_car
        order = order_of_building.repeat(self.building_size)  # buildings are row blocks
        order *= self.order_coefficient
        target += order
        target += self.service_term
        if len(fr.hit):  # most days in a small estate have none
            target[fr.hit] -= cfg.conflict_penalty
        if opposition:
            target -= opposition * np.maximum(0.5 - h.opinion, 0.0)
        target.clip(0.0, 1.0, out=target)  # the method: np.clip's Python layer costs more
        target -= h.satisfaction
        target *= cfg.adjustment
        h.satisfaction += target

    # -- outcomes --------------------------------------------------------------------------------

    def parking_measures(self, layout: parking.Layout, visitors_parked: int, legal: int,
                         parked_households: int, owners: int, illegal: int) -> list:
        """Tonight's parking outcomes (taken before the month's events change the car table),
        the first ten measures of :data:`sim.metrics.METRICS`, in that order.

        Args:
            layout: the spaces and cars the night started from.
            visitors_parked: visitors' cars parked tonight.
            legal: cars legally parked tonight.
            parked_households: households with a car legally parked.
            owners: the owners among them (the tenants are the rest).
            illegal: cars parked illegally tonight.
        """
        tenants = parked_households - owners
        owning, renting = self.car_group_sizes
        return [
            metrics.safe_share(legal, legal + illegal),  # car_coverage
            metrics.safe_share(parked_households, owning + renting),  # household_coverage
            metrics.safe_share(owners, owning),  # owner_coverage
            metrics.safe_share(tenants, renting),  # tenant_coverage
            legal,  # legally_parked
            illegal,  # illegal_parking
            len(self.cars) - legal - illegal,  # zombie_cars
            layout.usable_spaces,
            layout.permits,
            visitors_parked,
        ]

    def measure(self, parking_today: list, fr: frictions.Frictions | None = None) -> list:
        """Today's outcome measures in the order of :data:`sim.metrics.METRICS` (a row of the
        daily table): tonight's parking measures, then the day's frictions, the firms, the
        committee's accounts and the households' means (a list, not a dict: it is built
        every day)."""
        committee = self.committee
        management = self.management
        return [
            *parking_today,
            *((fr.blocked, fr.conflicts, fr.mediated, fr.complaints) if fr else (0, 0, 0, 0)),
            management.payment_rate,  # fee_payment_rate
            self.service_quality,
            self.firms_present,
            management.revenue,
            committee.month_income,  # parking_income
            committee.month_costs,  # parking_costs
            committee.accounts.public_good_spent,
            committee.public_good,
            *self._household_means(),  # trust, satisfaction, support, support_sd, polarisation
        ]

    def _household_means(self) -> tuple[float, ...]:
        """Mean trust and satisfaction, and the mean, spread and polarisation of opinions."""
        h = self.households
        if self.compiled is not None:
            return self.compiled.household_means(h.trust, h.satisfaction, h.opinion)
        return (metrics.mean(h.trust), metrics.mean(h.satisfaction),
                *metrics.opinion_measures(h.opinion))

    @property
    def today(self) -> dict:
        """The latest day's outcome measures by name, in the order of
        :data:`sim.metrics.METRICS` (before the first day: the state the run starts from)."""
        return dict(zip(metrics.METRICS, self._today, strict=True))

    # -- results ---------------------------------------------------------------------------------

    def tables(self) -> dict[str, pd.DataFrame]:
        """The run's tables, each written as ``<name>.parquet`` in the run folder."""
        return {
            "timeseries": self.timeseries(),
            "meetings": pd.DataFrame(self.meetings, columns=list(MEETING_COLUMNS)),
        }

    def timeseries(self) -> pd.DataFrame:
        """The daily table: a ``day`` column then one column per measure in
        :data:`sim.metrics.METRICS`."""
        frame = self.series.frame()
        frame.insert(0, "day", np.arange(1, len(frame) + 1))
        return frame

    def summary(self) -> dict:
        """End-of-run outcome summary (see :func:`sim.metrics.summarise`) and the rules; with a
        shared space, its outcome against the start (``space_*``,
        :meth:`~sim.resources.shared_space.resource.SharedSpace.outcome`)."""
        space = self.resource.outcome() if self.config.shared_space is not None else {}
        return {
            "rules": self.package.names(),
            "decision": self.deliberation.procedure.rule.name,
            **self.deliberation.summary(),
            "firm_exits": self.management.exits,
            "firm_entries": self.management.entries,
            **metrics.summarise(
                self.series.arrays(), self.households.parked_nights, self.households.cars,
                self.day, self.config.scenario.firms,
            ),
            **{f"space_{key}": value for key, value in space.items()},
        }


def simulate(config: RunConfig) -> CommunityModel:
    """Build the model and run it for ``config.days`` days."""
    model = CommunityModel(config)
    model.run_for(config.days)
    return model
