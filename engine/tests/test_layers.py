"""The engine's layers, read from the source: imports point one way, no circle,
and no code outside a system's own source module names that system."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from engine.sources.base import SOURCES

ENGINE = Path(__file__).resolve().parents[1]
ADDON = ENGINE.parent
SYSTEM_NAMES = frozenset(SOURCES) - {"generic"}


def _module_name(path: Path) -> str:
    rel = path.relative_to(ADDON).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _engine_modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for p in ENGINE.rglob("*.py")
        if "tests" not in p.relative_to(ENGINE).parts
    }


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    """The engine modules an ``from ... import ...`` names (relative or absolute)."""
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    return [target] + [f"{target}.{a.name}" for a in node.names]


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module -> engine modules it imports (at any depth of the file)."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                cands = _resolve(name, path.name == "__init__.py", node)
            elif isinstance(node, ast.Import):
                cands = [a.name for a in node.names]
            else:
                continue
            found.update(c for c in cands if c in modules and c != name)
        graph[name] = found
    return graph


GRAPH = _imports(_engine_modules())


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_is_read():
    # the walk finds the layers it checks (a broken walk would pass everything)
    assert "engine.core.targets" in GRAPH["engine.plan"]
    assert "engine.convert.engagements" in GRAPH["engine.convert.note"]
    assert "engine.sources.base" in GRAPH["engine.records"]


def between_modules(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """``graph`` without a package's edges to its own modules and theirs to
    it (packages import their modules by design; a circle between modules is
    not)."""
    return {
        m: {d for d in deps if not m.startswith(d + ".") and not d.startswith(m + ".")}
        for m, deps in graph.items()
    }


def test_no_import_circle():
    assert _cycle(between_modules(GRAPH)) is None


def test_a_circle_is_found():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


@pytest.mark.parametrize(
    "module", sorted(m for m in GRAPH if m.startswith("engine.core"))
)
def test_core_imports_nothing_of_the_engine_outside_core(module):
    assert {d for d in GRAPH[module] if not d.startswith("engine.core")} == set()


@pytest.mark.parametrize(
    "module", sorted(m for m in GRAPH if m.startswith("engine.convert"))
)
def test_converters_never_import_sources(module):
    assert {
        d for d in GRAPH[module] if d.startswith(("engine.sources", "engine.records"))
    } == set()


def test_only_sources_import_a_system_module():
    systems = {f"engine.sources.{s}" for s in SYSTEM_NAMES}
    wrong = {
        (m, d)
        for m, deps in GRAPH.items()
        if not m.startswith("engine.sources")
        for d in deps
        if d in systems or any(d.startswith(s + ".") for s in systems)
    }
    assert wrong == set()


def _code_strings(path: Path) -> set[str]:
    """String constants of a file's code (docstrings left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(
            n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        )
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    return {
        n.value.strip().lower()
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and id(n) not in docs
    }


def _layer_files():
    for folder in ("loader", "models", "wizards", "cli", "engine"):
        for path in (ADDON / folder).rglob("*.py"):
            rel = path.relative_to(ADDON).parts
            if "tests" in rel or rel[:2] == ("engine", "sources"):
                continue
            yield path


def test_no_system_is_named_outside_its_source_module():
    named = {
        (str(p.relative_to(ADDON)), s)
        for p in _layer_files()
        for s in _code_strings(p) & SYSTEM_NAMES
    }
    assert named == set()


def test_the_odoo_layer_imports_no_system_module():
    wrong = set()
    for path in _layer_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [
                    f"{node.module or ''}.{a.name}" for a in node.names
                ]
                for name in names:
                    parts = name.split(".")
                    if "sources" in parts and set(parts) & SYSTEM_NAMES:
                        wrong.add((str(path.relative_to(ADDON)), name))
    assert wrong == set()


def test_no_comment_or_docstring_names_a_system_either():
    """The rule holds for the prose too: a comment or a docstring outside a
    system's source module that names a system ties shared code to it."""
    spelled = re.compile(
        "|".join(sorted(SYSTEM_NAMES) + [r"crm\.io", "crm connect", "500apps"]),
        re.IGNORECASE,
    )
    named = {
        (str(p.relative_to(ADDON)), number)
        for p in _layer_files()
        for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if spelled.search(line)
    }
    assert named == set()
