"""XLSX workbooks: every non-empty sheet a table (openpyxl read-only)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from .table import (
    ReadError,
    Table,
    _build_row,
    _looks_headerless,
    _Source,
    _stem,
    _value,
    clean_headers,
    slug,
)

# ---------------------------------------------------------------------------- XLSX


def _load_workbook(fh: IO[bytes], display: str):
    import openpyxl  # noqa: PLC0415 - heavy import only when a workbook is read

    try:
        return openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise ReadError(
            display, f"cannot be opened as XLSX ({type(exc).__name__}: {exc})"
        ) from None


def _sheet_rows(ws) -> Iterator[tuple[int, tuple]]:
    ws.reset_dimensions()  # dimensions written by other tools are often wrong
    yield from enumerate(ws.iter_rows(values_only=True), start=1)


_GENERIC_SHEET_RE = re.compile(
    r"^(sheet|planilha|plan|folha|tabelle|feuil|hoja)\s*\d*$", re.I
)


def _open_xlsx(source: _Source, display: str) -> list[Table]:
    found: list[tuple[str, int, list[str], list[str]]] = []
    with source.open() as fh:
        wb = _load_workbook(fh, display)
        try:
            for ws in wb.worksheets:
                for line, cells in _sheet_rows(ws):
                    texts = [_value(c) for c in cells]
                    if any(texts):
                        found.append((ws.title, line, texts, clean_headers(texts)))
                        break
        except ReadError:
            raise
        except Exception as exc:
            raise ReadError(
                display, f"cannot be read as XLSX ({type(exc).__name__}: {exc})"
            ) from None
        finally:
            wb.close()
    if not found:
        raise ReadError(display, "workbook has no data (every sheet is empty)")
    tables = []
    for index, (title, header_line, raw, headers) in enumerate(found):
        name = display if index == 0 else f"{display}[{title}]"
        if _looks_headerless(raw):
            raise ReadError(
                name,
                "has no header row (the first row holds values such as emails, numbers or dates)",
                line=header_line,
            )
        if index == 0 or _GENERIC_SHEET_RE.match(title):
            object_name = slug(
                _stem(display) if index == 0 else f"{_stem(display)} {title}"
            )
        else:
            object_name = slug(title)

        def reader(title=title, header_line=header_line, headers=headers, name=name):
            return _xlsx_rows(source, name, title, header_line, headers)

        tables.append(
            Table(
                name=name,
                object_name=object_name,
                kind="xlsx",
                encoding=None,
                delimiter=None,
                headers=headers,
                raw_headers=raw,
                header_line=header_line,
                sheet=title,
                _reader=reader,
            )
        )
    return tables


def _xlsx_rows(
    source: _Source, display: str, title: str, header_line: int, headers: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    with source.open() as fh:
        wb = _load_workbook(fh, display)
        try:
            for line, cells in _sheet_rows(wb[title]):
                if line <= header_line:
                    continue
                row = _build_row(list(cells), headers, ",")
                if row is not None:
                    yield line, row
        except Exception as exc:  # a sheet's XML broken past its header row
            raise ReadError(
                display, f"cannot be read as XLSX ({type(exc).__name__}: {exc})"
            ) from None
        finally:
            wb.close()
