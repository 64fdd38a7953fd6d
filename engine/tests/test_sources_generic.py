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
