"""Entry points: ``open_tables`` (a file, bytes or a zip) and ``iter_dir`` (a folder)."""

from __future__ import annotations

import codecs
import os
import zipfile
from collections.abc import Callable
from typing import Any

from .. import jsontables
from .delimited import _bom_encoding, _open_csv
from .table import (
    _MAGIC,
    JSON_EXTS,
    MAX_BYTES,
    MAX_RATIO,
    MAX_TABLES,
    RATIO_FLOOR,
    SUPPORTED_EXTS,
    TEXT_EXTS,
    XLSX_EXTS,
    ZIP_EXTS,
    ReadError,
    Table,
    TooManyTables,
    ZipBomb,
    _ext,
    _Source,
    slug,
)
from .xlsx import _open_xlsx

# ------------------------------------------------------------------------- entry points


def open_tables(
    name: str | None = None,
    data: bytes | None = None,
    path: str | os.PathLike | None = None,
    max_bytes: int = MAX_BYTES,
    max_tables: int = MAX_TABLES,
    max_ratio: int = MAX_RATIO,
) -> list[Table]:
    """Tables of one file given as ``data`` (bytes) or ``path``; ``name`` is the file name
    shown in tables and errors (defaults to the path's base name). A zip of more
    than ``max_tables`` tables is refused before any member is read, a member
    that expands more than ``max_ratio`` times (a zip bomb) before it is read
    (0: no limit)."""
    if data is None and path is None:
        raise TypeError("open_tables() needs data or path")
    if path is not None:
        path = os.fspath(path)
    display = os.path.basename(name or path or "") or "file"
    if data is not None:
        size = len(data)
    else:
        try:
            size = os.path.getsize(path)
        except OSError as exc:
            raise ReadError(
                display, f"cannot be read ({exc.strerror or exc})"
            ) from None
    source = _Source(display, path=path, data=data)
    return _open(source, display, size, max_bytes, (max_tables, max_ratio))


def iter_dir(
    path: str | os.PathLike,
    max_bytes: int = MAX_BYTES,
    on_error: Callable[[ReadError], Any] | None = None,
) -> list[Table]:
    """Tables of every supported file (by extension) in a folder, sorted by file name.

    Hidden files and sub-folders are skipped. A file that cannot be read raises
    :class:`ReadError`, or, when ``on_error`` is given, is passed to it and skipped.
    """
    path = os.fspath(path)
    tables: list[Table] = []
    for entry in sorted(os.listdir(path), key=lambda n: (n.casefold(), n)):
        full = os.path.join(path, entry)
        if (
            entry.startswith(".")
            or not os.path.isfile(full)
            or _ext(entry) not in SUPPORTED_EXTS
        ):
            continue
        try:
            tables.extend(open_tables(entry, path=full, max_bytes=max_bytes))
        except ReadError as exc:
            if on_error is None:
                raise
            on_error(exc)
    return tables


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _open(
    source: _Source,
    display: str,
    size: int,
    max_bytes: int,
    zip_limits: tuple[int, int] = (MAX_TABLES, MAX_RATIO),
) -> list[Table]:
    if size == 0:
        raise ReadError(display, "file is empty")
    if size > max_bytes:
        raise ReadError(
            display, f"file is too large ({_mb(size)}; the limit is {_mb(max_bytes)})"
        )
    head = source.head()
    if not head.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise ReadError(display, "file is empty")
    ext = _ext(display)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _open_container(source, display, ext, max_bytes, zip_limits)
    for magic, reason, needs_nul in _MAGIC:
        if head.startswith(magic) and (not needs_nul or b"\x00" in head[:256]):
            raise ReadError(display, reason)
    if ext in XLSX_EXTS:
        raise ReadError(display, "is not a valid XLSX file (it is not a zip container)")
    if ext in ZIP_EXTS:
        raise ReadError(display, "is not a valid zip archive")
    encoding = _bom_encoding(head)
    if encoding is None and b"\x00" in head:
        raise ReadError(display, "is binary data (contains NUL bytes), not a table")
    if ext in JSON_EXTS:
        return [_open_json(source, display)]
    if ext not in TEXT_EXTS:
        kind = f"file type '{ext}'" if ext else "file without extension"
        raise ReadError(
            display,
            f"unsupported {kind} (expected .csv, .tsv, .txt, .xlsx, .json or .zip)",
        )
    return [_open_csv(source, display, ext, encoding)]


