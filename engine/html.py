"""HTML sanitising for email templates and rich notes (standard library only).

:func:`sanitize_html` keeps an allow-list of tags and attributes, drops scripts and
active content, and reports what it removed and which external images the HTML
loads, so a person can re-host them before the source account closes.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any


def _text(value: Any) -> str:
    return "" if value is None else str(value)


ALLOWED_TAGS = frozenset(
    "a abbr address b big blockquote br caption center cite code col colgroup dd del "
    "div dl dt em font h1 h2 h3 h4 h5 h6 hr i img ins kbd li ol p pre q s small span "
    "strike strong sub sup table tbody td tfoot th thead tr tt u ul".split()
)
VOID_TAGS = frozenset(
    "br col hr img wbr area base link meta input param source".split()
)
# removed with everything inside them
DROP_TAGS = frozenset(
    "script style iframe frame frameset object embed applet noscript template head "
    "title svg math xml meta link base audio video canvas".split()
)
GLOBAL_ATTRS = frozenset(
    "align valign width height bgcolor color border dir lang title class style".split()
)
TAG_ATTRS = {
    "a": frozenset({"href", "target", "name", "rel"}),
    "img": frozenset({"src", "alt", "hspace", "vspace"}),
    "td": frozenset({"colspan", "rowspan", "nowrap", "background", "scope"}),
    "th": frozenset({"colspan", "rowspan", "nowrap", "background", "scope"}),
    "table": frozenset({"cellpadding", "cellspacing", "summary", "background"}),
    "font": frozenset({"face", "size"}),
    "ol": frozenset({"start", "type"}),
    "ul": frozenset({"type"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
}
URL_ATTRS = frozenset({"href", "src", "background", "cite"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "cid"})
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_DATA_IMAGE_RE = re.compile(
    r"^data:image/(png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$", re.I
)
_BAD_STYLE_RE = re.compile(
    r"expression\s*\(|javascript\s*:|vbscript\s*:|behavior\s*:|-moz-binding|@import|"
    r"url\s*\(\s*['\"]?\s*(?!https?:|data:image/|cid:|/|\.)",
    re.I,
)
_STYLE_URL_RE = re.compile(r"url\s*\(\s*['\"]?\s*((?:https?:)?//[^'\")\s]+)", re.I)


class _Sanitizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.removed: list[str] = []
        self.images: list[str] = []
        self.skip: list[str] = []
        self.open: list[str] = []

    def _note(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)

    def _image(self, url: str) -> None:
        if url.startswith("//"):
            url = "https:" + url
        if re.match(r"^https?://", url, re.I) and url not in self.images:
            self.images.append(url)

    def _safe_url(self, tag: str, attr: str, value: str) -> str | None:
        compact = re.sub(r"[\x00-\x20]+", "", value)
        m = _SCHEME_RE.match(compact)
        if m:
            scheme = m.group(1).lower()
            if (
                scheme == "data"
                and tag == "img"
                and attr == "src"
                and _DATA_IMAGE_RE.match(value.strip())
            ):
                return value.strip()
            if scheme not in SAFE_SCHEMES:
                self._note(f"{scheme}: link in <{tag} {attr}>")
                return None
        return value.strip()

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        allowed = GLOBAL_ATTRS | TAG_ATTRS.get(tag, frozenset())
        parts = []
        target = rel = False
        for name, value in attrs:
            name = (name or "").lower()
            value = "" if value is None else value
            if name.startswith("on"):
                self._note(f"{name} attribute on <{tag}>")
                continue
            if name not in allowed:
                if name not in ("id", "xmlns"):
                    self._note(f"{name} attribute on <{tag}>")
                continue
            if name in URL_ATTRS:
                value = self._safe_url(tag, name, value)
                if value is None:
                    continue
                if (tag == "img" and name == "src") or name == "background":
                    self._image(value)
            if name == "style":
                for url in _STYLE_URL_RE.findall(value):
                    self._image(url)
                if _BAD_STYLE_RE.search(value):
                    self._note(f"unsafe style on <{tag}>")
                    continue
            if name == "target":
                if value not in ("_blank", "_self", "_top", "_parent"):
                    continue
                target = True
            if name == "rel":
                rel = True
            parts.append(f' {name}="{html.escape(value, quote=True)}"')
        if target and not rel:
            parts.append(' rel="noopener noreferrer"')
        return "".join(parts)

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if self.skip and tag in DROP_TAGS:
            self._note(f"<{tag}> element")
        if self.skip:
            if self.skip[0] == "head" and tag == "body":
                self.skip.clear()  # a <head> never closed
            elif tag == self.skip[-1] and tag not in VOID_TAGS:
                self.skip.append(tag)
                return
            else:
                return
        if tag in DROP_TAGS:
            self._note(f"<{tag}> element")
            if tag not in VOID_TAGS:
                self.skip.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            if tag not in ("html", "body"):
                self._note(f"<{tag}> tag (its text kept)")
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        tag = tag.lower()
        if self.skip:
            return
        if tag in DROP_TAGS:
            self._note(f"<{tag}> element")
            return
        if tag in VOID_TAGS or tag not in ALLOWED_TAGS:
            self.handle_starttag(tag, attrs)
            return
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag in VOID_TAGS or tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data):
        if not self.skip:
            self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data):
        self._note("HTML comments")

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        self._note("processing instructions")

    def unknown_decl(self, data):
        self._note("CDATA sections")

    def result(self) -> str:
        self.close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out).strip()


# the tags that make a cell HTML (a note exported as rich text: Pipedrive,
# HubSpot), not text that happens to hold a "<"
_HTML_TAG_RE = re.compile(
    r"</?(?:p|br|div|span|b|i|u|em|strong|ul|ol|li|a|h[1-6]|blockquote|table|tr|td"
    r"|font|pre|hr|img)\b[^<>]*>",
    re.I,
)


def is_html(text: Any) -> bool:
    """Whether a cell is HTML (rich text) rather than plain text.

    >>> is_html("<p>Budget approved</p>"), is_html("a < b and b > c")
    (True, False)
    """
    return bool(_HTML_TAG_RE.search(_text(text)))


def join_html(text: str, *lines: str) -> str:
    """HTML ``text`` with plain ``lines`` around it (a subject before, a
    call's duration after: ``""`` for none before), each its own paragraph.

    >>> join_html("<p>Hi</p>", "Email - Offer")
    '<p>Email - Offer</p><p>Hi</p>'
    >>> join_html("<p>Hi</p>", "", "(2 min)")
    '<p>Hi</p><p>(2 min)</p>'
    """
    head, *tail = lines or ("",)
    paragraphs = [f"<p>{html.escape(p)}</p>" for p in (head,) if p]
    paragraphs.append(text)
    paragraphs += [f"<p>{html.escape(p)}</p>" for p in tail if p]
    return "".join(paragraphs)


def sanitize_html(text: Any) -> dict[str, Any]:
    """Allow-list sanitising (stdlib ``html.parser``): ``{"html": clean HTML, "removed":
    [what was taken out, readable], "image_urls": [external image URLs, in order]}``.

    Kept: common formatting and table tags with presentational attributes, inline
    ``style`` unless it holds script (``expression()``, ``javascript:``, ``@import``...),
    links and images with http/https/mailto/tel/cid URLs (and ``data:image`` images).
    Removed with their content: ``script``, ``style``, ``iframe``, ``object``, ``embed``,
    ``svg``, ``head``...; removed alone (text kept): unknown tags (``form``, ``input``,
    ``html``, ``body``...); every ``on*`` attribute; ``javascript:``/``vbscript:``/``data:``
    links; comments."""
    parser = _Sanitizer()
    parser.feed(_text(text))
    clean = parser.result()
    return {"html": clean, "removed": parser.removed, "image_urls": parser.images}


# lxml (under Odoo's HTML sanitiser) cuts a text node past 10 MB; a text run
# is kept well below that, whatever its characters' width in UTF-8
TEXT_NODE_LIMIT = 1_000_000
_TAG_SPLIT_RE = re.compile(r"(<[^>]*>)")


def split_text_nodes(value: Any, limit: int = TEXT_NODE_LIMIT) -> str:
    """HTML (or plain text, read as HTML the way an ``Html`` field reads it)
    whose text runs longer than ``limit`` characters are split into
    ``<span>`` pieces, after a whitespace where there is one, so that an HTML
    parser with a text-node limit keeps the whole text. Shorter runs, tags and
    the text itself are unchanged.

    >>> split_text_nodes("ab cd ef", limit=4)
    '<span>ab </span><span>cd </span><span>ef</span>'
    >>> split_text_nodes("<p>abcdef</p>", limit=4)
    '<p><span>abcd</span><span>ef</span></p>'
    >>> split_text_nodes("<b>short</b>", limit=10)
    '<b>short</b>'
    """
    text = _text(value)
    if len(text) <= limit:
        return text
    parts = _TAG_SPLIT_RE.split(text)
    for idx, part in enumerate(parts):
        if idx % 2 == 0 and len(part) > limit:
            parts[idx] = "".join(
                f"<span>{piece}</span>" for piece in _pieces(part, limit)
            )
    return "".join(parts)


def _pieces(text: str, limit: int) -> list[str]:
    pieces, start = [], 0
    while len(text) - start > limit:
        end = start + limit
        # end after the last whitespace of the window, when it has one
        cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
        if cut > start:
            end = cut + 1
        # never inside a character reference (&amp;): a piece ends before "&"
        amp = text.rfind("&", max(start, end - 10), end)
        if amp > start and ";" not in text[amp:end]:
            end = amp
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces
