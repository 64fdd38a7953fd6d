"""Value conversion: pure functions from a source cell (a string) to a Python value.

Every transform returns ``None`` for ``None`` and for blank strings, and raises
:class:`TransformError` (a ``ValueError``) with a reason a person can read, e.g.
``'31/02/2024' is not a valid date``. The Odoo loader turns that reason into a review item.

Dates
-----
``to_date`` / ``to_datetime`` accept, in one column:

* ISO: ``2024-03-01``, ``2024/03/01``, ``2024-03-01T10:20:00-03:00``, ``2024-03-01 10:20:00.123Z``;
* numeric day/month: ``15/03/2024``, ``03/15/2024``, ``15.03.24``, ``12/31/2014 12:46:50 PM``;
* month names in English or Portuguese: ``Mar 5, 2024``, ``5 de março de 2024``, ``05-Mar-24``.

``order`` (``"DMY"``, ``"MDY"`` or ``"YMD"``) only decides *ambiguous* numeric dates (both
parts <= 12). A value that is valid in one reading only (``15/03/2024``, ``03/15/2024``) is
read that way whatever the order, so a column with several formats still converts; the
profile (``engine.infer``) reports such columns as ``order='mixed'`` so a person can check.
Without an order (or with ``"YMD"``) ambiguous values are read month first (MDY).
Two-digit years follow ``strptime``: 00-68 -> 2000-2068, 69-99 -> 1969-1999.

Numbers
-------
``decimal`` is ``"."`` (``1,234.56``) or ``","`` (``1.234,56``). Without it: a value is read
with ``.`` as decimal point when that is possible, else with ``,`` -- so ``1,5`` -> 1.5,
``1.234,56`` -> 1234.56, ``1,234`` -> 1234.0 and ``1.234`` -> 1.234 (pass ``decimal`` for
columns whose style is known, as ``engine.infer`` reports it).
"""

from __future__ import annotations

import datetime as dt
import html
import inspect
import re
import unicodedata
from collections.abc import Callable
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from dateutil import parser as du_parser
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf
from stdnum.exceptions import ValidationError as StdnumValidationError

from .core.errors import TransformError


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    text = str(value).strip()
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)


# --------------------------------------------------------------------------- text


def to_text(value: Any) -> str | None:
    """Stripped text; line breaks normalised to ``\\n``."""
    if _blank(value):
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


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
        items = [str(v).strip() for v in value]
    else:
        items = [part.strip() for part in _LIST_SPLIT_RE.split(str(value))]
    return [item for item in items if item] or None


# ------------------------------------------------------------------------ numbers

_THOUSANDS_SPACE = " '\u00a0\u202f\u2019"
_SPACE_GROUPED_RE = re.compile(
    r"^\d{1,3}(?:[ '\u00a0\u202f\u2019]\d{3})+(?:([.,])\d+)?$", re.ASCII
)
_STYLE_RE = {
    ".": (
        re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$", re.ASCII),
        re.compile(r"^\d*\.\d+$|^\d+$", re.ASCII),
    ),
    ",": (
        re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$", re.ASCII),
        re.compile(r"^\d*,\d+$|^\d+$", re.ASCII),
    ),
}


def _strip_sign(text: str) -> tuple[int, str]:
    text = text.strip()
    sign = 1
    if text.startswith("(") and text.endswith(")"):
        sign, text = -1, text[1:-1].strip()
    if text[:1] in "+-\u2212":
        if text[0] != "+":
            sign = -sign
        text = text[1:].strip()
    elif text[-1:] == "-" and text[:-1].strip()[-1:].isdigit():  # "123-" (SAP style)
        sign, text = -sign, text[:-1].strip()
    return sign, text


