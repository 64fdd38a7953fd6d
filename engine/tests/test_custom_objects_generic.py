"""The generic source finds custom objects itself (issue 13): a file whose rows
each name a contact by email or id, several rows per contact, with values of
their own, is proposed as a custom object with a confidence, a reason naming
the counts, and its link column as fields of the proposal (not words of the
reason). An attachment row may name the custom object's row it belongs to."""

from __future__ import annotations

from engine.convert.attachment import convert as convert_attachment
from engine.propose import propose_custom_object
from engine.readers import Table
from engine.sources.base import get_source

ENROLMENTS = ["Enrolment ID", "Student Email", "Program", "Cohort", "Enrolled On"]
ROWS = [
    ("e-1", "mia@example.com", "Data Science", "2023A", "02/13/2023"),
    ("e-2", "MIA@example.com ", "Design", "2023A", "03/01/2023"),
    ("e-3", "mia@example.com", "Marketing", "2023B", "04/10/2023"),
    ("e-4", "noah@example.com", "Design", "2023B", "05/02/2023"),
    ("e-5", "lea@example.com", "Data Science", "2023B", "06/02/2023"),
]


def _table(name, headers, rows):
    records = [dict(zip(headers, row, strict=True)) for row in rows]
    return Table.from_records(name, lambda: records, headers)


def test_rows_naming_a_contact_by_email_several_times_are_a_custom_object():
    table = _table("enrolments.csv", ENROLMENTS, ROWS)
    proposal = get_source("generic").object_proposal(table)
    assert (proposal.target, proposal.custom_object, proposal.link_column) == (
        "contact",
        True,
        "Student Email",
    )
    # 0.7, + 0.1 for the file's name, + 0.05 for 5 rows over 3 contacts
    assert proposal.confidence == 0.85
    assert proposal.reason.startswith(
        "Each row names its contact by Student Email (5 rows, 3 contacts, up to "
        "3 rows for one) and carries values of its own (Program, Cohort, Enrolled On)"
    )
    assert get_source("generic").object_hint(table) == "membership"


def test_a_contact_id_links_too_and_a_plain_name_is_less_sure():
    headers = ["Customer ID", "Plan", "Seats", "Renewal Date"]
    rows = [("c-1", "Pro", "5", "2024-01-01"), ("c-1", "Team", "2", "2024-02-01"),
            ("c-2", "Pro", "1", "2024-03-01")]  # fmt: skip
    proposal = get_source("generic").object_proposal(
        _table("export.csv", headers, rows)
    )
    assert (proposal.custom_object, proposal.link_column, proposal.confidence) == (
        True,
        "Customer ID",
        0.75,
    )


def test_what_is_not_a_custom_object():
    generic = get_source("generic")
    # one row per contact: a list of contacts with a few extra columns
    one_each = [r for r in ROWS if r[0] in ("e-1", "e-4", "e-5")]
    table = _table("enrolments.csv", ENROLMENTS, one_each)
    assert not generic.object_proposal(table).custom_object
    # a deals file names its contact on many rows, but it is clearly deals
    deals = ["Deal Name", "Contact Email", "Amount", "Stage", "Close Date"]
    rows = [("A", "mia@example.com", "10", "New", "2024-01-01"),
            ("B", "mia@example.com", "20", "Won", "2024-02-01")]  # fmt: skip
    proposal = generic.object_proposal(_table("deals.csv", deals, rows))
    assert (proposal.target, proposal.custom_object) == ("lead", False)
    # notes are chatter, whatever the file is called
    notes = ["Contact Email", "Note", "Date"]
    rows = [("mia@example.com", "hello", "2024-01-01"),
            ("mia@example.com", "again", "2024-01-02")]  # fmt: skip
    assert not generic.object_proposal(_table("export.csv", notes, rows)).custom_object
    # a file named as a converted object (tasks) stays that object
    tasks = _table("tasks.csv", ENROLMENTS, ROWS)
    assert not generic.object_proposal(tasks).custom_object
    # only the contact's own fields beside the link: nothing of its own
    thin = ["Contact Email", "First Name", "Phone", "Plan"]
    rows = [("mia@example.com", "Mia", "1", "A"), ("mia@example.com", "Mia", "1", "B")]
    assert (
        propose_custom_object(
            "x.csv", thin, [dict(zip(thin, r, strict=True)) for r in rows]
        )
        is None
    )
    # an email column whose values are not emails links nothing
    bad = [(r[0], "n/a", *r[2:]) for r in ROWS]
    assert not generic.object_proposal(_table("x.csv", ENROLMENTS, bad)).custom_object


def test_other_systems_keep_their_own_rule():
    table = _table("enrolments.csv", ENROLMENTS, ROWS)
    # crmConnect recognises its own memberships export by its name: the kind
    # decides (a custom object through its hint), not the generic row reading
    crmconnect = get_source("crmconnect")
    assert not crmconnect.object_proposal(table).custom_object
    assert crmconnect.object_hint(table) == "membership"


def test_an_attachment_names_the_custom_object_row_it_belongs_to():
    row = {"File Name": "certificate.pdf", "URL": "https://files.example.com/c.pdf",
           "Record Type": "Enrolment", "Record ID": " e-2 "}  # fmt: skip
    rec = convert_attachment(row)
    assert rec.object_ref == ("Enrolment", "e-2")
    assert rec.columns["object_ref"] == "Record Type"
    plain = convert_attachment({"File Name": "a.pdf", "URL": "https://x.io/a.pdf"})
    assert plain.object_ref is None
