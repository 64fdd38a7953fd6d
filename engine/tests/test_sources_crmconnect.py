"""engine.sources.crmconnect: file kinds, dependency order, pipelines and stages,
statuses and engagements (appointments, custom properties, cross-file dedupe and
the samples in samples/crmconnect/: test_sources_crmconnect_files.py)."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from engine.readers import Table
from engine.sources import crmconnect as cc
from engine.sources.base import SOURCES, get_source
from engine.sources.crmconnect import (
    CrmConnectSource,
    OpportunityStatus,
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
