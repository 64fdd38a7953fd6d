"""Ploomes value rules: one cell of the API's JSON -> the text a person maps in Odoo.

Pure functions, no I/O. Each rule returns ``(text, problem)``: ``problem`` is None or a
readable reason; the table builder turns problems into issues (review items) and never
writes a value Odoo would reject (an invalid CNPJ/CPF stays out of the tax id column).

* Date-times carry an offset in Ploomes (``2023-05-04T10:20:00-03:00``, ``...Z``): they
  become naive UTC ``"YYYY-MM-DD HH:MM:SS"`` (what Odoo stores). Date-only values
  (a birthday, a custom date field, a task's deadline as a calendar day) keep the
  calendar date as written: ``"YYYY-MM-DD"``, never shifted by a time zone.
* Phones are normalised to E.164 with Brazil as the default region (phonenumbers);
  a number that cannot be read is kept as written, with a problem.
* CNPJ/CPF: check digits verified with python-stdnum (``stdnum.br.cnpj`` /
  ``stdnum.br.cpf``); all-equal numbers (``111.111.111-11``, which stdnum accepts for a
  CPF) are refused too. A valid one is formatted ``11.222.333/0001-81`` /
  ``529.982.247-25``.
* Deal status: ``StatusId`` 1 open, 2 won, 3 lost (third-party integrations confirm
  this order; the ``Deals@Status`` list's names are used when the id is unknown).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import phonenumbers
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf

DEFAULT_REGION = "BR"
DEFAULT_COUNTRY = "Brazil"
# Tags.EntityId: 1 contacts, 2 deals (Ploomes support article 5452436)
DEAL_ENTITY_ID = 2
# Fields.Type.NativeType -> the Odoo type of its x_ field
NATIVE_TYPES = {
    "string": "char",
    "bigstring": "text",
    "integer": "integer",
    "decimal": "float",
    "bool": "boolean",
    "boolean": "boolean",
    "datetime": "date",
}

_DT_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.I,
)


def text(value: Any) -> str:
    """A JSON scalar as text: None -> "", booleans "true"/"false", whole floats without
    ``.0``, other numbers as Python prints them; strings stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _parse(value: Any) -> tuple[dt.datetime, int | None, bool] | None:
    """(naive datetime, offset in minutes or None, has time) or None if unreadable."""
    m = _DT_RE.match(text(value))
    if not m:
        return None
    y, mo, d, h, mi, s, frac, zone = m.groups()
    try:
        naive = dt.datetime(
            int(y),
            int(mo),
            int(d),
            int(h or 0),
            int(mi or 0),
            int(s or 0),
            int((frac or "0").ljust(6, "0")[:6]),
        )
    except ValueError:
        return None
    offset = None
    if zone:
        if zone.upper() == "Z":
            offset = 0
        else:
            digits = zone[1:].replace(":", "")
            offset = int(digits[:2]) * 60 + int(digits[2:])
            if zone[0] == "-":
                offset = -offset
    return naive, offset, h is not None


def utc(value: Any) -> tuple[str, str | None]:
    """An ISO date-time -> naive UTC ``"YYYY-MM-DD HH:MM:SS"``. Without an offset the
    value is taken as UTC (Ploomes writes one on every date-time it returns)."""
    if value in (None, ""):
        return "", None
    parsed = _parse(value)
    if parsed is None:
        return text(value), f"{text(value)!r} is not an ISO date-time"
    naive, offset, _has_time = parsed
    if offset:
        naive = naive - dt.timedelta(minutes=offset)
    # "Z": the value says it is UTC, so a project's time zone (the account's,
    # for its local dates) never shifts it again
    return naive.replace(microsecond=0).strftime("%Y-%m-%d %H:%M:%SZ"), None


def date_as_written(value: Any) -> tuple[str, str | None]:
    """The calendar date written in an ISO value (``1985-03-02T00:00:00-03:00`` ->
    ``1985-03-02``): date-only fields are never shifted to UTC."""
    if value in (None, ""):
        return "", None
    parsed = _parse(value)
    if parsed is None:
        return text(value), f"{text(value)!r} is not an ISO date"
    return parsed[0].strftime("%Y-%m-%d"), None


def is_midnight(value: Any) -> bool:
    parsed = _parse(value)
    return bool(parsed) and parsed[0].time() == dt.time(0)


def phone(value: Any, region: str = DEFAULT_REGION) -> tuple[str, str | None]:
    """E.164 (``+5511987654321``); unreadable numbers kept as written, with a problem."""
    raw = text(value)
    if not raw:
        return "", None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return raw, f"{raw!r} is not a phone number"
    if not phonenumbers.is_possible_number(number):
        return raw, f"{raw!r} is not a possible phone number (wrong length)"
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.extension:
        e164 += f" ext. {number.extension}"
    return e164, None


MOBILE_WORDS = ("celular", "mobile", "cell", "whatsapp", "movel", "móvel")


