"""engine.sources.allclients, the parts of its rows: custom fields, tasks,
templates and attachments (split from test_sources_allclients.py)."""

# ruff: noqa: F811 - the fixtures imported from test_sources_allclients are
# parameters of the tests below

from __future__ import annotations

import datetime as dt

import pytest

from engine.profile import profile_table
from engine.sources.allclients import (
    RowError,
    activity_type,
    attachment_parts,
    canonical_row,
    custom_field_specs,
    normalize_headers,
    parse_size,
    sanitize_html,
    task_activity,
    template_parts,
)
from engine.tests.test_sources_allclients import rows, tables  # noqa: F401 - fixtures
from engine.transform import TransformError

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
