"""The loader's shape: plain Python that imports the engine and never the
models (models import the loader, not the other way round), in files of at
most 600 lines."""

import ast
import doctest
from pathlib import Path

from odoo.tests import BaseCase, tagged

ADDON = Path(__file__).resolve().parents[1]
LOADER = ADDON / "loader"


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield node.level, node.module or ""
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield 0, alias.name


def _resolved(path, level, module):
    """The addon-relative dotted name of an import of ``path``."""
    if not level:
        return module
    package = path.relative_to(ADDON).parent.parts
    base = package[: len(package) - level + 1]
    return ".".join([*base, module] if module else base)


@tagged("post_install", "-at_install")
class TestLoaderImports(BaseCase):
    def _files(self):
        return sorted(LOADER.rglob("*.py"))

    def test_the_loader_never_imports_the_models(self):
        offenders = [
            f"{path.relative_to(ADDON)}: {_resolved(path, level, module)}"
            for path in self._files()
            for level, module in _imports(path)
            if _resolved(path, level, module).split(".")[0]
            in ("models", "wizards", "cli")
            or "crm_migration.models" in module
        ]
        self.assertEqual(offenders, [])

    def test_the_loader_imports_the_engine(self):
        roots = {
            _resolved(path, level, module).split(".")[0]
            for path in self._files()
            for level, module in _imports(path)
            if level
        }
        self.assertEqual(roots, {"engine", "loader"})

    def test_files_are_short(self):
        long_files = {
            str(path.relative_to(ADDON)): n
            for path in [*self._files(), ADDON / "models" / "migration_loader.py"]
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
        }
        self.assertEqual(long_files, {})

    def test_small_helpers_doctests(self):
        """The examples in the docstrings of the small pure helpers hold."""
        from ..loader import classify, common
        from ..loader.handlers import invoice, lead

        for module in (common, classify, lead, invoice):
            result = doctest.testmod(module, verbose=False, report=False)
            self.assertGreater(result.attempted, 0, module.__name__)
            self.assertEqual(result.failed, 0, module.__name__)

    def test_translations_are_called_where_env_is(self):
        """_() finds the language in the caller's self.env: a module-level
        function of the loader never calls it (it would log a warning)."""
        offenders = []
        for path in self._files():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and any(
                    isinstance(call, ast.Call) and getattr(call.func, "id", "") == "_"
                    for call in ast.walk(node)
                ):
                    offenders.append(f"{path.name}: {node.name}")
        self.assertEqual(offenders, [])
