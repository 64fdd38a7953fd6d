"""engine.propose, objects, keys and values: what a file is, what identifies
its rows, and which Odoo value each source value maps to (split from
test_propose.py)."""

from __future__ import annotations

import pytest

from engine.propose import (
    propose_key,
    propose_object,
    propose_values,
)
from engine.tests.test_propose import column

# ------------------------------------------------------------------ objects


@pytest.mark.parametrize(
    "name,target",
    [
        ("companies.csv", "company"),
        ("Empresas.xlsx", "company"),
        ("accounts_export.csv", "company"),
        ("organizations.csv", "company"),
        ("Contatos Export.csv", "contact"),
        ("people.csv", "contact"),
        ("crm_contacts_2024.csv", "contact"),
        ("leads.csv", "lead"),
        ("Negócios.xlsx", "lead"),
        ("oportunidades.csv", "lead"),
        ("pipeline.csv", "lead"),
        ("export.zip/Opportunities.csv", "lead"),
        ("book.xlsx[Deals]", "lead"),
    ],
)
def test_object_from_file_name(name, target):
    obj = propose_object(name, ["Name", "Email"])
    assert obj.target == target
    assert obj.confidence >= 0.5
    assert "file name" in obj.reason


def test_object_from_columns_alone():
    obj = propose_object(
        "export1.csv", ["Title", "Amount", "Stage", "Close Date", "Owner"]
    )
    assert obj.target == "lead" and "'Amount'" in obj.reason
    obj = propose_object(
        "export2.csv", ["First Name", "Last Name", "Email", "Job Title"]
    )
    assert obj.target == "contact"
    obj = propose_object("export3.csv", ["Razão Social", "CNPJ", "Industry", "Website"])
    assert obj.target == "company"
    assert "no person-name columns" in obj.reason
    obj = propose_object("export4.csv", ["Nome", "CNPJ", "First Name", "Last Name"])
    assert obj.target == "contact"  # a person name beats the company signals


def test_object_alternatives_and_conflicts():
    obj = propose_object(
        "contacts.csv", ["Deal Name", "Amount", "Stage", "Probability"]
    )
    alts = {a["target"]: a["confidence"] for a in obj.alternatives}
    assert obj.target in ("contact", "lead")
    other = "lead" if obj.target == "contact" else "contact"
    assert other in alts
    assert obj.confidence < 0.8  # name and columns disagree: not sure
    obj = propose_object("data.csv", ["foo", "bar"])
    assert obj.confidence <= 0.3


# ------------------------------------------------------------------ keys


def test_key_prefers_the_own_id_over_foreign_ids():
    cols = [
        column("Company ID", ["1", "1", "2"]),
        column("Contact ID", ["10", "11", "12"]),
        column("Email", ["a@x.com", "b@x.com", "c@x.com"]),
    ]
    key, reason = propose_key("contact", cols)
    assert key == "Contact ID"
    assert "distinct" in reason


def test_key_falls_back_to_email_for_contacts():
    cols = [
        column("ID", ["1", "1", "2"]),
        column("E-mail", ["a@x.com", "b@x.com", ""]),
    ]
    key, reason = propose_key("contact", cols)
    assert key == "E-mail"
    assert "'ID' has 1 duplicate values" in reason
    assert "1 rows without an email" in reason
    key, reason = propose_key("company", cols)
    assert key is None
    assert "'ID' has 1 duplicate values" in reason


def test_key_none_without_id_like_columns():
    key, reason = propose_key("lead", [column("Deal Name", ["A", "B"])])
    assert key is None and "compound key" in reason
    key, _ = propose_key("company", [column("Código", ["001", "002", "003"])])
    assert key == "Código"
    key, _ = propose_key("company", [column("Record ID", ["1", "", "3"])])
    assert key is None


# ------------------------------------------------------------------ values


def test_values_exact_fuzzy_none():
    stages = ["New", "Qualified", "Proposition", "Won"]
    got = propose_values(
        "stage", ["new", "Qualifed", "Negotiation", "Won", "", "new"], stages
    )
    assert [v.source for v in got] == ["new", "Qualifed", "Negotiation", "Won"]
    assert (got[0].target, got[0].confidence) == ("New", 1.0)
    assert "exactly" in got[0].reason
    assert got[1].target == "Qualified" and 0.85 <= got[1].confidence < 1.0
    assert "close to" in got[1].reason
    assert got[2].target is None and got[2].confidence == 0.0
    assert got[2].reason == "no existing stage matches; a new one will be created"
    assert got[3].target == "Won"


