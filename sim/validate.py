"""``python -m sim.validate``: the model's predictions for every checked pattern, pass or fail.

For every ``validation`` and ``calibration`` pattern of ``validation/patterns.yaml`` (``--kind``
picks one kind) it runs the pattern's setting over several seeds — and, once a calibration has
written ``validation/posterior.csv``, over parameter sets drawn from the posterior, so the
spread holds both parameter uncertainty and chance (the posterior predictive). A value or range
target is compared with the predicted median and 90 % interval; a direction with the paired
difference (setting − compare, same seeds and parameters). It writes ``docs/validation.md``
(generated: one table for the patterns never fitted, one for those fitted, and a plain list of
the patterns that fail) and ``docs/img/validation.png``/``.svg`` beside it.

    python -m sim.validate                      # every checked pattern, 40 runs each, 2 cores
    python -m sim.validate --runs 3 --only shq_new_firm shy_repeated_rounds
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, ValidationError

from sim import patterns
from sim.compose import compose_config, to_run_config
from sim.config import ConfigError, RunConfig
from sim.model import CommunityModel
from sim.output import write_text
from sim.views.figures import draw

ROOT = Path(__file__).resolve().parent.parent
POSTERIOR = ROOT / "validation" / "posterior.csv"
RECORD = ROOT / "validation" / "calibration.json"


def loser_support(model: CommunityModel) -> float:
    """Mean opinion of tenants and households with a second car (the groups an owner-first
    package leaves last)."""
    h = model.households
    losers = ~h.owner | (h.cars >= 2)
    return float(h.opinion[losers].mean()) if losers.any() else math.nan


def adopted_no_group_worse_off(model: CommunityModel) -> float:
    """1 when the run adopted a plan for the shared space that leaves no user group worse
    off than the plan in force at the start, else 0 (case D's outcome as a yes or no)."""
    summary = model.summary()
    return float(summary["days_to_consensus"] is not None
                 and summary["space_groups_worse_off"] == 0)


MODEL_OUTPUTS = {"loser_support": loser_support,
                 "adopted_no_group_worse_off": adopted_no_group_worse_off}
"""Outputs read from the model state (``model.<name>`` in the catalogue)."""


def measure(output: str, model: CommunityModel) -> float:
    """The value of a catalogue ``output`` after a run (NaN when there is none, e.g. no
    consensus for ``summary.days_to_consensus``)."""
    where, _, key = output.partition(".")
    if where == "summary":
        value = model.summary()[key]
    elif where == "meetings":
        value = model.meetings[0][key] if model.meetings else None
    else:
        value = MODEL_OUTPUTS[key](model)
    return math.nan if value is None else float(value)


@cache
def composed(setting: tuple[str, ...]) -> DictConfig:
    """The Hydra composition of a pattern's setting, once per process (composing costs more
    than a small estate's year)."""
    return compose_config(setting)


def configure(setting: tuple[str, ...], parameters: dict, seed: int) -> RunConfig:
    """The checked run config of ``setting`` with ``parameters`` (dotted keys) and a seed: the
    same as composing every override, from a cached composition.

    Raises:
        ConfigError: if a value fails its check.
    """
    config = copy.deepcopy(composed(tuple(setting)))
    for key, value in {**parameters, "seed": seed}.items():
        try:
            OmegaConf.update(config, key, value, merge=False)
        except (ValidationError, ConfigAttributeError, ConfigKeyError) as error:
            raise ConfigError(key, value, "a key and value of the composed config") from error
    return to_run_config(config)


def run(setting: tuple[str, ...], parameters: dict, seed: int) -> CommunityModel:
    """Build and run one model for ``setting`` with ``parameters`` (dotted keys) and a seed."""
    config = configure(setting, parameters, seed)
    model = CommunityModel(config)
    model.run_for(config.days)
    return model


def parameter_sets(runs: int, rng: np.random.Generator) -> list[dict]:
    """``runs`` parameter sets: drawn from the calibration posterior (by weight) when one
    exists, else the configured values (empty overrides)."""
    if not POSTERIOR.exists():
        return [{} for _ in range(runs)]
    posterior = pd.read_csv(POSTERIOR)
    weights = posterior.pop("weight").to_numpy()
    rows = rng.choice(len(posterior), size=runs, p=weights / weights.sum())
    return [posterior.iloc[r].to_dict() for r in rows]


@dataclass
class Check:
    """One pattern's prediction: median and 90 % interval of the output (or of the paired
    difference, for a direction; for a share, the share of runs with a yes and no interval),
    the share of runs without a value, and the verdict."""

    pattern: patterns.Pattern
    values: np.ndarray
    passed: bool

    @property
    def summary(self) -> tuple[float, float, float]:
        if self.pattern.target.share is not None:
            return float(np.mean(self.values == 1.0)), math.nan, math.nan
        finite = self.values[np.isfinite(self.values)]
        if not len(finite):
            return math.nan, math.nan, math.nan
        low, median, high = np.quantile(finite, [0.05, 0.5, 0.95])
        return float(median), float(low), float(high)


def measured(output: str, setting: tuple[str, ...], parameters: dict, seed: int) -> float:
    """One run's value of ``output`` (a top-level function, so worker processes can run it)."""
    return measure(output, run(setting, parameters, seed))


def check(pattern: patterns.Pattern, runs: int, seed: int = 0, map_=map) -> Check:
    """Run a pattern's setting (and comparison) ``runs`` times and judge it; ``map_`` runs the
    runs (a process pool's ``map`` spreads them over cores).

    A value with a tolerance passes when the median lies within it (as the calibration
    counts a pattern met), one without when it lies in the 90 % interval; a range when the
    median lies in it and no run lacks a value; a direction when the 90 % interval of the
    paired differences lies on the target side of 0; a share when the share of runs whose
    output is 1 lies in it (a run without a value counts as a no).

    Raises:
        ValueError: for a share pattern whose output is neither 0 nor 1 in some run.
    """
    rng = np.random.default_rng(seed)
    draws = parameter_sets(runs, rng)
    seeds = [seed + i for i in range(runs)]

    def values_of(setting: tuple[str, ...]) -> np.ndarray:
        return np.array(list(map_(measured, [pattern.output] * runs, [setting] * runs, draws,
                                  seeds)))

    values = values_of(pattern.setting)
    target = pattern.target
    if target.direction is not None:
        values = values - values_of(target.compare)
        result = Check(pattern, values, False)
        _, low, high = result.summary
        result.passed = bool(low > 0 if target.direction == "higher" else high < 0)
        return result
    result = Check(pattern, values, False)
    median, low, high = result.summary
    if target.share is not None:
        if not np.isin(values[np.isfinite(values)], (0.0, 1.0)).all():
            raise ValueError(f"pattern {pattern.id!r}: output = {pattern.output}: a share "
                             "target needs a yes-or-no output (1 or 0) in every run")
        result.passed = bool(target.share[0] <= median <= target.share[1])
    elif target.tolerance is not None:
        result.passed = bool(abs(median - target.value) <= target.tolerance)
    elif target.value is not None:
        result.passed = bool(low <= target.value <= high)
    else:
        result.passed = bool(np.isfinite(values).all()
                             and target.range[0] <= median <= target.range[1])
    return result


def describe(target: patterns.Target) -> str:
    """The target as the table shows it."""
    if target.tolerance is not None:
        return f"{target.value:g} ± {target.tolerance:g}"
    if target.value is not None:
        return f"{target.value:g}"
    if target.range is not None:
        return f"[{target.range[0]:g}, {target.range[1]:g}]"
    if target.share is not None:
        return f"share of runs in [{target.share[0]:g}, {target.share[1]:g}]"
    return f"{target.direction} than `{' '.join(target.compare)}`"


SECTIONS = {
    "validation": "Validation patterns (never used to fit)",
    "calibration": "Calibration patterns (fitted by `python -m sim.calibrate`: how well the "
                   "fit holds on fresh runs)",
}


def spread(runs: int) -> str:
    """Where the runs' parameters come from, as the report states it."""
    if not POSTERIOR.exists():
        return (f"{runs} times, seeds only: no calibration posterior exists, so the spread "
                "is chance alone, at the configured parameter values")
    text = (f"{runs} times, every run with its own seed and a parameter set drawn by weight "
            "from the calibration posterior ([`validation/posterior.csv`]"
            "(../validation/posterior.csv))")
    if RECORD.exists():
        record = json.loads(RECORD.read_text())
        text += (f": {record['particles']} draws accepted of {record['draws']} from the prior "
                 "(rejection ABC at threshold 0: each accepted draw's runs met every "
                 "calibration pattern; [`validation/calibration.json`]"
                 "(../validation/calibration.json))")
    return text


def table(checks: list[Check]) -> list[str]:
    """The markdown rows of one section."""
    lines = ["| pattern | output | target | median | 90 % interval | missing | result |",
             "|---|---|---|---|---|---|---|"]
    for c in checks:
        median, low, high = c.summary
        missing = int(np.count_nonzero(~np.isfinite(c.values)))
        lines.append(
            f"| `{c.pattern.id}` | `{c.pattern.output}` | {describe(c.pattern.target)} | "
            f"{median:.3g} | {low:.3g} – {high:.3g} | {missing} | "
            f"{'pass' if c.passed else '**fail**'} |")
    return lines


def report(checks: list[Check], runs: int) -> str:
    """The generated ``docs/validation.md``."""
    lines = [
        "# Validation (generated by `python -m sim.validate`; do not edit)",
        "",
        f"Each pattern of [`validation/patterns.yaml`](../validation/patterns.yaml) below was "
        f"run {spread(runs)}. For a direction the numbers are the paired differences, "
        "setting − comparison (same seed and parameters). Pass: a value lies in the 90 % "
        "interval (a value with a tolerance: the median lies within it); a range holds the "
        "median (and every run has a value); a direction's 90 % interval lies on its side of 0; "
        "a share holds the share of runs with a yes (shown as the median, without interval). "
        "*missing*: runs without a value (e.g. no consensus for days to consensus).",
        "",
    ]
    for kind, title in SECTIONS.items():
        chosen = [c for c in checks if c.pattern.kind == kind]
        if chosen:
            passed = sum(c.passed for c in chosen)
            lines += [f"## {title}", "", *table(chosen), "",
                      f"**{passed} of {len(chosen)} {kind} patterns pass.**", ""]
    failed = [c for c in checks if not c.passed]
    if failed:
        lines += ["## Patterns the model fails", ""]
        lines += [f"- `{c.pattern.id}` ({c.pattern.kind}) — {c.pattern.quantity} "
                  f"({c.pattern.source})" + (f". Note: {c.pattern.note}" if c.pattern.note
                                             else "")
                  for c in failed]
        lines.append("")
    lines += ["![Predicted distributions against the targets](img/validation.png)", ""]
    return "\n".join(lines)


def figure(checks: list[Check]) -> Figure:
    """One small panel per pattern: the runs' values (or differences) and the target."""
    cols = min(4, len(checks))
    rows = math.ceil(len(checks) / cols)
    fig = Figure(figsize=(3.2 * cols, 2.2 * rows), layout="constrained")
    for ax, c in zip(fig.subplots(rows, cols, squeeze=False).ravel(), checks, strict=False):
        target = c.pattern.target
        finite = (np.array([c.summary[0]]) if target.share is not None
                  else c.values[np.isfinite(c.values)])
        ax.plot(finite, np.zeros(len(finite)), "o", alpha=0.5, color="C0" if c.passed else "C3")
        if target.range is not None or target.share is not None:
            ax.axvspan(*(target.range or target.share), color="C2", alpha=0.2)
        elif target.value is not None:
            ax.axvline(target.value, color="C2")
        else:
            ax.axvline(0.0, color="grey", lw=0.8)
        ax.set_yticks([])
        ax.set_title(c.pattern.id, fontsize=8)
        if target.share is not None:
            ax.set_xlabel("share of runs", fontsize=7)
    for ax in fig.axes[len(checks):]:
        ax.set_visible(False)
    return fig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="runs per pattern (default 40)")
    parser.add_argument("--kind", choices=["validation", "calibration", "all"], default="all")
    parser.add_argument("--cores", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--only", nargs="*", default=None, help="pattern ids to check")
    parser.add_argument("--catalogue", type=Path, default=patterns.CATALOGUE)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "validation.md")
    args = parser.parse_args(argv)
    for key in ("runs", "cores"):
        if getattr(args, key) < 1:
            print(f"error: --{key} = {getattr(args, key)}: must be at least 1", file=sys.stderr)
            return 2
    try:
        catalogue = patterns.load(args.catalogue)
    except (patterns.PatternError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    chosen = [p for p in catalogue if p.kind != "input"
              and (args.kind == "all" or p.kind == args.kind)
              and (args.only is None or p.id in args.only)]
    unknown = set(args.only or ()) - {p.id for p in catalogue}
    if unknown or not chosen:
        print(f"error: --only = {sorted(unknown) or args.only}: no such checked pattern",
              file=sys.stderr)
        return 2
    checks = []
    try:
        with ProcessPoolExecutor(args.cores, mp_context=get_context("spawn")) as pool:
            for i, pattern in enumerate(chosen, 1):
                checks.append(check(pattern, args.runs, map_=pool.map))
                print(f"[{i}/{len(chosen)}] {pattern.id}: "
                      f"{'pass' if checks[-1].passed else 'FAIL'}", flush=True)
    except ValueError as error:  # a ConfigError, or a share pattern's output not 0 or 1
        print(f"error: {error}", file=sys.stderr)
        return 2
    draw.save(figure(checks), args.out.parent / "img", "validation")
    write_text(args.out, report(checks, args.runs))
    print(f"{sum(c.passed for c in checks)} of {len(checks)} pass -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
