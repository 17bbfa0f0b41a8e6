"""Reference programs the benchmark compares the model with (see :mod:`sim.bench`).

Two programs do the core of a simulated day on the model's own households, cars, spaces and
network, so that the model's cost per day can be read against them:

- :class:`Floor`, the *floor*: the least NumPy program doing the day's unavoidable work — one
  random permutation of the cars looking for a space, the fill of the free spaces in that order,
  one sparse matrix-vector product (social influence), and the day's reductions (coverage
  overall, by household and for owners and tenants, illegal parking, mean and spread of
  opinions, mean satisfaction and trust). Nothing else: no frictions, fees, deliberation,
  satisfaction update or data collection, which the model does on top. Its means are taken
  as the model takes its own (``np.add.reduce``, as in :func:`sim.metrics.mean`, without
  NumPy's Python layer), so that at a few thousand households, where interpreter steps cost
  more than the work, the floor holds no step a NumPy program can skip (``mean()`` and
  ``std()`` would add ~10 µs a day at 829 households, a third of the floor). Its product is
  SciPy's public ``@``; the model's compiled opinion update (:mod:`sim.compiled`) skips that
  call's Python layer, which no public call does.
- :class:`MesaReference`, an idiomatic Mesa model of the same work: one ``mesa.Agent`` per
  household with a Python ``step``, households parking in a shuffled order
  (``AgentSet.shuffle_do``), opinions averaged over each agent's weighted neighbours, and a
  ``DataCollector`` whose reporters loop over the agents. It is what a Mesa user would write
  first; the model's lead over it is measured, not remembered.
"""

from __future__ import annotations

import math

import mesa
import numpy as np
import scipy.sparse as sp

from sim import metrics


class Floor:
    """The minimal NumPy day on a model's state (see the module docstring).

    Args:
        model: a built :class:`~sim.model.CommunityModel`; its tables and network are read once.
        seed: seed of the floor's own random permutations.
    """

    def __init__(self, model, seed: int = 0):
        h, c = model.households, model.cars
        self.influence = model.influence
        self.opinion = h.opinion.copy()
        self.satisfaction, self.trust = h.satisfaction, h.trust
        self.active = np.flatnonzero(~c.zombie)
        self.household_of = c.household
        self.households = len(h)
        self.car_households = h.cars > 0
        self.owners = self.car_households & h.owner
        self.tenants = self.car_households & ~h.owner
        self.free = int(np.count_nonzero(model.spaces.usable()))
        self.rng = np.random.default_rng(seed)

    def day(self) -> dict:
        """One day's work; returns the day's measures (so that nothing is optimised away)."""
        order = self.rng.permutation(self.active)
        parked = np.zeros(len(self.household_of), dtype=bool)
        parked[order[: self.free]] = True
        self.opinion = self.influence @ self.opinion
        per_household = np.bincount(self.household_of, weights=parked, minlength=self.households)
        any_parked = per_household > 0
        legal = int(np.count_nonzero(parked))
        support = np.add.reduce(self.opinion) / self.households
        deviation = self.opinion - support
        np.multiply(deviation, deviation, out=deviation)  # not a BLAS dot: threads count as CPU
        return {
            "car_coverage": legal / max(len(self.active), 1),
            "household_coverage": np.count_nonzero(any_parked & self.car_households),
            "owner_coverage": np.count_nonzero(any_parked & self.owners),
            "tenant_coverage": np.count_nonzero(any_parked & self.tenants),
            "illegal_parking": len(self.active) - legal,
            "support": support,
            "support_sd": math.sqrt(np.add.reduce(deviation) / self.households),
            "satisfaction": metrics.mean(self.satisfaction),
            "trust": metrics.mean(self.trust),
        }


class ReferenceHousehold(mesa.Agent):
    """A household as a Mesa user writes it: plain attributes and Python methods."""

    def __init__(self, model: MesaReference, cars: int, owner: bool, opinion: float,
                 satisfaction: float, trust: float):
        super().__init__(model)
        self.cars, self.owner = cars, owner
        self.opinion, self.satisfaction, self.trust = opinion, satisfaction, trust
        self.neighbours: list[tuple[ReferenceHousehold, float]] = []
        self.parked = 0
        self.next_opinion = opinion

    def park(self) -> None:
        """Each car takes a free space if one is left."""
        self.parked = 0
        for _ in range(self.cars):
            if self.model.free_spaces > 0:
                self.model.free_spaces -= 1
                self.parked += 1

    def listen(self) -> None:
        """Weigh the neighbours' opinions (the weights of the influence matrix's row)."""
        self.next_opinion = sum(weight * other.opinion for other, weight in self.neighbours)

    def update(self) -> None:
        """Adopt the new opinion (after everyone has listened)."""
        self.opinion = self.next_opinion


class MesaReference(mesa.Model):
    """An idiomatic Mesa model of the floor's day on a built model's state.

    Args:
        model: a built :class:`~sim.model.CommunityModel` whose households, cars, spaces and
            influence matrix are copied into agents.
        seed: seed of Mesa's random generator (the shuffled parking order).
    """

    def __init__(self, model, seed: int = 0):
        super().__init__(rng=seed)
        h = model.households
        self.spaces = int(np.count_nonzero(model.spaces.usable()))
        self.free_spaces = self.spaces
        people = [ReferenceHousehold(self, int(h.cars[i]), bool(h.owner[i]), float(h.opinion[i]),
                                     float(h.satisfaction[i]), float(h.trust[i]))
                  for i in range(len(h))]
        w = sp.csr_array(model.influence)
        for i, person in enumerate(people):
            row = slice(w.indptr[i], w.indptr[i + 1])
            person.neighbours = [(people[j], float(weight))
                                 for j, weight in zip(w.indices[row], w.data[row], strict=True)]
        self.datacollector = mesa.DataCollector(model_reporters={
            "car_coverage": lambda m: sum(a.parked for a in m.agents) / max(
                sum(a.cars for a in m.agents), 1),
            "household_coverage": lambda m: sum(1 for a in m.agents if a.cars and a.parked),
            "owner_coverage": lambda m: sum(1 for a in m.agents if a.cars and a.parked and a.owner),
            "tenant_coverage": lambda m: sum(
                1 for a in m.agents if a.cars and a.parked and not a.owner),
            "illegal_parking": lambda m: sum(a.cars - a.parked for a in m.agents),
            "support": lambda m: float(np.mean([a.opinion for a in m.agents])),
            "support_sd": lambda m: float(np.std([a.opinion for a in m.agents])),
            "satisfaction": lambda m: float(np.mean([a.satisfaction for a in m.agents])),
            "trust": lambda m: float(np.mean([a.trust for a in m.agents])),
        })

    def step(self) -> None:
        """Park in a random order, exchange opinions, collect the day's measures."""
        self.free_spaces = self.spaces
        self.agents.shuffle_do("park")
        self.agents.do("listen")
        self.agents.do("update")
        self.datacollector.collect(self)
