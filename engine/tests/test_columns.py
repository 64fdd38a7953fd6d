"""Converter columns as proposals: each input of a converted object (due date,
completion date, done flag, subject, owner...) gets the column whose header is
one of its spellings AND whose values are of its kind; a bound choice is what
the converter reads."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from engine.columns import column_binding, propose_columns, values_fit
from engine.core.errors import RowError
from engine.core.roles import Role, bound, recording, role_kind
from engine.core.rows import get
from engine.sources.base import get_source


def _by_role(choices):
    return {c.label: c for c in choices}


def _rows(text):
    """The rows as staged: the file's own headers."""
    return list(csv.DictReader(io.StringIO(text)))


def test_a_yes_no_completed_column_is_never_the_completion_date():
    rows = _rows(
        "To Do ID,Contact ID,Summary,Due Date,Completed,Status\n"
        "1,64706,Call back,03/04/2024,Yes,\n"
        "2,64706,Send quote,03/09/2024,No,\n",
    )
    choices = _by_role(propose_columns("allclients", "activity", rows))
    done_on, flag = choices["Completion date"], choices["Done (yes/no)"]
    assert (done_on.column, done_on.rejected) == (None, {"Completed": "boolean"})
    assert (flag.column, flag.values_type, flag.confidence) == (
        "Completed",
        "boolean",
        1.0,
    )
    source = get_source("allclients")
    with bound(column_binding([c.__dict__ for c in choices.values()])):
        first = source.convert("activity", rows[0], "UTC")
        second = source.convert("activity", rows[1], "UTC")
    # done, on its due date (the export has no completion date), never held
    assert (first.values["done"], first.values["date_done"]) == (
        True,
        dt.date(2024, 3, 4),
    )
    assert (second.values["done"], second.values["date_done"]) == (False, None)


def test_a_completion_date_column_of_dates_is_read_as_dates():
    rows = _rows(
        "To Do ID,Contact ID,Summary,Due Date,Completed Date,Status\n"
        "1,64706,Call back,03/04/2024,03/06/2024,Closed\n",
    )
    choices = _by_role(propose_columns("allclients", "activity", rows))
    assert choices["Completion date"].column == "Completed Date"
    assert choices["Done (yes/no)"].column is None
    assert choices["Done (yes/no)"].rejected == {"Completed Date": "date"}
    with bound(column_binding([c.__dict__ for c in choices.values()])):
        rec = get_source("allclients").convert("activity", rows[0], "UTC")
    assert rec.values["date_done"] == dt.date(2024, 3, 6)


def test_a_tasks_file_with_a_due_date_but_no_creation_date_loads_done_tasks():
    rows = [
        {"Title": "Renewal call", "Due Date": "2024-05-02", "Status": "Completed",
         "Contact Email": "ann@example.com"},
        {"Title": "Quote", "Due Date": "2024-05-09", "Status": "Open",
         "Contact Email": "ann@example.com"},
    ]  # fmt: skip
    choices = _by_role(propose_columns("generic", "activity", rows))
    assert choices["Date (created or logged)"].column is None
    assert choices["Due date"].column == "Due Date"
    with bound(column_binding([c.__dict__ for c in choices.values()])):
        done = get_source("generic").convert("activity", rows[0], "UTC")
        still_open = get_source("generic").convert("activity", rows[1], "UTC")
    assert (
        done.values["done"],
        done.values["date_done"],
        done.values["done_at"],
        done.values["date_deadline"],
    ) == (True, dt.date(2024, 5, 2), dt.datetime(2024, 5, 2, 12), dt.date(2024, 5, 2))
    assert (still_open.values["done"], still_open.values["date_deadline"]) == (
        False,
        dt.date(2024, 5, 9),
    )


