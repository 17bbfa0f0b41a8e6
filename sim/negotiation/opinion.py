"""Opinion dynamics on the social network: four vectorised kernels, one update each.

Every kernel takes the opinions ``x`` (a float array in [0, 1], one entry per node), the
network (a SciPy sparse matrix or a networkx graph) and, where it draws, a
``numpy.random.Generator``; it returns the opinions after one round and never modifies ``x``.

- :func:`degroot` — everyone moves to the weighted mean of its neighbours (DeGroot 1974).
- :func:`friedkin_johnsen` — DeGroot pulled back towards a fixed anchor, the model's default
  (Friedkin & Johnsen 1990).
- :func:`deffuant` — bounded confidence, pairwise: random pairs of neighbours who differ by
  less than d move towards each other (Deffuant et al. 2000).
- :func:`hegselmann_krause` — bounded confidence, synchronous: everyone moves to the mean of
  the neighbours within ε (Hegselmann & Krause 2002).

Each kernel has a ``Params`` dataclass (its Hydra schema, ``configs/opinion/<name>.yaml``);
:data:`KERNELS` maps a name to both, and :func:`kernel_args` turns params into keywords, so
that every kernel runs as ``get(params.name)(x, network, rng=rng, **kernel_args(params))``,
Friedkin–Johnsen with ``susceptibility=`` and ``anchor=`` arrays besides.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from sim.config import ConfigError, bounded, share

Network = sp.sparray | sp.spmatrix | nx.Graph
"""A network: a square sparse matrix (nonzero = tie, value = weight) or a networkx graph."""


def as_csr(network: Network) -> sp.csr_array:
    """The network as a CSR array; row/column i is node i (a graph's nodes in its own order).

    A CSR array is returned as is, so converting on every call costs nothing; convert a graph
    once with this function when calling a kernel many times.
    """
    if isinstance(network, sp.csr_array):
        return network
    if isinstance(network, nx.Graph):
        return nx.to_scipy_sparse_array(network, dtype=float, format="csr")
    return sp.csr_array(network, dtype=float)


# -- linear kernels -------------------------------------------------------------------------------


_ROW_STOCHASTIC: dict[int, tuple[weakref.ref, sp.csr_array]] = {}


def row_stochastic(network: Network) -> sp.csr_array:
    """W = D⁻¹A: the network's weights normalised by row; a node without ties keeps its own
    opinion (W[i, i] = 1). A row-stochastic matrix is its own W.

    Computed once per network object and remembered while the object lives, so a kernel
    called every day on the same network costs one sparse product, not two.
    """
    cached = _ROW_STOCHASTIC.get(id(network))
    if cached is not None and cached[0]() is network:
        return cached[1]
    w = as_csr(network)
    totals = np.asarray(w.sum(axis=1), dtype=float).ravel()
    lonely = totals == 0
    scale = np.divide(1.0, totals, out=np.zeros_like(totals), where=~lonely)
    normalised = sp.csr_array(sp.diags_array(scale) @ w + sp.diags_array(lonely.astype(float)))
    key = id(network)
    _ROW_STOCHASTIC[key] = (weakref.ref(network, lambda _: _ROW_STOCHASTIC.pop(key, None)),
                            normalised)
    return normalised


def degroot(x: np.ndarray, network: Network, rng: np.random.Generator | None = None) -> np.ndarray:
    """One DeGroot update, x ← Wx, with W the network's weights normalised by row.

    For a 0/1 adjacency A (or a graph) W = D⁻¹A, the mean over neighbours; a row-stochastic
    matrix is its own W. A node without ties keeps its opinion. On a connected aperiodic
    network, repeated updates converge to πᵀx(0), with π the stationary distribution of W
    (for W = D⁻¹A, π is proportional to degree).

    Args:
        x: opinions in [0, 1].
        network: nonnegative weights (sparse matrix) or a graph.
        rng: unused; accepted so that every kernel can be called alike.
    """
    return row_stochastic(network) @ x


def friedkin_johnsen(
    x: np.ndarray,
    network: Network,
    susceptibility: np.ndarray,
    anchor: np.ndarray,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """One Friedkin–Johnsen update, x ← ΛWx + (I − Λ)u.

    W is the row-normalised network as in :func:`degroot`. When every susceptibility is below
    1, repeated updates converge to x* = (I − ΛW)⁻¹(I − Λ)u.

    Args:
        x: opinions in [0, 1].
        network: nonnegative weights (sparse matrix) or a graph.
        susceptibility: the diagonal of Λ, each in [0, 1]: the weight on neighbours' views.
        anchor: u, each agent's own (self-interested) view, in [0, 1].
        rng: unused; accepted so that every kernel can be called alike.
    """
    return susceptibility * degroot(x, network) + (1.0 - susceptibility) * anchor


# -- bounded confidence ---------------------------------------------------------------------------


def _random_matching(w: sp.csr_array, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs of neighbours such that no node is in two pairs.

    Every node with a tie proposes to a uniformly chosen neighbour (the "random agent, random
    neighbour" protocol); proposals get distinct random priorities, and a proposal is kept
    when it has the best priority at both of its ends, so the kept pairs never overlap.
    """
    degree = np.diff(w.indptr)
    proposer = np.flatnonzero(degree)
    pick = (rng.random(len(proposer)) * degree[proposer]).astype(np.int64)
    partner = w.indices[w.indptr[proposer] + pick]
    priority = rng.permutation(len(proposer))
    best = np.full(w.shape[0], len(proposer))
    np.minimum.at(best, proposer, priority)
    np.minimum.at(best, partner, priority)
    kept = (best[proposer] == priority) & (best[partner] == priority)
    return proposer[kept], partner[kept]


def deffuant(
    x: np.ndarray, network: Network, rng: np.random.Generator, *, d: float, mu: float
) -> np.ndarray:
    """One round of the Deffuant–Weisbuch model on a random matching of neighbours.

    Each pair (i, j) of the matching with |xᵢ − xⱼ| < d moves μ of the way towards each
    other: xᵢ ← xᵢ + μ(xⱼ − xᵢ), xⱼ ← xⱼ + μ(xᵢ − xⱼ). Pairs are disjoint, so a round is a
    batch of the model's sequential encounters. From uniform opinions on a well-mixed
    population it ends in about ⌊1/(2d)⌋ major clusters, and in consensus for d ≥ 1/2
    (Deffuant et al. 2000; Fortunato 2004).

    Args:
        x: opinions in [0, 1].
        network: who may meet whom (the nonzero pattern; weights are ignored).
        rng: draws the matching.
        d: confidence bound.
        mu: convergence parameter in [0, 1/2].
    """
    i, j = _random_matching(as_csr(network), rng)
    gap = x[j] - x[i]
    close = np.abs(gap) < d
    i, j, step = i[close], j[close], mu * gap[close]
    new = x.copy()
    new[i] += step
    new[j] -= step
    return new


def hegselmann_krause(
    x: np.ndarray, network: Network, rng: np.random.Generator | None = None, *, epsilon: float
) -> np.ndarray:
    """One synchronous Hegselmann–Krause update.

    Every node moves to the mean opinion of itself and its neighbours within ε:
    xᵢ ← mean{xⱼ : j = i or j a neighbour of i, |xᵢ − xⱼ| ≤ ε}. On a complete graph with
    uniform opinions it reaches consensus for ε above about 0.2 and splits into clusters below
    (Fortunato 2005); near the threshold consensus is not monotone in ε (Lorenz 2006).

    Args:
        x: opinions in [0, 1].
        network: who listens to whom (the nonzero pattern; weights are ignored).
        rng: unused; accepted so that every kernel can be called alike.
        epsilon: confidence bound.
    """
    w = as_csr(network)
    row = np.repeat(np.arange(w.shape[0]), np.diff(w.indptr))
    col = w.indices
    heard = (np.abs(x[row] - x[col]) <= epsilon) & (row != col)
    n = len(x)
    sums = x + np.bincount(row, weights=x[col] * heard, minlength=n)
    counts = 1.0 + np.bincount(row, weights=heard, minlength=n)
    return sums / counts


# -- configuration --------------------------------------------------------------------------------


@dataclass
class DeGrootParams:
    """DeGroot: no parameters besides the network weights."""

    name: str = "degroot"


@dataclass
class FriedkinJohnsenParams:
    """Friedkin–Johnsen: susceptibility and anchor are household state, not parameters."""

    name: str = "friedkin_johnsen"


@dataclass
class DeffuantParams:
    """Deffuant: confidence bound d and convergence parameter μ."""

    name: str = "deffuant"
    d: float = share(0.2)
    mu: float = bounded(0.5, 0.0, 0.5)


@dataclass
class HegselmannKrauseParams:
    """Hegselmann–Krause: confidence bound ε."""

    name: str = "hegselmann_krause"
    epsilon: float = share(0.2)


KERNELS: dict[str, tuple[Callable[..., np.ndarray], type]] = {
    "degroot": (degroot, DeGrootParams),
    "friedkin_johnsen": (friedkin_johnsen, FriedkinJohnsenParams),
    "deffuant": (deffuant, DeffuantParams),
    "hegselmann_krause": (hegselmann_krause, HegselmannKrauseParams),
}
"""Every kernel by name: its update function and its ``Params`` schema."""


def get(name: str) -> Callable[..., np.ndarray]:
    """The kernel registered as ``name``.

    Raises:
        ConfigError: if there is no such kernel; the message lists the available ones.
    """
    if name not in KERNELS:
        available = ", ".join(KERNELS)
        raise ConfigError("opinion", name, f"unknown opinion kernel; available: {available}")
    return KERNELS[name][0]


def kernel_args(params) -> dict[str, float]:
    """A kernel's keyword arguments from its ``Params`` (every field but ``name``)."""
    return {k: v for k, v in dataclasses.asdict(params).items() if k != "name"}
