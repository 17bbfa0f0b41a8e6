"""Give a closed session's memory back to the system.

When a browser session ends, Solara closes its kernel and the session's model, pictures and
plots become garbage. Python frees them, but the C allocator keeps the freed pages for reuse
(a heap per thread, and Solara runs sessions in many threads), so the server's resident
memory would stay at its peak. ``python -m sim.app`` also caps glibc at two heaps
(``MALLOC_ARENA_MAX``), which keeps that peak lower. A moment after each kernel closes, this
collects the garbage and asks glibc to return free pages to the system (``malloc_trim``);
elsewhere it only collects.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from functools import cache

DELAY = 1.0
"""Seconds after a kernel closes before releasing (lets Solara finish tearing it down)."""


@cache
def _trim():
    """glibc's ``malloc_trim``, or None on other C libraries."""
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


def release() -> None:
    """Collect garbage, then return free heap pages to the system where the C library can."""
    gc.collect()
    trim = _trim()
    if trim is not None:
        trim(0)


def after_close():
    """For ``solara.lab.on_kernel_start``: at each kernel's close, release memory shortly after."""
    return lambda: threading.Timer(DELAY, release).start()
