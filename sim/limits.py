"""Upper bounds on a run's size, and its memory estimate checked before anything is built.

The range checks of :mod:`sim.config` say what a value may mean; these say what a run may
cost. A run longer than a century, a replicate count or seed beyond a 64-bit job, or an
estate whose state would not fit in this computer's memory is refused with a one-line
:class:`~sim.config.ConfigError` before the population is drawn, instead of running until it
is killed or failing deep inside NumPy.
"""

from __future__ import annotations

import psutil

from sim.config import ConfigError, RunConfig, ScenarioConfig

MAX_DAYS = 36_500
"""A century of simulated days."""

MAX_HOUSEHOLDS = 10_000_000
"""Ten million households: more than a whole megacity, far more than one neighbourhood."""

MAX_REPLICATES = 10_000
"""Seeds run in one job (in lockstep groups, sim/lockstep.py)."""

MAX_SEED = 2**63 - 1
"""Seeds are stored as 64-bit integers in the runs table."""

BYTES_PER_HOUSEHOLD = 700
"""A household's row of 22 columns (~150 B) plus its Mesa agent and the agent registries
(~550 B); measured at 100,000 and 400,000 households."""

BYTES_PER_TIE = 64
"""One drawn tie, counted in both directions before duplicates merge: its source and target
indices in the draw, their concatenation, the COO → CSR conversion and the influence matrix."""

BYTES_PER_CAR = 120
"""A car's three columns and its share of the nightly parking arrays."""

BYTES_PER_SPACE = 60
"""A space's six columns and its share of the nightly parking arrays."""

BYTES_PER_STAIRWELL = 32
"""A stairwell's (楼门) block size and lead flags."""


def memory_estimate(scenario: ScenarioConfig) -> dict[str, tuple[float, float]]:
    """Bytes the model's state needs, by the config key that drives each part.

    Returns:
        ``{key: (its value, bytes)}`` for ``scenario.households``, ``scenario.network`` (its
        value: expected ties per household, plus two for a lead's ties), ``scenario.cars``,
        ``scenario.spaces`` (with every space a supply measure may add) and
        ``scenario.stairwells_per_building``.
    """
    network, supply = scenario.network, scenario.supply
    ties = network.stairwell_ties + network.building_ties + network.cross_ties + 2.0
    spaces = (scenario.spaces + supply.restripe_spaces + supply.shared_spaces
              + supply.roadside_spaces)
    return {
        "scenario.households": (scenario.households,
                                BYTES_PER_HOUSEHOLD * scenario.households),
        "scenario.network": (ties, BYTES_PER_TIE * ties * scenario.households),
        "scenario.cars": (scenario.cars, BYTES_PER_CAR * scenario.cars),
        "scenario.spaces": (spaces, BYTES_PER_SPACE * spaces),
        "scenario.stairwells_per_building": (scenario.stairwells_per_building,
                                             BYTES_PER_STAIRWELL * scenario.stairwells),
    }


def _gigabytes(size: float) -> str:
    return f"{size / 1e9:.1f} GB"


def check_memory(scenario: ScenarioConfig, available: float | None = None) -> None:
    """Refuse an estate whose state would not fit in the memory available now.

    Args:
        scenario: the checked scenario.
        available: bytes available (default: what the operating system reports now).

    Raises:
        ConfigError: naming the key that drives most of the estimate.
    """
    parts = memory_estimate(scenario)
    needed = sum(size for _, size in parts.values())
    available = psutil.virtual_memory().available if available is None else available
    if needed > available:
        key = max(parts, key=lambda k: parts[k][1])
        raise ConfigError(key, parts[key][0], f"the model would need about "
                          f"{_gigabytes(needed)} of memory; {_gigabytes(available)} is "
                          "available")


def check_limits(run: RunConfig) -> None:
    """Check a run's length, replicates, seed and size against the bounds of this module.

    Raises:
        ConfigError: for the first value beyond its bound.
    """
    bounds = [
        ("days", run.days, MAX_DAYS, "a century"),
        ("replicates", run.replicates, MAX_REPLICATES, "seeds in one job"),
        ("seed", run.seed, MAX_SEED, "a 64-bit integer"),
        ("scenario.households", run.scenario.households, MAX_HOUSEHOLDS, "ten million"),
    ]
    for key, value, bound, meaning in bounds:
        if value > bound:
            raise ConfigError(key, value, f"must be at most {bound:,} ({meaning})")
    check_memory(run.scenario)
