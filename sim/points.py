"""A design's points: the rows of a CSV file of overrides (e.g. a SALib sample), the block of
them one job runs, and a point set on a composed config.

The sweeper's ``hydra.sweeper.design`` runs each row as a point named ``sample=<row>``. With
``hydra.sweeper.design_blocks=B`` it packs them: job ``b`` runs the rows ``i`` with
``i % B == b`` (``design.block``), each with every replicate seed, and keeps them as Parquet
parts. A packed point's config is the job's config with the row's values set and the design
section back at its defaults: the config of that point run alone, so its runs are the same
whichever block runs them.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.config import ConfigError, DesignConfig

Point = tuple[str, dict[str, str]]
"""A design point: its label (the zero-padded row number) and its ``{key: value as written}``."""


def read_points(path: str | Path) -> list[Point]:
    """Every row of a design file as a point, labels as wide as the last row's number.

    Raises:
        ConfigError: if the file does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError("design.file", str(path), "no such file (a CSV file with one column "
                          "per override key; relative to the current folder)")
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    width = len(str(max(len(rows) - 1, 0)))
    return [(f"{i:0{width}d}", row) for i, row in enumerate(rows)]


def block_points(points: list[Point], block: int, blocks: int) -> list[Point]:
    """The points of ``block``: rows ``i`` with ``i % blocks == block``, in order (striped, so
    every block holds points from the whole design)."""
    return points[block::blocks]


def apply_point(cfg: DictConfig, values: dict[str, str]) -> DictConfig:
    """A copy of ``cfg`` with each ``key=value`` of a point set (typed as Hydra types an
    override) and the design section at its defaults.

    Raises:
        ConfigError: for a key that is no value of the config (a config group such as
            ``package`` cannot vary inside a packed design: sweep it in ``hydra.sweeper.params``)
            or a value of the wrong type.
    """
    parser = OverridesParser.create()
    point = cfg.copy()
    OmegaConf.update(point, "design", OmegaConf.structured(DesignConfig()), merge=False)
    for key, written in values.items():
        if isinstance(OmegaConf.select(point, key, default=point), DictConfig):
            raise ConfigError(key, written, "is no value of the config: a packed design sets "
                              "values only (sweep config groups, e.g. package, in "
                              "hydra.sweeper.params)")
        (override,) = parser.parse_overrides([f"{key}={written}"])
        try:
            OmegaConf.update(point, key, override.value())
        except OmegaConfBaseException as error:
            reason = str(error).splitlines()[0]
            raise ConfigError(key, written, f"not a value this key takes ({reason})") from None
    return point
