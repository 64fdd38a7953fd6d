"""Rule-based converters: one module per converted target.

Companies, contacts and leads go through field maps a person confirms; everything
else (notes, activities, appointments, pipelines and stages, tags, products, email
templates, attachments, invoices, users) has a fixed Odoo side, so one rule per
target turns a staging row into a :class:`~engine.core.record.Record`: the Odoo
model, the values the loader writes (references still as source keys, emails and
names, which the loader resolves) and the problems found. A row that cannot load
raises :class:`~engine.core.errors.RowError` (it is held for review with the column
and the reason); other problems are the Record's ``issues``.

Columns are read by alias lists, so these rules fit most exports. A source system
whose files need other rules overrides a target in its spec
(:attr:`engine.sources.base.Source.converters`); nothing here names a system.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..core.errors import RowError, TransformError
from ..core.record import Record
from ..core.rows import Reads
from . import (
    activity,
    attachment,
    event,
    invoice,
    lost_reason,
    note,
    order,
    order_line,
    product,
    product_link,
    segment,
    product_category,
    stage,
    tag,
    team,
    template,
    user,
)

Converter = Callable[..., Record]
CONVERTERS: Mapping[str, Converter] = {
    m.TARGET: m.convert
    for m in (note, activity, event, team, stage, tag, product, template,
              attachment, invoice, user, segment, product_link,
              product_category, lost_reason, order, order_line)
}  # fmt: skip


def convert(
    target: str,
    row: Mapping[str, Any],
    tz: str = "UTC",
    overrides: Mapping[str, Converter] | None = None,
) -> Record:
    """One source row -> :class:`Record` for ``target`` by the target's rule, or
    by ``overrides[target]`` when a source system has its own, with the columns
    the rule read (``Record.consumed``). Raises RowError when the row cannot
    load, ValueError for a target without a converter."""
    fn = (overrides or {}).get(target) or CONVERTERS.get(target)
    if fn is None:
        raise ValueError(f"no converter for {target!r}")
    reads = Reads(row)
    try:
        record = fn(reads, tz)
    except RowError:
        raise
    except TransformError as exc:
        raise RowError("", "", str(exc)) from None
    # what the rule read is what it consumed; the loader keeps or reviews the rest
    record.consumed = frozenset(reads.read)
    return record
