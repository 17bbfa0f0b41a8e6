"""The social network: structure, leads as hubs, the influence matrix, and seeding."""

import networkx as nx
import numpy as np
import pytest
from conftest import config

from sim.estate.network import build_adjacency, influence_matrix, to_networkx
from sim.estate.population import build_households


def network(*overrides, seed=0):
    cfg = config(*overrides)
    households = build_households(cfg.scenario, cfg.behaviour.fees, np.random.default_rng(seed))
    adjacency = build_adjacency(
        households, cfg.scenario.network, cfg.scenario.lead_level, np.random.default_rng(seed + 1)
    )
    return households, adjacency


def test_adjacency_is_symmetric_binary_without_self_loops():
    _, a = network()
    assert (a != a.T).nnz == 0
    assert set(np.unique(a.data)) == {1.0}
    assert a.diagonal().sum() == 0


def test_ties_are_denser_within_stairwells_than_across_buildings():
    households, a = network()
    coo = a.tocoo()
    same_stairwell = households.stairwell[coo.row] == households.stairwell[coo.col]
    same_building = households.building[coo.row] == households.building[coo.col]
    n = len(households)
    stairwell_pairs = (np.bincount(households.stairwell) ** 2).sum() - n
    cross_pairs = n * n - (np.bincount(households.building) ** 2).sum()
    density_within = same_stairwell.sum() / stairwell_pairs
    density_across = (~same_building).sum() / cross_pairs
    assert density_within > 20 * density_across
    assert (~same_building).sum() > 0  # there are small-world shortcuts


def test_leads_are_tied_to_every_household_they_serve():
    households, a = network("scenario.lead_share=1")
    for lead in np.flatnonzero(households.lead):
        members = np.flatnonzero(households.stairwell == households.stairwell[lead])
        neighbours = set(a[[lead]].indices)
        assert set(members) - {lead} <= neighbours


def test_leads_are_hubs():
    households, a = network()
    degree = np.asarray(a.sum(axis=1)).ravel()
    assert degree[households.lead].mean() > 1.5 * degree[~households.lead].mean()


def test_small_world_is_connected_enough():
    _, a = network("scenario=yuxin_garden")
    graph = to_networkx(a)
    giant = max(nx.connected_components(graph), key=len)
    assert len(giant) > 0.95 * graph.number_of_nodes()


def test_influence_is_row_stochastic_and_weighs_leads():
    households, a = network()
    w = influence_matrix(a, households.lead, lead_weight=3.0, self_weight=1.0)
    assert np.allclose(np.asarray(w.sum(axis=1)).ravel(), 1.0)
    # Any household tied to a lead gives that lead 3x the weight of an ordinary neighbour.
    lead = np.flatnonzero(households.lead)[0]
    row = next(i for i in a[[lead]].indices if not households.lead[i])
    weights = dict(zip(w[[row]].indices, w[[row]].data, strict=True))
    ordinary = next(j for j in weights if j != row and not households.lead[j])
    assert weights[lead] == pytest.approx(3.0 * weights[ordinary])
    assert weights[row] == pytest.approx(weights[ordinary])  # self weight 1 = one neighbour


def test_isolated_household_keeps_its_own_view():
    households, a = network("scenario=synthetic", "scenario.households=1", "scenario.buildings=1",
                            "scenario.cars=0", "scenario.spaces=0")
    w = influence_matrix(a, households.lead, 3.0, 0.0)
    assert w.toarray().tolist() == [[1.0]]


def test_networkx_view_has_integer_nodes_in_order():
    _, a = network()
    graph = to_networkx(a)
    assert list(graph.nodes) == list(range(a.shape[0]))
    assert graph.number_of_edges() == a.nnz // 2


def test_network_depends_only_on_seed():
    _, a = network(seed=5)
    _, b = network(seed=5)
    _, c = network(seed=6)
    assert (a != b).nnz == 0
    assert (a != c).nnz > 0
