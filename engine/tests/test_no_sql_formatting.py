"""No SQL built by string formatting anywhere in the addon: every query is a
constant string with parameters, or odoo.tools.SQL with its own placeholders
and identifiers. Reads the code (ast), so a new f-string query fails here."""

import ast
import os

ROOT = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir)
FOLDERS = ("models", "loader", "wizards", "cli", "engine", "tools", "bench")


def _formatted(node):
    """Whether an expression builds a string by formatting."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return isinstance(node.left, (ast.Constant, ast.JoinedStr, ast.BinOp)) and (
            not isinstance(node.left, ast.Constant) or isinstance(node.left.value, str)
        )
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def offenders():
    found = []
    for folder in FOLDERS:
        for dirpath, _dirs, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if not name.endswith(".py"):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as fh:
                    tree = ast.parse(fh.read(), path)
                for node in ast.walk(tree):
                    if not isinstance(node, ast.Call) or not node.args:
                        continue
                    func = node.func
                    called = getattr(func, "attr", None) or getattr(func, "id", None)
                    if called in ("execute", "executemany", "SQL") and _formatted(
                        node.args[0]
                    ):
                        rel = os.path.relpath(path, ROOT)
                        found.append(f"{rel}:{node.lineno}")
    return found


def test_no_query_is_built_by_string_formatting():
    assert offenders() == []


def test_the_check_sees_a_formatted_query(tmp_path):
    tree = ast.parse(
        'cr.execute(f"SELECT * FROM {table}")\ncr.execute("SELECT %s" % x)'
    )
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args]
    assert [_formatted(c.args[0]) for c in calls] == [True, True]
    safe = ast.parse('cr.execute("SELECT id FROM t WHERE a = %s", (a,))')
    (call,) = [n for n in ast.walk(safe) if isinstance(n, ast.Call)]
    assert not _formatted(call.args[0])
