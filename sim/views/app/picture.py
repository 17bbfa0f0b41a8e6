"""The estate's social network: ties drawn once, households recoloured and resized in place.

Colour is by parking last night or by opinion of the proposal, size by cars, shape marks the
building leads; the legend explains all three and the lines. Colours are computed for all
households at once from the model's arrays, never per agent.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgba_array
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy import sparse

from sim.views.app.canvas import BlittedFigure
from sim.views.app.text import TEXT
from sim.views.figures.draw import OKABE_ITO

PARKING = {"parked": OKABE_ITO["green"], "not_parked": OKABE_ITO["vermillion"],
           "no_car": "#c4c4c4", "night_pending": "#7f9fb5"}
"""Colours of the parking view (Okabe–Ito: safe for colour-blind readers)."""
OPINION = LinearSegmentedColormap.from_list(
    "opinion", [OKABE_ITO["vermillion"], "#8c8c8c", OKABE_ITO["blue"]])
"""Against (0) → undecided (½, a grey that shows on white) → for (1)."""
CAR_SIZES = np.array([12.0, 30.0, 62.0])
"""Marker area for households with 0, 1 and 2+ cars at Xiaonanzhuang's size."""
REFERENCE_HOUSEHOLDS = 829
LEAD_SCALE = 1.5


def edges(adjacency: sparse.csr_matrix, layout: np.ndarray) -> np.ndarray:
    """Line segments (m × 2 × 2) of every tie, each once."""
    upper = sparse.triu(adjacency, k=1).tocoo()
    return np.stack([layout[upper.row], layout[upper.col]], axis=1)


def colours(model, colour_by: str) -> np.ndarray:
    """Each household's colour (n × 4 RGBA) in the chosen view."""
    h = model.households
    if colour_by == "opinion":
        return OPINION(h.opinion)
    has_car = h.cars > 0
    if model.day == 0:
        state = np.where(has_car, "night_pending", "no_car")
    else:
        state = np.where(~has_car, "no_car",
                         np.where(model.household_parked, "parked", "not_parked"))
    palette = {key: to_rgba_array(colour)[0] for key, colour in PARKING.items()}
    out = np.empty((len(h), 4))
    for key, rgba in palette.items():
        out[state == key] = rgba
    return out


class NetworkPicture(BlittedFigure):
    """The network picture of one model (a new model gets a new picture).

    Args:
        model: an :class:`~sim.views.app.model.AppModel`.
    """

    def __init__(self, model, width: float = 7.6, height: float = 5.9, dpi: int = 100):
        super().__init__(Figure(figsize=(width, height), dpi=dpi))
        self.ax = self.figure.add_axes((0.01, 0.15, 0.98, 0.78))
        self.ax.set_axis_off()
        layout, self.lead = model.layout, model.households.lead
        self.ax.add_collection(LineCollection(edges(model.adjacency, layout), colors="#8a8a8a",
                                              linewidths=0.35, alpha=0.3, zorder=1))
        self.scale = min(1.0, np.sqrt(REFERENCE_HOUSEHOLDS / len(layout)))
        self.dots = self.ax.scatter(*layout[~self.lead].T, s=1, linewidths=0.3,
                                    edgecolors="white", zorder=2, animated=True)
        self.diamonds = self.ax.scatter(*layout[self.lead].T, s=1, marker="D", linewidths=0.9,
                                        edgecolors="black", zorder=3, animated=True)
        self.ax.set_aspect("equal")
        self.ax.autoscale_view()
        self.title = self.ax.set_title("", fontsize=9, animated=True)
        self.moving = [self.dots, self.diamonds, self.title]

    def still_parts(self, key) -> None:
        """The legend in the page's language and view."""
        lang, colour_by, pending = key
        text = TEXT[lang]
        if colour_by == "opinion":
            entries = [(text["for"], OPINION(1.0)), (text["undecided"], OPINION(0.5)),
                       (text["against"], OPINION(0.0))]
        else:
            shown = ("night_pending", "no_car") if pending else ("parked", "not_parked", "no_car")
            entries = [(text[key], PARKING[key]) for key in shown]
        handles = [Line2D([], [], marker="o", linestyle="", color=colour, markersize=7,
                          label=label) for label, colour in entries]
        handles += [Line2D([], [], marker="o", linestyle="", color="0.55", label=text[f"cars_{k}"],
                           markersize=np.sqrt(CAR_SIZES[k] * self.scale)) for k in (0, 1, 2)]
        handles += [Line2D([], [], marker="D", linestyle="", color="white",
                           markeredgecolor="black", markersize=7, label=text["lead"]),
                    Line2D([], [], color="#8a8a8a", label=text["ties"])]
        self.ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                       ncols=4, fontsize=7.5, frameon=False)

    def draw(self, model, colour_by: str, lang: str) -> bytes:
        """The picture of the model's current day as PNG."""
        rgba = colours(model, colour_by)
        size = CAR_SIZES[np.minimum(model.households.cars, 2)] * self.scale
        self.dots.set_facecolors(rgba[~self.lead])
        self.dots.set_sizes(size[~self.lead])
        self.diamonds.set_facecolors(rgba[self.lead])
        self.diamonds.set_sizes(size[self.lead] * LEAD_SCALE)
        self.title.set_text(TEXT[lang]["network_title"].format(
            day=model.day, n=len(model.households), cars=int(model.households.cars.sum()),
            spaces=int(model.today["usable_spaces"])))
        return self.png((lang, colour_by, colour_by == "parking" and model.day == 0))
