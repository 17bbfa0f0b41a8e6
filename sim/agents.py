"""Mesa agents. Households are thin views over their row of the model's columnar state;
property firms are few and hold plain attributes (the committee is in :mod:`sim.committee`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from sim.config import FirmConfig

if TYPE_CHECKING:
    from sim.model import CommunityModel


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
    """

    def __init__(self, model: CommunityModel, row: int):
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
    """A property-management firm (物业公司) serving one management area.

    Quality moves toward the share of the needed revenue the firm collects; after
    ``exit_months`` consecutive months of collection below ``exit_threshold`` it leaves.
    """

    def __init__(self, model: CommunityModel, area: int, quality: float, months_below: int = 0):
        super().__init__(model)
        self.area = area
        self.quality = quality
        self.months_below = months_below
        self.collection = 0.0
        self.revenue = 0.0

    def close_month(self, collection: float, revenue: float, cfg: FirmConfig) -> bool:
        """Book a month's collection; return True if the firm now exits."""
        self.collection, self.revenue = collection, revenue
        funded = min(1.0, collection / cfg.required_collection) if cfg.required_collection else 1.0
        self.quality += cfg.quality_adjustment * (funded - self.quality)
        self.months_below = self.months_below + 1 if collection < cfg.exit_threshold else 0
        return self.months_below >= cfg.exit_months
