"""Monthly property fees as conditional cooperation, with leads as persuaders and role models.

Paying the fee is a public-goods problem with feedback: payment → the firm's revenue →
service quality → satisfaction and willingness to pay. A firm that collects too little for
too long leaves (Sanhuqiao, 三虎桥: payment fell to 24 % and the firm planned to exit).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from sim.config import FeeConfig
from sim.state import Households


def willingness(
    households: Households,
    influence: sp.csr_array,
    quality: np.ndarray,
    lead_nearby: np.ndarray,
    cfg: FeeConfig,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw each household's intention to pay this month.

    The probability is logistic in: the household's own propensity, the influence-weighted
    share of neighbours willing to pay last month (leads weigh more), the service quality it
    receives (0 without a firm), its satisfaction, and persuasion by a lead serving its
    stairwell or building. Leads always pay: they set the example.

    Args:
        influence: the row-stochastic influence matrix W.
        quality: service quality received by each household, in [0, 1].
        lead_nearby: bool per household, True where its unit has a lead.
    """
    neighbours = influence @ households.willing.astype(float)
    logit = (
        cfg.intercept
        + cfg.propensity_weight * (households.pay_propensity - 0.5)
        + cfg.neighbour_weight * (neighbours - 0.5)
        + cfg.quality_weight * (quality - 0.5)
        + cfg.satisfaction_weight * (households.satisfaction - 0.5)
        + cfg.lead_persuasion * lead_nearby
    )
    willing = rng.random(len(households)) < 1.0 / (1.0 + np.exp(-logit))
    return willing | households.lead


def collection_by_area(paid: np.ndarray, area_of: np.ndarray, areas: int) -> np.ndarray:
    """Share of each management area's households that paid (0 for an empty area)."""
    payers = np.bincount(area_of, weights=paid, minlength=areas)
    size = np.bincount(area_of, minlength=areas)
    return np.divide(payers, size, out=np.zeros(areas), where=size > 0)


class PropertyManagement:
    """The estate's management areas, one property firm each (or none, after an exit).

    Buildings are split into ``scenario.firms`` contiguous areas. Each month households decide
    whether to pay (:func:`willingness`), firms book their collection and may exit, and a
    vacant area gets a new firm once enough households are willing to pay.
    """

    def __init__(self, model, area_of: np.ndarray):
        from sim.agents import PropertyFirm

        scenario = model.config.scenario
        self.model = model
        self.area_of = area_of
        self.areas = scenario.firms
        self.area_households = np.bincount(area_of, minlength=self.areas)
        self.firms = [
            PropertyFirm(model, area, scenario.initial_firm_quality, scenario.initial_months_below)
            for area in range(self.areas)
        ]
        self.vacant_months = np.zeros(self.areas, dtype=np.int64)
        self.payment_rate = float(model.households.willing.mean())
        self.revenue = 0.0

    def quality(self) -> np.ndarray:
        """Service quality each household receives: its firm's, 0 where no firm serves."""
        quality = np.array([f.quality if f is not None else 0.0 for f in self.firms])
        return quality[self.area_of]

    def present(self) -> int:
        """Number of areas served by a firm."""
        return sum(f is not None for f in self.firms)

    def close_month(self, influence, lead_nearby: np.ndarray, rng: np.random.Generator) -> None:
        """Households decide to pay; firms book the month, may exit; vacancies may be filled."""
        from sim.agents import PropertyFirm

        model = self.model
        h = model.households
        behaviour, fee = model.config.behaviour, model.config.scenario.monthly_fee
        served = np.array([f is not None for f in self.firms])
        h.willing[:] = willingness(h, influence, self.quality(), lead_nearby, behaviour.fees, rng)
        paid = h.willing & served[self.area_of]
        collection = collection_by_area(paid, self.area_of, self.areas)
        willing_share = collection_by_area(h.willing, self.area_of, self.areas)
        for area, firm in enumerate(self.firms):
            if firm is not None:
                revenue = collection[area] * self.area_households[area] * fee
                if firm.close_month(collection[area], revenue, behaviour.firm):
                    firm.remove()
                    self.firms[area] = None
                    self.vacant_months[area] = 0
            else:
                self.vacant_months[area] += 1
                if (self.vacant_months[area] >= behaviour.firm.entry_delay_months
                        and willing_share[area] >= behaviour.firm.entry_willingness):
                    self.firms[area] = PropertyFirm(model, area, behaviour.firm.entrant_quality)
        self.payment_rate = float(paid.mean())
        self.revenue = float(paid.sum() * fee)
