"""A matplotlib figure that is drawn in full only when its still parts change, and otherwise
redraws only its moving parts over a saved background (blitting), then encodes a PNG.

Both pictures of the page build on it: the estate's network (:mod:`sim.views.app.picture`) and the
live plots (:mod:`sim.views.app.plots`). No pyplot: every session owns its figures, so sessions
never share drawing state.
"""

from __future__ import annotations

import io
from collections.abc import Hashable

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

PNG_COMPRESSION = 1
"""zlib level of the PNG: the fastest that still compresses flat colours well."""


class BlittedFigure:
    """A figure whose ``moving`` artists are redrawn each frame over a cached background.

    Subclasses create the figure's artists, mark the moving ones ``animated`` and list them in
    :attr:`moving`, and override :meth:`still_parts` to set everything that changes rarely
    (titles, legends, axis limits): it runs, followed by a full draw, only when the key passed
    to :meth:`png` changes.
    """

    def __init__(self, figure: Figure):
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self.moving: list[Artist] = []
        self._key: Hashable = None
        self._background = None

    def still_parts(self, key: Hashable) -> None:
        """Set the still parts of the figure for ``key`` (called before a full draw)."""

    def png(self, key: Hashable) -> bytes:
        """The figure as PNG: a full draw if ``key`` changed, else the moving artists only."""
        if key != self._key or self._background is None:
            self.still_parts(key)
            self.canvas.draw()  # animated artists are left out
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._key = key
        else:
            self.canvas.restore_region(self._background)
        for artist in self.moving:
            self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        image = Image.frombuffer("RGBA", self.canvas.get_width_height(),
                                 self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        image.convert("RGB").save(buffer, format="png", compress_level=PNG_COMPRESSION)
        return buffer.getvalue()
