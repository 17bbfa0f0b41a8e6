"""Paying the property fee as conditional cooperation (有条件合作), with leads as examples and
door-to-door askers.

The fee pays for a shared service, so paying is a public-goods decision. In public-goods
experiments about half of the people are conditional cooperators — they give more when others
give more — about a third free-ride, and the rest give regardless (Fischbacher, Gächter &
Fehr 2001); most cooperators match others imperfectly (Fischbacher & Gächter 2010). Here each
household has a *threshold*: the share of its neighbours it needs to see paying before it pays
(Granovetter 1978). Free riders' threshold is 1, unconditional payers' 0, conditional
cooperators' is drawn from a Beta distribution. What a household weighs against its threshold:

    seen share of payers (influence-weighted: a lead's example counts more)
    + service_weight × (service quality − reference_quality)    reciprocity toward the firm
    + trust_weight × (trust − ½)                                 trust in the committee
    + visit_effect × [a lead called on it this month]            a neighbour's personal ask
    + pursuit_effect × [the firm pressed it for the fee]         a formal demand (催缴)

Leads and firms ask only those who would not pay otherwise, and each can reach only so many a
month (``visits_per_lead``; ``pursuit_share`` of an area's households). Limited enforcement
capacity is itself a source of two equilibria: when few defect, the firm can press them all;
when many do, it reaches a few (Kleiman & Kilmer 2009). There is no intercept to tune: whether
an estate settles high or low, and where it tips, follows from the distribution of thresholds,
the asking capacity and the feedback through the firm's accounts (payment → income → service
quality → payment; see :mod:`sim.resources.firms`).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from sim.config import FeeConfig
from sim.estate.fee_thresholds import beta_parameters
from sim.estate.state import Households


def choose_asked(
    candidates: np.ndarray, group: np.ndarray, capacity: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Up to ``capacity[g]`` randomly chosen ``candidates`` of each group ``g``: whom a lead
    calls on in its unit, or whom a firm presses for the fee in its area (time is limited).

    Args:
        candidates: bool per household.
        group: each household's group (unit or management area), an integer.
        capacity: how many each group's asker can reach this month.
    """
    rows = (candidates & (capacity[group] > 0)).nonzero()[0]
    order = rows[np.argsort(group[rows] + rng.random(len(rows)))]  # by group, then at random
    sorted_group = group[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_group, sorted_group, side="left")
    asked = np.zeros(len(candidates), dtype=bool)
    asked[order[rank < capacity[sorted_group]]] = True
    return asked


def level(
    households: Households, influence: sp.csr_array, quality: np.ndarray, cfg: FeeConfig
) -> np.ndarray:
    """What each household weighs against its threshold before anyone asks it: the share of
    its neighbours who paid last month (influence-weighted: a lead's example counts more),
    plus service reciprocity and trust.

    Args:
        influence: the row-stochastic influence matrix W.
        quality: service quality each household receives, in [0, 1] (0 without a firm).
    """
    seen = influence @ households.willing.astype(float)
    return (seen + cfg.service_weight * (quality - cfg.reference_quality)
            + cfg.trust_weight * (households.trust - 0.5))


def decide(households: Households, level: np.ndarray) -> np.ndarray:
    """Who pays: the level reaches the household's threshold; leads always pay (the example
    they set)."""
    return (level >= households.pay_threshold) | households.lead


def mean_field(share: float, boost: float, cfg: FeeConfig, pursuit: float = 0.0) -> float:
    """Next month's payment share on a complete network where everyone sees the estate-wide
    ``share`` and has the same ``boost`` (service and trust terms of :func:`level`), and a
    firm presses up to ``pursuit`` (a share of all households) of those who would not pay.

    With G(x) the share of thresholds at or below x and p the share of would-be non-payers
    pressed, the next share is G(share + boost) + p [G(share + boost + pursuit_effect) −
    G(share + boost)]: computed from the threshold distribution itself, not by simulation.
    """
    from scipy import stats  # the analysis only: kept out of the model's imports (memory)

    def payers(x: float) -> float:
        unconditional = 1.0 - cfg.free_rider_share - cfg.conditional_share
        conditional = cfg.conditional_share * stats.beta.cdf(x, *beta_parameters(cfg))
        return float(unconditional * (x >= 0.0) + conditional)

    base = payers(share + boost)
    pressed = min(1.0, pursuit / (1.0 - base)) if base < 1.0 else 0.0
    return base + pressed * (payers(share + boost + cfg.pursuit_effect) - base)


def equilibria(
    boost: float, cfg: FeeConfig, pursuit: float = 0.0
) -> tuple[list[float], list[float]]:
    """The mean-field payment equilibria y = :func:`mean_field` (y) for a fixed ``boost``
    and firm ``pursuit``.

    Returns:
        ``(stable, unstable)`` fixed points in [0, 1], each sorted; an unstable one is a
        tipping point: an estate starting above it climbs, one below it falls.
    """
    from scipy import optimize

    def gap(y: float) -> float:
        return mean_field(y, boost, cfg, pursuit) - y

    grid = np.linspace(0.0, 1.0, 2001)
    gaps = np.array([gap(y) for y in grid])
    signs = np.sign(gaps[:-1])
    stable, unstable = ([0.0] if gaps[0] == 0 and gaps[1] < 0 else []), []
    for i in np.flatnonzero(signs[:-1] * signs[1:] < 0):
        root = optimize.brentq(gap, grid[i], grid[i + 1])
        (stable if signs[i] > 0 else unstable).append(root)
    if gaps[-1] >= 0:  # everybody pays: stable if the share climbs to it from below
        (stable if signs[-1] > 0 else unstable).append(1.0)
    return stable, unstable
