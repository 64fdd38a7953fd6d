"""Normalised keys, stable row hashes, duplicate clusters and fuzzy matching (rapidfuzz)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from rapidfuzz import fuzz, process

from .core.links import LEGAL_SUFFIXES as _LEGAL_SUFFIXES
from .core.links import company_key
from .core.text import norm_email, norm_text, storable  # noqa: F401 (re-exported)

_SPACES_RE = re.compile(r"\s+")
_PUNCT_RE = re.compile(r"[^\w\s]|_")

# the one company-name key (engine.core.links): case, accents, punctuation,
# "&" as "and", legal suffixes (Inc, LLC, Ltd, GmbH, Ltda, S.A. ...) removed
# repeatedly; every lookup of a company by its name uses it
norm_company = company_key
LEGAL_SUFFIXES = _LEGAL_SUFFIXES


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def compound_key(*parts: Any) -> str | None:
    """``compound_key("Ana", " SILVA ", "Acme")`` -> ``"ana|silva|acme"``; None when every part is blank."""
    normed = [norm_text(p) for p in parts]
    if not any(normed):
        return None
    return "|".join(normed)


def row_hash(row: Mapping[str, Any]) -> str:
    """sha1 (hex) of the row as canonical JSON: the same for the same content, whatever the
    key order or the run. Values that JSON cannot hold are hashed as ``str(value)``."""
    return row_json(row)[1]


def row_json(row: Mapping[str, Any]) -> tuple[str, str]:
    """(the row as canonical JSON, its :func:`row_hash`): what staging stores
    (as ``jsonb``, which keeps no key order) and hashes, serialised once."""
    payload = _dumps(row)
    try:
        if "\\u0000" in payload:  # PostgreSQL's jsonb refuses it: NUL is no text
            raise ValueError(payload)
        data = payload.encode("utf-8")
    except ValueError:  # a NUL, or a lone surrogate that UTF-8 cannot hold
        payload = _dumps(_as_text(row))
        data = payload.encode("utf-8")
    return payload, hashlib.sha1(data).hexdigest()


def _dumps(row: Any) -> str:
    return json.dumps(
        row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def _as_text(value: Any) -> Any:
    """``value`` whose texts (keys too) PostgreSQL stores: NUL characters
    dropped, a lone surrogate (a JSON page's bad ``\\ud800``) as U+FFFD."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, Mapping):
        return {_as_text(k): _as_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_text(v) for v in value]
    return value


def _key_fn(key: Callable[[Any], Any] | str) -> Callable[[Any], Any]:
    if callable(key):
        return key
    return lambda item: (
        item.get(key) if isinstance(item, Mapping) else getattr(item, key)
    )


def duplicate_clusters(
    items: Iterable[Any],
    key: Callable[[Any], Hashable] | str,
    threshold: float | None = None,
) -> list[list[Any]]:
    """Groups of 2+ items sharing a key, in first-seen order (items keep their order).

    ``key`` is a function or a dict key / attribute name; items whose key is None or ``""``
    are never grouped. With ``threshold`` (0-100) keys are compared as text with
    rapidfuzz ``token_sort_ratio`` after :func:`norm_text`, and keys at least that similar
    end in one cluster (transitively). Fuzzy mode compares every pair of distinct keys: keep
    it for blocks of a few thousand keys.
    """
    get = _key_fn(key)
    groups: dict[Any, list[Any]] = {}
    for item in items:
        value = get(item)
        if value is None or value == "":
            continue
        groups.setdefault(value, []).append(item)
    if threshold is None:
        return [members for members in groups.values() if len(members) > 1]
    keys = list(groups)
    texts = [norm_text(k) for k in keys]
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, text in enumerate(texts):
        for _match, _score, j in process.extract(
            text,
            texts,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=threshold,
            limit=None,
        ):
            if j != i:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
    clusters: dict[int, list[Any]] = {}
    for i, k in enumerate(keys):
        clusters.setdefault(find(i), []).extend(groups[k])
    return [members for members in clusters.values() if len(members) > 1]


def _match_text(value: Any) -> str:
    return " ".join(_PUNCT_RE.sub(" ", norm_text(value)).split())


def best_match(
    value: Any,
    choices: Iterable[str] | Mapping[Any, str],
    cutoff: float = 85,
    scorer: Callable[..., float] = fuzz.WRatio,
) -> tuple[Any, float] | None:
    """Closest choice to ``value`` as ``(choice, score)`` (score 0-100), or None below ``cutoff``.

    Both sides are compared after :func:`norm_text` with punctuation removed. ``choices``
    may be a mapping ``{key: label}``: the key is returned. An exact match after
    normalisation scores 100.
    """
    target = _match_text(value)
    if not target:
        return None
    if isinstance(choices, Mapping):
        keys, labels = list(choices.keys()), list(choices.values())
    else:
        labels = list(choices)
        keys = labels
    normed = [_match_text(label) for label in labels]
    for i, text in enumerate(normed):
        if text == target:
            return keys[i], 100.0
    found = process.extractOne(target, normed, scorer=scorer, score_cutoff=cutoff)
    if found is None:
        return None
    _text_match, score, index = found
    return keys[index], round(float(score), 2)
