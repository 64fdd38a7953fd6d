"""Ploomes source offline: value rules and the saved pages' reading.

The tables built from samples/ploomes are in test_sources_ploomes_tables.py; the
API side (paging, retries, resume, delta, secrets) is in
test_sources_ploomes_api.py, against a loopback server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.readers import ReadError
from engine.sources.base import SOURCES, get_source
from engine.sources.ploomes import PloomesSource, rules
from engine.sources.ploomes.pages import PageError, dump_page, parse_page

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "ploomes"


# ------------------------------------------------------------------ rules


@pytest.mark.parametrize(
    "value, expected, problem",
    [
        ("11.222.333/0001-81", "11.222.333/0001-81", None),
        ("11222333000181", "11.222.333/0001-81", None),
        ("529.982.247-25", "529.982.247-25", None),
        ("39053344705", "390.533.447-05", None),
        (" 529 982 247 25 ", "529.982.247-25", None),
        ("", "", None),
        (None, "", None),
        (
            "11.111.111/1111-11",
            "",
            "'11.111.111/1111-11' is not a valid CNPJ: all its digits are equal",
        ),
        (
            "111.111.111-11",
            "",
            "'111.111.111-11' is not a valid CPF: all its digits are equal",
        ),
        (
            "00000000000000",
            "",
            "'00000000000000' is not a valid CNPJ: all its digits are equal",
        ),
        (
            "12.345.678/0001-00",
            "",
            "'12.345.678/0001-00' is not a valid CNPJ: the check digits do not match",
        ),
        (
            "529.982.247-26",
            "",
            "'529.982.247-26' is not a valid CPF: the check digits do not match",
        ),
        (
            "1234567",
            "",
            "'1234567' is not a CNPJ or CPF: a CNPJ has 14 digits and a CPF 11 "
            "(it has 7)",
        ),
        (
            "ISENTO",
            "",
            "'ISENTO' is not a CNPJ or CPF: it has other characters than digits",
        ),
    ],
)
def test_tax_id(value, expected, problem):
    assert rules.tax_id(value) == (expected, problem)


def test_all_equal_cpf_passes_stdnum_but_not_the_rule():
    from stdnum.br import cpf

    assert cpf.is_valid("11111111111")  # why the explicit all-equal rule exists
    assert rules.tax_id("11111111111", "CPF")[0] == ""


def test_tax_id_wording_follows_the_expected_kind():
    assert rules.tax_id("123", "CNPJ") == (
        "",
        "'123' is not a CNPJ: a CNPJ has 14 digits and a CPF 11 (it has 3)",
    )
    # a sole trader's CPF on a company is a valid document: accepted
    assert rules.tax_id("52998224725", "CNPJ") == ("529.982.247-25", None)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2023-05-04T10:20:00-03:00", "2023-05-04 13:20:00Z"),
        ("2023-05-04T10:20:00Z", "2023-05-04 10:20:00Z"),
        ("2023-05-04T23:30:00-03:00", "2023-05-05 02:30:00Z"),
        ("2023-05-04T10:20:00.1234567+02:00", "2023-05-04 08:20:00Z"),
        ("2023-05-04T10:20:00", "2023-05-04 10:20:00Z"),
        ("2023-05-04", "2023-05-04 00:00:00Z"),
        (None, ""),
    ],
)
def test_utc(value, expected):
    assert rules.utc(value) == (expected, None)


def test_utc_unreadable():
    assert rules.utc("04/05/2023") == (
        "04/05/2023",
        "'04/05/2023' is not an ISO date-time",
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1980-03-02T00:00:00-03:00", "1980-03-02"),
        ("2024-06-20T23:30:00-03:00", "2024-06-20"),  # never shifted to UTC
        ("2024-06-30", "2024-06-30"),
        ("", ""),
    ],
)
def test_date_as_written(value, expected):
    assert rules.date_as_written(value) == (expected, None)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("(11) 98765-4321", ("+5511987654321", None)),
        ("11 3456-7890", ("+551134567890", None)),
        ("+55 21 2555-0101", ("+552125550101", None)),
        ("+1 202 555 0143", ("+12025550143", None)),
        ("123", ("123", "'123' is not a possible phone number (wrong length)")),
        ("abc", ("abc", "'abc' is not a phone number")),
    ],
)
def test_phone(value, expected):
    assert rules.phone(value) == expected


def test_mobile_by_type_or_by_number():
    assert rules.is_mobile({"Type": {"Name": "Celular"}, "PhoneNumber": "1133334444"})
    assert not rules.is_mobile({"Type": {"Name": "Comercial"}, "PhoneNumber": "x"})
    assert rules.is_mobile({"Type": None, "PhoneNumber": "(21) 99876-5432"})
    assert not rules.is_mobile({"PhoneNumber": "(21) 2555-0101"})


def test_deal_status_task_kind_quote_state():
    assert [rules.deal_status(i) for i in (1, 2, 3, "2", None, 9)] == [
        "open",
        "won",
        "lost",
        "won",
        None,
        None,
    ]
    assert rules.deal_status(9, {9: "Ganho"}) == "won"
    assert [
        rules.task_kind(n)
        for n in ("Ligação", "Reunião", "Visita", "E-mail", "Tarefa", "")
    ] == ["call", "meeting", "meeting", "email", "task", "task"]
    assert rules.quote_state({}, superseded=True) == "cancel"
    assert rules.quote_state({"ExternallyAccepted": True}, False) == "sale"
    assert rules.quote_state({"ApprovalStatus": {"Name": "Aprovada"}}, False) == "sale"
    assert (
        rules.quote_state({"ApprovalStatus": {"Name": "Reprovada"}}, False) == "cancel"
    )
    assert rules.quote_state({"Shared": True}, False) == "sent"
    assert rules.quote_state({}, False) == "draft"


# ------------------------------------------------------------------ pages


def test_parse_page_errors_name_entity_and_page():
    with pytest.raises(PageError) as err:
        parse_page("Contacts", 3, b'{"value": [', skip=600)
    assert str(err.value).startswith(
        "Ploomes Contacts, page 3 ($skip=600): the page is not valid JSON"
    )
    with pytest.raises(PageError, match=r"Deals, page 1 \(page-0001.json\): expected"):
        parse_page("Deals", 1, b'[{"Id": 1}]')
    with pytest.raises(PageError, match="item 2 is str, not a record"):
        parse_page("Deals", 1, b'{"value": [{"Id": 1}, "x"]}')
    assert parse_page("Deals", 1, dump_page("Deals", [{"Id": 1}])) == [{"Id": 1}]


def test_registry_and_hints():
    assert SOURCES["ploomes"] is PloomesSource
    source = get_source("ploomes")
    tables = source.tables(SAMPLES)
    assert [(t.object_name, source.object_hint(t)) for t in tables] == [
        ("users", "user"),
        ("teams", "team"),
        ("stages", "stage"),
        ("lost_reasons", "lost_reason"),
        ("tags", "tag"),
        ("product_categories", "product_category"),
        ("products", "product"),
        ("companies", "company"),
        ("people", "contact"),
        ("deals", "lead"),
        ("quotes", "order"),
        ("quote_lines", "order_line"),
        ("orders", "order"),
        ("order_lines", "order_line"),
        ("tasks", "activity"),
    ]
    assert source.object_proposal(tables[7]).target == "company"
    assert source.object_proposal(tables[9]).confidence == 0.95
    assert source.object_proposal(tables[0]).confidence <= 0.3


def test_zip_and_members_read_like_the_folder(tmp_path):
    folder = PloomesSource()
    expected = {
        t.object_name: [r for _l, r in t.rows()] for t in folder.tables(SAMPLES)
    }
    archive = shutil.make_archive(str(tmp_path / "pull"), "zip", SAMPLES)
    for source_input in (
        archive,
        Path(archive).read_bytes(),
        {"pull.zip": Path(archive).read_bytes()},
        [
            (str(p.relative_to(SAMPLES)), p.read_bytes())
            for p in SAMPLES.rglob("page-*.json")
        ],
    ):
        source = PloomesSource()
        got = {
            t.object_name: [r for _l, r in t.rows()]
            for t in source.tables(source_input)
        }
        assert got == expected
        assert source.issues == folder.issues


def test_bad_saved_page_is_a_read_error_naming_it(tmp_path):
    copy = tmp_path / "pull"
    shutil.copytree(SAMPLES, copy)
    (copy / "Deals" / "page-0001.json").write_text('{"value": [{"Id": 1', "utf-8")
    with pytest.raises(ReadError) as err:
        PloomesSource().tables(copy)
    assert str(err.value).startswith("Deals/page-0001.json: the page is not valid JSON")
    (copy / "Deals" / "page-0001.json").unlink()
    (copy / "Deals" / "page-0002.json").write_bytes(dump_page("Deals", []))
    with pytest.raises(ReadError, match="page is missing"):
        PloomesSource().tables(copy)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ReadError, match="no Ploomes pages found"):
        PloomesSource().tables(tmp_path / "empty")
    with pytest.raises(ReadError, match="not a folder or a zip of Ploomes pages"):
        PloomesSource().tables(copy / "Deals" / "page-0002.json")
