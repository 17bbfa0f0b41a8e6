"""The fonts that print our words: one choice for the figures, the brief and the app.

Latin text is set in DejaVu Sans (it ships with matplotlib); Chinese falls back to a CJK font
found on this machine. Two traps are avoided:

- matplotlib ships a placeholder font ("Last Resort") whose character map claims every code
  point and draws each one as a box. A font counts only if it draws the probe characters with
  distinct real glyphs, which a placeholder cannot.
- matplotlib caches its font list on disk; a CJK font installed after the cache was written
  (``pip install`` first, then ``apt-get install fonts-noto-cjk``) is invisible to it. When no
  cached font prints Chinese but a font file on disk does, the missing files are added and the
  cache is written again, once, with a message saying so.

Without any CJK font, Chinese output falls back to English with a warning, never to boxes.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

LATIN = "DejaVu Sans"
"""The family for Latin text (bundled with matplotlib, so always present)."""

PROBE = "商量停车位业主租户小南庄一户购房优先热线诉求覆盖率"
"""Characters a font must draw to print the Chinese labels (common ones from every view)."""

NO_CJK_FONT = ("lang=zh: no installed font can print Chinese, so the output is in English. "
               "Install one (Debian: apt-get install fonts-noto-cjk) and run again.")


def draws(path: str, index: int = 0, text: str = PROBE) -> bool:
    """Whether face ``index`` of the font file at ``path`` draws every character of ``text``
    with a glyph of its own (a placeholder font maps them all to a few box glyphs)."""
    try:
        charmap = FT2Font(path, face_index=index).get_charmap()
    except (OSError, RuntimeError, TypeError, ValueError):
        return False
    glyphs = [charmap.get(ord(c), 0) for c in dict.fromkeys(text)]
    return 0 not in glyphs and len(set(glyphs)) == len(glyphs)


def _preference(entry: font_manager.FontEntry) -> tuple:
    """Sort key: simplified-Chinese sans-serif regular proportional fonts first."""
    name = entry.name
    return ("SC" not in name, "Serif" in name, "Mono" in name, entry.weight != 400, name)


def find_cjk_font(fonts: Iterable[font_manager.FontEntry]) -> str | None:
    """The family name of the preferred font among ``fonts`` that prints Chinese, or None."""
    for entry in sorted(fonts, key=_preference):
        if draws(entry.fname, entry.index):
            return entry.name
    return None


def _file_draws(path: str) -> bool:
    """Whether any face of the font file at ``path`` prints Chinese."""
    try:
        faces = FT2Font(path).num_faces
    except (OSError, RuntimeError, TypeError, ValueError):
        return False
    return any(draws(path, index) for index in range(faces))


def refresh_cache() -> list[str]:
    """Add the font files on disk that matplotlib's cached list lacks, if one of them prints
    Chinese, and write the cache again; return the files added (none: nothing changed)."""
    manager = font_manager.fontManager
    cached = {entry.fname for entry in manager.ttflist}
    missing = sorted(set(font_manager.findSystemFonts()) - cached)
    if not any(_file_draws(path) for path in missing):
        return []
    added = []
    for path in missing:
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue  # a file matplotlib cannot read stays out, as in a fresh cache
        added.append(path)
    cache_file = Path(matplotlib.get_cachedir(), f"fontlist-v{manager.__version__}.json")
    font_manager.json_dump(manager, cache_file)
    print(f"matplotlib's font cache predates {len(added)} installed font file(s) "
          f"(e.g. {Path(added[0]).name}); added them and rewrote {cache_file}", file=sys.stderr)
    return added


@cache
def cjk_family() -> str | None:
    """The family of this machine's preferred Chinese font, refreshing a stale matplotlib
    font cache once if needed; None if the machine has none."""
    family = find_cjk_font(font_manager.fontManager.ttflist)
    if family is None and refresh_cache():
        family = find_cjk_font(font_manager.fontManager.ttflist)
    return family


def resolve_language(lang: str) -> tuple[str, str | None]:
    """The language to write in and the CJK font family for it.

    Chinese needs a CJK font; without one this warns and falls back to English.

    Returns:
        ``(language, CJK family or None)``.
    """
    if lang == "en":
        return "en", None
    family = cjk_family()
    if family is None:
        warnings.warn(NO_CJK_FONT, stacklevel=2)
        return "en", None
    return "zh", family


def families(cjk: str | None) -> list[str]:
    """Font families in fallback order: Latin first, then the CJK font if any."""
    return [LATIN] + ([cjk] if cjk else [])
