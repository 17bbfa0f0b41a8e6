"""``python -m sim.calibrate``: fit the free behavioural parameters to the ``calibration``
patterns by approximate Bayesian computation — rejection ABC from the prior at threshold 0.

The priors and their justifications are in ``validation/priors.yaml`` (with the parameters
kept at their assumed values, and why); the patterns in ``validation/patterns.yaml`` (only
those of kind ``calibration``: the ``validation`` ones are never used to fit).

**Method.** Draw ``i`` takes its parameters uniformly from the priors' box, and its run seed,
from a generator seeded with ``(--seed, i)``. It runs every calibration pattern's setting once
and is *accepted* when every output meets its target (a value within its tolerance, a range
holding it). The accepted draws are a sample of the prior restricted to the parameters whose
runs meet the patterns, weighted by the chance that they do: the ABC posterior at threshold 0,
with equal weights, so its effective sample size is the number accepted. A draw that makes no
valid configuration (free riders and conditional cooperators together above every household)
is never accepted: the prior is the box cut to valid configurations.

**Why rejection, not ABC-SMC.** About one draw in 24 from the prior meets all four patterns
(4.2 % in the committed run), a region large enough to sample directly. An earlier ABC-SMC
fit (pyabc, median thresholds) spent its budget lowering a threshold that never reached 0 and
left an effective sample size of 2.6 of 50: its importance weights concentrated on a few
particles, where the patterns' outputs are discrete (a firm leaves or not; a whole number of
meetings). Rejection at threshold 0 needs no threshold schedule, no kernel and no weights,
and it can stop a draw at its first unmet pattern: the patterns run cheapest setting first
(households × days), so most rejected draws cost one short run of a small estate. The draws
depend only on ``(--seed, i)``, so the posterior is the same for any number of cores and any
interruption.

**Budget and resuming.** Every draw is kept in ``--store`` (a CSV under ``results/``); running
the command again continues from the next draw. A call stops when ``--particles`` draws are
accepted, or the next batch would not fit ``--minutes``. After every batch it writes

- ``<out>/posterior.csv``: the accepted draws' parameters (dotted keys) and equal weights;
- ``<out>/calibration.json``: what was fitted to what — priors, fixed parameters, patterns,
  draws, acceptance, effective sample size, per pattern how many draws ran it and met it,
  each call's draws and time, and per parameter the posterior median, 90 % interval and its
  width against the prior's (near 1: the patterns said little about it);
- ``configs/behaviour/calibrated.yaml``: the behaviour config with the posterior medians
  (``behaviour=calibrated``).

A fresh checkout needs none of ``--store``: the three outputs are committed.

    python -m sim.calibrate                          # 200 particles, at most 28 minutes, 2 cores
    python -m sim.calibrate --particles 4 --out /tmp/cal --store /tmp/cal/draws.csv \\
        --config /tmp/c.yaml
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sim import patterns
from sim.compose import load_config
from sim.config import CONFIG_DIR, ConfigError
from sim.output import write_atomic, write_json, write_text
from sim.provenance import source_state
from sim.validate import configure, measure, run

ROOT = Path(__file__).resolve().parent.parent
PRIORS = ROOT / "validation" / "priors.yaml"
SEED = 20261130
BATCH_PER_CORE = 16
"""Draws per core between two writes of the outputs."""
YAML_KEY = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z_][A-Za-z0-9_]*):")
"""A mapping key of a YAML line, with its indent."""


class PriorError(ValueError):
    """A malformed prior or catalogue: names the key, the value and what is allowed."""


def load_priors(path: Path = PRIORS) -> tuple[dict[str, dict], dict[str, str]]:
    """The uniform priors ``{dotted key: {"low", "high", "why"}}`` and the parameters kept
    fixed ``{dotted key: why}``, checked.

    Raises:
        PriorError: for a missing why, bounds out of order, a key outside ``behaviour.``, or a
            key both fitted and fixed.
    """
    raw = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
    priors = {}
    for key, spec in (raw.get("parameters") or {}).items():
        if not key.startswith("behaviour."):
            raise PriorError(f"{key}: only behaviour.* keys can be calibrated")
        low, high, why = spec.get("low"), spec.get("high"), spec.get("why")
        if not isinstance(low, int | float) or not isinstance(high, int | float) or low >= high:
            raise PriorError(f"{key}: low = {low!r}, high = {high!r}: need numbers, low < high")
        if not why:
            raise PriorError(f"{key}: why = {why!r}: every prior needs its justification")
        priors[key] = {"low": float(low), "high": float(high), "why": str(why)}
    if not priors:
        raise PriorError(f"{path}: parameters = {{}}: nothing to calibrate")
    fixed = raw.get("fixed") or {}
    for key, why in fixed.items():
        if key in priors or not why:
            raise PriorError(f"fixed.{key} = {why!r}: a fixed parameter needs its reason and "
                             "cannot also have a prior")
    return priors, {key: str(why) for key, why in fixed.items()}


def calibration_patterns(path: Path) -> list[patterns.Pattern]:
    """The catalogue's ``calibration`` patterns, each with a target a run can meet.

    Raises:
        PriorError: if there is none, or one has a direction or a value without tolerance.
    """
    fitted = [p for p in patterns.load(path) if p.kind == "calibration"]
    if not fitted:
        raise PriorError(f"{path}: no pattern of kind calibration")
    for p in fitted:
        if p.target.direction is not None or p.target.share is not None or (
                p.target.value is not None and p.target.tolerance is None):
            raise PriorError(f"pattern {p.id!r}: target = {p.target}: a calibration target "
                             "is a range or a value with a tolerance")
    return fitted


def cheapest_first(fitted: list[patterns.Pattern]) -> list[patterns.Pattern]:
    """The patterns ordered by the cost of their setting's run (households × days).

    Raises:
        ConfigError: naming the first key or value a setting's config does not accept.
    """
    def cost(pattern: patterns.Pattern) -> int:
        config = configure(pattern.setting, {}, 0)
        return config.scenario.households * config.days

    return sorted(fitted, key=cost)


def met(value: float, target: patterns.Target) -> bool:
    """Whether one run's output meets a calibration target (a missing output, NaN, never)."""
    if math.isnan(value):
        return False
    if target.value is not None:
        return abs(value - target.value) <= target.tolerance
    return target.range[0] <= value <= target.range[1]


