"""Shared helpers: configs composed through Hydra exactly as the command line does."""

from __future__ import annotations

import copy
from functools import cache

import numpy as np
import pytest

from sim.compose import load_config
from sim.config import RunConfig
from sim.model import CommunityModel


@cache
def _cached(overrides: tuple[str, ...]) -> RunConfig:
    return load_config(overrides)


def config(*overrides: str) -> RunConfig:
    """A checked run config for these Hydra overrides (a fresh copy each call)."""
    return copy.deepcopy(_cached(tuple(overrides)))


def run_model(*overrides: str, days: int | None = None) -> CommunityModel:
    """Build a model from overrides and run it for ``days`` (default: the config's days)."""
    cfg = config(*overrides)
    model = CommunityModel(cfg)
    for _ in range(cfg.days if days is None else days):
        model.step()
    return model


@pytest.fixture
def small_model() -> CommunityModel:
    """Xiaonanzhuang, status quo, not yet stepped."""
    return CommunityModel(config())


def paired_effect(label: str, treated, control) -> tuple[float, float, float]:
    """Mean paired difference treated − control over seeds with its 95 % confidence interval
    (Student's t), printed so that a test run shows the effect size, not only a verdict."""
    from scipy import stats

    diff = np.asarray(treated, dtype=float) - np.asarray(control, dtype=float)
    mean = float(diff.mean())
    half = float(stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff)))
    print(f"{label}: {mean:+.3f} (95 % CI {mean - half:+.3f} … {mean + half:+.3f}, "
          f"n = {len(diff)} paired seeds)")
    return mean, mean - half, mean + half
