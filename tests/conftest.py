"""Shared helpers: configs composed through Hydra exactly as the command line does."""

from __future__ import annotations

import copy
from functools import cache

import pytest

from sim.config import RunConfig, load_config
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
