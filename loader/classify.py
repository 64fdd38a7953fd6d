"""Classification: what each prepared row of a batch becomes, from the ledger
(run cache), the dedupe keys, the review queue's decisions and the partners
already in Odoo: link (a person's choice), update, merge, create, held or
skipped."""

import re
from dataclasses import dataclass, field

from odoo import _
from odoo.tools import SQL

from ..engine.match import norm_email
from .common import issue


@dataclass
class Decision:
    """What people decided in the review queue about one staging row."""

    corrections: dict = field(default_factory=dict)  # column -> corrected value
    link: object = None  # the record a person linked the row to
    ignored: bool = False  # a held row a person chose to skip


@dataclass
class Classified:
    """A batch's rows sorted by what becomes of them."""

    creates: list = field(default_factory=list)  # [Prepared]
    updates: list = field(default_factory=list)  # [(Prepared, res_id)]
    # [(Prepared, res_id | the Prepared it merges into)]
    merges: list = field(default_factory=list)
    held: list = field(default_factory=list)  # [Prepared] (prep.held says why)
    skipped: list = field(default_factory=list)  # [Prepared]
    # id(Prepared) -> partner id of a partner already in Odoo (email or VAT)
    matched: dict = field(default_factory=dict)


def review_decisions(env, rows):
    """{row id: Decision} of what people decided in the review queue about
    these rows. Resolved corrections and links are applied by this run; an
    ignored row that was held back is skipped (a person's confirmed rule)."""
    decisions = {}
    items = env["migration.review"].search(
        [("staging_row_id", "in", rows.ids), ("state", "in", ("resolved", "ignored"))],
        order="id",
    )
    for item in items:
        decision = decisions.setdefault(item.staging_row_id.id, Decision())
        if item.state == "ignored":
            decision.ignored = decision.ignored or item.row_held
            continue
        if item.corrected_value and item.column:
            decision.corrections[item.column] = item.corrected_value
        if item.link_ref:
            decision.link = item.link_ref
    return decisions


def vat_key(vat):
    """A VAT number's letters and digits, upper case.

    >>> vat_key("be 0477.472.701")
    'BE0477472701'
    """
    return re.sub(r"[^0-9A-Za-z]", "", str(vat or "")).upper()


