import io

from openpyxl import load_workbook

from engine.export import escape_cell, write_xlsx


def test_escape_cell_neutralises_formulas():
    assert escape_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert escape_cell("+55 11 3333") == "'+55 11 3333"
    assert escape_cell("-1") == "'-1"
    assert escape_cell("@SUM(A1)") == "'@SUM(A1)"
    assert escape_cell("Acme") == "Acme"
    assert escape_cell(-1) == -1


def test_write_xlsx_header_frozen_widths_and_formats():
    data = write_xlsx(
        {
            "Reconciliation": (
                ["object", "read", "rate"],
                [["contact", 1200, 0.5], ["=cmd", 3, 1.25]],
            )
        }
    )
    book = load_workbook(io.BytesIO(data))
    sheet = book["Reconciliation"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["object", "read", "rate"]
    assert sheet["A1"].font.bold
    assert sheet["A3"].value == "'=cmd"
    assert sheet["B2"].value == 1200
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["C3"].number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width >= len("contact")


def test_write_xlsx_column_formats_and_highlighted_rows():
    data = write_xlsx(
        {
            "Fill rates": (
                ["column", "rows", "source %", "difference", "flagged"],
                [["Email", 6, 0.8333, -8.33, True], ["Phone", 6, 0.5, 0.0, False]],
                {"formats": {"source %": "0.00%"}, "highlight": "flagged"},
            ),
            "Plain": (["a"], [[1]]),
        }
    )
    book = load_workbook(io.BytesIO(data))
    sheet = book["Fill rates"]
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].number_format == "0.00%"
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["D2"].number_format == "#,##0.00"
    assert sheet["A2"].fill.fgColor.rgb.endswith("F8D7DA")
    assert sheet["E2"].fill.fgColor.rgb.endswith("F8D7DA")
    assert sheet["A3"].fill.fill_type is None
    assert book["Plain"]["A2"].number_format == "#,##0"


def test_escape_cell_neutralises_tab_and_carriage_return_starts():
    assert escape_cell("\tcmd") == "'\tcmd"
    assert escape_cell("\r=1+1") == "'\r=1+1"
    assert escape_cell("a=b") == "a=b"
