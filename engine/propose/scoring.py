"""Candidate fields of one column: header score, type fit, value hints and what
people confirmed before (``learned``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..core.headers import normalize_header
from .catalogue import _target
from .headers import (
    KEY_FAMILY_TYPES,
    KEY_TOKENS,
    _Col,
    _core,
    _similarity,
    _type_phrase,
)
from .hints import _hint_priority_ok, _type_fit, _value_hints
from .proposals import TargetField

# --------------------------------------------------------------------------------------
# field proposals

ACCEPT = 0.5  # a column is mapped when its best score reaches this


@dataclass
class _Cand:
    col: int
    field: str
    score: float
    reason: str
    learned: int = 0


def _norm_synonyms(target: str) -> dict[str, list[tuple[str, str]]]:
    cache = _SYN_CACHE.get(target)
    if cache is None:
        cache = {}
        for f in _target(target)["fields"]:
            entries = [(normalize_header(f.name.replace("_id", "")), f.name)]
            entries.append((normalize_header(f.label), f.label))
            entries += [(normalize_header(s), s) for s in f.synonyms]
            seen: set[str] = set()
            cache[f.name] = [e for e in entries if not (e[0] in seen or seen.add(e[0]))]
        _SYN_CACHE[target] = cache
    return cache


_SYN_CACHE: dict[str, dict[str, list[tuple[str, str]]]] = {}


def header_score(target: str, field_name: str, header: str) -> tuple[float, str, str]:
    """Best similarity of ``header`` to a field's name/label/synonyms:
    (score, how, the synonym it matched)."""
    norm = normalize_header(header)
    return _header_score_norm(target, field_name, norm)


def _token_weights(target: str) -> dict[str, float]:
    weights = _WEIGHT_CACHE.get(target)
    if weights is None:
        counts: dict[str, int] = {}
        for entries in _norm_synonyms(target).values():
            tokens = {t for norm, _syn in entries for t in _core(norm).split()}
            for t in tokens:
                counts[t] = counts.get(t, 0) + 1
        weights = {t: 1.0 / n for t, n in counts.items()}
        _WEIGHT_CACHE[target] = weights
    return weights


_WEIGHT_CACHE: dict[str, dict[str, float]] = {}


def _header_score_norm(
    target: str, field_name: str, norm: str
) -> tuple[float, str, str]:
    best = (0.0, "none", "")
    weights = _token_weights(target)
    for syn_norm, syn in _norm_synonyms(target)[field_name]:
        score, how = _similarity(norm, syn_norm, weights)
        if score > best[0]:
            best = (score, how, syn)
    return best


ID_TOKENS = {"id", "uuid", "guid"}
BARE_NAME_WORDS = frozenset({"name", "nome", "nombre", "nom"})


PERSON_NAME_RE = re.compile(
    r"\b(first|last|given|family|middle) name\b|"
    r"\b(surname|sobrenome|apellidos?|prenom|forename)\b"
)
PERSON_NAME_FIELDS = {"first_name", "last_name", "contact_name"}


# words that make a header an attribute of the record, never its name
QUALIFIER_TOKENS = frozenset(
    {"method", "preferred", "preference", "channel", "type", "status", "score"}
)


def _key_penalty(target: str, f: TargetField, norm: str) -> float:
    tokens = set(norm.split())
    if tokens & ID_TOKENS and f.name != "ref":
        return 0.5
    if PERSON_NAME_RE.search(norm) and not (
        f.name in PERSON_NAME_FIELDS or (target == "contact" and f.name == "name")
    ):
        return 0.5  # "First Name" of a deal is not the deal's name
    for family, keys in KEY_TOKENS.items():
        if tokens & keys and f.type not in KEY_FAMILY_TYPES[family]:
            return 0.6
    if f.name == "name" and tokens & QUALIFIER_TOKENS:
        return 0.5  # "Preferred Contact Method" says how, not who
    return 1.0


def _header_reason(col: _Col, f: TargetField, how: str, syn: str, score: float) -> str:
    h = col.name.strip()
    if how == "exact":
        if normalize_header(syn) in (
            normalize_header(f.label),
            normalize_header(f.name),
        ):
            return f"header '{h}' is the field {f.label}"
        return f"header '{h}' is a synonym of {f.label}"
    if how == "words":
        return f"header '{h}' has the same words as '{syn}' ({f.label})"
    if how == "contains":
        return f"header '{h}' contains '{syn}' ({f.label})"
    if how == "part":
        return f"header '{h}' is a short form of '{syn}' ({f.label})"
    return f"header '{h}' is close to '{syn}' ({f.label}, {round(score * 100)}%)"


def _learned_index(learned: Mapping | None, target: str) -> dict[str, dict[str, int]]:
    index: dict[str, dict[str, int]] = {}
    for key, fields in (learned or {}).items():
        if not isinstance(key, tuple | list) or len(key) != 2 or key[0] != target:
            continue
        norm = normalize_header(key[1])
        slot = index.setdefault(norm, {})
        for fname, times in dict(fields or {}).items():
            slot[fname] = slot.get(fname, 0) + int(times or 0)
    return index


def _candidates(target: str, col: _Col, learned: dict[str, int]) -> list[_Cand]:
    cands: list[_Cand] = []
    hints = _value_hints(target, col)
    type_phrase = _type_phrase(col)
    total_learned = sum(learned.values()) or 0
    for f in _target(target)["fields"]:
        hs, how, syn = _header_score_norm(target, f.name, col.norm)
        if how not in ("exact",):
            hs *= _key_penalty(target, f, col.norm)
        if (
            how == "contains"
            and f.name == "name"
            and normalize_header(syn) in BARE_NAME_WORDS
        ):
            hs *= 0.5  # "Spouse Name", "Assistant Name": someone else's name
        if f.name == "website" and "domain" in normalize_header(syn).split():
            hs *= 0.92  # a bare domain is a website only when no URL column is
        fit = _type_fit(f, col)
        if f.name == "name" and col.type == "picklist":
            hs *= 0.6  # a few values repeated over the rows: an attribute, not a name
        reasons = []
        score = 0.0
        if hs >= 0.45:
            score = hs * (0.55 + 0.45 * fit)
            if fit == 0.0 and col.type not in (None, "empty", "text"):
                score = hs * 0.2
            reasons.append(_header_reason(col, f, how, syn, hs))
            if fit == 0.0 and col.type not in (None, "empty"):
                reasons.append(f"but {type_phrase}, which {f.label} cannot hold")
            elif type_phrase:
                reasons.append(type_phrase)
        hint = hints.get(f.name)
        if f.name == "priority" and score and not _hint_priority_ok(col):
            score *= 0.8
        if hint:
            hscore, hreason = hint
            if score >= ACCEPT:
                score = min(0.99, score + 0.05)
                reasons.append(hreason)
            elif hscore > score:
                score = hscore
                reasons = [f"{hreason} (header '{col.name.strip()}' says little)"]
        times = learned.get(f.name, 0)
        if times:
            floor = min(0.99, 0.95 + 0.01 * (times - 1))
            if total_learned and times < total_learned:
                floor = min(floor, 0.6 + 0.35 * times / total_learned)
            if floor > score:
                score = floor
            plural = "s" if times > 1 else ""
            reasons.insert(
                0,
                f"header '{col.name.strip()}' was confirmed as {f.label} "
                f"{times} time{plural} before",
            )
        if score <= 0.0:
            continue
        cands.append(
            _Cand(
                col.index, f.name, round(min(score, 0.99), 3), "; ".join(reasons), times
            )
        )
    return cands
