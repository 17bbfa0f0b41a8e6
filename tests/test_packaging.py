"""The package as others get it: a wheel that runs anywhere, every import declared, a licence
and a citation that agree with pyproject.toml."""

import ast
import json
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import packages_distributions, requires
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def declared(*extras: str) -> set[str]:
    """Distributions required by the core package and ``extras``."""
    lines = PYPROJECT["dependencies"] + [
        line for extra in extras for line in PYPROJECT["optional-dependencies"][extra]]
    return {canonicalize_name(Requirement(line).name) for line in lines}


def with_requirements(names: set[str]) -> set[str]:
    """``names`` and what they require (a meta-package such as solara stands for solara-ui)."""
    required = {canonicalize_name(Requirement(line).name)
                for name in names for line in (requires(name) or [])}
    return names | required


def imported(paths: list[Path]) -> set[str]:
    """Top-level modules imported by these files, other than the standard library's and ours."""
    names = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"sim", "hydra_plugins", "__future__"}


def test_every_third_party_import_is_a_declared_dependency():
    distributions = packages_distributions()
    sources = sorted((ROOT / "sim").rglob("*.py")) + sorted((ROOT / "hydra_plugins").rglob("*.py"))
    app = [p for p in sources
           if {ROOT / "sim" / "app", ROOT / "sim" / "views" / "app"} & set(p.parents)]
    calibrate = ROOT / "sim" / "calibrate.py"
    for paths, allowed in (([p for p in sources if p not in (*app, calibrate)], declared()),
                           (app, with_requirements(declared("app"))),
                           ([calibrate], with_requirements(declared("analysis")))):
        for module in imported(paths):
            names = {canonicalize_name(d) for d in distributions.get(module, [module])}
            assert names & allowed, f"{module} is imported but not declared ({names})"


def test_licence_and_citation_agree_with_the_package():
    assert PYPROJECT["license"] == {"text": "MIT"}
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["license"] == "MIT" and citation["version"] == PYPROJECT["version"]
    assert citation["title"].startswith("shangliang") and citation["authors"]


def test_the_wheel_runs_from_an_empty_folder_outside_the_repository(tmp_path):
    source = tmp_path / "source"  # a clean copy: building leaves build/ behind
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "results", "build", "dist", "*.egg-info", "__pycache__", ".*cache",
        ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("shangliang-*.whl")

    # A fresh environment holding only the wheel; the dependencies come from this one's
    # site-packages (added by a .pth file, which makes no package of it importable as ours).
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['purelib'])"], capture_output=True, text=True,
                               check=True).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", str(wheel)], check=True, capture_output=True, timeout=300)

    empty = tmp_path / "empty"
    empty.mkdir()
    where = subprocess.run([python, "-c", "import sim; print(sim.__file__)"], cwd=empty,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site))
    result = subprocess.run([python, "-m", "sim.run", "days=30"], cwd=empty,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (marker,) = (empty / "results" / "runs" / "xiaonanzhuang").glob("*/COMPLETE")
    summary = json.loads((marker.parent / "summary.json").read_text(encoding="utf-8"))
    assert summary["days"] == 30
    assert summary["git_commit"] is None and summary["git_dirty"] is None  # not a checkout
    assert summary["versions"]["shangliang"] == PYPROJECT["version"]
