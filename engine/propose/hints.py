"""Type compatibility of a column with a field, and value hints (statuses, CNPJ/CPF,
states, social links...)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf

from ..core.headers import _strip_accents
from ..countries import country_code
from .headers import _Col
from .proposals import TargetField

# --------------------------------------------------------------------------------------
# type compatibility

# fmt: off
_FIT = {
    "char": dict(
        text=1, picklist=0.9, integer=0.4, float=0.3, money=0.2, url=0.6,
        email=0.15, phone=0.2, date=0.1, datetime=0.1, boolean=0.3,
    ),
    "text": dict(
        text=1, picklist=0.7, integer=0.3, float=0.3, money=0.3, url=0.5,
        email=0.2, phone=0.2, date=0.2, datetime=0.2, boolean=0.2,
    ),
    "email": dict(email=1, text=0.35, picklist=0.3),
    "phone": dict(phone=1, integer=0.6, text=0.45, float=0.2, picklist=0.3),
    "date": dict(date=1, datetime=0.9, text=0.3, integer=0.1, picklist=0.2),
    "datetime": dict(datetime=1, date=1, text=0.3, integer=0.1, picklist=0.2),
    "float": dict(float=1, money=1, integer=0.9, text=0.3, picklist=0.4),
    "monetary": dict(money=1, float=1, integer=0.9, text=0.3, picklist=0.3),
    "integer": dict(integer=1, float=0.6, money=0.4, text=0.2, picklist=0.4, boolean=0.2),
    "boolean": dict(boolean=1, picklist=0.5, text=0.3, integer=0.3),
    "selection": dict(picklist=1, text=0.6, boolean=0.6, integer=0.6, float=0.3),
    "many2one": dict(
        picklist=1, text=0.9, email=0.3, integer=0.3, url=0.1, float=0.1, boolean=0.1
    ),
    "many2many": dict(picklist=1, text=1, email=0.2, integer=0.2, boolean=0.1),
}
# fmt: on
_FIT["html"] = _FIT["text"]
# field-specific exceptions
_FIT_FIELD = {
    ("website", "url"): 1.0,
    ("user_id", "email"): 1.0,
    ("ref", "integer"): 1.0,
    ("zip", "integer"): 0.9,
    ("vat", "integer"): 0.8,
    ("vat", "picklist"): 0.5,
    ("probability", "integer"): 1.0,
    ("priority", "integer"): 0.9,
    ("country_id", "text"): 1.0,
    ("state_id", "text"): 1.0,
    ("name", "picklist"): 0.6,
    ("comment", "picklist"): 0.4,
    ("description", "picklist"): 0.4,
    ("partner_email", "text"): 0.35,
}


def _type_fit(f: TargetField, col: _Col) -> float:
    if col.type is None:
        return 0.7  # nothing known about the values
    if col.type == "empty":
        return 0.5
    fit = _FIT_FIELD.get((f.name, col.type))
    if fit is None:
        fit = _FIT.get(f.type, {}).get(col.type, 0.0)
    # an unsure inference says less in both directions
    if col.confidence and col.confidence < 0.8:
        fit = fit * col.confidence + 0.5 * (1 - col.confidence)
    return float(fit)


# --------------------------------------------------------------------------------------
# value hints

# fmt: off
STATUS_WORDS = {
    "won", "lost", "open", "closed won", "closed lost", "in progress", "active",
    "ganho", "ganha", "perdido", "perdida", "aberto", "aberta", "em aberto",
    "em andamento", "andamento", "ganado", "abierto", "gagne", "perdu",
    "ouvert", "win", "loss", "pending",
}
LEAD_TYPE_WORDS = {
    "lead", "leads", "opportunity", "opportunities", "oportunidade", "oportunidad",
    "opportunite", "deal",
}
PRIORITY_WORDS = {
    "0", "1", "2", "3", "low", "medium", "normal", "high", "very high", "urgent",
    "baixa", "media", "alta", "muito alta", "urgente", "baja", "haute", "basse",
}
# fmt: on
BR_STATES = set(
    "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO".split()
)
US_STATES = set(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE "
    "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC".split()
)


# fmt: off
SOCIAL_WORDS = {
    "linkedin", "facebook", "twitter", "instagram", "youtube", "github", "tiktok",
    "skype", "social",
}
# fmt: on
SOCIAL_RE = re.compile(
    r"(linkedin|facebook|fb|twitter|x|instagram|youtube|github|tiktok)\.com", re.I
)


def _norm_value(value: Any) -> str:
    text = _strip_accents(str(value or "")).casefold()
    text = re.sub(r"[^a-z0-9@]+", " ", text)
    return " ".join(text.split())


# no value hint (a status, a country, a state, a CNPJ, a social link) is a
# longer text: a longer value is not asked, and counts as not matching, so a
# 3 MB note costs a length, not a normalisation per hint and target
HINT_CHARS = 1000


def _share(values: list[str], pred) -> float:
    """The share of the non-blank values ``pred`` holds for, asking it once
    per distinct value (a column repeats its countries, statuses, states);
    a value over :data:`HINT_CHARS` characters holds none."""
    counts = Counter(v for v in values if v.strip())
    if not counts:
        return 0.0
    held = sum(n for v, n in counts.items() if len(v) <= HINT_CHARS and pred(v))
    return held / sum(counts.values())


def _digits(v: str) -> str:
    return re.sub(r"\D", "", v)


_VAT_BR_RE = re.compile(
    r"^\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}$|^\d{3}\.\d{3}\.\d{3}-\d{2}$"
)


def _looks_vat_br(v: str) -> bool:
    """A CNPJ/CPF: in its usual punctuation, or bare digits with valid check digits."""
    v = v.strip()
    if _VAT_BR_RE.match(v):
        return True
    d = _digits(v)
    if d != v.replace(" ", ""):
        return False
    return (len(d) == 14 and br_cnpj.is_valid(d)) or (
        len(d) == 11 and br_cpf.is_valid(d)
    )


def _value_hints(target: str, col: _Col) -> dict[str, tuple[float, str]]:
    """field -> (standalone score, reason) suggested by the values alone."""
    hints: dict[str, tuple[float, str]] = {}
    vals = col.values
    if not vals:
        return hints
    if target == "lead":
        share = _share(vals, lambda v: _norm_value(v) in STATUS_WORDS)
        if share >= 0.8:
            hints["status"] = (0.8, "values look like won/lost/open statuses")
        share = _share(vals, lambda v: _norm_value(v) in LEAD_TYPE_WORDS)
        if share >= 0.8:
            hints["type"] = (0.75, "values look like lead/opportunity types")
    share = _share(vals, _looks_vat_br)
    if share >= 0.8 and col.type not in ("phone", "date", "datetime"):
        hints["vat"] = (0.75, "values look like CNPJ/CPF numbers")
    share = _share(vals, lambda v: country_code(v) is not None)
    if share >= 0.8 and col.type in (None, "text", "picklist"):
        hints["country_id"] = (0.7, "values look like country names or codes")
    codes = {v.strip().upper() for v in vals}
    if (
        codes
        and all(len(c) == 2 for c in codes)
        and _share(vals, lambda v: v.strip().upper() in BR_STATES | US_STATES) >= 0.9
        and not all(country_code(c) is not None for c in codes)
    ):
        hints["state_id"] = (0.6, "values look like state codes")
    if col.type == "email" and col.confidence >= 0.6:
        email_field = "email_from" if target == "lead" else "email"
        hints[email_field] = (
            0.55 + 0.3 * col.confidence,
            "values look like email addresses",
        )
    if col.type == "phone" and col.confidence >= 0.6:
        hints["phone"] = (0.5 + 0.2 * col.confidence, "values look like phone numbers")
    social = SOCIAL_WORDS & set(col.norm.split()) or (
        _share(vals, lambda v: bool(SOCIAL_RE.search(v))) >= 0.5
    )
    if col.type == "url" and col.confidence >= 0.6 and not social:
        hints["website"] = (
            0.55 + 0.3 * col.confidence,
            "values look like web addresses",
        )
    if target == "lead" and col.type == "money" and col.confidence >= 0.8:
        hints["expected_revenue"] = (0.6, "values look like money amounts")
    return hints


def _hint_priority_ok(col: _Col) -> bool:
    return _share(col.values, lambda v: _norm_value(v) in PRIORITY_WORDS) >= 0.8