def draw(priors: dict[str, dict], seed: int, index: int) -> tuple[dict[str, float], int]:
    """Draw ``index``'s parameters (uniform on the priors) and run seed: a function of
    ``(seed, index)`` alone."""
    rng = np.random.default_rng([seed, index])
    parameters = {key: float(rng.uniform(spec["low"], spec["high"]))
                  for key, spec in priors.items()}
    return parameters, int(rng.integers(2**31))


def evaluate(fitted: list[patterns.Pattern], parameters: dict, seed: int) -> dict[str, float]:
    """The outputs of the patterns' runs in order, up to the first unmet one (none when the
    parameters make no valid configuration)."""
    outputs = {}
    try:
        for p in fitted:
            outputs[p.id] = measure(p.output, run(p.setting, parameters, seed))
            if not met(outputs[p.id], p.target):
                break
    except ConfigError:
        return {}
    return outputs


class Calibration:
    """The ABC problem: the priors, the fixed parameters and the calibration patterns (in the
    order a draw runs them)."""

    def __init__(self, priors: dict[str, dict], fixed: dict[str, str],
                 fitted: list[patterns.Pattern], seed: int = SEED):
        self.priors, self.fixed, self.fitted, self.seed = priors, fixed, fitted, seed
        self.columns = ["draw", "seed", *priors, *(p.id for p in fitted), "accepted"]

    def check(self) -> None:
        """Every pattern's setting composes with every prior at its midpoint, and every
        fitted or fixed key names a value of ``behaviour/default.yaml``.

        Raises:
            ConfigError: naming the first key or value the model does not accept.
            PriorError: for a key the behaviour config does not write.
        """
        middle = {key: (spec["low"] + spec["high"]) / 2 for key, spec in self.priors.items()}
        for p in self.fitted:
            load_config([*p.setting, *(f"{k}={v}" for k, v in middle.items())])
        calibrated_behaviour({key: {"median": value, "interval_90": [value, value]}
                              for key, value in middle.items()})
        default = OmegaConf.create({"behaviour": OmegaConf.load(
            CONFIG_DIR / "behaviour" / "default.yaml")})
        for key in self.fixed:
            if OmegaConf.select(default, key) is None:
                raise PriorError(f"fixed.{key}: not in behaviour/default.yaml: a fixed "
                                 "parameter keeps a value written there")

    def rows(self, indices: range, map_=map) -> pd.DataFrame:
        """Draw, run and judge the draws ``indices`` (``map_`` spreads them over cores)."""
        drawn = [draw(self.priors, self.seed, i) for i in indices]
        outputs = list(map_(evaluate, [self.fitted] * len(drawn), *zip(*drawn, strict=True)))
        return pd.DataFrame(
            [{"draw": i, "seed": s, **parameters, **values,
              "accepted": all(met(values.get(p.id, math.nan), p.target) for p in self.fitted)}
             for i, (parameters, s), values in zip(indices, drawn, outputs, strict=True)],
            columns=self.columns)

    def stored(self, path: Path) -> pd.DataFrame:
        """The draws already kept in ``path`` (none when it does not exist).

        Raises:
            PriorError: if they were drawn for other priors, patterns or seed.
        """
        if not path.exists():
            return pd.DataFrame(columns=self.columns)
        frame = pd.read_csv(path)
        parameters, seed = draw(self.priors, self.seed, 0)
        if list(frame.columns) != self.columns or (len(frame) and not np.allclose(
                frame.loc[0, ["seed", *self.priors]].to_numpy(float),
                [seed, *parameters.values()])):
            raise PriorError(f"--store = {path}: drawn for other priors, patterns or seed; "
                             "move it aside to start afresh")
        return frame


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value with at least a share ``q`` of the weight at or below it."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / np.sum(weights)
    return float(values[order][min(np.searchsorted(cumulative, q), len(values) - 1)])


