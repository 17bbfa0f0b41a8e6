"""Outcome measures: pure functions of the model's arrays."""

from __future__ import annotations

import math

import numpy as np


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal, → 1 = one holds all); 0 if empty."""
    v = np.sort(np.asarray(values, dtype=float))
    n, total = len(v), v.sum()
    if n == 0 or total == 0:
        return 0.0
    # Equal values give exactly 0 in exact arithmetic; rounding may leave a tiny negative.
    return max(0.0, float((2.0 * np.arange(1, n + 1) - n - 1) @ v / (n * total)))


def mean(values: np.ndarray) -> float:
    """``values.mean()`` as a float, bit for bit, in one C call (``mean()`` spends twice as
    long in Python as in summing a thousand values)."""
    return float(np.add.reduce(values)) / len(values)


def safe_share(part: float, whole: float) -> float:
    """part / whole, or NaN when there is no whole (e.g. coverage when there are no cars)."""
    return part / whole if whole else float("nan")


def polarisation(opinions: np.ndarray, total: float | None = None) -> float:
    """Bimodality of opinions in [0, 1]: 4 × share on one side × share on the other × the gap
    between the two sides' means (1 = two equal camps at 0 and 1; 0 = all on one side).

    ``total``: ``opinions.sum()`` when the caller has it already."""
    high = opinions >= 0.5
    n, k = len(opinions), int(np.count_nonzero(high))
    if k in (0, n):
        return 0.0
    # np.add.reduce is what .sum() calls, without its Python layer; a masked sum(where=) is ten
    # times slower
    high_sum = float(np.add.reduce(opinions * high))
    total = float(np.add.reduce(opinions)) if total is None else total
    gap = high_sum / k - (total - high_sum) / (n - k)
    return 4.0 * (k / n) * (1.0 - k / n) * gap


def opinion_measures(opinions: np.ndarray) -> tuple[float, float, float]:
    """Mean, standard deviation and :func:`polarisation` of non-empty opinions, sharing one
    sum: the same numbers as ``mean()``, ``std()`` and ``polarisation()``, in fewer passes."""
    n = len(opinions)
    total = np.add.reduce(opinions)  # what .sum() calls, without its Python layer
    mean = total / n
    deviation = opinions - mean
    np.multiply(deviation, deviation, out=deviation)
    return (float(mean), math.sqrt(np.add.reduce(deviation) / n),
            polarisation(opinions, float(total)))

METRICS = (
    "car_coverage", "household_coverage", "owner_coverage", "tenant_coverage",
    "legally_parked", "illegal_parking", "zombie_cars", "usable_spaces", "permits",
    "visitors_parked", "blocked_access", "conflicts", "mediated", "complaints",
    "fee_payment_rate", "service_quality", "firms_present", "revenue", "parking_income",
    "parking_costs", "public_good_spent", "public_good", "trust", "satisfaction",
    "support", "support_sd", "polarisation",
)
"""Daily outcome columns the model collects (see :meth:`sim.model.CommunityModel.measure`)."""

COUNTS = (
    "legally_parked", "illegal_parking", "zombie_cars", "usable_spaces", "permits",
    "visitors_parked", "blocked_access", "conflicts", "mediated", "complaints", "firms_present",
)
"""The daily columns that are counts (whole numbers, ``int64`` in the model's daily table)."""

MEANS = ("car_coverage", "household_coverage", "satisfaction", "fee_payment_rate", "support")
"""Daily measures whose run mean is summarised (``mean_<name>``)."""

TOTALS = ("conflicts", "mediated", "complaints", "illegal_parking")
"""Daily counts whose run total is summarised (``total_<name>``)."""


def summary_names(measures: tuple[str, ...]) -> list[str]:
    """The names of the numbers :func:`summarise` returns for daily ``measures``."""
    return [*(f"final_{name}" for name in measures), *(f"mean_{name}" for name in MEANS),
            *(f"total_{name}" for name in TOTALS), "owner_tenant_gap", "gini_access",
            "days_without_firm", "households"]


def summarise(
    timeseries, parked_nights: np.ndarray, cars: np.ndarray, days: int, firms: int
) -> dict:
    """End-of-run summary from the daily table and the households' parking record.

    Args:
        timeseries: the daily table, one row per day: a DataFrame, or a mapping of each
            metric's name to its column (:meth:`sim.daily_table.DailyTable.arrays`; no pandas
            then, which takes milliseconds a run for these few dozen reductions).
        parked_nights: per household, nights with all its cars legally parked.
        cars: per household, active cars.
        days: simulated days.
        firms: management areas (one firm each when all are served).

    Returns:
        Final values of the daily measures (``final_<name>``), run means of the coverage
        and satisfaction measures (``mean_<name>``), totals of the daily counts
        (``total_<name>``), the mean owner–tenant coverage gap and the Gini coefficient of
        access among car-owning households, the days on which some area had no firm, and the
        number of households (to state counts per 1,000 households). Means skip days without
        a value (NaN), as pandas does. NaN (a share with nothing to divide) becomes None, i.e.
        JSON null.
    """
    column = {name: np.asarray(timeseries[name]) for name in timeseries if name != "day"}
    summary = {f"final_{name}": _plain(values[-1]) for name, values in column.items()}
    for name in MEANS:
        summary[f"mean_{name}"] = _plain(_mean_of_known(column[name]))
    for name in TOTALS:
        summary[f"total_{name}"] = _plain(column[name].sum())
    summary["owner_tenant_gap"] = _plain(
        _mean_of_known(column["owner_coverage"] - column["tenant_coverage"]))
    summary["gini_access"] = gini(parked_nights[cars > 0] / max(days, 1))
    summary["days_without_firm"] = int(np.count_nonzero(column["firms_present"] < firms))
    summary["households"] = len(cars)
    return summary


def _mean_of_known(values: np.ndarray) -> float:
    """The mean of the values that are not NaN (NaN if none), bit for bit as pandas'
    ``Series.mean()``: NaN counted as 0 in the sum, then divided by the number known."""
    values = np.asarray(values, dtype=float)
    unknown = np.isnan(values)
    missing = int(np.count_nonzero(unknown))
    if missing == len(values):
        return float("nan")
    if missing:
        values = np.where(unknown, 0.0, values)
    return values.sum() / np.float64(len(values) - missing)


def _plain(value):
    """A NumPy scalar as a plain Python number, NaN as None (JSON-ready)."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and np.isnan(value) else value
