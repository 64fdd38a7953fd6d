"""engine.sources.allclients, the API client (against the loopback server of
test_api.py), the proposals on the samples and the samples of
samples/allclients/ themselves (split from test_sources_allclients.py)."""

# ruff: noqa: F811 - the fixtures imported from test_sources_allclients are
# parameters of the tests below

from __future__ import annotations

import datetime as dt

import pytest

from engine.api import ApiError, AuthError
from engine.profile import profile_table
from engine.propose import propose_fields, propose_key, propose_object
from engine.sources.allclients import (
    AllClientsClient,
    RowError,
    note_datetime,
    note_parts,
    rejoin_notes,
    task_activity,
)
from engine.sources.allclients.client import _records
from engine.tests.test_sources_allclients import (  # noqa: F401 - fixtures
    GENERATOR,
    SAMPLES,
    SECRET,
    Loopback,
    _load,
    rows,
    tables,
)
from engine.transform import TransformError, apply

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
