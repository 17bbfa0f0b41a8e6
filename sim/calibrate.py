"""``python -m sim.calibrate``: fit the free behavioural parameters to the ``calibration``
patterns by approximate Bayesian computation (ABC-SMC, pyabc).

The priors and their justifications are in ``validation/priors.yaml``; the patterns in
``validation/patterns.yaml`` (only those of kind ``calibration``: the ``validation`` ones are
never used to fit). A particle runs every calibration pattern's setting once, with a seed
derived from its parameter values (the same particle gives the same runs).

**Distance.** Each pattern's *miss*: a value target misses by |output − value| / tolerance; a
range misses by 0 inside and by 1 + (distance outside) / (its width, or the size of its finite
bound) outside. A miss of at most 1 means the pattern is met. A particle's distance is the sum
of its misses beyond 1, so a distance of 0 means it met every calibration pattern, and a
pattern with a discrete output (a firm leaves or not) cannot hold the threshold at its one
miss value while the others improve. The threshold of each generation is the weighted median
of the last one's distances: the run ends after the generation whose threshold is 0, whose
particles all met every pattern, and the posterior is the prior restricted to the parameter
sets whose runs meet the patterns (with importance weights). A particle that makes no valid
configuration (free riders and conditional cooperators together above every household) is
never accepted: the prior is the box of ``priors.yaml`` cut to valid configurations.

**Budget and resuming.** ``--minutes`` bounds the call: a generation starts only while twice
the last one's time still fits. The ABC history lives in ``--db``; running the command again
continues it. After every generation it writes

- ``<out>/posterior.csv``: the generation's particles (dotted keys) and normalised weights;
- ``<out>/calibration.json``: what was fitted to what — priors, patterns, each generation's
  threshold, acceptance rate, runs and time, whether every pattern is met, the effective
  sample size of the importance weights (1 / Σ w²: a few means a few particles carry the
  posterior), and per parameter the posterior median, 90 % interval and its width against the
  prior's;
- ``configs/behaviour/calibrated.yaml``: the behaviour config with the posterior medians
  (``behaviour=calibrated``).

With more than one core the workers' finishing order decides which particles a generation
keeps, so only a one-core run (``--cores 1``) gives the same posterior byte for byte.

    python -m sim.calibrate                          # 100 particles, 28 minutes, 2 cores
    python -m sim.calibrate --particles 8 --generations 2 --out /tmp/cal --db /tmp/cal/abc.db \\
        --config /tmp/c.yaml
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import re
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
from omegaconf import OmegaConf

from sim import patterns
from sim.compose import load_config
from sim.config import CONFIG_DIR, ConfigError
from sim.output import write_atomic, write_json, write_text
from sim.provenance import source_state
from sim.validate import measure, run

ROOT = Path(__file__).resolve().parent.parent
PRIORS = ROOT / "validation" / "priors.yaml"
MET = 0.0
"""A distance at or below this means every calibration pattern is met."""
YAML_KEY = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z_][A-Za-z0-9_]*):")
"""A mapping key of a YAML line, with its indent."""


class PriorError(ValueError):
    """A malformed prior or catalogue: names the key, the value and what is allowed."""


def load_priors(path: Path = PRIORS) -> dict[str, dict]:
    """``{dotted key: {"low", "high", "why"}}`` of the uniform priors, checked.

    Raises:
        PriorError: for a missing why, bounds out of order, or a key outside ``behaviour.``.
    """
    raw = OmegaConf.to_container(OmegaConf.load(path), resolve=False).get("parameters") or {}
    priors = {}
    for key, spec in raw.items():
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
    return priors


def calibration_patterns(path: Path) -> list[patterns.Pattern]:
    """The catalogue's ``calibration`` patterns, each with a target a distance can use.

    Raises:
        PriorError: if there is none, or one has a direction or a value without tolerance.
    """
    fitted = [p for p in patterns.load(path) if p.kind == "calibration"]
    if not fitted:
        raise PriorError(f"{path}: no pattern of kind calibration")
    for p in fitted:
        if p.target.direction is not None or (p.target.value is not None
                                              and p.target.tolerance is None):
            raise PriorError(f"pattern {p.id!r}: target = {p.target}: a calibration target "
                             "is a range or a value with a tolerance")
    return fitted


def miss(value: float, target: patterns.Target) -> float:
    """How far an output misses its target (see the module docstring); at most 1 when met.
    A missing output (NaN) misses infinitely."""
    if math.isnan(value):
        return math.inf
    if target.value is not None:
        return abs(value - target.value) / target.tolerance
    low, high = target.range
    outside = max(low - value, value - high, 0.0)
    if not outside:
        return 0.0
    finite = [b for b in (low, high) if math.isfinite(b)]
    width = high - low if len(finite) == 2 and high > low else max(abs(finite[0]), 1.0)
    return 1.0 + outside / width


def particle_seed(parameters: dict) -> int:
    """A seed from a particle's parameter values: the same particle, the same runs."""
    text = json.dumps({k: round(float(v), 12) for k, v in sorted(parameters.items())})
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


