"""``python -m sim.brief results/<sweep> [lang=en|zh]``: a two-page scenario brief to forward.

Writes ``brief.html`` (one self-contained file) and ``brief.pdf`` (A4, at most two pages,
fonts embedded) into ``results/<sweep>/brief/<lang>/``: the question; the estates; the
baseline (status quo), the article's package and the alternatives in plain names; a headline
table per estate with 90 % confidence intervals over seeds; two figures; findings generated
from the numbers, each with its interval; a box saying what is assumed and what is input rather
than outcome; and the provenance. Rendered with Jinja2 and WeasyPrint
(:mod:`sim.views.brief.render`), in the fonts the figures use: without a CJK font, ``lang=zh``
falls back to English with a warning.
"""

from __future__ import annotations

import matplotlib

from sim.compare import open_sweep
from sim.views.brief.render import context, render_html, write
from sim.views.figures import draw


def main(argv: list[str] | None = None) -> int:
    """Write a sweep's brief; print where it went."""
    opened = open_sweep(argv, __doc__.splitlines()[0], "brief")
    if isinstance(opened, int):
        return opened
    with matplotlib.rc_context(draw.rc(opened.cjk)):
        values = context(opened.sweep, opened.runs, opened.series, opened.lang, opened.cjk)
    html, pdf = write(opened.sweep / "brief" / opened.lang, render_html(values))
    print(f"brief -> {html}, {pdf}")
    return 0
