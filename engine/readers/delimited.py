"""CSV/TSV/TXT: encoding, delimiter, quoted records with their physical line numbers."""

from __future__ import annotations

import codecs
import csv
import io
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
