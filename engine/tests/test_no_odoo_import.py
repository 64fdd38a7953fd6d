"""The engine must stay importable without Odoo: no file under engine/ imports odoo, and
engine modules import each other relatively (the package is also loaded as
``odoo.addons.crm_migration.engine``) without reaching above the package."""

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1]


def _python_files():
    return sorted(p for p in ENGINE.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, 0, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, node.level, node.module or ""


def test_engine_has_python_files():
    # a module is a file or a package (its __init__.py)
    names = {
        p.parent.name if p.name == "__init__.py" else p.stem for p in _python_files()
    }
    assert {"readers", "infer", "profile", "transform", "match", "plan"} <= names


def test_no_file_imports_odoo():
    offenders = [
        f"{path.relative_to(ENGINE.parent)}:{line}: {module}"
        for path in _python_files()
        for line, level, module in _imports(path)
        if level == 0 and (module == "odoo" or module.startswith("odoo."))
    ]
    assert offenders == []


def test_engine_modules_import_engine_relatively():
    offenders = []
    for path in _python_files():
        rel = path.relative_to(ENGINE)
        if rel.parts[0] == "tests":
            continue  # tests import the package as ``engine``
        depth = len(rel.parts)  # engine/x.py -> 1, engine/sources/x.py -> 2
        for line, level, module in _imports(path):
            absolute_engine = level == 0 and (
                module == "engine" or module.startswith("engine.")
            )
            escapes = level > depth
            if absolute_engine or escapes:
                offenders.append(f"{rel}:{line}: {'.' * level}{module}")
    assert offenders == []
