"""``hydra/sweeper=resumable``: Hydra's basic sweeper, made resumable and fault tolerant.

What it adds to the basic sweeper (Cartesian products of ``key=a,b,c`` and ``glob(*)``):

- **Resume.** Every job is composed and checked before any runs (a bad value, a glob or range
  that selects nothing, or seeds and replicates that would run one seed twice stop the sweep
  with a one-line message). A job whose runs are all complete (their files matching their
  checksums) is not launched again, so re-running a sweep into the same folder runs only the
  missing, failed or corrupt runs; the jobs themselves skip their complete replicates
  (:func:`sim.run.run_replicates`).
- **One sweep per folder.** A lock file in the sweep folder makes a second sweep into the same
  folder stop at once with a message, instead of running every job a second time.
- **Isolated failures.** Hydra writes nothing into a job's folder before the job starts (no
  ``.hydra/`` per job: the manifest and the run's ``config.yaml`` say what it ran), so a full
  disk fails the jobs that hit it, like any other error, not the sweep.
- **Stable names.** Each job's folder is named by its overrides (``key=value`` sorted by key,
  as Hydra's ``override_dirname``, without ``hydra.job.config.override_dirname.exclude_keys``),
  and every run is listed in the sweep's manifest (:mod:`sim.sweep`).
- **Designs.** ``design`` names a CSV file whose columns are override keys and whose rows are
  points to run (e.g. a SALib sample); each row is crossed with the Cartesian jobs and named
  ``sample=<row>``. With ``design_blocks=B`` the rows are packed instead: each Cartesian job
  becomes B jobs, job ``b`` running the rows ``i`` with ``i % B == b`` and every replicate seed
  of each (:mod:`sim.points`), all of them Parquet parts in the Cartesian job's folder, runs
  named ``sample=<row>,seed=<s>``: a few hundred Hydra jobs for thousands of points.
- **Progress and failures.** A progress line while the jobs run (:mod:`sim.progress`); at the end,
  the failed runs with their overrides and errors, and a non-zero exit if there are any.

(No ``from __future__ import annotations`` here: Hydra loads plugin modules without registering
them in ``sys.modules``, where dataclasses look string annotations up.)
"""

import copy
import itertools
import logging
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_store import ConfigStore
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.utils import JobReturn, JobStatus
from hydra.errors import CompactHydraException
from omegaconf import OmegaConf, open_dict

from sim.output import MARKER
from sim.progress import Progress
from sim.sweep import (
    FAILED,
    Run,
    SweepFailedError,
    folder_name,
    job_runs,
    parts_job_runs,
    run_states,
    update_manifest,
)

LOCK = ".lock"
"""Lock file of a sweep folder, held while a sweep runs into it."""

log = logging.getLogger(__name__)


@dataclass
class ResumableSweeperConf:
    """Options of ``hydra/sweeper=resumable``."""

    _target_: str = "hydra_plugins.shangliang_sweeper.resumable_sweeper.ResumableSweeper"
    params: dict[str, str] | None = None
    """Swept keys and their values, as on the command line (e.g. ``allocation: glob(*)``)."""
    design: str | None = None
    """CSV file of points to run: one column per override key, one row per point."""
    design_blocks: int | None = None
    """Pack the design's rows into this many jobs per Cartesian job (``store.layout=parts``)
    instead of one job per row."""
    progress_seconds: float = 10.0
    """Seconds between progress lines when standard error is not a terminal."""


ConfigStore.instance().store(
    group="hydra/sweeper", name="resumable", node=ResumableSweeperConf, provider="shangliang"
)


class SweepError(CompactHydraException):
    """A sweep that could not start (a bad job) or whose runs did not all finish."""


@dataclass
class Job:
    """One job to launch: its overrides (with its folder) and the runs it makes."""

    overrides: list[str]
    runs: list[Run]


