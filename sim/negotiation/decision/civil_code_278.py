"""Owners decide under China's Civil Code, art. 278 (业主共同决定, 《民法典》第二百七十八条)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sim.negotiation.decision import (
    Ballot,
    DecisionRule,
    Electorate,
    Outcome,
    Tally,
    at_least,
    more_than,
)
from sim.rules.registry import register

QUORUM = Fraction(2, 3)
ORDINARY = Fraction(1, 2)
MAJOR = Fraction(3, 4)


@register
class CivilCode278(DecisionRule):
    """Owners vote, wherever they live; tenants do not. Both the head count and the floor
    area must agree, and both denominators are *all* owners and *all* exclusive area: an owner
    who lets the flat and lives elsewhere counts as much as one who lives in it.

    - Quorum (双三分之二): owners holding at least 2/3 of the exclusive floor area and at least
      2/3 of the owners by head count take part.
    - Ordinary matters (双过半): more than 1/2 of the participating area and more than 1/2 of
      the participating owners vote yes.
    - Major matters (双四分之三): at least 3/4 of both. Among them art. 278(6)–(8): raising
      maintenance funds, rebuilding, and changing the use of common parts or using them for
      business, such as re-striping common roads or leasing common land for parking.

    "At least" follows art. 1259: 以上 includes the number itself; 过半数 means more than half.

    Source: Civil Code of the People's Republic of China (2020), art. 278 and art. 1259.
    """

    en = "Owners decide (Civil Code art. 278)"
    zh = "业主共同决定（民法典第278条）"

    @dataclass
    class Params:
        name: str = "civil_code_278"

    def voters(self) -> Electorate:
        """Owners, wherever they live."""
        return Electorate.owners

    def decide(self, ballot: Ballot) -> Outcome:
        t = Tally.of(ballot, ballot.owner)
        quorum = (
            t.attended_heads > 0
            and at_least(t.attended_heads, t.heads, QUORUM)
            and at_least(t.attended_area, t.area, QUORUM)
        )
        meets, threshold = (at_least, MAJOR) if ballot.major else (more_than, ORDINARY)
        agree = meets(t.yes_heads, t.attended_heads, threshold) and meets(
            t.yes_area, t.attended_area, threshold
        )
        return t.outcome(quorum, agree)
