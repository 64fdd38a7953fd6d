"""Converters of product categories, lost reasons, quotations/orders and their lines,
and the local day of an engagement's dates."""

import datetime as dt

import pytest

from engine import records
from engine.convert import convert
from engine.convert.engagements import engagement_kind, local_day
from engine.core.errors import RowError, SkippedRow


def test_product_category_under_its_family():
    rec = convert(
        "product_category", {"Category": "Licenças", "Parent Category": "Software"}
    )
    assert (rec.model, rec.values) == (
        "product.category",
        {
            "name": "Licenças",
            "parent": "Software",
            "complete_name": "Software / Licenças",
        },
    )


def test_lost_reason_needs_a_name():
    assert convert("lost_reason", {"Lost Reason": "Preço"}).values == {
        "name": "Preço",
        "pipeline": None,
    }
    with pytest.raises(RowError):
        convert("lost_reason", {"Lost Reason": " "})


def test_order_reads_its_customer_deal_state_and_total():
    row = {
        "Quote Number": "501", "Date": "2022-01-31 03:00:00Z", "State": "sent",
        "Deal ID": "40200002", "Company ID": "", "Contact ID": "40100006",
        "Contact Email": "Ana@Acme.com ", "Owner Email": "bob@x.com",
        "Lines Total": "8160.91", "Expiration Date": "2022-02-15", "Last Review": "yes",
    }  # fmt: skip
    rec = convert("order", row, "America/Sao_Paulo")
    assert rec.values["client_order_ref"] == "501"
    assert rec.values["date_order"] == dt.datetime(2022, 1, 31, 3, 0)
    assert rec.values["validity_date"] == dt.date(2022, 2, 15)
    assert (rec.values["state"], rec.values["amount"]) == ("sent", 8160.91)
    assert (rec.contact_ref, rec.contact_email, rec.lead_ref, rec.user) == (
        "40100006",
        "ana@acme.com",
        "40200002",
        "bob@x.com",
    )


def test_order_state_from_a_stage_word_and_superseded_review():
    assert convert("order", {"Order Number": "9", "Stage": "Faturado"}).values[
        "state"
    ] == ("sale")
    with pytest.raises(SkippedRow, match="replaced by a later review"):
        convert(
            "order", {"Quote Number": "7", "Last Review": "no", "Review Number": "0"}
        )


def test_an_order_discount_is_a_percentage_or_an_amount_off_its_lines():
    def discount(**cells):
        return convert("order", {"Quote Number": "7", **cells}).values["discount"]

    assert discount(Discount="10") == ("percent", 10.0)
    assert discount(**{"Discount": "150", "Discount Type": "amount"}) == (
        "amount",
        150.0,
    )
    # its lines' discounts carry it already, or none: no discount line
    assert discount(**{"Discount": "5", "Discount Type": "included"}) is None
    assert discount(Discount="0") is None
    rec = convert("order", {"Quote Number": "7", "Discount": "120"})
    assert rec.values["discount"] is None
    assert rec.issues == [
        ("Discount", 120.0, "a discount percentage is between 0 and 100")
    ]


def test_a_line_of_a_superseded_review_is_skipped_by_rule():
    # its quote review is not migrated, so neither is the line: a rule's skip
    # (not migrated), not a line held for review because its order is missing
    with pytest.raises(SkippedRow, match="a line of quotation 1's review") as err:
        convert(
            "order_line",
            {"Quote ID": "8001", "Quote Number": "1", "Last Review": "no",
             "Product ID": "401", "Quantity": "1", "Unit Price": "10"},
        )  # fmt: skip
    assert (err.value.column, err.value.value) == ("Last Review", "no")
    rec = convert(
        "order_line",
        {"Quote ID": "8002", "Quote Number": "1", "Last Review": "yes",
         "Product ID": "401", "Quantity": "1", "Unit Price": "10"},
    )  # fmt: skip
    assert rec.values["order_ref"] == "8002"


def test_order_line_with_discount_and_its_order_column():
    rec = convert(
        "order_line",
        {"Quote ID": "40300001", "Product ID": "40400029", "Product Name": "LGPD",
         "SKU": "CON-005", "Quantity": "2", "Unit Price": "7200.00", "Discount": "10",
         "Total": "12960.00"},
    )  # fmt: skip
    assert rec.values == {
        "order_ref": "40300001",
        "order_column": "Quote ID",
        "product_ref": "40400029",
        "product_code": "CON-005",
        "product_name": "LGPD",
        "quantity": 2.0,
        "price_unit": 7200.0,
        "discount": 10.0,
        "total": 12960.0,
        "order_number": None,
        "section": None,
    }
    with pytest.raises(RowError, match="needs its order"):
        convert("order_line", {"Product Name": "X"})


