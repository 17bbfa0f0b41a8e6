"""Opinion kernels against their known results, independently of the model.

References: DeGroot (1974); Friedkin & Johnsen (1990); Deffuant, Neau, Amblard & Weisbuch
(2000), Adv. Complex Syst. 3:87; Fortunato (2004), Int. J. Mod. Phys. C 15:1301; Hegselmann &
Krause (2002), JASSS 5(3):2; Fortunato (2005), Int. J. Mod. Phys. C 16:259; Lorenz (2006),
JASSS 9(1):8.
"""

import math

import networkx as nx
import numpy as np
import pytest
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg
from conftest import config
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.config import ConfigError
from sim.estate.network import influence_matrix
from sim.negotiation import opinion
from sim.negotiation.opinion import deffuant, degroot, friedkin_johnsen, hegselmann_krause

MAJOR = 0.05
"""A major cluster holds at least 5 % of the agents; the rest are minor clusters, typically a
few stragglers near the extremes (Deffuant et al. 2000 count only the major ones)."""


def complete_graph(n: int) -> sp.csr_array:
    return sp.csr_array(np.ones((n, n)) - np.eye(n))


def clusters(x: np.ndarray, gap: float) -> list[np.ndarray]:
    """Sorted opinions split wherever two neighbours in the order are at least ``gap`` apart."""
    s = np.sort(x)
    return np.split(s, np.flatnonzero(np.diff(s) >= gap) + 1)


def iterate(kernel, x, rounds, *args, **kwargs):
    for _ in range(rounds):
        x = kernel(x, *args, **kwargs)
    return x


def heterogeneous_graph() -> nx.Graph:
    """Connected and aperiodic (it has triangles), with degrees from 3 to dozens."""
    graph = nx.barabasi_albert_graph(300, 3, seed=7)
    assert nx.is_connected(graph) and not nx.is_bipartite(graph)
    return graph


# -- DeGroot --------------------------------------------------------------------------------------


def test_degroot_converges_to_the_degree_weighted_mean():
    graph = heterogeneous_graph()
    x0 = np.random.default_rng(1).random(300)
    degree = np.array([d for _, d in graph.degree()], dtype=float)
    expected = degree @ x0 / degree.sum()
    assert abs(expected - x0.mean()) > 1e-3  # the weighting matters
    final = iterate(degroot, x0, 400, opinion.as_csr(graph))
    np.testing.assert_allclose(final, expected, rtol=0, atol=1e-12)


def test_degroot_converges_to_the_stationary_mean_of_a_weighted_influence_matrix():
    graph = heterogeneous_graph()
    adjacency = nx.to_scipy_sparse_array(graph, format="csr", dtype=float)
    lead = np.zeros(300, dtype=bool)
    lead[::10] = True
    w = influence_matrix(adjacency, lead, lead_weight=3.0, self_weight=1.0)
    values, vectors = scipy.linalg.eig(w.toarray().T)
    pi = np.real(vectors[:, np.argmin(np.abs(values - 1.0))])
    pi /= pi.sum()
    x0 = np.random.default_rng(2).random(300)
    final = iterate(degroot, x0, 400, w)
    np.testing.assert_allclose(final, pi @ x0, rtol=0, atol=1e-12)


def test_degroot_leaves_a_node_without_ties_alone():
    graph = nx.path_graph(3)
    graph.add_node(3)
    x = np.array([0.0, 0.5, 1.0, 0.9])
    np.testing.assert_allclose(degroot(x, graph), [0.5, 0.5, 0.5, 0.9])


# -- Friedkin–Johnsen -----------------------------------------------------------------------------


def test_friedkin_johnsen_converges_to_its_closed_form():
    graph = heterogeneous_graph()
    adjacency = nx.to_scipy_sparse_array(graph, format="csr", dtype=float)
    w = sp.diags_array(1.0 / adjacency.sum(axis=1)) @ adjacency
    rng = np.random.default_rng(3)
    susceptibility, anchor, x0 = 0.9 * rng.random(300), rng.random(300), rng.random(300)
    expected = scipy.sparse.linalg.spsolve(
        sp.csc_array(sp.eye_array(300) - sp.diags_array(susceptibility) @ w),
        (1.0 - susceptibility) * anchor,
    )
    final = iterate(friedkin_johnsen, x0, 400, adjacency, susceptibility, anchor)
    np.testing.assert_allclose(final, expected, rtol=0, atol=1e-12)


