"""Offset paging for any API (``paginate``, ``Page``, ``iter_items``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .redaction import log
from .session import ApiError

# --------------------------------------------------------------------------- paging


@dataclass
class Page:
    """One page of an offset-paged listing. ``next_offset`` is the cursor to resume
    from (None after the last page)."""

    offset: int
    items: list
    next_offset: int | None

    @property
    def last(self) -> bool:
        return self.next_offset is None


def _fingerprint(items: list) -> str:
    payload = json.dumps(items, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def paginate(
    fetch: Callable[[int, int], Iterable[Any]],
    *,
    page_size: int = 100,
    offset: int = 0,
    max_pages: int = 100_000,
) -> Iterator[Page]:
    """Pages of ``fetch(offset, limit)`` until a short page (fewer than ``page_size``
    items, possibly none). ``offset``: where to start, e.g. the ``next_offset`` of the
    last page a previous run processed (resumable cursor). At most ``max_pages`` calls,
    then :class:`ApiError`. A page larger than ``page_size`` (the server ignores the
    limit) is taken as everything and ends the listing; the same full page twice in a
    row (the server ignores the offset) raises :class:`ApiError` instead of looping."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    if offset < 0:
        raise ValueError("offset must not be negative")
    previous = None
    for _ in range(max_pages):
        items = list(fetch(offset, page_size) or ())
        if len(items) > page_size:
            log.warning(
                "the server returned %d items for a page of %d at offset %d: "
                "taking them as the whole listing",
                len(items),
                page_size,
                offset,
            )
            yield Page(offset, items, None)
            return
        if len(items) < page_size:
            yield Page(offset, items, None)
            return
        fingerprint = _fingerprint(items)
        if fingerprint == previous:
            raise ApiError(
                f"the page at offset {offset} repeats the previous page: "
                "the server seems to ignore the paging offset"
            )
        previous = fingerprint
        yield Page(offset, items, offset + len(items))
        offset += len(items)
    raise ApiError(
        f"stopped after {max_pages} pages (next offset {offset}); "
        "resume from that offset or raise max_pages"
    )


def iter_items(pages: Iterable[Page]) -> Iterator[Any]:
    """The items of ``pages``, in order."""
    for page in pages:
        yield from page.items
