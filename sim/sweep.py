"""Sweep bookkeeping shared by the sweeper, the runs and the readers of a sweep folder.

A sweep folder (``hydra.sweep.dir`` of ``python -m sim.run -m ...``) holds the manifest
:data:`MANIFEST`, which lists every run the sweep asked for with the overrides that make it,
and one folder per run. A multirun made by another Hydra sweeper (``hydra/sweeper=basic``,
``optuna``, ...) has no manifest: :func:`read_runs` finds its runs from the job folders Hydra
made, each with its ``.hydra/`` record.

A job named by its overrides runs ``replicates`` seeds: with one replicate the job folder is
the run folder; with more, each seed gets a ``seed=<s>`` folder inside it. A run is *complete*
when its folder holds the completion marker (written last, see :mod:`sim.output`) and, where
checked, its files match the marker's checksums; *corrupt* when they do not; *failed* when it
holds :data:`FAILED` (the error); and *missing* otherwise, so a crashed, half-written or
damaged run is never taken for a finished one.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from sim.estate.district import block_members
from sim.output import damage, is_complete, write_json
from sim.parts import job_states

MANIFEST = "sweep.json"
"""Name of the manifest file in a sweep folder."""

FAILED = "FAILED"
"""Name of the file a run that raised leaves in its folder: the error and its traceback."""

MAX_NAME_BYTES = 255
"""Longest folder name most file systems accept."""


class NotASweepError(ValueError):
    """A folder that is not a sweep folder (it has no manifest)."""


class SweepFailedError(RuntimeError):
    """Some runs of a sweep did not finish; the message lists them with their errors."""


class RunsFailedError(RuntimeError):
    """Some runs of a job raised; each left its error in its folder's ``FAILED`` or in its
    part's record."""


@dataclass(frozen=True)
class Run:
    """One run a sweep asked for.

    Attributes:
        path: its folder, relative to the sweep folder (``/``-separated).
        overrides: the overrides that make it, ``{key: value as written}``, seed included.
    """

    path: str
    overrides: dict[str, str]


def folder_name(overrides: dict[str, str]) -> str:
    """A job's folder name: its ``key=value`` overrides sorted by key, joined by commas
    (the form of Hydra's ``override_dirname``).

    Raises:
        ValueError: if the name would contain ``/`` or exceed :data:`MAX_NAME_BYTES`.
    """
    name = ",".join(f"{key}={overrides[key]}" for key in sorted(overrides))
    if "/" in name or len(name.encode()) > MAX_NAME_BYTES:
        raise ValueError(
            f"run folder name {name[:80]!r}... is not a valid folder name (no '/', at most "
            f"{MAX_NAME_BYTES} bytes): sweep fewer keys by name (hydra.job.config."
            "override_dirname.exclude_keys) or give the values as a design (hydra.sweeper.design)"
        )
    return name


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """The seeds a job with ``seed`` and ``replicates`` runs: seed, seed + 1, ..."""
    return list(range(seed, seed + replicates))


def replicate_folder(job_folder: Path, seed: int, replicates: int) -> Path:
    """Where a job's run with ``seed`` goes: the job folder itself for a single replicate,
    else its ``seed=<seed>`` sub-folder."""
    return job_folder if replicates == 1 else job_folder / f"seed={seed}"


def job_runs(name: str, overrides: dict[str, str], seed: int, replicates: int) -> list[Run]:
    """The runs of the job named ``name`` with ``overrides``, one per replicate seed."""
    return [
        Run(
            replicate_folder(Path(name), s, replicates).as_posix(),
            {**overrides, "seed": str(s)},
        )
        for s in replicate_seeds(seed, replicates)
    ]


def run_keys(seed: int, replicates: int, communities: list[int] | None = None,
             sample: str | None = None) -> list[tuple[str, int, int | None]]:
    """A parts job's runs as ``(key, seed, community)``: each replicate seed, for each of its
    district communities if it has any (community first, so one community's seeds are
    neighbours). The key names the run inside its job folder; a packed design's point
    ``sample`` is named first (``sample=<label>,seed=<s>``)."""
    seeds = replicate_seeds(seed, replicates)
    prefix = "" if sample is None else f"sample={sample},"
    if communities is None:
        return [(f"{prefix}seed={s}", s, None) for s in seeds]
    return [(f"{prefix}community={c:04d},seed={s}", s, c) for c in communities for s in seeds]


def parts_job_runs(name: str, overrides: dict[str, str], seed: int, replicates: int,
                   communities: list[int] | None = None, sample: str | None = None
                   ) -> list[Run]:
    """The runs of a parts job named ``name`` (``store.layout=parts``): ``<name>/<key>``."""
    return [
        Run(f"{name}/{key}", {**overrides, **({} if c is None else {"community": str(c)}),
                              "seed": str(s)})
        for key, s, c in run_keys(seed, replicates, communities, sample)
    ]


