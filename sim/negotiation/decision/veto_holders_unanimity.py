"""Every property-right unit must agree (产权单位一致同意): unanimity among veto holders."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import share
from sim.negotiation.decision import (
    Ballot,
    DecisionRule,
    Electorate,
    Outcome,
    Tally,
    at_least,
    exact_share,
)
from sim.rules.registry import register


@register
class VetoHoldersUnanimity(DecisionRule):
    """Each property-right unit holds a veto; the proposal passes only if all of them approve.

    A unit approves when at least ``approval`` of its members who take part vote yes. The
    quorum: every unit has at least one member taking part (an absent unit cannot consent).
    Households outside every unit (unit −1) do not vote. Shares in the outcome are over the
    members of all units.

    Source: Case C, the Petroleum compound (石油大院) of Xueyuan Road sub-district: four
    property-right units had to agree, through repeated rounds of discussion (反复式商量),
    before 550 m² of illegal construction could be removed.
    """

    en = "All property-right units agree"
    zh = "产权单位一致同意"

    @dataclass
    class Params:
        name: str = "veto_holders_unanimity"
        approval: float = share(0.5)
        voters: Electorate = Electorate.owners

    def decide(self, ballot: Ballot) -> Outcome:
        members = ballot.electorate(self.params.voters) & (ballot.unit >= 0)
        took_part = members & ballot.attended
        units = int(ballot.unit.max(initial=-1)) + 1
        size = np.bincount(ballot.unit[members], minlength=units)
        present = np.bincount(ballot.unit[took_part], minlength=units)
        yes = np.bincount(ballot.unit[took_part & ballot.yes], minlength=units)
        holders = size > 0
        quorum = bool(holders.any() and np.all(present[holders] > 0))
        approves = at_least(yes, present, exact_share(self.params.approval))
        return Tally.of(ballot, members).outcome(quorum, bool(np.all(approves[holders])),
                                                 substance="veto")