def test_a_look_alike_column_of_the_wrong_type_is_passed_over():
    rows = [
        {"Date": "see notes", "Created": "2024-01-05 10:00", "Body": "Met at fair",
         "Type": "Note", "Contact Email": "ann@example.com"},
        {"Date": "tbd", "Created": "2024-01-06 11:30", "Body": "Call back",
         "Type": "Note", "Contact Email": "ann@example.com"},
    ]  # fmt: skip
    when = _by_role(propose_columns("generic", "note", rows))[
        "Date (created or logged)"
    ]
    assert (when.column, when.rejected, when.fallbacks) == (
        "Created",
        {"Date": "text"},
        (),
    )
    with bound(column_binding([when.__dict__])):
        rec = get_source("generic").convert("note", rows[0], "UTC")
    assert rec.values["date"] == dt.datetime(2024, 1, 5, 10, 0)
    # unbound, the alias order alone reads "Date" and cannot date the note
    with pytest.raises(RowError):
        get_source("generic").convert("note", rows[0], "UTC")


def test_an_exact_header_comes_before_a_spelling_and_an_own_noun():
    rows = [{"Task Due Date": "2024-02-01", "due_date": "2024-02-02",
             "Due Date": "2024-02-03", "Title": "x", "Status": "Open"}]  # fmt: skip
    due = _by_role(propose_columns("generic", "activity", rows))["Due date"]
    assert (due.column, due.match, due.confidence) == ("Due Date", "exact", 1.0)
    assert due.candidates == ("Due Date", "due_date", "Task Due Date")
    assert due.fallbacks == ("due_date", "Task Due Date")


def test_a_bound_column_is_what_the_converter_reads():
    row = {"Title": "Call", "Due Date": "2024-02-01", "Follow-up": "2024-03-15",
           "Status": "Open"}  # fmt: skip
    source = get_source("generic")
    assert source.convert("activity", row).values["date_deadline"] == dt.date(
        2024, 2, 1
    )
    with bound({"due date": ("Follow-up",)}):
        rec = source.convert("activity", row)
    assert rec.values["date_deadline"] == dt.date(2024, 3, 15)
    with bound({"subject": ()}):
        assert source.convert("activity", row).values["summary"] == "Task"


def test_roles_are_recorded_and_kinds_declared_or_guessed():
    with recording() as asked:
        get({"Due": "x"}, Role(("Due Date", "Due"), "date"))
        get({"Unit Price": "3"}, ("Unit Price", "Price"))
    # a unit price is declared money (engine.core.roles.DECLARED)
    assert [role_kind(a) for a, _row in asked] == ["date", "money"]
    assert role_kind(("Created By",)) == "text"
    assert role_kind(("Send Date",)) == "date"
    assert values_fit("bool", ["Done", "Undone", "done"]) == (True, "text")
    assert values_fit("date", ["Yes", "No"]) == (False, "boolean")
    assert values_fit("number", []) == (None, "empty")
    # what the converters' transforms read fits, whatever the profile calls it
    assert values_fit("number", ["10%", "25%", "100%"]) == (True, "text")
    assert values_fit("email", ["Ann@Example.com"])[0] is True
    # a messy date column is still the date column: its bad cells are reviewed
    assert values_fit("date", ["03/04/2024", "03/05/2024", "soon"])[0] is True


def test_a_stage_list_with_percent_probabilities_keeps_its_won_stage():
    rows = _rows(
        "Pipeline,Stage,Stage Order,Win Probability\n"
        "Sales,New,1,10%\nSales,Closed,2,100%\n"
    )
    choices = _by_role(propose_columns("crmconnect", "stage", rows))
    assert choices["Win Probability"].column == "Win Probability"
    with bound(column_binding([c.__dict__ for c in choices.values()])):
        rec = get_source("crmconnect").convert("stage", rows[1], "UTC")
    assert rec.values["is_won"] is True


def test_a_notes_copy_of_its_contacts_name_is_a_reference_not_a_leftover():
    from engine import records

    row = {"Contact Id": "c1", "Contact Name": "Tanya Ford", "Email": "t@f.example",
           "Note": "Prefers text", "Date Added": "12/05/2025 11:58 AM"}  # fmt: skip
    rec = records.convert("note", row, "crmconnect")
    assert (rec.contact_name, rec.values["body"]) == ("Tanya Ford", "Prefers text")
    assert "Contact Name" in records.consumed("note", row, "crmconnect")
