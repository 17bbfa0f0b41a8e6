"""Compose a run config as ``python -m sim.run`` does, and check it, anywhere.

:mod:`sim.config` says what a config is (typed schemas, the range of every value); this module
puts one together: it registers the schemas of every rule and opinion kernel with Hydra,
composes the YAML files of ``configs/`` with the overrides, and checks the result against the
schemas, the limits of :mod:`sim.limits` and the names of the run summary.
"""

from __future__ import annotations

import threading

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from sim.config import (
    CONFIG_DIR,
    ConfigError,
    RunConfig,
    check_fields,
    check_known_keys,
    check_name,
    check_overrides,
)
from sim.errors import config_error
from sim.limits import check_limits
from sim.metrics import METRICS, summary_names
from sim.negotiation import opinion
from sim.resources.shared_space.schema import SharedSpaceConfig
from sim.rules import registry


def register_schemas() -> None:
    """Store the schemas in Hydra's ConfigStore, outside every option group.

    Rule schemas go under ``schema/<group>/<name>``, opinion kernels' under
    ``schema/opinion/<name>`` and the shared-space schema as ``schema/shared_space``, so they
    never show up as options of the group they describe.
    """
    cs = ConfigStore.instance()
    cs.store(name="run_schema", node=RunConfig)
    for group, rules in registry.all_groups().items():
        for name, rule in rules.items():
            cs.store(group=f"schema/{group}", name=name, node=rule.Params)
    for name, (_, params) in opinion.KERNELS.items():
        cs.store(group="schema/opinion", name=name, node=params)
    cs.store(group="schema", name="shared_space", node=SharedSpaceConfig)


def to_run_config(cfg: DictConfig) -> RunConfig:
    """Turn a composed Hydra config into checked, typed objects.

    Each rule's node becomes its own ``Params`` dataclass (its YAML file extends the schema).

    Raises:
        ConfigError: if a key is unknown, a value is outside its range or beyond the limits of
            :mod:`sim.limits`, or numbers contradict each other.
    """
    check_known_keys(cfg, "")
    run: RunConfig = OmegaConf.to_object(cfg)
    check_fields(run, "")
    check_name("scenario.name", run.scenario.name)
    check_limits(run)
    check_objective(run.objective)
    return run


def check_objective(objective: str | None) -> None:
    """Check that an objective names a number of the run summary (or is None).

    Raises:
        ConfigError: for any other name.
    """
    if objective is not None and objective not in summary_names(METRICS):
        raise ConfigError("objective", objective, "must be null or a number of the run's "
                          "summary.json, e.g. final_household_coverage or total_complaints")


_COMPOSING = threading.Lock()
"""Hydra composes through one process-wide ``GlobalHydra``: one thread at a time (the browser
app builds each session's model in that session's thread)."""


def compose_config(overrides: list[str] | tuple[str, ...] = ()) -> DictConfig:
    """Compose the run config for ``overrides`` as ``python -m sim.run`` does (its values are
    checked by :func:`to_run_config`). Safe to call from several threads at once.

    Raises:
        ConfigError: if an override names an unknown option or key, holds an interpolation,
            or gives a value of the wrong type.
    """
    from hydra import compose, initialize_config_dir

    overrides = list(overrides)
    check_overrides(overrides)
    try:
        with _COMPOSING:
            register_schemas()
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                return compose(config_name="config", overrides=overrides)
    except Exception as error:
        found = config_error(error, overrides)
        if found is None:
            raise
        raise found from error


def load_config(overrides: list[str] | tuple[str, ...] = ()) -> RunConfig:
    """Compose and check a run config outside a Hydra app (tests, notebooks, the browser app).
    Safe to call from several threads at once.

    Args:
        overrides: Hydra override strings, e.g. ``["scenario=sanhuqiao", "seed=3"]``.

    Raises:
        ConfigError: for an unknown option or key, or a value that fails its check.
    """
    return to_run_config(compose_config(overrides))
