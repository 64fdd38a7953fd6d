"""engine.propose, the fields of one file: what it learns from a person's
choices, the new x_ fields it proposes, and one target field for one column
only (split from test_propose.py)."""

from __future__ import annotations

import re

import pytest

from engine.propose import (
    conflicting_fields,
    make_field_name,
    new_field_for,
    propose_fields,
    propose_values,
)
from engine.tests.test_propose import column

# ------------------------------------------------------------------ learning


def test_learned_raises_confidence():
    col = column("Kundennummer", ["K-1", "K-2", "K-3"])
    (before,) = propose_fields("company", [col])
    assert before.field is None
    learned = {("company", "kundennummer"): {"ref": 2}}
    (after,) = propose_fields("company", [col], learned=learned)
    assert after.field == "ref"
    assert after.confidence >= 0.95
    assert "confirmed as Reference 2 times before" in after.reason
    # an already good proposal is not lowered
    (p,) = propose_fields("company", [column("Phone", ["(415) 555-0134"])])
    (q,) = propose_fields(
        "company",
        [column("Phone", ["(415) 555-0134"])],
        learned={("company", "phone"): {"phone": 1}},
    )
    assert q.field == "phone" and q.confidence >= max(p.confidence, 0.95)


def test_learned_keys_are_normalised_again():
    col = column("  E-MAIL Addr ", ["a@x.com"])
    learned = {("contact", "E-mail address"): {"email": 3}}
    (p,) = propose_fields("contact", [col], learned=learned)
    assert p.field == "email" and "confirmed" in p.reason
    # other targets' confirmations do not leak
    (p,) = propose_fields(
        "contact",
        [column("Kundennummer", ["K-1"])],
        learned={("company", "kundennummer"): {"ref": 5}},
    )
    assert p.field is None


def test_learned_breaks_a_tie():
    cols = [
        column("Phone 1", ["(415) 555-0134", "(212) 555-0199"]),
        column("Phone 2", ["(415) 555-0135", "(212) 555-0198"]),
    ]
    plain = propose_fields("contact", cols)
    assert plain[0].field == "phone"
    learned = {
        ("contact", "phone 2"): {"phone": 1},
        ("contact", "phone 1"): {"mobile": 1},
    }
    taught = propose_fields("contact", cols, learned=learned)
    assert taught[1].field == "phone"
    assert taught[0].field == "mobile"


def test_learned_changes_a_real_tie():
    cols = [
        column("Telefone A", ["(415) 555-0134", "(212) 555-0199"]),
        column("Telefone B", ["(415) 555-0135", "(212) 555-0198"]),
    ]
    plain = propose_fields("company", cols)
    assert plain[0].confidence == plain[1].confidence or plain[0].field == "phone"
    assert plain[0].field == "phone"
    taught = propose_fields(
        "company", cols, learned={("company", "Telefone B"): {"phone": 1}}
    )
    assert taught[1].field == "phone"
    assert taught[1].confidence >= 0.95
    assert taught[0].field != "phone"


def test_learned_custom_field():
    col = column("Shoe size", ["42", "38", "44"])
    (p,) = propose_fields(
        "contact", [col], learned={("contact", "shoe size"): {"x_shoe": 2}}
    )
    assert p.field is None
    assert p.new_field["name"] == "x_shoe"
    assert p.new_field["type"] == "integer"
    assert p.confidence >= 0.95


# ------------------------------------------------------------------ new fields

NAME_RE = re.compile(r"^x_[a-z0-9_]+$")


@pytest.mark.parametrize(
    "header,expected",
    [
        ("Customer Since", "x_customer_since"),
        ("Nº de Funcionários", "x_no_de_funcionarios"),
        ("  Lead   Source!! ", "x_lead_source"),
        ("x_already", "x_already"),
        ("2024 Revenue (US$)", "x_2024_revenue_us"),
        ("Ação/Observação", "x_acao_observacao"),
        ("LossReasonId", "x_loss_reason_id"),
    ],
)
def test_make_field_name(header, expected):
    assert make_field_name(header) == expected


def test_make_field_name_limits():
    long = make_field_name("A very long header " * 10)
    assert NAME_RE.match(long) and len(long) <= 60 and not long.endswith("_")
    assert make_field_name("???", index=3) == "x_column_3"
    assert make_field_name("Tier", taken={"x_tier"}) == "x_tier_2"
    assert make_field_name("Tier", taken={"x_tier", "x_tier_2"}) == "x_tier_3"
    long2 = make_field_name("A very long header " * 10, taken={long})
    assert long2 != long and len(long2) <= 60


def test_new_field_types_follow_the_values():
    cols = [
        column("Employees", ["12", "250", "40"]),
        column("Customer Since", ["2020-01-02", "2021-03-04"]),
        column("Opt In", ["Yes", "No", "Yes", "No"]),
        column("Tier", ["Gold", "Silver", "Gold", "Bronze", "Gold", "Silver"] * 3),
        column("Long story", ["line one\nline two", "x" * 200]),
        column("Favourite colour", ["Blue", "Red"]),
        column("Revenue share", ["12.5", "7.25", "3.1"]),
        column("Last Seen", ["2024-01-02 10:00:00", "2024-02-03 11:30:00"]),
    ]
    new = {p.column: p.new_field for p in propose_fields("contact", cols)}
    assert new["Employees"]["type"] == "integer"
    assert new["Customer Since"]["type"] == "date"
    assert new["Opt In"]["type"] == "boolean"
    assert new["Tier"]["type"] == "selection"
    assert set(new["Tier"]["selection"]) == {"Gold", "Silver", "Bronze"}
    assert new["Long story"]["type"] == "text"
    assert new["Favourite colour"]["type"] == "char"
    assert new["Revenue share"]["type"] == "float"
    assert new["Last Seen"]["type"] == "datetime"
    names = [n["name"] for n in new.values()]
    assert len(names) == len(set(names)) and all(NAME_RE.match(n) for n in names)


