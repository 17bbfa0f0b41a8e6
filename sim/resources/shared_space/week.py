"""The week of a shared space: 7 days × 3 periods = 21 slots, and the words that name them.

Slot ``t = day * 3 + period``: Monday morning is slot 0, Sunday evening slot 20. A schedule
names its slots in a few words, e.g. ``"weekday evening"``, ``"sat sun morning afternoon"``,
``"daily"`` or ``"weekday evening, weekend"``: in each comma-separated clause, day words pick
days (none: every day) and period words pick periods (none: every period); the clauses add
up.
"""

from __future__ import annotations

import numpy as np

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PERIODS = ("morning", "afternoon", "evening")
SLOTS = len(DAYS) * len(PERIODS)
WEEKDAYS = 5
"""Monday to Friday; Saturday and Sunday are the weekend."""

_DAY_WORDS = {
    **{day: (i,) for i, day in enumerate(DAYS)},
    "weekday": tuple(range(WEEKDAYS)),
    "weekend": tuple(range(WEEKDAYS, len(DAYS))),
    "daily": tuple(range(len(DAYS))),
}
_PERIOD_WORDS = {period: (i,) for i, period in enumerate(PERIODS)}
WORDS = (*_DAY_WORDS, *_PERIOD_WORDS)
"""Every word a slot description may use."""


def slots(words: str) -> np.ndarray:
    """The slots a description names, as a boolean mask of length :data:`SLOTS`.

    Args:
        words: clauses separated by commas, each of day and period words separated by
            spaces, e.g. ``"weekday evening, weekend"``: the union of the clauses' slots.

    Raises:
        ValueError: for an empty description or a word not in :data:`WORDS`.
    """
    mask = np.zeros((len(DAYS), len(PERIODS)), dtype=bool)
    for clause in words.split(","):
        tokens = clause.split()
        if not tokens:
            raise ValueError(f"names no time; use words from: {' '.join(WORDS)}")
        unknown = [t for t in tokens if t not in WORDS]
        if unknown:
            raise ValueError(f"unknown word {unknown[0]!r}; use words from: {' '.join(WORDS)}")
        days = {d for t in tokens for d in _DAY_WORDS.get(t, ())} or range(len(DAYS))
        periods = {p for t in tokens for p in _PERIOD_WORDS.get(t, ())} or range(len(PERIODS))
        mask[np.ix_(sorted(days), sorted(periods))] = True
    return mask.ravel()


def slot_hours(morning: float, afternoon: float, evening: float) -> np.ndarray:
    """Hours in each slot, from the opening hours of each period of a day."""
    return np.tile([morning, afternoon, evening], len(DAYS)).astype(float)


def by_slot(weekday: list[float], weekend: list[float]) -> np.ndarray:
    """A value per slot from one value per period on weekdays and one on weekend days."""
    return np.concatenate([np.tile(weekday, WEEKDAYS), np.tile(weekend, len(DAYS) - WEEKDAYS)])
