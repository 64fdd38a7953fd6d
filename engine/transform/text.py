"""Text transforms (plain, HTML, lists) and the blank/show helpers every transform uses."""

from __future__ import annotations

import html
import re
from typing import Any

from ..core.text import storable


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    text = str(value).strip()
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)


# --------------------------------------------------------------------------- text

def to_text(value: Any) -> str | None:
    """Stripped text; line breaks normalised to ``\\n``; NUL and lone surrogates
    as :func:`storable`."""
    if _blank(value):
        return None
    text = storable(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip() or None


_HTML_TAG_RE = re.compile(
    r"<\s*/?\s*(p|br|div|span|b|i|u|em|strong|ul|ol|li|a|table|tr|td|th|h[1-6]|img|font|blockquote|pre)\b[^>]*>",
    re.I,
)


def to_html(value: Any) -> str | None:
    """Plain text -> escaped HTML: blank lines split paragraphs, single line breaks -> ``<br>``.

    A value that already contains HTML tags is returned as is (Odoo's ``Html`` fields
    sanitise what is written to them).
    """
    text = to_text(value)
    if text is None:
        return None
    if _HTML_TAG_RE.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(
        "<p>"
        + "<br>".join(html.escape(line.strip()) for line in p.split("\n"))
        + "</p>"
        for p in paragraphs
    )


_LIST_SPLIT_RE = re.compile(r"[,;|\n]")


def split_list(value: Any) -> list[str] | None:
    """``"a, b;c | d\\ne"`` -> ``["a", "b", "c", "d", "e"]`` (blank items dropped)."""
    if _blank(value):
        return None
    if isinstance(value, list | tuple):
        items = [storable(str(v)).strip() for v in value]
    else:
        items = [part.strip() for part in _LIST_SPLIT_RE.split(storable(str(value)))]
    return [item for item in items if item] or None