def number_styles(text: str) -> dict[str, tuple[str, str]]:
    """Readings of a plain number (no currency): ``{decimal: (kind, normalised)}``.

    ``decimal`` is ``"."`` or ``","``; ``kind`` is ``"int"`` or ``"float"``; ``normalised``
    is a string ``float()``/``int()`` accept. ``"1.234"`` -> ``{".": ("float", "1.234"),
    ",": ("int", "1234")}``; ``"1,5"`` -> ``{",": ("float", "1.5")}``; not a number -> ``{}``.
    Used by :func:`to_float` and by ``engine.infer``.
    """
    if not text or len(text) > 40:
        return {}
    sign, body = _strip_sign(text)
    if not body or not (body[0].isdigit() or body[0] in ".,"):
        return {}
    prefix = "-" if sign < 0 else ""
    out: dict[str, tuple[str, str]] = {}
    m = _SPACE_GROUPED_RE.match(body)
    if m:
        dec = m.group(1)
        digits = body
        for ch in _THOUSANDS_SPACE:
            digits = digits.replace(ch, "")
        normal = prefix + digits.replace(",", ".")
        kind = "float" if dec else "int"
        for style in (dec,) if dec else (".", ","):
            out[style] = (kind, normal)
        return out
    for style, (grouped, plain) in _STYLE_RE.items():
        if grouped.match(body) or plain.match(body):
            thousands = "," if style == "." else "."
            normal = body.replace(thousands, "").replace(style, ".")
            if normal.startswith("."):
                normal = "0" + normal
            kind = "float" if style in body else "int"
            out[style] = (kind, prefix + normal)
    return out


def _number_reading(value: Any, decimal: str | None, what: str) -> tuple[str, str]:
    if decimal not in (None, ".", ","):
        raise TransformError(f"unknown decimal separator {decimal!r}")
    styles = number_styles(str(value).strip())
    if decimal:
        if decimal in styles:
            return styles[decimal]
    elif styles:
        return styles.get(".") or styles[","]
    raise TransformError(f"{_show(value)} is not a {what}")


def _parse_number(value: Any, decimal: str | None, what: str) -> float:
    if isinstance(value, bool):
        raise TransformError(f"{_show(value)} is not a {what}")
    if isinstance(value, int | float):
        return float(value)
    return float(_number_reading(value, decimal, what)[1])


def to_float(value: Any, decimal: str | None = None) -> float | None:
    """``"1.234,56"`` -> 1234.56, ``"1,234.56"`` -> 1234.56, ``"-12"`` -> -12.0; an
    amount with its currency (``"$4,131.50"``) is that number too."""
    if _blank(value):
        return None
    try:
        return _parse_number(value, decimal, "number")
    except TransformError:
        code, rest = split_currency(str(value))
        if not code or rest == str(value):
            raise
        return _parse_number(rest, decimal, "number")