def summarise(frame: pd.DataFrame, priors: dict[str, dict]) -> dict[str, dict]:
    """Per parameter: posterior median, 90 % interval and the interval's width as a share of
    the prior's (near 1: the patterns said little about it)."""
    weights = frame["weight"].to_numpy()
    summary = {}
    for key, spec in priors.items():
        values = frame[key].to_numpy()
        low, median, high = (weighted_quantile(values, weights, q) for q in (0.05, 0.5, 0.95))
        summary[key] = {"median": median, "interval_90": [low, high],
                        "width_vs_prior": (high - low) / (spec["high"] - spec["low"])}
    return summary


def calibrated_behaviour(posterior: dict[str, dict]) -> str:
    """``behaviour/default.yaml`` with each fitted value replaced by its posterior median and
    its comment by where the value comes from; every other line, comments included, as is.

    Raises:
        PriorError: for a fitted key that ``default.yaml`` does not write.
    """
    fitted = {key.removeprefix("behaviour."): spec for key, spec in posterior.items()}
    lines, path, placed = [], [], set()
    for line in (CONFIG_DIR / "behaviour" / "default.yaml").read_text().splitlines():
        match = YAML_KEY.match(line)
        if match:
            depth = len(match["indent"]) // 2
            path[depth:] = [match["key"]]
            spec = fitted.get(".".join(path))
            if spec is not None:
                placed.add(".".join(path))
                low, high = spec["interval_90"]
                line = (f"{match['indent']}{match['key']}: {spec['median']:.4g}  # fitted: "
                        f"ABC posterior median, 90 % interval {low:.3g}-{high:.3g}")
        lines.append(line)
    if missing := set(fitted) - placed:
        raise PriorError(f"behaviour.{sorted(missing)[0]}: not in behaviour/default.yaml: a "
                         "fitted value replaces one written there")
    header = ("# Generated by `python -m sim.calibrate` from behaviour/default.yaml: the fitted "
              "values are\n# the ABC posterior medians; do not edit. What was fitted to "
              "what: validation/calibration.json.\n")
    return header + "\n".join(lines) + "\n"


def record(problem: Calibration, draws: pd.DataFrame, posterior: pd.DataFrame,
           calls: list[dict]) -> dict:
    """What was fitted to what, how the draws went, and what the posterior says."""
    accepted = len(posterior)
    return {
        "method": "rejection ABC from the prior at threshold 0: a draw is accepted when one "
                  "run of every calibration pattern's setting meets its target",
        "fitted_to": [{"id": p.id, "output": p.output, "setting": list(p.setting),
                       "target": (p.target.value if p.target.value is not None
                                  else list(p.target.range)),
                       "tolerance": p.target.tolerance, "source": p.source}
                      for p in problem.fitted],
        "priors": problem.priors,
        "fixed": problem.fixed,
        "seed": problem.seed,
        "draws": len(draws),
        "invalid_draws": int(draws[[p.id for p in problem.fitted]].isna().all(axis=1).sum()),
        "particles": accepted,
        "acceptance": accepted / len(draws),
        "threshold": 0.0,
        "effective_sample_size": float(accepted),
        "every_pattern_met": accepted > 0,
        "patterns_in_run_order": [{"id": p.id, "ran": int(draws[p.id].notna().sum()),
                                   "met": int(draws[p.id].apply(met, target=p.target).sum())}
                                  for p in problem.fitted],
        "calls": calls,
        "posterior": summarise(posterior, problem.priors) if accepted else {},
        **source_state(),
    }


