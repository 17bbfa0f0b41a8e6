"""Run the model from Python (a notebook, a script): one call, a daily table and the model.

``sim.simulate(scenario="xiaonanzhuang", days=365, seed=0, allocation="lottery")`` composes
the same checked config ``python -m sim.run`` would for these settings, runs it and returns
the daily outcome table with the model it ran, to inspect further (its households are Mesa
agents: ``model.agents``). Nothing is written to disk.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.model import CommunityModel


def simulate(scenario: str = "xiaonanzhuang", days: int = 365, seed: int = 0,
             **settings: Any) -> tuple[pd.DataFrame, CommunityModel]:
    """Build a model from keyword settings, run it for ``days`` days, return its results.

    Args:
        scenario: a scenario config name (``configs/scenario/``).
        days: simulated days.
        seed: the run seed: the same settings and seed give the same results.
        **settings: any other config value, by group or dotted key, e.g.
            ``allocation="one_car_owner_first"``, ``supply=["restripe"]``,
            ``scenario__lead_share=0`` or ``**{"behaviour.frictions.stranger_tolerance": 0.9}``.

    Returns:
        The daily table (``day`` and one column per measure in :data:`sim.metrics.METRICS`)
        and the model after its last day (``model.summary()`` has the end-of-run outcomes).

    Raises:
        sim.config.ConfigError: for an unknown setting or a value that fails its check, with a
            message naming the key, the value and what is allowed.
    """
    model = CommunityModel(scenario=scenario, days=days, seed=seed, **settings)
    model.run_for(model.config.days)
    return model.timeseries(), model