def is_mobile(phone_record: Mapping[str, Any]) -> bool:
    """A phone whose type (``Type.Name`` with ``$expand=Phones($expand=Type)``) says
    mobile; without a type, Brazilian mobile numbers (9 digits after the area code,
    starting with 9) count as mobile."""
    kind = phone_record.get("Type") or {}
    name = text(kind.get("Name") if isinstance(kind, Mapping) else kind).lower()
    if name:
        return any(word in name for word in MOBILE_WORDS)
    digits = re.sub(r"\D", "", text(phone_record.get("PhoneNumber")))
    if digits.startswith("55") and len(digits) == 13:
        digits = digits[2:]
    return len(digits) == 11 and digits[2] == "9"


def tax_id(value: Any, expected: str | None = None) -> tuple[str, str | None]:
    """A CNPJ or CPF -> ``(formatted, None)`` when valid, ``("", reason)`` when not.

    ``expected``: ``"CNPJ"`` (companies) or ``"CPF"`` (people) decides the reason's
    wording only: a valid number of the other kind is accepted (a sole trader's CPF on a
    company). All-equal numbers are refused even when their check digits match.
    """
    raw = text(value)
    if not raw:
        return "", None
    digits = re.sub(r"[\s./-]", "", raw)
    label = expected or "CNPJ or CPF"
    if not digits.isdigit():
        return "", f"{raw!r} is not a {label}: it has other characters than digits"
    if len(digits) not in (11, 14):
        return "", (
            f"{raw!r} is not a {label}: a CNPJ has 14 digits and a CPF 11 "
            f"(it has {len(digits)})"
        )
    module, kind = (br_cpf, "CPF") if len(digits) == 11 else (br_cnpj, "CNPJ")
    if len(set(digits)) == 1:
        return "", f"{raw!r} is not a valid {kind}: all its digits are equal"
    if not module.is_valid(digits):
        return "", f"{raw!r} is not a valid {kind}: the check digits do not match"
    return module.format(digits), None


# ``Deals.StatusId`` -> status word (the values the lead status transform reads)
DEAL_STATUS = {1: "open", 2: "won", 3: "lost"}
_STATUS_WORDS = {
    "em aberto": "open",
    "aberto": "open",
    "open": "open",
    "ganho": "won",
    "won": "won",
    "perdido": "lost",
    "lost": "lost",
}


def deal_status(status_id: Any, names: Mapping[int, str] | None = None) -> str | None:
    """``StatusId`` -> ``open`` / ``won`` / ``lost``; None when unknown (review)."""
    try:
        key = int(status_id)
    except (TypeError, ValueError):
        return None
    if key in DEAL_STATUS:
        return DEAL_STATUS[key]
    name = text((names or {}).get(key)).lower()
    return _STATUS_WORDS.get(name)


# task type names (Tasks@Types, Portuguese or English) -> activity kind
_TASK_KINDS = (
    ("call", ("ligacao", "ligação", "telefonema", "call", "phone")),
    ("meeting", ("reuniao", "reunião", "visita", "meeting", "visit", "video")),
    ("email", ("e-mail", "email")),
)


def task_kind(type_name: Any) -> str:
    """``call`` / ``meeting`` / ``email`` / ``task`` from a task type's name."""
    name = text(type_name).lower()
    for kind, words in _TASK_KINDS:
        if any(word in name for word in words):
            return kind
    return "task"


def quote_state(quote: Mapping[str, Any], superseded: bool) -> str:
    """An Odoo ``sale.order`` state for a quote review: a review replaced by a later
    one -> ``cancel``; approved or accepted by the client -> ``sale``; rejected ->
    ``cancel``; shared or emailed -> ``sent``; else ``draft``. (Assumed from the
    quote's fields: Ploomes documents no state list for quotes.)"""
    if superseded:
        return "cancel"
    status = quote.get("ApprovalStatus")
    name = text(status.get("Name") if isinstance(status, Mapping) else "").lower()
    if quote.get("ExternallyAccepted") or "aprovad" in name or "approved" in name:
        return "sale"
    if "reprovad" in name or "rejected" in name or "recusad" in name:
        return "cancel"
    if quote.get("Shared") or quote.get("ExternalSharingDate") or quote.get("EmailId"):
        return "sent"
    return "draft"


def deal_tag(tag: Mapping[str, Any], used_on: Any = ()) -> bool:
    """A tag of deals (``EntityId`` 2, or seen on a deal): it becomes a crm.tag."""
    entity = tag.get("EntityId")
    if entity not in (None, ""):
        return str(entity) == str(DEAL_ENTITY_ID) or "deals" in used_on
    return "deals" in used_on or not used_on


def field_type(spec: Mapping[str, Any]) -> str:
    """The Odoo type of a custom field's x_ field, from its Fields catalogue entry:
    an option list is a selection (option names), a date-time with ``ShowTime`` a
    datetime, else by ``Type.NativeType``; text when the catalogue says nothing."""
    kind = spec.get("Type") or {}
    if (spec.get("OptionsTable") or {}).get("Options") or spec.get("OptionsTableId"):
        return "selection"
    native = text(kind.get("NativeType")).lower()
    if native == "datetime" and spec.get("ShowTime"):
        return "datetime"
    return NATIVE_TYPES.get(native, "char" if spec else "char")
