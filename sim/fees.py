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
