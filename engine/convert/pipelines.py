"""Pipelines, stages and deal statuses as most CRMs export them.

:func:`pipeline_stages` joins a pipelines file and a stages file into teams with
their ordered stages; :func:`opportunity_status` reads a deal's status word.
Columns are read through alias lists (:mod:`engine.core.rows`), so any source
with similar spellings uses them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..core.rows import get as _get
from ..core.rows import issue as _issue
from ..core.rows import iter_rows as _rows
from ..core.rows import words as _words
from ..core.text import norm_text
from ..transform import (
    TransformError,
    to_bool,
    to_float,
    to_lead_status,
)

# --------------------------------------------------------------- pipelines/stages

A_PIPELINE_ID = ("Pipeline ID", "Pipeline Id", "ID", "Id")
A_PIPELINE_NAME = ("Pipeline Name", "Pipeline", "Name", "Title")
A_STAGE_PIPELINE_ID = ("Pipeline ID", "Pipeline Id")
A_STAGE_PIPELINE_NAME = ("Pipeline Name", "Pipeline")
A_STAGE_ID = ("Stage ID", "Stage Id", "ID", "Id")
A_STAGE_NAME = ("Stage Name", "Stage", "Name", "Title")
A_STAGE_ORDER = ("Stage Order", "Order", "Position", "Stage Position", "Sequence")
A_STAGE_PROBABILITY = (
    "Win Probability",
    "Probability",
    "Probability (%)",
    "Win %",
    "Win Probability (%)",
)
A_STAGE_WON = ("Won Stage", "Is Won", "Won")
A_STAGE_FOLD = ("Folded", "Fold", "Hidden", "Collapsed")


def _probability(value: str) -> float:
    """``"40"``, ``"40%"``, ``"40.5 %"`` -> 40.0; outside 0-100 or not a number raises."""
    text = value.strip().rstrip("%").strip()
    number = to_float(text)
    if number is None or not 0 <= number <= 100:
        raise TransformError(f"probability {value!r} is not a number from 0 to 100")
    return number


def pipeline_stages(pipelines_rows: Any, stages_rows: Any) -> list[dict]:
    """One team per pipeline, with its stages in pipeline order.

    ``pipelines_rows`` / ``stages_rows``: a Table, ``(line, row)`` pairs or dicts (either
    may be None/empty). Stages find their pipeline by "Pipeline ID", else by name
    (normalised); a single pipeline takes the stages that name none.

    Returns ``[{"team", "source_id", "line", "stages": [{"name", "sequence",
    "probability", "is_won", "fold", "source_id", "line", "added"}], "issues": [...]}]``
    in the pipelines' order (pipelines known only from stages last); ``issues`` are
    sorted by file (pipelines, stages) and line. ``sequence`` is
    1, 2, ... in "Stage Order" order (rows without an order after, in file order).
    ``probability`` is a float 0-100 or None (blank or invalid: an issue). A stage is won
    when a won column says so, or its probability is 100, or its name is a won word
    ("Won", "Closed Won"); won stages and lost-named stages ("Closed Lost") are folded.
    Every team gets a won stage: when none is won, ``{"name": "Won", "probability":
    100.0, "is_won": True, "fold": True, "added": True}`` is appended (some CRMs keep
    won opportunities in their stage; Odoo marks them won by a won stage).

    Odoo 18 ``crm.stage`` has no probability field: write ``name``, ``sequence``,
    ``is_won``, ``fold`` and ``team_id``; use ``probability`` for the opportunities of
    the stage (``crm.lead.probability``) and, if wanted, in ``requirements``.
    """
    teams: list[dict] = []
    by_id: dict[str, dict] = {}
    by_name: dict[str, dict] = {}

    def new_team(name: str, source_id: str | None, line: int | None) -> dict:
        team = {
            "team": name,
            "source_id": source_id or None,
            "line": line,
            "stages": [],
            "issues": [],
        }
        teams.append(team)
        if source_id:
            by_id[source_id] = team
        by_name.setdefault(norm_text(name), team)
        return team

    for line, row in _rows(pipelines_rows):
        id_col, pid = _get(row, A_PIPELINE_ID)
        name_col, name = _get(row, A_PIPELINE_NAME)
        if not name:
            if pid:
                name = f"Pipeline {pid}"
            else:
                continue
        if norm_text(name) in by_name or (pid and pid in by_id):
            dup = by_id.get(pid) if pid else by_name[norm_text(name)]
            dup = dup or by_name[norm_text(name)]
            dup["issues"].append(
                _issue(
                    "pipelines",
                    line,
                    name_col,
                    name,
                    f"pipeline listed twice (first on line {dup['line']}); "
                    "both are loaded as one team",
                )
            )
            continue
        new_team(name, pid, line)
    known_pipelines = bool(teams)

    pending: dict[int, list[tuple]] = {}
    orphans: list[tuple] = []
    for index, (line, row) in enumerate(_rows(stages_rows)):
        name_col, name = _get(row, A_STAGE_NAME)
        if not name:
            continue
        _c, pid = _get(row, A_STAGE_PIPELINE_ID)
        pcol, pname = _get(row, A_STAGE_PIPELINE_NAME)
        team = by_id.get(pid) if pid else None
        if team is None and pname:
            team = by_name.get(norm_text(pname))
        if team is None and (pid or pname):
            team = new_team(pname or f"Pipeline {pid}", pid, None)
            if known_pipelines:
                team["issues"].append(
                    _issue(
                        "stages",
                        line,
                        pcol if pname else _c,
                        pname or pid,
                        "pipeline is not in the pipelines file; a team is created "
                        "from the stage rows",
                    )
                )
        if team is None:
            orphans.append((index, line, row, name_col, name))
            continue
        pending.setdefault(id(team), []).append((index, line, row, name_col, name))

    if orphans:
        if len(teams) == 1:
            pending.setdefault(id(teams[0]), []).extend(orphans)
        else:
            sink = teams[0] if teams else new_team("Pipeline", None, None)
            for _i, line, _row, name_col, name in orphans:
                sink["issues"].append(
                    _issue(
                        "stages",
                        line,
                        name_col,
                        name,
                        "stage names no pipeline and there are several: not loaded",
                    )
                )

    for team in teams:
        entries = []
        seen: dict[str, int] = {}
        for index, line, row, name_col, name in pending.get(id(team), []):
            key = norm_text(name)
            if key in seen:
                team["issues"].append(
                    _issue(
                        "stages",
                        line,
                        name_col,
                        name,
                        f"stage listed twice in pipeline {team['team']!r} (first on "
                        f"line {seen[key]}): loaded once",
                    )
                )
                continue
            seen[key] = line
            ocol, order_text = _get(row, A_STAGE_ORDER)
            order = None
            if order_text:
                try:
                    order = to_float(order_text)
                except TransformError:
                    team["issues"].append(
                        _issue(
                            "stages",
                            line,
                            ocol,
                            order_text,
                            "stage order is not a number: placed after the ordered "
                            "stages",
                        )
                    )
            pcol, prob_text = _get(row, A_STAGE_PROBABILITY)
            probability = None
            if prob_text:
                try:
                    probability = _probability(prob_text)
                except TransformError as exc:
                    team["issues"].append(
                        _issue(
                            "stages",
                            line,
                            pcol,
                            prob_text,
                            f"{exc}: the stage is created without a probability",
                        )
                    )
            wcol, won_text = _get(row, A_STAGE_WON)
            fcol, fold_text = _get(row, A_STAGE_FOLD)
            try:
                won_flag = to_bool(won_text) if won_text else None
            except TransformError:
                won_flag = None
                team["issues"].append(
                    _issue("stages", line, wcol, won_text, "won flag is not yes/no")
                )
            try:
                fold_flag = to_bool(fold_text) if fold_text else None
            except TransformError:
                fold_flag = None
                team["issues"].append(
                    _issue("stages", line, fcol, fold_text, "folded flag is not yes/no")
                )
            status = _stage_status(name)
            is_won = (
                won_flag
                if won_flag is not None
                else (probability == 100 or status == "won")
            )
            if status == "lost" and probability is None:
                probability = 0.0
            fold = fold_flag if fold_flag is not None else (is_won or status == "lost")
            _icol, sid = _get(row, A_STAGE_ID)
            entries.append(
                (
                    order is None,
                    order or 0,
                    index,
                    {
                        "name": name,
                        "sequence": 0,
                        "probability": probability,
                        "is_won": bool(is_won),
                        "fold": bool(fold),
                        "source_id": sid or None,
                        "line": line,
                        "added": False,
                    },
                )
            )
        entries.sort(key=lambda e: e[:3])
        team["stages"] = [e[3] for e in entries]
        if not any(s["is_won"] for s in team["stages"]):
            team["stages"].append(
                {
                    "name": "Won",
                    "sequence": 0,
                    "probability": 100.0,
                    "is_won": True,
                    "fold": True,
                    "source_id": None,
                    "line": None,
                    "added": True,
                }
            )
        for seq, stage in enumerate(team["stages"], start=1):
            stage["sequence"] = seq
        team["issues"].sort(key=lambda i: (i["kind"] != "pipelines", i["line"] or 0))
    return teams


def _stage_status(name: str) -> str | None:
    try:
        return to_lead_status(name)
    except TransformError:
        return None


# --------------------------------------------------------------- opportunities


class OpportunityStatus(NamedTuple):
    """``status``: the source's word (open, won, lost, abandoned); ``state``: what Odoo does
    (open, won: a won stage, lost: ``action_set_lost``); ``lost_reason``: the
    ``crm.lost.reason`` name to use when the row gives none."""

    status: str
    state: str
    lost_reason: str | None = None


ABANDONED = "Abandoned"
_ABANDONED_WORDS = {"abandoned", "abandon", "closed abandoned", "ghosted"}


def opportunity_status(value: Any) -> OpportunityStatus:
    """``"open"`` -> open; ``"won"`` -> won; ``"lost"`` -> lost; ``"abandoned"`` -> lost
    with reason "Abandoned". Blank -> open (the usual default). Other spellings go
    through :func:`engine.transform.to_lead_status` ("Closed Won", "Perdido" ...);
    anything else raises :class:`~engine.transform.TransformError`."""
    text = "" if value is None else str(value).strip()
    if not text:
        return OpportunityStatus("open", "open")
    if _words(text) in _ABANDONED_WORDS:
        return OpportunityStatus("abandoned", "lost", ABANDONED)
    status = to_lead_status(text)
    return OpportunityStatus(status, status)
