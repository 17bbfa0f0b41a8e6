"""``python -m sim.bench app``: the browser app's server time per step, by estate size.

One step of the page is what the server does when a student presses Step: simulate a day,
redraw the network picture and the live plots, and rebuild the meeting log. This measures it
in-process, with the page's default choices, after the first picture (which draws the still
parts) and without the browser. Targets (2-core machine): ≤ 0.15 s per step at Xiaonanzhuang's
829 households, ≤ 0.3 s at Yuxin Garden's 5,032.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

TARGETS = {"xiaonanzhuang": 0.15, "yuxin_garden": 0.30}
"""Seconds of server time per step, by scenario."""


def measure(neighbourhood: str, steps: int) -> dict:
    """Per-step seconds (median, 90th percentile, max) of a fresh session's first ``steps``
    steps, and the share of the time spent simulating."""
    from sim.views.app.model import AppModel, Choices
    from sim.views.app.page import meeting_table
    from sim.views.app.picture import NetworkPicture
    from sim.views.app.plots import PLOTTED, LivePlots

    model = AppModel(Choices(neighbourhood=neighbourhood))
    picture, plots = NetworkPicture(model), LivePlots(model.config.days)

    def frame() -> None:
        picture.draw(model, "parking", "en")
        plots.draw({name: model.datacollector.model_vars[name] for name in PLOTTED}, "en")
        meeting_table(model.meetings, "en").to_html(index=False)

    model.step()
    frame()  # the still parts are drawn once per session
    totals, simulating = [], []
    for _ in range(steps):
        start = time.perf_counter()
        model.step()
        stepped = time.perf_counter()
        frame()
        totals.append(time.perf_counter() - start)
        simulating.append(stepped - start)
    totals = np.array(totals)
    return {"households": len(model.households), "median": float(np.median(totals)),
            "p90": float(np.percentile(totals, 90)), "max": float(totals.max()),
            "model_share": float(np.sum(simulating) / totals.sum())}


def main(argv: list[str] | None = None) -> None:
    """Print the server time per step at each size beside its target."""
    parser = argparse.ArgumentParser(prog="python -m sim.bench app",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=60, help="steps timed per size")
    args = parser.parse_args(argv)
    print(f"{'scenario':<16}{'households':>11}{'median s':>10}{'p90 s':>8}{'max s':>8}"
          f"{'model %':>9}{'target s':>10}")
    for name, target in TARGETS.items():
        r = measure(name, args.steps)
        print(f"{name:<16}{r['households']:>11,}{r['median']:>10.3f}{r['p90']:>8.3f}"
              f"{r['max']:>8.3f}{100 * r['model_share']:>9.0f}{target:>10.2f}")