class FlooredMedian(pyabc.epsilon.QuantileEpsilon):
    """pyabc's weighted-median threshold, never below :data:`MET`; the first generation takes
    every particle, and a resumed run starts from the last generation's median, computed with
    the current distance (pyabc would start it from the initial threshold again)."""

    def initialize(self, t: int, get_weighted_distances, *args, **kwargs) -> None:
        if t > 0:
            self._update(t, get_weighted_distances())

    def __call__(self, t: int) -> float:
        return max(super().__call__(t), MET)


class Calibration:
    """The ABC problem: the priors, the calibration patterns, the model and the distance."""

    def __init__(self, priors: dict[str, dict], fitted: list[patterns.Pattern]):
        self.priors, self.fitted = priors, fitted
        self.names = {key: key.replace(".", "__") for key in priors}  # pyabc-safe names

    def model(self, particle) -> dict:
        """Run every calibration pattern once with the particle's parameters (all NaN when
        they make no valid configuration)."""
        parameters = {key: float(particle[name]) for key, name in self.names.items()}
        seed = particle_seed(parameters)
        try:
            return {p.id: measure(p.output, run(p.setting, parameters, seed))
                    for p in self.fitted}
        except ConfigError:
            return {p.id: math.nan for p in self.fitted}

    def distance(self, simulated: dict, _observed: dict) -> float:
        """The misses beyond 1 (beyond meeting the pattern), summed over the patterns."""
        return sum(max(miss(simulated[p.id], p.target) - 1.0, 0.0) for p in self.fitted)

    def check(self) -> None:
        """Every pattern's setting composes with every prior at its midpoint, and every prior
        names a value of ``behaviour/default.yaml``.

        Raises:
            ConfigError: naming the first key or value the model does not accept.
            PriorError: for a key the behaviour config does not write.
        """
        middle = {key: (spec["low"] + spec["high"]) / 2 for key, spec in self.priors.items()}
        for p in self.fitted:
            load_config([*p.setting, *(f"{k}={v}" for k, v in middle.items())])
        calibrated_behaviour({key: {"median": value, "interval_90": [value, value]}
                              for key, value in middle.items()})

    def abc(self, particles: int, cores: int) -> pyabc.ABCSMC:
        """The pyabc ABC-SMC object (uniform priors, floored median thresholds)."""
        prior = pyabc.Distribution(**{
            self.names[key]: pyabc.RV("uniform", spec["low"], spec["high"] - spec["low"])
            for key, spec in self.priors.items()})
        sampler = (pyabc.sampler.SingleCoreSampler() if cores == 1
                   else pyabc.sampler.MulticoreEvalParallelSampler(n_procs=cores))
        return pyabc.ABCSMC(self.model, prior, self.distance, population_size=particles,
                            sampler=sampler, eps=FlooredMedian(initial_epsilon=math.inf))


def posterior(history: pyabc.History, names: dict[str, str]) -> pd.DataFrame:
    """The last generation's particles with dotted keys and their normalised weights."""
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    frame = frame.rename(columns={v: k for k, v in names.items()})[list(names)]
    return frame.reset_index(drop=True).assign(weight=np.asarray(weights) / np.sum(weights))


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value with at least a share ``q`` of the weight at or below it."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / np.sum(weights)
    return float(values[order][min(np.searchsorted(cumulative, q), len(values) - 1)])


def summarise(frame: pd.DataFrame, priors: dict[str, dict]) -> dict[str, dict]:
    """Per parameter: posterior median, 90 % interval and the interval's width as a share of
    the prior's (1: the patterns said nothing about it)."""
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
              "values are\n# the ABC-SMC posterior medians; do not edit. What was fitted to "
              "what: validation/calibration.json.\n")
    return header + "\n".join(lines) + "\n"


def record(problem: Calibration, history: pyabc.History, generations: list[dict],
           frame: pd.DataFrame) -> dict:
    """What was fitted to what, how the run went, and what the posterior says."""
    epsilon = float(history.get_all_populations()["epsilon"].iloc[-1])
    return {
        "fitted_to": [{"id": p.id, "output": p.output, "setting": list(p.setting),
                       "target": (p.target.value if p.target.value is not None
                                  else list(p.target.range)),
                       "tolerance": p.target.tolerance, "source": p.source}
                      for p in problem.fitted],
        "priors": problem.priors,
        "particles": int(len(frame)),
        "effective_sample_size": float(1.0 / np.sum(frame["weight"].to_numpy() ** 2)),
        "generations": generations,
        "final_threshold": epsilon,
        "every_pattern_met": epsilon <= MET,
        "posterior": summarise(frame, problem.priors),
        "versions": {"pyabc": pyabc.__version__}, **source_state(),
    }


