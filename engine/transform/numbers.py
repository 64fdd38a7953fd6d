"""Numbers (both decimal styles, thousands marks), money with a currency mark, booleans."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..core.errors import TransformError
from .text import _blank, _show

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
        _kind, normal = _number_reading(rest, decimal, "amount")
    except TransformError:
        raise TransformError(f"{_show(value)} is not an amount of money") from None
    amount = float(normal)
    if Decimal(normal) != Decimal(repr(amount)):
        # more significant digits than a float keeps: stored, it would be
        # another amount (99999999999999999999 becomes 1e+20) without a word
        raise TransformError(
            f"{_show(value)} has more digits than Odoo keeps in an amount (about "
            f"15): it would be stored as {amount:,.2f}"
        )
    return amount


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
