"""Custom objects among plain files: a file whose rows each name a contact (or a
company) by its email or id and carry values of their own, several rows per
contact: memberships, enrolments, subscriptions, registrations. Each row is
then a record of a model of its own linked to its contact (a contact with
three enrolments keeps all three), not a contact.

:func:`propose_custom_object` reads the file's rows and says so with a
confidence and a reason a person reads, naming the link column and the counts
that decided, or returns None. A file that is clearly a list of contacts,
companies or deals, a notes file and a list of one row per contact are never
custom objects.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from ..core.headers import normalize_header
from ..core.text import norm_email
from .objects import ObjectProposal

# first words of a column naming the record a row belongs to
OWNER_WORDS = frozenset(
    {"contact", "person", "member", "customer", "client", "student", "participant",
     "attendee", "subscriber", "account", "company", "organization", "patient",
     "donor", "guest", "learner", "buyer"}
)  # fmt: skip
ID_WORDS = frozenset({"id", "number", "no", "key", "ref", "reference"})
# a contact's own fields: a row carrying only these is a contact, not an object
PERSON_FIELDS = frozenset(
    {"name", "first name", "last name", "full name", "member name", "contact name",
     "student name", "customer name", "client name", "phone", "mobile", "email",
     "address", "street", "city", "zip", "postal code", "state", "country",
     "company", "company name", "job title"}
)  # fmt: skip
# a notes or activities file: its rows are chatter, not records
CHATTER_WORDS = frozenset(
    {"note", "notes", "body", "comment", "comments", "message", "subject"}
)
# file-name words of custom objects: a little more certainty
NAME_WORDS = frozenset(
    {"membership", "memberships", "enrolment", "enrolments", "enrollment",
     "enrollments", "subscription", "subscriptions", "registration",
     "registrations", "course", "courses", "certification", "certifications",
     "booking", "bookings", "policy", "policies", "licence", "licences", "license",
     "licenses", "ticket", "tickets", "attendance", "pets", "vehicles"}
)  # fmt: skip
MIN_OWN_VALUES = 2  # columns of its own a row carries beyond its link
FILLED = 0.9  # share of rows whose link column is filled
EMAILS = 0.9  # share of an email link column's values that are emails
SAMPLE = 5000  # rows read
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _words(header: str) -> list[str]:
    return normalize_header(header).split()


def link_columns(headers: Iterable[str]) -> list[tuple[str, str]]:
    """``[(column, "email" | "id")]`` of the columns that may name the record a
    row belongs to: an email column (``Contact Email``, ``Email``), then an id
    column of a contact or company (``Contact ID``, ``Student No``)."""
    emails, ids = [], []
    for header in headers:
        words = _words(header)
        if not words:
            continue
        if words[-1] == "email" and (len(words) == 1 or words[0] in OWNER_WORDS):
            emails.append((header, "email"))
        elif len(words) == 2 and words[0] in OWNER_WORDS and words[1] in ID_WORDS:
            ids.append((header, "id"))
    return emails + ids


def _own_columns(headers: Sequence[str], link: str) -> list[str]:
    """The columns a row carries beyond its link, its own id and a contact's
    own fields."""
    own = []
    for header in headers:
        norm = normalize_header(header)
        words = norm.split()
        if header == link or not words or norm in PERSON_FIELDS:
            continue
        if words[-1] in ID_WORDS and len(words) <= 2:
            continue  # its own id, or another reference
        own.append(header)
    return own


def _link_values(rows: Sequence[Mapping], column: str, kind: str) -> list[str] | None:
    """The link column's normalised values, None when too few rows fill it or
    an email column's values are not emails."""
    values = [str(r.get(column) or "").strip() for r in rows]
    values = [v for v in values if v]
    if len(values) < 2 or len(values) < FILLED * len(rows):
        return None
    if kind == "email":
        values = [norm_email(v) for v in values]
        if sum(1 for v in values if _EMAIL_RE.match(v)) < EMAILS * len(values):
            return None
        return values
    return [v.casefold() for v in values]


def propose_custom_object(
    name: str, headers: Sequence[str], rows: Iterable[Mapping]
) -> ObjectProposal | None:
    """An :class:`ObjectProposal` (target ``contact``, ``custom_object`` set,
    ``link_column`` the column naming each row's contact) when ``rows`` are a
    custom object, else None.

    >>> rows = [{"Contact Email": e, "Course": c, "Status": "active"}
    ...         for e, c in (("a@x.io", "Intro"), ("a@x.io", "Pro"), ("b@x.io", "Intro"))]
    >>> p = propose_custom_object("export.csv", ["Contact Email", "Course", "Status"], rows)
    >>> (p.target, p.custom_object, p.link_column, p.confidence)
    ('contact', True, 'Contact Email', 0.75)
    >>> propose_custom_object("people.csv", ["Email", "Plan", "Seats"],
    ...     [{"Email": "a@x.io", "Plan": "A", "Seats": 1},
    ...      {"Email": "b@x.io", "Plan": "B", "Seats": 2}]) is None
    True
    """
    headers = list(headers)
    if any(set(_words(h)) & CHATTER_WORDS for h in headers):
        return None
    sample = []
    for row in rows:
        sample.append(row)
        if len(sample) >= SAMPLE:
            break
    for column, kind in link_columns(headers):
        values = _link_values(sample, column, kind)
        if values is None:
            continue
        per_owner = Counter(values)
        if len(per_owner) == len(values):
            continue  # one row per contact: a list of contacts
        own = _own_columns(headers, column)
        if len(own) < MIN_OWN_VALUES:
            return None
        return _proposal(name, column, values, per_owner, own)
    return None


def _proposal(name, column, values, per_owner, own) -> ObjectProposal:
    stem = re.sub(r"[^a-z]+", " ", str(name).lower()).split()
    named = bool(set(stem) & NAME_WORDS)
    most = per_owner.most_common(1)[0][1]
    confidence = 0.7 + (0.1 if named else 0.0)
    confidence += 0.05 if len(values) >= 1.5 * len(per_owner) else 0.0
    shown = ", ".join(own[:4]) + (", ..." if len(own) > 4 else "")
    reason = (
        f"Each row names its contact by {column} ({len(values)} rows, "
        f"{len(per_owner)} contacts, up to {most} rows for one) and carries values "
        f"of its own ({shown}): a custom object, one record per row in a model of "
        "its own, linked to its contact."
    )
    if named:
        reason += f" The file's name ({name}) says so too."
    return ObjectProposal(
        target="contact",
        confidence=round(min(confidence, 0.9), 2),
        reason=reason,
        alternatives=[],
        custom_object=True,
        link_column=column,
    )
