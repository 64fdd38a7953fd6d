"""The streamed ``Table``, ``ReadError``, header and cell cleaning, and where a file's bytes are."""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import io
import json
import lzma
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ..core.text import storable

MAX_BYTES = 200 * 1024 * 1024
# tables (zip members) of one file: each is a source, an object map and its
# proposals; a zip of thousands is refused before any member is read
MAX_TABLES = 1000
# a zip member expanding more than this many times (CSV exports: 5 to 30) is a
# zip bomb, refused before it is read; under RATIO_FLOOR bytes it is no danger
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
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


class TooManyTables(ReadError):
    """A zip of more tables than the limit (``count``, ``limit``), refused
    before any member is read."""

    def __init__(self, filename: str, count: int, limit: int):
        self.count = count
        self.limit = limit
        super().__init__(
            filename,
            f"zip archive holds {count} tables (CSV or XLSX files); the limit is "
            f"{limit} tables per file. Split it into archives of at most {limit}, "
            "or raise the limit.",
        )


class ZipBomb(ReadError):
    """A zip member that expands more than ``limit`` times (``size`` bytes
    from ``packed``), refused before it is read."""

    def __init__(self, filename: str, size: int, packed: int, limit: int):
        self.size, self.packed, self.limit = size, packed, limit
        super().__init__(
            filename,
            f"expands {size // packed:,} times ({_kb(packed)} to {_kb(size)}), over "
            f"the limit of {limit} for a zip member (a zip bomb?). Upload the file "
            "itself, unzipped, or raise the limit.",
        )


def _kb(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / 1024:.1f} KB"


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
        text, stripped, empty records skipped, unknown keys joined under ``__extra__``),
        their texts as PostgreSQL stores them (core.text.storable: a JSON export's
        ``\\u0000`` or lone ``\\ud800`` reached the profile, then the field maps).
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
                    row = {k: storable(v).strip() for k, v in row.items()}
                if row is not None and any(row.values()):
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
    cells = [_WS_RE.sub(" ", _storable(_cell_text(c))).strip() for c in raw]
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


def _storable(text: str) -> str:
    """A header as PostgreSQL stores it (core.text.storable), without a BOM."""
    return storable(text.replace("\ufeff", ""))


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
    # a CSV cell is text: stripped here, _value only for the others and line breaks
    values = [
        c.strip() if type(c) is str and "\r" not in c else _value(c) for c in cells
    ]
    if not any(values):
        return None
    width = len(headers)
    if len(values) < width:
        row = dict(zip(headers, values + [""] * (width - len(values)), strict=True))
    else:
        row = dict(zip(headers, values[:width], strict=True))
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


# what reading a damaged zip member raises: a bad CRC, a bad deflate, lzma
# or bz2 stream (OSError), a member cut short
_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError)


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
        self._zipfile: zipfile.ZipFile | None = None

    @contextlib.contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        if self.member is not None:
            with self.parent.zip() as zf, zf.open(self.member) as fh:
                try:
                    yield fh
                except _MEMBER_ERRORS as exc:
                    # a damaged member fails where it is read (its head,
                    # or a row past it): said with its name, never a crash
                    raise ReadError(self.name, f"cannot be extracted ({exc})") from None
        elif self.data is not None:
            yield io.BytesIO(self.data)
        else:
            with open(self.path, "rb") as fh:
                yield fh

    @contextlib.contextmanager
    def zip(self) -> Iterator[zipfile.ZipFile]:
        """This zip; in memory, its directory read once for all its members
        (read again for each, a 3,000-member zip read 9 million entries)."""
        if self.data is None:
            with self.open() as outer, zipfile.ZipFile(outer) as zf:
                yield zf
            return
        if self._zipfile is None:
            self._zipfile = zipfile.ZipFile(io.BytesIO(self.data))
        yield self._zipfile

    def head(self, size: int = _HEAD) -> bytes:
        with self.open() as fh:
            return fh.read(size)
