"""A shared space as a resource the negotiation can deliberate over
(implements :class:`sim.resources.interface.Resource`).

The committee may turn two knobs (:data:`KNOBS`): the ``layout`` — which of the space's
``layouts`` it puts, each a plan of rooms with its weekly schedule (level k: the k-th; the
first is its proposal, later ones go further toward the groups that object) — and the
``fee`` model, a factor on every fee the plan charges (1: as planned, 0: free).

Each household's utility from a plan is the sum, over the groups it has a member in, of the
share of the group's demand the plan meets; a plan's effect on households is therefore one
matrix-vector product, membership (households × groups) @ change in share met (groups).
Because every household's change is a sum of its groups' changes, a plan that leaves no group
worse off leaves no household worse off. An owner who lives elsewhere does not use the space
and gains nothing from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from sim.config import ConfigError
from sim.estate.state import Households
from sim.resources.interface import TOLERANCE, Evaluation, Objection, Objections, Terms
from sim.resources.shared_space import membership
from sim.resources.shared_space import plan as plans
from sim.resources.shared_space.plan import Plan
from sim.resources.shared_space.schema import MAX_FEE_FACTOR, SharedSpaceConfig
from sim.resources.shared_space.setting import Setting
from sim.resources.shared_space.stakeholders import Stakeholders
from sim.resources.shared_space.usage import FACTORS, Usage, measure

KNOBS = {"layout": 0.0, "fee": 1.0}
"""Each knob's neutral level: the first layout, its fees as planned."""

_LOSS = {
    "fee": "the fee keeps members away (share of value left after the fee)",
    "hours": "fewer hours of use a week",
    "fit": "times that suit it less (mean fit)",
    "size": "rooms too small for it (mean size factor)",
    "place": "a place in worse condition or further away (mean place factor)",
    "quiet": "more noise or other conflicts (mean quiet factor)",
}


