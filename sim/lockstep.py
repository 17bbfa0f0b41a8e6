"""Many runs advanced day by day together, their opinion updates as one stacked operation.

A job runs many models of the same length: a job's replicate seeds, a district block's
communities × seeds, a packed design's points × seeds. Run one after another, every model pays
the fixed cost of its day's ~150 NumPy calls itself. :func:`simulate_all` instead builds the
runs in groups and advances a group in lockstep (:class:`Lockstep`): each day every model
runs its phases before social influence (:meth:`~sim.model.CommunityModel.start_day`), then
one Friedkin–Johnsen update runs over all of the group's households at once, then every model
runs the rest of its day (:meth:`~sim.model.CommunityModel.finish_day`).

Design notes:

- **Same bytes as separate runs.** Each model keeps its own seed, random streams and objects,
  so it makes exactly the draws of a separate run. The stacked update is the model's own kernel
  (:func:`sim.negotiation.opinion.friedkin_johnsen`) on a block-diagonal influence matrix made
  of the models' matrices as they are: a CSR mat-vec sums each row on its own, in the order of
  its stored entries, and the rest is elementwise, so every household's new opinion is the
  number its own model computes. The opinion, susceptibility and anchor columns of each model
  become views into buffers the group shares (:meth:`~sim.model.CommunityModel.share_columns`);
  the model writes them in place as before.
- **Only what pays is stacked.** The other phases draw from each model's own streams (parking
  night, frictions, deliberation, the month's events) or reduce per model (the day's
  measures), so they stay per model rather than be written a second time for stacks. The
  satisfaction update is elementwise too, but its per-model terms (the building's order, the
  conflicts hit, whether the rules change anything, the weights) would have to be gathered
  into stacked arrays each day; it is left per model (not tried). Interleaving models day by
  day without stacking anything is slower than running them one after another (each model's
  arrays leave the CPU caches between its days); the stacked mat-vec wins that back and more
  while a group stays small (:data:`GROUP_HOUSEHOLDS`).
- **Where the time goes.** A group calls each model's phases itself, so it also skips Mesa's
  event-driven ``step`` wrapper (its event list costs ~20 µs a day): this saved 6-9 % of a
  run's CPU even in a group of one over runs stepped through ``step`` (a run alone now skips
  it too, through :meth:`~sim.model.CommunityModel.run_for`); the stacked update adds 3 % at
  1,800 households a run and 7 % at 829 (figures in ``CHANGELOG.md``). Mesa's clock
  (``model.time``, ``model.steps``) and its schedule advance as in ``run_for``
  (:meth:`~sim.model.CommunityModel.days_unscheduled`), so a model run here can go on with
  ``step()`` like any other.
- **Failure isolation.** A model that raises, while built or on any day, is recorded as failed
  with its traceback and leaves the lockstep; the others go on (its rows of the shared
  buffers are still updated, which touches no other model's rows).
- **Interrupts.** Runs are handed back a group at a time, so an interrupt loses the group in
  progress (a group's runs, about :data:`GROUP_HOUSEHOLDS` households for all their days):
  the callers keep every run already handed back, and those in progress run again on resume.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
import traceback
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import scipy.sparse as sp

from sim.config import RunConfig
from sim.model import CommunityModel
from sim.negotiation import opinion

GROUP_HOUSEHOLDS = 3_000
"""Households a lockstep group holds at most (a group closes once it reaches this). Measured
here, CPU per run back to back: at 1,800 households a run, groups of 3,000 gain 3 % over runs
alone, groups of 6,000 nothing and 40,000 lose, as the group's columns outgrow the CPU caches;
at 829 households, 3,000 and 6,000 both gain 7 %."""

STACKED_COLUMNS = ("opinion", "susceptibility", "anchor")
"""The household columns a Friedkin–Johnsen update reads or writes."""


@dataclasses.dataclass
class Outcome:
    """One run of :func:`simulate_all`: its model, or the traceback of what it raised, and its
    share of its group's time (the group's time divided evenly among its runs)."""

    model: CommunityModel | None
    error: str | None
    seconds: float
    cpu_seconds: float


def block_diagonal(matrices: list[sp.csr_array]) -> sp.csr_array:
    """The CSR matrices as the blocks of one block-diagonal CSR matrix, each row's stored
    entries in their own order (so a mat-vec sums every row exactly as its block's does)."""
    rows = np.cumsum([0, *(m.shape[0] for m in matrices)])
    stored = np.cumsum([0, *(m.nnz for m in matrices)])
    pairs = zip(matrices, stored[:-1], strict=True)
    indptr = np.concatenate([[0], *(m.indptr[1:] + s for m, s in pairs)])
    indices = np.concatenate([m.indices + r for m, r in zip(matrices, rows[:-1], strict=True)])
    data = np.concatenate([m.data for m in matrices])
    return sp.csr_array((data, indices, indptr), shape=(rows[-1], rows[-1]))


class SharedOpinions:
    """The Friedkin–Johnsen models of a group, their opinion columns in shared buffers.

    Args:
        models: models whose opinion kernel is Friedkin–Johnsen; their
            :data:`STACKED_COLUMNS` are moved into the shared buffers.
    """

    def __init__(self, models: list[CommunityModel]):
        bounds = np.cumsum([0, *(len(m.households) for m in models)])
        self.columns = {name: np.concatenate([getattr(m.households, name) for m in models])
                        for name in STACKED_COLUMNS}
        for model, start, stop in zip(models, bounds[:-1], bounds[1:], strict=True):
            model.share_columns({name: column[start:stop]
                                 for name, column in self.columns.items()})
        self.influence = block_diagonal([opinion.row_stochastic(m.influence) for m in models])
        # the compiled update when every model runs compiled passes (the same numbers)
        self.compiled = models[0].compiled if all(m.compiled for m in models) else None

    def update(self) -> None:
        """One round of social influence in every model."""
        c, w = self.columns, self.influence
        if self.compiled is not None:
            c["opinion"][:] = self.compiled.friedkin_johnsen(
                w.indptr, w.indices, w.data, c["opinion"], c["susceptibility"], c["anchor"])
            return
        c["opinion"][:] = opinion.friedkin_johnsen(c["opinion"], w, c["susceptibility"],
                                                   c["anchor"])


class Lockstep:
    """Models of the same length advanced one day at a time, phase by phase.

    Args:
        models: the models, with nothing but their daily step scheduled in Mesa (as built);
            those whose opinion kernel is Friedkin–Johnsen share one stacked update
            (:class:`SharedOpinions`), the others update their own. Step them inside each
            model's :meth:`~sim.model.CommunityModel.days_unscheduled`.

    Attributes:
        errors: the traceback of each model (by position) that raised; it no longer steps.
    """

    def __init__(self, models: list[CommunityModel]):
        if not all(m.only_days_scheduled() for m in models):
            raise ValueError("lockstep runs only models with nothing but their daily step "
                             "scheduled in Mesa")
        self.models = models
        self.errors: dict[int, str] = {}
        stacked = [m for m in models if m.config.opinion.name == "friedkin_johnsen"]
        self.shared = SharedOpinions(stacked) if len(stacked) > 1 else None
        self.own_update = [self.shared is None or m.config.opinion.name != "friedkin_johnsen"
                           for m in models]

    def step(self) -> None:
        """Advance every model that has not failed by one day (Mesa's clock too, inside
        :meth:`~sim.model.CommunityModel.days_unscheduled`)."""
        days = {}
        for i, model in self._running():
            model.count_day()
            days[i] = self._guarded(i, model.start_day)
        for i, model in self._running():
            if self.own_update[i]:
                self._guarded(i, model.update_opinions)
        if self.shared is not None:
            self.shared.update()
        for i, model in self._running():
            self._guarded(i, model.finish_day, days[i])

    def _running(self) -> list[tuple[int, CommunityModel]]:
        return [(i, m) for i, m in enumerate(self.models) if i not in self.errors]

    def _guarded(self, i: int, phase: Callable, *args):
        """Run a model's phase; if it raises, record the model as failed."""
        try:
            return phase(*args)
        except Exception as error:
            _raise_if_interrupted(error)
            self.errors[i] = traceback.format_exc()
            return None


def _raise_if_interrupted(error: Exception) -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl-C caused ``error``: that run was interrupted, not
    failed.

    Python code called back from C turns an interrupt that lands in it into a ``SystemError``
    whose cause is the ``KeyboardInterrupt``: numba does so when it loads a compiled pass's
    constants on the pass's first call in a process.
    """
    seen = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            raise KeyboardInterrupt from error
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__


def simulate_all(configs: Iterable[RunConfig],
                 group_households: int = GROUP_HOUSEHOLDS) -> Iterator[Outcome]:
    """Simulate every config, in lockstep groups of consecutive runs of the same length; yield
    each run's :class:`Outcome` in the configs' order, a group at a time, each model as
    :func:`sim.model.simulate` leaves it.

    Args:
        configs: run configs.
        group_households: a group closes once its households reach this.
    """
    group = Group()
    for config in configs:
        if not group.takes(config):
            yield from group.run()
            group = Group()
        group.add(config)
        if group.households >= group_households:
            yield from group.run()
            group = Group()
    yield from group.run()


class Group:
    """Runs built to be advanced together: each a model, or the traceback of its build."""

    def __init__(self):
        self.runs: list[tuple[CommunityModel | None, str | None]] = []
        self.days: int | None = None
        self.households = 0
        self.started = (time.perf_counter(), time.process_time())

    def takes(self, config: RunConfig) -> bool:
        """Whether a run of this config can join (the same number of days)."""
        return self.days is None or config.days == self.days

    def add(self, config: RunConfig) -> None:
        """Build the run's model (or keep what its build raised)."""
        self.days = config.days
        try:
            model = CommunityModel(config)
        except Exception as error:
            _raise_if_interrupted(error)
            self.runs.append((None, traceback.format_exc()))
            return
        self.runs.append((model, None))
        self.households += len(model.households)

    def run(self) -> Iterator[Outcome]:
        """Advance the group's models through their days; yield every run's outcome."""
        built = [i for i, (model, _) in enumerate(self.runs) if model is not None]
        lockstep = Lockstep([self.runs[i][0] for i in built])
        with contextlib.ExitStack() as unscheduled:
            for model in lockstep.models:
                unscheduled.enter_context(model.days_unscheduled())
            for _ in range(self.days or 0):
                lockstep.step()
        errors = {built[k]: error for k, error in lockstep.errors.items()}
        share = len(self.runs) or 1
        seconds = (time.perf_counter() - self.started[0]) / share
        cpu_seconds = (time.process_time() - self.started[1]) / share
        for i, (model, error) in enumerate(self.runs):
            error = errors.get(i, error)
            yield Outcome(None if error else model, error, seconds, cpu_seconds)
