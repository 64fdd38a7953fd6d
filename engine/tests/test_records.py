"""engine.records: one source row -> the Record the loader writes."""

import datetime as dt
from pathlib import Path

import pytest

from engine import records
from engine.sources.base import get_source

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def rows(system, name):
    for table in get_source(system).tables(SAMPLES / system):
        if table.name == name:
            return dict(table.rows())
    raise AssertionError(name)


@pytest.fixture(scope="module")
def ac():
    return {
        name: rows("allclients", name)
        for name in (
            "notes.csv",
            "tasks.csv",
            "attachments.csv",
            "users.csv",
            "campaigns.csv",
        )
    }


@pytest.fixture(scope="module")
def cc():
    return {
        name: rows("crmconnect", name)
        for name in (
            "pipelines.csv", "stages.csv", "products.csv", "appointments.csv",
            "engagements.csv", "tasks.csv", "invoices.csv",
        )
    }  # fmt: skip


def test_allclients_note_in_central_time_with_its_contact(ac):
    rec = records.convert("note", ac["notes.csv"][2], system="allclients")
    assert rec.model == "mail.message"
    assert rec.values["date"] == dt.datetime(2014, 1, 19, 16, 45)
    assert rec.values["body"] == "Birthday card mailed."
    assert rec.values["subtype"] == "mail.mt_note"
    assert (rec.contact_ref, rec.contact_email) == (
        "64706",
        "rachel.kim@outlook.example",
    )


def test_allclients_system_note_loses_its_prefix(ac):
    rec = records.convert("note", ac["notes.csv"][11], system="allclients")
    assert rec.values["body"] == "Email sent: Welcome to Carver Insurance"
    assert rec.values["system"] is True


def test_a_note_without_a_readable_date_is_held(ac):
    with pytest.raises(records.RowError) as err:
        records.convert("note", ac["notes.csv"][29], system="allclients")
    assert err.value.column == "Date" and err.value.value == "13/45/2014 9:00 AM"


def test_allclients_tasks(ac):
    call = records.convert("activity", ac["tasks.csv"][2], system="allclients")
    assert call.values["activity_type"] == "mail.mail_activity_data_call"
    assert call.values["done"] and call.values["date_done"] == dt.date(2014, 9, 25)
    assert call.user == "Linda Carver"
    closed = records.convert("activity", ac["tasks.csv"][5], system="allclients")
    assert closed.values["date_done"] == closed.values["date_deadline"]
    fax = records.convert("activity", ac["tasks.csv"][17], system="allclients")
    assert fax.values["activity_type"] == "mail.mail_activity_data_todo"
    assert fax.issues and fax.issues[0][0] == "Category"
    with pytest.raises(records.RowError):
        records.convert("activity", ac["tasks.csv"][21], system="allclients")


def test_attachments_users_and_campaigns(ac):
    file = records.convert("attachment", ac["attachments.csv"][5], system="allclients")
    assert file.values["path"] == "files/64775/signed_application.pdf"
    assert file.values["url"] is None and file.contact_ref == "64775"
    big = records.convert("attachment", ac["attachments.csv"][4], system="allclients")
    assert big.values["large"] is True
    with pytest.raises(records.RowError) as err:
        records.convert("attachment", ac["attachments.csv"][9], system="allclients")
    assert err.value.column == "URL"
    tom = records.convert("user", ac["users.csv"][5], system="allclients")
    assert tom.values == {
        "name": "Tom Reyes",
        "login": "tom@carver-insurance.example",
        "email": "tom@carver-insurance.example",
        "active": False,
    }
    tag = records.convert("tag", ac["campaigns.csv"][5], system="allclients")
    assert tag.values == {"name": "spring newsletter", "used_on": None}


def test_crmconnect_stages_keep_their_order_and_probability(cc):
    stage = records.convert("stage", cc["stages.csv"][2], system="crmconnect")
    assert stage.values["sequence"] == 3 and stage.values["probability"] == 40.0
    assert stage.values["team_ref"] == "hmgseol9VJYaCZye5XKj"
    won = records.convert("stage", cc["stages.csv"][3], system="crmconnect")
    assert won.values["is_won"] and won.values["fold"]
    bad = records.convert("stage", cc["stages.csv"][4], system="crmconnect")
    assert bad.values["probability"] is None
    assert bad.issues[0][:2] == ("Win Probability", "120")
    team = records.convert("team", cc["pipelines.csv"][2], system="crmconnect")
    assert team.values == {"name": "Sales Pipeline", "sequence": None, "active": None}


