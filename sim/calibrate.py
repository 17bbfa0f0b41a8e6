"""``python -m sim.calibrate``: fit the free behavioural parameters to the ``calibration``
patterns by approximate Bayesian computation (ABC-SMC, pyabc).

The priors and their justifications are in ``validation/priors.yaml``; the patterns in
``validation/patterns.yaml`` (only those of kind ``calibration``: the ``validation`` ones are
never used to fit). A particle runs every calibration pattern's setting once, with a seed
derived from its parameter values (the same particle gives the same runs), and its distance is
the sum over patterns of how far each output misses its target, in units of the target's width.
The run is resumable: the ABC history lives in ``<out>/abc.db`` and running the command again
continues it with more generations. It writes

- ``<out>/posterior.csv``: the last generation's particles (dotted keys) and weights;
- ``<out>/record.json``: what was fitted to what — priors, patterns, generations, thresholds;
- ``configs/behaviour/calibrated.yaml``: the behaviour config with the posterior medians
  (``behaviour=calibrated``).

    python -m sim.calibrate                          # 200 particles, 8 generations, 2 cores
    python -m sim.calibrate --particles 8 --generations 2 --out /tmp/cal --config /tmp/c.yaml
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sim import patterns
from sim.config import CONFIG_DIR, ConfigError
from sim.output import write_atomic, write_json, write_text
from sim.validate import measure, run

ROOT = Path(__file__).resolve().parent.parent
PRIORS = ROOT / "validation" / "priors.yaml"


class PriorError(ValueError):
    """A malformed prior: names the parameter, the key, the value and what is allowed."""


def load_priors(path: Path = PRIORS) -> dict[str, tuple[float, float]]:
    """``{dotted key: (low, high)}`` of the uniform priors, checked.

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
        priors[key] = (float(low), float(high))
    if not priors:
        raise PriorError(f"{path}: parameters = {{}}: nothing to calibrate")
    return priors


def miss(value: float, target: patterns.Target) -> float:
    """How far an output misses a value or range target, in units of the target's width
    (the range's width, or the value itself, at least 1); a missing output misses by 10."""
    if math.isnan(value):
        return 10.0
    if target.value is not None:
        return abs(value - target.value) / max(abs(target.value), 1.0)
    low, high = target.range
    width = (high - low) or max(abs(high), 1.0)  # a one-point range counts in its own units
    return max(low - value, value - high, 0.0) / width


def particle_seed(parameters: dict) -> int:
    """A seed from a particle's parameter values: the same particle, the same runs."""
    text = json.dumps({k: round(float(v), 12) for k, v in sorted(parameters.items())})
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


class Calibration:
    """The ABC problem: the priors, the calibration patterns, the model and the distance."""

    def __init__(self, priors: dict[str, tuple[float, float]], fitted: list[patterns.Pattern]):
        self.priors, self.fitted = priors, fitted
        self.names = {key: key.replace(".", "__") for key in priors}  # pyabc-safe names

    def model(self, particle) -> dict:
        """Run every calibration pattern once with the particle's parameters."""
        parameters = {key: float(particle[name]) for key, name in self.names.items()}
        seed = particle_seed(parameters)
        return {p.id: measure(p.output, run(p.setting, parameters, seed)) for p in self.fitted}

    def distance(self, simulated: dict, _observed: dict) -> float:
        """The summed misses of every calibration pattern."""
        return float(sum(miss(simulated[p.id], p.target) for p in self.fitted))

    def abc(self, particles: int, cores: int):
        """The pyabc ABC-SMC object (uniform priors, adaptive quantile thresholds)."""
        import pyabc

        prior = pyabc.Distribution(**{name: pyabc.RV("uniform", low, high - low)
                                      for (low, high), name in zip(self.priors.values(),
                                                                   self.names.values(),
                                                                   strict=True)})
        sampler = (pyabc.sampler.SingleCoreSampler() if cores == 1
                   else pyabc.sampler.MulticoreEvalParallelSampler(n_procs=cores))
        return pyabc.ABCSMC(self.model, prior, self.distance, population_size=particles,
                            sampler=sampler)


def posterior(history, names: dict[str, str]) -> pd.DataFrame:
    """The last generation's particles with dotted keys and their normalised weights."""
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    frame = frame.rename(columns={v: k for k, v in names.items()})[list(names)]
    return frame.reset_index(drop=True).assign(weight=np.asarray(weights) / np.sum(weights))


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The smallest value with at least half the weight at or below it."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / np.sum(weights)
    return float(values[order][np.searchsorted(cumulative, 0.5)])


def calibrated_behaviour(medians: dict[str, float]) -> str:
    """The behaviour config with the posterior medians in place of the defaults."""
    behaviour = OmegaConf.load(CONFIG_DIR / "behaviour" / "default.yaml")
    for key, value in medians.items():
        OmegaConf.update(behaviour, key.removeprefix("behaviour."), float(value))
    header = ("# Generated by `python -m sim.calibrate` (ABC-SMC posterior medians); do not edit.\n"
              "# What was fitted to what: results/calibration/record.json.\n")
    return header + OmegaConf.to_yaml(behaviour)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=200)
    parser.add_argument("--generations", type=int, default=8,
                        help="generations to add in this call (the history is resumed)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--priors", type=Path, default=PRIORS)
    parser.add_argument("--catalogue", type=Path, default=patterns.CATALOGUE)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "calibration")
    parser.add_argument("--config", type=Path,
                        default=CONFIG_DIR / "behaviour" / "calibrated.yaml")
    args = parser.parse_args(argv)
    for key in ("particles", "generations", "cores"):
        if getattr(args, key) < 1:
            print(f"error: --{key} = {getattr(args, key)}: must be at least 1", file=sys.stderr)
            return 2
    try:
        priors = load_priors(args.priors)
        fitted = [p for p in patterns.load(args.catalogue) if p.kind == "calibration"]
        if not fitted:
            raise PriorError(f"{args.catalogue}: no pattern of kind calibration")
    except (PriorError, patterns.PatternError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    problem = Calibration(priors, fitted)
    abc = problem.abc(args.particles, args.cores)
    args.out.mkdir(parents=True, exist_ok=True)
    database = args.out / "abc.db"
    logging.getLogger("ABC").setLevel(logging.INFO)  # one progress line per generation
    np.random.seed(20261130)  # pyabc draws from NumPy's global generator
    try:
        if database.exists():
            abc.load(f"sqlite:///{database}", 1)
            print(f"resuming {database}", flush=True)
        else:
            abc.new(f"sqlite:///{database}", {p.id: 0.0 for p in fitted})
        history = abc.run(max_nr_populations=args.generations, minimum_epsilon=0.0)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    frame = posterior(history, problem.names)
    medians = {key: weighted_median(frame[key].to_numpy(), frame["weight"].to_numpy())
               for key in priors}
    populations = history.get_all_populations()
    record = {
        "fitted_to": [{"id": p.id, "output": p.output, "setting": list(p.setting),
                       "target": (p.target.value if p.target.value is not None
                                  else list(p.target.range))} for p in fitted],
        "priors": {k: list(v) for k, v in priors.items()},
        "particles": args.particles, "generations": int(history.max_t) + 1,
        "epsilons": [float(e) for e in populations["epsilon"].iloc[1:]],
        "posterior_medians": medians,
    }
    write_atomic(args.out / "posterior.csv", lambda tmp: frame.to_csv(tmp, index=False))
    write_json(args.out / "record.json", record)
    write_text(args.config, calibrated_behaviour(medians))
    print(f"posterior medians: {medians}\n-> {args.out}, {args.config}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
