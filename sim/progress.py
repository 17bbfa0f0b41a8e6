"""A sweep's progress line: runs done / total, failures, elapsed time and an ETA.

It watches the run folders and parts on disk rather than the launcher, so it works the same
whether the runs happen in joblib workers, SLURM jobs or Ray tasks (given a shared file system).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from sim.sweep import Run, run_states

POLL_SECONDS = 0.5
"""How often the run folders and parts are looked at."""


def clock(seconds: float) -> str:
    """``h:mm:ss``."""
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Context manager that keeps a progress line up to date while a sweep runs.

    On a terminal the line is rewritten in place; otherwise (a log file, CI) a new line is
    printed at most every ``interval`` seconds, and once at the end.

    Args:
        sweep_dir: the sweep folder.
        pending: the runs launched now.
        total: all runs of the sweep, including those complete before it started.
        label: what to call the sweep (e.g. its folder name).
        interval: seconds between printed lines when the stream is not a terminal.
        stream: where to write (standard error by default).
    """

    def __init__(self, sweep_dir: Path, pending: list[Run], total: int, label: str,
                 interval: float = 10.0, stream: TextIO | None = None):
        self.sweep_dir, self.pending = Path(sweep_dir), len(pending)
        self.total, self.label, self.interval = total, label, interval
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self.done = self.failed = 0
        self._open = list(pending)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> Progress:
        self.start = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.poll()
        self._show(final=True)

    def poll(self) -> None:
        """Count the runs that finished since the last look."""
        with self._lock:
            still_open = []
            states = run_states(self.sweep_dir, self._open, verify=False)
            for run, (state, _) in zip(self._open, states, strict=True):
                if state == "complete":
                    self.done += 1
                elif state == "failed":
                    self.failed += 1
                else:
                    still_open.append(run)
            self._open = still_open

    def line(self) -> str:
        """The progress line for the current counts."""
        elapsed = time.perf_counter() - self.start
        finished = self.done + self.failed
        done = self.total - self.pending + self.done
        if finished and self._open:
            eta = clock(elapsed / finished * len(self._open))
        else:
            eta = "--" if self._open else "0:00:00"
        return (f"{self.label}: {done}/{self.total} runs done ({100 * done / self.total:.1f} %), "
                f"{self.failed} failed, {clock(elapsed)} elapsed, ETA {eta}")

    def _watch(self) -> None:
        shown, shown_at = (0, 0), 0.0
        while not self._stop.wait(POLL_SECONDS):
            self.poll()
            counts = (self.done, self.failed)
            if self.live or (counts != shown and time.perf_counter() - shown_at >= self.interval):
                self._show()
                shown, shown_at = counts, time.perf_counter()

    def _show(self, final: bool = False) -> None:
        if self.live:
            self.stream.write("\r\x1b[K" + self.line() + ("\n" if final else ""))
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
