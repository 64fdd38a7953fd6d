"""Country names and codes, as people write them, to ISO 3166-1 alpha-2 codes.

Babel's CLDR data (already an Odoo dependency) knows every country's name in every
language and the alpha-3 and numeric codes, so "CAN", "Deutschland", "Brasil",
"Estados Unidos" and "076" all resolve without a hand-written table.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from babel import Locale
from babel.core import get_global

# the languages the sources' exports are written in (names in others are rare)
LOCALES = ("en", "pt", "es", "fr", "de", "it", "nl")
# everyday names CLDR does not list as a country's name
COMMON = {
    "usa": "US", "u s a": "US", "u s": "US", "america": "US", "eua": "US",
    "united states of america": "US", "uk": "GB", "u k": "GB", "england": "GB",
    "great britain": "GB", "scotland": "GB", "wales": "GB", "inglaterra": "GB",
    "holland": "NL", "holanda": "NL", "the netherlands": "NL",
}  # fmt: skip


# CLDR regions that are no country
NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for lang in LOCALES:
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
                index.setdefault(_norm(name), code)
    for alias, codes in get_global("territory_aliases").items():
        if len(codes) == 1 and len(codes[0]) == 2 and (len(alias) == 3):
            index.setdefault(_norm(alias), codes[0])
    index.update(COMMON)
    return index


@lru_cache(maxsize=1)
def _alpha2() -> frozenset[str]:
    """The two-letter codes CLDR knows as countries (a Locale is slow to make:
    read once, not once per value)."""
    return frozenset(
        code for code in Locale("en").territories if code not in NOT_COUNTRIES
    )


def country_code(value: str | None) -> str | None:
    """ISO alpha-2 code of a country written as a code (BR, BRA, 076) or a name in
    a common language; None when it names no country."""
    key = _norm(value)
    if not key:
        return None
    if key in COMMON:
        return COMMON[key]
    if len(key) == 2 and key.isalpha():
        code = key.upper()
        return code if code in _alpha2() else None
    return _index().get(key)
