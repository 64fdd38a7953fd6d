"""Map proposals: which Odoo object a file holds, which field each column feeds,
which column identifies a row, and which existing record each source value means.

Pure Python (no Odoo). Every proposal carries a confidence in 0..1 and a reason a
person can read; nothing here is final: the consultant confirms or corrects it, and
confirmed maps come back as ``learned`` to make the next proposal better.

Scoring of a column against a target field combines:

* the header: normalised (accents, case, punctuation, camelCase and common
  abbreviations such as "Tel.", "Dt", "Vlr", "Resp." expanded) and compared with the
  field's name, label and synonyms (English, Brazilian Portuguese, some Spanish and
  French): exact, same words, contained words, then rapidfuzz similarity;
* the column's inferred type from the profile (an email column is an email even if its
  header says "Contato"; a date column is never a phone);
* value hints (won/lost/open statuses, CNPJ/CPF, country names, lead/opportunity...);
* ``learned``: ``{(target, normalised header): {field: times confirmed}}``; a header
  confirmed before for the same target gets at least 0.95.

Each target field is given to at most one column (best score first; the loser falls
back to its next best field or to none). A column that fits nothing gets a proposed
custom field ``x_<slug>`` typed from its values.
"""

from __future__ import annotations

from ..core.headers import ABBREVIATIONS, normalize_header
from .proposals import FieldProposal, TYPE_TRANSFORM, TargetField, ValueProposal
from .synonyms import (
    S_CITY,
    S_COMPANY_ORG,
    S_COUNTRY,
    S_CREATED,
    S_EMAIL,
    S_FIRST_NAME,
    S_FUNCTION,
    S_LAST_NAME,
    S_MOBILE,
    S_MODIFIED,
    S_NOTES,
    S_OWNER,
    S_PHONE,
    S_REF,
    S_SOURCE,
    S_STATE,
    S_STREET,
    S_STREET2,
    S_TAGS,
    S_VAT,
    S_WEBSITE,
    S_ZIP,
)
from .catalogue import TARGETS, target_field
from .headers import CONNECTORS, KEY_FAMILY_TYPES, KEY_TOKENS, STOPWORDS, TYPE_WORDS
from .hints import (
    BR_STATES,
    LEAD_TYPE_WORDS,
    PRIORITY_WORDS,
    SOCIAL_RE,
    SOCIAL_WORDS,
    STATUS_WORDS,
    US_STATES,
)
from .scoring import (
    ACCEPT,
    BARE_NAME_WORDS,
    ID_TOKENS,
    PERSON_NAME_FIELDS,
    PERSON_NAME_RE,
    QUALIFIER_TOKENS,
    header_score,
)
from .newfields import (
    MIXED_WORDS,
    NEW_FIELD_CONFIDENCE,
    NEW_FIELD_TYPES,
    TYPED_NEW_FIELDS,
    make_field_name,
    new_field_for,
)
from .fields import (
    CONFLICTS,
    NOT_OWN_NOUNS,
    OWN_PREFIX_RE,
    conflicting_fields,
    own_header,
    propose_fields,
)
from .objects import (
    COMPANY_SIGNAL_HEADERS,
    NAME_KEYWORDS,
    ObjectProposal,
    SIGNALS,
    TARGET_WORDS,
    propose_object,
)
from .custom import propose_custom_object
from .keys import FOREIGN_WORDS, ID_WORDS, OWN_WORDS, propose_key
from .values import CREATABLE_KINDS, FUZZY_CUTOFF, propose_values

__all__ = [
    "ABBREVIATIONS",
    "ACCEPT",
    "BARE_NAME_WORDS",
    "BR_STATES",
    "COMPANY_SIGNAL_HEADERS",
    "CONFLICTS",
    "CONNECTORS",
    "CREATABLE_KINDS",
    "FOREIGN_WORDS",
    "FUZZY_CUTOFF",
    "FieldProposal",
    "ID_TOKENS",
    "ID_WORDS",
    "KEY_FAMILY_TYPES",
    "KEY_TOKENS",
    "LEAD_TYPE_WORDS",
    "MIXED_WORDS",
    "NAME_KEYWORDS",
    "NEW_FIELD_CONFIDENCE",
    "NEW_FIELD_TYPES",
    "NOT_OWN_NOUNS",
    "OWN_PREFIX_RE",
    "OWN_WORDS",
    "ObjectProposal",
    "PERSON_NAME_FIELDS",
    "PERSON_NAME_RE",
    "PRIORITY_WORDS",
    "QUALIFIER_TOKENS",
    "SIGNALS",
    "SOCIAL_RE",
    "SOCIAL_WORDS",
    "STATUS_WORDS",
    "STOPWORDS",
    "S_CITY",
    "S_COMPANY_ORG",
    "S_COUNTRY",
    "S_CREATED",
    "S_EMAIL",
    "S_FIRST_NAME",
    "S_FUNCTION",
    "S_LAST_NAME",
    "S_MOBILE",
    "S_MODIFIED",
    "S_NOTES",
    "S_OWNER",
    "S_PHONE",
    "S_REF",
    "S_SOURCE",
    "S_STATE",
    "S_STREET",
    "S_STREET2",
    "S_TAGS",
    "S_VAT",
    "S_WEBSITE",
    "S_ZIP",
    "TARGETS",
    "TARGET_WORDS",
    "TYPED_NEW_FIELDS",
    "TYPE_TRANSFORM",
    "TYPE_WORDS",
    "TargetField",
    "US_STATES",
    "ValueProposal",
    "conflicting_fields",
    "header_score",
    "make_field_name",
    "new_field_for",
    "normalize_header",
    "own_header",
    "propose_fields",
    "propose_key",
    "propose_object",
    "propose_custom_object",
    "propose_values",
    "target_field",
]