def _open_json(source: _Source, display: str) -> Table:
    """The table of a JSON export (engine.jsontables: an array of objects)."""
    with source.open() as fh:
        try:
            headers, rows = jsontables.parse(fh.read())
        except ValueError as exc:
            raise ReadError(display, str(exc)) from None
    stem = display.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    table = Table.from_records(
        display, lambda: rows, headers, kind="json", object_name=slug(stem)
    )
    table.encoding = "utf-8"
    return table


def _open_container(
    source: _Source,
    display: str,
    ext: str,
    max_bytes: int,
    zip_limits: tuple[int, int],
) -> list[Table]:
    try:
        with source.open() as fh, zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            mimetype = (
                zf.read("mimetype")[:100].decode("ascii", "replace")
                if "mimetype" in names
                else ""
            )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        kind = "XLSX file" if ext in XLSX_EXTS else "zip archive"
        raise ReadError(display, f"is not a valid {kind} ({exc})") from None
    if "xl/workbook.xml" in names:
        return _open_xlsx(source, display)
    if "word/document.xml" in names:
        raise ReadError(display, "is a Word document (.docx), not a table")
    if "ppt/presentation.xml" in names:
        raise ReadError(display, "is a PowerPoint presentation (.pptx), not a table")
    if "opendocument.spreadsheet" in mimetype:
        raise ReadError(
            display, "is an OpenDocument spreadsheet (.ods): save it as .xlsx or CSV"
        )
    if "opendocument" in mimetype:
        raise ReadError(display, "is an OpenDocument file, not a table")
    if ext in XLSX_EXTS:
        raise ReadError(display, "is not a valid XLSX file (no workbook inside)")
    members = [
        i
        for i in infos
        if not i.is_dir()
        and not i.filename.startswith("__MACOSX/")
        and not i.filename.rsplit("/", 1)[-1].startswith(".")
        and _ext(i.filename) in TEXT_EXTS + XLSX_EXTS
    ]
    nested = [i.filename for i in infos if _ext(i.filename) in ZIP_EXTS]
    if nested:
        # never skipped in silence: its tables would be lost without a word
        raise ReadError(
            display,
            f"contains a nested archive ({nested[0]}): unzip it and upload its files",
        )
    if not members:
        raise ReadError(display, "zip archive contains no CSV or XLSX table")
    max_tables, max_ratio = zip_limits
    if max_tables and len(members) > max_tables:
        raise TooManyTables(display, len(members), max_tables)
    tables: list[Table] = []
    for info in sorted(members, key=lambda i: i.filename):
        member_name = f"{display}/{info.filename}"
        if info.flag_bits & 0x1:
            raise ReadError(member_name, "is encrypted (password-protected zip)")
        _check_ratio(member_name, info, max_bytes, max_ratio)
        sub = _Source(member_name, member=info.filename, parent=source)
        try:
            tables.extend(_open(sub, member_name, info.file_size, max_bytes))
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
            raise ReadError(member_name, f"cannot be extracted ({exc})") from None
    return tables


def _check_ratio(
    name: str, info: zipfile.ZipInfo, max_bytes: int, max_ratio: int
) -> None:
    """A member over RATIO_FLOOR bytes that expands more than ``max_ratio``
    times is refused (a zip bomb: 4 KB becoming 2 million rows); one over the
    size limit is refused for its size, by _open."""
    size, packed = info.file_size, max(info.compress_size, 1)
    if max_ratio and RATIO_FLOOR < size <= max_bytes and size > max_ratio * packed:
        raise ZipBomb(name, size, packed, max_ratio)


def count_rows(table: Table) -> int:
    """Number of data rows (reads the table once)."""
    return sum(1 for _ in table.rows())
