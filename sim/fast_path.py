"""Which code runs a model's small-array phases: the numba-compiled passes or NumPy.

Both give the same bytes (:mod:`sim.compiled` says how; ``tests/test_compiled.py`` checks it).
The compiled passes pay where each NumPy call costs more than its work, in small estates: they
cut a day by two fifths at 829 households (0.137 to 0.081 ms) and by a fifth at 5,032 (0.29 to
0.23 ms); at 20,000 they save a few per cent, and at 100,000 the frictions pass loses a tenth
(drawing four uniforms per illegal car ahead costs more than the calls it saves). Loading them
also costs a process ~0.3 s of CPU and ~100 MiB once. So a model takes them up to
:data:`COMPILED_UP_TO` households when numba is installed (a default dependency), and NumPy
otherwise.
"""

from __future__ import annotations

import importlib
from importlib.util import find_spec
from types import ModuleType

COMPILED_UP_TO = 10_000
"""The most households a model runs with the compiled passes."""


def compiled_passes(households: int) -> ModuleType | None:
    """:mod:`sim.compiled` for a model of this many households, or None for NumPy."""
    if households > COMPILED_UP_TO or find_spec("numba") is None:
        return None
    return importlib.import_module("sim.compiled")
