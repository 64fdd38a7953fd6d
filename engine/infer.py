"""Infer the type of a column from its values (streaming, bounded memory).

Types: ``empty, text, email, phone, url, date, datetime, integer, float, money, boolean,
picklist``. ``confidence`` is the share of non-blank values that parse as the chosen type;
blanks are ignored. When no type gets more than :data:`MIN_SHARE` (half) of the values the column is
``text`` (confidence 1.0; ``details["other_types"]`` lists the partial matches).

Dates: day/month order
----------------------
Numeric dates such as ``03/04/2024`` are ambiguous. The order is decided per column from
its values:

* a value whose first part is > 12 (``15/03/2024``) is evidence for ``DMY``;
* a value whose second part is > 12 (``03/15/2024``) is evidence for ``MDY``;
* only one kind of evidence -> that order (``details["order_source"] = "values"``);
* both kinds -> ``details["order"] = "mixed"``, the majority wins (ties: the hint, else
  MDY) and the confidence drops: values valid only in the minority order do not count;
* no evidence at all (every value <= 12/12) -> the caller's ``date_order`` hint, else
  ``MDY`` (``order_source`` ``"hint"`` or ``"default"``).

ISO (``2024-03-01``) and month-name (``Mar 5, 2024``) values are never ambiguous; a
column with only those has order ``YMD``. ``details["parse_order"]`` is always the
concrete order (``DMY``, ``MDY`` or ``YMD``) to pass to ``transform.to_date``; a column is
``datetime`` when at least one value has a time other than midnight.

Other details: ``decimal`` (``"."`` or ``","``) for integer/float/money (decided like
the date order: unambiguous values vote, ``1,234``/``1.234`` follow the majority, default
``"."``), ``currency`` (ISO code) for money, ``true``/``false`` tokens for booleans,
``choices`` (most frequent first) for picklists, ``formats`` for dates, ``max_length`` and
``multiline`` for text, ``leading_zeros`` when digit codes such as ``00123`` are kept as text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from .transform import (
    EMAIL_RE,
    FALSE_WORDS,
    TRUE_WORDS,
    number_styles,
    parse_date_parts,
    split_currency,
)

TYPES = (
    "empty",
    "text",
    "email",
    "phone",
    "url",
    "date",
    "datetime",
    "integer",
    "float",
    "money",
    "boolean",
    "picklist",
)
# ties between candidate types go to the more specific one (earlier here)
PRIORITY = (
    "boolean",
    "datetime",
    "date",
    "email",
    "url",
    "phone",
    "money",
    "integer",
    "float",
    "picklist",
    "text",
)
MIN_SHARE = 0.5  # a type needs more than this share of the values, else text
PICKLIST_MAX_CHOICES = 50  # and at most half the number of values
PICKLIST_TRACK = 1_000  # distinct values remembered for the picklist test
MAX_FORMATS = 10


@dataclass
class Inference:
    type: str
    confidence: float
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "confidence": self.confidence,
            "details": self.details,
        }


class _Sig(NamedTuple):
    """What one value could be; values are counted per signature, not stored."""

    bool_tok: str | None = None
    num: frozenset = frozenset()  # {(decimal, kind)}
    currency: str | None = None
    digits: int = 0  # length of a plain digit string
    leading_zero: bool = False
    date_shape: str | None = None
    date_orders: frozenset = frozenset()
    date_time: bool = False  # a time other than midnight
    email: bool = False
    url: bool = False
    phone: str | None = None  # "formatted" | "digits"
    pattern: str | None = None  # "cpf" | "cnpj" | "postal_code"


_TEXT = _Sig()
_URL_RE = re.compile(r"^(?:https?://|ftp://|www\.)\S+$", re.I)
_TLDS = (
    "com net org info biz io co app dev ai me tv edu gov mil "
    "br us uk de fr es pt it nl be ch at ar mx cl pe uy ca au jp cn in ru eu"
).split()
_DOMAIN_RE = re.compile(
    r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.("
    + "|".join(_TLDS)
    + r")(?:/\S*)?$",
    re.I,
)
_PHONE_RE = re.compile(
    r"^(?:\+|00)?[\d\s().\-]{6,}?\d(?:\s*(?:ext\.?|x|ramal|r\.)\s*\d{1,6})?$", re.I
)
_CPF_RE = re.compile(r"^\d{3}\.\d{3}\.\d{3}-\d{2}$")
_CNPJ_RE = re.compile(r"^\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}$")
_POSTAL_RE = re.compile(r"^\d{5}-\d{3,4}$")  # Brazilian CEP, US ZIP+4


_HAS_DIGIT = re.compile(r"\d").search
_CURRENCY_HINT = re.compile(
    r"[$€£¥]|\b(?:BRL|USD|EUR|GBP|CAD|AUD|ARS|MXN|CLP|COP|JPY|CHF)\b", re.I
).search


def _currency_hint(value: str) -> bool:
    """_CURRENCY_HINT's answer; an ASCII text without a letter (a date, a
    phone number) can only hint a currency by a dollar sign: no search."""
    if value.isascii() and value.upper() == value.lower():
        return "$" in value
    return _CURRENCY_HINT(value) is not None


_DIGITS_NUM = frozenset({(".", "int"), (",", "int")})
_PHONE_EXT_RE = re.compile(r"(?:ext\.?|x|ramal|r\.)\s*\d{1,6}$", re.I)


@lru_cache(maxsize=65536)
def _classify(value: str) -> _Sig:
    if len(value) > 64:
        return _Sig(url=bool(_URL_RE.match(value)))
    sig: dict[str, Any] = {}
    low = value.casefold()
    if low in TRUE_WORDS or low in FALSE_WORDS:
        sig["bool_tok"] = low
    if "@" in value:
        return _Sig(email=True) if EMAIL_RE.match(value) else _TEXT
    if _CPF_RE.match(value):
        return _Sig(pattern="cpf")
    if _CNPJ_RE.match(value):
        return _Sig(pattern="cnpj")
    if _POSTAL_RE.match(value):
        return _Sig(pattern="postal_code")
    if value.isascii() and value.isdigit():  # the most common case, fast
        digits = len(value)
        return _Sig(
            bool_tok=sig.get("bool_tok"),
            num=_DIGITS_NUM,
            digits=digits,
            leading_zero=digits > 1 and value[0] == "0",
            phone="digits" if 10 <= digits <= 15 else None,
        )
    first = value[0]
    has_digit = _HAS_DIGIT(value) is not None
    if has_digit and (first.isdigit() or first in "+-(.,\u2212"):
        styles = number_styles(value)
        if styles:
            sig["num"] = frozenset((dec, kind) for dec, (kind, _n) in styles.items())
            plain = value.lstrip("+-")
            if plain.isdigit():
                sig["digits"] = len(plain)
                sig["leading_zero"] = len(plain) > 1 and plain[0] == "0"
                if first == "+" and 8 <= len(plain) <= 15:
                    sig["phone"] = "formatted"
                elif 10 <= len(plain) <= 15:
                    sig["phone"] = "digits"
    if has_digit and not sig.get("num") and _currency_hint(value):
        code, rest = split_currency(value)
        if code:
            styles = number_styles(rest)
            if styles:
                sig["currency"] = code
                sig["num"] = frozenset(
                    (dec, kind) for dec, (kind, _n) in styles.items()
                )
                return _Sig(**sig)
    if has_digit and first.isalnum():
        parts = parse_date_parts(value)
        if parts is not None:
            sig["date_shape"] = parts.shape
            sig["date_orders"] = parts.orders
            sig["date_time"] = bool(parts.time and parts.time[:3] != (0, 0, 0))
            return _Sig(**sig)
    if has_digit and not sig.get("num") and _PHONE_RE.match(value):
        core = _PHONE_EXT_RE.sub("", value)
        digits = sum(map(str.isdigit, core))
        if 7 <= digits <= 15 and (first == "+" or any(c in core for c in " ()-")):
            sig["phone"] = "formatted"
    if (
        not sig.get("num")
        and "." in value
        and (_URL_RE.match(value) or _DOMAIN_RE.match(value))
    ):
        sig["url"] = True
    return _Sig(**sig) if sig else _TEXT


# types whose values all hold digits: a value without one is a word among them
WORDLESS_TYPES = frozenset({"integer", "float", "money", "date", "datetime"})


class ColumnInferrer:
    """Feed values one by one with :meth:`add`; :meth:`result` gives the :class:`Inference`.

    Memory is bounded: values are tallied by signature (what they could be), plus up to
    :data:`PICKLIST_TRACK` distinct values for the picklist test.
    """

    def __init__(self, date_order: str | None = None):
        self.date_order = date_order.upper() if date_order else None
        self.count = 0
        self.sigs: Counter[_Sig] = Counter()
        self.values: Counter[str] = Counter()
        self.values_overflow = False
        self.max_length = 0
        self.multiline = 0
        self.wordy = 0  # values without a digit: words in a number or date column

    def add(self, value: Any, count: int = 1) -> None:
        """``value`` seen ``count`` times (a chunk's repeats tallied at once)."""
        if value is None:
            return
        text = value if isinstance(value, str) else str(value)
        text = text.strip()
        if not text:
            return
        self.count += count
        if len(text) > self.max_length:
            self.max_length = len(text)
        if "\n" in text:
            self.multiline += count
        if not any(map(str.isdigit, text)):
            self.wordy += count
        if text in self.values or (
            len(self.values) < PICKLIST_TRACK and len(text) <= 100
        ):
            self.values[text] += count
        else:
            self.values_overflow = True
        self.sigs[_classify(text)] += count

    def add_counts(self, counts: Mapping[str, int]) -> None:
        """Texts, each seen ``count`` times, tallied as :meth:`add` does one by
        one (the profile's distinct values of a chunk): the column-wide tallies
        at once, the picklist's values only until they overflow."""
        if not counts:
            return
        texts = list(counts)
        if "" in counts or list(map(str.strip, texts)) != texts:
            for text, count in counts.items():
                self.add(text, count)
            return
        cells = sum(counts.values())
        self.count += cells
        self.max_length = max(self.max_length, max(map(len, texts)))
        if "\n" in "".join(texts):
            self.multiline += sum(c for text, c in counts.items() if "\n" in text)
        self.wordy += sum(
            c for text, c in counts.items() if not any(map(str.isdigit, text))
        )
        if not self.values_overflow:
            self._add_values(counts)
        if cells == len(texts):  # each text once: counted by Counter's C loop
            self.sigs.update(map(_classify, texts))
            return
        sigs = self.sigs
        for sig, count in zip(map(_classify, texts), counts.values(), strict=True):
            sigs[sig] += count

    def _add_values(self, counts: Mapping[str, int]) -> None:
        """The picklist's values (once they overflow, no picklist is proposed:
        they are no longer needed)."""
        values = self.values
        for text, count in counts.items():
            if text in values or (len(values) < PICKLIST_TRACK and len(text) <= 100):
                values[text] += count
            else:
                self.values_overflow = True
                return

    def update(self, values: Iterable[Any]) -> ColumnInferrer:
        for value in values:
            self.add(value)
        return self

    # ------------------------------------------------------------------ decisions

    def result(self) -> Inference:
        n = self.count
        if not n:
            return Inference("empty", 1.0, {})
        candidates: dict[str, tuple[int, dict[str, Any]]] = {}
        for fn in (
            self._boolean,
            self._date,
            self._simple,
            self._number,
            self._picklist,
        ):
            candidates.update(fn())
        ranked = sorted(
            candidates.items(),
            key=lambda item: (-item[1][0], PRIORITY.index(item[0])),
        )
        if ranked and ranked[0][1][0] / n > MIN_SHARE:
            type_, (hits, details) = ranked[0]
            if type_ == "integer" and details.pop("leading_zeros", False):
                return Inference(
                    "text",
                    1.0,
                    {
                        "pattern": "digits",
                        "leading_zeros": True,
                        **self._text_details(),
                    },
                )
            details.pop("leading_zeros", None)
            if type_ in WORDLESS_TYPES and self.wordy:
                details["word_share"] = round(self.wordy / n, 4)
            return Inference(type_, round(hits / n, 4), details)
        details = self._text_details()
        others = {t: round(h / n, 4) for t, (h, _d) in ranked if h / n >= 0.2}
        if others:
            details["other_types"] = others
        patterns = Counter()
        for s, c in self.sigs.items():
            if s.pattern:
                patterns[s.pattern] += c
        if patterns:
            kind, _hits = patterns.most_common(1)[0]
            if set(patterns) == {"cpf", "cnpj"}:
                kind = "cpf_cnpj"
            details["looks_like"] = kind
            details["looks_like_share"] = round(sum(patterns.values()) / n, 4)
        return Inference("text", 1.0, details)

    def _count(self, pred) -> int:
        return sum(c for s, c in self.sigs.items() if pred(s))

    def _text_details(self) -> dict[str, Any]:
        details: dict[str, Any] = {"max_length": self.max_length}
        if self.multiline:
            details["multiline"] = True
        return details

    def _boolean(self):
        tokens = Counter()
        for s, c in self.sigs.items():
            if s.bool_tok:
                tokens[s.bool_tok] += c
        if not tokens:
            return {}
        if set(tokens) <= {"0", "1"} and len(tokens) < 2:
            return {}  # a column of only 1s (or 0s) is a number
        true = sorted(t for t in tokens if t in TRUE_WORDS)
        false = sorted(t for t in tokens if t in FALSE_WORDS)
        if not (true and false) and self.count > sum(tokens.values()):
            # one side of yes/no beside other words ("active" / "expired") is a
            # list of choices: as a yes/no field the other words would be lost
            return {}
        return {"boolean": (sum(tokens.values()), {"true": true, "false": false})}

    def _date(self):
        dated = [(s, c) for s, c in self.sigs.items() if s.date_shape]
        if not dated:
            return {}
        only = Counter()
        ambiguous = 0
        for s, c in dated:
            if s.date_orders == {"DMY"}:
                only["DMY"] += c
            elif s.date_orders == {"MDY"}:
                only["MDY"] += c
            elif len(s.date_orders) == 2:
                ambiguous += c
        details: dict[str, Any] = {}
        numeric = ambiguous or only
        if only["DMY"] and only["MDY"]:
            order = "mixed"
            if only["DMY"] != only["MDY"]:
                parse_order = "DMY" if only["DMY"] > only["MDY"] else "MDY"
            else:
                parse_order = (
                    self.date_order if self.date_order in ("DMY", "MDY") else "MDY"
                )
            source = "values"
        elif only["DMY"] or only["MDY"]:
            order = parse_order = "DMY" if only["DMY"] else "MDY"
            source = "values"
        elif numeric:
            if self.date_order in ("DMY", "MDY"):
                order = parse_order = self.date_order
                source = "hint"
            else:
                order = parse_order = "MDY"
                source = "default"
        else:
            order = parse_order = "YMD"
            source = "values"
        details["order"] = order
        details["parse_order"] = parse_order
        details["order_source"] = source
        if numeric:
            details["order_evidence"] = {
                "DMY": only["DMY"],
                "MDY": only["MDY"],
                "ambiguous": ambiguous,
            }
        hits = 0
        formats = Counter()
        with_time = 0
        for s, c in dated:
            if s.date_orders == {"YMD"} or parse_order in s.date_orders:
                hits += c
                use = parse_order
            else:
                use = next(iter(s.date_orders))
            formats[_label(s.date_shape, use)] += c
            if s.date_time:
                with_time += c
        details["formats"] = [f for f, _c in formats.most_common(MAX_FORMATS)]
        type_ = "datetime" if with_time else "date"
        return {type_: (hits, details)}

    def _simple(self):
        out = {}
        email = self._count(lambda s: s.email)
        if email:
            out["email"] = (email, {})
        url = self._count(lambda s: s.url)
        if url:
            out["url"] = (url, {})
        formatted = self._count(lambda s: s.phone == "formatted")
        if formatted:
            digits = self._count(lambda s: s.phone == "digits")
            out["phone"] = (formatted + digits, {})
        return out

    def _number(self):
        numeric = [(s, c) for s, c in self.sigs.items() if s.num]
        if not numeric:
            return {}
        votes = Counter()
        for s, c in numeric:
            decs = {d for d, _k in s.num}
            if len(decs) == 1:
                votes[next(iter(decs))] += c
        if votes["."] == votes[","]:
            decimal = "."
        else:
            decimal = "." if votes["."] > votes[","] else ","
        kinds = Counter()
        currencies = Counter()
        leading = False
        max_digits = 0
        for s, c in numeric:
            kind = dict(s.num).get(decimal)
            if kind is None:
                continue
            kinds[kind] += c
            if s.currency:
                currencies[s.currency] += c
            if kind == "int" and not s.currency:
                leading = leading or s.leading_zero
                max_digits = max(max_digits, s.digits)
        hits = sum(kinds.values())
        if not hits:
            return {}
        details: dict[str, Any] = {"decimal": decimal}
        if currencies and sum(currencies.values()) * 2 >= hits:
            details["currency"] = currencies.most_common(1)[0][0]
            return {"money": (hits, details)}
        if kinds["float"]:
            return {"float": (hits, details)}
        if max_digits:
            details["max_digits"] = max_digits
        if leading:
            details["leading_zeros"] = True
        return {"integer": (hits, details)}

    def _picklist(self):
        if self.values_overflow:
            return {}
        distinct = len(self.values)
        if distinct > min(PICKLIST_MAX_CHOICES, self.count // 2):
            return {}
        repeated = sum(c for c in self.values.values() if c > 1)
        if not repeated:
            return {}
        choices = [v for v, _c in sorted(self.values.items(), key=lambda kv: -kv[1])]
        return {"picklist": (repeated, {"choices": choices})}


def _label(shape: str, order: str) -> str:
    if "{A}" not in shape:
        return shape
    a, b = ("dd", "mm") if order == "DMY" else ("mm", "dd")
    return shape.format(A=a, B=b)


def infer_column(values: Iterable[Any], date_order: str | None = None) -> Inference:
    """Type of a column (blanks ignored). ``date_order`` (``"DMY"``/``"MDY"``) is only used
    when the values never decide the day/month order (see the module docstring)."""
    return ColumnInferrer(date_order).update(values).result()