class Classifier:
    """Sorts a batch's prepared rows; remembers matches in the run cache."""

    def __init__(self, env, cache):
        self.env = env
        self.cache = cache

    def classify(self, omap, prepared, decisions):
        result = Classified()
        pending = {}  # key or dedupe value -> Prepared created in this batch
        for prep in prepared:
            self._classify_row(omap, prep, decisions.get(prep.row_id), pending, result)
        result.creates, existing = self.match_existing(omap, result.creates)
        result.matched = {id(prep): pid for prep, pid in existing}
        result.merges = existing + result.merges
        if omap.extends_only:
            self._hold_orphans(omap, result)
        return result

    def _classify_row(self, omap, prep, decision, pending, result):
        if prep.skipped:
            result.skipped.append(prep)  # a rule's: nothing to decide
            return
        decision = decision or Decision()
        model = prep.model or omap.model_name
        link = self._link(prep, model, decision.link)
        if link:
            # a person linked this row to an existing record: update it
            self.cache.keys[(omap.target, prep.key)] = link.id
            prep.held = None
        if prep.held:
            (result.skipped if decision.ignored else result.held).append(prep)
            return
        res_id = self.cache.keys.get((omap.target, prep.key))
        known_model = self.cache.key_models.get((omap.target, prep.key))
        if res_id and known_model and known_model != model:
            # e.g. a scheduled email (activity) that is now sent (message)
            prep.held = issue(
                "invalid_value",
                False,
                prep.key,
                _(
                    "This row was loaded as a %(before)s and is now a %(now)s: "
                    "remove the earlier record (or roll its run back) first.",
                    before=known_model,
                    now=model,
                ),
            )
            result.held.append(prep)
        elif res_id:
            result.updates.append((prep, res_id))
        else:
            self._new_or_merged(omap, prep, pending, result)

    def _link(self, prep, model, link):
        """The record a review item links the row to, when it is usable."""
        if link and link._name != model:
            prep.issues.append(
                issue(
                    "invalid_value",
                    False,
                    f"{link._name},{link.id}",
                    _(
                        "The review item links this %(model)s row to a %(other)s; "
                        "it was not applied.",
                        model=model,
                        other=link._name,
                    ),
                )
            )
            return None
        if link and not link.exists():
            return None
        return link

    def _new_or_merged(self, omap, prep, pending, result):
        dedupe_key = (omap.target, prep.dedupe) if prep.dedupe else None
        if dedupe_key and dedupe_key in self.cache.dedupe:
            result.merges.append((prep, self.cache.dedupe[dedupe_key]))
            return
        first = pending.get(("key", prep.key)) or (
            dedupe_key and pending.get(dedupe_key)
        )
        if first:
            result.merges.append((prep, first))
            return
        pending[("key", prep.key)] = prep
        if dedupe_key:
            pending[dedupe_key] = prep
        result.creates.append(prep)

    def _hold_orphans(self, omap, result):
        """A custom object row fills its record, it never makes one."""
        email_column = (omap._columns_for("email") or [False])[0]
        for prep in result.creates:
            prep.held = issue(
                "orphan",
                email_column,
                prep.dedupe or prep.key,
                _(
                    "No %(object)s record to extend: no contact with this email "
                    "in the source or in Odoo.",
                    object=omap.model_name,
                ),
            )
            result.held.append(prep)
        result.creates = []

    def match_existing(self, omap, creates):
        """Rows about to become new partners that match an existing Odoo partner
        by email or VAT are merged into it instead (ledger keeps before-values).
        Returns (rows still to create, [(row, partner id)])."""
        if (
            omap.target not in ("company", "contact")
            or self.cache.project.match_existing == "none"
        ):
            return creates, []
        emails = {norm_email(p.vals["email"]) for p in creates if p.vals.get("email")}
        vats = {vat_key(p.vals["vat"]) for p in creates if p.vals.get("vat")}
        if not emails and not vats:
            return creates, []
        by_email, by_vat = self._partners(omap.target == "company", emails, vats)
        keep, matched = [], []
        for prep in creates:
            vat = vat_key(prep.vals.get("vat"))
            email = norm_email(prep.vals.get("email") or "")
            pid = (vat and by_vat.get(vat)) or (email and by_email.get(email))
            if not pid:
                keep.append(prep)
                continue
            matched.append((prep, pid))
            self.cache.keys[(omap.target, prep.key)] = pid
            if prep.dedupe:
                self.cache.dedupe.setdefault((omap.target, prep.dedupe), pid)
        return keep, matched

    def _partners(self, is_company, emails, vats):
        """({email: partner id}, {vat: partner id}) of the project's partners."""
        self.env["res.partner"].flush_model(["email_normalized", "vat", "is_company"])
        norm_vat = SQL(
            "upper(regexp_replace(coalesce(vat, ''), '[^0-9A-Za-z]', '', 'g'))"
        )
        partners = SQL(
            "SELECT id, email_normalized, %s FROM res_partner WHERE active "
            "AND is_company = %s AND (company_id IS NULL OR company_id = %s)",
            norm_vat,
            is_company,
            self.cache.project.company_id.id,
        )
        # one branch per key, so that the email one reads the email index
        # instead of the whole partner table (an OR of both cannot)
        branches = [SQL("%s AND email_normalized = ANY(%s)", partners, list(emails))]
        if vats:
            branches.append(SQL("%s AND %s = ANY(%s)", partners, norm_vat, list(vats)))
        self.env.cr.execute(SQL("%s ORDER BY id", SQL(" UNION ").join(branches)))
        by_email, by_vat = {}, {}
        for pid, email, vat in self.env.cr.fetchall():
            if email:
                by_email.setdefault(email, pid)
            if vat:
                by_vat.setdefault(vat, pid)
        return by_email, by_vat
