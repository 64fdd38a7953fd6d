"""Converters of product categories, lost reasons, quotations/orders and their lines,
and the local day of an engagement's dates."""

import datetime as dt

import pytest

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
    assert convert("lost_reason", {"Lost Reason": "Preço"}).values == {"name": "Preço"}
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
    }
    with pytest.raises(RowError, match="needs its order"):
        convert("order_line", {"Product Name": "X"})


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
