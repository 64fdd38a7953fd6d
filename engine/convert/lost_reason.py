"""Lost reasons -> ``crm.lost.reason`` (one per name)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get

TARGET = "lost_reason"
A_PIPELINE = ("Pipeline Name", "Pipeline")


def convert(row, tz="UTC"):
    """A lost reason row -> the reason of that name."""
    col, name = get(row, ("Lost Reason", "Loss Reason", "Reason", "Name"))
    if not name:
        raise RowError(col or "Lost Reason", "", "a lost reason needs a name")
    # a reason kept for one pipeline: Odoo's reasons are shared, so the
    # pipeline is kept in the reason's x_pipeline (Target.custom_fields)
    _c, pipeline = get(row, A_PIPELINE)
    return Record(
        TARGET, "crm.lost.reason", {"name": name, "pipeline": pipeline or None}
    )
