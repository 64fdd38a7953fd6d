"""engine.propose on the header conventions of real CRM exports it was not
written against: "Object - Field" prefixes (Pipedrive), a website URL beside a
company domain (HubSpot), won and lost moments, notes and tasks."""

from __future__ import annotations

import pytest

from engine.propose import own_header, propose_fields
from engine.tests.test_propose import column

# sample values of the columns these tests use (headers alone say less)
VALUES = {
    "name": ["Acme Corp", "Globex GmbH", "Initech LLC", "Umbrella plc"],
    "person": ["Ann Lee", "Bo Chen", "Cy Diaz", "Di Ross"],
    "email": ["ann@acme.com", "bo@globex.de", "cy@initech.com", "di@umbrella.co.uk"],
    "tier": ["Gold", "Silver", "Gold", "Bronze"],
    "id": ["1000", "1001", "1002", "1003"],
    "club": ["Oakmont", "Pebble", "Augusta", "Oakmont"],
    "domain": ["acme.com", "globex.de", "initech.com", "umbrella.co.uk"],
    "url": [
        "https://www.acme.com",
        "https://globex.de",
        "https://www.initech.com/",
        "http://umbrella.co.uk",
    ],
}
KIND = {
    "Name": "person", "Email": "email", "Website": "url", "Website URL": "url",
    "Domain": "domain", "Company Domain Name": "domain",
    "Person - Name": "person", "Person - Email (Work)": "email",
    "Person - Referral Source": "tier", "Organization - Customer Tier": "tier",
    "Organization - Golf Club": "club", "Organization - ID": "id",
}  # fmt: skip


def _by_column(target, headers):
    cols = [column(h, VALUES[KIND.get(h, "name")]) for h in headers]
    return {p.column: p for p in propose_fields(target, cols)}


@pytest.mark.parametrize(
    ("target", "header", "own"),
    [
        ("company", "Organization - Customer Tier", "Customer Tier"),
        (
            "company",
            "Organization - Address - City of Address",
            "Address - City of Address",
        ),
        ("company", "Account: Industry", "Industry"),
        ("contact", "Person - Referral Source", "Referral Source"),
        ("contact", "Contact – Lead Score", "Lead Score"),
        ("lead", "Deal - Won time", "Won time"),
        ("lead", "Opportunity: Next Step", "Next Step"),
        # another object's prefix, no separator, a hyphen inside a word
        ("contact", "Organization - Name", None),
        ("company", "Deal - ID", None),
        ("contact", "Organization", None),
        ("contact", "E-mail", None),
        ("lead", "Pipeline - Stage", None),
    ],
)
def test_own_header_strips_only_the_files_own_object(target, header, own):
    assert own_header(target, header) == own


def test_new_field_is_named_without_the_own_object_prefix():
    props = _by_column(
        "contact",
        ["Person - Name", "Person - Email (Work)", "Person - Referral Source"],
    )
    new = props["Person - Referral Source"].new_field
    assert new["label"] == "Referral Source"
    assert new["name"] == "x_referral_source"
    assert props["Person - Email (Work)"].field == "email"
    company = _by_column(
        "company",
        ["Organization - ID", "Organization - Name", "Organization - Customer Tier"],
    )
    assert company["Organization - Customer Tier"].new_field["label"] == (
        "Customer Tier"
    )
    assert company["Organization - Name"].field == "name"


def test_a_prefix_naming_another_object_stays_in_the_label():
    props = _by_column(
        "contact",
        ["Name", "Email", "Person - Organization", "Organization - Golf Club"],
    )
    new = props["Organization - Golf Club"].new_field
    assert new["label"] == "Organization - Golf Club"


@pytest.mark.parametrize(
    "headers",
    [
        ["Company name", "Company Domain Name", "Website URL"],
        ["Company name", "Website URL", "Company Domain Name"],
        ["Account Name", "Domain", "Website"],
    ],
)
def test_the_website_column_beats_the_domain_column(headers):
    props = _by_column("company", headers)
    website = [c for c, p in props.items() if p.field == "website"]
    assert website == [h for h in headers if "Web" in h]


# ------------------------------------------------------------ notes and tasks
def _eng(row, **kw):
    from engine.convert.engagements import engagement_kind

    return engagement_kind(row, tz="America/Chicago", **kw)


def test_an_activity_marked_done_keeps_its_done_time():
    row = {
        "Activity - Subject": "Discovery call",
        "Activity - Type": "Call",
        "Activity - Due date": "2026-11-03",
        "Activity - Done": "Done",
        "Activity - Marked as done time": "2026-11-04 09:57:56",
        "Activity - Assigned to user": "Maria Keller",
    }
    eng = _eng(row)
    assert (eng.kind, eng.type, eng.done) == ("activity", "call", True)
    assert str(eng.date) == "2026-11-04 15:57:56"
    assert str(eng.deadline) == "2026-11-03"
    undone = _eng(
        dict(row, **{"Activity - Done": "Undone"})
        | {"Activity - Marked as done time": ""}
    )
    assert undone.done is False


def test_a_task_closed_time_and_a_note_created_or_added_time_are_read():
    task = _eng(
        {
            "Subject": "Send proposal",
            "Task Type": "Task",
            "Due Date": "01/01/2027",
            "Status": "Completed",
            "Closed Time": "12/30/2026 10:15 AM",
            "Task Owner": "Laura Brennan",
        },
        default_type="task",
    )
    assert (task.kind, task.done, str(task.date)) == (
        "activity",
        True,
        "2026-12-30 16:15:00",
    )
    deferred = _eng(
        {"Subject": "Later", "Due Date": "01/02/2027", "Status": "Deferred"},
        default_type="task",
    )
    assert deferred.done is False
    for header in ("Created Time", "Note - Add time"):
        note = _eng({"Note Content": "Hello", header: "2026-05-16 10:35"},
                    default_type="note")  # fmt: skip
        assert (note.kind, str(note.date)) == ("message", "2026-05-16 15:35:00")


def test_an_email_with_a_due_date_is_an_email_activity_not_a_logged_email():
    row = {
        "Task Title": "Email pricing sheet",
        "Task Type": "Email",
        "Due Date": "2026-10-02 10:00",
        "Task Status": "Completed",
        "Completed at": "2026-10-01 15:00",
    }
    eng = _eng(row)
    assert (eng.kind, eng.type, eng.done) == ("activity", "email", True)
    assert str(eng.date) == "2026-10-01 20:00:00"
    logged = _eng({"Type": "Email", "Date": "2026-10-01 15:00", "Body": "Hi"})
    assert (logged.kind, logged.type) == ("message", "email")
