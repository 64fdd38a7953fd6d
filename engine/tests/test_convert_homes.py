"""Where the values a converted row gave land (Record.homes): the cell check
reads the record back and compares each field with its value, so a product,
activity, logged message, user or stage written wrongly is caught per cell."""

import datetime as dt

from engine import records
from engine.convert import convert


def test_a_product_says_where_each_value_it_read_lands():
    rec = convert(
        "product",
        {"Product Name": "Widget", "SKU": "W-1", "Price": "$1,250.50", "Cost": "700",
         "Description": "Blue", "Product Type": "Physical", "Status": "Archived",
         "Category": "Hardware", "Warranty": "2 years"},
    )  # fmt: skip
    assert rec.homes == {
        "Product Name": ("name", "Widget"),
        "SKU": ("default_code", "W-1"),
        "Price": ("list_price", 1250.5),
        "Cost": ("standard_price", 700.0),
        "Description": ("description_sale", "Blue"),
        "Product Type": ("type", "consu"),
        "Category": ("categ_id", "Hardware"),
        "Status": ("active", False),
    }
    # a blank or absent cell has no home (nothing was read from it)
    bare = convert("product", {"Product Name": "Gadget", "Price": ""})
    assert bare.homes == {"Product Name": ("name", "Gadget")}


def test_a_user_and_a_stage_say_where_their_values_land():
    user = convert(
        "user", {"Name": "Bea Stone", "Email": "Bea@Example.com", "Status": "Inactive"}
    )
    assert user.homes == {
        "Name": ("name", "Bea Stone"),
        "Email": ("email", "bea@example.com"),
        "Status": ("active", False),
    }
    stage = convert(
        "stage",
        {"Pipeline": "Sales", "Stage Name": "Proposal", "Stage Order": "2",
         "Win Probability": "62.5%"},
    )  # fmt: skip
    assert stage.homes == {
        "Stage Name": ("name", "Proposal"),
        "Stage Order": ("sequence", 2),
        # Odoo 18 stages have no probability: the loader keeps it in the text
        "Win Probability": ("requirements", "62.5%"),
    }
    # an unreadable order is a review item of its column, not a home
    odd = convert("stage", {"Stage Name": "X", "Stage Order": "first"})
    assert odd.homes == {"Stage Name": ("name", "X")}
    assert odd.issues[0][0] == "Stage Order"


def test_an_activity_says_where_its_subject_dates_and_state_land():
    rec = convert(
        "activity",
        {"Subject": "Call back", "Type": "Call", "Status": "Completed",
         "Due Date": "2024-05-01", "Completed On": "2024-05-03 15:00",
         "Notes": "Asked for a quote", "Contact Email": "ann@example.com"},
        tz="UTC",
    )  # fmt: skip
    assert rec.model == "mail.activity"
    assert rec.homes == {
        "Subject": ("summary", "Call back"),
        "Notes": ("note", "Asked for a quote"),
        "Due Date": ("date_deadline", dt.date(2024, 5, 1)),
        "Completed On": ("date_done", dt.date(2024, 5, 3)),
        "Status": ("active", False),
    }
    open_task = convert(
        "activity", {"Subject": "Send offer", "Due Date": "2024-05-02",
                     "Done": "No", "Contact Email": "ann@example.com"},
    )  # fmt: skip
    assert open_task.homes == {
        "Subject": ("summary", "Send offer"),
        "Due Date": ("date_deadline", dt.date(2024, 5, 2)),
        "Done": ("active", True),
    }


def test_a_logged_message_says_its_text_and_date_are_in_the_message():
    rec = convert(
        "activity",
        {"Type": "Email", "Subject": "Offer", "Body": "See attached",
         "Date": "2024-05-01 10:30", "Contact Email": "ann@example.com"},
    )  # fmt: skip
    assert rec.model == "mail.message"
    assert rec.homes == {
        "Subject": ("body", "Offer"),
        "Body": ("body", "See attached"),
        "Date": ("date", dt.datetime(2024, 5, 1, 10, 30)),
    }


def test_an_allclients_task_says_where_its_values_land():
    row = {
        "ToDo Id": "7", "Contact Id": "43", "Subject": "Send card",
        "Details": "Winter template", "Category": "Letter", "Due": "9/2/2024",
        "Status": "closed", "Complete": "Yes", "Completed On": "9/5/2024",
        "Assigned To": "Karen",
    }  # fmt: skip
    rec = records.convert("activity", row, system="allclients")
    assert rec.homes == {
        "Subject": ("summary", "Send card"),
        "Details": ("note", "Winter template"),
        "Due": ("date_deadline", dt.date(2024, 9, 2)),
        "Status": ("active", False),
        "Completed On": ("date_done", dt.date(2024, 9, 5)),
    }


def test_a_rich_text_note_stays_html():
    """A note exported as HTML (Pipedrive, HubSpot) is HTML in Odoo, not text
    whose tags people would read; its subject a paragraph before it."""
    note = convert(
        "note",
        {"Content": "<p>Budget <b>approved</b></p><p>PO next week</p>",
         "Subject": "Board", "Date": "2024-05-01 10:30", "Deal": "Acme"},
    )  # fmt: skip
    assert note.values["body"] == (
        "<p>Board</p><p>Budget <b>approved</b></p><p>PO next week</p>"
    )
    call = convert(
        "activity",
        {"Type": "Call", "Status": "Scheduled", "Due Date": "2024-05-01",
         "Notes": "<p>Ask <i>Ann</i></p>", "Duration": "90", "Deal": "Acme"},
    )  # fmt: skip
    assert call.values["note"] == "<p>Ask <i>Ann</i></p><p>(1 min 30 s)</p>"
    # plain text stays text (the loader makes it HTML as Odoo does)
    plain = convert("note", {"Content": "a < b\nc", "Date": "2024-05-01 10:30"})
    assert plain.values["body"] == "a < b\nc"
