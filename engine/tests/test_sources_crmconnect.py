"""engine.sources.crmconnect: file kinds, dependency order, pipelines and stages,
statuses, engagements, appointments, custom properties, cross-file dedupe, and the
samples in samples/crmconnect/."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest

from engine.profile import profile_table
from engine.propose import propose_fields, propose_key
from engine.readers import Table
from engine.sources import crmconnect as cc
from engine.sources.base import SOURCES, get_source
from engine.sources.crmconnect import (
    CrmConnectSource,
    OpportunityStatus,
    appointment_event,
    custom_properties,
    dedupe_across_files,
    engagement_kind,
    file_kind,
    file_order,
    object_hint,
    opportunity_status,
    pipeline_stages,
)
from engine.transform import TransformError

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "crmconnect"
ORDER = [
    "pipelines.csv",
    "stages.csv",
    "companies.csv",
    "contacts.csv",
    "products.csv",
    "opportunities.csv",
    "appointments.csv",
    "engagements.csv",
    "tasks.csv",
    "memberships.csv",
    "invoices.csv",
]
KIND_OF = {
    "companies.csv": ("companies", "company"),
    "contacts.csv": ("contacts", "contact"),
    "pipelines.csv": ("pipelines", "team"),
    "stages.csv": ("stages", "stage"),
    "opportunities.csv": ("opportunities", "lead"),
    "appointments.csv": ("appointments", "event"),
    "engagements.csv": ("engagements", "activity"),
    "tasks.csv": ("tasks", "activity"),
    "memberships.csv": ("memberships", "membership"),
    "products.csv": ("products", "product"),
    "invoices.csv": ("invoices", "invoice"),
}


@pytest.fixture(scope="module")
def tables():
    return {t.name: t for t in CrmConnectSource().tables(SAMPLES)}


def table(name, records, headers=None):
    headers = headers or list(records[0])
    return Table.from_records(name, lambda: records, headers)


def rows_of(t):
    return dict(t.rows())


# ------------------------------------------------------------------------ source


def test_registered():
    src = get_source("crmconnect")
    assert isinstance(src, CrmConnectSource)
    assert SOURCES["crmconnect"] is CrmConnectSource
    assert src.system == "crmconnect" and "crmConnect" in src.label


def test_tables_come_in_dependency_order(tables):
    assert list(tables) == ORDER
    assert [t.name for t in CrmConnectSource().tables(str(SAMPLES))] == ORDER


@pytest.mark.parametrize("name", sorted(KIND_OF))
def test_kind_and_hint_of_every_sample_file(tables, name):
    t = tables[name]
    kind, obj = KIND_OF[name]
    assert file_kind(t) == kind
    assert object_hint(t) == obj
    assert CrmConnectSource().object_hint(t) == obj
    # the headers alone tell the kind too (a file exported as "export (3).csv")
    assert cc._header_kind(t.headers) == kind


@pytest.mark.parametrize(
    "name,kind",
    [
        ("pipeline_stages.csv", "stages"),
        ("Contact Notes.csv", "notes"),
        ("opportunity-tasks.csv", "tasks"),
        ("crmconnect_contacts_export_2024.csv", "contacts"),
        ("Deals.csv", "opportunities"),
        ("Course Enrollments.csv", "memberships"),
        ("export.zip/Businesses.csv", "companies"),
        ("calendar_events.csv", "appointments"),
        ("Payments.csv", "invoices"),
    ],
)
def test_kind_from_file_name(name, kind):
    assert file_kind(table(name, [{"a": "1"}])) == kind


def test_kind_from_headers_and_unknown():
    t = table(
        "export (3).csv", [{"First Name": "A", "Last Name": "B", "Email": "a@x.com"}]
    )
    assert file_kind(t) == "contacts"
    t = table("export.csv", [{"Company Name": "Acme", "Website": "acme.com"}])
    assert file_kind(t) == "companies"
    t = table("export.csv", [{"foo": "1", "bar": "2"}])
    assert file_kind(t) is None and object_hint(t) is None
    # unknown file: the generic hint (it looks like nothing here either)
    assert CrmConnectSource().object_hint(t) is None
    # one signature header is not enough
    assert file_kind(table("x.csv", [{"Stage Name": "New", "foo": "1"}])) is None


def test_object_proposal(tables):
    src = CrmConnectSource()
    for name, target in (
        ("contacts.csv", "contact"),
        ("companies.csv", "company"),
        ("opportunities.csv", "lead"),
    ):
        p = src.object_proposal(tables[name])
        assert (p.target, p.confidence) == (target, 0.95)
        assert "file name" in p.reason
    p = src.object_proposal(tables["stages.csv"])
    assert p.confidence <= 0.3
    assert p.reason.startswith("crmConnect stages export: loaded as stage")
    t = table(
        "export.csv", [{"Opportunity Name": "X", "Lead Value": "1", "Stage": "New"}]
    )
    p = src.object_proposal(t)
    assert p.target == "lead" and "headers" in p.reason


def test_file_order(tables):
    shuffled = list(tables.values())
    random.Random(4).shuffle(shuffled)
    unknown = table("weird.csv", [{"foo": "1"}])
    ordered = file_order([unknown, *shuffled])
    assert [t.name for t in ordered] == [*ORDER, "weird.csv"]
    two = file_order([tables["invoices.csv"], tables["memberships.csv"]])
    assert [t.name for t in two] == ["memberships.csv", "invoices.csv"]
    assert file_order([]) == []


def test_readme_states_the_file_order():
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    stems = ", ".join(n.removesuffix(".csv") for n in ORDER)
    assert f"Dependency order (`file_order`): {stems}." in readme


# ---------------------------------------------------------- pipelines and stages


def test_pipeline_stages_on_the_samples(tables):
    teams = pipeline_stages(tables["pipelines.csv"], tables["stages.csv"])
    assert [t["team"] for t in teams] == ["Sales Pipeline", "Renewals"]
    sales, renewals = teams
    assert [
        (s["name"], s["sequence"], s["probability"], s["is_won"], s["fold"])
        for s in sales["stages"]
    ] == [
        ("New Lead", 1, 10.0, False, False),
        ("Qualified", 2, 25.0, False, False),
        ("Appointment Set", 3, 40.0, False, False),
        ("Proposal Sent", 4, 60.0, False, False),
        ("Negotiation", 5, None, False, False),
        ("Closed Won", 6, 100.0, True, True),
    ]
    assert [(s["name"], s["line"]) for s in sales["stages"]][:2] == [
        ("New Lead", 5),
        ("Qualified", 7),
    ]
    assert sales["line"] == 2 and len(sales["source_id"]) == 20
    assert sales["issues"] == [
        {
            "kind": "stages",
            "line": 4,
            "column": "Win Probability",
            "value": "120",
            "reason": "probability '120' is not a number from 0 to 100: "
            "the stage is created without a probability",
        }
    ]
    assert [(s["name"], s["probability"], s["is_won"]) for s in renewals["stages"]] == [
        ("Renewal Due", 50.0, False),
        ("Renewal Quote Sent", 70.0, False),
        ("Renewed", 100.0, True),
    ]
    assert renewals["issues"] == []
    assert not any(s["added"] for t in teams for s in t["stages"])


def test_pipeline_stages_adds_a_won_stage_and_folds_lost():
    stages = [
        {"Pipeline": "Main", "Stage": "Lost", "Position": "3", "Probability": ""},
        {
            "Pipeline": "Main",
            "Stage": "Proposal",
            "Position": "2",
            "Probability": "50%",
        },
        {"Pipeline": "Main", "Stage": "Lead", "Position": "1", "Probability": "10"},
    ]
    (team,) = pipeline_stages(None, stages)
    assert team["team"] == "Main" and team["issues"] == [] and team["line"] is None
    assert [
        (s["name"], s["sequence"], s["probability"], s["is_won"], s["fold"], s["added"])
        for s in team["stages"]
    ] == [
        ("Lead", 1, 10.0, False, False, False),
        ("Proposal", 2, 50.0, False, False, False),
        ("Lost", 3, 0.0, False, True, False),
        ("Won", 4, 100.0, True, True, True),
    ]
    assert [s["line"] for s in team["stages"]] == [4, 3, 2, None]


def test_pipeline_stages_problems():
    pipelines = [
        (2, {"Pipeline ID": "p1", "Pipeline Name": "Sales"}),
        (3, {"Pipeline ID": "p2", "Pipeline Name": "Service"}),
        (4, {"Pipeline ID": "p1", "Pipeline Name": "Sales"}),
    ]
    stages = [
        (2, {"Pipeline ID": "p1", "Stage Name": "New", "Stage Order": "b"}),
        (3, {"Pipeline ID": "p1", "Stage Name": "Won", "Stage Order": "2", "Won Stage": "yes"}),
        (4, {"Pipeline ID": "p1", "Stage Name": "new", "Stage Order": "1"}),
        (5, {"Pipeline Name": "Support", "Stage Name": "Open", "Stage Order": "1"}),
        (6, {"Stage Name": "Floating"}),
        (7, {"Pipeline ID": "p2", "Stage Name": "Triage", "Win Probability": "abc"}),
    ]  # fmt: skip
    sales, service, support = pipeline_stages(pipelines, stages)
    assert [s["name"] for s in sales["stages"]] == ["Won", "New"]  # unordered last
    assert sales["stages"][0]["is_won"] and sales["stages"][0]["probability"] is None
    reasons = [(i["line"], i["column"], i["reason"]) for i in sales["issues"]]
    assert reasons[0][:2] == (4, "Pipeline Name")
    assert "pipeline listed twice (first on line 2)" in reasons[0][2]
    assert reasons[1:] == [
        (2, "Stage Order", "stage order is not a number: placed after the ordered stages"),
        (4, "Stage Name", "stage listed twice in pipeline 'Sales' (first on line 2): loaded once"),
        (6, "Stage Name", "stage names no pipeline and there are several: not loaded"),
    ]  # fmt: skip
    assert [s["name"] for s in service["stages"]] == ["Triage", "Won"]
    assert service["issues"][0]["column"] == "Win Probability"
    assert support["team"] == "Support"
    assert "not in the pipelines file" in support["issues"][0]["reason"]


def test_pipeline_stages_single_pipeline_takes_unassigned_stages():
    (team,) = pipeline_stages(
        [{"Name": "Only"}], [{"Name": "A", "Order": "2"}, {"Name": "B", "Order": "1"}]
    )
    assert team["team"] == "Only"
    assert [s["name"] for s in team["stages"]] == ["B", "A", "Won"]
    assert pipeline_stages(None, None) == []


# --------------------------------------------------------------- opportunities


@pytest.mark.parametrize(
    "value,expected",
    [
        ("open", ("open", "open", None)),
        ("won", ("won", "won", None)),
        ("lost", ("lost", "lost", None)),
        ("abandoned", ("abandoned", "lost", "Abandoned")),
        ("Abandoned", ("abandoned", "lost", "Abandoned")),
        (" ABANDONED ", ("abandoned", "lost", "Abandoned")),
        ("", ("open", "open", None)),
        (None, ("open", "open", None)),
        ("Closed Won", ("won", "won", None)),
        ("Closed Lost", ("lost", "lost", None)),
    ],
)
def test_opportunity_status(value, expected):
    status = opportunity_status(value)
    assert isinstance(status, OpportunityStatus)
    assert tuple(status) == expected


def test_opportunity_status_unknown_and_samples(tables):
    with pytest.raises(TransformError, match="not a known lead status"):
        opportunity_status("maybe")
    seen = {}
    for _line, row in tables["opportunities.csv"].rows():
        s = opportunity_status(row["Status"])
        seen[s.status] = seen.get(s.status, 0) + 1
        if s.status == "abandoned":
            assert s.state == "lost" and s.lost_reason == "Abandoned"
            assert row["Lost Reason"] == ""
    assert seen == {"abandoned": 9, "lost": 11, "open": 29, "won": 11}


# ------------------------------------------------------------------ engagements


def test_engagement_note_email_sms():
    row = {"Type": "Note", "Body": "Prefers mornings", "Date": "03/14/2023 02:15 PM"}
    e = engagement_kind(row, tz="America/New_York")
    assert (e.kind, e.type, e.done, e.source_type) == ("message", "note", True, "note")
    assert e.date == dt.datetime(2023, 3, 14, 18, 15)  # EDT, UTC-4
    assert (e.message_type, e.subtype_xmlid) == ("comment", "mail.mt_note")
    assert e.activity_type_xmlid is None and e.ok and e.issues == []
    e = engagement_kind(
        {"Type": "Email", "Status": "opened", "Subject": "Hi", "Date": "01/05/2023 09:00 AM"},
        tz="America/New_York",
    )  # fmt: skip
    assert (e.kind, e.type, e.done, e.subject) == ("message", "email", True, "Hi")
    assert e.date == dt.datetime(2023, 1, 5, 14, 0)  # EST, UTC-5
    assert (e.message_type, e.subtype_xmlid) == ("email", "mail.mt_comment")
    e = engagement_kind(
        {"Type": "SMS", "Date": "2023-01-05T09:00:00Z"}, tz="America/New_York"
    )
    assert (e.kind, e.type) == ("message", "comment")
    assert e.date == dt.datetime(2023, 1, 5, 9, 0)  # an explicit offset wins


def test_engagement_activities():
    e = engagement_kind(
        {"Type": "Email", "Status": "scheduled", "Date": "01/05/2023 09:00 AM"}
    )
    assert (e.kind, e.type, e.done, e.deadline) == (
        "activity",
        "email",
        False,
        dt.date(2023, 1, 5),
    )
    assert e.activity_type_xmlid == "mail.mail_activity_data_email"
    row = {
        "Type": "Call",
        "Status": "completed",
        "Duration (sec)": "300",
        "User": "Alice@Example.com",
        "Direction": "Outbound",
        "Date": "06/19/2023 10:30 AM",
    }
    e = engagement_kind(row, tz="UTC")
    assert (e.kind, e.type, e.done) == ("activity", "call", True)
    assert e.date == dt.datetime(2023, 6, 19, 10, 30)
    assert e.deadline == dt.date(2023, 6, 19)
    assert (e.duration, e.author_email, e.direction) == (
        300,
        "alice@example.com",
        "outbound",
    )
    assert e.activity_type_xmlid == "mail.mail_activity_data_call"
    assert engagement_kind(dict(row, Status="voicemail")).done is True
    assert engagement_kind(dict(row, Status="Scheduled")).done is False
    meeting = {"Type": "Meeting", "Date": "06/19/2023 10:30 AM"}
    assert engagement_kind(meeting).done is True
    now = dt.datetime(2023, 6, 1)
    assert engagement_kind(meeting, now=now).done is False
    e = engagement_kind(meeting, now=dt.datetime(2023, 7, 1))
    assert (e.kind, e.type, e.done) == ("activity", "meeting", True)


def test_engagement_tasks(tables):
    rows = rows_of(tables["tasks.csv"])
    done = rows[3]  # completed, "Completed On" set
    e = engagement_kind(done, tz="America/New_York", default_type="task", line=3)
    assert (e.kind, e.type, e.done) == ("activity", "todo", True)
    assert e.date == dt.datetime(2023, 4, 19, 10, 0)  # 06:00 EDT
    assert e.deadline == dt.date(2023, 4, 19) and e.issues == []
    assert e.activity_type_xmlid == "mail.mail_activity_data_todo"
    open_ = rows[2]  # incomplete
    e = engagement_kind(open_, tz="America/New_York", line=2)  # guessed: Due Date
    assert (e.kind, e.type, e.done) == ("activity", "todo", False)
    assert e.date == dt.datetime(2023, 4, 2, 15, 0)  # created 11:00 EDT
    assert e.deadline == dt.date(2023, 4, 3) and e.issues == [] and e.ok
    counts = {}
    for line, row in rows.items():
        e = engagement_kind(row, default_type="task", line=line)
        assert e.issues == []
        counts[e.done] = counts.get(e.done, 0) + 1
    assert counts == {True: 20, False: 10}
    e = engagement_kind({"Title": "Call back", "Completed": "yes"}, default_type="task")
    assert e.done is True and e.deadline is None
    assert [i["reason"] for i in e.issues] == [
        "no due date and no date: the activity needs a deadline",
        "no timestamp: the original date is unknown",
    ]
    assert {i["kind"] for i in e.issues} == {"tasks"}
    # an explicit "Completed: no" wins over a completion date
    e = engagement_kind(
        {"Completed": "no", "Completed On": "04/01/2023", "Due Date": "04/02/2023"}
    )
    assert (e.type, e.done, e.deadline) == ("todo", False, dt.date(2023, 4, 2))


def test_engagement_bad_timestamp_and_unknown_type(tables):
    rows = rows_of(tables["engagements.csv"])
    e = engagement_kind(rows[21], tz="America/New_York", line=21)
    assert (e.kind, e.type, e.done) == ("activity", "call", True)
    assert e.date is None and not e.ok
    assert e.issues == [
        {
            "kind": "engagements",
            "line": 21,
            "column": "Date",
            "value": "02/30/2024 10:15 AM",
            "reason": "timestamp: '02/30/2024 10:15 AM' is not a valid date/time",
        }
    ]
    # every other sample engagement reads cleanly
    bad = [
        line
        for line, row in rows.items()
        if engagement_kind(row, tz="America/New_York", line=line).issues
    ]
    assert bad == [21]
    note = engagement_kind(rows[6])
    assert note.body == "Call summary:\nwants the annual plan\nsend contract Monday"
    e = engagement_kind({"Type": "Carrier pigeon", "Date": "01/02/2023"}, line=9)
    assert (e.kind, e.type) == ("message", "note")
    assert e.issues[0]["reason"] == "unknown engagement type: kept as a note"
    assert e.issues[0]["value"] == "Carrier pigeon" and e.issues[0]["line"] == 9
    e = engagement_kind({"Type": "Note", "Body": "x"})
    assert e.date is None and "no timestamp" in e.issues[0]["reason"]
    assert json.dumps(e.as_dict(), default=str)


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
