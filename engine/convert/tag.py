"""Campaigns and tags -> ``crm.tag``."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get

TARGET = "tag"


def convert(row, tz="UTC"):
    """A campaign/tag row -> the CRM tag of that name."""
    col, name = get(row, ("Campaign Name", "Campaign", "Tag", "Tag Name", "Name"))
    if not name:
        raise RowError(col or "Name", "", "a tag needs a name")
    # which records carry the tag ("deals, contacts"): they hold it as their
    # tags (crm.tag on leads, res.partner.category on partners), nothing else
    _c, used_on = get(row, ("Used On", "Applies To", "Entity"))
    return Record("tag", "crm.tag", {"name": name, "used_on": used_on or None})
