"""Each household's fee-payment threshold and who pays on day 0: traits drawn with the
population and for every newcomer (the mechanism that reads them: :mod:`sim.resources.fees`).

A threshold is the share of its neighbours a household needs to see paying before it pays: 1
for a free rider, 0 for an unconditional payer, a Beta draw for a conditional cooperator.
"""

from __future__ import annotations

import numpy as np

from sim.config import FeeConfig


def beta_parameters(cfg: FeeConfig) -> tuple[float, float]:
    """α and β of the conditional cooperators' thresholds from their mean and concentration."""
    return cfg.threshold_mean * cfg.threshold_concentration, (
        (1.0 - cfg.threshold_mean) * cfg.threshold_concentration)


def draw_thresholds(n: int, cfg: FeeConfig, rng: np.random.Generator) -> np.ndarray:
    """Each household's payment threshold: 1 for a free rider (``free_rider_share``), a Beta
    draw for a conditional cooperator (``conditional_share``), 0 for the rest."""
    kind = rng.random(n)
    thresholds = rng.beta(*beta_parameters(cfg), n)
    thresholds[kind < cfg.free_rider_share] = 1.0
    thresholds[kind >= cfg.free_rider_share + cfg.conditional_share] = 0.0
    return thresholds


def initial_payers(thresholds: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Exactly ``round(share × n)`` payers on day 0, the most willing first (lowest thresholds,
    with noise: who pays is not a strict ranking)."""
    n = len(thresholds)
    payers = np.zeros(n, dtype=bool)
    payers[np.argsort(thresholds + rng.normal(0.0, 0.15, n))[: round(share * n)]] = True
    return payers
