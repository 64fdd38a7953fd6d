"""What every piece of the loader shares: the row on its way to Odoo
(``Prepared``), the review issue it may carry, the write contexts and a few
small conversions. A leaf: it imports nothing else of the loader."""

import re
from dataclasses import dataclass, field

from odoo import modules, tools

from ..engine.core.targets import TARGETS
from ..engine.match import norm_text

# the speed contexts of every create/write of migrated records
LOAD_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
}
# per model, what its create must not do during a migration: read from the one
# registry of targets (engine.core.targets), never listed a second time here
WRITE_CONTEXT = {
    target.model: dict(target.write_context)
    for target in TARGETS.values()
    if target.write_context
}
# the reconciliation equation: read = the sum of these outcomes; the one
# definition every count, check, report and the command line uses
OUTCOMES = ("created", "updated", "unchanged", "merged", "skipped", "review")
# the terms of the equation as counted per batch, plus the values held for review
COUNTS = ("read", *OUTCOMES, "invalid")
# target field -> value map kind / lookup family
RELATION_KIND = {
    "stage_id": "stage",
    "user_id": "owner",
    "team_id": "team",
    "lost_reason_id": "lost_reason",
    "country_id": "country",
    "state_id": "state",
    "tag_ids": "tag",
    "category_id": "tag",
    "industry_id": "industry",
    "source_id": "source",
}
CREATE_MODELS = {
    "stage": "crm.stage",
    "team": "crm.team",
    "lost_reason": "crm.lost.reason",
    "industry": "res.partner.industry",
    "source": "utm.source",
}
TAG_MODELS = {
    "lead": "crm.tag",
    "company": "res.partner.category",
    "contact": "res.partner.category",
}
ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")
# issue kinds that are not invalid values (not counted as such on a run line)
NOT_INVALID = ("duplicate", "external", "not_loaded", "long_text")


def can_commit(env, commit):
    """Per-batch commits happen in a command-line or background run only: never
    under tests, whose transaction belongs to the test case."""
    return commit and not (tools.config["test_enable"] or modules.module.current_test)


def selection_key(value):
    """Key of a source value in a new x_ selection field.

    >>> selection_key("Gold Member!")
    'gold_member'
    """
    return re.sub(r"[^a-z0-9]+", "_", norm_text(value)).strip("_")[:60] or "empty"


@dataclass
class Prepared:
    """One staging row on its way to Odoo."""

    row_id: int
    line: int
    key: str
    vals: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)
    held: dict | None = None
    # why a rule leaves the row out (the source says it is no record of its
    # own): skipped, its cells not migrated, no review item
    skipped: dict | None = None
    dedupe: str | None = None
    create_date: object = None
    write_date: object = None
    defaults: set = field(default_factory=set)  # values the source did not give
    model: str | None = None  # the Odoo model written, when not the object map's
    record: object = None  # engine.records.Record of a converted target
    quiet: bool = False  # a merge that is expected (no 'duplicate' review item)
    create_only: set = field(default_factory=set)  # never written on updates
    cleared: set = field(default_factory=set)  # empty cells a map says clear
    after: dict = field(default_factory=dict)  # what a handler's post hook does
    source: dict = field(default_factory=dict)  # a converted row's cells (links)

    def extra_value(self, fname):
        """The transformed value of a virtual or relation field, or None."""
        item = self.extra.get(fname)
        return item[0] if item else None


def issue(kind, column, value, reason):
    """A review item's content: what, where (column), which value, why.

    >>> issue("orphan", False, 42, "why")
    {'kind': 'orphan', 'column': False, 'value': '42', 'reason': 'why'}
    """
    return {
        "kind": kind,
        "column": column or False,
        "value": str(value)[:500] if value else False,
        "reason": reason,
    }


def error_text(exc):
    """The first line of an exception, short enough for a review item."""
    text = str(exc).strip()
    return text.splitlines()[0][:500] if text else type(exc).__name__


def jsonable(values):
    """Dates and datetimes as ISO text: what a JSON field stores."""
    out = {}
    for key, value in values.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        out[key] = value
    return out


def snapshot(record, fnames):
    """Comparable, JSON-able values of ``fnames`` on ``record``: what a
    rollback checks to tell whether someone changed the record since."""
    values = {}
    for fname in fnames:
        fld = record._fields.get(fname)
        if fld is None or fld.type in ("one2many", "binary"):
            continue
        value = record[fname]
        if fld.type == "many2one":
            value = value.id
        elif fld.type == "many2many":
            value = sorted(value.ids)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        values[fname] = value
    return values
