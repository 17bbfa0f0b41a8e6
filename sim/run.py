"""``python -m sim.run``: one simulation run → one run folder (a Hydra app).

With no arguments it runs the flagship scenario, Xiaonanzhuang (小南庄), for 365 days with
seed 0, prints a summary table and writes ``results/runs/xiaonanzhuang/<time>/``. Any config
value can be overridden, e.g. ``scenario=yuxin_garden allocation=one_car_owner_first seed=7``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from sim.config import CONFIG_DIR, ConfigError, RunConfig, register_schemas, to_run_config
from sim.model import CommunityModel
from sim.output import MARKER, write_run

PACKAGES = ("shangliang", "mesa", "numpy", "scipy", "networkx", "pandas", "pyarrow", "hydra-core")

register_schemas()


def config_hash(cfg: DictConfig) -> str:
    """SHA-256 of the resolved config, without where outputs go (it does not change results)."""
    data = OmegaConf.to_container(cfg, resolve=True)
    data.pop("out", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages a result depends on."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def simulate(config: RunConfig) -> CommunityModel:
    """Build the model and run it for ``config.days`` days."""
    model = CommunityModel(config)
    for _ in range(config.days):
        model.step()
    return model


def run_to_folder(config: RunConfig, cfg: DictConfig, folder: Path) -> dict:
    """Simulate and write the run folder; return the summary that was written."""
    start = time.perf_counter()
    model = simulate(config)
    model_seconds = time.perf_counter() - start
    summary = {
        "scenario": config.scenario.name,
        "allocation": config.allocation.name,
        "seed": config.seed,
        "days": config.days,
        "config_hash": config_hash(cfg),
        "versions": package_versions(),
        "model_seconds": model_seconds,
        **model.summary(),
    }
    tables = model.tables()
    summary["wall_seconds"] = time.perf_counter() - start
    write_run(folder, OmegaConf.to_yaml(cfg, resolve=True), tables, summary)
    return summary


def format_summary(summary: dict, folder: Path) -> str:
    """A short table of the end-of-run outcomes for the terminal."""

    def pct(key):
        value = summary[key]
        return "n/a" if value is None else f"{100 * value:5.1f} %"

    rows = [
        ("cars with a legal space (last night)", pct("final_car_coverage")),
        ("car-owning households with a space", pct("final_household_coverage")),
        ("  owners / tenants", f"{pct('final_owner_coverage')} / {pct('final_tenant_coverage')}"),
        ("cars parked illegally (last night)", f"{summary['final_illegal_parking']}"),
        ("conflicts / settled by leads (total)",
         f"{summary['total_conflicts']} / {summary['total_mediated']}"),
        ("hotline complaints 12345 (total)", f"{summary['total_complaints']}"),
        ("fee payment rate (last month)", pct("final_fee_payment_rate")),
        ("property firms present", f"{summary['final_firms_present']}"),
        ("mean satisfaction", f"{summary['final_satisfaction']:.3f}"),
        ("support for the proposal", f"{summary['final_support']:.3f}"),
    ]
    width = max(len(label) for label, _ in rows)
    head = (f"{summary['scenario']} · {summary['allocation']} · seed {summary['seed']} · "
            f"{summary['days']} days · {summary['wall_seconds']:.2f} s")
    lines = [head, "-" * len(head)] + [f"{label:<{width}}  {value}" for label, value in rows]
    lines.append(f"run folder: {folder}")
    return "\n".join(lines)


def fail(message: str, folder: Path | None) -> None:
    """Report a user error in a few lines and exit non-zero, leaving no run folder behind."""
    if folder is not None and folder.is_dir() and not (folder / MARKER).exists():
        shutil.rmtree(folder, ignore_errors=True)
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> dict | None:
    """Hydra entry point: check the config, run, write the folder, print the summary."""
    folder = Path(HydraConfig.get().runtime.output_dir)
    try:
        config = to_run_config(cfg)
    except ConfigError as error:
        fail(str(error), folder)
    summary = run_to_folder(config, cfg, folder)
    print(format_summary(summary, folder))
    return summary


if __name__ == "__main__":
    main()