def write_outputs(problem: Calibration, history: pyabc.History, generations: list[dict],
                  out: Path, config: Path) -> dict:
    """Write the posterior, the record and the calibrated behaviour; return the record."""
    frame = posterior(history, problem.names)
    summary = record(problem, history, generations, frame)
    write_atomic(out / "posterior.csv", lambda tmp: frame.to_csv(tmp, index=False))
    write_json(out / "calibration.json", summary)
    write_text(config, calibrated_behaviour(summary["posterior"]))
    return summary


def arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line, checked (exit 2 with one line on a bad number)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=100)
    parser.add_argument("--generations", type=int, default=20,
                        help="at most this many generations in this call (the history resumes)")
    parser.add_argument("--minutes", type=float, default=28.0,
                        help="time budget of this call (default 28)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--priors", type=Path, default=PRIORS)
    parser.add_argument("--catalogue", type=Path, default=patterns.CATALOGUE)
    parser.add_argument("--out", type=Path, default=ROOT / "validation")
    parser.add_argument("--db", type=Path, default=ROOT / "results" / "calibration" / "abc.db")
    parser.add_argument("--config", type=Path,
                        default=CONFIG_DIR / "behaviour" / "calibrated.yaml")
    args = parser.parse_args(argv)
    for key in ("particles", "generations", "cores", "minutes"):
        if getattr(args, key) <= 0:
            parser.exit(2, f"error: --{key} = {getattr(args, key)}: must be above 0\n")
    return args


def session(problem: Calibration, args: argparse.Namespace) -> pyabc.ABCSMC:
    """An ABC-SMC run on the history in ``--db``, started there if there is none. A fresh one
    for every generation: pyabc keeps the population it sets the threshold from for the life
    of the object, so a second ``run`` on it would repeat the first one's threshold."""
    abc = problem.abc(args.particles, args.cores)
    if args.db.exists():
        abc.load(f"sqlite:///{args.db}", 1)
    else:
        abc.new(f"sqlite:///{args.db}", {p.id: 0.0 for p in problem.fitted})
    return abc


def advance(problem: Calibration, generations: list[dict],
            args: argparse.Namespace) -> pyabc.History:
    """Run generations until every pattern is met, ``--generations`` ran, or the next one
    would not fit the time left; after each, record it in ``generations`` and write the
    outputs (an interrupted run keeps everything up to its last generation)."""
    start, last = time.monotonic(), 0.0
    history = None
    for _ in range(args.generations):
        left = args.minutes * 60 - (time.monotonic() - start)
        if generations and (generations[-1]["threshold"] <= MET or 2 * last > left):
            break
        began = time.monotonic()
        history = session(problem, args).run(max_nr_populations=1,
                                             max_walltime=timedelta(seconds=left))
        last = time.monotonic() - began
        population = history.get_all_populations().iloc[-1]
        runs = int(population["samples"])
        generations.append({"threshold": float(population["epsilon"]), "runs": runs,
                            "acceptance": args.particles / runs, "seconds": round(last, 1)})
        write_outputs(problem, history, generations, args.out, args.config)
        print(f"generation {len(generations)}: threshold {generations[-1]['threshold']:.3g}, "
              f"accepted {args.particles}/{runs}, {last:.0f} s "
              f"({time.monotonic() - start:.0f} s of {args.minutes * 60:.0f})", flush=True)
    return history or pyabc.History(f"sqlite:///{args.db}")


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    try:
        problem = Calibration(load_priors(args.priors), calibration_patterns(args.catalogue))
        problem.check()
    except (PriorError, patterns.PatternError, ConfigError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args.db.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("ABC").setLevel(logging.WARNING)  # progress: one line per generation
    np.random.seed(20261130)  # pyabc draws from NumPy's global generator
    record_path = args.out / "calibration.json"
    generations = (json.loads(record_path.read_text())["generations"]
                   if args.db.exists() and record_path.exists() else [])
    if args.db.exists():
        print(f"resuming {args.db} after {len(generations)} generations", flush=True)
    history = advance(problem, generations, args)
    summary = write_outputs(problem, history, generations, args.out, args.config)
    medians = {k: round(v["median"], 4) for k, v in summary["posterior"].items()}
    state = "every calibration pattern met" if summary["every_pattern_met"] else (
        f"threshold {summary['final_threshold']:.3g} > {MET:g}: not every pattern met yet; "
        "run again to continue")
    print(f"{state}\nposterior medians: {medians}\n-> {args.out}, {args.config}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
