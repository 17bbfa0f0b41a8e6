"""The daily outcome table: one preallocated row per simulated day.

Recording a day writes one row of a NumPy array (no per-value copies or per-day dicts, as
Mesa's DataCollector makes), so collecting costs the same few microseconds at any size. The
table grows by doubling when a run steps past the days it was sized for. A Mesa DataCollector
with the same rows is made on request (:meth:`DailyTable.to_datacollector`).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace

import mesa
import numpy as np
import pandas as pd


class DailyTable:
    """Daily values of named measures, one row per day.

    Args:
        columns: the measures, in column order.
        integer: the measures that are counts (stored exactly, returned as ``int64``).
        days: rows to reserve (the run's length).
    """

    def __init__(self, columns: Sequence[str], integer: Sequence[str], days: int):
        self.columns = list(columns)
        self.integer = [name for name in self.columns if name in set(integer)]
        self._rows = np.empty((max(days, 1), len(self.columns)))
        self._index = {name: i for i, name in enumerate(self.columns)}
        self.days = 0

    def __len__(self) -> int:
        return self.days

    def append(self, values: Sequence[float]) -> None:
        """Record one day's values, in column order (counts must be whole numbers)."""
        if self.days == len(self._rows):
            self._rows = np.concatenate([self._rows, np.empty_like(self._rows)])
        self._rows[self.days] = values
        self.days += 1

    def column(self, name: str) -> np.ndarray:
        """The values of one measure so far (a read-only view)."""
        view = self._rows[: self.days, self._index[name]]
        view.flags.writeable = False
        return view

    def to_datacollector(self) -> mesa.DataCollector:
        """A Mesa DataCollector holding the table so far, for ``mesa.batch_run`` and code
        written for Mesa: each recorded day collected again through Mesa's own ``collect``."""
        collector = mesa.DataCollector(model_reporters={name: name for name in self.columns})
        for day, row in enumerate(self.frame().itertuples(index=False), start=1):
            collector.collect(SimpleNamespace(time=day, **row._asdict()))
        return collector

    def arrays(self) -> dict[str, np.ndarray]:
        """The table so far as one array per measure (counts as ``int64``): the
        :meth:`frame`'s columns without building a DataFrame."""
        integer = set(self.integer)
        return {name: (self._rows[: self.days, i].astype(np.int64) if name in integer
                       else self._rows[: self.days, i].copy())
                for i, name in enumerate(self.columns)}

    def frame(self) -> pd.DataFrame:
        """The table so far: one column per measure, counts as ``int64``, others ``float64``."""
        frame = pd.DataFrame(self._rows[: self.days], columns=self.columns)
        return frame.astype(dict.fromkeys(self.integer, np.int64))