def test_friedkin_johnsen_without_susceptibility_returns_the_anchor():
    x, anchor = np.array([0.1, 0.9, 0.4]), np.array([0.7, 0.2, 0.3])
    np.testing.assert_array_equal(
        friedkin_johnsen(x, nx.complete_graph(3), np.zeros(3), anchor), anchor
    )


# -- Deffuant -------------------------------------------------------------------------------------


def deffuant_run(d: float, seed: int, n: int = 1000, rounds: int = 1000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return iterate(deffuant, rng.random(n), rounds, complete_graph(n), rng, d=d, mu=0.5)


def major_clusters(x: np.ndarray, d: float) -> list[np.ndarray]:
    """Clusters holding ≥ 5 % of agents. At rest any two agents closer than d hold the same
    opinion, so clusters are split at gaps of d/2; the major ones must be at rest, at least d
    apart, so that no two of them can still merge."""
    majors = [c for c in clusters(x, d / 2) if len(c) >= MAJOR * len(x)]
    assert np.all(np.diff([np.median(c) for c in majors]) >= d)
    return majors


@pytest.mark.parametrize("d", [0.1, 0.2, 0.3, 0.5])
def test_deffuant_ends_in_about_one_over_2d_major_clusters(d):
    counts = [len(major_clusters(deffuant_run(d, seed), d)) for seed in range(5)]
    assert abs(np.median(counts) - math.floor(1 / (2 * d))) <= 1


@pytest.mark.parametrize("d", [0.55, 0.75, 1.0])
def test_deffuant_reaches_consensus_above_one_half(d):
    """Complete consensus for d > 1/2 (Fortunato 2004). Exactly at d = 1/2 a finite
    population now and then strands one extreme agent, so d = 0.5 is tested above as one
    major cluster."""
    for seed in range(3):
        assert np.ptp(deffuant_run(d, seed)) < 1e-9


def test_deffuant_pairs_never_overlap():
    """Each round is a set of disjoint pairwise averages, so it conserves the sum exactly as
    far as rounding allows; a node updated twice in one round would break that."""
    rng = np.random.default_rng(4)
    x = rng.random(500)
    new = deffuant(x, complete_graph(500), rng, d=1.0, mu=0.5)
    assert np.count_nonzero(new != x) > 200
    assert abs(new.sum() - x.sum()) < 1e-10


@given(n=st.integers(1, 40), density=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1))
def test_random_matching_pairs_are_disjoint_ties(n, density, seed):
    rng = np.random.default_rng(seed)
    adjacency = sp.csr_array(sp.random_array((n, n), density=density, rng=rng) > 0)
    i, j = opinion._random_matching(adjacency, rng)
    assert adjacency.toarray()[i, j].all()
    nodes = np.concatenate([i, j[i != j]])  # a self-tie (i, i) holds one node
    assert len(np.unique(nodes)) == len(nodes)


def test_random_matching_gives_every_node_the_same_chance():
    """On a complete graph no node is favoured: over 400 rounds the first and the second half
    of the nodes are matched equally often (binomial noise is about 1 % of the mean here)."""
    rng, graph = np.random.default_rng(11), complete_graph(100)
    matched = np.zeros(100)
    for _ in range(400):
        i, j = opinion._random_matching(graph, rng)
        matched[i] += 1
        matched[j] += 1
    first, second = matched[:50].mean(), matched[50:].mean()
    assert abs(first - second) < 0.05 * matched.mean()


