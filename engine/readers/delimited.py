"""CSV/TSV/TXT: encoding, delimiter, quoted records with their physical line numbers."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import IO

from charset_normalizer import from_bytes

from .table import (
    _BOMS,
    _CHUNK,
    _CSV_FIELD_LIMIT,
    _HEAD,
    _SAMPLE_RECORDS,
    _WESTERN_LANGUAGES,
    DELIMITERS,
    ReadError,
    Table,
    _build_row,
    _looks_headerless,
    _Source,
    _stem,
    clean_headers,
    slug,
)

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


# a file whose lines were saved by different programs: UTF-8, and some lines
# in Windows-1252 (a row pasted from an older export). Each byte sequence that
# is UTF-8 is read as such, every other byte as Windows-1252.
MIXED = "utf-8+cp1252"
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_FALLBACK = "crm_migration_cp1252"


def _cp1252_fallback(exc: UnicodeDecodeError) -> tuple[str, int]:
    # the five bytes Windows-1252 leaves undefined are read as Latin-1
    text = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b)
        for b in exc.object[exc.start : exc.end]
    )
    return text, exc.end


codecs.register_error(_FALLBACK, _cp1252_fallback)


def _mostly_utf8(sample: bytes) -> bool:
    """Non-ASCII bytes that are mostly well-formed UTF-8 sequences (in a file
    that does not decode as UTF-8 as a whole: some lines are in another
    encoding). A Windows-1252 or Cyrillic file rarely forms one by chance."""
    sequences = _UTF8_SEQUENCE.findall(sample)
    in_sequences = sum(len(s) for s in sequences)
    others = sum(1 for b in sample if b > 0x7F) - in_sequences
    return bool(sequences) and in_sequences >= others


def _detect_encoding(source: _Source, head: bytes) -> str:
    bom = _bom_encoding(head)
    if bom:
        return bom
    if _decodes(source, "utf-8"):
        return "utf-8"
    sample = _non_ascii_sample(source)
    if _mostly_utf8(sample):
        return MIXED
    chosen = None
    if sample:
        found = from_bytes(sample)
        best = found.best()
        western = next((m for m in found if m.encoding == "cp1252"), None)
        if western and best and western.coherence >= best.coherence - 0.01:
            # a few accented letters fit Slovak as well as Portuguese: the
            # Windows-1252 reading wins a tie (Excel on Windows in the West)
            best = western
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
    """Lines of ``text`` without NUL characters (PostgreSQL stores none: a NUL
    past the first 64 KB, which refuse a binary file, reached the profile's
    samples and failed the field maps' insert); ``state["eof"]`` becomes True
    once the reader asked past the end."""
    for line in text:
        yield line.replace("\x00", "") if "\x00" in line else line
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
    if encoding == MIXED:
        return io.TextIOWrapper(fh, encoding="utf-8", errors=_FALLBACK, newline="")
    return io.TextIOWrapper(fh, encoding=encoding, errors="strict", newline="")


def _open_csv(
    source: _Source, display: str, ext: str, bom_encoding: str | None
) -> Table:
    head = source.head()
    encoding = bom_encoding or _detect_encoding(source, head)
    if encoding == "utf-8-sig" and not _decodes(source, encoding):
        encoding = MIXED  # a UTF-8 BOM, and lines saved in Windows-1252
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    with source.open() as fh:
        try:
            sample = _text_stream(fh, encoding).read(_HEAD)
        except UnicodeDecodeError:  # a UTF-16/32 BOM on bytes that are not
            raise ReadError(display, f"cannot be decoded as {encoding}") from None
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
