"""Opinion dynamics on the social network (vectorised kernels)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def friedkin_johnsen(
    x: np.ndarray, influence: sp.csr_array, susceptibility: np.ndarray, anchor: np.ndarray
) -> np.ndarray:
    """One Friedkin–Johnsen update, x ← ΛWx + (I − Λ)u.

    Args:
        x: current opinions.
        influence: row-stochastic W.
        susceptibility: the diagonal of Λ, each in [0, 1).
        anchor: u, each agent's own (self-interested) view.
    """
    return susceptibility * (influence @ x) + (1.0 - susceptibility) * anchor
