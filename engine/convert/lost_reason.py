"""Lost reasons -> ``crm.lost.reason`` (one per name)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get

TARGET = "lost_reason"


def convert(row, tz="UTC"):
    """A lost reason row -> the reason of that name."""
    col, name = get(row, ("Lost Reason", "Loss Reason", "Reason", "Name"))
    if not name:
        raise RowError(col or "Lost Reason", "", "a lost reason needs a name")
    return Record(TARGET, "crm.lost.reason", {"name": name})
