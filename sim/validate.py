"""``python -m sim.validate``: the model's predictions for every checked pattern, pass or fail.

For every ``validation`` pattern of ``validation/patterns.yaml`` (``--kind calibration`` or
``all`` for others) it runs the pattern's setting over several seeds — and, once a calibration
has written ``results/calibration/posterior.csv``, over parameter sets drawn from the
posterior, so the spread holds both parameter uncertainty and chance (the posterior
predictive). A value or range target is compared with the predicted median and 90 %
interval; a direction with the paired difference (setting − compare, same seeds and
parameters). It writes ``docs/validation.md`` (generated: a table and a plain list of the
patterns that fail) and ``docs/img/validation.png``/``.svg`` beside it.

    python -m sim.validate                      # every validation pattern, 10 runs each
    python -m sim.validate --runs 3 --only shq_leads_lift_payment shy_repeated_rounds
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim import patterns
from sim.compose import load_config
from sim.config import ConfigError
from sim.model import CommunityModel
from sim.output import write_text
from sim.views.figures import draw

ROOT = Path(__file__).resolve().parent.parent
POSTERIOR = ROOT / "results" / "calibration" / "posterior.csv"


def loser_support(model: CommunityModel) -> float:
    """Mean opinion of tenants and households with a second car (the groups an owner-first
    package leaves last)."""
    h = model.households
    losers = ~h.owner | (h.cars >= 2)
    return float(h.opinion[losers].mean()) if losers.any() else math.nan


MODEL_OUTPUTS = {"loser_support": loser_support}
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


def run(setting: tuple[str, ...], parameters: dict, seed: int) -> CommunityModel:
    """Build and run one model for ``setting`` with ``parameters`` (dotted keys) and a seed."""
    overrides = [*setting, *(f"{k}={v}" for k, v in parameters.items()), f"seed={seed}"]
    config = load_config(overrides)
    model = CommunityModel(config)
    for _ in range(config.days):
        model.step()
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
    difference, for a direction), the share of runs without a value, and the verdict."""

    pattern: patterns.Pattern
    values: np.ndarray
    passed: bool

    @property
    def summary(self) -> tuple[float, float, float]:
        finite = self.values[np.isfinite(self.values)]
        if not len(finite):
            return math.nan, math.nan, math.nan
        low, median, high = np.quantile(finite, [0.05, 0.5, 0.95])
        return float(median), float(low), float(high)


def check(pattern: patterns.Pattern, runs: int, seed: int = 0) -> Check:
    """Run a pattern's setting (and comparison) ``runs`` times and judge it.

    A value passes when it lies in the 90 % interval; a range when the median lies in it and
    no run lacks a value; a direction when the 90 % interval of the paired differences lies
    on the target side of 0.
    """
    rng = np.random.default_rng(seed)
    draws = parameter_sets(runs, rng)
    values = np.array([measure(pattern.output, run(pattern.setting, p, seed + i))
                       for i, p in enumerate(draws)])
    target = pattern.target
    if target.direction is not None:
        base = np.array([measure(pattern.output, run(target.compare, p, seed + i))
                         for i, p in enumerate(draws)])
        values = values - base
        result = Check(pattern, values, False)
        _, low, high = result.summary
        result.passed = bool(low > 0 if target.direction == "higher" else high < 0)
        return result
    result = Check(pattern, values, False)
    median, low, high = result.summary
    if target.value is not None:
        result.passed = bool(low <= target.value <= high)
    else:
        result.passed = bool(np.isfinite(values).all()
                             and target.range[0] <= median <= target.range[1])
    return result


def describe(target: patterns.Target) -> str:
    """The target as the table shows it."""
    if target.value is not None:
        return f"{target.value:g}"
    if target.range is not None:
        return f"[{target.range[0]:g}, {target.range[1]:g}]"
    return f"{target.direction} than `{' '.join(target.compare)}`"


def report(checks: list[Check], runs: int, posterior: bool) -> str:
    """The generated ``docs/validation.md``."""
    spread = ("parameter sets drawn from the calibration posterior, one seed each"
              if posterior else "seeds only: no calibration posterior exists yet, so the "
              "spread is chance alone, at the configured parameter values")
    lines = [
        "# Validation (generated by `python -m sim.validate`; do not edit)",
        "",
        f"Each pattern of [`validation/patterns.yaml`](../validation/patterns.yaml) below was run "
        f"{runs} times ({spread}). For a direction the numbers are the paired differences, "
        "setting − comparison. Pass: a value lies in the 90 % interval; a range holds the "
        "median (and every run has a value); a direction's 90 % interval lies on its side of 0.",
        "",
        "| pattern | kind | output | target | median | 90 % interval | missing | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in checks:
        median, low, high = c.summary
        missing = int(np.count_nonzero(~np.isfinite(c.values)))
        lines.append(
            f"| `{c.pattern.id}` | {c.pattern.kind} | `{c.pattern.output}` | "
            f"{describe(c.pattern.target)} | {median:.3g} | {low:.3g} – {high:.3g} | {missing} | "
            f"{'pass' if c.passed else '**fail**'} |")
    failed = [c for c in checks if not c.passed]
    lines += ["", f"**{len(checks) - len(failed)} of {len(checks)} patterns pass.**", ""]
    if failed:
        lines.append("Patterns the model fails:")
        lines.append("")
        lines += [f"- `{c.pattern.id}` — {c.pattern.quantity} ({c.pattern.source})"
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
        finite = c.values[np.isfinite(c.values)]
        ax.plot(finite, np.zeros(len(finite)), "o", alpha=0.5, color="C0" if c.passed else "C3")
        target = c.pattern.target
        if target.range is not None:
            ax.axvspan(*target.range, color="C2", alpha=0.2)
        elif target.value is not None:
            ax.axvline(target.value, color="C2")
        else:
            ax.axvline(0.0, color="grey", lw=0.8)
        ax.set_yticks([])
        ax.set_title(c.pattern.id, fontsize=8)
    for ax in fig.axes[len(checks):]:
        ax.set_visible(False)
    return fig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per pattern (default 10)")
    parser.add_argument("--kind", choices=["validation", "calibration", "all"],
                        default="validation")
    parser.add_argument("--only", nargs="*", default=None, help="pattern ids to check")
    parser.add_argument("--catalogue", type=Path, default=patterns.CATALOGUE)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "validation.md")
    args = parser.parse_args(argv)
    if args.runs < 1:
        print(f"error: --runs = {args.runs}: must be at least 1", file=sys.stderr)
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
        for i, pattern in enumerate(chosen, 1):
            checks.append(check(pattern, args.runs))
            print(f"[{i}/{len(chosen)}] {pattern.id}: {'pass' if checks[-1].passed else 'FAIL'}",
                  flush=True)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    draw.save(figure(checks), args.out.parent / "img", "validation")
    write_text(args.out, report(checks, args.runs, POSTERIOR.exists()))
    print(f"{sum(c.passed for c in checks)} of {len(checks)} pass -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
