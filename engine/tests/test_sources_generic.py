"""engine.sources: registry and the generic (CSV / XLSX / zip) source."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from engine.profile import profile_table
from engine.readers import ReadError
from engine.sources import base
from engine.sources.base import SOURCES, Source, get_source, register
from engine.sources.generic import GenericSource

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "generic"
HINTS = {"companies.csv": "company", "contacts.csv": "contact", "deals.xlsx": "lead"}


def test_registry():
    source = get_source("generic")
    assert isinstance(source, GenericSource) and isinstance(source, Source)
    assert SOURCES["generic"] is GenericSource
    assert source.system == "generic" and source.label
    assert get_source(" Generic ").system == "generic"
    with pytest.raises(ValueError, match="unknown source system 'nope'"):
        get_source("nope")
    with pytest.raises(ValueError, match="known: .*generic"):
        get_source("../etc")


def test_registry_is_complete_after_importing_base():
    import subprocess
    import sys

    code = "from engine.sources import base; print(sorted(base.SOURCES))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=SAMPLES.parents[1],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'generic'" in out


def test_register_a_new_source():
    @register
    class Dummy(Source):
        system = "dummy_test"
        label = "Dummy"

        def tables(self, path_or_files):
            return []

    try:
        assert isinstance(get_source("dummy_test"), Dummy)
        assert get_source("dummy_test").object_hint(None) is None
    finally:
        SOURCES.pop("dummy_test")


def test_tables_from_a_folder():
    tables = GenericSource().tables(SAMPLES)
    assert [t.name for t in tables] == ["companies.csv", "contacts.csv", "deals.xlsx"]
    tables = GenericSource().tables(str(SAMPLES))
    assert len(tables) == 3


def test_tables_from_files_bytes_and_zip():
    src = GenericSource()
    (t,) = src.tables(SAMPLES / "contacts.csv")
    assert t.encoding == "cp1252" and t.delimiter == ";"
    tables = src.tables([SAMPLES / "companies.csv", str(SAMPLES / "deals.xlsx")])
    assert [t.name for t in tables] == ["companies.csv", "deals.xlsx"]
    data = (SAMPLES / "companies.csv").read_bytes()
    (t,) = src.tables({"Empresas.csv": data})
    assert t.name == "Empresas.csv" and t.object_name == "empresas"
    (t,) = src.tables([("Empresas.csv", data)])
    assert sum(1 for _ in t.rows()) == 40
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("export/contacts.csv", (SAMPLES / "contacts.csv").read_bytes())
        zf.writestr("export/companies.csv", data)
    tables = src.tables({"crm.zip": buf.getvalue()})
    assert sorted(src.object_hint(t) for t in tables) == ["company", "contact"]


def test_bad_inputs():
    src = GenericSource()
    with pytest.raises(ReadError, match="no such file or folder"):
        src.tables("/definitely/not/here")
    with pytest.raises(ValueError):
        src.tables([42])
    with pytest.raises(ReadError):
        src.tables({"notes.pdf": b"%PDF-1.4 binary"})


@pytest.mark.parametrize("name,target", sorted(HINTS.items()))
def test_object_hint_on_samples(name, target):
    src = GenericSource()
    (table,) = src.tables(SAMPLES / name)
    assert src.object_hint(table) == target
    proposal = src.object_proposal(table, profile_table(table)["columns"])
    assert proposal.target == target and proposal.confidence >= 0.8


def test_object_hint_none_when_unsure():
    src = GenericSource()
    (table,) = src.tables({"data.csv": b"foo,bar\n1,2\n"})
    assert src.object_hint(table) is None


def test_iter_inputs_rejects_garbage():
    with pytest.raises(ValueError, match="expected a path"):
        list(base.iter_inputs([object()]))


# ------------------------------------------------------------------ the samples themselves


def _make_samples_module():
    import importlib.util
    import sys

    path = SAMPLES.parent / "make_samples.py"
    spec = importlib.util.spec_from_file_location("crm_make_samples", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_samples_are_reproducible_and_documented(tmp_path):
    mk = _make_samples_module()
    summary = mk.generate(tmp_path / "generic")
    stale = "is stale: run python samples/make_samples.py"
    for name in ("companies.csv", "contacts.csv"):
        new = (tmp_path / "generic" / name).read_bytes()
        assert new == (SAMPLES / name).read_bytes(), f"samples/generic/{name} {stale}"
    # xlsx bytes depend on the openpyxl version: compare the cells
    (new,) = GenericSource().tables(tmp_path / "generic" / "deals.xlsx")
    (old,) = GenericSource().tables(SAMPLES / "deals.xlsx")
    assert list(new.rows()) == list(old.rows()), f"samples/generic/deals.xlsx {stale}"
    readme = SAMPLES.parent / "README.md"
    copy = tmp_path / "README.md"
    copy.write_text(readme.read_text(encoding="utf-8"), encoding="utf-8")
    mk.update_readme(copy, summary)
    assert copy.read_text(encoding="utf-8") == readme.read_text(encoding="utf-8")


def test_planted_defects_are_where_the_readme_says(tmp_path):
    mk = _make_samples_module()
    summary = mk.generate(tmp_path / "generic")
    tables = {t.name: t for t in GenericSource().tables(SAMPLES)}
    rows = {name: dict(t.rows()) for name, t in tables.items()}
    for name, info in summary["files"].items():
        assert len(rows[name]) == info["rows"]
    assert len(summary["defects"]) >= 15
    for d in summary["defects"]:
        by_line = rows[d["file"]]
        if d["column"] == "(all)":  # the empty row: skipped, so no record starts there
            assert d["line"] not in by_line
            assert d["line"] - 1 in by_line and d["line"] + 1 in by_line
            continue
        assert d["line"] in by_line, d
        assert by_line[d["line"]][d["column"].strip()] == d["value"].strip(), d
    # the multi-line note shifts the following physical lines by two
    lines = sorted(rows["companies.csv"])
    assert lines[:8] == [2, 3, 4, 5, 6, 7, 10, 11]


def test_invalid_value_defects_fail_their_proposed_transform(tmp_path):
    """Each defect documented as "review item 'invalid value'" really fails the
    transform the proposer picks for its column."""
    from engine.propose import propose_fields, propose_object
    from engine.transform import TransformError, apply

    mk = _make_samples_module()
    summary = mk.generate(tmp_path / "generic")
    transforms = {}
    for table in GenericSource().tables(SAMPLES):
        prof = profile_table(table)
        target = propose_object(table.name, prof["columns"]).target
        for p in propose_fields(target, prof["columns"]):
            transforms[(table.name, p.column.strip())] = p.transform
    checked = 0
    for d in summary["defects"]:
        if "'invalid value'" not in d["expected"]:
            continue
        transform = transforms[(d["file"], d["column"].strip())]
        with pytest.raises(TransformError):
            apply(transform, d["value"], order="DMY")
        checked += 1
    assert checked >= 6


def _table(name, headers):
    from engine.readers import Table

    row = dict.fromkeys(headers, "x")
    return Table.from_records(name, lambda: [row], headers)


def test_a_list_of_the_crms_users_is_read_as_users_not_contacts():
    from engine.sources.base import get_source
    from engine.sources.generic import is_user_list

    team = _table("Team Members.csv", ["Name", "Email", "Phone", "Role", "Active"])
    users = _table("users.csv", ["Name", "Email", "Role", "Status", "Last Login"])
    logins = _table("export.csv", ["Full Name", "Email", "Role", "Last Login"])
    people = _table("users.csv", ["Name", "Email", "Company", "City", "Status"])
    members = _table("memberships.csv", ["Member Name", "Contact Email", "Status"])
    assert is_user_list(team) and is_user_list(users) and is_user_list(logins)
    assert not is_user_list(people) and not is_user_list(members)
    for system in ("generic", "crmconnect"):
        assert get_source(system).object_hint(team) == "user", system
    assert get_source("generic").object_hint(people) != "user"


def test_converted_files_by_the_words_of_their_name():
    from engine.sources.generic import converted_kind

    assert converted_kind("contact-notes-2025-12-05.csv") == "note"
    assert converted_kind("documents.csv") == "attachment"
    assert converted_kind("Tasks (1).csv") == "activity"
    assert converted_kind("Deals export.csv") is None
    assert converted_kind("Contacts_2026-11-30.csv") is None
