"""Mesa agents. Households are thin views over their row of the model's columnar state;
property firms are few and hold plain attributes (the committee is in
:mod:`sim.resources.parking.committee`)."""

from __future__ import annotations

import mesa

from sim.config import FirmConfig


def _column(name: str, doc: str) -> property:
    """A property that reads and writes this agent's row of ``model.households.<name>``."""

    def fget(self):
        return getattr(self.model.households, name)[self.row].item()

    def fset(self, value):
        getattr(self.model.households, name)[self.row] = value

    return property(fget, fset, doc=doc)


class Household(mesa.Agent):
    """A household (住户): a view over row ``row`` of the household table.

    Reading ``agent.opinion`` reads the model's array; writing it writes the array, so the
    vectorised daily processes and Mesa's agent API always agree.

    Args:
        model: the Mesa model holding the tables: ``households``, ``household_parked`` (bool
            per household) and ``units`` (each household's lead unit).
        row: the household's row.
    """

    def __init__(self, model: mesa.Model, row: int):
        super().__init__(model)
        self.row = row

    building = _column("building", "Building index.")
    stairwell = _column("stairwell", "Stairwell (楼门) index.")
    unit = _column("unit", "Property-right unit (产权单位).")
    owner = _column("owner", "Owner (业主) rather than tenant (租户).")
    bought = _column("bought", "Bought the home (购房).")
    five_in_one = _column("five_in_one", "All five documents match (五证合一).")
    special_need = _column("special_need", "Has an elderly or disabled member.")
    party = _column("party", "Party member.")
    area = _column("area", "Exclusive floor area, m².")
    cars = _column("cars", "Active (non-zombie) cars.")
    wtp = _column("wtp", "Willingness to pay for a space, yuan/month.")
    opinion = _column("opinion", "Support for the proposal under discussion, in [0, 1].")
    trust = _column("trust", "Trust in the community committee, in [0, 1].")
    satisfaction = _column("satisfaction", "Satisfaction, in [0, 1].")
    willing = _column("willing", "Intends to pay the property fee.")

    @property
    def parked(self) -> bool:
        """All of the household's active cars were legally parked last night."""
        return bool(self.model.household_parked[self.row])


class BuildingLead(Household):
    """A party-member building lead (党员楼门长): a household with a role in its unit.

    Leads mobilise attendance, weigh more in neighbours' opinions, always pay the fee (role
    model) and settle conflicts in their stairwell or building before they reach the hotline.
    """

    @property
    def serves(self) -> int:
        """The stairwell or building this lead serves (by ``scenario.lead_level``)."""
        return int(self.model.units[self.row])


class PropertyFirm(mesa.Agent):
    """A property-management firm (物业公司) serving one management area, keeping accounts.

    Each month it books its fee income (and parking income where it runs the parking), pays
    costs that grow with the service quality it delivers, and carries the profit to a reserve.
    A month in the red makes it cut service toward what its income pays for; a month in the
    black lets it return toward its ``standard`` quality. It leaves when the reserve is gone,
    or when its contract ends and the contract has lost money; otherwise the contract renews.

    Attributes:
        households: households in its area.
        fee: the monthly fee per household, yuan.
        quality: service quality delivered, in [0, 1].
        standard: the quality it offers while it makes money.
        reserve: accumulated profit and start-up capital, yuan.
        months_left: months until the contract ends.
        contract_profit: profit since the current contract began, yuan.
        income, costs: last month's, yuan.
    """

    def __init__(self, model: mesa.Model, area: int, households: int, fee: float,
                 quality: float, standard: float, reserve: float, months_left: int):
        super().__init__(model)
        self.area, self.households, self.fee = area, households, fee
        self.quality, self.standard, self.reserve = quality, standard, reserve
        self.months_left = months_left
        self.contract_profit = self.income = self.costs = 0.0

    @staticmethod
    def cost_share(quality: float, cfg: FirmConfig) -> float:
        """Monthly cost per household at a quality, as a share of the fee."""
        return cfg.fixed_cost_share + cfg.service_cost_share * quality

    def close_month(self, payers: int, parking_income: float, cfg: FirmConfig) -> bool:
        """Book a month; adjust service; return True if the firm now leaves."""
        full = self.households * self.fee
        self.income = payers * self.fee + parking_income
        self.costs = full * self.cost_share(self.quality, cfg)
        profit = self.income - self.costs
        self.reserve += profit
        self.contract_profit += profit
        target = self.standard if profit >= 0 else self._affordable(full, cfg)
        self.quality += cfg.quality_adjustment * (target - self.quality)
        self.months_left -= 1
        if self.reserve < 0:
            return True
        if self.months_left <= 0:
            if self.contract_profit < 0:
                return True
            self.months_left, self.contract_profit = cfg.contract_months, 0.0
        return False

    def _affordable(self, full: float, cfg: FirmConfig) -> float:
        """The quality last month's income pays for, in [0, standard]."""
        if not cfg.service_cost_share:
            return self.standard
        paid_for = (self.income / full - cfg.fixed_cost_share) / cfg.service_cost_share
        return min(max(paid_for, 0.0), self.standard)