def write_outputs(problem: Calibration, draws: pd.DataFrame, calls: list[dict],
                  args: argparse.Namespace) -> dict:
    """Write the store, and, once a draw is accepted, the posterior, the record and the
    calibrated behaviour; return the record."""
    write_atomic(args.store, lambda tmp: draws.to_csv(tmp, index=False))
    accepted = draws[draws["accepted"].astype(bool)]
    posterior = accepted[list(problem.priors)].reset_index(drop=True)
    posterior["weight"] = 1.0 / max(len(posterior), 1)
    summary = record(problem, draws, posterior, calls)
    if len(posterior):
        write_atomic(args.out / "posterior.csv", lambda tmp: posterior.to_csv(tmp, index=False))
        write_json(args.out / "calibration.json", summary)
        write_text(args.config, calibrated_behaviour(summary["posterior"]))
    return summary


def arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line, checked (exit 2 with one line on a bad number)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=200,
                        help="accepted draws to reach (default 200)")
    parser.add_argument("--minutes", type=float, default=28.0,
                        help="time budget of this call (default 28)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--priors", type=Path, default=PRIORS)
    parser.add_argument("--catalogue", type=Path, default=patterns.CATALOGUE)
    parser.add_argument("--out", type=Path, default=ROOT / "validation")
    parser.add_argument("--store", type=Path,
                        default=ROOT / "results" / "calibration" / "draws.csv")
    parser.add_argument("--config", type=Path,
                        default=CONFIG_DIR / "behaviour" / "calibrated.yaml")
    args = parser.parse_args(argv)
    for key in ("particles", "cores", "minutes"):
        if getattr(args, key) <= 0:
            parser.exit(2, f"error: --{key} = {getattr(args, key)}: must be above 0\n")
    if args.seed < 0:
        parser.exit(2, f"error: --seed = {args.seed}: must be at least 0\n")
    return args


def earlier_calls(args: argparse.Namespace) -> list[dict]:
    """The calls recorded beside a store this call resumes."""
    path = args.out / "calibration.json"
    return json.loads(path.read_text())["calls"] if args.store.exists() and path.exists() else []


def advance(problem: Calibration, draws: pd.DataFrame, calls: list[dict],
            args: argparse.Namespace, map_) -> pd.DataFrame:
    """Draw batches until ``--particles`` are accepted or the next batch would not fit the
    time left, writing the outputs after each; this call is recorded as the last of
    ``calls``."""
    start, last = time.monotonic(), 0.0
    call = {"draws": 0, "accepted": 0, "seconds": 0.0, "cores": args.cores,
            "load_average": round(os.getloadavg()[0], 2)}
    calls.append(call)
    while int(draws["accepted"].sum()) < args.particles:
        if last > args.minutes * 60 - (time.monotonic() - start):
            break
        began = time.monotonic()
        batch = problem.rows(range(len(draws), len(draws) + BATCH_PER_CORE * args.cores), map_)
        draws = pd.concat([draws, batch], ignore_index=True) if len(draws) else batch
        last = time.monotonic() - began
        call.update(draws=call["draws"] + len(batch),
                    accepted=call["accepted"] + int(batch["accepted"].sum()),
                    seconds=round(time.monotonic() - start, 1))
        summary = write_outputs(problem, draws, calls, args)
        print(f"draws {len(draws)}: accepted {summary['particles']} "
              f"(acceptance {summary['acceptance']:.3f}, threshold 0, ESS "
              f"{summary['effective_sample_size']:.0f}), {call['seconds']:.0f} s of "
              f"{args.minutes * 60:.0f}", flush=True)
    return draws


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    try:
        priors, fixed = load_priors(args.priors)
        problem = Calibration(priors, fixed,
                              cheapest_first(calibration_patterns(args.catalogue)), args.seed)
        problem.check()
        draws = problem.stored(args.store)
    except (PriorError, patterns.PatternError, ConfigError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if len(draws):
        print(f"resuming {args.store} after {len(draws)} draws", flush=True)
    calls = earlier_calls(args)
    if args.cores == 1:
        draws = advance(problem, draws, calls, args, map)
    else:
        with ProcessPoolExecutor(args.cores, mp_context=get_context("spawn")) as pool:
            draws = advance(problem, draws, calls, args, pool.map)
    summary = write_outputs(problem, draws, calls, args)
    if not summary["particles"]:
        print(f"no draw accepted in {len(draws)}: nothing written; run again to continue")
        return 0
    medians = {k: round(v["median"], 4) for k, v in summary["posterior"].items()}
    state = ("every calibration pattern met by every accepted draw; "
             f"{summary['particles']} particles" + (
                 "" if summary["particles"] >= args.particles else
                 f" of {args.particles}: run again to continue"))
    print(f"{state}\nposterior medians: {medians}\n-> {args.out}, {args.config}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
