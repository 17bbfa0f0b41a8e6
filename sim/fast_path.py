"""Which code runs a model's small-array phases: the numba-compiled passes or NumPy.

Both give the same bytes (:mod:`sim.compiled` says how; ``tests/test_compiled.py`` checks it).
The compiled passes pay where each NumPy call costs more than its work, in small estates: they
halve a day at 829 households (0.139 to 0.063 ms) and cut a quarter at 5,032 (0.28 to 0.20
ms). The gain shrinks as estates grow: −17 % at 10,000, −11 % at 20,000 and −5 to −9 % at
50,000 (measured before the night was compiled too), −4 % at 100,000, and nothing at 1,000,000
(66 against 67 ms a day). Loading them also costs a process ~0.35 s of CPU and ~100 MiB once,
which the million-household run's memory budget does not have. So a model takes them up to
:data:`COMPILED_UP_TO` households when numba is installed (a default dependency), and NumPy
otherwise.
"""

from __future__ import annotations

import importlib
from importlib.util import find_spec
from types import ModuleType

COMPILED_UP_TO = 100_000
"""The most households a model runs with the compiled passes."""


def compiled_passes(households: int) -> ModuleType | None:
    """:mod:`sim.compiled` for a model of this many households, or None for NumPy."""
    if households > COMPILED_UP_TO or find_spec("numba") is None:
        return None
    return importlib.import_module("sim.compiled")
