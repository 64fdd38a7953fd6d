"""Email, phone (E.164 through phonenumbers) and Brazilian CNPJ/CPF transforms."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf
from stdnum.exceptions import ValidationError as StdnumValidationError

from ..core.errors import TransformError
from .text import _blank, _show

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