class ResumableSweeper(BasicSweeper):
    """Launches the jobs of a sweep whose runs are not complete yet; see the module docstring."""

    def __init__(self, params: dict[str, str] | None = None, design: str | None = None,
                 design_blocks: int | None = None, progress_seconds: float = 10.0):
        super().__init__(max_batch_size=None, params=params)
        self.design, self.design_blocks = design, design_blocks
        self.progress_seconds = progress_seconds

    def sweep(self, arguments: list[str]) -> Any:
        """Plan every job, then, holding the folder's lock, run the sweep."""
        sweep_dir = Path(self.config.hydra.sweep.dir)
        jobs = self._plan(arguments)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(sweep_dir / LOCK, timeout=0):
                return self._run(sweep_dir, jobs)
        except Timeout:
            raise SweepError(f"hydra.sweep.dir = {str(sweep_dir)!r}: another sweep is running "
                             "into this folder; wait for it to end (then run this command "
                             "to resume) or choose another folder") from None

    def _run(self, sweep_dir: Path, jobs: list["Job"]) -> Any:
        """Update the manifest, launch the unfinished jobs, report."""
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        runs = [run for job in jobs for run in job.runs]
        update_manifest(sweep_dir, runs)

        states = dict(zip((run.path for run in runs), run_states(sweep_dir, runs), strict=True))
        todo = [job for job in jobs if any(states[run.path][0] != "complete" for run in job.runs)]
        pending = [run for job in todo for run in job.runs if states[run.path][0] != "complete"]
        for run in pending:  # retried: an old error or a damaged run's marker no longer applies
            (sweep_dir / run.path / FAILED).unlink(missing_ok=True)
            (sweep_dir / run.path / MARKER).unlink(missing_ok=True)
        for job in todo:  # made here, so Hydra writes nothing before the job starts
            (sweep_dir / job.runs[0].path.split("/")[0]).mkdir(parents=True, exist_ok=True)
        log.info(f"{len(runs)} runs: {len(runs) - len(pending)} complete already, "
                 f"{len(pending)} to run in {len(todo)} jobs -> {sweep_dir}")
        results: list[JobReturn] = []
        if todo:
            progress = Progress(sweep_dir, pending, len(runs), sweep_dir.name,
                                self.progress_seconds)
            try:
                with progress:
                    results = list(self.launcher.launch([job.overrides for job in todo], 0))
            except KeyboardInterrupt:
                log.error(f"interrupted: {progress.done + len(runs) - len(pending)} of "
                          f"{len(runs)} runs are complete; run the same command to resume")
                raise
        self._report(sweep_dir, todo, results, pending)
        return [results]

    # -- planning -----------------------------------------------------------------------------

    def _plan(self, arguments: list[str]) -> list["Job"]:
        """Every job of the sweep, composed and checked, with its folder and runs."""
        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        params = parser.parse_overrides(self._parse_config() + list(arguments))
        for override in params:
            if override.is_sweep_override() and not list(override.sweep_string_iterator()):
                written = override.input_line.partition("=")[2]
                raise SweepError(f"{override.get_key_element()} = {written!r}: selects no value")
        (cartesian,) = self.split_arguments(params, None)
        jobs = [
            self._job(parser, overrides, sample, point, members)
            for overrides, (sample, point, members)
            in itertools.product(cartesian, self._points())
        ]
        self._check_distinct(jobs)
        return jobs

    @staticmethod
    def _check_distinct(jobs: list["Job"]) -> None:
        """Refuse a sweep that would make one run twice: in one folder, or in two folders
        (seeds closer together than ``replicates``, e.g. ``seed=0,1 replicates=2``)."""
        folders: set[str] = set()
        seeds: dict[tuple, list[int]] = defaultdict(list)
        firsts: dict[tuple, list[str]] = defaultdict(list)
        for job in jobs:
            for run in job.runs:
                if run.path in folders:
                    raise SweepError(f"two jobs would write the same run folder {run.path!r}: "
                                     "the sweep lists a point twice")
                folders.add(run.path)
                rest = tuple(sorted((k, v) for k, v in run.overrides.items() if k != "seed"))
                seeds[rest].append(int(run.overrides["seed"]))
            firsts[rest].append(job.runs[0].overrides["seed"])
        for rest, made in seeds.items():
            twice = sorted({seed for seed in made if made.count(seed) > 1})
            if twice:
                k = len(made) // len(firsts[rest])
                raise SweepError(
                    f"seed = {','.join(firsts[rest])}: with replicates = {k} each job runs seeds "
                    f"seed … seed+{k - 1}, so seed {twice[0]} would run twice; give seeds {k} "
                    f"apart, e.g. 'seed=range(0,{10 * k},{k})'")

    def _points(self) -> list[tuple[str | None, list[str], list | None]]:
        """What each job adds to a Cartesian job, as ``(sample, overrides, members)``: a
        design's row (``members`` None), or a block of rows with the overrides that select it
        (``sample`` None); a single empty point without a design."""
        from sim.config import ConfigError
        from sim.points import block_points, read_points

        if self.design is None:
            if self.design_blocks is not None:
                raise SweepError(f"hydra.sweeper.design_blocks = {self.design_blocks}: packs "
                                 "the rows of a design; give hydra.sweeper.design too")
            return [(None, [], None)]
        try:
            rows = read_points(self.design)
        except ConfigError:
            raise SweepError(f"hydra.sweeper.design = {self.design!r}: no such file (a CSV "
                             "file with one column per override key; relative to the current "
                             "folder)") from None
        if self.design_blocks is None:
            return [(sample, [f"{key}={value}" for key, value in row.items()], None)
                    for sample, row in rows]
        blocks = self.design_blocks
        if not isinstance(blocks, int) or not 1 <= blocks <= max(len(rows), 1):
            raise SweepError(f"hydra.sweeper.design_blocks = {blocks!r}: must be a whole "
                             f"number from 1 to the design's {len(rows)} rows")
        file = str(Path(self.design).resolve()).replace("\\", "\\\\").replace("'", "\\'")
        return [(None, [f"design.file='{file}'", f"design.blocks={blocks}",
                        f"design.block={block}"], block_points(rows, block, blocks))
                for block in range(blocks)]

    def _job(self, parser: OverridesParser, overrides: list[str], sample: str | None,
             point: list[str], members: list | None) -> Job:
        """Compose and check one job (and each design point it packs); name its folder; list
        its runs."""
        from sim.compose import to_run_config
        from sim.config import ConfigError, Layout
        from sim.estate.district import block_members
        from sim.points import apply_point

        cfg = self.hydra_context.config_loader.load_sweep_config(self.config, overrides + point)
        task_cfg = copy.deepcopy(cfg)
        with open_dict(task_cfg):
            del task_cfg["hydra"]
        try:
            run_config = to_run_config(task_cfg)
        except ConfigError as error:
            raise SweepError(f"{error} (job {' '.join(overrides + point)})") from None
        excluded = set(cfg.hydra.job.config.override_dirname.exclude_keys)
        named = {
            o.get_key_element(): o.get_value_element_as_str() or ""
            for o in parser.parse_overrides(overrides)
            if not o.get_key_element().lstrip("+~").startswith("hydra")
            and o.get_key_element().lstrip("+~") not in excluded
        }
        if sample is not None:
            named["sample"] = sample
        try:
            name = folder_name(named)
        except ValueError as error:
            raise SweepError(str(error)) from None
        if members is not None:
            runs = []
            for label, values in members:
                try:
                    to_run_config(apply_point(task_cfg, values))
                except ConfigError as error:
                    raise SweepError(f"{error} (design row {label} of job "
                                     f"{' '.join(overrides)})") from None
                runs += parts_job_runs(name, {**named, "sample": label, **values}, cfg.seed,
                                       cfg.replicates, sample=label)
        elif run_config.store.layout is Layout.parts:
            values = dict(item.split("=", 1) for item in point)
            d = run_config.district
            communities = None if d is None else block_members(d.communities, d.block, d.blocks)
            runs = parts_job_runs(name, {**named, **values}, cfg.seed, cfg.replicates,
                                  communities)
        else:
            values = dict(item.split("=", 1) for item in point)
            runs = job_runs(name, {**named, **values}, cfg.seed, cfg.replicates)
        quoted = name.replace("\\", "\\\\").replace("'", "\\'")
        return Job(overrides + point + [f"hydra.sweep.subdir='{quoted}'",
                                         "hydra.output_subdir=null"], runs)

    # -- the end ------------------------------------------------------------------------------

    def _report(self, sweep_dir: Path, todo: list[Job], results: list[JobReturn],
                pending: list[Run]) -> None:
        """Log the outcome; raise :class:`SweepError` listing the runs that did not finish."""
        errors = {}
        for job, result in zip(todo, results, strict=False):
            if result.status is JobStatus.FAILED:
                error = result._return_value
                errors.update({run.path: f"{type(error).__name__}: {error}" for run in job.runs})
        failed = [(run, reason) for run, (state, reason)
                  in zip(pending, run_states(sweep_dir, pending), strict=True)
                  if state != "complete"]
        if not failed:
            log.info(f"all runs complete -> {sweep_dir}")
            return
        lines = [f"{len(failed)} of {len(pending)} runs did not finish (run the same command "
                 "again to retry only these):"]
        for run, reason in failed:
            reason = reason or errors.get(run.path, "no error")
            settings = " ".join(f"{k}={v}" for k, v in run.overrides.items())
            lines.append(f"  {run.path}\n    overrides: {settings}\n    error: {reason}")
        raise SweepFailedError("\n".join(lines))
