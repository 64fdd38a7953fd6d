"""Read tabular exports (CSV/TSV/TXT, XLSX, ZIP of those) as streamed :class:`Table` objects.

What a reader guarantees
------------------------
* Encoding: a BOM decides (UTF-8, UTF-16, UTF-32); otherwise the whole file is checked as
  UTF-8 (streamed, chunk by chunk); otherwise charset-normalizer guesses from the lines that
  hold non-ASCII bytes, preferring cp1252 whenever it is a plausible reading (exports from
  Windows Excel), with latin-1 as the last resort (it decodes any byte).
* Delimiter: ``,`` ``;`` tab ``|`` -- the one that splits the header into the most columns
  and the first records consistently (quotes respected); the extension breaks ties
  (``.tsv`` prefers tab). A file with one column gets ``,``.
* Headers: the first non-empty record. BOM and stray whitespace removed (inner runs of
  whitespace, line breaks included, become one space); a blank header becomes
  ``column_<n>`` (``n`` = 1-based position); a repeated header (case-insensitive) becomes
  ``"Email (2)"``, ``"Email (3)"``; blank headers at the *end* of the header row are dropped.
* Rows: ``rows()`` yields ``(line, {header: value})``; ``line`` is the physical line where
  the record starts (1-based, header = its own line, usually 1; XLSX: the sheet row number).
  Values are stripped, line breaks inside a cell become ``\\n``; empty records are skipped.
* Ragged rows: missing cells are ``""``. Cells beyond the last header are not dropped: the
  non-blank ones go, joined with the file's delimiter (``","`` for XLSX) in their original
  order (blank cells in between kept as empty positions), into the key :data:`EXTRA_KEY`
  (``"__extra__"``), present only on rows that have such cells.
  ``engine.profile`` counts them (``extra_cells``) so they are visible.
* ``rows()`` re-reads the source on every call; nothing but the original bytes (when given
  as ``data``) is kept.

Refusals raise :class:`ReadError` naming the file and the reason: empty, too large,
binary (NUL bytes) or a known non-table format (PDF, images, executables, Word/OpenDocument,
legacy .xls), unsupported extension, XLSX that cannot be opened, header-less (the first
record holds values such as emails, numbers or dates), unterminated quoted field, a zip
without any table. In a zip, members that are not tables (``readme.pdf``, folders, macOS
``__MACOSX`` files) are skipped; a member that is a table but unreadable raises.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from charset_normalizer import from_bytes

from . import jsontables

MAX_BYTES = 200 * 1024 * 1024
EXTRA_KEY = "__extra__"
TEXT_EXTS = (".csv", ".tsv", ".txt", ".tab")
XLSX_EXTS = (".xlsx", ".xlsm")
ZIP_EXTS = (".zip",)
JSON_EXTS = (".json",)
SUPPORTED_EXTS = TEXT_EXTS + XLSX_EXTS + ZIP_EXTS + JSON_EXTS
DELIMITERS = (",", ";", "\t", "|")

_CHUNK = 1 << 20
_HEAD = 64 * 1024
_SAMPLE_RECORDS = 50
_CSV_FIELD_LIMIT = 64 * 1024 * 1024

# (magic, reason, only when NUL bytes follow closely: text may start the same way)
_MAGIC = (
    (b"%PDF", "is a PDF document, not a table", False),
    (b"\x89PNG\r\n\x1a\n", "is a PNG image, not a table", False),
    (b"\xff\xd8\xff", "is a JPEG image, not a table", False),
    (b"GIF87a", "is a GIF image, not a table", False),
    (b"GIF89a", "is a GIF image, not a table", False),
    (b"MZ", "is a Windows executable, not a table", True),
    (b"\x7fELF", "is an executable, not a table", False),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "is a legacy Office file (.xls/.doc): save it as .xlsx or CSV",
        False,
    ),
    (b"\x1f\x8b", "is a gzip archive: use .zip", False),
    (b"Rar!", "is a RAR archive: use .zip", True),
    (b"7z\xbc\xaf\x27\x1c", "is a 7-Zip archive: use .zip", False),
    (b"{\\rtf", "is an RTF document, not a table", False),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WESTERN_LANGUAGES = frozenset(
    "English Portuguese Spanish French German Italian Dutch Danish Swedish Norwegian "
    "Finnish Icelandic Catalan Unknown".split()
)


class ReadError(ValueError):
    """A file that cannot be read as a table; ``str(e)`` names the file and the reason."""

    def __init__(self, filename: str, reason: str, line: int | None = None):
        self.filename = filename
        self.reason = reason
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.filename}: {self.reason}"
        if self.line is not None:
            text += f" (line {self.line})"
        return text


@dataclass
class Table:
    """One table of a file (a CSV, one sheet of a workbook, one member of a zip).

    ``header_line`` is the physical line (XLSX: row) of the header; ``sheet`` the sheet
    title for XLSX. ``rows()`` re-reads the source each call (see the module docstring).
    """

    name: str
    object_name: str
    kind: str
    encoding: str | None
    delimiter: str | None
    headers: list[str]
    raw_headers: list[str]
    header_line: int = 1
    sheet: str | None = None
    _reader: Callable[[], Iterator[tuple[int, dict[str, str]]]] = field(
        default=None, repr=False, compare=False
    )
    # the types a source system declares for some of its columns (its custom
    # fields): {column: {"type": Odoo field type, "options": [names]}}
    column_types: dict = field(default_factory=dict, repr=False, compare=False)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        return self._reader()

    @classmethod
    def from_records(
        cls,
        name: str,
        records: Callable[[], Any],
        headers: list[str],
        kind: str = "records",
        object_name: str | None = None,
    ) -> Table:
        """A table over records that are not a file (an API pull, a test).

        ``records()`` must return a fresh iterable of dicts each call; rows are numbered
        from 2 (as if line 1 held the headers) and cleaned like file rows (values as
        text, stripped, empty records skipped, unknown keys joined under ``__extra__``).
        """
        clean = clean_headers(list(headers))

        known = set(headers)

        def reader() -> Iterator[tuple[int, dict[str, str]]]:
            for line, record in enumerate(records(), start=2):
                row = _build_row([record.get(h) for h in headers], clean, ",")
                extra = [_value(v) for k, v in record.items() if k not in known]
                extra = [v for v in extra if v]
                if extra:
                    row = row or dict.fromkeys(clean, "")
                    row[EXTRA_KEY] = ",".join(extra)
                if row is not None:
                    yield line, row

        return cls(
            name=name,
            object_name=object_name or slug(_stem(name)),
            kind=kind,
            encoding=None,
            delimiter=None,
            headers=clean,
            raw_headers=[str(h) for h in headers],
            _reader=reader,
        )


# ----------------------------------------------------------------------- helpers


def slug(text: str) -> str:
    """``"Contacts Export"`` -> ``"contacts_export"`` (accents stripped; ``"table"`` if empty)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "table"


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def _ext(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""


_WS_RE = re.compile(r"\s+")


def clean_headers(raw: list[Any]) -> list[str]:
    """Cleaned, unique header names (see the module docstring); trailing blanks dropped."""
    cells = [_WS_RE.sub(" ", _cell_text(c).replace("\ufeff", "")).strip() for c in raw]
    while cells and not cells[-1]:
        cells.pop()
    out: list[str] = []
    seen: set[str] = set()
    # names taken as written first, so a generated "Email (2)" never shadows a real one
    taken = {c.casefold() for c in cells if c}
    for i, cell in enumerate(cells, start=1):
        name = cell or f"column_{i}"
        if name.casefold() in seen:
            n = 2
            while f"{name} ({n})".casefold() in seen | taken:
                n += 1
            name = f"{name} ({n})"
        seen.add(name.casefold())
        out.append(name)
    return out


def _cell_text(value: Any) -> str:
    """A cell as text: XLSX dates in ISO, whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(
            sep=" ", timespec="seconds" if not value.microsecond else "auto"
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):  # nested API values
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        text = format(value, ".15g")
        return repr(value) if "e" in text else text
    return str(value)


def _value(cell: Any) -> str:
    text = _cell_text(cell)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _build_row(cells: list[Any], headers: list[str], sep: str) -> dict[str, str] | None:
    values = [_value(c) for c in cells]
    if not any(values):
        return None
    width = len(headers)
    row = {h: (values[i] if i < len(values) else "") for i, h in enumerate(headers)}
    extra = values[width:]
    while extra and not extra[-1]:
        extra.pop()
    if extra:
        row[EXTRA_KEY] = sep.join(extra)
    return row


_VALUE_PATTERNS = (
    re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),  # email
    re.compile(r"^(https?://|www\.)\S+$", re.I),  # url
    re.compile(r"^[-+]?[\d.,\s]*\d$"),  # number
    re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?$"),  # date
    re.compile(r"^\+?[\d\s().-]{7,}$"),  # phone
    re.compile(r"^[-+]?[$€£]|^R\$"),  # money
)


def _looks_headerless(cells: list[str]) -> bool:
    """True when the first record looks like data: an email or URL, or mostly values."""
    filled = [c.strip() for c in cells if c and c.strip()]
    if not filled:
        return False
    hits = [c for c in filled if any(p.match(c) for p in _VALUE_PATTERNS)]
    if any(_VALUE_PATTERNS[0].match(c) or _VALUE_PATTERNS[1].match(c) for c in hits):
        return True
    return len(hits) * 2 > len(filled)


# --------------------------------------------------------------------- byte sources


class _Source:
    """Where the bytes of one file are: a path, bytes in memory, or a zip member."""

    def __init__(
        self,
        name: str,
        path: str | None = None,
        data: bytes | None = None,
        member: str | None = None,
        parent: _Source | None = None,
    ):
        self.name = name
        self.path = path
        self.data = data
        self.member = member
        self.parent = parent

    @contextlib.contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        if self.member is not None:
            with (
                self.parent.open() as outer,
                zipfile.ZipFile(outer) as zf,
                zf.open(self.member) as fh,
            ):
                yield fh
        elif self.data is not None:
            yield io.BytesIO(self.data)
        else:
            with open(self.path, "rb") as fh:
                yield fh

    def head(self, size: int = _HEAD) -> bytes:
        with self.open() as fh:
            return fh.read(size)


# ------------------------------------------------------------------------- entry points


def open_tables(
    name: str | None = None,
    data: bytes | None = None,
    path: str | os.PathLike | None = None,
    max_bytes: int = MAX_BYTES,
) -> list[Table]:
    """Tables of one file given as ``data`` (bytes) or ``path``; ``name`` is the file name
    shown in tables and errors (defaults to the path's base name)."""
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
    return _open(source, display, size, max_bytes)


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


def _open(source: _Source, display: str, size: int, max_bytes: int) -> list[Table]:
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
        return _open_container(source, display, ext, max_bytes)
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
    source: _Source, display: str, ext: str, max_bytes: int
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
    tables: list[Table] = []
    for info in sorted(members, key=lambda i: i.filename):
        member_name = f"{display}/{info.filename}"
        if info.flag_bits & 0x1:
            raise ReadError(member_name, "is encrypted (password-protected zip)")
        sub = _Source(member_name, member=info.filename, parent=source)
        try:
            tables.extend(_open(sub, member_name, info.file_size, max_bytes))
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
            raise ReadError(member_name, f"cannot be extracted ({exc})") from None
    return tables


# ----------------------------------------------------------------------------- CSV


def _bom_encoding(head: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            if (
                encoding == "utf-32"
                and head.startswith(codecs.BOM_UTF16_LE)
                and len(head) % 4
            ):
                continue
            return encoding
    return None


def _decodes(source: _Source, encoding: str) -> bool:
    """Does the whole file decode? (streamed, chunk by chunk)"""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with source.open() as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _non_ascii_sample(source: _Source, limit: int = 256 * 1024) -> bytes:
    """Chunks that hold non-ASCII bytes (the only ones that tell encodings apart)."""
    picked: list[bytes] = []
    total = 0
    with source.open() as fh:
        while total < limit and (chunk := fh.read(16 * 1024)):
            if not chunk.isascii():
                picked.append(chunk)
                total += len(chunk)
    return b"".join(picked)


def _detect_encoding(source: _Source, head: bytes) -> str:
    bom = _bom_encoding(head)
    if bom:
        return bom
    if _decodes(source, "utf-8"):
        return "utf-8"
    sample = _non_ascii_sample(source)
    chosen = None
    if sample:
        best = from_bytes(sample).best()
        if best and best.coherence >= 0.3 and best.language not in _WESTERN_LANGUAGES:
            chosen = (
                best.encoding
            )  # clearly another language: Cyrillic, Greek, Polish ...
        elif from_bytes(sample, cp_isolation=["cp1252"]).best() is not None:
            chosen = (
                "cp1252"  # a plausible Windows-1252 reading wins (Excel on Windows)
            )
        elif best:
            chosen = best.encoding
    for encoding in (chosen, "cp1252"):
        if encoding and _decodes(source, encoding):
            return encoding
    return "latin-1"


class _CsvLineError(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _records(
    lines: Iterator[str], delimiter: str
) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of each CSV record; physical line numbers."""
    reader = csv.reader(
        lines, delimiter=delimiter, quotechar='"', skipinitialspace=True
    )
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _CsvLineError(str(exc), start) from None
        yield start, reader.line_num, cells


def _tracked(text: IO[str], state: dict[str, bool]) -> Iterator[str]:
    """Lines of ``text``; ``state["eof"]`` becomes True once the reader asked past the end."""
    yield from text
    state["eof"] = True


def _detect_delimiter(sample: str, ext: str) -> str:
    prefer = "\t" if ext in (".tsv", ".tab") else ","
    order = [prefer] + [d for d in DELIMITERS if d != prefer]
    best, best_score = prefer, None
    for delimiter in order:
        counts: list[int] = []
        try:
            for _s, _e, cells in _records(io.StringIO(sample, newline=""), delimiter):
                if any(c.strip() for c in cells):
                    counts.append(len(cells))
                if len(counts) >= _SAMPLE_RECORDS:
                    break
        except _CsvLineError:
            continue
        if not counts or counts[0] < 2:
            continue
        header = counts[0]
        consistent = sum(1 for c in counts if c == header) / len(counts)
        score = (consistent, header)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _text_stream(fh: IO[bytes], encoding: str) -> IO[str]:
    return io.TextIOWrapper(fh, encoding=encoding, errors="strict", newline="")


def _open_csv(
    source: _Source, display: str, ext: str, bom_encoding: str | None
) -> Table:
    head = source.head()
    encoding = bom_encoding or _detect_encoding(source, head)
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    with source.open() as fh:
        sample = _text_stream(fh, encoding).read(_HEAD)
    if len(sample) == _HEAD and "\n" in sample:
        sample = sample[: sample.rfind("\n") + 1]
    delimiter = _detect_delimiter(sample, ext)
    header_line, raw = None, None
    with source.open() as fh:
        try:
            for start, _end, cells in _records(_text_stream(fh, encoding), delimiter):
                if any(c.strip() for c in cells):
                    header_line, raw = start, cells
                    break
        except _CsvLineError as exc:
            raise ReadError(display, f"malformed CSV ({exc})", line=exc.line) from None
        except UnicodeDecodeError:
            raise ReadError(display, f"cannot be decoded as {encoding}") from None
    if raw is None:
        raise ReadError(display, "file is empty (no header row)")
    raw = [c.replace("\ufeff", "") for c in raw]
    if _looks_headerless(raw):
        raise ReadError(
            display,
            "has no header row (the first row holds values such as emails, numbers or dates)",
            line=header_line,
        )
    headers = clean_headers(raw)
    if not headers:
        raise ReadError(display, "has no header row", line=header_line)

    def reader() -> Iterator[tuple[int, dict[str, str]]]:
        return _csv_rows(source, display, encoding, delimiter, header_line, headers)

    return Table(
        name=display,
        object_name=slug(_stem(display)),
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
        headers=headers,
        raw_headers=[c.strip() for c in raw],
        header_line=header_line,
        _reader=reader,
    )


def _csv_rows(
    source: _Source,
    display: str,
    encoding: str,
    delimiter: str,
    header_line: int,
    headers: list[str],
) -> Iterator[tuple[int, dict[str, str]]]:
    state = {"eof": False}
    start = header_line
    with source.open() as fh:
        records = _records(_tracked(_text_stream(fh, encoding), state), delimiter)
        try:
            for start, end, cells in records:
                if start <= header_line:
                    continue
                if (
                    end > start
                    and state["eof"]
                    and _unterminated(source, encoding, delimiter, start)
                ):
                    raise ReadError(display, "quoted field is never closed", line=start)
                row = _build_row(cells, headers, delimiter)
                if row is not None:
                    yield start, row
        except _CsvLineError as exc:
            raise ReadError(display, f"malformed CSV ({exc})", line=exc.line) from None
        except UnicodeDecodeError:
            raise ReadError(
                display, f"cannot be decoded as {encoding}", line=start
            ) from None


def _unterminated(source: _Source, encoding: str, delimiter: str, start: int) -> bool:
    """Re-read the last record strictly: does its quoted field run to the end of the file?"""
    with source.open() as fh:
        text = _text_stream(fh, encoding)
        lines = [line for n, line in enumerate(text, start=1) if n >= start]
    try:
        list(csv.reader(lines, delimiter=delimiter, strict=True, skipinitialspace=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


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
        finally:
            wb.close()


def count_rows(table: Table) -> int:
    """Number of data rows (reads the table once)."""
    return sum(1 for _ in table.rows())


__all__ = [
    "EXTRA_KEY",
    "MAX_BYTES",
    "ReadError",
    "Table",
    "clean_headers",
    "count_rows",
    "iter_dir",
    "open_tables",
    "slug",
]
