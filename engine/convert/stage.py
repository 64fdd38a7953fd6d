"""Stages -> ``crm.stage`` in their pipeline's order, won and lost ones folded."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..transform import TransformError, to_float
from .pipelines import (
    A_STAGE_NAME,
    A_STAGE_ORDER,
    A_STAGE_PIPELINE_ID,
    A_STAGE_PIPELINE_NAME,
    _probability,
    _stage_status,
)

TARGET = "stage"


def convert(row, tz="UTC"):
    """A stage row -> the stage, its team named by id or name."""
    col, name = get(row, A_STAGE_NAME)
    if not name:
        raise RowError(col or "Stage Name", "", "a stage needs a name")
    issues = []
    _c, team_ref = get(row, A_STAGE_PIPELINE_ID)
    _c, team_name = get(row, A_STAGE_PIPELINE_NAME)
    sequence = _sequence(row, issues)
    probability = _stage_probability(row, issues)
    status = _stage_status(name)
    won = probability == 100 or status == "won"
    return Record(
        "stage",
        "crm.stage",
        {
            "name": name,
            "team_ref": team_ref or None,
            "team_name": team_name or None,
            "sequence": sequence,
            "probability": probability,
            "is_won": won,
            "fold": won or status == "lost",
        },
        issues=issues,
    )


def _sequence(row, issues):
    ocol, order = get(row, A_STAGE_ORDER)
    if not order:
        return None
    try:
        return int(to_float(order))
    except (TransformError, TypeError, ValueError):
        issues.append((ocol, order, f"stage order {order!r} is not a number"))
        return None


def _stage_probability(row, issues):
    pcol, text = get(row, ("Win Probability", "Probability", "Win %"))
    if not text:
        return None
    try:
        return _probability(text)
    except TransformError as exc:
        issues.append((pcol, text, f"{exc}: the stage is kept without it"))
        return None
