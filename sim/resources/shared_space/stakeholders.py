"""Stakeholders of a shared space: what each gains or loses from a plan.

A stakeholder (the owner unit that lends the space, the community that pays for renovation,
the property firm, the departments whose venue hosts a moved group) weighs the change of a
plan's features (:data:`sim.resources.shared_space.schema.FEATURES`), in yuan a week per unit:

    gain = Σ_f weight_f × (feature_f(plan) − feature_f(status quo)).

A stakeholder with a ``budget`` cannot pay for a renovation above it: such a plan is a loss
of the shortfall, budget − renovation (yuan), whatever the weighted sum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.resources.shared_space.schema import FEATURES
from sim.resources.shared_space.usage import Usage

if TYPE_CHECKING:
    from sim.resources.shared_space.schema import SharedSpaceConfig


@dataclass(frozen=True)
class Stakeholders:
    """The stakeholders of one space.

    Attributes:
        names: stakeholder names, in config order.
        weights: yuan a week per unit of each feature (stakeholders × :data:`FEATURES`).
        budget: yuan each can spend on renovation (inf: no limit).
        must_agree: whether each holds a veto.
    """

    names: tuple[str, ...]
    weights: np.ndarray
    budget: np.ndarray
    must_agree: np.ndarray

    @classmethod
    def from_config(cls, config: SharedSpaceConfig) -> Stakeholders:
        """Compile a checked config."""
        parties = list(config.stakeholders.values())
        return cls(
            names=tuple(config.stakeholders),
            weights=np.array([[p.weights.get(f, 0.0) for f in FEATURES] for p in parties],
                             dtype=float).reshape(len(parties), len(FEATURES)),
            budget=np.array([math.inf if p.budget is None else p.budget for p in parties]),
            must_agree=np.array([p.must_agree for p in parties], dtype=bool),
        )

    def contributions(self, new: Usage, old: Usage) -> np.ndarray:
        """Each feature's part of each stakeholder's weighted gain (stakeholders × features)."""
        change = np.array([new.features[f] - old.features[f] for f in FEATURES])
        return self.weights * change

    def shortfall(self, new: Usage) -> np.ndarray:
        """Yuan by which the plan's renovation exceeds each budget (0 within it)."""
        return np.maximum(0.0, new.features["renovation"] - self.budget)

    def gains(self, new: Usage, old: Usage) -> np.ndarray:
        """Each stakeholder's gain from moving from ``old`` to ``new``."""
        short = self.shortfall(new)
        return np.where(short > 0, -short, self.contributions(new, old).sum(axis=1))

    def reason(self, k: int, new: Usage, old: Usage) -> str:
        """Why stakeholder ``k`` loses: the shortfall, or the feature that costs it most."""
        if self.shortfall(new)[k] > 0:
            return (f"renovation of {new.features['renovation']:,.0f} yuan exceeds its budget "
                    f"of {self.budget[k]:,.0f} yuan")
        parts = self.contributions(new, old)[k]
        f = int(np.argmin(parts))
        feature = list(FEATURES)[f]
        change = new.features[feature] - old.features[feature]
        return (f"{feature} {_number(change)} ({parts[f]:+,.0f} yuan a week; "
                f"{FEATURES[feature]})")


def _number(x: float) -> str:
    """A signed number: whole above 100 in size, three significant digits below."""
    return f"{x:+,.0f}" if abs(x) >= 100 else f"{x:+.3g}"
