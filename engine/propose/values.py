"""Value proposals: which existing record (user, stage, country...) a source value means."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from rapidfuzz import fuzz

from ..core.headers import _strip_accents
from ..countries import country_code
from .hints import _norm_value
from .proposals import ValueProposal

# --------------------------------------------------------------------------------------
# value proposals

CREATABLE_KINDS = {
    "stage",
    "tag",
    "team",
    "lost_reason",
    "source",
    "category",
    "industry",
}
FUZZY_CUTOFF = 85


def _cand_entries(candidates: Any) -> list[tuple[Any, list[str]]]:
    entries: list[tuple[Any, list[str]]] = []
    if isinstance(candidates, Mapping):
        for key, val in candidates.items():
            labels = list(val) if isinstance(val, list | tuple | set) else [val]
            entries.append(
                (key, [str(v) for v in labels if v not in (None, "", False)])
            )
        return entries
    for c in candidates or ():
        if isinstance(c, str):
            entries.append((c, [c]))
        elif isinstance(c, Mapping):
            target = c.get("id", c.get("code", c.get("name")))
            labels = [
                str(c[k])
                for k in (
                    "name",
                    "display_name",
                    "complete_name",
                    "login",
                    "email",
                    "code",
                )
                if c.get(k) not in (None, "", False)
            ]
            labels += [str(a) for a in c.get("aliases") or () if a]
            entries.append((target, labels))
        elif isinstance(c, list | tuple) and c:
            labels = [str(x) for x in c[1:] if x not in (None, "", False)] or [
                str(c[0])
            ]
            entries.append((c[0], labels))
    return entries


def _fuzzy(a: str, b: str) -> float:
    return max(
        fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b), 0.8 * fuzz.token_set_ratio(a, b)
    )


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def propose_values(
    kind: str, source_values: Iterable[Any], candidates: Any
) -> list[ValueProposal]:
    """Match distinct source values (stages, owners, tags, teams, countries, lost
    reasons...) to existing records. ``candidates``: strings, ``{id: label or
    [labels]}``, dicts with ``id`` and ``name``/``login``/``email``/``code``/``aliases``,
    or tuples ``(id, label, ...)``. The proposal's ``target`` is the candidate id (the
    string itself for plain strings)."""
    entries = _cand_entries(candidates)
    norm_entries = [
        (t, lab, _norm_value(lab)) for t, labels in entries for lab in labels
    ]
    creatable = kind in CREATABLE_KINDS
    none_reason = f"no existing {kind} matches; " + (
        "a new one will be created" if creatable else "it will be left for review"
    )
    out: list[ValueProposal] = []
    seen: set[str] = set()
    for item in source_values or ():
        value = item[0] if isinstance(item, list | tuple) else item
        if value is None:
            continue
        value = str(value).strip()
        if not value or value in seen:
            continue
        seen.add(value)
        out.append(_propose_one(kind, value, norm_entries, none_reason))
    return out


def _propose_one(kind: str, value: str, norm_entries: list, none_reason: str):
    """One distinct value: an exact match, a country alias, an owner by the
    local part of an email, else the closest candidate above the cutoff."""
    nv = _norm_value(value)
    exact = _exact(value, nv, norm_entries)
    if exact:
        t, lab = exact
        return ValueProposal(
            value, t, 1.0, f"'{value}' matches existing {kind} '{lab}' exactly", lab
        )
    if kind == "country":
        prop = _country_alias(value, nv, norm_entries)
        if prop:
            return prop
    if kind in ("owner", "user") and _EMAIL_RE.match(value):
        prop = _owner_by_local_part(value, norm_entries)
        return prop or ValueProposal(value, None, 0.0, none_reason)
    best = _closest(nv, norm_entries)
    if best and best[0] >= FUZZY_CUTOFF:
        score, t, lab = best
        return ValueProposal(
            value,
            t,
            round(score / 100, 3),
            f"'{value}' is close to existing {kind} '{lab}' ({round(score)}%)",
            lab,
        )
    return ValueProposal(value, None, 0.0, none_reason)


def _exact(value: str, nv: str, norm_entries: list) -> tuple | None:
    """The first candidate whose label normalises to the value (an email: the
    same address in any case)."""
    for t, lab, nl in norm_entries:
        if nv and nl == nv:
            return t, lab
    if _EMAIL_RE.match(value):
        for t, lab, _nl in norm_entries:
            if lab.strip().casefold() == value.casefold():
                return t, lab
    return None


def _closest(nv: str, norm_entries: list) -> tuple | None:
    """``(score, target, label)`` of the best fuzzy candidate (labels of 3+
    characters; the first of equal scores), or None."""
    best = None
    if len(nv) >= 3:
        for t, lab, nl in norm_entries:
            if len(nl) < 3:
                continue
            score = _fuzzy(nv, nl)
            if best is None or score > best[0]:
                best = (score, t, lab)
    return best


def _country_alias(value, nv, norm_entries) -> ValueProposal | None:
    code = country_code(value)
    if not code:
        return None
    for t, lab, nl in norm_entries:
        if nl == code.casefold() or country_code(lab) == code:
            return ValueProposal(
                value,
                t,
                0.97,
                f"'{value}' is a known name of country '{lab}' ({code})",
                lab,
            )
    return None


def _owner_by_local_part(value, norm_entries) -> ValueProposal | None:
    local = value.split("@", 1)[0]
    words = [w for w in re.split(r"[._\-+]+", _strip_accents(local).casefold()) if w]
    if not words:
        return None
    hits = {}
    for t, lab, nl in norm_entries:
        if "@" in lab:
            continue
        tokens = nl.split()
        if tokens and tokens[: len(words)] == words:
            hits[t] = lab
    if len(hits) == 1:
        ((t, lab),) = hits.items()
        return ValueProposal(
            value,
            t,
            0.7,
            f"no user has the login '{value}'; its name part matches user '{lab}'",
            lab,
        )
    return None
