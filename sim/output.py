"""Run folders: every file written atomically, a completion marker written last.

A folder is a finished run exactly when it holds :data:`MARKER`; a crashed or interrupted run
never has one, so readers (resume, collect) cannot take a half-written run for a finished one.
The marker records the SHA-256 of every file of the run, so a file damaged after the run
finished (a truncated copy, a full disk, a stray edit) is found by :func:`damage` before it is
read.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pandas as pd

MARKER = "COMPLETE"
"""Name of the file whose presence marks a finished run: ``{"sha256": {file: digest}}``."""


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place.

    The rename is atomic on POSIX, so ``path`` is either absent or complete, never partial.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_text(path: Path, text: str) -> None:
    """Write text atomically."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(path: Path, data: dict) -> None:
    """Write a JSON document atomically (UTF-8, Chinese kept readable)."""
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    """Write a DataFrame to Parquet atomically."""
    write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))


def is_complete(folder: Path) -> bool:
    """True if ``folder`` holds a finished run (its files are not checked: see :func:`damage`)."""
    return (Path(folder) / MARKER).is_file()


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def damage(folder: Path) -> str | None:
    """What is wrong with a finished run's files, or None if each matches its checksum.

    Args:
        folder: a folder holding :data:`MARKER`.
    """
    folder = Path(folder)
    try:
        recorded = json.loads((folder / MARKER).read_text(encoding="utf-8"))["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return f"{MARKER} holds no checksums"
    for name, digest in recorded.items():
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if sha256(path) != digest:
            return f"{name} does not match its checksum"
    return None


def write_run(
    folder: Path, config_yaml: str, tables: dict[str, pd.DataFrame], summary: dict
) -> None:
    """Write one run folder: ``config.yaml``, one Parquet file per table, ``summary.json``,
    then the completion marker with their checksums.

    Args:
        folder: the run folder (created if needed).
        config_yaml: the resolved config as YAML.
        tables: e.g. ``{"timeseries": df}`` → ``timeseries.parquet``.
        summary: end-of-run metrics and provenance.
    """
    folder = Path(folder)
    (folder / MARKER).unlink(missing_ok=True)
    write_text(folder / "config.yaml", config_yaml)
    for name, frame in tables.items():
        write_parquet(folder / f"{name}.parquet", frame)
    write_json(folder / "summary.json", summary)
    names = ["config.yaml", *(f"{name}.parquet" for name in tables), "summary.json"]
    write_json(folder / MARKER, {"sha256": {name: sha256(folder / name) for name in names}})