def test_deffuant_is_deterministic_under_a_seed():
    x, graph = np.random.default_rng(0).random(200), complete_graph(200)
    a = deffuant(x, graph, np.random.default_rng(9), d=0.3, mu=0.5)
    b = deffuant(x, graph, np.random.default_rng(9), d=0.3, mu=0.5)
    c = deffuant(x, graph, np.random.default_rng(10), d=0.3, mu=0.5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


# -- Hegselmann–Krause ----------------------------------------------------------------------------


def hk_run(epsilon: float, seed: int, n: int = 500) -> np.ndarray:
    """Iterate to the fixed point (HK converges in finitely many rounds)."""
    x, graph = np.random.default_rng(seed).random(n), complete_graph(n)
    for _ in range(100):
        new = hegselmann_krause(x, graph, epsilon=epsilon)
        if np.max(np.abs(new - x)) < 1e-12:
            return new
        x = new
    raise AssertionError("no fixed point within 100 rounds")


@pytest.mark.parametrize("epsilon", [0.3, 0.4, 0.5])
def test_hegselmann_krause_reaches_consensus_for_wide_confidence(epsilon):
    for seed in range(3):
        assert np.ptp(hk_run(epsilon, seed)) < 1e-9


@pytest.mark.parametrize("epsilon", [0.1, 0.15])
def test_hegselmann_krause_splits_for_narrow_confidence(epsilon):
    """Below the threshold (≈ 0.2, Fortunato 2005) several clusters remain, each more than ε
    from the next so that no one hears across; ε near 0.2 is avoided (Lorenz 2006)."""
    for seed in range(3):
        assert len(clusters(hk_run(epsilon, seed), epsilon)) >= 2


def test_hegselmann_krause_averages_the_neighbours_within_epsilon():
    x = np.array([0.0, 0.1, 0.3, 1.0])
    new = hegselmann_krause(x, nx.complete_graph(4), epsilon=0.2)
    np.testing.assert_allclose(new, [0.05, (0.0 + 0.1 + 0.3) / 3, 0.2, 1.0])


# -- every kernel ---------------------------------------------------------------------------------


unit = st.floats(0.0, 1.0)


def call(name: str, x: np.ndarray, network, rng: np.random.Generator, draw) -> np.ndarray:
    """Run a kernel with parameters (and, for Friedkin–Johnsen, state) drawn by hypothesis."""
    n = len(x)
    kwargs = {
        "degroot": {},
        "friedkin_johnsen": {
            "susceptibility": np.array(draw(st.lists(unit, min_size=n, max_size=n))),
            "anchor": np.array(draw(st.lists(unit, min_size=n, max_size=n))),
        },
        "deffuant": {"d": draw(unit), "mu": draw(st.floats(0.0, 0.5))},
        "hegselmann_krause": {"epsilon": draw(unit)},
    }[name]
    return opinion.get(name)(x, network, rng=rng, **kwargs)


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(sorted(opinion.KERNELS)),
    x=st.lists(unit, min_size=1, max_size=30),
    density=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_every_kernel_keeps_opinions_in_the_unit_interval_and_its_input_intact(
    name, x, density, seed, data
):
    x = np.array(x)
    n, rng = len(x), np.random.default_rng(seed)
    weights = sp.random_array((n, n), density=density, rng=rng)
    network = sp.csr_array(weights + weights.T)  # symmetric, positive weights, maybe self-ties
    before = x.copy()
    new = call(name, x, network, rng, data.draw)
    np.testing.assert_array_equal(x, before)
    assert new.shape == x.shape
    assert np.all((new >= 0.0) & (new <= 1.0))


@pytest.mark.parametrize("name", sorted(opinion.KERNELS))
def test_a_graph_and_its_adjacency_matrix_give_the_same_update(name):
    graph = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=3)
    x = np.random.default_rng(5).random(60)
    extra = {"friedkin_johnsen": {"susceptibility": np.full(60, 0.5), "anchor": 1.0 - x},
             "deffuant": {"d": 0.4, "mu": 0.3}, "hegselmann_krause": {"epsilon": 0.3}}
    fn = opinion.get(name)
    from_graph = fn(x, graph, rng=np.random.default_rng(6), **extra.get(name, {}))
    from_matrix = fn(x, nx.to_scipy_sparse_array(graph), rng=np.random.default_rng(6),
                     **extra.get(name, {}))
    np.testing.assert_array_equal(from_graph, from_matrix)
    assert not np.array_equal(from_graph, x)


# -- configuration --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(opinion.KERNELS))
def test_each_kernel_is_selectable_from_configs(name):
    params = config(f"opinion={name}").opinion
    fn, schema = opinion.KERNELS[name]
    assert isinstance(params, schema) and params.name == name
    x = np.linspace(0.0, 1.0, 5)
    state = {"susceptibility": np.full(5, 0.5), "anchor": x} if name == "friedkin_johnsen" else {}
    fn(x, nx.complete_graph(5), rng=np.random.default_rng(0), **opinion.kernel_args(params),
       **state)


def test_friedkin_johnsen_is_the_default():
    assert config().opinion.name == "friedkin_johnsen"


def test_a_parameter_out_of_range_is_reported_with_key_value_and_range():
    with pytest.raises(ConfigError, match=r"opinion\.mu = 0\.7: must lie in \[0, 0\.5\]"):
        config("opinion=deffuant", "opinion.mu=0.7")


def test_an_unknown_kernel_is_reported_with_the_available_ones():
    with pytest.raises(ConfigError, match="opinion = 'voter'.*available: degroot"):
        opinion.get("voter")
