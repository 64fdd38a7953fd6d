"""engine.sources.allclients: headers, object hints, the notes join, note times and
groups (custom fields, tasks, templates, attachments: test_sources_allclients_parts;
the API client, proposals and the samples: test_sources_allclients_api)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from engine.sources.allclients import (
    KINDS,
    AllClientsSource,
    NoteLink,
    RowError,
    canonical_header,
    canonical_row,
    clean_id,
    contact_key,
    detect_kind,
    group_members,
    group_tags,
    normalize_headers,
    note_datetime,
    note_parts,
    rejoin_notes,
)
from engine.sources.base import SOURCES, get_source
from engine.transform import TransformError

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[1] / "samples" / "allclients"
GENERATOR = HERE.parents[1] / "samples" / "gen_allclients.py"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_api_tests = _load("crm_test_api_loopback", HERE / "test_api.py")
Loopback = _api_tests.Loopback
SECRET = _api_tests.SECRET


def sample_tables():
    """The tables of samples/allclients/, by file name."""
    return {t.name: t for t in AllClientsSource().tables(SAMPLES)}


@pytest.fixture(scope="module")
def tables():
    return sample_tables()


@pytest.fixture(scope="module")
def rows(tables):
    return {name: list(t.rows()) for name, t in tables.items()}


# ------------------------------------------------------------------ registry and headers


def test_registered_like_generic():
    source = get_source("allclients")
    assert isinstance(source, AllClientsSource)
    assert SOURCES["allclients"] is AllClientsSource
    assert source.system == "allclients" and source.label
    assert set(KINDS) == {
        "contact",
        "note",
        "activity",
        "user",
        "template",
        "campaign",
        "group",
        "attachment",
    }
    assert KINDS["note"]["model"] == "mail.message"
    assert KINDS["campaign"]["model"] == "crm.tag"
    assert KINDS["group"]["model"] == "res.partner.category"


@pytest.mark.parametrize(
    "header,kind,canonical",
    [
        ("contactid", "contact", "Contact ID"),
        ("Contact Id", "contact", "Contact ID"),
        ("CONTACT_ID", None, "Contact ID"),
        ("ID", "contact", "Contact ID"),
        ("ID", None, "ID"),
        ("firstname", "contact", "First Name"),
        ("E-mail Address", "contact", "Email"),
        ("otheremail", "contact", "Other Email"),
        ("phone1", "contact", "Phone 1"),
        ("Phone #2", "contact", "Phone 2"),
        ("postalcode", "contact", "Zip"),
        ("adddate", "contact", "Add Date"),
        ("Date Added", "contact", "Add Date"),
        ("editdate", "contact", "Edit Date"),
        ("Flags", "contact", "Tags"),
        ("Workgroups", "contact", "Groups"),
        ("teammemberid", "contact", "Team Member ID"),
        ("custom3", "contact", "Custom 3"),
        ("Custom Field 12", "contact", "Custom 12"),
        ("Anniversary", "contact", "Anniversary"),
        ("notecontent", "note", "Note"),
        ("date", "note", "Date"),
        ("todoid", "activity", "To Do ID"),
        ("duedate", "activity", "Due Date"),
        ("completedate", "activity", "Completed Date"),
        ("subjectline", "template", "Subject"),
        ("messagebody", "template", "Body"),
        ("filename", "attachment", "File Name"),
    ],
)
def test_canonical_header(header, kind, canonical):
    assert canonical_header(header, kind) == canonical


def test_custom_labels_and_no_merging():
    assert canonical_header("custom1", "contact", {1: "Anniversary"}) == "Anniversary"
    assert canonical_header("custom2", "contact", {"2": "Spouse"}) == "Spouse"
    mapping = normalize_headers(["Email", "E-mail", "email address"], "contact")
    # one column gets the canonical name; the others keep theirs: nothing is merged
    assert mapping == {
        "Email": "Email",
        "E-mail": "E-mail",
        "email address": "email address",
    }
    mapping = normalize_headers(["E-mail", "Email"], "contact")
    assert mapping == {"E-mail": "E-mail", "Email": "Email"}
    assert normalize_headers(["contactid", "Contact ID"], "contact") == {
        "contactid": "contactid",
        "Contact ID": "Contact ID",
    }


def test_tables_rename_headers_and_keep_raw_ones():
    data = (
        b"contactid,firstname,lastname,email,phone1,adddate,custom1\r\n"
        b"64704,Rasmus,Lerdorf,r@php.example,(512) 555-0101,12/31/2014 12:46:50 PM,Gold\r\n"
    )
    (table,) = AllClientsSource().tables({"GetContacts dump.csv": data})
    assert table.headers == [
        "Contact ID",
        "First Name",
        "Last Name",
        "Email",
        "Phone 1",
        "Add Date",
        "Custom 1",
    ]
    assert table.raw_headers[0] == "contactid"
    ((line, row),) = list(table.rows())
    assert line == 2 and row["Contact ID"] == "64704" and row["Add Date"].endswith("PM")
    assert AllClientsSource().object_hint(table) == "contact"


def test_canonical_row_of_an_api_record():
    record = {"id": 64704, "firstname": "Rasmus", "phone1": None, "custom1": 3.0}
    assert canonical_row(record, "contact") == {
        "Contact ID": "64704",
        "First Name": "Rasmus",
        "Phone 1": "",
        "Custom 1": "3",
    }


# ------------------------------------------------------------------ object hints

HINTS = {
    "contacts.csv": "contact",
    "notes.csv": "note",
    "users.csv": "user",
    "tasks.csv": "activity",
    "email_templates.csv": "template",
    "campaigns.csv": "campaign",
    "attachments.csv": "attachment",
}


@pytest.mark.parametrize("name,kind", sorted(HINTS.items()))
def test_object_hint_on_each_sample_file(tables, name, kind):
    assert AllClientsSource().object_hint(tables[name]) == kind
    assert KINDS[kind]["model"]


def test_samples_folder_is_complete(tables):
    assert sorted(tables) == sorted(HINTS)


@pytest.mark.parametrize(
    "name,headers,kind",
    [
        ("export1.csv", ["contactid", "date", "notecontent"], "note"),
        ("x.csv", ["Contact ID", "Email", "Note Date", "Notes"], "note"),
        ("x.csv", ["todoid", "contactid", "summary", "duedate", "status"], "activity"),
        ("x.csv", ["Group", "Contact ID", "Email"], "group"),
        ("x.csv", ["Name", "Email", "Role", "Status"], "user"),
        ("x.csv", ["id", "name", "subjectline", "messagebody"], "template"),
        ("x.csv", ["Campaign", "Send Date", "Opens"], "campaign"),
        ("x.csv", ["Contact ID", "File Name", "URL"], "attachment"),
        ("x.csv", ["First Name", "Last Name", "Notes"], "contact"),
        ("AllClients Follow-Ups.csv", ["a", "b"], "activity"),
        ("Data Migration.csv", ["a", "b"], "contact"),
        ("ContactNotes.csv", ["a", "b"], "note"),
        ("random.csv", ["a", "b"], None),
    ],
)
def test_detect_kind_from_columns_then_name(name, headers, kind):
    assert detect_kind(name, headers) == kind


# ------------------------------------------------------------------ the notes join

CONTACTS = [
    (2, {"Contact ID": "101", "Email": "ana@x.example", "First Name": "Ana"}),
    (
        3,
        {
            "Contact ID": "102",
            "Email": "bo@new.example",
            "Other Email": "bo@home.example",
        },
    ),
    (4, {"Contact ID": "103", "Email": ""}),  # no email
    (5, {"Contact ID": "104", "Email": "family@x.example"}),
    (6, {"Contact ID": "105", "Email": "FAMILY@x.example"}),  # shared
    (7, {"Contact ID": "", "Email": ""}),  # nothing to key on: never a target
]


def _notes(*rows):
    return [
        (i + 2, {"Date": "1/2/2015 3:04 PM", "Note": f"n{i}", **r})
        for i, r in enumerate(rows)
    ]


def test_rejoin_by_email():
    result = rejoin_notes(
        CONTACTS,
        _notes(
            {"Email": " Ana@X.Example ", "Contact ID": ""},
            {"Email": "ana@x.example", "Contact ID": "101"},
            {"Email": "bo@home.example"},  # the contact's other email
        ),
    )
    assert result.orphans == []
    assert [
        (k, link.matched_by, link.line, link.contact_line)
        for link in result.links
        for k in [link[0]]
    ] == [
        ("101", "email", 2, 2),
        ("101", "email", 3, 2),
        ("102", "other email", 4, 3),
    ]
    key, note = result.links[0]  # unpacks as (contact key, note row)
    assert key == "101" and note["Note"] == "n0"
    assert isinstance(result.links[0], NoteLink) and result.links[0].note is note


def test_rejoin_by_id_fallback():
    result = rejoin_notes(
        CONTACTS,
        _notes(
            {"Email": "bo@old.example", "Contact ID": "102"},  # email changed
            {"Email": "", "Contact ID": "103"},  # no email
            {
                "Email": "family@x.example",
                "Contact ID": "105",
            },  # shared email, id decides
            {"Email": "", "Contact ID": "103.0"},  # Excel turned the id into a float
        ),
    )
    assert result.orphans == []
    assert [(link[0], link.matched_by) for link in result.links] == [
        ("102", "id"),
        ("103", "id"),
        ("105", "id"),
        ("103", "id"),
    ]
    assert "matches no contact (changed?)" in result.links[0].detail
    assert "matches 2 contacts" in result.links[2].detail
    assert result.counts == {"read": 4, "orphans": 0, "by id": 4}


def test_rejoin_orphans_with_reasons():
    result = rejoin_notes(
        CONTACTS,
        _notes(
            {"Email": "gone@x.example", "Contact ID": "999"},
            {"Email": "", "Contact ID": ""},
            {"Email": "family@x.example", "Contact ID": ""},
            {"Email": "ana@x.example", "Contact ID": "102"},
            {"Email": "nobody@x.example"},
            {"Contact ID": "777"},
        ),
    )
    assert result.links == []
    got = [(o.line, o.column, o.value, o.reason) for o in result.orphans]
    assert got[0][:3] == (2, "Email", "gone@x.example")
    assert "matches no contact; contact id 999 matches no contact" in got[0][3]
    assert got[1][3] == "no email and no contact id to find its contact"
    assert got[2][3].startswith(
        "ambiguous: email family@x.example matches 2 contacts (lines 5, 6)"
    )
    assert got[3][:3] == (5, "Contact ID", "102")
    assert got[3][3].startswith(
        "conflict: email ana@x.example is the contact on line 2"
    )
    assert got[4][3].startswith("email nobody@x.example matches no contact")
    assert got[5][:3] == (7, "Contact ID", "777")
    assert result.orphans[0].row["Note"] == "n0"


def test_rejoin_with_raw_headers_and_a_key_column():
    contacts = [(2, {"contactid": "9", "emailaddress": "z@x.example"})]
    notes = [(2, {"contactid": "", "email": "Z@x.example", "notecontent": "hi"})]
    result = rejoin_notes(contacts, notes)
    assert [link[0] for link in result.links] == ["9"]
    # the loader keys contacts by email instead of id
    result = rejoin_notes(contacts, notes, key="Email")
    assert [link[0] for link in result.links] == ["z@x.example"]
    result = rejoin_notes(contacts, notes, key=lambda row: "K" + row["Contact ID"])
    assert [link[0] for link in result.links] == ["K9"]


def test_contact_key_and_clean_id():
    assert contact_key({"Contact ID": " 64704 ", "Email": "a@b.example"}) == "64704"
    assert contact_key({"contactid": "", "email": "A@B.example"}) == "email:a@b.example"
    assert contact_key({"Contact ID": "", "Email": ""}) is None
    assert clean_id("#064704") == "64704" and clean_id("64704.0") == "64704"
    assert clean_id("AB-12") == "AB-12" and clean_id("  ") is None


def test_rejoin_on_the_samples(rows):
    result = rejoin_notes(rows["contacts.csv"], rows["notes.csv"])
    assert result.counts["read"] == 120
    assert len(result.orphans) == 4
    reasons = sorted(o.reason.split(":")[0].split(" ")[0] for o in result.orphans)
    assert reasons == ["ambiguous", "conflict", "email", "no"]
    assert result.counts["by other email"] == 1
    by_line = {link.line: link for link in result.links}
    notes = dict(rows["notes.csv"])
    changed = [
        line for line, n in notes.items() if n["Email"].endswith("@oldmail.example")
    ]
    assert len(changed) == 3 and all(
        by_line[line].matched_by == "id" for line in changed
    )
    no_email = [line for line, n in notes.items() if not n["Email"] and n["Contact ID"]]
    assert len(no_email) == 2 and all(
        by_line[line].matched_by == "id" for line in no_email
    )


# ------------------------------------------------------------------ note times


@pytest.mark.parametrize(
    "value,utc",
    [
        ("12/31/2014 12:46:50 PM", dt.datetime(2014, 12, 31, 18, 46, 50)),  # CST -6
        ("10/2/2014 3:22 PM", dt.datetime(2014, 10, 2, 20, 22)),  # CDT -5
        (
            "3/9/2014 1:30 AM",
            dt.datetime(2014, 3, 9, 7, 30),
        ),  # before the spring change
        ("3/9/2014 3:30 AM", dt.datetime(2014, 3, 9, 8, 30)),  # after it
        ("11/2/2014 1:30 AM", dt.datetime(2014, 11, 2, 6, 30)),  # repeated hour: 1st
        (
            "11/2/2014 2:30 AM",
            dt.datetime(2014, 11, 2, 8, 30),
        ),  # after the autumn change
        ("2/1/2015", dt.datetime(2015, 2, 1, 6, 0)),  # a date alone: midnight Central
    ],
)
def test_note_datetime_central_to_utc_across_dst(value, utc):
    assert note_datetime(value) == utc


def test_note_datetime_edges():
    assert note_datetime("") is None and note_datetime(None) is None
    assert note_datetime("10/2/2014 3:22 PM", tz="UTC") == dt.datetime(
        2014, 10, 2, 15, 22
    )
    with pytest.raises(TransformError):
        note_datetime("13/45/2014 9:00 AM")


def test_note_parts():
    parts = note_parts(
        {"Date": "10/8/2014 4:15 PM", "Note": "[[System]][[Icon:Email]] Sent: Hi"}
    )
    assert parts == {
        "date": dt.datetime(2014, 10, 8, 21, 15),
        "body": "Sent: Hi",
        "system": True,
        "icon": "Email",
    }
    plain = note_parts({"date": "", "notecontent": "Line 1\r\nLine 2"})
    assert plain == {
        "date": None,
        "body": "Line 1\nLine 2",
        "system": False,
        "icon": None,
    }
    with pytest.raises(RowError) as err:
        note_parts({"Date": "someday", "Note": "x"})
    assert err.value.column == "Date" and err.value.value == "someday"


# ------------------------------------------------------------------ groups


def test_group_tags():
    assert group_tags({"Groups": "Premier Clients, Seminar Attendees"}) == [
        "Group: Premier Clients",
        "Group: Seminar Attendees",
    ]
    assert group_tags({"Groups": "A; b | a\nC ", "Tags": "VIP"}) == [
        "Group: A",
        "Group: b",
        "Group: C",
    ]
    row = {
        "Group: VIP": "X",
        "Group - Gold Clients": "Yes",
        "[Group] Prospects": "no",
        "Group/Seminar": "",
        "Group: Renewals": "Renewals",
        "Group Name": "Referral Partners",
    }
    assert group_tags(row) == [
        "Group: VIP",
        "Group: Gold Clients",
        "Group: Renewals",
        "Group: Referral Partners",
    ]
    assert group_tags({"Groups": ""}) == [] and group_tags({}) == []
    assert group_tags({"Groups": "VIP"}, prefix="AC group / ") == ["AC group / VIP"]


def test_group_members_from_a_separate_file():
    groups = [
        (2, {"Group": "VIP", "Contact ID": "101", "Email": ""}),
        (3, {"Group": "vip", "Contact ID": "", "Email": "ana@x.example"}),  # same again
        (4, {"Group": "Gold", "Contact ID": "103"}),
        (5, {"Group": "Gold", "Contact ID": "999"}),
        (6, {"Group": "", "Contact ID": "101"}),
    ]
    tags, orphans = group_members(CONTACTS, groups)
    assert tags == {"101": ["Group: VIP"], "103": ["Group: Gold"]}
    assert [(o.line, o.reason.split(" ")[0]) for o in orphans] == [
        (5, "contact"),
        (6, "no"),
    ]


def test_group_tags_on_the_samples(rows):
    tagged = [group_tags(r) for _l, r in rows["contacts.csv"]]
    assert sum(1 for t in tagged if t) >= 20
    assert {t for tags in tagged for t in tags} <= {
        "Group: Premier Clients",
        "Group: Prospects 2024",
        "Group: Referral Partners",
        "Group: Seminar Attendees",
    }
