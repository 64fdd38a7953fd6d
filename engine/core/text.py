"""Text and email normalisation shared by every layer (no dependency)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_SPACES_RE = re.compile(r"\s+")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def norm_text(value: Any) -> str:
    """Casefold, accents stripped, whitespace collapsed: ``" São  Paulo "`` -> ``"sao paulo"``."""
    text = unicodedata.normalize("NFKD", _text(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return _SPACES_RE.sub(" ", text).strip()


def norm_email(value: Any) -> str:
    """``" Ana@Example.COM "`` -> ``"ana@example.com"`` (spaces removed, ``mailto:`` dropped)."""
    text = _SPACES_RE.sub("", _text(value)).casefold()
    text = text.removeprefix("mailto:")
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    return text


def storable(text: str) -> str:
    """``text`` as PostgreSQL stores it: NUL characters dropped (jsonb and
    text refuse them), a lone surrogate (a JSON page's bad ``\\ud800``, which
    UTF-8 cannot hold) as U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    return _SURROGATE_RE.sub("\ufffd", text)
