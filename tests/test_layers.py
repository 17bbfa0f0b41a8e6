"""The layout of sim/ is its architecture: no import circles, and no layer imports a higher one.

Every import of every module counts — at the top, inside a function or only for type
checking — because each is a dependency someone reading or changing the code must follow.
"""

import ast
from pathlib import Path

import networkx as nx
import pytest

SIM = Path(__file__).resolve().parent.parent / "sim"

LAYERS = (
    ("foundation", ("sim.config", "sim.errors", "sim.limits")),
    ("rules", ("sim.rules",)),
    ("estate", ("sim.estate",)),
    ("resources", ("sim.resources",)),
    ("negotiation", ("sim.negotiation",)),
    ("model", ("sim.model", "sim.metrics", "sim.compose", "sim.daily_table", "sim.lockstep",
               "sim.fast_path", "sim.compiled")),
    ("harness", ("sim.run", "sim.sweep", "sim.collect", "sim.output", "sim.progress",
                 "sim.provenance", "sim.cli", "sim.api", "sim.bench_reference", "sim.designs",
                 "sim.patterns", "sim.batch", "sim.parts", "sim.packing", "sim.points")),
    ("views", ("sim.views",)),
    ("commands", ("sim.compare", "sim.brief", "sim.app", "sim.bench", "sim.validate",
                  "sim.calibrate", "sim")),
)
"""Each layer and the modules or packages in it, lowest first. The commands that draw
(compare, brief, app, bench, validate, calibrate) sit on the views; ``sim`` itself offers
:func:`sim.simulate`."""


def module_name(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in SIM.rglob("*.py")}


def layer_of(module: str) -> int:
    """The index in :data:`LAYERS` of the layer that holds ``module`` (its longest prefix)."""
    best, rank = "", None
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, rank = prefix, i
    assert rank is not None, f"{module} is in no layer: add it to LAYERS"
    return rank


def owning_module(name: str) -> str | None:
    """The module of ``sim`` that ``name`` (a module or a name in one) resolves to."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports(module: str) -> set[str]:
    """The modules of ``sim`` that ``module`` imports, anywhere in its file."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {owning_module(name) for name in names if name.split(".")[0] == "sim"}
    return found - {None, module}


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(MODULES)
    g.add_edges_from((module, other) for module in MODULES for other in imports(module))
    return g


def test_every_module_is_in_a_layer():
    for module in MODULES:
        layer_of(module)


def test_no_import_circles(graph):
    circles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not circles, f"modules that import each other, directly or not: {circles}"


def test_no_layer_imports_a_higher_one(graph):
    upward = [f"{a} ({LAYERS[layer_of(a)][0]}) imports {b} ({LAYERS[layer_of(b)][0]})"
              for a, b in graph.edges if layer_of(b) > layer_of(a)]
    assert not upward, "\n".join(upward)


def test_the_check_sees_imports_in_functions_and_for_type_checking():
    assert "sim.model" in imports("sim.api")
    assert {"sim.config", "sim.rules.registry"} <= imports("sim.rules.catalogue") | {"sim.config"}
