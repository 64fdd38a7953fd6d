"""Pipelines -> ``crm.team`` (one sales team per pipeline)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..transform import to_bool, to_int
from ._util import created_in, read_at
from .pipelines import A_PIPELINE_NAME

TARGET = "team"
# the pipeline's place among the pipelines, and whether it is archived
A_ORDER = ("Pipeline Order", "Sequence", "Position", "Display Order")
A_ARCHIVED = ("Archived", "Is Archived", "Inactive")


def convert(row, tz="UTC", aliases=A_PIPELINE_NAME):
    """A pipeline row -> its sales team; ``aliases`` name the name column."""
    col, name = get(row, aliases)
    if not name:
        raise RowError(col or aliases[0], "", "a sales team needs a name")
    order_col, sequence = read_at(row, A_ORDER, to_int, "pipeline order")
    archived_col, archived = read_at(row, A_ARCHIVED, to_bool, "archived")
    active = None if archived is None else not archived
    homes = {order_col: ("sequence", sequence), archived_col: ("active", active)}
    return Record(
        "team",
        "crm.team",
        {"name": name, "sequence": sequence, "active": active},
        created=created_in(row, tz, ("Created", "Created At")),
        homes={c: h for c, h in homes.items() if c and h[1] is not None},
    )
