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

from ..core.errors import TransformError
from .text import split_list, to_html, to_text
from .numbers import (
    FALSE_WORDS,
    TRUE_WORDS,
    number_styles,
    split_currency,
    to_bool,
    to_float,
    to_int,
    to_money,
)
from .contacts import EMAIL_RE, to_email, to_phone, to_vat_br
from .status import to_lead_status
from .dates import (
    DateParts,
    parse_date_parts,
    read_against,
    resolve_order,
    to_date,
    to_datetime,
)
from .registry import TRANSFORMS, apply, compiled

__all__ = [
    "DateParts",
    "EMAIL_RE",
    "FALSE_WORDS",
    "TRANSFORMS",
    "TRUE_WORDS",
    "TransformError",
    "apply",
    "compiled",
    "number_styles",
    "parse_date_parts",
    "read_against",
    "resolve_order",
    "split_currency",
    "split_list",
    "to_bool",
    "to_date",
    "to_datetime",
    "to_email",
    "to_float",
    "to_html",
    "to_int",
    "to_lead_status",
    "to_money",
    "to_phone",
    "to_text",
    "to_vat_br",
]
