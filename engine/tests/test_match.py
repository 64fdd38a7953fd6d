import hashlib
import json

import pytest

from engine.match import (
    best_match,
    compound_key,
    duplicate_clusters,
    norm_company,
    norm_email,
    norm_text,
    row_hash,
    row_json,
)


def test_norm_text_and_email():
    assert norm_text("  São   Paulo\tÇIDADE ") == "sao paulo cidade"
    assert norm_text(None) == ""
    assert norm_email(" Ana.Lima@Example.COM ") == "ana.lima@example.com"
    assert norm_email("mailto:ANA@x.com") == "ana@x.com"
    assert norm_email("<ana@x.com>") == "ana@x.com"
    assert norm_email("ana @ x.com") == "ana@x.com"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ACME Comércio Ltda.", "acme comercio"),
        ("Acme, Inc.", "acme"),
        ("Acme Inc", "acme"),
        ("Acme LLC", "acme"),
        ("Acme L.L.C.", "acme"),
        ("Acme Ltd.", "acme"),
        ("Padaria Pão Bom S.A.", "padaria pao bom"),
        ("Padaria Pão Bom S/A", "padaria pao bom"),
        ("Padaria Pão Bom SA", "padaria pao bom"),
        ("Baz Ltda - ME", "baz"),
        ("Baz EPP", "baz"),
        ("Baz EIRELI", "baz"),
        ("Müller GmbH", "muller"),
        ("Globex Corp.", "globex"),
        ("Acme & Co.", "acme"),
        ("ME Solutions", "me solutions"),
        ("Corp", "corp"),
        ("", ""),
    ],
)
def test_norm_company(name, expected):
    assert norm_company(name) == expected


def test_compound_key():
    assert compound_key("Ana", " SILVA ", "Acme") == "ana|silva|acme"
    assert compound_key("Ana", None, "") == "ana||"
    assert compound_key("", None, "  ") is None


def test_row_hash_is_stable_sha1_of_canonical_json():
    row = {"b": "2", "a": "Ação", "c": None}
    same = {"c": None, "a": "Ação", "b": "2"}
    assert row_hash(row) == row_hash(same)
    canonical = '{"a":"Ação","b":"2","c":null}'
    assert row_hash(row) == hashlib.sha1(canonical.encode()).hexdigest()
    assert row_hash({"a": "Ação", "b": "3", "c": None}) != row_hash(row)
    assert json.loads(canonical) == row


def test_row_hash_known_value():
    assert row_hash({"a": 1, "b": "x"}) == "6773f537e12881321ac5aca774c9ac2dd80f3a12"


def test_duplicate_clusters_exact():
    items = [
        {"e": "a"},
        {"e": "b"},
        {"e": "a"},
        {"e": ""},
        {"e": ""},
        {"e": None},
        {"e": "b"},
        {"e": "c"},
    ]
    assert duplicate_clusters(items, "e") == [
        [{"e": "a"}, {"e": "a"}],
        [{"e": "b"}, {"e": "b"}],
    ]


def test_duplicate_clusters_with_key_function():
    names = ["Acme Ltda", "Beta", "ACME LTDA.", "Acme Ltd", "Gamma"]
    assert duplicate_clusters(names, norm_company) == [
        ["Acme Ltda", "ACME LTDA.", "Acme Ltd"]
    ]


def test_duplicate_clusters_fuzzy():
    names = ["Jon Smith", "Mary Jones", "John Smith", "Smith, John", "Mary Jane"]
    clusters = duplicate_clusters(names, lambda n: n.replace(",", ""), threshold=85)
    assert clusters == [["Jon Smith", "John Smith", "Smith, John"]]


def test_best_match():
    assert best_match("acme inc", ["ACME Inc.", "Apex"]) == ("ACME Inc.", 100.0)
    assert best_match("Qualificacao", {7: "Qualificação", 8: "Proposta"}) == (7, 100.0)
    assert best_match(
        "Negociacao", ["Negociação em andamento", "Ganho"], cutoff=80
    ) == (
        "Negociação em andamento",
        90.0,
    )
    assert best_match("Proposal sent", ["Qualified", "Won"]) is None
    assert best_match("", ["x"]) is None


def test_row_json_keeps_only_text_postgresql_stores():
    """NUL dropped (jsonb refuses \\u0000), a lone surrogate (json.loads of
    a bad \\ud800: UTF-8 cannot hold it) as U+FFFD; the hash of what is kept."""
    payload, digest = row_json({"Name": "Ann\x00 Lee", "Tags\x00": ["a\x00b", 3]})
    assert payload == '{"Name":"Ann Lee","Tags":["ab",3]}'
    assert digest == row_hash({"Name": "Ann Lee", "Tags": ["ab", 3]})
    lone = json.loads('{"Name": "x\\ud800y"}')
    assert row_json(lone)[0] == '{"Name":"x\ufffdy"}'
    # a backslash-u0000 typed as text is text, kept as it is
    assert json.loads(row_json({"Note": "\\u0000"})[0]) == {"Note": "\\u0000"}
