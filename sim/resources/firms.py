"""Property management: firms as accounts, households' fee payment, exit and replacement.

Buildings are split into ``scenario.firms`` contiguous management areas, one firm each. Every
month households decide whether to pay (:mod:`sim.resources.fees`), each firm books its accounts
and may leave (:class:`~sim.estate.agents.PropertyFirm`), and a vacant area may get a new
firm: a firm bids when the households' pledges would cover its costs at the service it
offers, and the owners accept it under the run's decision rule (选聘物业服务企业, Civil
Code art. 278(4), an ordinary matter); under ``committee_decides`` the community appoints it.
"""

from __future__ import annotations

from collections.abc import Callable

import mesa
import numpy as np
import scipy.sparse as sp

from sim.config import BehaviourConfig, ScenarioConfig
from sim.estate.agents import PropertyFirm
from sim.estate.state import Households
from sim.resources import fees


def share_by_area(flag: np.ndarray, area_of: np.ndarray, areas: int) -> np.ndarray:
    """Share of each area's households where ``flag`` holds (0 for an empty area)."""
    hits = np.bincount(area_of, weights=flag, minlength=areas)
    size = np.bincount(area_of, minlength=areas)
    return np.divide(hits, size, out=np.zeros(areas), where=size > 0)


class PropertyManagement:
    """The estate's management areas and the firm serving each (None after an exit).

    Args:
        host: the Mesa model the firms are agents of.
        households: the household table (fee payment is its ``willing`` column).
        area_of: each household's management area.
        influence: the row-stochastic influence matrix (whose payment each household sees).
        units: each household's lead unit (stairwell or building).
        unit_has_lead: per unit, whether a building lead serves it.
        scenario, behaviour: the run config's parts the firms read.
        owners_accept: counts the owners' written ballots on a new firm under the run's
            decision rule; takes the ballot's columns as keywords (owner, resident, area,
            attended, yes, unit, major) and says whether the firm is accepted.

    Attributes:
        payment_rate: households that paid last month / households.
        revenue: fees collected last month, yuan.
        parking_income: parking income handed to the firms this month (``firm_runs_parking``).
        exits, entries: firms that have left and firms that have come in so far.
    """

    def __init__(self, host: mesa.Model, households: Households, area_of: np.ndarray,
                 influence: sp.csr_matrix, units: np.ndarray, unit_has_lead: np.ndarray,
                 scenario: ScenarioConfig, behaviour: BehaviourConfig,
                 owners_accept: Callable[..., bool]):
        self.host, self.households, self.influence = host, households, influence
        self.units, self.unit_has_lead = units, unit_has_lead
        self.scenario, self.behaviour = scenario, behaviour
        self.owners_accept = owners_accept
        self.area_of = area_of
        self.areas = scenario.firms
        self.area_households = np.bincount(area_of, minlength=self.areas)
        fee = scenario.monthly_fee
        self.firms: list[PropertyFirm | None] = [
            PropertyFirm(host, area, int(size), fee, scenario.initial_firm_quality,
                         behaviour.firm.standard_quality,
                         scenario.firm_reserve_months * size * fee,
                         scenario.contract_months_left)
            for area, size in enumerate(self.area_households)
        ]
        self.payment_rate = float(households.willing.mean())
        self.revenue = self.parking_income = 0.0
        self.exits = self.entries = 0

    def quality(self) -> np.ndarray:
        """Service quality each household receives: its firm's, 0 where no firm serves."""
        quality = np.array([f.quality if f is not None else 0.0 for f in self.firms])
        return quality[self.area_of]

    def present(self) -> int:
        """Number of areas served by a firm."""
        return sum(f is not None for f in self.firms)

    def close_month(self, rng: np.random.Generator) -> None:
        """Households decide, after leads and firms have asked those who would not pay;
        firms book the month and may leave; vacant areas may get a new firm."""
        h, cfg = self.households, self.behaviour
        served = np.array([f is not None for f in self.firms])
        base = fees.level(h, self.influence, self.quality(), cfg.fees)
        wont = ~fees.decide(h, base)
        visit_capacity = np.where(self.unit_has_lead, cfg.fees.visits_per_lead, 0)
        visited = fees.choose_asked(wont, self.units, visit_capacity, rng)
        pursuit_capacity = np.floor(cfg.fees.pursuit_share * self.area_households) * served
        pressed = fees.choose_asked(wont & ~visited, self.area_of, pursuit_capacity, rng)
        asked = cfg.fees.visit_effect * visited + cfg.fees.pursuit_effect * pressed
        h.willing[:] = fees.decide(h, base + asked)
        paid = h.willing & served[self.area_of]
        payers = np.bincount(self.area_of, weights=paid, minlength=self.areas)
        parking = self.parking_income * self.area_households / max(len(h), 1)
        for area, firm in enumerate(self.firms):
            if firm is not None and firm.close_month(int(payers[area]), parking[area], cfg.firm):
                firm.remove()
                self.firms[area] = None
                self.exits += 1
        for area in [area for area, firm in enumerate(self.firms) if firm is None]:
            self._tender(area, cfg.fees.visit_effect * visited, rng)
        paying = np.count_nonzero(paid)
        self.payment_rate = paying / len(paid)
        self.revenue = float(paying * self.scenario.monthly_fee)
        self.parking_income = 0.0

    def _tender(self, area: int, canvassed: np.ndarray, rng: np.random.Generator) -> None:
        """Look for a new firm for a vacant area.

        A firm offering ``entrant_quality`` bids when the share of the area's households that
        would pay it (their pledges, after this month's calls by leads: ``canvassed`` is the
        lift each household got) covers its costs at that quality. The owners then vote
        by written ballots, collected door to door (a household returns one with its
        propensity to take part, more where a lead collects them); a household votes for the
        firm if it pledged to pay it. If the decision rule adopts it, the firm starts with
        its start-up reserve and the pledges as this month's payers.
        """
        h, cfg = self.households, self.behaviour
        fee = self.scenario.monthly_fee
        mine = self.area_of == area
        offered = np.full(len(h), cfg.firm.entrant_quality)
        pledges = fees.decide(h, fees.level(h, self.influence, offered, cfg.fees) + canvassed)
        if pledges[mine].sum() < PropertyFirm.cost_share(cfg.firm.entrant_quality,
                                                          cfg.firm) * mine.sum():
            return
        lead_nearby = self.unit_has_lead[self.units]
        returns = (h.attend_propensity + cfg.firm.ballot_mobilisation * lead_nearby)[mine]
        attended = (rng.random(len(returns)) < returns) | h.lead[mine]
        if not self.owners_accept(owner=h.owner[mine], resident=np.ones(len(returns), dtype=bool),
                                  area=h.area[mine], attended=attended, yes=pledges[mine],
                                  unit=h.unit[mine], major=False):
            return
        size = int(self.area_households[area])
        self.firms[area] = PropertyFirm(
            self.host, area, size, fee, cfg.firm.entrant_quality, cfg.firm.entrant_quality,
            cfg.firm.entrant_reserve_months * size * fee, cfg.firm.contract_months)
        h.willing[mine] = pledges[mine]
        self.entries += 1
