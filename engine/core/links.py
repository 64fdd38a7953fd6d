"""Compound keys: how rows that carry no parent id find their parent.

Some systems (CSV-only CRMs) export every object on its own, with no record
ids: a contact names its account, a deal its account and contact, an activity
its contact, a document its deal. A source spec declares those links as data,
:class:`LinkRule` per (child, parent) pair, and the loader resolves each one
through a :class:`LinkIndex` of the parents: exactly one candidate is a link
(and the link records which key matched), none or several go to review with
the candidates, never a guess. A spec also declares what makes a row without
an id one record (:class:`Identity`): rows repeating that key are one record.

Normalisation rules (one per key kind, all in :data:`NORMALISERS`):

* ``company``: :func:`company_key` (case, accents, spaces, punctuation, ``&``
  read as ``and``, legal suffixes removed repeatedly);
* ``email``: lower-case, trimmed; ``name`` / ``text``: :func:`norm_text`;
* ``date``: the day of an ISO-like date or date-time (``2026-10-14T15:30Z``
  -> ``2026-10-14``); other spellings compared as text;
* ``amount``: a number with its separators and currency removed, two decimals.

A leaf of ``engine.core``: it imports nothing else of the engine but ``core``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .rows import get
from .text import norm_email, norm_text

_PUNCT_RE = re.compile(r"[^\w\s]|_")

# trailing legal forms, as tokens once punctuation is gone ("S.A." -> "sa":
# single letters are joined first); removed repeatedly ("Acme Co., Inc.")
LEGAL_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "ltda", "lda",
        "sa", "sl", "sas", "sarl", "srl", "spa", "sau", "slu", "gmbh", "ag", "kg",
        "ohg", "ug", "corp", "corporation", "co", "company", "cia", "plc", "bv",
        "nv", "pty", "pte", "me", "epp", "eireli", "mei", "oy", "ab", "as", "aps",
        "kk", "pvt", "sc", "scs", "se",
    }
)  # fmt: skip
# words left dangling once a suffix is gone ("Acme & Co." -> "acme and")
_CONNECTORS = frozenset({"and", "e", "y", "et", "und"})


def _join_letters(tokens: list[str]) -> list[str]:
    """Runs of single letters are one word: ``s a`` (from "S.A.") -> ``sa``."""
    out: list[str] = []
    run: list[str] = []
    for token in tokens + [""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if run:
            out.append("".join(run))
            run = []
        if token:
            out.append(token)
    return out


def company_key(value: Any) -> str:
    """A company's name as a key: ``"ACME, Inc."``, ``"acme inc"`` and
    ``"Acme"`` -> ``"acme"``; ``"Harper & Lowe LLP"`` -> ``"harper and lowe"``;
    ``"Globex Co., Ltd."`` -> ``"globex"``. A name that is only a legal form is
    kept (``"Corp"`` -> ``"corp"``); blank -> ``""``. A name is keyed once
    (``text_company_key``): a loader keys a company's name for each of its
    contacts and deals, several times each."""
    if isinstance(value, str):
        return text_company_key(value)
    return _company_key(value)


@functools.lru_cache(maxsize=16384)
def text_company_key(value: str) -> str:
    """:func:`company_key` of a text, kept for the names asked again."""
    return _company_key(value)


def _company_key(value: Any) -> str:
    text = norm_text(value).replace("&", " and ").replace("+", " and ")
    tokens = _join_letters(_PUNCT_RE.sub(" ", text).split())
    kept = list(tokens)
    while len(kept) > 1 and (kept[-1] in LEGAL_SUFFIXES or kept[-1] in _CONNECTORS):
        kept.pop()
    return " ".join(kept or tokens)


def date_key(value: Any) -> str:
    """The day of a date or date-time cell when it is written year first
    (``2026-10-14T15:30:00Z`` -> ``2026-10-14``), else the cell as text."""
    text = norm_text(value)
    m = re.match(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return text


def amount_key(value: Any) -> str:
    """A money cell as a key: ``"$12,500.00"``, ``"12.500,00"`` and ``12500``
    -> ``"12500.00"``; unreadable -> ``""``."""
    text = re.sub(r"[^\d.,-]", "", str(value if value is not None else ""))
    if not text:
        return ""
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
    elif "," in text:
        decimal = "," if len(text.rsplit(",", 1)[1]) != 3 else ""
    else:
        decimal = (
            "." if text.count(".") == 1 and len(text.rsplit(".", 1)[1]) != 3 else ""
        )
    digits = text
    for sep in {",", "."} - {decimal}:
        digits = digits.replace(sep, "")
    if decimal:
        digits = digits.replace(decimal, ".")
    try:
        return f"{float(digits):.2f}"
    except ValueError:
        return ""


NORMALISERS: Mapping[str, Callable[[Any], str]] = {
    "company": company_key,
    "email": lambda v: norm_email(v) or "",
    "name": norm_text,
    "text": norm_text,
    "date": date_key,
    "amount": amount_key,
}


def normalise(kind: str, value: Any) -> str:
    """``value`` as a key of ``kind`` (one of :data:`NORMALISERS`)."""
    if value is None or str(value).strip() == "":
        return ""
    return NORMALISERS[kind](value)


@dataclass(frozen=True)
class Part:
    """One part of a key: the columns it is read from (first filled wins) and
    how it is normalised."""

    columns: tuple[str, ...]
    kind: str = "text"

    def read(self, row: Mapping[str, Any]) -> tuple[str | None, str]:
        """``(column, normalised value)`` of ``row``."""
        column, value = get(row, self.columns)
        return column, normalise(self.kind, value)


@dataclass(frozen=True)
class Identity:
    """What makes a row without an id one record: its parts' values; rows
    repeating them are the same record (one activity, one account)."""

    name: str  # what people read: "email + date + subject"
    parts: tuple[Part, ...]

    def key(self, row: Mapping[str, Any]) -> str | None:
        """``"<name>:<v1>|<v2>..."``, None when every part is blank."""
        values = [part.read(row)[1] for part in self.parts]
        if not any(values):
            return None
        return "key:" + "|".join(values)


@dataclass(frozen=True)
class LinkRule:
    """``child`` rows find their ``parent`` record by ``key`` (a name people
    read, recorded on each link: "company name", "email", "deal name"), read
    from the child's ``part`` and compared with the parent's ``parent_part``
    (both normalised by the part's kind). ``field``: what the link fills on
    the child. ``tiebreak``: when several parents share the key, the one whose
    ``tiebreak[1]`` value equals the child's ``tiebreak[0]`` value wins (a
    deal's amount between two accounts of one name). ``kind``: the column
    saying which kind of record the key names (Zoho's "Parent Module":
    Accounts, Contacts, Deals) and the words that mean this rule's parent: a
    row whose column names another kind is not looked up by this rule (a
    note on the company "Jordan Lee" never lands on the person of that name)."""

    child: str
    parent: str
    key: str
    part: Part
    parent_part: Part
    field: str
    tiebreak: tuple[Part, Part] | None = None
    kind: tuple[Part, frozenset[str]] | None = None

    def applies(self, row: Mapping[str, Any]) -> bool:
        """Whether ``row`` may name this rule's parent: it has no kind column,
        leaves it blank, or names the parent's kind there."""
        if self.kind is None:
            return True
        part, words = self.kind
        _column, value = part.read(row)
        return not value or value in words


@dataclass(frozen=True)
class Candidate:
    """One parent a key finds: its record id, a label people read, and the
    value the tiebreak compares."""

    res_id: int
    label: str = ""
    tie: str = ""


@dataclass
class Match:
    """What a key found: ``status`` ``matched`` (``res_id`` set), ``ambiguous``
    (several ``candidates``) or ``missing`` (none); ``key`` names the rule's key
    (with ``+ <tiebreak>`` when the tiebreak decided), ``value`` the
    normalised value looked up."""

    status: str
    key: str
    value: str
    res_id: int | None = None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "matched"

    def describe(self) -> str:
        """The candidates as people read them: ``"Globex Corp (#4), Globex
        Corporation (#7)"``."""
        return ", ".join(f"{c.label or '?'} (#{c.res_id})" for c in self.candidates)


class LinkIndex:
    """Parents by the normalised value of one key kind (``company``,
    ``email``...); :meth:`match` finds the one a child names."""

    def __init__(self, kind: str):
        self.kind = kind
        self.entries: dict[str, dict[int, Candidate]] = {}

    def add(self, value: Any, res_id: int, label: str = "", tie: Any = None) -> None:
        key = normalise(self.kind, value)
        if not key or not res_id:
            return
        known = self.entries.setdefault(key, {})
        old = known.get(res_id)
        tie_text = str(tie) if tie not in (None, "") else (old.tie if old else "")
        known[res_id] = Candidate(res_id, label or (old.label if old else ""), tie_text)

    def add_all(self, items: Iterable[tuple[Any, int, str]]) -> None:
        for value, res_id, label in items:
            self.add(value, res_id, label)

    def __contains__(self, value: Any) -> bool:
        return normalise(self.kind, value) in self.entries

    def match(self, value: Any, key: str, tie: str = "", tie_name: str = "") -> Match:
        """The parent ``value`` names: one candidate -> matched; several ->
        the one whose tie value equals ``tie`` (when exactly one does), else
        ambiguous; none -> missing."""
        normed = normalise(self.kind, value)
        candidates = sorted(
            self.entries.get(normed, {}).values(), key=lambda c: c.res_id
        )
        if len(candidates) == 1:
            return Match("matched", key, normed, candidates[0].res_id, candidates)
        if not candidates:
            return Match("missing", key, normed)
        if tie:
            same = [c for c in candidates if c.tie and c.tie == tie]
            if len(same) == 1:
                return Match(
                    "matched", f"{key} + {tie_name or 'tiebreak'}", normed,
                    same[0].res_id, candidates,
                )  # fmt: skip
        return Match("ambiguous", key, normed, None, candidates)


def rules_for(rules: Iterable[LinkRule], child: str) -> list[LinkRule]:
    """The rules of ``child`` rows, in the order declared."""
    return [r for r in rules if r.child == child]
