"""Outcome measures against hand-computable values."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim import metrics


def test_gini_of_equal_values_is_zero():
    assert metrics.gini(np.full(10, 3.0)) == 0.0


def test_gini_when_one_holds_everything():
    # n values, one non-zero: G = (n - 1) / n.
    values = np.zeros(5)
    values[2] = 7.0
    assert metrics.gini(values) == pytest.approx(4 / 5)


def test_gini_of_two_point_distribution():
    # Half hold 1, half hold 0: G = 1/2.
    assert metrics.gini(np.array([0, 0, 1, 1.0])) == pytest.approx(0.5)


def test_gini_is_zero_for_empty_or_all_zero():
    assert metrics.gini(np.array([])) == 0.0
    assert metrics.gini(np.zeros(4)) == 0.0


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=50))
def test_gini_lies_in_unit_interval_and_ignores_order(values):
    g = metrics.gini(np.array(values))
    assert 0.0 <= g < 1.0 + 1e-12
    assert metrics.gini(np.array(values[::-1])) == pytest.approx(g)


def test_polarisation_extremes():
    assert metrics.polarisation(np.array([0.0, 0.0, 1.0, 1.0])) == pytest.approx(1.0)
    assert metrics.polarisation(np.full(6, 0.7)) == 0.0
    # Three quarters at 0.75, a quarter at 0.25: 4 · 3/4 · 1/4 · 0.5.
    assert metrics.polarisation(np.array([0.75, 0.75, 0.75, 0.25])) == pytest.approx(0.375)


def test_safe_share_is_nan_without_a_whole():
    assert math.isnan(metrics.safe_share(0, 0))
    assert metrics.safe_share(1, 4) == 0.25


def test_summary_totals_means_and_finals():
    frame = pd.DataFrame({
        "day": [1, 2], "car_coverage": [0.5, 0.7], "household_coverage": [0.4, 0.6],
        "owner_coverage": [0.8, 0.6], "tenant_coverage": [0.2, 0.4],
        "satisfaction": [0.5, 0.5], "fee_payment_rate": [0.9, 0.9], "support": [0.4, 0.6],
        "conflicts": [3, 4], "mediated": [1, 1], "complaints": [2, 0], "illegal_parking": [5, 5],
        "firms_present": [1, 0],
    })
    summary = metrics.summarise(frame, np.array([2, 0, 1]), np.array([1, 1, 0]), 2, firms=1)
    assert summary["final_car_coverage"] == 0.7
    assert summary["mean_car_coverage"] == pytest.approx(0.6)
    assert summary["total_conflicts"] == 7 and summary["total_complaints"] == 2
    assert summary["owner_tenant_gap"] == pytest.approx(0.4)
    # Access of the two car households: 1.0 and 0.0 → Gini 1/2.
    assert summary["gini_access"] == pytest.approx(0.5)
    assert summary["days_without_firm"] == 1
