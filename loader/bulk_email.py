"""What a new lead computes from its email, with one parse of the email
instead of four (issue 18).

Odoo computes three stored fields of a lead from its ``email_from``, each
with its own helper, and each helper splits the email again
(``tools.email_split``, Python's RFC 2822 address parser):

- ``email_normalized``: ``tools.email_normalize(email, strict=False)``, the
  first address found, normalised (``_normalize_email``);
- ``email_domain_criterion``: ``iap_tools.mail_prepare_for_domain_search`` of
  the normalised email, which normalises it again;
- ``email_state``: ``crm.lead._compute_email_state``, the addresses found,
  each checked by ``mail_validation.mail_validate`` (without the optional
  ``flanker`` library: ``tools.email_normalize`` of the address, a third and
  fourth parse).

Here the email is parsed once (``tools.email_split``) and the helpers' own
steps are applied to what that parse found. A plain address (``PLAIN``:
``local@domain``, dot-separated atoms of letters, digits, ``_``, ``+`` and
``-``, ASCII) is what the parser finds in it, whole (no name, no comment, no
quoting, no space to re-split on): for such a text the split is the text
itself, so it is not parsed at all, and a normalised address (lower case)
that is plain is what ``mail_prepare_for_domain_search`` and
``mail_validate`` would find again. Anything else goes through Odoo's own
helpers. tests/test_bulk_email.py compares both on every kind of email.
"""

import re

from odoo import tools
from odoo.tools.mail import _normalize_email

from odoo.addons.iap.tools import iap_tools
from odoo.addons.mail.tools import mail_validation

ATOM = r"[A-Za-z0-9_+-]+"
# an address the parser finds whole in its own text (see the module's doc)
PLAIN = re.compile(rf"{ATOM}(?:\.{ATOM})*@{ATOM}(?:\.{ATOM})*")
# mail_validate without flanker is email_normalize of the address: a plain
# address is valid; with flanker, its own check runs on every address
NORMALIZE_VALIDATES = not hasattr(mail_validation, "address")


def split(email):
    """``tools.email_split(email)``; a plain address without parsing it."""
    if not email:
        return []
    if PLAIN.fullmatch(email):
        return [email]
    return tools.email_split(email)


def normalize(email):
    """``tools.email_normalize(email, strict=False)`` with :func:`split`'s one
    parse (none for a plain address): the first address found, normalised."""
    if not isinstance(email, str):
        return tools.email_normalize(email, strict=False)
    parts = split(email)
    return _normalize_email(parts[0]) if parts else False


def email_values(email):
    """(email_normalized, email_domain_criterion, email_state) of a new lead
    given ``email`` (a string or False), as Odoo's helpers compute them."""
    if not email:
        return False, False, False
    parts = split(email)
    normalized = _normalize_email(parts[0]) if parts else False
    return normalized, domain_criterion(normalized), state(parts)


def domain_criterion(normalized):
    """``iap_tools.mail_prepare_for_domain_search(normalized)``."""
    if not normalized:
        return False
    if not PLAIN.fullmatch(normalized):
        return iap_tools.mail_prepare_for_domain_search(normalized)
    # a plain normalised address normalises to itself
    domain = normalized.rsplit("@", maxsplit=1)[1]
    if domain not in iap_tools._MAIL_DOMAIN_BLACKLIST:
        return "@" + domain
    return normalized


def state(parts):
    """``crm.lead._compute_email_state`` of an email whose addresses are
    ``parts`` (the email is given: 'correct' or 'incorrect')."""
    for part in parts:
        if NORMALIZE_VALIDATES and PLAIN.fullmatch(part):
            return "correct"
        if mail_validation.mail_validate(part):
            return "correct"
    return "incorrect"
