"""Every input a converter reads (a role: an alias tuple, engine.core.roles)
declares the kind of values it holds, and engine/columns.py checks a proposed
column against that kind: a column of another kind is refused for it.

The roles are enumerated from the converters' own code: every alias tuple
given to the row readers (``get``, ``col``, ``read``, ``read_at``, ``number``,
``created_in``, ``updated_in``), literal or by name, and every module-level
``A_*`` constant or :class:`Role` of the converter modules."""

import ast
import importlib
from pathlib import Path

import pytest

from engine import columns
from engine.core.roles import DECLARED, KINDS, Role, declared_kind, role_key

ENGINE = Path(__file__).resolve().parents[1]
# the modules that convert rows (the generic rules and each source system's)
CONVERTERS = ("convert", "sources", "records.py", "lookup.py")
READERS = frozenset(
    {"get", "col", "read", "read_at", "number", "created_in", "updated_in"}
)
GOOD = {
    "date": ["2024-01-05", "03/04/2024 10:30", "2022-03-06T14:00:00Z"],
    "bool": ["Yes", "No", "true"],
    "number": ["3", "4.5", "10%"],
    "money": ["$4,131.50", "12", "349.12"],
    "email": ["ann@example.com", "Bob@Example.org "],
    "id": ["40100246", "CRM-PRO", "a1b2c3d4-e5f6"],
    "text": ["Ann Smith", "anything at all"],
}
BAD = {
    "date": ["soon", "later", "never"],
    "bool": ["maybe", "perhaps", "blue"],
    "number": ["many", "few", "some"],
    "money": ["lots", "none", "plenty"],
    "email": ["Ann Smith", "Bob Jones", "not an address"],
    "id": ["Ann Smith", "two words here", "a b"],
}


def _modules():
    for path in sorted(ENGINE.rglob("*.py")):
        rel = path.relative_to(ENGINE)
        if "tests" in rel.parts or not rel.parts[0].startswith(CONVERTERS):
            continue
        name = ".".join(("engine", *rel.with_suffix("").parts))
        yield path, importlib.import_module(name.removesuffix(".__init__"))


def _alias_tuple(value):
    return isinstance(value, tuple) and value and all(isinstance(v, str) for v in value)


def all_roles():
    """{role key: (alias tuple, where)} of every converter input."""
    found = {}

    def add(value, where):
        if _alias_tuple(value):
            found.setdefault(role_key(value), []).append((value, where))

    for path, module in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            # the readers are functions (a dict's .get is no row reader)
            if getattr(node.func, "id", None) not in READERS:
                continue
            arg = node.args[1]
            if isinstance(arg, ast.Tuple):
                try:
                    add(ast.literal_eval(arg), f"{module.__name__}:{node.lineno}")
                except ValueError:
                    continue
            elif isinstance(arg, ast.Name):
                add(getattr(module, arg.id, None), f"{module.__name__}:{arg.id}")
        for name, value in vars(module).items():
            if name.startswith("A_") or isinstance(value, Role):
                add(value, f"{module.__name__}:{name}")
    return found


ROLES = all_roles()


def test_the_enumeration_finds_the_converters_inputs():
    # a sanity floor: the scan reads the converters, not an empty tree
    assert len(ROLES) > 80
    for key in ("due date", "quote number", "review number", "section", "unit price"):
        assert key in ROLES, key


@pytest.mark.parametrize("key", sorted(ROLES))
def test_every_role_declares_its_kind(key):
    kinds = {declared_kind(aliases) for aliases, _where in ROLES[key]}
    where = [w for _a, w in ROLES[key]]
    assert None not in kinds, f"role {key!r} ({where}) declares no kind"
    # one key, one kind: a column choice binds roles by their key
    assert len(kinds) == 1, f"role {key!r} has several kinds {kinds}: {where}"
    assert kinds <= set(KINDS)


def test_declared_table_names_only_roles_the_converters_read():
    assert not set(DECLARED) - set(ROLES), set(DECLARED) - set(ROLES)


@pytest.mark.parametrize("key", sorted(ROLES))
def test_columns_type_checks_every_role(key):
    aliases = ROLES[key][0][0]
    kind = declared_kind(aliases)
    header = aliases[0]
    good = columns._choose(key, aliases, [{header: v} for v in GOOD[kind]])
    assert (good.kind, good.column) == (kind, header)
    if kind == "text":
        return
    bad = columns._choose(key, aliases, [{header: v} for v in BAD[kind]])
    assert bad.column is None, f"{key!r} ({kind}) took {BAD[kind]}"
    assert header in bad.rejected


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "text"])
def test_values_fit_tells_each_kind_apart(kind):
    assert columns.values_fit(kind, GOOD[kind])[0] is True
    assert columns.values_fit(kind, BAD[kind])[0] is False
