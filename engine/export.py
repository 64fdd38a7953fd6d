"""Spreadsheet and JSON exports of reports (reconciliation, diffs, maps).

Cells whose text starts with = + - @ (or a tab / carriage return) are written
as text with a leading apostrophe-free quote prefix, so that a spreadsheet
program never evaluates source data as a formula (CSV/formula injection).
"""

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {int: "#,##0", float: "#,##0.00"}


def escape_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One sheet per entry ``{title: (headers, rows)}``: bold frozen header,
    column widths from the content, number formats for numbers."""
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, (headers, rows) in sheets.items():
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
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                fmt = NUMBER_FORMATS.get(type(cell.value))
                if fmt:
                    cell.number_format = fmt
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
