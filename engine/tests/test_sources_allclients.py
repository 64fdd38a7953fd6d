"""engine.sources.allclients: headers, object hints, the notes join, note times, groups,
custom fields, tasks, templates, attachments, the API client (against the loopback
server of test_api.py) and the samples of samples/allclients/."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from engine.api import ApiError, AuthError
from engine.profile import profile_table
from engine.propose import propose_fields, propose_key, propose_object
from engine.sources.allclients import (
    KINDS,
    AllClientsClient,
    AllClientsSource,
    NoteLink,
    RowError,
    activity_type,
    attachment_parts,
    canonical_header,
    canonical_row,
    clean_id,
    contact_key,
    custom_field_specs,
    detect_kind,
    group_members,
    group_tags,
    normalize_headers,
    note_datetime,
    note_parts,
    parse_size,
    rejoin_notes,
    sanitize_html,
    task_activity,
    template_parts,
)
from engine.sources.allclients.client import _records
from engine.sources.base import SOURCES, get_source
from engine.transform import TransformError, apply

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


@pytest.fixture(scope="module")
def tables():
    return {t.name: t for t in AllClientsSource().tables(SAMPLES)}


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


# ------------------------------------------------------------------ custom fields


def test_custom_field_specs_on_the_sample(tables):
    table = tables["contacts.csv"]
    specs = {
        s["column"]: s for s in custom_field_specs(table.headers, profile_table(table))
    }
    assert list(specs) == [
        "Anniversary",
        "Policy Count",
        "Annual Premium",
        "Preferred Method",
        "Interests",
    ]
    assert (
        specs["Anniversary"]["type"] == "date"
        and specs["Anniversary"]["name"] == "x_anniversary"
    )
    assert (
        specs["Policy Count"]["type"] == "integer"
        and specs["Policy Count"]["transform"] == "int"
    )
    assert specs["Annual Premium"]["type"] == "float"
    assert specs["Annual Premium"]["transform"] == "money"
    assert specs["Preferred Method"]["type"] == "selection"
    assert specs["Preferred Method"]["selection"] == ["Phone", "Email", "Text"]
    interests = specs["Interests"]
    assert interests["type"] == "many2many" and interests["transform"] == "list"
    assert interests["relation"] == "res.partner.category"
    assert interests["relation_table"].startswith("x_")
    assert set(interests["choices"]) == {
        "Golf",
        "Travel",
        "Boating",
        "Fishing",
        "Gardening",
        "Cooking",
    }
    assert all(s["reason"] for s in specs.values())


def test_custom_field_specs_without_profile_and_custom_n():
    headers = ["Contact ID", "First Name", "custom1", "custom2", "Group: VIP", "Spouse"]
    specs = custom_field_specs(
        headers, None, taken={"x_custom_2"}, custom_labels={1: "Hobby"}
    )
    assert [(s["column"], s["name"], s["type"]) for s in specs] == [
        ("custom1", "x_hobby", "char"),
        ("custom2", "x_custom_2_2", "char"),
        ("Spouse", "x_spouse", "char"),
    ]
    long_text = {
        "columns": [
            {
                "name": "Background",
                "type": "text",
                "confidence": 1.0,
                "details": {"max_length": 400, "multiline": True},
                "samples": [
                    "Met at the seminar, wants a quote, call back later, his wife runs the shop"
                ],
                "top_values": [],
            }
        ]
    }
    (spec,) = custom_field_specs(["Background"], long_text)
    assert spec["type"] == "text"  # free text with commas is not tags


# ------------------------------------------------------------------ tasks


def test_task_activity_mapping():
    open_call = task_activity(
        {
            "To Do ID": "540234",
            "Contact ID": "4232",
            "Category": "Phone Call",
            "Priority": "1",
            "Summary": "Call about order",
            "Details": "Karen was interested in ordering new furniture",
            "Due Date": "12/3/2014",
            "Status": "open",
            "Team Member": "Marcus Bell",
        }
    )
    assert open_call == {
        "type": "call",
        "summary": "Call about order",
        "date_deadline": dt.date(2014, 12, 3),
        "done": False,
        "date_done": None,
        "note": "Karen was interested in ordering new furniture",
        "priority": "high",
        "user": "Marcus Bell",
        "contact_id": "4232",
        "email": None,
        "category": "Phone Call",
        "category_known": True,
    }
    done = task_activity(
        {"category": "Email", "summary": "Send quote", "duedate": "12/3/2014",
         "status": "closed", "completedate": "12/2/2014"}
    )  # fmt: skip
    assert done["type"] == "email" and done["done"] is True
    assert done["date_done"] == dt.date(2014, 12, 2)
    assert (
        task_activity({"Category": "Meeting", "Due Date": "1/5/2015"})["type"]
        == "meeting"
    )
    letter = task_activity(
        {"Category": "Letter", "Due Date": "1/5/2015", "Completed Date": "1/6/2015"}
    )
    assert letter["type"] == "todo" and letter["done"] and letter["category_known"]
    blank = task_activity(
        {
            "Category": "",
            "Summary": "",
            "Details": "Check\nmore",
            "Due Date": "1/5/2015",
        }
    )
    assert blank["type"] == "todo" and blank["summary"] == "Check"
    # AllClients' own "No Category" is a task without one: a to-do, no review
    for none in ("No Category", "none", "Uncategorized"):
        plain = task_activity({"Category": none, "Due Date": "1/5/2015"})
        assert (plain["type"], plain["category_known"]) == ("todo", True), none
        assert plain["summary"] == "To do"
    odd = task_activity({"Category": "Fax", "Due Date": "1/5/2015"})
    assert odd["type"] == "todo" and odd["category_known"] is False
    closed = task_activity({"Due Date": "1/5/2015", "Status": "Closed"})
    assert closed["done"] is True and closed["date_done"] is None
    assert (
        activity_type("E-mail") == "email" and activity_type("appointment") == "meeting"
    )


def test_task_activity_bad_values_name_their_column():
    with pytest.raises(RowError) as err:
        task_activity({"Due Date": "31/31/2020"})
    assert err.value.column == "Due Date" and err.value.value == "31/31/2020"
    assert isinstance(err.value, TransformError)
    with pytest.raises(RowError) as err:
        task_activity({"Due Date": "1/5/2015", "Status": "Someday"})
    assert err.value.column == "Status"


def test_tasks_sample(rows):
    results, errors = [], []
    for line, row in rows["tasks.csv"]:
        try:
            results.append(task_activity(row))
        except RowError as exc:
            errors.append((line, exc.column))
    assert errors == [(9, "Due Date"), (21, "Status")]
    assert {r["type"] for r in results} == {"call", "email", "todo", "meeting"}
    assert sum(r["done"] for r in results) >= 8
    assert any(r["done"] and r["date_done"] is None for r in results)


# ------------------------------------------------------------------ templates


def test_sanitize_html_allow_list():
    dirty = (
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        '<p onclick="steal()" style="color:#333">Hello &amp; welcome <b>friend</b></p>'
        "<script>alert('x')</script><SCRIPT src=//evil.example/x.js></SCRIPT>"
        '<a href="javascript:alert(1)">bad</a> <a href=" JaVa\tScRiPt:alert(1)">bad2</a>'
        '<a href="https://carver.example/renew" target="_blank">Renew</a>'
        '<img src="https://www.allclients.com/images/logo.png" onerror="x()">'
        '<img src="//cdn.example/pixel.gif"><img src="data:image/png;base64,iVBORw0KGgo=">'
        '<table background="http://www.allclients.com/bg.jpg"><tr><td style="width:expression(alert(1))">x</td></tr></table>'
        '<div style="background:url(http://img.example/bg.png)">y</div>'
        '<iframe src="https://video.example"><p>inside</p></iframe>'
        '<form action="/x"><input name="q"><button>Go</button></form>'
        "<!-- tracking --><p>unclosed <i>tags"
    )
    result = sanitize_html(dirty)
    clean = result["html"]
    for bad in ("<script", "alert", "onclick", "onerror", "javascript", "<style", "<iframe",
                "inside", "<form", "<input", "<button", "expression", "<!--", "<title"):  # fmt: skip
        assert bad.lower() not in clean.lower(), bad
    assert '<p style="color:#333">Hello &amp; welcome <b>friend</b></p>' in clean
    assert (
        '<a href="https://carver.example/renew" target="_blank" rel="noopener noreferrer">Renew</a>'
        in clean
    )
    assert "Go" in clean and "<td>x</td>" in clean
    assert clean.endswith("<p>unclosed <i>tags</i></p>")
    assert result["image_urls"] == [
        "https://www.allclients.com/images/logo.png",
        "https://cdn.example/pixel.gif",
        "http://www.allclients.com/bg.jpg",
        "http://img.example/bg.png",
    ]
    assert 'src="data:image/png;base64,' in clean
    removed = " | ".join(result["removed"])
    for what in ("<script> element", "onclick attribute on <p>", "javascript: link", "<style> element",
                 "<iframe> element", "unsafe style on <td>", "<form> tag", "HTML comments"):  # fmt: skip
        assert what in removed, what


def test_sanitize_plain_text_and_edge_cases():
    assert (
        sanitize_html("Hi,\nuse <b>bold</b> & 5 < 6")["html"]
        == "Hi,\nuse <b>bold</b> &amp; 5 &lt; 6"
    )
    assert sanitize_html(None)["html"] == ""
    assert sanitize_html("<script/>ok")["html"] == "ok"
    assert (
        sanitize_html("<head><style>x</style><body><p>kept</p>")["html"]
        == "<p>kept</p>"
    )


def test_template_parts_on_the_samples(rows):
    parts = {
        p["name"]: p
        for p in (template_parts(r) for _l, r in rows["email_templates.csv"])
    }
    assert list(parts) == [
        "Welcome New Client",
        "Renewal Reminder",
        "Birthday Card",
        "Seminar Invite",
        "Plain Text Follow-up",
    ]
    welcome = parts["Welcome New Client"]
    assert welcome["subject"] == "Welcome to Carver Insurance"
    assert welcome["allclients_images"] == [
        "https://www.allclients.com/accounts/4711/images/logo.png"
    ]
    assert welcome["removed"] == []
    renewal = parts["Renewal Reminder"]
    assert (
        "<script" not in renewal["body_html"] and "onclick" not in renewal["body_html"]
    )
    assert renewal["image_urls"] == [
        "https://cdn.mail-assets.example/banner-renewal.jpg"
    ]
    assert renewal["allclients_images"] == []
    birthday = parts["Birthday Card"]
    assert (
        "<style" not in birthday["body_html"]
        and "expression" not in birthday["body_html"]
    )
    assert birthday["allclients_images"] == [
        "http://www.allclients.com/accounts/4711/images/confetti.jpg"
    ]
    seminar = parts["Seminar Invite"]
    assert "<iframe" not in seminar["body_html"] and "RSVP" in seminar["body_html"]
    assert parts["Plain Text Follow-up"]["body_html"].startswith(
        "Hi,\nJust following up"
    )


# ------------------------------------------------------------------ attachments


def test_attachment_parts():
    url = attachment_parts({"File Name": "a.pdf", "Contact ID": "7", "File Size": "245 KB",
                            "Uploaded": "1/10/2022", "URL": "https://www.allclients.com/f/a.pdf"})  # fmt: skip
    assert url["kind"] == "url" and url["size"] == 245 * 1024 and not url["large"]
    assert url["uploaded"] == dt.date(2022, 1, 10) and url["contact_id"] == "7"
    path = attachment_parts(
        {"filename": "", "path": "files/7/scan.pdf", "size": "14.2 MB"}
    )
    assert path["kind"] == "file" and path["name"] == "scan.pdf" and path["large"]
    assert attachment_parts({"File Name": "x"})["kind"] is None
    assert attachment_parts({"URL": "files/7/b.pdf"})["path"] == "files/7/b.pdf"
    assert parse_size("10485760") == 10485760 and parse_size("") is None
    with pytest.raises(RowError) as err:
        attachment_parts({"File Name": "x", "File Size": "big"})
    assert err.value.column == "File Size"


# ------------------------------------------------------------------ the API client

CONTACT_RECORDS = [
    {
        "id": 64700 + i,
        "firstname": f"First{i}",
        "lastname": f"Last{i}",
        "email": f"c{i}@x.example",
        "phone1": "(512) 555-0101",
        "adddate": "12/31/2014 12:46:50 PM",
        "editdate": "1/3/2015 7:03:10 AM",
        "custom1": "Gold" if i % 2 else "",
    }
    for i in range(7)
]


def allclients_script(shape="flat", notes=None):
    """Answers like the documented AllClients API (form posts, JSON on request,
    errors as 200 + {"error": ...})."""
    notes = notes or {}

    def script(req, n):
        form = req.form
        if req.method != "POST" or not req.path.startswith("/api/2/"):
            return 404, {}, "not found"
        if form.get("accountid") != "4711" or form.get("apikey") != SECRET:
            return 200, {}, {"error": "Authentication failed"}
        if form.get("response_type") != "json":
            return 200, {"Content-Type": "text/xml"}, "<results/>"
        method = req.path.rsplit("/", 1)[-1]
        if method == "GetContacts.aspx":
            size, offset = int(form["pagingsize"]), int(form["pagingoffset"])
            page = CONTACT_RECORDS[offset : offset + size]
            if shape == "flat":
                return 200, {}, {"contacts": page}
            return 200, {}, {"results": {"contacts": {"contact": page}}}
        if method == "GetContactNotes.aspx":
            if form.get("identifymethod") != "1":
                return 200, {}, {"error": "bad identifymethod"}
            found = notes.get(form["identifyvalue"])
            if found is None:
                return 200, {}, {"error": "Get Notes failed: Contact not found"}
            return 200, {}, {"results": {"notes": {"note": found}}}
        if method == "GetTeamMembers.aspx":
            return 200, {}, {"teammembers": [{"teammemberid": 0, "name": "Linda Carver",
                                              "email": "linda@x.example"}]}  # fmt: skip
        if method == "GetToDos.aspx":
            return 200, {}, {"todos": [{"todoid": 1, "contactid": 64700, "summary": "Call",
                                        "duedate": "12/3/2014", "status": "closed",
                                        "completedate": "12/2/2014", "category": "Phone Call"}]}  # fmt: skip
        return 200, {}, {"error": f"unknown method {method}"}

    return script


def ac_client(server, **kw):
    options = dict(backoff_factor=0, timeout=5, page_size=3, custom_labels={1: "Tier"})
    options.update(kw)
    return AllClientsClient("4711", SECRET, base_url=server.url, **options)


@pytest.mark.parametrize("shape", ["flat", "nested"])
def test_client_get_contacts_over_three_pages(shape):
    with Loopback(allclients_script(shape)) as server, ac_client(server) as client:
        got = list(client.get_contacts())
    assert len(got) == 7
    forms = [r.form for r in server.requests]
    assert [(f["pagingoffset"], f["pagingsize"]) for f in forms] == [
        ("0", "3"),
        ("3", "3"),
        ("6", "3"),
    ]
    assert all(f["response_type"] == "json" and f["accountid"] == "4711" for f in forms)
    assert all(r.path == "/api/2/GetContacts.aspx" for r in server.requests)
    first = got[0]
    assert first == {
        "Contact ID": "64700",
        "First Name": "First0",
        "Last Name": "Last0",
        "Email": "c0@x.example",
        "Phone 1": "(512) 555-0101",
        "Add Date": "12/31/2014 12:46:50 PM",
        "Edit Date": "1/3/2015 7:03:10 AM",
        "Tier": "",
    }
    assert got[1]["Tier"] == "Gold"
    # the same keys as the contacts export: the sample's maps apply
    sample_headers = (
        (SAMPLES / "contacts.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    )
    assert all(f'"{k}"' in sample_headers for k in first if k != "Tier")


def test_client_pages_resume_from_a_cursor():
    with Loopback(allclients_script()) as server, ac_client(server) as client:
        pages = client.contact_pages()
        first = next(pages)
        cursor = first.next_offset
        assert cursor == 3 and [r["Contact ID"] for r in first.items] == [
            "64700",
            "64701",
            "64702",
        ]
        pages.close()
        rest = list(client.get_contacts(offset=cursor))
    assert [r["Contact ID"] for r in rest] == ["64703", "64704", "64705", "64706"]
    assert [r.form["pagingoffset"] for r in server.requests] == ["0", "3", "6"]


def test_client_get_contact_notes_joins_like_the_export():
    notes = {
        "64701": [
            {
                "date": "10/2/2014 3:22 PM",
                "notecontent": "Called customer.  No answer.",
            },
            {
                "date": "10/8/2014 4:15 PM",
                "notecontent": "Customer called and ordered 17 widgets.",
            },
        ],
        "64702": {"date": "3/9/2014 3:30 AM", "notecontent": "Only one note"},
        "64703": "",
    }
    with (
        Loopback(allclients_script(notes=notes)) as server,
        ac_client(server) as client,
    ):
        got = list(client.get_contact_notes(64701))
        single = list(client.get_contact_notes("64702"))
        empty = list(client.get_contact_notes("64703"))
        with pytest.raises(ApiError, match="Contact not found") as err:
            list(client.get_contact_notes("99999"))
        contacts = list(enumerate(client.get_contacts(), start=2))
    assert got == [
        {
            "Contact ID": "64701",
            "Date": "10/2/2014 3:22 PM",
            "Note": "Called customer.  No answer.",
        },
        {
            "Contact ID": "64701",
            "Date": "10/8/2014 4:15 PM",
            "Note": "Customer called and ordered 17 widgets.",
        },
    ]
    assert single == [
        {"Contact ID": "64702", "Date": "3/9/2014 3:30 AM", "Note": "Only one note"}
    ]
    assert empty == []
    assert server.requests[0].form["identifymethod"] == "1"
    assert server.requests[0].form["identifyvalue"] == "64701"
    assert SECRET not in str(err.value)
    result = rejoin_notes(contacts, list(enumerate(got + single, start=2)))
    assert [(link[0], link.matched_by) for link in result.links] == [
        ("64701", "id")
    ] * 2 + [("64702", "id")]
    assert [note_parts(link[1])["date"] for link in result.links][0] == dt.datetime(
        2014, 10, 2, 20, 22
    )


def test_client_auth_failure_in_the_body():
    with Loopback(allclients_script()) as server:
        client = AllClientsClient(
            "4711", "wrong-key-123", base_url=server.url, backoff_factor=0
        )
        with client, pytest.raises(AuthError, match="Authentication failed") as err:
            list(client.get_contacts())
    assert "wrong-key-123" not in str(err.value) and "wrong-key-123" not in repr(client)
    assert len(server.requests) == 1


def test_client_users_todos_and_repr():
    with Loopback(allclients_script()) as server, ac_client(server) as client:
        users = list(client.get_users())
        todos = list(client.get_todos())
        assert SECRET not in repr(client) and "apikey=***" in repr(client)
    assert users == [
        {"Team Member ID": "0", "Name": "Linda Carver", "Email": "linda@x.example"}
    ]
    assert todos[0]["To Do ID"] == "1" and todos[0]["Completed Date"] == "12/2/2014"
    assert task_activity(todos[0])["done"] is True
    assert server.requests[1].form["status"] == "all"
    assert server.requests[1].form["teammemberid"] == "-1"


def test_records_shapes():
    assert _records({"contacts": [{"id": 1}]}, "contacts", "contact") == [{"id": 1}]
    assert _records(
        {"results": {"contacts": {"contact": {"id": 1}}}}, "contacts", "contact"
    ) == [{"id": 1}]
    assert _records({"results": {"contacts": ""}}, "contacts", "contact") == []
    assert _records({"results": {}}, "contacts", "contact") == []
    assert _records([{"id": 2}], "contacts", "contact") == [{"id": 2}]
    with pytest.raises(ApiError, match="no 'contacts'"):
        _records({"something": 1}, "contacts", "contact")


# ------------------------------------------------------------------ proposals on the samples

EXPECTED_FIELDS = {
    "Contact ID": "ref",
    "First Name": "first_name",
    "Last Name": "last_name",
    "Company": "company_name",
    "Title": "function",
    "Email": "email",
    "Other Email": None,
    "Phone 1": "phone",
    "Phone 2": "mobile",
    "Phone 3": None,
    "Phone 4": None,
    "Address": "street",
    "City": "city",
    "State": "state_id",
    "Zip": "zip",
    "Country": "country_id",
    "Website": "website",
    "Birthday": None,
    "Tags": "category_id",
    "Groups": "group_names",
    "Category": None,
    "Source": None,  # partners have no source field: a new x_ field
    "Team Member": "user_id",
    "Add Date": "create_date",
    "Edit Date": "write_date",
    "Anniversary": None,
    "Policy Count": None,
    "Annual Premium": None,
    "Preferred Method": None,
    "Interests": None,
}
NEW_FIELDS = {
    "Other Email": ("x_other_email", "char", "email"),
    "Phone 3": ("x_phone_3", "char", "phone"),
    "Birthday": ("x_birthday", "date", "date"),
    "Category": ("x_category", "selection", "text"),
    "Anniversary": ("x_anniversary", "date", "date"),
    "Policy Count": ("x_policy_count", "integer", "int"),
    "Annual Premium": ("x_annual_premium", "float", "money"),
    "Preferred Method": ("x_preferred_method", "selection", "text"),
}


def test_propose_on_the_contacts_sample(tables):
    table = tables["contacts.csv"]
    prof = profile_table(table)
    obj = propose_object(table.name, prof["columns"])
    assert obj.target == "contact" and obj.confidence >= 0.8
    assert propose_key("contact", prof["columns"])[0] == "Contact ID"
    proposals = {p.column: p for p in propose_fields("contact", prof["columns"])}
    assert {c: p.field for c, p in proposals.items()} == EXPECTED_FIELDS
    for column, (name, ftype, transform) in NEW_FIELDS.items():
        p = proposals[column]
        assert (p.new_field["name"], p.new_field["type"], p.transform) == (
            name,
            ftype,
            transform,
        )
    assert proposals["Add Date"].transform == "datetime"
    assert proposals["Tags"].transform == "list"
    assert proposals["Phone 1"].transform == "phone"


def test_readme_lists_the_expected_fields():
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for column, field in EXPECTED_FIELDS.items():
        name = field or NEW_FIELDS.get(column, (None,))[0]
        row = next(
            line for line in readme.splitlines() if line.startswith(f"| {column} |")
        )
        if name:
            assert name in row, (column, row)


# ------------------------------------------------------------------ the samples themselves


@pytest.fixture(scope="module")
def generator():
    return _load("crm_gen_allclients", GENERATOR)


def test_samples_are_reproducible(generator, tmp_path):
    summary = generator.generate(tmp_path / "allclients")
    stale = "is stale: run python samples/gen_allclients.py"
    for name in [*summary["files"], "README.md"]:
        new = (tmp_path / "allclients" / name).read_bytes()
        assert new == (SAMPLES / name).read_bytes(), (
            f"samples/allclients/{name} {stale}"
        )
    assert summary["files"]["contacts.csv"]["rows"] == 50
    assert summary["files"]["notes.csv"]["rows"] == 120


def test_planted_defects_are_where_the_readme_says(generator, tmp_path, rows):
    summary = generator.generate(tmp_path / "allclients", readme=False)
    for name, info in summary["files"].items():
        assert len(rows[name]) == info["rows"], name
    assert len(summary["defects"]) >= 40
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for d in summary["defects"]:
        by_line = dict(rows[d["file"]])
        assert d["line"] in by_line, d
        assert by_line[d["line"]][d["column"]] == d["value"].strip(), d
        assert f"| {d['file']} | {d['line']} | {d['column']} |" in readme, d


def test_invalid_value_defects_fail_their_transform(generator, tmp_path, tables):
    summary = generator.generate(tmp_path / "allclients", readme=False)
    prof = profile_table(tables["contacts.csv"])
    transforms = {
        p.column: p.transform for p in propose_fields("contact", prof["columns"])
    }
    checked = 0
    for d in summary["defects"]:
        if "'invalid value'" not in d["expected"]:
            continue
        if d["file"] == "contacts.csv":
            with pytest.raises(TransformError):
                apply(
                    transforms[d["column"]],
                    d["value"],
                    order="MDY",
                    tz="America/Chicago",
                )
        elif d["file"] == "notes.csv":
            with pytest.raises(TransformError):
                note_datetime(d["value"])
        elif d["file"] == "tasks.csv":
            with pytest.raises(RowError):
                task_activity({d["column"]: d["value"]})
        checked += 1
    assert checked >= 7


def test_orphan_defects_are_the_orphans(generator, tmp_path, rows):
    summary = generator.generate(tmp_path / "allclients", readme=False)
    documented = {
        d["line"]
        for d in summary["defects"]
        if d["file"] == "notes.csv" and "orphan" in d["expected"]
    }
    result = rejoin_notes(rows["contacts.csv"], rows["notes.csv"])
    assert {o.line for o in result.orphans} == documented
    by_line = {link.line: link.matched_by for link in result.links}
    for d in summary["defects"]:
        if d["file"] == "notes.csv" and d["expected"].startswith("old email"):
            assert by_line[d["line"]] == "id"
        if d["file"] == "notes.csv" and "joined by email" in d["expected"]:
            assert by_line[d["line"]] == "email"
        if d["file"] == "notes.csv" and "joined by other email" in d["expected"]:
            assert by_line[d["line"]] == "other email"
    # DST notes documented with their UTC value
    for d in summary["defects"]:
        if "UTC" in d["expected"] and d["file"] == "notes.csv":
            utc = d["expected"].split("-> ")[1].removesuffix(" UTC")
            assert note_datetime(d["value"]).strftime("%Y-%m-%d %H:%M") == utc


def test_pull_tables_reads_users_contacts_notes_and_todos(monkeypatch):
    from engine.sources import allclients as ac

    pages = [
        [{"contactid": "1", "firstname": "A", "email": "a@x.com"}],
        [],
    ]
    calls = []

    def fake_call(self, method, **fields):
        calls.append((method, fields.get("pagingoffset")))
        if method == "GetTeamMembers":
            return {"teammembers": [{"name": "Linda", "email": "l@x.com"}]}
        if method == "GetContactNotes":
            return {"notes": [{"notedate": "1/2/2020 9:00 AM", "note": "hi"}]}
        if method == "GetToDos":
            return {"todos": []}
        page = [c for c in calls if c[0] == "GetContacts"]
        return {"contacts": pages[min(len(page) - 1, 1)]}

    monkeypatch.setattr(ac.AllClientsClient, "call", fake_call)
    tables = ac.AllClientsSource().pull_tables({"account_id": "9", "api_key": "k"})
    assert [t.name for t in tables] == [
        "users (API)",
        "contacts (API)",
        "notes (API)",
        "tasks (API)",
    ]
    contacts = [row for _line, row in tables[1].rows()]
    assert len(contacts) == 1
    notes = [row for _line, row in tables[2].rows()]
    assert notes == [
        {
            "Contact ID": "1",
            "Date": "1/2/2020 9:00 AM",
            "Note": "hi",
            "Email": "a@x.com",
        }
    ]
    assert ("GetContacts", 0) in calls


def test_pull_tables_leaves_out_what_the_account_does_not_answer(monkeypatch, caplog):
    from engine.api import ApiError
    from engine.sources import allclients as ac

    def fake_call(self, method, **fields):
        if method == "GetContacts":
            offset = fields.get("pagingoffset") or 0
            return {
                "contacts": [] if offset else [{"contactid": "1", "email": "a@x.com"}]
            }
        if method == "GetContactNotes":
            return {"notes": []}
        raise ApiError(f"{method}: the API answered 'Unknown method'")

    monkeypatch.setattr(ac.AllClientsClient, "call", fake_call)
    tables = ac.AllClientsSource().pull_tables({"account_id": "9", "api_key": "k"})
    assert [t.name for t in tables] == ["contacts (API)", "notes (API)"]
    assert "team members not pulled" in caplog.text
    assert "to-dos not pulled" in caplog.text


def test_a_completed_yes_no_column_is_a_flag_not_the_completion_date():
    headers = ["Summary", "Due Date", "Status", "Completed", "Complete Date", "Email"]
    mapping = normalize_headers(headers, "activity")
    # the closer spelling holds the date; "Completed" keeps its own name
    assert mapping["Complete Date"] == "Completed Date"
    assert mapping["Completed"] == "Completed"
    base = {"Summary": "Call", "Due Date": "1/31/2025", "Email": "a@example.com"}
    row = dict(base, Status="Open", Completed="No", **{"Complete Date": ""})
    task = task_activity(canonical_row(row, "activity"))
    assert (task["done"], task["date_done"]) == (False, None)
    row = dict(base, Status="Closed", Completed="Yes", **{"Complete Date": "2/3/2025"})
    task = task_activity(canonical_row(row, "activity"))
    assert (task["done"], task["date_done"]) == (True, dt.date(2025, 2, 3))
    # only a Yes/No column: done or not, with no date of its own
    row = {**base, "Status": "", "Completed": "Yes"}
    task = task_activity(canonical_row(row, "activity"))
    assert (task["done"], task["date_done"]) == (True, None)


def test_a_notes_exports_contact_email_is_its_email():
    got = normalize_headers(["Contact Id", "Contact Email", "Note Text"], "note")
    assert got == {
        "Contact Id": "Contact ID",
        "Contact Email": "Email",
        "Note Text": "Note",
    }
    # a column that already says Email keeps it; the other keeps its own name
    got = normalize_headers(["Contact Email", "Email"], "note")
    assert got == {"Contact Email": "Contact Email", "Email": "Email"}
    # contacts themselves are not renamed this way
    assert normalize_headers(["Contact Email"], "contact") == {
        "Contact Email": "Contact Email"
    }
