"""The addon's layers, read from the source (issue 13's import graph): the
engine imports no other layer, the loader only the engine, the models the
loader and the engine, the wizards and the command line the layers below
them; and no module of the addon's code takes part in an import circle.

engine/tests/test_layers.py checks the engine's own layers inside it."""

from __future__ import annotations

import ast
from pathlib import Path

from engine.tests.test_layers import _cycle, _module_name, _resolve, between_modules

ADDON = Path(__file__).resolve().parents[2]
PACKAGE = "odoo.addons.crm_migration."
# layer -> the layers it may import (the engine: none; it has no Odoo import)
ALLOWED = {
    "engine": set(),
    "loader": {"engine"},
    "models": {"engine", "loader"},
    "wizards": {"engine", "loader", "models"},
    "cli": {"engine", "loader", "models"},
}


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for layer in ALLOWED
        for path in (ADDON / layer).rglob("*.py")
        if "tests" not in path.relative_to(ADDON).parts
    }


def _targets(module: str, is_package: bool, node: ast.AST) -> list[str]:
    """The addon modules an import statement may name (relative, or by the
    addon's full name)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        names = _resolve(module, is_package, node)
    return [n.removeprefix(PACKAGE) for n in names]


def _graph() -> dict[str, set[str]]:
    """module -> the addon modules it imports (at any depth of the file)."""
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                is_package = path.name == "__init__.py"
                found.update(
                    t
                    for t in _targets(name, is_package, node)
                    if t in modules and t != name
                )
        graph[name] = found
    return graph


GRAPH = _graph()


def layer_edges() -> dict[str, set[str]]:
    """layer -> the other layers its modules import."""
    edges = {layer: set() for layer in ALLOWED}
    for module, deps in GRAPH.items():
        layer = module.split(".")[0]
        edges[layer] |= {d.split(".")[0] for d in deps} - {layer}
    return edges


def test_the_graph_is_read():
    # a broken walk would pass everything
    assert "engine.plan" in GRAPH["loader.run"]
    assert "loader" in GRAPH["models.migration_loader"]
    assert "loader.rekey" in GRAPH["models.migration_project_keys"]


def test_each_layer_imports_only_the_layers_below_it():
    assert {
        layer: deps - ALLOWED[layer] for layer, deps in layer_edges().items()
    } == dict.fromkeys(ALLOWED, set())


def test_the_layers_used_today():
    # the closing note of issue 13 states this graph; a new edge is a decision
    assert layer_edges() == {
        "engine": set(),
        "loader": {"engine"},
        "models": {"engine", "loader"},
        "wizards": {"engine"},
        "cli": {"engine", "models"},
    }


def test_no_import_circle_in_the_addon():
    assert _cycle(between_modules(GRAPH)) is None