def to_int(value: Any, decimal: str | None = None) -> int | None:
    """Whole numbers only: ``"1,234"`` -> 1234, ``"12.0"`` -> 12; ``"1.5"`` raises."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise TransformError(f"{_show(value)} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        number = value
    else:
        kind, normal = _number_reading(value, decimal, "whole number")
        if kind == "int":
            return int(normal)
        number = float(normal)
    if not number.is_integer():
        raise TransformError(f"{_show(value)} is not a whole number")
    return int(number)


# currency marks: longest first so "R$" wins over "$"
_CURRENCIES = {
    "R$": "BRL",
    "US$": "USD",
    "U$": "USD",
    "U$S": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "BRL": "BRL",
    "USD": "USD",
    "EUR": "EUR",
    "GBP": "GBP",
    "CAD": "CAD",
    "AUD": "AUD",
    "ARS": "ARS",
    "MXN": "MXN",
    "CLP": "CLP",
    "COP": "COP",
    "JPY": "JPY",
    "CHF": "CHF",
}
_CUR_ALT = "|".join(re.escape(c) for c in sorted(_CURRENCIES, key=len, reverse=True))
_CUR_PREFIX_RE = re.compile(rf"^([-+\u2212]?)\s*({_CUR_ALT})\s*(.+)$", re.I)
_CUR_SUFFIX_RE = re.compile(rf"^(.+?)\s*({_CUR_ALT})$", re.I)


def split_currency(text: str) -> tuple[str | None, str]:
    """``"R$ 1.234,56"`` -> ``("BRL", "1.234,56")``; ``"-$5"`` -> ``("USD", "-5")``;
    ``"10 EUR"`` -> ``("EUR", "10")``; ``"(US$ 3)"`` -> ``("USD", "-3")``;
    no currency -> ``(None, text)``."""
    original = text.strip()
    text = original
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    m = _CUR_PREFIX_RE.match(text)
    if m:
        sign, cur, rest = m.groups()
        if sign in ("-", "\u2212"):
            negative = not negative
    else:
        m = _CUR_SUFFIX_RE.match(text)
        if not m:
            return None, original
        rest, cur = m.groups()
    rest = rest.strip()
    if rest.startswith("(") and rest.endswith(")"):
        negative, rest = not negative, rest[1:-1].strip()
    code = _CURRENCIES.get(cur) or _CURRENCIES.get(cur.upper())
    if negative:
        rest = rest[1:] if rest.startswith("-") else "-" + rest
    return code, rest


def to_money(value: Any, decimal: str | None = None) -> float | None:
    """``"R$ 1.234,56"``, ``"US$ 1,234.56"``, ``"1.234,56 BRL"``, ``"(1,234.00)"`` -> float."""
    if _blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    _code, rest = split_currency(str(value))
    try:
        return _parse_number(rest, decimal, "amount")
    except TransformError:
        raise TransformError(f"{_show(value)} is not an amount of money") from None


# ----------------------------------------------------------------------- booleans

TRUE_WORDS = frozenset(
    "yes y sim s true t 1 x verdadeiro v on checked ativo active".split() + ["✓", "✔"]
)
FALSE_WORDS = frozenset(
    "no n não nao false f 0 falso off unchecked inativo inactive".split()
)


def to_bool(value: Any) -> bool | None:
    """yes/no, sim/não/nao, true/false, 1/0, x, y/n, s/n, verdadeiro/falso."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise TransformError(f"{_show(value)} is not yes/no")


# ------------------------------------------------------------------- email, phone

# local part: dot-separated atoms (no leading, trailing or double dot); domain:
# labels of letters, digits and inner hyphens, then a top-level name of letters
_ATOM = r"[^@\s<>(),;:\"\[\].]+"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
EMAIL_RE = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[^\W\d_]{{2,}}$")
_ANGLE_RE = re.compile(r"<([^<>]+)>")


def to_email(value: Any) -> str | None:
    """``" Ana@Example.COM "`` -> ``"ana@example.com"``; ``"Ana <ana@x.com>"`` -> ``"ana@x.com"``."""
    if _blank(value):
        return None
    text = str(value).strip()
    if sum("@" in part for part in re.split(r"[\s,;]+", text)) > 1:
        raise TransformError(f"{_show(value)} contains more than one email address")
    m = _ANGLE_RE.search(text)
    if m and "@" in m.group(1):
        text = m.group(1)
    text = text.strip().removeprefix("mailto:").strip().rstrip(".").casefold()
    if not EMAIL_RE.match(text):
        raise TransformError(f"{_show(value)} is not a valid email address")
    return text


def to_phone(value: Any, region: str = "US", strict: bool = False) -> str | None:
    """Phone number in E.164 (``"+5511987654321"``) via phonenumbers.

    ``region`` is the country assumed for numbers without ``+``. A number must be *possible*
    (right length for its country); with ``strict=True`` it must also be *valid* (assigned
    ranges). An extension is kept as ``"+12025550143 ext. 12"``.
    """
    if _blank(value):
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0", text):  # a phone stored as a number in a spreadsheet
        text = text[:-2]
    try:
        number = phonenumbers.parse(text, (region or "US").upper())
    except phonenumbers.NumberParseException:
        raise TransformError(f"{_show(value)} is not a phone number") from None
    if not phonenumbers.is_possible_number(number):
        raise TransformError(
            f"{_show(value)} is not a possible phone number (wrong length)"
        )
    if strict and not phonenumbers.is_valid_number(number):
        raise TransformError(f"{_show(value)} is not a valid phone number")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.extension:
        e164 += f" ext. {number.extension}"
    return e164