def test_pipeline_tag_reason_and_category_read_every_column():
    team = convert("team", {"Pipeline Name": "Vendas", "Pipeline Order": "2",
                            "Archived": "false"})  # fmt: skip
    assert (team.values["sequence"], team.values["active"]) == (2, True)
    assert team.homes == {
        "Pipeline Order": ("sequence", 2),
        "Archived": ("active", True),
    }
    tag = convert("tag", {"Tag Name": "VIP", "Used On": "deals"})
    assert tag.values == {"name": "VIP", "used_on": "deals"}
    reason = convert("lost_reason", {"Lost Reason": "Preço", "Pipeline Name": "Vendas"})
    assert reason.values["pipeline"] == "Vendas"
    category = convert(
        "product_category",
        {"Category": "Licenças", "Parent Category": "Software",
         "Complete Name": "Software / Licenças"},
    )  # fmt: skip
    assert category.homes == {"Complete Name": ("complete_name", "Software / Licenças")}
    assert category.issues == []
    odd = convert(
        "product_category",
        {
            "Category": "Licenças",
            "Parent Category": "Software",
            "Complete Name": "X / Y",
        },
    )
    assert odd.issues[0][:2] == ("Complete Name", "X / Y")


def test_order_keeps_its_review_person_last_update_and_own_total():
    row = {
        "Quote Number": "529", "Review Number": "2", "Company ID": "40100246",
        "Contact ID": "40100248", "Amount": "5074.12", "Lines Total": "5074.12",
        "Last Updated": "2022-03-06T14:00:00Z", "Date": "2022-03-05T03:00:00Z",
        "Title": "Proposta 529",
    }  # fmt: skip
    rec = convert("order", row, "America/Sao_Paulo")
    assert (rec.values["review"], rec.values["person_ref"]) == (2, "40100248")
    assert (rec.contact_ref, rec.columns["person_ref"]) == ("40100246", "Contact ID")
    assert rec.updated == dt.datetime(2022, 3, 6, 14, 0)
    # the source's own total is what Odoo's computed total is checked against
    assert (rec.values["amount"], rec.columns["amount"]) == (5074.12, "Amount")
    assert rec.homes == {
        "Quote Number": ("client_order_ref", "529"),
        "Title": ("origin", "Proposta 529"),
        "Date": ("date_order", dt.datetime(2022, 3, 5, 3, 0)),
        "Amount": ("amount_untaxed", 5074.12),
        "Review Number": ("x_review_number", 2),
    }
    # a person alone is the customer; a version Odoo's number cannot hold is
    # reviewed, the quotation still loads
    alone = convert("order", {"Quote Number": "1", "Contact ID": "7", "Version": "v2"})
    assert (alone.contact_ref, alone.values["person_ref"]) == ("7", None)
    assert alone.values["review"] is None
    assert alone.issues[0][:2] == ("Version", "v2")


def test_order_line_reads_its_order_number_and_section():
    rec = convert(
        "order_line",
        {"Quote ID": "1", "Quote Number": "529", "Section": "1", "Product ID": "9",
         "Product Name": "Kit", "Quantity": "10", "Unit Price": "39.90",
         "Discount": "12.5", "Total": "349.12"},
    )  # fmt: skip
    assert (rec.values["order_number"], rec.values["section"]) == ("529", "1")
    assert rec.homes == {
        "Quantity": ("product_uom_qty", 10.0),
        "Unit Price": ("price_unit", 39.9),
        "Discount": ("discount", 12.5),
        "Product Name": ("name", "Kit"),
    }
    consumed = records.consumed(
        "order_line",
        {"Quote ID": "1", "Quote Number": "5", "Section": "0", "Product Name": "K"},
    )
    assert {"Quote Number", "Section"} <= consumed


def test_product_category_and_archived_status():
    rec = convert(
        "product",
        {"Product Name": "Old", "Product Category": "Software / Licenças",
         "Status": "archived"},
    )  # fmt: skip
    assert (rec.values["category"], rec.values["active"]) == (
        "Software / Licenças",
        False,
    )


def test_local_day_of_a_utc_moment():
    assert local_day(dt.datetime(2024, 6, 21, 2, 30), "America/Sao_Paulo") == dt.date(
        2024, 6, 20
    )
    assert local_day(None, "UTC") is None


def test_done_email_task_is_an_archived_activity_dated_when_done():
    eng = engagement_kind(
        {"Type": "email", "Status": "completed", "Completed": "yes",
         "Date": "2024-03-05 13:00:00Z", "Completed On": "2024-03-18 01:00:00Z"},
        tz="America/Sao_Paulo",
    )  # fmt: skip
    assert (eng.kind, eng.type, eng.done) == ("activity", "email", True)
    assert (eng.deadline, eng.day) == (dt.date(2024, 3, 5), dt.date(2024, 3, 17))
