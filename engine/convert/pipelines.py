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
    teams = _Teams()
    teams.read_pipelines(pipelines_rows)
    teams.read_stages(stages_rows)
    for team in teams.teams:
        _order_stages(team, teams.pending.get(id(team), []))
    return teams.teams


class _Teams:
    """The teams found so far, by source id and by normalised name, and the stage
    rows waiting for their team (``pending``, keyed by ``id(team)``)."""

    def __init__(self) -> None:
        self.teams: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self.by_name: dict[str, dict] = {}
        self.pending: dict[int, list[tuple]] = {}

    def new_team(self, name: str, source_id: str | None, line: int | None) -> dict:
        team = {
            "team": name,
            "source_id": source_id or None,
            "line": line,
            "stages": [],
            "issues": [],
        }
        self.teams.append(team)
        if source_id:
            self.by_id[source_id] = team
        self.by_name.setdefault(norm_text(name), team)
        return team

    def read_pipelines(self, rows: Any) -> None:
        for line, row in _rows(rows):
            _id_col, pid = _get(row, A_PIPELINE_ID)
            name_col, name = _get(row, A_PIPELINE_NAME)
            if not name:
                if not pid:
                    continue
                name = f"Pipeline {pid}"
            if norm_text(name) in self.by_name or (pid and pid in self.by_id):
                dup = self.by_id.get(pid) if pid else None
                dup = dup or self.by_name[norm_text(name)]
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
            self.new_team(name, pid, line)

    def read_stages(self, rows: Any) -> None:
        known_pipelines = bool(self.teams)
        orphans: list[tuple] = []
        for index, (line, row) in enumerate(_rows(rows)):
            name_col, name = _get(row, A_STAGE_NAME)
            if not name:
                continue
            team = self._stage_team(line, row, known_pipelines)
            entry = (index, line, row, name_col, name)
            if team is None:
                orphans.append(entry)
            else:
                self.pending.setdefault(id(team), []).append(entry)
        if orphans:
            self._place_orphans(orphans)

    def _stage_team(self, line: int, row: Any, known_pipelines: bool) -> dict | None:
        """The team a stage row names by pipeline id or name (made when unknown,
        with an issue when a pipelines file was given); None when it names none."""
        id_col, pid = _get(row, A_STAGE_PIPELINE_ID)
        pcol, pname = _get(row, A_STAGE_PIPELINE_NAME)
        team = self.by_id.get(pid) if pid else None
        if team is None and pname:
            team = self.by_name.get(norm_text(pname))
        if team is None and (pid or pname):
            team = self.new_team(pname or f"Pipeline {pid}", pid, None)
            if known_pipelines:
                team["issues"].append(
                    _issue(
                        "stages",
                        line,
                        pcol if pname else id_col,
                        pname or pid,
                        "pipeline is not in the pipelines file; a team is created "
                        "from the stage rows",
                    )
                )
        return team

    def _place_orphans(self, orphans: list[tuple]) -> None:
        """Stages naming no pipeline go to the only team; with several, none is
        guessed: each is an issue."""
        if len(self.teams) == 1:
            self.pending.setdefault(id(self.teams[0]), []).extend(orphans)
            return
        sink = self.teams[0] if self.teams else self.new_team("Pipeline", None, None)
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


def _order_stages(team: dict, rows: list[tuple]) -> None:
    """Fill ``team["stages"]`` from its stage rows: duplicates dropped (an issue),
    sorted by stage order then file order, a won stage added when none is won,
    sequences 1, 2, ...; the team's issues sorted by file and line."""
    entries = []
    seen: dict[str, int] = {}
    for index, line, row, name_col, name in rows:
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
        order, stage = _stage(team["issues"], line, row, name)
        entries.append((order is None, order or 0, index, stage))
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


def _stage(issues: list, line: int, row: Any, name: str) -> tuple[float | None, dict]:
    """One stage row read: its order (None when blank or invalid) and its stage."""
    order = _cell(
        issues,
        line,
        row,
        A_STAGE_ORDER,
        to_float,
        "stage order is not a number: placed after the ordered stages",
    )
    probability = _cell(
        issues,
        line,
        row,
        A_STAGE_PROBABILITY,
        _probability,
        "{exc}: the stage is created without a probability",
    )
    won_flag = _cell(issues, line, row, A_STAGE_WON, to_bool, "won flag is not yes/no")
    fold_flag = _cell(
        issues, line, row, A_STAGE_FOLD, to_bool, "folded flag is not yes/no"
    )
    status = _stage_status(name)
    is_won = (
        won_flag if won_flag is not None else (probability == 100 or status == "won")
    )
    if status == "lost" and probability is None:
        probability = 0.0
    fold = fold_flag if fold_flag is not None else (is_won or status == "lost")
    _icol, sid = _get(row, A_STAGE_ID)
    return order, {
        "name": name,
        "sequence": 0,
        "probability": probability,
        "is_won": bool(is_won),
        "fold": bool(fold),
        "source_id": sid or None,
        "line": line,
        "added": False,
    }


def _cell(issues: list, line: int, row: Any, aliases: tuple, parse, message: str):
    """A stage cell parsed, or None when blank; a value ``parse`` refuses is an
    issue (``message`` may name the error as ``{exc}``) and reads as None."""
    col, text = _get(row, aliases)
    if not text:
        return None
    try:
        return parse(text)
    except TransformError as exc:
        issues.append(_issue("stages", line, col, text, message.format(exc=exc)))
        return None


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