def test_values_with_ids_and_accents():
    tags = {7: "Cliente Atacadão", 8: "Parceiro"}
    got = propose_values("tag", ["cliente atacadao", "PARCEIRO", "Fornecedor"], tags)
    assert [v.target for v in got] == [7, 8, None]
    teams = [(3, "Vendas Brasil"), (4, "Sales US")]
    got = propose_values("team", ["Vendas  Brasil", "Sales USA"], teams)
    assert got[0].target == 3 and got[0].confidence == 1.0
    assert got[1].target == 4 and got[1].confidence < 1.0


def test_owner_values():
    users = [
        {
            "id": 2,
            "name": "Alice Smith",
            "login": "alice@example.com",
            "email": "alice@example.com",
        },
        {"id": 3, "name": "Bob Jones", "login": "bob", "email": "bob@example.com"},
        {"id": 4, "name": "Carla Dias", "login": "carla@corp.example"},
    ]
    got = propose_values(
        "owner",
        [
            "ALICE@example.com",
            "bob@example.com",
            "Bob Jones",
            "carla.dias@old.example",
            "zed.unknown@example.com",
            "rob@example.com",
        ],
        users,
    )
    by = {v.source: v for v in got}
    assert (
        by["ALICE@example.com"].target == 2
        and by["ALICE@example.com"].confidence == 1.0
    )
    assert by["bob@example.com"].target == 3
    assert by["Bob Jones"].target == 3
    assert by["carla.dias@old.example"].target == 4
    assert by["carla.dias@old.example"].confidence < 0.9
    assert by["zed.unknown@example.com"].target is None
    assert by["zed.unknown@example.com"].reason.startswith("no existing owner matches")
    # emails are never fuzzy-matched: rob is not bob
    assert by["rob@example.com"].target is None


def test_country_values():
    countries = [
        {"id": 31, "name": "Brazil", "code": "BR"},
        {"id": 233, "name": "United States", "code": "US"},
        {"id": 183, "name": "Portugal", "code": "PT"},
    ]
    got = propose_values(
        "country", ["Brasil", "USA", "United States", "br", "Atlantis"], countries
    )
    assert [v.target for v in got] == [31, 233, 233, 31, None]
    assert got[0].confidence >= 0.95
    assert got[4].reason.startswith("no existing country matches")


def test_lost_reason_values():
    got = propose_values(
        "lost_reason", ["Too expensive", "No budget"], ["Too expensive"]
    )
    assert got[0].target == "Too expensive"
    assert got[1].reason == "no existing lost_reason matches; a new one will be created"


def test_sample_value_maps_as_documented(sample_profiles):
    """samples/README.md: what the value maps of the samples propose against a fresh
    Odoo (labels as the Odoo layer passes them: names, logins, emails, codes)."""
    deals = {c["name"]: c for c in sample_profiles["deals.xlsx"]["columns"]}
    stages = [v for v, _n in deals["Stage"]["top_values"]]
    got = {
        v.source: v.target
        for v in propose_values(
            "stage", stages, ["New", "Qualified", "Proposition", "Won"]
        )
    }
    assert got == {
        "New": "New",
        "Qualified": "Qualified",
        "Proposition": "Proposition",
        "Won": "Won",
        "Negotiation": None,
    }
    users = [
        "Administrator",
        "admin",
        "Alice",
        "alice@example.com",
        "Bob",
        "bob@example.com",
    ]
    owners = [v for v, _n in deals["Owner"]["top_values"]]
    got = {
        v.source: (v.target, v.confidence)
        for v in propose_values("owner", owners, users)
    }
    assert got == {
        "alice@example.com": ("alice@example.com", 1.0),
        "bob@example.com": ("bob@example.com", 1.0),
        "zed.unknown@example.com": (None, 0.0),
    }
    companies = {c["name"]: c for c in sample_profiles["companies.csv"]["columns"]}
    countries = [v for v, _n in companies["Country"]["top_values"]]
    odoo = ["BR", "Brazil", "US", "United States", "PT", "Portugal"]
    got = {v.source: v.target for v in propose_values("country", countries, odoo)}
    assert {
        k: v in ("BR", "Brazil") for k, v in got.items() if k.startswith("Bra")
    } == {
        "Brazil": True,
        "Brasil": True,
    }
    assert got["USA"] in ("US", "United States")
    assert got["United States"] == "United States"
