"""JSON exports as tables: a JSON array of objects (or an object holding one,
``{"segments": [...]}``, ``{"value": [...]}``) is a table whose headers are the
objects' keys in first-seen order. Nested values (a segment's rule object, a
workflow's steps) are kept as JSON text in their cell, so nothing is lost and
a rule parser can read them back. :func:`engine.readers.open_tables` makes
the table of a ``.json`` file from :func:`parse`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def records_of(data: Any) -> list[dict] | None:
    """The list of records a JSON document holds, or None when it holds none:
    the document itself, else the first value of an object that is a list of
    objects (the longest when several are)."""
    if isinstance(data, list):
        return data if all(isinstance(r, Mapping) for r in data) else None
    if isinstance(data, Mapping):
        lists = [
            v
            for v in data.values()
            if isinstance(v, list) and v and all(isinstance(r, Mapping) for r in v)
        ]
        return max(lists, key=len) if lists else None
    return None


def cell(value: Any) -> str:
    """A JSON value as the text of a cell (nested values as compact JSON)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def parse(raw: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """``(headers, rows)`` of a JSON export; ValueError (with the reason) when
    it is not JSON or holds no list of records."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"is not valid JSON ({exc})") from None
    except RecursionError:  # json's parser recurses once per [ or {
        raise ValueError("is not valid JSON (nested too deeply)") from None
    records = records_of(data)
    if not records:
        raise ValueError("holds no list of records (expected a JSON array of objects)")
    headers = list(dict.fromkeys(str(k) for r in records for k in r))
    return headers, [{str(k): cell(v) for k, v in r.items()} for r in records]