def to_vat_br(value: Any) -> str | None:
    """CNPJ (14 digits) or CPF (11 digits), check digits verified with python-stdnum.

    Returns the formatted number: ``"11.222.333/0001-81"`` or ``"529.982.247-25"``. Leading
    zeros lost by a spreadsheet are restored when the padded number is valid.
    """
    if _blank(value):
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0", text):
        text = text[:-2]
    digits = br_cnpj.compact(text)
    if not digits.isdigit():
        raise TransformError(f"{_show(value)} is not a CNPJ or CPF")
    n = len(digits)
    if n == 11:
        candidates = [(br_cpf, "CPF", digits)]
    elif n == 14:
        candidates = [(br_cnpj, "CNPJ", digits)]
    elif n in (9, 10):  # leading zeros lost in a spreadsheet
        candidates = [
            (br_cpf, "CPF", digits.zfill(11)),
            (br_cnpj, "CNPJ", digits.zfill(14)),
        ]
    elif n in (12, 13):
        candidates = [(br_cnpj, "CNPJ", digits.zfill(14))]
    else:
        raise TransformError(
            f"{_show(value)} is not a CNPJ or CPF (CNPJ has 14 digits, CPF 11; got {n})"
        )
    for module, _label, number in candidates:
        try:
            return module.format(module.validate(number))
        except StdnumValidationError:
            continue
    label = candidates[0][1] if n in (11, 14) else "CNPJ or CPF"
    raise TransformError(
        f"{_show(value)} is not a valid {label} (check digits do not match)"
    )


# ---------------------------------------------------------------------- lead status