class SharedSpace:
    """A shared space, the households that want it and the stakeholders with a say.

    Args:
        config: the checked config of the space.
        members: membership of each household in each group (households × groups, bool).
        owner: per household, whether its owner lives in the flat (an owner living elsewhere
            gains nothing from the space).

    Attributes:
        plans: the config's plans, by name.
        layouts: the plans the committee may put, in the order of the ``layout`` knob.
        status_quo: the plan in force.
        renovated: whether the space has been renovated.
        adopted_day: the day a plan was adopted (None: not yet).
    """

    def __init__(self, config: SharedSpaceConfig, members: np.ndarray, owner: np.ndarray):
        self.config = config
        self.setting = Setting.from_config(config)
        self.stakeholders = Stakeholders.from_config(config)
        self.members = members
        self.owner = owner
        self.member_share = members.mean(axis=0) if len(members) else np.zeros(members.shape[1])
        self._weights = members.astype(float)
        self.plans = {name: plans.from_config(config, name) for name in config.plans}
        self.layouts = [self.plans[name] for name in config.layouts]
        self.status_quo = self.plans[config.status_quo]
        self.renovated = self.status_quo.renovate
        self.adopted_day: int | None = None
        self._in_force = self.usage(self.status_quo)
        self._start = self._in_force
        self._cache: dict[tuple, Usage] = {}

    @classmethod
    def for_households(cls, config: SharedSpaceConfig, households: Households,
                       rng: np.random.Generator) -> SharedSpace:
        """The space with group membership drawn for the households
        (:mod:`sim.resources.shared_space.membership`)."""
        groups = list(config.groups.values())
        members = membership.draw([g.share for g in groups], [g.prefer for g in groups],
                                  households, rng)
        return cls(config, members, households.owner)

    @property
    def groups(self) -> tuple[str, ...]:
        """Group names, in config order."""
        return self.setting.groups

    # -- the Resource interface ------------------------------------------------------------------

    def changes_anything(self) -> bool:
        """False when the committee's first layout is the plan in force."""
        return self.layouts[0] is not self.status_quo

    def major(self) -> bool:
        """Not a major matter for the owners: the space is the owner unit's floor, lent to the
        community, not the estate's common parts."""
        return False

    def veto_holders(self) -> tuple[str, ...]:
        """The groups represented at the deliberation meeting, then the stakeholders that
        must agree (e.g. the owner unit that lends the space)."""
        s = self.stakeholders
        represented = [name for name, g in self.config.groups.items() if g.represented]
        return (*represented,
                *(name for name, must in zip(s.names, s.must_agree, strict=True) if must))

    def check_space(self, space: Mapping[str, list[float]], key: str) -> None:
        """Knobs are ``layout`` (levels: indices of ``layouts``) and ``fee`` (factors)."""
        for knob, levels in space.items():
            if knob not in KNOBS:
                raise ConfigError(f"{key}.{knob}", knob,
                                  f"unknown knob; available: {', '.join(KNOBS)}")
            for level in levels:
                if knob == "layout" and level not in range(len(self.layouts)):
                    raise ConfigError(f"{key}.layout", level, "must index shared_space.layouts "
                                      f"(0 to {len(self.layouts) - 1})")
                if knob == "fee" and not 0 <= level <= MAX_FEE_FACTOR:
                    raise ConfigError(f"{key}.fee", level,
                                      f"must lie in [0, {MAX_FEE_FACTOR:g}]")

    def evaluate(self, terms: Terms) -> Evaluation:
        """The plan on these terms against the plan in force: per household, per group (a
        member household's change) and per stakeholder."""
        return self._against_status_quo(self.usage_of(terms))

    def objections(self, terms: Terms, evaluation: Evaluation) -> Objections:
        """A losing household objects for the group of its own that loses most; the remedy is
        the fee when the fee is what the group loses most by, else another layout; the named
        parties are :meth:`plan_objections`."""
        new = self.usage_of(terms)
        change = np.array([evaluation.groups[g] for g in self.groups])
        causes = [_main_loss(g, new, self._in_force) for g in range(len(self.groups))]
        worst = np.where(self.members, change, np.inf).argmin(axis=1)
        return Objections(
            reason=np.where(evaluation.resident < -TOLERANCE, worst, -1),
            reasons=tuple(f"{group}_loses" for group in self.groups),
            remedies=tuple("fee" if cause == "fee" else "layout" for cause in causes),
            parties=self._parties(evaluation, new),
        )

    def adopt(self, terms: Terms, day: int) -> None:
        """Put the plan on these terms in force; a renovation it includes is then done."""
        plan = self.plan(terms)
        self.renovated = self.renovated or plan.renovate
        self.status_quo = plan
        self.adopted_day = day
        self._in_force = self.usage(plan)
        self._cache = {}

    def describe(self, terms: Terms) -> str:
        """The layout's name, and the fee factor when it is not 1."""
        terms = full_terms(terms)
        name = self.layouts[int(terms["layout"])].name
        return name if terms["fee"] == 1.0 else f"{name} (fee ×{terms['fee']:g})"

    # -- plans and their use ---------------------------------------------------------------------

    def plan(self, terms: Terms) -> Plan:
        """The plan on these terms: the layout the terms choose, its fees scaled."""
        terms = full_terms(terms)
        layout = self.layouts[int(terms["layout"])]
        if terms["fee"] == 1.0:
            return layout
        return dataclasses.replace(layout, fees=layout.fees * terms["fee"])

    def usage(self, plan: Plan) -> Usage:
        """Hours, share of demand met, utilisation and features of a plan, as things stand."""
        return measure(plan, self.setting, self.renovated, self.member_share)

    def usage_of(self, terms: Terms) -> Usage:
        """:meth:`usage` of the plan on these terms, remembered until a plan is adopted (a
        search evaluates the same terms many times)."""
        key = tuple(full_terms(terms).values())
        if key not in self._cache:
            self._cache[key] = self.usage(self.plan(terms))
        return self._cache[key]

    def evaluate_plan(self, plan: Plan) -> Evaluation:
        """Any plan (not only one on the committee's terms) against the plan in force."""
        return self._against_status_quo(self.usage(plan))

    def plan_objections(self, plan: Plan) -> tuple[Objection, ...]:
        """Every group and stakeholder that loses under any plan, with the main reason, the
        largest loss first."""
        new = self.usage(plan)
        return self._parties(self._against_status_quo(new), new)

    def _parties(self, evaluation: Evaluation, new: Usage) -> tuple[Objection, ...]:
        old = self._in_force
        out = [Objection(group, "group", gain,
                         _describe_loss(_main_loss(g, new, old), new, old, g))
               for g, (group, gain) in enumerate(evaluation.groups.items())
               if gain < -TOLERANCE]
        out += [Objection(name, "stakeholder", gain, self.stakeholders.reason(k, new, old))
                for k, (name, gain) in enumerate(evaluation.stakeholders.items())
                if gain < -TOLERANCE]
        return tuple(sorted(out, key=lambda objection: objection.gain))

    def outcome(self) -> dict[str, float | str | bool]:
        """The plan in force against the plan in force at the start, as flat summary numbers:
        the plan's name, its utilisation, and per group its hours a week (``hours_<group>``)
        and its gain in share of demand met (``gain_<group>``), each stakeholder's gain, the
        groups worse off, and whether it is a Pareto improvement."""
        usage = self._in_force
        evaluation = self._compare(usage, self._start)
        worse = [g for g in evaluation.losers() if g in evaluation.groups]
        return {
            "plan": self.status_quo.name,
            "utilisation": usage.utilisation,
            **{f"hours_{g}": float(h) for g, h in zip(self.groups, usage.hours, strict=True)},
            **{f"gain_{party}": gain for party, gain in evaluation.gains().items()},
            "groups_worse_off": len(worse),
            "pareto": evaluation.pareto(),
        }

    def _against_status_quo(self, new: Usage) -> Evaluation:
        return self._compare(new, self._in_force)

    def _compare(self, new: Usage, old: Usage) -> Evaluation:
        change = new.met - old.met
        resident = self._weights @ change
        return Evaluation(
            resident=resident,
            owner=np.where(self.owner, resident, 0.0),
            groups=dict(zip(self.groups, change.tolist(), strict=True)),
            stakeholders=dict(zip(self.stakeholders.names,
                                  self.stakeholders.gains(new, old).tolist(), strict=True)),
        )


def knob_space(config: SharedSpaceConfig) -> dict[str, list[float]]:
    """The knobs and levels the committee's search walks for this space: every layout, in
    order, and every fee level."""
    return {"layout": [float(i) for i in range(len(config.layouts))],
            "fee": list(config.fee_levels)}


def full_terms(terms: Terms) -> dict[str, float]:
    """Terms with every knob they leave out at its neutral level."""
    return {knob: terms.get(knob, neutral) for knob, neutral in KNOBS.items()}


def _main_loss(g: int, new: Usage, old: Usage) -> str:
    """The factor of :data:`FACTORS` whose ratio new / old fell most for group ``g``."""
    before = np.array([old.factors[f][g] for f in FACTORS])
    after = np.array([new.factors[f][g] for f in FACTORS])
    ratio = np.divide(after, before, out=np.ones(len(FACTORS)), where=before > 0)
    ratio = np.where(np.isnan(ratio), 1.0, ratio)
    return FACTORS[int(np.argmin(ratio))]


def _describe_loss(factor: str, new: Usage, old: Usage, g: int) -> str:
    """The factor's loss in words, with its values before and after."""
    return f"{_LOSS[factor]}: {old.factors[factor][g]:.3g} → {new.factors[factor][g]:.3g}"
