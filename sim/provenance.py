"""Where a run's result came from: its config's hash, the package versions, the source code.

Each run's ``summary.json`` records them and :mod:`sim.collect` turns them into columns of the
runs table, so a number in a paper can be traced to the code and the libraries that made it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

PACKAGES = ("shangliang", "mesa", "numpy", "scipy", "networkx", "pandas", "pyarrow",
            "hydra-core", "omegaconf")
"""Distributions whose versions a result depends on."""

SOURCE = Path(__file__).resolve().parent.parent
"""The folder above the ``sim`` package: a git checkout when run from one."""


def config_hash(cfg: DictConfig) -> str:
    """SHA-256 of the resolved config, without where and how outputs are kept and how a
    district's communities are cut into jobs (none of which changes results)."""
    data = OmegaConf.to_container(cfg, resolve=True)
    data.pop("out", None)
    data.pop("store", None)
    for key in ("block", "blocks"):
        (data.get("district") or {}).pop(key, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@functools.cache
def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages a result depends on."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _git(*args: str) -> str | None:
    """The output of a git command in :data:`SOURCE`, or None if it fails (no git, no
    checkout: an installed wheel)."""
    try:
        done = subprocess.run(["git", "-C", str(SOURCE), *args], capture_output=True,
                              text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


@functools.cache
def source_state() -> dict[str, str | bool | None]:
    """The git commit of the code and whether it had changes not committed yet.

    Returns:
        ``{"git_commit": hash, "git_dirty": bool}``; both None when the code is not a git
        checkout of its own (an installed wheel).
    """
    top = _git("rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != SOURCE:
        return {"git_commit": None, "git_dirty": None}
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"git_commit": _git("rev-parse", "HEAD"),
            "git_dirty": None if status is None else bool(status)}
