"""What a converter hands the loader: one Odoo record to write, references unresolved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Record:
    """What one source row becomes.

    ``model``: the Odoo model written (an engagement is a ``mail.message`` or a
    ``mail.activity``, row by row). ``values``: see :data:`FIELDS`. ``contact_ref`` /
    ``contact_email`` / ``lead_ref`` / ``company_name``: the record it belongs to, as the
    source names it. ``user``: its owner or author (email or name). ``created``: the
    source's creation date (naive UTC). ``issues``: ``(column, value, reason)`` of the
    problems that do not stop the row.
    """

    target: str
    model: str
    values: dict = field(default_factory=dict)
    contact_ref: str | None = None
    contact_email: str | None = None
    lead_ref: str | None = None
    # (object, id) of a custom object's row the record belongs to, as the source
    # names it (("Membership", "m-1")): a note on a custom object's record
    object_ref: tuple[str, str] | None = None
    company_name: str | None = None
    # the name the row gives the contact it is on: a copy of the contact's own
    # (the link is by id or email), kept as the reference a person reads
    contact_name: str | None = None
    user: str | None = None
    created: dt.datetime | None = None
    # the source's own last update (naive UTC), kept in the ledger as a
    # field-mapped row's "Last Updated" is (Odoo sets write_date itself)
    updated: dt.datetime | None = None
    issues: list[tuple[str, str, str]] = field(default_factory=list)
    # the source columns the references came from ({"contact_email": "Contact
    # Email", ...}): a review item names them, so that a correction applies
    columns: dict = field(default_factory=dict)
    # the source columns the rule read (engine.core.rows.Reads): every other
    # non-empty cell of the row is a leftover, kept or reviewed, never dropped
    consumed: frozenset = frozenset()
    # {source column: (Odoo field of ``model``, the value converted from it)}
    # where the rule writes what it read from that column: the cell check reads
    # the record back and compares that field with the value, cell by cell
    homes: dict = field(default_factory=dict)