def test_crmconnect_engagements_are_messages_or_activities(cc):
    note = records.convert(
        "activity", cc["engagements.csv"][6], system="crmconnect", tz="America/New_York"
    )
    assert note.model == "mail.message"
    assert (
        note.values["body"]
        == "Call summary:\nwants the annual plan\nsend contract Monday"
    )
    assert note.values["date"] == dt.datetime(2023, 2, 13, 18, 15)
    assert note.user == "bob@example.com"
    call = records.convert(
        "activity", cc["engagements.csv"][2], system="crmconnect", tz="America/New_York"
    )
    assert call.model == "mail.activity" and call.values["done"]
    assert call.lead_ref == "DklLVn6ihnyB0zrrsR9W"
    with pytest.raises(records.RowError) as err:
        records.convert("activity", cc["engagements.csv"][21], system="crmconnect")
    assert err.value.value == "02/30/2024 10:15 AM"
    task = records.convert("activity", cc["tasks.csv"][2], system="crmconnect")
    assert task.model == "mail.activity" and not task.values["done"]
    assert task.values["date_deadline"] == dt.date(2023, 4, 3)


def test_crmconnect_appointments_products_invoices(cc):
    event = records.convert("event", cc["appointments.csv"][7], system="crmconnect")
    assert event.values["cancelled"] is True
    assert event.values["start"] == dt.datetime(2023, 4, 17, 19, 0)
    assert "stranger@unknown-example.org" in event.values["attendees"]
    product = records.convert("product", cc["products.csv"][2], system="crmconnect")
    assert (
        product.values["default_code"] == "SP-001"
        and product.values["list_price"] == 497.0
    )
    assert product.values["type"] == "service" and not product.values["recurring"]
    retainer = records.convert("product", cc["products.csv"][3], system="crmconnect")
    assert retainer.values["recurring"]
    assert retainer.columns == {"recurring": "Product Type"}

    invoice = records.convert("invoice", cc["invoices.csv"][9], system="crmconnect")
    assert invoice.values["ref"] == "INV-001008"
    assert invoice.values["lines"] == [
        {"product": "Legacy Setup Fee", "quantity": 3.0, "price_unit": 1500.0}
    ]
    assert invoice.values["invoice_date"] == dt.date(2023, 8, 29)
    assert invoice.contact_email == "hannah.lopez@mail.example.net"


def test_a_recurring_product_names_the_type_column_as_spelled():
    row = {"Name": "Retainer", "Billing": "Monthly subscription", "Price": "10"}
    product = records.convert("product", row)
    assert product.values["recurring"] and product.columns == {"recurring": "Billing"}


def test_generic_notes_and_content_keys():
    row = {"Email": "A@B.example", "Date": "2024-03-01 10:00", "Note": "hello"}
    rec = records.convert("note", row, system="generic")
    assert rec.contact_email == "a@b.example" and rec.values["body"] == "hello"
    assert records.content_key(row) == records.content_key(dict(reversed(row.items())))
    assert records.content_key(row) != records.content_key({**row, "Note": "bye"})
    with pytest.raises(ValueError):
        records.convert("unknown", row)


def test_generic_files_named_after_a_converted_object():
    from engine.sources.generic import converted_kind

    assert converted_kind("notes.csv") == "note"
    assert converted_kind("Tasks.xlsx") == "activity"
    assert converted_kind("email templates.csv") == "template"
    assert converted_kind("appointments.csv") == "event"
    assert converted_kind("pipelines.csv") == "team"
    assert converted_kind("campaigns.csv") == "tag"
    # companies, contacts and deals are told by their columns, not their name
    assert converted_kind("contacts.csv") is None
    assert converted_kind("deals.csv") is None
    assert converted_kind("export-2024.csv") is None
