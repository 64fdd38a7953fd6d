"""Dates and date-times: ISO, numeric day/month with an order, month names; time zones."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as du_parser

from ..core.errors import TransformError
from .text import _blank, _show

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


# Odoo writes a date as text with the year unpadded (strftime): the year 1 is
# sent as "1-01-01", which PostgreSQL reads as 2001; years of four digits only
MIN_YEAR = 1000


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
    if ymd[0] < MIN_YEAR:
        raise TransformError(
            f"{_show(value)}: the year {ymd[0]} is before {MIN_YEAR}, which Odoo "
            "does not store as written"
        )
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
