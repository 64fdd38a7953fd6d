"""Stages -> ``crm.stage`` in their pipeline's order, won and lost ones folded."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..transform import TransformError, to_float
from ._util import homes_of
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
    order_col, sequence = _sequence(row, issues)
    probability_col, probability = _stage_probability(row, issues)
    status = _stage_status(name)
    won = probability == 100 or status == "won"
    # where each value read lands (the cell check reads the stage back): the
    # probability, which Odoo 18 stages lack, in the stage's requirements
    homes = {
        col: ("name", name),
        order_col: ("sequence", sequence),
        probability_col: (
            "requirements",
            None if probability is None else f"{probability:g}%",
        ),
    }
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
        homes=homes_of(homes),
    )


def _sequence(row, issues):
    ocol, order = get(row, A_STAGE_ORDER)
    if not order:
        return ocol, None
    try:
        return ocol, int(to_float(order))
    except (TransformError, TypeError, ValueError):
        issues.append((ocol, order, f"stage order {order!r} is not a number"))
        return ocol, None


def _stage_probability(row, issues):
    pcol, text = get(row, ("Win Probability", "Probability", "Win %"))
    if not text:
        return pcol, None
    try:
        return pcol, _probability(text)
    except TransformError as exc:
        issues.append((pcol, text, f"{exc}: the stage is kept without it"))
        return pcol, None
