"""Stages inferred from the deals, for systems whose exports hold no pipeline
configuration: one stage per pipeline and stage name the deals use, ordered by
the probability of the open deals in it, won stages after the open ones, stages
holding only lost deals last.

>>> [(s.name, s.sequence, s.status) for s in infer_stages([
...     {"pipeline": "Sales", "stage": "Proposal", "probability": 60, "status": "open"},
...     {"pipeline": "Sales", "stage": "Closed Won", "probability": 100, "status": "won"},
...     {"pipeline": "Sales", "stage": "New", "probability": 10, "status": "open"},
...     {"pipeline": "Sales", "stage": "Dead", "probability": 0, "status": "lost"},
... ])]
[('New', 1, 'open'), ('Proposal', 2, 'open'), ('Closed Won', 3, 'won'), ('Dead', 4, 'lost')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.text import norm_text
from ..transform import TransformError, to_float, to_lead_status

_RANK = {"open": 0, "won": 1, "lost": 2}


@dataclass
class InferredStage:
    """One stage of one pipeline: its name as first written, its order in the
    pipeline (1..n), ``status`` open / won / lost (won and lost fold), the mean
    probability of its open deals and how many deals of each status it holds."""

    pipeline: str
    name: str
    sequence: int = 0
    status: str = "open"
    probability: float | None = None
    deals: dict = field(default_factory=lambda: {"open": 0, "won": 0, "lost": 0})

    @property
    def is_won(self) -> bool:
        return self.status == "won"

    @property
    def fold(self) -> bool:
        return self.status != "open"


def _status(counts: Mapping[str, int]) -> str:
    """Won when won deals outnumber open ones; lost when it holds lost deals
    only; else open (deals lost in an open stage keep it open)."""
    if counts["won"] and counts["won"] >= counts["open"]:
        return "won"
    if counts["lost"] and not counts["open"] and not counts["won"]:
        return "lost"
    return "open"


def infer_stages(deals: Iterable[Mapping[str, Any]]) -> list[InferredStage]:
    """``deals``: ``{"pipeline", "stage", "probability" (0-100 or None),
    "status" (open / won / lost)}`` -> the stages of every pipeline, in
    pipeline order of first appearance, each pipeline's stages in order."""
    stages: dict[tuple[str, str], InferredStage] = {}
    probabilities: dict[tuple[str, str], list[float]] = {}
    first_seen: dict[tuple[str, str], int] = {}
    for i, deal in enumerate(deals):
        name = str(deal.get("stage") or "").strip()
        if not name:
            continue
        pipeline = str(deal.get("pipeline") or "").strip()
        key = (norm_text(pipeline), norm_text(name))
        stage = stages.setdefault(key, InferredStage(pipeline, name))
        first_seen.setdefault(key, i)
        status = deal.get("status") if deal.get("status") in _RANK else "open"
        stage.deals[status] += 1
        if status == "open" and deal.get("probability") is not None:
            probabilities.setdefault(key, []).append(float(deal["probability"]))
    for key, stage in stages.items():
        stage.status = _status(stage.deals)
        values = probabilities.get(key)
        stage.probability = round(sum(values) / len(values), 2) if values else None
    pipelines = list(
        dict.fromkeys(k[0] for k in sorted(first_seen, key=first_seen.get))
    )
    result = []
    for pipeline in pipelines:
        keys = [k for k in stages if k[0] == pipeline]
        keys.sort(
            key=lambda k: (
                _RANK[stages[k].status],
                stages[k].probability if stages[k].probability is not None else 101,
                first_seen[k],
            )
        )
        for n, k in enumerate(keys, start=1):
            stages[k].sequence = n
            result.append(stages[k])
    return result


def deal_facts(row: Mapping[str, Any], columns: Mapping[str, str | None]) -> dict:
    """What :func:`infer_stages` reads of one deal row, through the columns
    a person mapped (``columns``: ``team_id``, ``stage_id``, ``probability``,
    ``status`` -> column or None): an unreadable probability is unknown, an
    unreadable status open."""

    def cell(fname):
        col = columns.get(fname)
        return str(row.get(col) or "").strip() if col else ""

    try:
        probability = to_float(cell("probability").rstrip("% ")) or 0.0
    except (TransformError, ValueError):
        probability = None
    if not cell("probability"):
        probability = None
    try:
        status = to_lead_status(cell("status")) if cell("status") else "open"
    except (TransformError, ValueError):
        status = "open"
    return {
        "pipeline": cell("team_id"),
        "stage": cell("stage_id"),
        "probability": probability,
        "status": status,
    }


def describe(stages: Iterable[InferredStage]) -> str:
    """The stages as people read them, one line per pipeline:
    ``Sales: 1 New (10%), 2 Proposal (60%), 3 Closed Won (won)``."""
    lines: dict[str, list[str]] = {}
    for s in stages:
        what = (
            s.status
            if s.status != "open"
            else (f"{s.probability:g}%" if s.probability is not None else "open")
        )
        lines.setdefault(s.pipeline or "-", []).append(
            f"{s.sequence} {s.name} ({what})"
        )
    return "\n".join(f"{p}: {', '.join(items)}" for p, items in lines.items())
