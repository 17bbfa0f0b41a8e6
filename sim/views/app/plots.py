"""Live plots of the daily measures: axes drawn once per language and scale, lines updated in
place each day."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.views.app.canvas import BlittedFigure
from sim.views.app.text import TEXT
from sim.views.figures.draw import OKABE_ITO

PLOTTED = ("car_coverage", "complaints", "support", "fee_payment_rate")
"""Daily measures shown, one panel each."""
SHARES = {"car_coverage", "fee_payment_rate"}
NICE = np.array([1, 2, 5, 10])


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 × 10^k at or above ``value`` (at least 5): an axis end that
    changes rarely as a count or the run grows."""
    value = max(value, 5.0)
    power = 10.0 ** np.floor(np.log10(value))
    return float(power * NICE[np.searchsorted(NICE * power, value)])


class LivePlots(BlittedFigure):
    """The four daily measures of one model over its run."""

    def __init__(self, days: int, width: float = 6.6, height: float = 4.6, dpi: int = 100):
        super().__init__(Figure(figsize=(width, height), dpi=dpi, layout="constrained"))
        self.days = days
        self.axes = dict(zip(PLOTTED, self.figure.subplots(2, 2, sharex=True).flat,
                             strict=True))
        self.lines = {}
        for name, ax in self.axes.items():
            (self.lines[name],) = ax.plot([], [], color=OKABE_ITO["blue"], linewidth=1.4,
                                          animated=True)
            ax.set_ylim(0.0, 1.0 if name != "complaints" else 5.0)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=7)
            if name in SHARES:
                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        self.moving = list(self.lines.values())

    def still_parts(self, key) -> None:
        """Titles in the page's language, the days shown and the complaints axis' top."""
        lang, last_day, complaints_top = key
        text = TEXT[lang]
        for name, ax in self.axes.items():
            ax.set_title(text[name], fontsize=9)
        for ax in (self.axes["support"], self.axes["fee_payment_rate"]):
            ax.set_xlabel(text["day"], fontsize=8)
        self.axes["complaints"].set_ylim(0.0, complaints_top)
        self.axes["complaints"].set_xlim(0, last_day)  # the axes share x

    def draw(self, series: dict[str, list], lang: str) -> bytes:
        """The plots of the daily values so far (``series``: the DataCollector's columns)."""
        for name, line in self.lines.items():
            values = series.get(name, [])
            line.set_data(np.arange(1, len(values) + 1), values)
        days = len(next(iter(series.values()), []))
        last_day = min(self.days, nice_ceiling(max(days, 30)))
        top = nice_ceiling(max(series.get("complaints", []), default=0) * 1.1)
        return self.png((lang, last_day, top))
