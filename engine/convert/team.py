"""Pipelines -> ``crm.team`` (one sales team per pipeline)."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ._util import created_in
from .pipelines import A_PIPELINE_NAME

TARGET = "team"


def convert(row, tz="UTC", aliases=A_PIPELINE_NAME):
    """A pipeline row -> its sales team; ``aliases`` name the name column."""
    col, name = get(row, aliases)
    if not name:
        raise RowError(col or aliases[0], "", "a sales team needs a name")
    return Record(
        "team",
        "crm.team",
        {"name": name},
        created=created_in(row, tz, ("Created", "Created At")),
    )
