"""Spreadsheet and JSON exports of reports (reconciliation, diffs, maps).

Cells whose text starts with = + - @ (or a tab / carriage return) are written
as text with a leading apostrophe-free quote prefix, so that a spreadsheet
program never evaluates source data as a formula (CSV/formula injection).
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {int: "#,##0", float: "#,##0.00"}
HIGHLIGHT_FILL = PatternFill("solid", fgColor="F8D7DA")


def escape_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(sheets: dict[str, tuple]) -> bytes:
    """One sheet per entry ``{title: (headers, rows)}``: bold frozen header,
    column widths from the content, number formats for numbers.

    An entry may carry a third item of options: ``{"formats": {header:
    number format}}`` for columns whose numbers need their own format (a
    percentage...), ``{"highlight": header}`` to fill the rows whose value in
    that column is true (a difference to look at)."""
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, (headers, rows, *rest) in sheets.items():
        options = rest[0] if rest else {}
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([escape_cell(h) for h in headers])
        widths = [len(str(h)) for h in headers]
        for row in rows:
            sheet.append([escape_cell(v) for v in row])
            for idx, value in enumerate(row):
                if idx < len(widths):
                    widths[idx] = max(
                        widths[idx],
                        min(60, len(str(value if value is not None else ""))),
                    )
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDDDDD")
        sheet.freeze_panes = "A2"
        for idx, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(idx)].width = width + 2
        formats = {
            idx: fmt
            for idx, header in enumerate(headers)
            if (fmt := (options.get("formats") or {}).get(header))
        }
        flag = (
            list(headers).index(options["highlight"])
            if options.get("highlight") in headers
            else None
        )
        for row in sheet.iter_rows(min_row=2):
            for idx, cell in enumerate(row):
                fmt = NUMBER_FORMATS.get(type(cell.value))
                if fmt and idx in formats:
                    fmt = formats[idx]
                if fmt:
                    cell.number_format = fmt
            if flag is not None and flag < len(row) and row[flag].value is True:
                for cell in row:
                    cell.fill = HIGHLIGHT_FILL
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
