"""A shared space's week: its rooms (and the venues groups moved to) against the 21 slots of
the week, each slot coloured by the group using it under the plan in force.

The picture changes when the community adopts a plan (case D: the table-tennis hall becomes
six rooms and a hall, table tennis moves to the gym), so it is drawn in full each time the
plan in force changes and otherwise only retitled.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.resources.shared_space import week
from sim.resources.shared_space.plan import IDLE
from sim.views.app.canvas import BlittedFigure
from sim.views.app.text import TEXT
from sim.views.figures.draw import OKABE_ITO

IDLE_COLOUR = "#eeeeee"
GROUP_COLOURS = [OKABE_ITO[name] for name in
                 ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow")]
"""One colour per group, in config order (Okabe–Ito: safe for colour-blind readers)."""


def timetable(space) -> tuple[list[str], np.ndarray]:
    """The places of the plan in force and who uses each slot (places × slots; IDLE: nobody):
    its rooms, then one row per group moved out, at the venue's offered slots."""
    plan, setting = space.status_quo, space.setting
    rows = [room.name for room in plan.rooms]
    grid = [plan.use]
    for g in np.flatnonzero(plan.venue != IDLE):
        site = int(plan.venue[g])
        rows.append(setting.sites[site])
        grid.append(np.where(setting.site_offers[site], g, IDLE)[None, :])
    return rows, np.vstack(grid)


class SpacePicture(BlittedFigure):
    """The weekly timetable of a model's shared space (a new model gets a new picture).

    Args:
        model: an :class:`~sim.views.app.model.AppModel` whose resource is a shared space.
    """

    def __init__(self, model, width: float = 7.6, height: float = 5.9, dpi: int = 100):
        super().__init__(Figure(figsize=(width, height), dpi=dpi))
        self.space = model.resource
        self.ax = self.figure.add_axes((0.2, 0.22, 0.77, 0.7))
        self.title = self.figure.text(0.585, 0.95, "", ha="center", fontsize=9, animated=True)
        self.moving = [self.title]

    def still_parts(self, key) -> None:
        """The timetable of the plan in force, the week's days and the groups' legend."""
        lang, _ = key
        space, text = self.space, TEXT[lang]
        rows, grid = timetable(space)
        colours = ListedColormap([IDLE_COLOUR, *GROUP_COLOURS[: len(space.groups)]])
        self.ax.clear()
        self.ax.imshow(grid + 1, cmap=colours, vmin=0, vmax=len(space.groups), aspect="auto",
                       interpolation="nearest")
        periods = len(week.PERIODS)
        self.ax.set_xticks(np.arange(len(week.DAYS)) * periods + (periods - 1) / 2,
                           [text[f"day_{d}"] for d in week.DAYS], fontsize=8)
        self.ax.set_yticks(np.arange(len(rows)), rows, fontsize=7.5)
        for boundary in np.arange(1, len(week.DAYS)) * periods - 0.5:
            self.ax.axvline(boundary, color="white", linewidth=2)
        handles = [Patch(color=GROUP_COLOURS[g], label=group)
                   for g, group in enumerate(space.groups)]
        handles.append(Patch(color=IDLE_COLOUR, label=text["room_idle"]))
        self.ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.4, -0.08),
                       ncols=4, fontsize=7.5, frameon=False)

    def draw(self, model, lang: str) -> bytes:
        """The picture of the model's current day as PNG."""
        usage = self.space.usage(self.space.status_quo)
        self.title.set_text(TEXT[lang]["space_title"].format(
            day=model.day, plan=self.space.status_quo.name,
            utilisation=usage.utilisation))
        return self.png((lang, self.space.status_quo.name))