def test_new_field_for():
    assert new_field_for("Customer Since", "date") == {
        "name": "x_customer_since",
        "type": "date",
        "label": "Customer Since",
    }
    assert new_field_for(" Employees ", "integer")["type"] == "integer"
    assert new_field_for("Score", "money")["type"] == "float"
    assert new_field_for("Comment", None)["type"] == "char"
    assert new_field_for("Tier", "picklist", taken={"x_tier"})["name"] == "x_tier_2"
    col = column("Tier", ["Gold", "Silver", "Gold", "Bronze", "Gold", "Silver"] * 3)
    new = new_field_for("Tier", "picklist", column=col)
    assert new["type"] == "selection" and "Gold" in new["selection"]
    story = column("Story", ["line one\nline two", "x" * 300])
    assert new_field_for("Story", "text", column=story)["type"] == "text"


def test_new_field_names_are_unique_in_one_file():
    proposals = propose_fields("lead", ["Foo bar", "Foo-Bar", "foo_bar"])
    names = [p.new_field["name"] for p in proposals]
    assert names == ["x_foo_bar", "x_foo_bar_2", "x_foo_bar_3"]


# ------------------------------------------------------- one target, one column


def test_someone_elses_name_never_becomes_the_contacts_name():
    headers = ["First Name", "Last Name", "Spouse Name", "Assistant Name", "Email"]
    got = {p.column: p for p in propose_fields("contact", headers)}
    assert got["First Name"].field == "first_name"
    assert got["Last Name"].field == "last_name"
    for header in ("Spouse Name", "Assistant Name"):
        assert got[header].field is None
        assert got[header].new_field["name"].startswith("x_")
    # alone, "Spouse Name" is still not the contact's own name
    (p,) = propose_fields("contact", ["Spouse Name"])
    assert p.field is None


def test_a_target_field_goes_to_one_column_only():
    for headers in (
        ["Full Name", "First Name", "Last Name"],
        ["First Name", "Last Name", "Full Name", "Name"],
        ["Email", "E-mail Address", "Phone", "Telephone"],
    ):
        props = propose_fields("contact", headers)
        used = [p.field for p in props if p.field]
        slots = [sorted(conflicting_fields("contact", f)) for f in used]
        for i in range(len(used)):
            others = set(used[:i] + used[i + 1 :])
            assert not others & set(slots[i]), (headers, used)


def test_conflicting_fields():
    assert conflicting_fields("contact", "name") == {"name", "first_name", "last_name"}
    assert conflicting_fields("contact", "first_name") == {"first_name", "name"}
    assert conflicting_fields("lead", "name") == {"name"}


def test_a_column_mixing_numbers_and_words_is_kept_as_text():
    values = ["12", "15", "n/a", "20", "unknown", "33", "41", "52", "60", "7"]
    (p,) = propose_fields("contact", [column("Policy Count", values)])
    assert p.field is None
    assert p.new_field["type"] == "char" and p.transform == "text"
    assert "kept as text with every value" in p.reason
    assert p.confidence == 0.8
    # one typo among many numbers stays a number (the typo is reviewed)
    values = [str(n) for n in range(1, 40)] + ["1O"]
    (p,) = propose_fields("contact", [column("Policy Count", values)])
    assert p.new_field["type"] == "integer"


def test_an_unmatched_column_is_a_sure_new_field_a_near_miss_is_not():
    (p,) = propose_fields("contact", [column("Favourite Colour", ["red", "blue"])])
    assert p.field is None and p.confidence == 0.8
    props = propose_fields("company", ["Account Name", "Parent Account Name"])
    assert props[1].field is None and props[1].confidence <= 0.3


def test_a_name_inside_a_longer_one_is_another_record():
    # "Sales Pipeline" is not Odoo's "Sales" team, "Closed Won" not its "Won"
    # stage: only a person links them; the run creates its own otherwise
    got = propose_values("team", ["Sales Pipeline", "Sale"], [(1, "Sales")])
    assert got[0].target is None
    assert got[1].target == 1 and got[1].confidence < 1.0
    got = propose_values("stage", ["Closed Won", "New Lead"], [(1, "Won"), (2, "New")])
    assert [v.target for v in got] == [None, None]


def test_partial_dates_among_dates_stay_a_date_field():
    values = [f"{m:02d}/{d:02d}/19{60 + d}" for m in range(1, 10) for d in (3, 14)]
    values += ["04/07", "11/16"]  # birthdays without a year: reviewed, not words
    (p,) = propose_fields("contact", [column("Birthday", values)])
    assert p.new_field["type"] == "date" and "mixed" not in p.new_field


def test_a_short_list_of_repeated_values_is_not_a_name():
    titles = ["Project Manager", "CEO", "Buyer"] * 8
    got = {p.column: p.field for p in propose_fields("lead", [column("Title", titles)])}
    assert got["Title"] != "name"
    deals = [f"Deal {i}" for i in range(24)]
    got = {p.column: p.field for p in propose_fields("lead", [column("Title", deals)])}
    assert got["Title"] == "name"
