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

from .opening import count_rows, iter_dir, open_tables
from .table import (
    EXTRA_KEY,
    MAX_BYTES,
    MAX_RATIO,
    MAX_TABLES,
    ReadError,
    Table,
    TooManyTables,
    ZipBomb,
    clean_headers,
    slug,
)

__all__ = [
    "EXTRA_KEY",
    "MAX_BYTES",
    "MAX_RATIO",
    "MAX_TABLES",
    "ReadError",
    "Table",
    "TooManyTables",
    "ZipBomb",
    "clean_headers",
    "count_rows",
    "iter_dir",
    "open_tables",
    "slug",
]
