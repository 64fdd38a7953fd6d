"""Header normalisation and similarity, and the column view the scorers read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from ..core.headers import normalize_header

# --------------------------------------------------------------------------------------
# header normalisation

STOPWORDS = frozenset(
    "a an the of for to and at in on by de da do das dos del la le les el du des di em "
    "en para por e y et von".split()
)
# header words that tie a column to a family of field types (non-exact matches only)
KEY_TOKENS = {
    "email": {"email"},
    "phone": {"phone", "telephone", "telefone", "mobile", "celular", "cell", "fax"},
    "date": {"date", "data", "fecha", "created", "modified", "updated"},
}
KEY_FAMILY_TYPES = {
    "email": {"email", "many2one"},
    "phone": {"phone"},
    "date": {"date", "datetime"},
}


@lru_cache(maxsize=8192)
def _core(norm: str) -> str:
    """``norm`` without its stop words (each header and synonym is read
    against many: once per distinct text)."""
    tokens = [t for t in norm.split() if t not in STOPWORDS]
    return " ".join(tokens) or norm


CONNECTORS = frozenset("de da do das dos del du des di".split())


def _head(norm: str) -> str | None:
    """The head word of a Romance-language header ("Nome do cliente" -> "nome"):
    the word before the first connector; None for other headers."""
    tokens = norm.split()
    for i, tok in enumerate(tokens[1:], start=1):
        if tok in CONNECTORS:
            return tokens[i - 1] if i == 1 else None
    return None


def _weight(weights: Mapping[str, float] | None, token: str) -> float:
    return weights.get(token, 1.0) if weights else 1.0


def _similarity(
    header: str, synonym: str, weights: Mapping[str, float] | None = None
) -> tuple[float, str]:
    """Similarity of two normalised strings, with how it matched. ``weights`` make
    words shared by many fields ("name", "number") count less than specific ones."""
    if not header or not synonym:
        return 0.0, "none"
    if header == synonym:
        return 1.0, "exact"
    hc, sc = _core(header), _core(synonym)
    if hc == sc:
        return 0.97, "exact"
    ht, st = hc.split(), sc.split()
    hs, ss = set(ht), set(st)
    if hs == ss:
        return 0.95, "words"
    ratio = fuzz.ratio(hc, sc) / 100.0
    # a typo changes letters of a word, not whole words: every word must be close
    word_fit = min(max(fuzz.ratio(t, u) / 100.0 for u in ht) for t in st)
    best, how = (ratio**2 if ratio >= 0.85 and word_fit >= 0.75 else ratio**3), "fuzzy"
    if ss < hs:  # all synonym words inside a longer header
        cov = sum(_weight(weights, t) for t in ss) / sum(
            _weight(weights, t) for t in hs
        )
        score = 0.72 + 0.2 * cov
        head = _head(header)
        if head:
            score = score + 0.03 if head in ss else score * 0.75
        if score > best:
            best, how = score, "contains"
    elif hs < ss:  # header is a shorter form of the synonym ("Zip" for "Zip Code")
        cov = sum(_weight(weights, t) for t in hs) / sum(
            _weight(weights, t) for t in ss
        )
        score = 0.62 + 0.25 * cov
        # only when the missing words are generic: "Email" is not "Owner Email"
        if cov >= 0.5 and score > best:
            best, how = score, "part"
    return best, how


# --------------------------------------------------------------------------------------
# columns


@dataclass
class _Col:
    index: int
    name: str
    norm: str
    type: str | None  # None: unknown (header only)
    confidence: float
    values: list[str]
    non_null: int | None
    nulls: int | None
    distinct: int | None
    duplicates: int | None
    details: dict
    label: str = ""  # the header without its own object's prefix (own_header)


def _as_cols(columns: Iterable[Any]) -> list[_Col]:
    cols = []
    for i, c in enumerate(columns or ()):
        if isinstance(c, str):
            cols.append(_Col(i, c, normalize_header(c), None, 0.0, [], *[None] * 4, {}))
            continue
        c = dict(c)
        values: list[str] = []
        for v in c.get("samples") or ():
            if v not in (None, "") and str(v) not in values:
                values.append(str(v))
        for item in c.get("top_values") or ():
            v = item[0] if isinstance(item, list | tuple) else item
            if v not in (None, "") and str(v) not in values:
                values.append(str(v))
        ctype = c.get("type")
        cols.append(
            _Col(
                i,
                str(c.get("name", f"column_{i + 1}")),
                normalize_header(c.get("name", "")),
                ctype,
                float(c.get("confidence") or 0.0),
                values,
                c.get("non_null"),
                c.get("nulls"),
                c.get("distinct"),
                c.get("duplicates"),
                dict(c.get("details") or {}),
            )
        )
    return cols


TYPE_WORDS = {
    "email": "email addresses",
    "phone": "phone numbers",
    "url": "web addresses",
    "date": "dates",
    "datetime": "dates with times",
    "integer": "whole numbers",
    "float": "numbers",
    "money": "money amounts",
    "boolean": "yes/no values",
    "picklist": "a short list of repeated choices",
    "text": "text",
}


def _type_phrase(col: _Col) -> str:
    if col.type is None:
        return ""
    if col.type == "empty":
        return "the column is empty"
    if col.type == "picklist":
        n = len(col.details.get("choices") or ()) or col.distinct
        if not n:
            return "values are choices from a short list"
        return f"values are a short list of {n} choice{'s' if n != 1 else ''}"
    pct = round(col.confidence * 100)
    return f"{pct}% of values are {TYPE_WORDS.get(col.type, col.type)}"
