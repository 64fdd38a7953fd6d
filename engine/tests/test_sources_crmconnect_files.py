"""engine.sources.crmconnect, part two: appointments, custom properties,
cross-file dedupe, the proposals on the samples and the samples in
samples/crmconnect/ themselves (split from test_sources_crmconnect.py)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys

import pytest

from engine.profile import profile_table
from engine.propose import propose_fields, propose_key
from engine.sources import crmconnect as cc
from engine.sources.crmconnect import (
    CrmConnectSource,
    appointment_event,
    custom_properties,
    dedupe_across_files,
    file_kind,
)
from engine.tests.test_sources_crmconnect import ORDER, SAMPLES, rows_of, table


@pytest.fixture(scope="module")
def tables():
    return {t.name: t for t in CrmConnectSource().tables(SAMPLES)}


# ------------------------------------------------------------------ appointments


def test_appointment_event_on_samples(tables):
    rows = rows_of(tables["appointments.csv"])
    known = {r["Email"] for r in rows_of(tables["contacts.csv"]).values()}
    ev = appointment_event(rows[2], tz="UTC", known_emails=known, line=2)
    assert ev == {
        "name": "Discovery Call with Ella Anderson",
        "start": dt.datetime(2023, 3, 3, 15, 0),  # row Timezone America/New_York
        "stop": dt.datetime(2023, 3, 3, 15, 30),
        "allday": False,
        "start_date": None,
        "stop_date": None,
        "attendee_emails": [
            "ella.anderson@lakesideroofing.example.com",
            "isaac.lopez@beaconanalytics.example.com",
        ],
        "organizer_email": "alice@example.com",
        "organizer": "alice@example.com",
        "location": "Zoom",
        "description": "Bring pricing sheet",
        "status": "showed",
        "cancelled": False,
        "unknown_emails": [],
        "issues": [],
    }
    chicago = appointment_event(rows[4])
    assert chicago["start"] == dt.datetime(2023, 3, 21, 16, 0)  # 11:00 CDT
    assert chicago["cancelled"] is True
    ev = appointment_event(rows[7], known_emails=known, line=7)
    assert ev["attendee_emails"] == [
        "owen.davis@vertexcoaching.example.com",
        "stranger@unknown-example.org",
    ]
    assert ev["unknown_emails"] == ["stranger@unknown-example.org"]
    assert ev["issues"] == [
        {
            "kind": "appointments",
            "line": 7,
            "column": "Attendees",
            "value": "stranger@unknown-example.org",
            "reason": "unknown attendee stranger@unknown-example.org: "
            "matches no migrated contact",
        }
    ]
    flagged = [
        line
        for line, row in rows.items()
        if appointment_event(row, known_emails=known, line=line)["issues"]
    ]
    assert flagged == [7]


def test_appointment_event_edge_cases():
    ev = appointment_event(
        {"Title": "Trade show", "Start": "05/01/2023", "End": "05/03/2023",
         "Assigned To": "Bob Closer"},
        tz="America/New_York",
    )  # fmt: skip
    assert ev["allday"] is True
    assert (ev["start_date"], ev["stop_date"]) == (
        dt.date(2023, 5, 1),
        dt.date(2023, 5, 3),
    )
    assert (ev["start"], ev["stop"]) == (
        dt.datetime(2023, 5, 1),
        dt.datetime(2023, 5, 3),
    )
    assert ev["organizer_email"] is None and ev["organizer"] == "Bob Closer"
    ev = appointment_event(
        {"Calendar": "Demo", "Start Time": "05/01/2023 09:00 AM", "All Day": "yes"}
    )
    assert ev["allday"] is True and ev["start_date"] == dt.date(2023, 5, 1)
    assert ev["name"] == "Demo"
    ev = appointment_event(
        {
            "Start Time": "05/01/2023 09:00 AM",
            "End Time": "05/01/2023 08:00 AM",
            "Timezone": "Mars/Olympus",
            "Contact Email": "Ana@Example.com",
            "Attendees": "ana@example.com, not-an-email; BOB@example.com",
            "Assigned To": "bob@example.com",
        },
        tz="America/Chicago",
        line=5,
    )
    assert ev["name"] == "Appointment"
    assert ev["start"] == dt.datetime(
        2023, 5, 1, 14, 0
    )  # Chicago, the row's zone is bad
    assert ev["stop"] == dt.datetime(2023, 5, 1, 15, 0)  # end before start: one hour
    assert ev["attendee_emails"] == ["ana@example.com"]  # organizer left out
    assert [i["reason"] for i in ev["issues"]] == [
        "unknown time zone: America/Chicago used",
        "end time before the start: one hour assumed",
        "attendee is not a valid email address: left out",
    ]
    ev = appointment_event({"Title": "x", "Start Time": "31/31/2023 10:00"})
    assert ev["start"] is None and "not loaded" in ev["issues"][0]["reason"]
    ev = appointment_event({"Title": "x"})
    assert (
        ev["start"] is None and ev["issues"][0]["reason"] == "no start time: not loaded"
    )
    ev = appointment_event({"Start Time": "05/01/2023 09:00 AM"})
    assert ev["stop"] == dt.datetime(2023, 5, 1, 10, 0) and ev["issues"] == []


# ------------------------------------------------------------ custom properties


def test_custom_properties_of_the_samples(tables):
    t = tables["contacts.csv"]
    props = custom_properties(t.headers, "contacts", profile_table(t))
    assert [(p["column"], p["name"], p["type"], p["transform"]) for p in props] == [
        ("Lead Score", "x_lead_score", "integer", "int"),
        ("Preferred Contact Method", "x_preferred_contact_method", "selection", "text"),
        ("Renewal Date", "x_renewal_date", "date", "date"),
    ]
    assert sorted(props[1]["selection"]) == ["Email", "Phone", "SMS"]
    assert props[2]["order"] == "MDY" and props[0]["confidence"] == 1.0
    t = tables["companies.csv"]
    props = custom_properties(t.headers, "companies", profile_table(t)["columns"])
    assert [(p["name"], p["type"]) for p in props] == [
        ("x_employees", "integer"),
        ("x_annual_contract_value", "float"),
    ]
    t = tables["opportunities.csv"]
    props = custom_properties(t.headers, "opportunities", profile_table(t))
    assert [(p["column"], p["name"], p["type"]) for p in props] == [
        ("Contract Length (months)", "x_contract_length_months", "integer")
    ]


def test_custom_properties_inputs():
    headers = ["EMAIL ", "first name", "Score", "Joined", "Newsletter", "Notes 2"]
    values = {
        "Score": ["1.5", "2.25", ""],
        "Joined": ["03/14/2023 10:00 AM", "04/01/2023 09:30 AM"],
        "Newsletter": ["yes", "no", "yes"],
    }
    props = custom_properties(headers, "contacts", values, taken={"x_score"})
    assert [(p["column"], p["name"], p["type"]) for p in props] == [
        ("Score", "x_score_2", "float"),
        ("Joined", "x_joined", "datetime"),
        ("Newsletter", "x_newsletter", "boolean"),
        ("Notes 2", "x_notes_2", "char"),
    ]
    assert props[3]["inferred"] == "text" and props[3]["confidence"] is None
    # an explicit list of standard headers; no profile: every custom column is char
    props = custom_properties(["A", "b", "__extra__", ""], ["a"])
    assert [(p["column"], p["type"]) for p in props] == [("b", "char")]
    # None: every kind's standard headers
    assert [p["column"] for p in custom_properties(["Stage Order", "Mood"])] == ["Mood"]
    with pytest.raises(ValueError, match="unknown crmConnect file kind 'people'"):
        custom_properties(["x"], "people")


# ------------------------------------------------------------ cross-file dedupe


def test_dedupe_across_files_finds_the_planted_duplicate(tables):
    clusters = dedupe_across_files(tables.values())
    by_key = {(c["entity"], c["key"]): c for c in clusters}
    mia = by_key[("person", "mia.chen@example.com")]
    assert mia["status"] == "variant" and mia["records"] == 1
    assert mia["variants"] == ["Mia.Chen@Example.com", "mia.chen@example.com"]
    assert {"contacts.csv", "memberships.csv"} <= set(mia["files"])
    members = {
        (m["file"], m["line"], m["column"], m["value"], m["role"])
        for m in mia["members"]
    }
    assert ("contacts.csv", 8, "Email", "Mia.Chen@Example.com", "record") in members
    assert (
        "memberships.csv",
        4,
        "Contact Email",
        "mia.chen@example.com",
        "reference",
    ) in members
    assert mia["count"] == len(mia["members"])
    company = by_key[("company", "lakeside roofing")]
    assert company["status"] == "variant"
    assert company["variants"] == ["Lakeside Roofing", "LAKESIDE ROOFING"]
    assert ("contacts.csv", 3) in {(m["file"], m["line"]) for m in company["members"]}
    assert len(clusters) == 2  # nothing else is odd in the samples
    linked = dedupe_across_files(tables.values(), include_linked=True)
    assert len(linked) > 50 and {c["status"] for c in linked} == {"variant", "linked"}


def test_dedupe_duplicate_and_missing():
    contacts = table(
        "contacts.csv",
        [
            {"First Name": "Ana", "Email": "ana@x.com", "Company Name": "Acme"},
            {"First Name": "Bo", "Email": "bo@x.com", "Company Name": ""},
        ],
    )
    vip = table("contacts_vip.csv", [{"First Name": "Ana", "Email": " ANA@x.com"}])
    opps = table(
        "opportunities.csv",
        [
            {"Opportunity Name": "D1", "Contact Email": "zoe@y.com", "Company Name": "Acme Inc."},
            {"Opportunity Name": "D2", "Contact Email": "bo@x.com", "Company Name": ""},
        ],
    )  # fmt: skip
    appts = table(
        "appointments.csv",
        [{"Title": "Demo", "Contact Email": "", "Attendees": "Zoe@y.com; bo@x.com"}],
    )
    clusters = dedupe_across_files([appts, opps, vip, contacts])
    assert [(c["entity"], c["key"], c["status"]) for c in clusters] == [
        ("person", "ana@x.com", "duplicate"),
        ("company", "acme", "missing"),  # in no companies file
        ("person", "zoe@y.com", "missing"),  # in no contacts file
    ]
    dup, acme, missing = clusters
    assert acme["variants"] == ["Acme", "Acme Inc."]
    assert dup["files"] == ["contacts.csv", "contacts_vip.csv"]
    assert dup["records"] == 2 and dup["variants"] == ["ana@x.com", "ANA@x.com"]
    assert missing["records"] == 0 and missing["variants"] == ["zoe@y.com", "Zoe@y.com"]
    assert [(m["file"], m["line"], m["column"]) for m in missing["members"]] == [
        ("opportunities.csv", 2, "Contact Email"),
        ("appointments.csv", 2, "Attendees"),
    ]
    companies = table("companies.csv", [{"Company Name": "ACME, Inc"}])
    linked = dedupe_across_files([contacts, opps, companies], include_linked=True)
    acme = next(c for c in linked if c["entity"] == "company")
    assert acme["status"] == "variant" and acme["records"] == 1
    assert acme["files"] == ["companies.csv", "contacts.csv", "opportunities.csv"]
    bo = next(c for c in linked if c["key"] == "bo@x.com")
    assert bo["status"] == "linked" and bo["records"] == 1


# ------------------------------------------------------- proposals on the samples

EXPECTED_FIELDS = {
    "contacts.csv": {
        "Contact ID": "ref",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        "Phone": "phone",
        "Company Name": "company_name",
        "Address": "street",
        "City": "city",
        "State": "state_id",
        "Postal Code": "zip",
        "Country": "country_id",
        "Source": "source_id",
        "Tags": "category_id",
        "Assigned To": "user_id",
        "Created": "create_date",
    },
    "companies.csv": {
        "Company ID": "ref",
        "Company Name": "name",
        "Phone": "phone",
        "Email": "email",
        "Website": "website",
        "Address": "street",
        "City": "city",
        "State": "state_id",
        "Postal Code": "zip",
        "Country": "country_id",
        "Industry": "industry_id",
        "Assigned To": "user_id",
        "Tags": "category_id",
        "Created": "create_date",
    },
    "opportunities.csv": {
        "Opportunity ID": None,  # crm.lead has no reference field: the key (below)
        "Opportunity Name": "name",
        "Contact Name": "contact_name",
        "Contact Email": "partner_email",
        "Phone": "phone",
        "Company Name": "partner_name",
        "Pipeline": "team_id",
        "Stage": "stage_id",
        "Lead Value": "expected_revenue",
        "Status": "status",
        "Lost Reason": "lost_reason_id",
        "Assigned To": "user_id",
        "Source": "source_id",
        "Tags": "tag_ids",
        "Expected Close Date": "date_deadline",
        "Created": "create_date",
        "Updated": "write_date",
    },
}
KEYS = {
    "contacts.csv": "Contact ID",
    "companies.csv": "Company ID",
    "opportunities.csv": "Opportunity ID",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_FIELDS))
def test_propose_picks_the_standard_fields(tables, name):
    t = tables[name]
    columns = profile_table(t)["columns"]
    target = CrmConnectSource().object_proposal(t, columns).target
    got = {p.column: p.field for p in propose_fields(target, columns)}
    expected = EXPECTED_FIELDS[name]
    kind = file_kind(t)
    standard = [h for h in t.headers if cc._norm(h) in cc._STANDARD[kind]]
    assert sorted(standard) == sorted(expected)  # every standard header is checked
    right = [h for h in standard if got[h] == expected[h]]
    assert len(right) / len(standard) >= 0.9, {h: got[h] for h in standard}
    assert propose_key(target, columns)[0] == KEYS[name]
    # the custom columns are the ones custom_properties lists
    custom = [p["column"] for p in custom_properties(t.headers, kind)]
    assert sorted(custom + standard) == sorted(t.headers)


def test_offline_cli_proposes_every_file(capsys):
    from engine.__main__ import main

    assert main(["propose", str(SAMPLES), "--system", "crmconnect", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [o["table"] for o in out] == ORDER
    assert {
        o["table"]: o["object"]["target"]
        for o in out
        if o["object"]["confidence"] > 0.9
    } == {
        "companies.csv": "company",
        "contacts.csv": "contact",
        "opportunities.csv": "lead",
    }


# ------------------------------------------------------------ the samples themselves


def _generator():
    path = SAMPLES.parent / "gen_crmconnect.py"
    spec = importlib.util.spec_from_file_location("crm_gen_crmconnect", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    gen = _generator()
    out = tmp_path_factory.mktemp("crmconnect")
    return gen, out, gen.generate(out)


def test_samples_are_reproducible_and_documented(generated):
    gen, out, summary = generated
    stale = "is stale: run python samples/gen_crmconnect.py"
    for name in ORDER:
        assert (out / name).read_bytes() == (SAMPLES / name).read_bytes(), (
            f"{name} {stale}"
        )
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert gen.readme_text(summary) == readme, f"README.md {stale}"
    assert sorted(p.name for p in SAMPLES.iterdir()) == sorted([*ORDER, "README.md"])


def test_sample_sizes_and_formats(generated, tables):
    _gen, _out, summary = generated
    counts = {name: sum(1 for _ in t.rows()) for name, t in tables.items()}
    assert counts == {name: info["rows"] for name, info in summary["files"].items()}
    assert counts["companies.csv"] == 40
    assert counts["contacts.csv"] == 100
    assert counts["opportunities.csv"] == 60
    assert (SAMPLES / "contacts.csv").read_bytes().startswith(b"\xef\xbb\xbfContact ID")
    phones = [r["Phone"] for r in rows_of(tables["contacts.csv"]).values()]
    assert all(p.startswith("+1") and len(p) == 12 and p[1:].isdigit() for p in phones)
    created = profile_table(tables["contacts.csv"])["columns"]
    created = next(c for c in created if c["name"] == "Created")
    assert created["type"] == "date" and created["details"]["order"] == "MDY"


def test_planted_defects_are_where_the_readme_says(generated, tables):
    _gen, _out, summary = generated
    rows = {name: rows_of(t) for name, t in tables.items()}
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert len(summary["defects"]) >= 10
    for d in summary["defects"]:
        assert rows[d["file"]][d["line"]][d["column"]] == d["value"], d
        assert f"| {d['file']} | {d['line']} | {d['column']} |" in readme
    # every invoice is listed (review items when Accounting is missing)
    invoices = [d for d in summary["defects"] if d["column"] == "Invoice Number"]
    assert len(invoices) == len(rows["invoices.csv"])
    # the orphan opportunity's email matches nobody; the attendee neither
    emails = {r["Email"].lower() for r in rows["contacts.csv"].values()}
    orphan = next(d for d in summary["defects"] if "matches no contact" in d["defect"])
    assert orphan["value"] not in emails
    products = {r["Product Name"] for r in rows["products.csv"].values()}
    unknown = next(d for d in summary["defects"] if d["column"] == "Product")
    assert unknown["value"] not in products


def test_columns_named_after_the_rows_own_object():
    from engine import records

    task = records.convert(
        "activity",
        {
            "Task Title": "Call back Renee",
            "Contact Name": "Renee Wallace",
            "Due Date": "09/16/2025",
            "Contact Email": "renee@example.com",
        },
        "crmconnect",
    )
    assert task.values["summary"] == "Call back Renee"
    # "Contact Name" names the contact, never the task
    task = records.convert(
        "activity",
        {"Contact Name": "Renee Wallace", "Due Date": "09/16/2025"},
        "crmconnect",
    )
    assert task.values["summary"] != "Renee Wallace"
    event = records.convert(
        "event",
        {
            "Title": "Review",
            "Start Time": "08/06/2025 04:00 PM",
            "End Time": "08/06/2025 04:30 PM",
            "Contact Email": "j@example.com",
            "Appointment Owner": "Hannah Lindqvist",
        },
        "crmconnect",
    )
    assert event.user == "Hannah Lindqvist"


def test_a_done_task_with_only_a_due_date_is_done_on_it():
    import datetime as dt

    from engine import records

    task = records.convert(
        "activity",
        {
            "Task Title": "Check in",
            "Due Date": "09/03/2025",
            "Completed": "Yes",
            "Completed Date": "",
            "Contact Email": "s@example.de",
        },
        "crmconnect",
        "America/Chicago",
    )
    assert task.values["done"] is True
    assert task.values["date_done"] == dt.date(2025, 9, 3)
    assert not task.issues
