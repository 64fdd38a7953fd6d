"""What a converter consumed: every other non-empty cell is a leftover."""

from engine import records
from engine.core.rows import Reads, get, leftover


def test_reads_marks_cells_read_by_key_only():
    row = Reads({"Name": "Ann", "Fax": "1", "Note": ""})
    assert get(row, ("Name",)) == ("Name", "Ann")
    assert list(row) == ["Name", "Fax", "Note"]  # listing headers reads nothing
    assert row.read == {"Name"}
    dict(row)  # reading the whole row consumes all of it
    assert row.read == {"Name", "Fax", "Note"}


def test_a_product_column_no_rule_reads_is_a_leftover():
    row = {
        "Product Name": "Widget",
        "SKU": "W-1",
        "Price": "10.50",
        "Warranty": "24 months",
        "Supplier": " ",
    }
    record = records.convert("product", row)
    assert record.consumed == {"Product Name", "SKU", "Price"}
    assert leftover(row, record.consumed) == [("Warranty", "24 months")]
    assert leftover(row, record.consumed, covered={"Warranty"}) == []


def test_an_order_reads_its_customer_and_total_not_its_terms():
    row = {
        "Order Number": "SO-1",
        "Contact Email": "ann@example.com",
        "Amount": "100",
        "Payment Terms": "Net 30",
    }
    consumed = records.consumed("order", row)
    assert {"Order Number", "Contact Email", "Amount"} <= consumed
    assert "Payment Terms" not in consumed


def test_a_refused_row_still_tells_what_its_rule_read():
    row = {"Product Name": "", "SKU": "W-1", "Colour": "red"}
    try:
        records.convert("product", row)
    except records.RowError:
        pass
    else:  # pragma: no cover - the rule needs a name
        raise AssertionError("a product without a name loads")
    assert "Product Name" in records.consumed("product", row)
    assert "Colour" not in records.consumed("product", row)
