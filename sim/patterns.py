"""The pattern catalogue (``validation/patterns.yaml``): what the model is checked against.

Each pattern names its source (an article case, a law, a cited study), the quantity, the model
output it maps to, the setting it is measured in, a target and its kind:

- ``input``: the value is set in a config file or code (the model cannot fail it);
- ``calibration``: may be used to fit the free behavioural parameters;
- ``validation``: never used to fit; a check of what the model produces.

Pattern-oriented modelling (Grimm et al. 2005): several weak patterns at once, some held back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

CATALOGUE = Path(__file__).resolve().parent.parent / "validation" / "patterns.yaml"
KINDS = ("input", "calibration", "validation")
DIRECTIONS = ("higher", "lower")
FIELDS = {"id", "source", "quantity", "output", "setting", "target", "kind", "note"}


class PatternError(ValueError):
    """A malformed catalogue entry: names the pattern, the key, the value and what is allowed."""

    def __init__(self, pattern: str, key: str, value: Any, allowed: str):
        super().__init__(f"pattern {pattern!r}: {key} = {value!r}: {allowed}")


@dataclass(frozen=True)
class Target:
    """What the output should be: a ``value`` (within ``tolerance`` either side, where the
    source's precision is stated), a closed ``range`` [low, high] (``.inf`` for no upper
    bound), a ``direction`` relative to the same output under the ``compare`` overrides, or a
    ``share`` [low, high] of the runs in which a yes-or-no output (1 or 0) is yes."""

    value: float | None = None
    range: tuple[float, float] | None = None
    direction: str | None = None
    share: tuple[float, float] | None = None
    compare: tuple[str, ...] = ()
    tolerance: float | None = None


@dataclass(frozen=True)
class Pattern:
    """One entry of the catalogue (see the module docstring)."""

    id: str
    source: str
    quantity: str
    output: str | None
    target: Target
    kind: str
    setting: tuple[str, ...] = ()
    note: str = ""


def _target(pid: str, raw: Any) -> Target:
    if not isinstance(raw, dict):
        raise PatternError(pid, "target", raw, "must be a mapping with value, range or direction")
    given = [k for k in ("value", "range", "direction", "share") if k in raw]
    unknown = set(raw) - {"value", "range", "direction", "share", "compare", "tolerance"}
    if len(given) != 1 or unknown or ("tolerance" in raw and "value" not in raw):
        raise PatternError(pid, "target", raw, "needs exactly one of value, range, direction, "
                           "share (and compare with a direction, tolerance with a value)")
    if "value" in raw:
        if not isinstance(raw["value"], int | float) or isinstance(raw["value"], bool):
            raise PatternError(pid, "target.value", raw["value"], "must be a number")
        tolerance = raw.get("tolerance")
        if tolerance is not None and (not isinstance(tolerance, int | float)
                                      or isinstance(tolerance, bool) or not tolerance > 0):
            raise PatternError(pid, "target.tolerance", tolerance, "must be a number above 0")
        return Target(value=float(raw["value"]),
                      tolerance=None if tolerance is None else float(tolerance))
    if "range" in raw:
        bounds = raw["range"]
        if (not isinstance(bounds, list) or len(bounds) != 2
                or not all(isinstance(b, int | float) for b in bounds) or bounds[0] > bounds[1]):
            raise PatternError(pid, "target.range", bounds, "must be [low, high] with low ≤ high")
        return Target(range=(float(bounds[0]), float(bounds[1])))
    if "share" in raw:
        bounds = raw["share"]
        if (not isinstance(bounds, list) or len(bounds) != 2
                or not all(isinstance(b, int | float) and not isinstance(b, bool)
                           for b in bounds) or not 0 <= bounds[0] <= bounds[1] <= 1):
            raise PatternError(pid, "target.share", bounds,
                               "must be [low, high] with 0 ≤ low ≤ high ≤ 1")
        return Target(share=(float(bounds[0]), float(bounds[1])))
    if raw["direction"] not in DIRECTIONS:
        raise PatternError(pid, "target.direction", raw["direction"],
                           f"must be one of {', '.join(DIRECTIONS)}")
    compare = raw.get("compare")
    if not isinstance(compare, list) or not compare:
        raise PatternError(pid, "target.compare", compare,
                           "a direction needs the overrides it is compared with (a list)")
    return Target(direction=raw["direction"], compare=tuple(map(str, compare)))


def parse(entry: Any, index: int) -> Pattern:
    """One checked pattern from its YAML mapping.

    Raises:
        PatternError: for a missing, unknown or malformed key.
    """
    if not isinstance(entry, dict):
        raise PatternError(f"#{index}", "entry", entry, "must be a mapping")
    pid = str(entry.get("id", f"#{index}"))
    unknown = set(entry) - FIELDS
    if unknown:
        raise PatternError(pid, "keys", sorted(unknown), f"unknown; allowed: {sorted(FIELDS)}")
    for key in ("id", "source", "quantity", "kind", "target"):
        if not entry.get(key):
            raise PatternError(pid, key, entry.get(key), "is required")
    if entry["kind"] not in KINDS:
        raise PatternError(pid, "kind", entry["kind"], f"must be one of {', '.join(KINDS)}")
    setting = entry.get("setting", [])
    if not isinstance(setting, list):
        raise PatternError(pid, "setting", setting, "must be a list of overrides")
    output = entry.get("output")
    if output is None and entry["kind"] != "input":
        raise PatternError(pid, "output", output, "only an input may map to no model output")
    return Pattern(id=pid, source=entry["source"], quantity=entry["quantity"], output=output,
                   target=_target(pid, entry["target"]), kind=entry["kind"],
                   setting=tuple(map(str, setting)), note=entry.get("note", ""))


def load(path: Path = CATALOGUE) -> list[Pattern]:
    """Every pattern of the catalogue, checked.

    Raises:
        PatternError: for the first malformed entry or a repeated id.
    """
    raw = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
    entries = raw.get("patterns") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise PatternError("catalogue", "patterns", type(entries).__name__, "must be a list")
    patterns = [parse(entry, i) for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for p in patterns:
        if p.id in seen:
            raise PatternError(p.id, "id", p.id, "must be unique")
        seen.add(p.id)
    return patterns