def run_states(sweep_dir: Path, runs: list[Run], verify: bool = True) -> list[tuple[str, str]]:
    """``(state, reason)`` of each run (see :func:`run_state`, :func:`failure_reason`),
    whether it is kept as a folder or in its job's Parquet parts (:mod:`sim.parts`)."""
    sweep_dir, by_job, states = Path(sweep_dir), {}, []
    for run in runs:
        job, _, key = run.path.partition("/")
        if job not in by_job:  # its parts, and the names in its folder (one look per job)
            folder = sweep_dir / job
            names = set(os.listdir(folder)) if key and folder.is_dir() else set()
            by_job[job] = (job_states(folder, verify) if names else {}, names)
        parted, names = by_job[job]
        state = parted.get(key)
        if state is None or state[0] != "complete":
            folder = sweep_dir / run.path
            on_disk = run_state(folder, verify) if not key or key in names else "missing"
            if on_disk != "missing" or state is None:
                state = (on_disk, failure_reason(folder) if on_disk != "complete" else "")
        states.append(state)
    return states


def run_state(folder: Path, verify: bool = True) -> str:
    """``"complete"``, ``"corrupt"``, ``"failed"`` or ``"missing"`` (never started, running
    or interrupted).

    Args:
        folder: the run folder.
        verify: check the files against the marker's checksums (else a run with a marker is
            taken as complete: cheap enough to poll while a sweep runs).
    """
    if is_complete(folder):
        return "corrupt" if verify and damage(folder) else "complete"
    if (folder / FAILED).is_file():
        return "failed"
    return "missing"


def failure_reason(folder: Path) -> str:
    """Why a run is not complete: what is damaged in a corrupt run, the last line of a failed
    run's error (its exception), or ``""``."""
    if is_complete(folder):
        return damage(folder) or ""
    path = folder / FAILED
    if not path.is_file():
        return ""
    lines = path.read_text(encoding="utf-8").strip().splitlines()
    return lines[-1] if lines else ""


def read_manifest(sweep_dir: Path) -> list[Run]:
    """The runs listed in a sweep folder's manifest, in sweep order.

    Raises:
        NotASweepError: if ``sweep_dir`` is not a folder with a manifest.
    """
    path = Path(sweep_dir) / MANIFEST
    if not path.is_file():
        what = "does not exist" if not Path(sweep_dir).exists() else f"has no {MANIFEST}"
        raise NotASweepError(
            f"{sweep_dir} {what}: expected a sweep folder, i.e. the hydra.sweep.dir of "
            "`python -m sim.run -m ...` (e.g. results/compare_rules)"
        )
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Run(run["path"], run["overrides"]) for run in data["runs"]]


def read_runs(sweep_dir: Path) -> list[Run]:
    """Every run of a sweep folder: those its manifest lists or, without one, those of the
    job folders of a multirun made by any Hydra sweeper, in job order.

    Raises:
        NotASweepError: if ``sweep_dir`` has neither a manifest nor Hydra job folders.
    """
    sweep_dir = Path(sweep_dir)
    jobs = sorted((record.parent.parent for record in sweep_dir.glob("*/.hydra/overrides.yaml")),
                  key=lambda job: [int(part) if part.isdigit() else part
                                   for part in re.split(r"(\d+)", job.name)])
    if (sweep_dir / MANIFEST).is_file() or not jobs:
        return read_manifest(sweep_dir)
    return [run for job in jobs for run in _hydra_job_runs(job)]


def _hydra_job_runs(job: Path) -> list[Run]:
    """The runs of one job folder of a Hydra multirun, from its ``.hydra/`` record."""
    record = job / ".hydra"

    def load(name: str):
        return yaml.safe_load((record / name).read_text(encoding="utf-8"))

    excluded = set(load("hydra.yaml")["hydra"]["job"]["config"]["override_dirname"][
        "exclude_keys"])
    overrides = dict(item.split("=", 1) for item in load("overrides.yaml"))
    named = {key: value for key, value in overrides.items()
             if not key.lstrip("+~").startswith("hydra") and key.lstrip("+~") not in excluded}
    config = load("config.yaml")
    if config.get("store", {}).get("layout") == "parts":
        district = config.get("district")
        communities = None if district is None else block_members(
            district["communities"], district["block"], district["blocks"])
        return parts_job_runs(job.name, named, config["seed"], config["replicates"],
                              communities)
    return job_runs(job.name, named, config["seed"], config["replicates"])


def update_manifest(sweep_dir: Path, runs: list[Run]) -> list[Run]:
    """Add ``runs`` to the manifest (kept: the runs it already lists, in their order) and
    return the result. Re-running a sweep, or a larger one, into the same folder thus keeps
    every run the folder was ever asked for."""
    try:
        known = read_manifest(sweep_dir)
    except NotASweepError:
        known = []
    paths = {run.path for run in known}
    merged = known + [run for run in runs if run.path not in paths]
    write_json(Path(sweep_dir) / MANIFEST, {"runs": [asdict(run) for run in merged]})
    return merged