def _words(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_STATUS_PHRASES = {
    "won": {
        "won",
        "win",
        "ganho",
        "ganha",
        "ganhou",
        "vendido",
        "vendida",
        "closed won",
        "fechado ganho",
        "fechada ganha",
        "sucesso",
        "success",
        "sold",
        "converted",
        "convertido",
    },
    "lost": {
        "lost",
        "lose",
        "perdido",
        "perdida",
        "perdeu",
        "closed lost",
        "fechado perdido",
        "fechada perdida",
        "cancelado",
        "cancelada",
        "canceled",
        "cancelled",
        "descartado",
        "descartada",
        "abandoned",
        "abandonado",
        "abandonada",
    },
    "open": {
        "open",
        "opened",
        "aberto",
        "aberta",
        "em aberto",
        "em andamento",
        "andamento",
        "in progress",
        "active",
        "ativo",
        "ativa",
        "new",
        "novo",
        "nova",
        "pending",
        "pendente",
        "working",
        "em negociacao",
        "negociacao",
        "em progresso",
    },
}


def to_lead_status(value: Any) -> str | None:
    """``"Closed Won"``/``"Ganho"`` -> ``"won"``, ``"Perdido"`` -> ``"lost"``, ``"Em andamento"`` -> ``"open"``."""
    if _blank(value):
        return None
    words = _words(str(value))
    for status, phrases in _STATUS_PHRASES.items():
        if words in phrases:
            return status
    tokens = set(words.split())
    hits = {
        s
        for s, phrases in _STATUS_PHRASES.items()
        if tokens & {p for p in phrases if " " not in p}
    }
    if len(hits) == 1:
        return hits.pop()
    raise TransformError(
        f"{_show(value)} is not a known lead status (won, lost or open)"
    )


# --------------------------------------------------------------------------- dates

_TIME = (
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
)
_ISO_RE = re.compile(
    rf"^(?P<y>\d{{4}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?:(?:T|\s+|\s*,\s*){_TIME})?$"
)
_NUM_RE = re.compile(
    rf"^(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})(?:(?:T|\s+|\s*,\s*){_TIME})?$"
)
_MONTHS = [
    ("jan", "january", "janeiro"),
    ("feb", "february", "fev", "fevereiro"),
    ("mar", "march", "março", "marco"),
    ("apr", "april", "abr", "abril"),
    ("may", "mai", "maio"),
    ("jun", "june", "junho"),
    ("jul", "july", "julho"),
    ("aug", "august", "ago", "agosto"),
    ("sep", "sept", "september", "set", "setembro"),
    ("oct", "october", "out", "outubro"),
    ("nov", "november", "novembro"),
    ("dec", "december", "dez", "dezembro"),
]
_MONTH_WORD_RE = re.compile(
    r"(?<![a-zç])("
    + "|".join(sorted({w for m in _MONTHS for w in m}, key=len, reverse=True))
    + r")\.?(?![a-zç])",
    re.I,
)


class _ParserInfo(du_parser.parserinfo):
    MONTHS = [tuple(m) for m in _MONTHS]
    JUMP = [*du_parser.parserinfo.JUMP, "de", "às", "as", "del"]
    WEEKDAYS = [
        ("Mon", "Monday", "seg", "segunda"),
        ("Tue", "Tuesday", "Tues", "ter", "terça", "terca"),
        ("Wed", "Wednesday", "qua", "quarta"),
        ("Thu", "Thursday", "Thurs", "qui", "quinta"),
        ("Fri", "Friday", "sex", "sexta"),
        ("Sat", "Saturday", "sáb", "sab", "sábado", "sabado"),
        ("Sun", "Sunday", "dom", "domingo"),
    ]


_HAS_LETTER = re.compile(r"[^\W\d_]").search
_DIGIT_RUN_RE = re.compile(r"\d+")
_PARSER_INFO = {False: _ParserInfo(dayfirst=False), True: _ParserInfo(dayfirst=True)}
_DEFAULT_DT = dt.datetime(2000, 1, 1)


class DateParts(NamedTuple):
    """What a date string looks like before an order is applied (see :func:`parse_date_parts`).

    ``kind``: ``"iso"`` (year first), ``"numeric"`` (a/b/year) or ``"text"`` (month name).
    ``orders``: readings that give a real date: ``{"YMD"}`` for ISO and text, a subset of
    ``{"DMY", "MDY"}`` for numeric. ``time``: ``(h, m, s, microsecond)`` or None.
    ``tz``: UTC offset in minutes or None. ``shape``: format label with ``{A}``/``{B}``
    placeholders for numeric dates (e.g. ``"{A}/{B}/yyyy hh:mm"``).
    """

    kind: str
    a: int
    b: int
    year: int
    orders: frozenset
    time: tuple | None
    tz: int | None
    shape: str


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def _time_parts(m: re.Match) -> tuple[tuple | None, int | None, str] | None:
    if not m.group("h"):
        return None, None, ""
    h, mi = int(m.group("h")), int(m.group("mi"))
    s = int(m.group("s") or 0)
    frac = m.group("f")
    us = int((frac + "000000")[:6]) if frac else 0
    ampm = m.group("ampm")
    shape = " hh:mm" + (":ss" if m.group("s") else "") + (".f" if frac else "")
    if ampm:
        if not 1 <= h <= 12:
            return None
        pm = ampm[0] in "Pp"
        h = (h % 12) + (12 if pm else 0)
        shape += " AM/PM"
    if h > 23 or mi > 59 or s > 59:
        return None
    tz = None
    tzs = m.group("tz")
    if tzs:
        shape += " tz"
        if tzs.upper() in ("Z", "UTC", "GMT"):
            tz = 0
        else:
            sign = -1 if tzs[0] == "-" else 1
            digits = tzs[1:].replace(":", "")
            tz = sign * (int(digits[:2]) * 60 + int(digits[2:4] or 0))
    return (h, mi, s, us), tz, shape


def _year2(y: str) -> int:
    value = int(y)
    if len(y) == 2:
        value += 2000 if value < 69 else 1900
    return value


def parse_date_parts(text: str) -> DateParts | None:
    """Recognise a date or date-time string without deciding dd/mm vs mm/dd; None if not a date."""
    text = text.strip()
    if not text or len(text) > 48 or not text[0].isalnum():
        return None
    if text[0].isdigit():
        m = _ISO_RE.match(text)
        if m:
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            tp = _time_parts(m)
            if tp is None or not _valid(y, mo, d):
                return None
            sep = m.group("sep")
            shape = f"yyyy{sep}mm{sep}dd" + tp[2]
            return DateParts("iso", mo, d, y, frozenset({"YMD"}), tp[0], tp[1], shape)
        m = _NUM_RE.match(text)
        if m:
            a, b, y = int(m.group("a")), int(m.group("b")), _year2(m.group("y"))
            tp = _time_parts(m)
            if tp is None:
                return None
            orders = set()
            if _valid(y, b, a):
                orders.add("DMY")
            if _valid(y, a, b):
                orders.add("MDY")
            if not orders:
                return None
            sep = m.group("sep")
            ylabel = "yyyy" if len(m.group("y")) == 4 else "yy"
            shape = f"{{A}}{sep}{{B}}{sep}{ylabel}" + tp[2]
            return DateParts("numeric", a, b, y, frozenset(orders), tp[0], tp[1], shape)
    if (
        not _HAS_LETTER(text)
        or len(_DIGIT_RUN_RE.findall(text)) < 2
        or not _MONTH_WORD_RE.search(text)
    ):
        return None
    try:
        value = du_parser.parse(
            text, parserinfo=_PARSER_INFO[False], default=_DEFAULT_DT
        )
    except (ValueError, OverflowError, TypeError):
        return None
    has_time = bool(re.search(r"\d:\d\d", text))
    tz = None
    if value.tzinfo is not None:
        offset = value.utcoffset()
        tz = int(offset.total_seconds() // 60) if offset is not None else None
    time = (
        (value.hour, value.minute, value.second, value.microsecond)
        if has_time
        else None
    )
    shape = (
        "month name"
        + (" hh:mm" if has_time else "")
        + (" tz" if tz is not None else "")
    )
    return DateParts(
        "text", value.month, value.day, value.year, frozenset({"YMD"}), time, tz, shape
    )


def resolve_order(parts: DateParts, order: str | None) -> tuple[int, int, int] | None:
    """``(year, month, day)`` of ``parts`` read with ``order``; None if that reading is invalid.

    Used strictly by ``engine.infer``; :func:`to_date` is lenient (see module docstring).
    """
    if parts.kind != "numeric":
        return parts.year, parts.a, parts.b
    if order == "DMY" and "DMY" in parts.orders:
        return parts.year, parts.b, parts.a
    if order in ("MDY", "YMD", None) and "MDY" in parts.orders:
        return parts.year, parts.a, parts.b
    return None


def _check_order(order: str | None) -> str | None:
    if order is None:
        return None
    order = order.upper()
    if order not in ("DMY", "MDY", "YMD"):
        raise TransformError(f"unknown date order {order!r} (use DMY, MDY or YMD)")
    return order


def _parse_dt(
    value: Any, order: str | None, what: str
) -> tuple[dt.datetime, int | None, bool]:
    """Naive datetime as written, UTC offset in minutes or None, and whether a time was given."""
    order = _check_order(order)
    parts = parse_date_parts(str(value))
    if parts is None:
        raise TransformError(f"{_show(value)} is not a valid {what}")
    if parts.kind == "numeric":
        if len(parts.orders) == 1:
            use = next(iter(parts.orders))
        else:
            use = "DMY" if order == "DMY" else "MDY"
        ymd = resolve_order(parts, use)
    else:
        ymd = (parts.year, parts.a, parts.b)
    if ymd is None:  # pragma: no cover - orders guarantee a valid reading
        raise TransformError(f"{_show(value)} is not a valid {what}")
    h, mi, s, us = parts.time or (0, 0, 0, 0)
    return dt.datetime(*ymd, h, mi, s, us), parts.tz, parts.time is not None


def read_against(value: Any, order: str | None) -> str | None:
    """The day/month order a written date can only be read in, when it is not
    the column's ``order`` (``"15/03/2024"`` in a month-first column is read
    day-first): a reading a person should check. None otherwise."""
    if order not in ("DMY", "MDY") or _blank(value) or not isinstance(value, str):
        return None
    parts = parse_date_parts(value)
    if parts is None or parts.kind != "numeric" or len(parts.orders) != 1:
        return None
    used = next(iter(parts.orders))
    return used if used in ("DMY", "MDY") and used != order else None


def to_date(value: Any, order: str | None = None) -> dt.date | None:
    """A calendar date (the date as written, also for date-time values)."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _parse_dt(value, order, "date")[0].date()


def _zone(tz: str | dt.tzinfo | None) -> dt.tzinfo:
    if tz is None:
        return dt.timezone.utc
    if isinstance(tz, dt.tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise TransformError(f"unknown time zone {tz!r}") from None


def to_datetime(
    value: Any, order: str | None = None, tz: str | dt.tzinfo | None = "UTC"
) -> dt.datetime | None:
    """Naive UTC datetime (what Odoo stores). A value with an offset (``-03:00``, ``Z``) is
    converted with it; a value without one is read in ``tz`` (the source system's time zone,
    e.g. ``"America/Chicago"``). A date without time is midnight in ``tz``."""
    if _blank(value):
        return None
    zone = _zone(tz)
    if isinstance(value, dt.datetime):
        naive, offset = value.replace(tzinfo=None), None
        if value.tzinfo is not None:
            return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    elif isinstance(value, dt.date):
        naive, offset = dt.datetime(value.year, value.month, value.day), None
    else:
        naive, offset, _has_time = _parse_dt(value, order, "date/time")
    if offset is not None:
        aware = naive.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset)))
    else:
        aware = naive.replace(tzinfo=zone)
    return aware.astimezone(dt.timezone.utc).replace(tzinfo=None)


# ------------------------------------------------------------------------ registry

TRANSFORMS: dict[str, Callable[..., Any]] = {
    "text": to_text,
    "html": to_html,
    "date": to_date,
    "datetime": to_datetime,
    "float": to_float,
    "integer": to_int,
    "int": to_int,
    "money": to_money,
    "monetary": to_money,
    "boolean": to_bool,
    "bool": to_bool,
    "email": to_email,
    "phone": to_phone,
    "vat_br": to_vat_br,
    "list": split_list,
    "split_list": split_list,
    "lead_status": to_lead_status,
}
# the function names work too: apply("to_date", ...)
TRANSFORMS.update({fn.__name__: fn for fn in list(TRANSFORMS.values())})


def apply(name: str | None, value: Any, **options: Any) -> Any:
    """Run transform ``name`` (a key of :data:`TRANSFORMS`; None or ``""`` -> ``to_text``).

    Options a transform does not take are ignored, so a caller may pass one set of column
    options (``order``, ``tz``, ``region``, ``decimal``) to any transform. An unknown name
    raises ``KeyError`` (a configuration error, not a bad value).
    """
    fn = TRANSFORMS[name] if name else to_text
    if _blank(value):
        return None
    if options:
        accepted = _accepted_options(fn)
        options = {k: v for k, v in options.items() if k in accepted}
    return fn(value, **options)


_ACCEPTED: dict[Callable[..., Any], frozenset] = {}


def _accepted_options(fn: Callable[..., Any]) -> frozenset:
    if fn not in _ACCEPTED:
        _ACCEPTED[fn] = frozenset(list(inspect.signature(fn).parameters)[1:])
    return _ACCEPTED[fn]
