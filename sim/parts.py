"""Parquet parts: a job's runs as a few Parquet files instead of a folder per run.

For large sweeps (``store.layout=parts``) a job keeps its finished runs in memory and writes
them as one *part*: ``part-<id>.parquet`` (one summary row per run), ``part-<id>.series.parquet``
when the daily series are kept, and then the part's *record* ``part-<id>.json``, written last
and atomically like a run folder's completion marker. The record names the runs the part holds,
the runs that failed with their errors, and the SHA-256 of the part's files. A part without its
record does not exist for its readers; a part whose files no longer match the record is
*corrupt*. A job writes a part every ``store.flush_seconds``, at its end, and when it is
interrupted, so an interrupted job keeps its finished runs and a failing run loses nobody's.

Runs are named ``<job folder>/<key>``, the key being ``seed=<s>`` or, in a district study,
``community=<i>,seed=<s>``; readers (:func:`job_states`, :func:`read_parts`) look only at the
records and the files they name.
"""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.output import sha256, write_json, write_parquet

RECORDS = "part-*.json"
"""Glob of the part records in a job folder."""


@dataclass
class PartWriter:
    """Collects a job's finished and failed runs and writes them as parts.

    Args:
        folder: the job folder.
        flush_seconds: write a part once the oldest unwritten run is this old.
    """

    folder: Path
    flush_seconds: float
    keys: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    series: list[pd.DataFrame] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    since: float | None = None

    def add(self, key: str, row: dict, series: pd.DataFrame | None = None) -> None:
        """Keep a finished run: its key in the job, its summary ``row`` and daily series."""
        self.keys.append(key)
        self.rows.append(row)
        if series is not None:
            self.series.append(series)
        self._due()

    def fail(self, key: str, error: str) -> None:
        """Keep a failed run's error (its traceback)."""
        self.failed[key] = error
        self._due()

    def _due(self) -> None:
        now = time.monotonic()
        if self.since is None:
            self.since = now
        if now - self.since >= self.flush_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the runs kept so far as one part, its record last; forget them."""
        if not self.rows and not self.failed:
            return
        name = f"part-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        files = {}
        if self.rows:
            files[f"{name}.parquet"] = pd.DataFrame(self.rows)
        if self.series:
            files[f"{name}.series.parquet"] = pd.concat(self.series, ignore_index=True)
        for file, frame in files.items():
            write_parquet(self.folder / file, frame)
        write_json(self.folder / f"{name}.json", {
            "runs": self.keys,
            "failed": self.failed,
            "sha256": {file: sha256(self.folder / file) for file in files},
        })
        self.keys, self.rows, self.series, self.failed, self.since = [], [], [], {}, None


@dataclass
class Part:
    """One part as its record describes it."""

    record: Path
    runs: list[str]
    failed: dict[str, str]
    sha256: dict[str, str]

    def damage(self) -> str | None:
        """What is wrong with the part's files, or None if each matches its checksum."""
        for name, digest in self.sha256.items():
            path = self.record.parent / name
            if not path.is_file():
                return f"{name} is missing"
            if _digest(path) != digest:
                return f"{name} does not match its checksum"
        return None

    def file(self, kind: str) -> Path | None:
        """The part's ``summary`` or ``series`` file, if it has one."""
        suffix = ".series.parquet" if kind == "series" else ".parquet"
        name = self.record.name.removesuffix(".json") + suffix
        return self.record.parent / name if name in self.sha256 else None


_DIGESTS: dict[tuple, str] = {}
"""SHA-256 of the part files hashed in this process, by path, size and modification time: a
collection checks each part once, not once for the states and again for the rows."""


def _digest(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _DIGESTS:
        _DIGESTS[key] = sha256(path)
    return _DIGESTS[key]


def parts(folder: Path) -> list[Part]:
    """The parts of a job folder whose record is written, oldest first."""
    found = []
    for record in sorted(Path(folder).glob(RECORDS)):
        data = json.loads(record.read_text(encoding="utf-8"))
        found.append(Part(record, data["runs"], data["failed"], data["sha256"]))
    return found


def job_states(folder: Path, verify: bool = True) -> dict[str, tuple[str, str]]:
    """``{run: (state, reason)}`` for every run the job folder's parts mention.

    A run is ``complete`` if a sound part holds it, else ``corrupt`` if a damaged part holds it,
    else ``failed`` with the last line of its latest error.

    Args:
        folder: the job folder.
        verify: check each part's files against its record (else trust the record).
    """
    states: dict[str, tuple[str, str]] = {}
    for part in parts(folder):
        damaged = part.damage() if verify else None
        for run, error in part.failed.items():
            if states.get(run, ("",))[0] != "complete":
                states[run] = ("failed", (error.strip().splitlines() or [""])[-1])
        for run in part.runs:
            if states.get(run, ("",))[0] != "complete":
                states[run] = ("corrupt", damaged) if damaged else ("complete", "")
    return states


def read_parts(folders: list[Path], kind: str = "summary") -> pd.DataFrame | None:
    """The rows of every sound part in ``folders`` (``kind`` ``summary`` or ``series``) as
    one table, a run held by two parts taken from the later one; None if there are none.
    Parts are checked and read in threads (hashing and Parquet decoding release the GIL)."""
    candidates = [(folder, part) for folder in folders for part in reversed(parts(folder))]
    with ThreadPoolExecutor() as pool:
        tables = list(pool.map(lambda candidate: _sound_table(candidate[1], kind), candidates))
    kept, seen = [], set()
    for (folder, part), table in zip(candidates, tables, strict=True):
        if table is None:
            continue
        keep = [run not in seen for run in table.column("run").to_pylist()]
        seen.update(f"{folder.name}/{key}" for key in part.runs)
        kept.append(table if all(keep) else table.filter(pa.array(keep)))
    if not kept:
        return None
    return pa.concat_tables(kept, promote_options="permissive").to_pandas()


def _sound_table(part: Part, kind: str) -> pa.Table | None:
    """A part's ``kind`` file as a table, or None if it has none or the part is damaged."""
    path = part.file(kind)
    return None if path is None or part.damage() else pq.read_table(path)
