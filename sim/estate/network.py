"""The households' social network, built with NumPy into sparse matrices (no per-node Python).

Ties are dense inside a stairwell (楼门), sparser across a building, and a few random ties cross
buildings, which makes the network a small world. Every building lead is tied to all
households of the stairwell or building it serves, so leads are hubs. Node ``i`` is household
row ``i``.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from sim.config import LeadLevel, NetworkConfig
from sim.estate.state import Households


def _ties_within_blocks(
    labels: np.ndarray, expected_degree: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Random ties between members of the same contiguous block.

    Each household starts Poisson(expected_degree / 2) ties to uniformly chosen other members
    of its block, so that after making ties mutual the mean degree is about
    ``expected_degree`` (fewer in blocks too small to hold that many).
    """
    n = len(labels)
    starts = np.searchsorted(labels, labels, side="left")
    sizes = np.searchsorted(labels, labels, side="right") - starts
    draws = rng.poisson(expected_degree / 2.0, n)
    draws[sizes < 2] = 0
    src = np.repeat(np.arange(n), draws)
    offset = 1 + (rng.random(len(src)) * (sizes[src] - 1)).astype(np.int64)
    dst = starts[src] + (src - starts[src] + offset) % sizes[src]
    return src, dst


def _random_ties(n: int, expected_degree: float, rng: np.random.Generator):
    """Ties to uniformly chosen households anywhere in the estate (the small-world shortcuts)."""
    src = np.repeat(np.arange(n), rng.poisson(expected_degree / 2.0, n))
    dst = rng.integers(0, n, len(src))
    return src, dst


def _lead_ties(households: Households, level: LeadLevel):
    """Each lead tied to every household of the unit it serves."""
    units = households.stairwell if level is LeadLevel.stairwell else households.building
    lead_of_unit = np.full(int(units.max()) + 1, -1)
    lead_of_unit[units[households.lead]] = np.flatnonzero(households.lead)
    src = lead_of_unit[units]
    members = np.flatnonzero(src >= 0)
    return src[members], members


def build_adjacency(
    households: Households, cfg: NetworkConfig, level: LeadLevel, rng: np.random.Generator
) -> sp.csr_array:
    """The symmetric 0/1 adjacency matrix of the social network, without self-loops.

    Args:
        households: the household table (building and stairwell blocks, leads).
        cfg: expected ties per household within stairwell, building and across buildings.
        level: whether leads serve a stairwell or a building.
        rng: the generator for network draws (spawned from the run seed).
    """
    n = len(households)
    parts = [
        _ties_within_blocks(households.stairwell, cfg.stairwell_ties, rng),
        _ties_within_blocks(households.building, cfg.building_ties, rng),
        _random_ties(n, cfg.cross_ties, rng),
        _lead_ties(households, level),
    ]
    src = np.concatenate([p[0] for p in parts] + [p[1] for p in parts])
    dst = np.concatenate([p[1] for p in parts] + [p[0] for p in parts])
    keep = src != dst
    # 32-bit indices when they fit: a quarter less memory per tie, a faster daily mat-vec.
    index = np.int32 if max(n, len(src)) < np.iinfo(np.int32).max else np.int64
    adjacency = sp.csr_array(
        (np.ones(int(keep.sum())), (src[keep].astype(index), dst[keep].astype(index))),
        shape=(n, n),
    )
    adjacency.sum_duplicates()
    adjacency.data[:] = 1.0
    return adjacency


def influence_matrix(
    adjacency: sp.csr_array, lead: np.ndarray, lead_weight: float, self_weight: float
) -> sp.csr_array:
    """Row-stochastic influence matrix W for opinion updates and neighbour comparisons.

    W[i, j] is proportional to ``lead_weight`` when neighbour j is a lead and to 1 otherwise;
    W[i, i] is proportional to ``self_weight``. A household without ties keeps its own view
    (W[i, i] = 1).

    Built on the adjacency's own index arrays (weights looked up per tie, the diagonal
    inserted in place) rather than by sparse products, which at a million households cost
    seconds and two temporary matrices.

    Args:
        adjacency: the symmetric 0/1 adjacency, without self-loops, indices sorted per row.
    """
    n = adjacency.shape[0]
    indptr, indices = adjacency.indptr, adjacency.indices
    weighted = sp.csr_array((np.where(lead, lead_weight, 1.0)[indices], indices, indptr),
                            shape=adjacency.shape)
    self_part = np.full(n, float(self_weight))
    totals = np.asarray(weighted.sum(axis=1)).ravel() + self_part
    lonely = totals == 0
    self_part[lonely], totals[lonely] = 1.0, 1.0
    scale = 1.0 / totals
    row = np.repeat(np.arange(n, dtype=indices.dtype), np.diff(indptr))
    before_diagonal = np.bincount(row, weights=indices < row, minlength=n).astype(indptr.dtype)
    at = indptr[:-1] + before_diagonal
    data = np.insert(scale[row] * weighted.data, at, scale * self_part)
    w = sp.csr_array((data, np.insert(indices, at, np.arange(n, dtype=indices.dtype)),
                      indptr + np.arange(n + 1, dtype=indptr.dtype)), shape=adjacency.shape)
    w.eliminate_zeros()  # a zero weight (self or lead) is no tie in W
    return w


def to_networkx(adjacency: sp.csr_array) -> nx.Graph:
    """The network as a networkx graph with integer nodes 0..n-1 in order (for Mesa spaces)."""
    graph = nx.Graph()
    graph.add_nodes_from(range(adjacency.shape[0]))
    coo = sp.triu(adjacency, k=1).tocoo()
    graph.add_edges_from(zip(coo.row.tolist(), coo.col.tolist(), strict=True))
    return graph


def tie_keys(adjacency: sp.csr_array) -> np.ndarray:
    """Every tie (i, j) as the sorted key i·n + j, then a sentinel above every key (so that
    :func:`are_tied`'s binary search always lands on an entry)."""
    n = adjacency.shape[0]
    row = np.repeat(np.arange(n, dtype=np.int64), np.diff(adjacency.indptr))
    keys = row * n + adjacency.indices
    keys = keys if adjacency.has_sorted_indices else np.sort(keys)
    return np.append(keys, np.iinfo(np.int64).max)


def are_tied(keys: np.ndarray, n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each pair (a[k], b[k]) of households is tied (one binary search per pair in
    ``keys`` as :func:`tie_keys` makes them)."""
    wanted = a.astype(np.int64, copy=False) * n + b
    return keys[keys.searchsorted(wanted)] == wanted
