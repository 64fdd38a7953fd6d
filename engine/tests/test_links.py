"""Compound keys (engine.core.links): every normalisation rule and every key."""

import pytest

from engine.core.links import (
    Identity,
    LinkIndex,
    LinkRule,
    Part,
    amount_key,
    company_key,
    date_key,
    normalise,
    rules_for,
    text_company_key,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # case and spaces
        ("  ACME   Widgets ", "acme widgets"),
        # punctuation
        ("ACME, INC", "acme"),
        ("Acme Inc.", "acme"),
        ("acme inc", "acme"),
        ("Acme", "acme"),
        ("O'Brien-Smith Ltd", "o brien smith"),
        # & read as and
        ("Harper & Lowe LLP", "harper and lowe"),
        ("Harper and Lowe", "harper and lowe"),
        # legal suffixes, dotted or not, removed repeatedly
        ("Northwind Analytics S.L.", "northwind analytics"),
        ("Northwind Analytics SL", "northwind analytics"),
        ("Globex Co., Ltd.", "globex"),
        ("Initech GmbH & Co. KG", "initech"),
        ("Padaria Pão Bom S.A.", "padaria pao bom"),
        ("Padaria Pão Bom Ltda.", "padaria pao bom"),
        ("Acme Corp", "acme"),
        ("Acme Corporation", "acme"),
        ("Acme L.L.C.", "acme"),
        ("Acme & Co.", "acme"),
        # a legal word inside the name stays; a name that is only one is kept
        ("Limited Editions Books", "limited editions books"),
        ("Corp", "corp"),
        ("", ""),
        (None, ""),
    ],
)
def test_company_key(name, expected):
    assert company_key(name) == expected


def test_date_and_amount_keys():
    assert date_key("2026-10-14T15:30:00Z") == "2026-10-14"
    assert date_key("2026/3/4 09:00") == "2026-03-04"
    assert date_key("10/14/2026") == "10/14/2026"  # not year first: as text
    assert amount_key("$12,500.00") == "12500.00"
    assert amount_key("12.500,00") == "12500.00"
    assert amount_key("12500") == "12500.00"
    assert amount_key("1.250") == "1250.00"
    assert amount_key("99,5") == "99.50"
    assert amount_key("n/a") == ""


def test_normalise_email_and_blank():
    assert normalise("email", " Ann.Lee@Example.COM ") == "ann.lee@example.com"
    assert normalise("name", "  Big  Deal ") == "big deal"
    assert normalise("company", "") == ""
    assert normalise("email", None) == ""


def test_identity_rows_repeating_the_key_are_one_record():
    activity = Identity(
        "email + date + subject",
        (
            Part(("Contact Email", "Email"), "email"),
            Part(("Date",), "date"),
            Part(("Subject",), "text"),
        ),
    )
    a = {
        "Contact Email": "ann@x.com",
        "Date": "2026-10-14T15:30:00Z",
        "Subject": "Call",
    }
    b = {"Email": "ANN@X.COM ", "Date": "2026-10-14T09:00Z", "Subject": " call "}
    c = {"Contact Email": "ann@x.com", "Date": "2026-10-15", "Subject": "Call"}
    assert activity.key(a) == "key:ann@x.com|2026-10-14|call"
    assert activity.key(a) == activity.key(b)
    assert activity.key(c) != activity.key(a)
    assert activity.key({"Other": "x"}) is None


def test_index_matched_missing_ambiguous():
    index = LinkIndex("company")
    index.add("Acme, Inc.", 1, "Acme, Inc.")
    index.add("Globex Corporation", 2, "Globex Corporation")
    index.add("Globex Corp", 3, "Globex Corp")
    hit = index.match("ACME INC", "company name")
    assert (hit.status, hit.res_id, hit.key, hit.value) == (
        "matched", 1, "company name", "acme",
    )  # fmt: skip
    miss = index.match("Vandelay Industries", "company name")
    assert (miss.status, miss.res_id, miss.candidates) == ("missing", None, [])
    both = index.match("Globex", "company name")
    assert both.status == "ambiguous" and both.res_id is None
    assert [c.res_id for c in both.candidates] == [2, 3]
    assert both.describe() == "Globex Corporation (#2), Globex Corp (#3)"
    assert "acme" in index and "initech" not in index


def test_index_tiebreak_decides_only_when_one_candidate_agrees():
    index = LinkIndex("company")
    index.add("Globex Corporation", 2, "Globex Corporation", tie="12500.00")
    index.add("Globex Corp", 3, "Globex Corp", tie="800.00")
    hit = index.match("Globex", "account name", tie="800.00", tie_name="deal value")
    assert (hit.status, hit.res_id, hit.key) == (
        "matched", 3, "account name + deal value",
    )  # fmt: skip
    assert index.match("Globex", "account name", tie="5.00").status == "ambiguous"
    assert index.match("Globex", "account name").status == "ambiguous"


def test_index_same_record_twice_is_one_candidate():
    index = LinkIndex("email")
    index.add("ann@x.com", 7, "Ann")
    index.add("ANN@x.com", 7)
    hit = index.match("Ann@X.com", "email")
    assert (hit.status, hit.res_id, hit.candidates[0].label) == ("matched", 7, "Ann")


def test_rule_reads_its_parts():
    rule = LinkRule(
        "lead", "company", "account name",
        Part(("Account Name", "Account"), "company"),
        Part(("Account Name", "Name"), "company"),
        "partner_id",
        tiebreak=(Part(("Amount",), "amount"), Part(("Deal Value",), "amount")),
    )  # fmt: skip
    row = {"Account": "ACME, INC", "Amount": "12.500,00"}
    assert rule.part.read(row) == ("Account", "acme")
    assert rule.tiebreak[0].read(row) == ("Amount", "12500.00")
    other = LinkRule("activity", "contact", "email", Part(("Email",), "email"),
                     Part(("Email",), "email"), "res_id")  # fmt: skip
    assert rules_for([rule, other], "lead") == [rule]
    assert rules_for([rule, other], "note") == []


def test_a_kind_column_limits_a_shared_name_to_its_rule():
    """Zoho's "Related To" names a deal, a person or a company, and "Parent
    Module" which: a rule applies only to rows naming its parent's kind (or
    none), and the kind column is read."""
    from engine import records
    from engine.sources.generic import GENERIC_LINKS

    note = {"Note Content": "x", "Parent Module": "Accounts", "Related To": "Jo Lee"}
    applying = [(r.parent, r.key) for r in rules_for(GENERIC_LINKS, "note")
                if r.applies(note) and r.part.read(note)[1]]  # fmt: skip
    assert applying == [("company", "company name")]
    person = dict(note, **{"Parent Module": "Contacts"})
    assert [r.parent for r in rules_for(GENERIC_LINKS, "note")
            if r.applies(person) and r.part.read(person)[1]] == ["contact"]  # fmt: skip
    # no kind column, or a blank one: every rule may apply, deals first
    bare = {"Note Content": "x", "Related To": "Jo Lee"}
    assert [r.parent for r in rules_for(GENERIC_LINKS, "note")
            if r.applies(bare) and r.part.read(bare)[1]] == [
        "lead", "contact", "company"]  # fmt: skip
    assert "Parent Module" in records.consumed("note", note)


def test_company_key_keys_a_name_once():
    text_company_key.cache_clear()
    assert [company_key("ACME, Inc.") for _ in range(3)] == ["acme"] * 3
    info = text_company_key.cache_info()
    assert (info.misses, info.hits) == (1, 2)
    assert company_key(None) == "" and company_key(12) == "12"
