"""Shared fixtures of the engine tests: files written with real encodings, workbooks, zips."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest


@pytest.fixture
def write(tmp_path):
    """write(name, text_or_bytes, encoding="utf-8") -> path of a file in tmp_path."""

    def _write(name, content, encoding="utf-8"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            content if isinstance(content, bytes) else content.encode(encoding)
        )
        return path

    return _write


def build_xlsx(sheets):
    """Bytes of a workbook: ``{"Sheet title": [row, ...]}``; a row is a list of cell values,
    or a dict ``{"B3": value}`` of explicit cells."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            if isinstance(row, dict):
                for ref, value in row.items():
                    ws[ref] = value
            else:
                ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_zip(members):
    """Bytes of a zip: ``{"path/in/zip": bytes_or_text}``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


@pytest.fixture
def contacts_xlsx():
    return build_xlsx(
        {
            "Contacts": [
                ["Name", "Born", "Met", "Score", "Active"],
                [
                    "Ana",
                    dt.datetime(2024, 3, 1),
                    dt.datetime(2024, 3, 1, 12, 30),
                    3.0,
                    True,
                ],
                [],
                ["Bruno", dt.date(1990, 12, 31), None, 2.5, False],
            ],
            "Empty": [],
            "Deals": [["Title", "Amount"], ["Big deal", 1500]],
        }
    )


@pytest.fixture
def make_xlsx():
    return build_xlsx


@pytest.fixture
def make_zip():
    return build_zip


@pytest.fixture(scope="module")
def sample_profiles():
    """The profiles of samples/generic's files, by file name (engine.propose's tests)."""
    from engine.profile import profile_table
    from engine.readers import iter_dir

    folder = Path(__file__).resolve().parents[2] / "samples" / "generic"
    return {t.name: profile_table(t) for t in iter_dir(folder)}
