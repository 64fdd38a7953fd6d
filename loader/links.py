"""Links by compound keys (engine.core.links): the parents a source without
parent ids names by company name, email or deal name, looked up once a run
in an index of the Odoo records; one candidate is a link (the ledger row
keeps which key matched), none or several are a review item with the
candidates, never a guess."""

from odoo import _
from odoo.tools import SQL

from ..engine.core.links import LinkIndex, Match, normalise, rules_for
from ..engine.sources.base import get_source
from .common import issue

PAGE = 5000  # parents read at a time
PARENT_MODELS = {"company": "res.partner", "contact": "res.partner", "lead": "crm.lead"}


class LinkFinder:
    """The source's link rules over the run cache's indexes."""

    def __init__(self, env, cache, partners):
        self.env = env
        self.cache = cache
        self.partners = partners
        self.indexes = cache.link_indexes
        self.names = {}  # partner id -> name, of the people found by email

    def rules(self, child):
        """The project's source's rules for ``child`` rows (none: the
        generic lookups apply)."""
        return rules_for(get_source(self.cache.project.system).links, child)

    # ------------------------------------------------------------ finding
    def find(self, rule, value, tie=""):
        """The Match of ``value`` (the child's cell) for ``rule``; None when
        the cell is blank."""
        if not normalise(rule.part.kind, value):
            return None
        if rule.parent == "contact" and rule.part.kind == "email":
            return self._by_email(rule, value)
        index = self.index(rule)
        tie_key = normalise(rule.tiebreak[0].kind, tie) if rule.tiebreak else ""
        return index.match(value, rule.key, tie_key, self._tie_name(rule))

    @staticmethod
    def _tie_name(rule):
        return rule.tiebreak and rule.tiebreak[0].columns[0].lower()

    def _by_email(self, rule, value):
        email = normalise("email", value)
        hits = self.partners.by_email([email]).get(email, [])
        index = LinkIndex("email")
        names = self._partner_names(hits)
        for pid in hits:
            index.add(email, pid, names.get(pid, ""))
        return index.match(email, rule.key)

    def prefetch(self, prepared, child):
        """The people the rows of a batch name by email (the rules of
        ``child`` rows whose parent is a contact) looked up at once: their
        emails in one query (partners.by_email, kept for the run) and their
        names in another, instead of both queries for each row."""
        emails = set()
        for rule in self.rules(child):
            if rule.parent != "contact" or rule.part.kind != "email":
                continue
            for prep in prepared:
                column, _value = rule.part.read(prep.source)
                raw = str(prep.source.get(column) or "").strip() if column else ""
                email = raw and normalise("email", raw)
                if email:
                    emails.add(email)
        if emails:
            found = self.partners.by_email(sorted(emails))
            self._partner_names({pid for e in emails for pid in found.get(e, ())})

    def _partner_names(self, ids):
        """{id: name} of these partners, those not read yet in one query (a
        person's name is all a match shows: not every column of the partner,
        which reading it through the ORM fetches)."""
        # not set(ids) - self.names.keys(): that walks every name read so far
        # (a set minus a dict view iterates the view), for each row of a
        # batch: the 1M scale run's tasks spent 67 % of their time there
        missing = sorted({pid for pid in ids if pid not in self.names})
        if missing:
            self.env["res.partner"].flush_model(["name"])
            self.env.cr.execute(
                SQL("SELECT id, name FROM res_partner WHERE id = ANY(%s)", missing)
            )
            self.names.update(self.env.cr.fetchall())
        return {pid: self.names[pid] for pid in ids if pid in self.names}

    def index(self, rule):
        """The index of ``rule``'s parents, built once a run (after the
        parents loaded: objects load in dependency order)."""
        slot = (rule.parent, rule.parent_part.kind, rule.tiebreak)
        if slot not in self.indexes:
            self.indexes[slot] = self._build(rule)
        return self.indexes[slot]

    def _build(self, rule):
        index = LinkIndex(rule.parent_part.kind)
        if rule.parent in ("company", "contact"):
            # companies by name, or people by name (a note's "Contact person"):
            # companies are not contacts, and a name two share stays ambiguous
            ties = self._ties(rule) if rule.parent == "company" else {}
            domain = [
                ("is_company", "=", rule.parent == "company"),
                ("company_id", "in", [False, self.cache.project.company_id.id]),
            ]
            ids = self.env["res.partner"]._search(domain, order="id")
            for pid, name in self._names("res_partner", list(ids)):
                index.add(name, pid, name, ties.get(pid))
        elif rule.parent == "lead":
            ids = set(self.cache.linked_keys("lead").values())
            ids |= {
                res_id for (target, _k), res_id in self.cache.keys.items()
                if target == "lead"
            }  # fmt: skip
            for lead_id, name in self._names("crm_lead", sorted(ids)):
                index.add(name, lead_id, name)
        return index

    def _names(self, table, ids):
        """(id, name) of the records of ``ids`` that exist, in id order, read
        a page at a time: the index of a million deals' names, never every
        deal's fields in the ORM cache (what browsing them read)."""
        self.env.flush_all()
        for start in range(0, len(ids), PAGE):
            self.env.cr.execute(
                SQL(
                    "SELECT id, name FROM %s WHERE id = ANY(%s) ORDER BY id",
                    SQL.identifier(table),
                    ids[start : start + PAGE],
                )
            )
            yield from self.env.cr.fetchall()

    def _ties(self, rule):
        """{record id: tiebreak value} read from the parents' staging rows."""
        if not rule.tiebreak:
            return {}
        part = rule.tiebreak[1]
        ledger = self.env["migration.ledger"].search(
            [
                ("project_id", "=", self.cache.project.id),
                ("target", "=", rule.parent),
                ("rolled_back", "=", False),
                ("staging_row_id", "!=", False),
            ]
        )
        return {
            row.res_id: part.read(row.staging_row_id.data or {})[1] for row in ledger
        }

    def add(self, parent, kind, value, res_id, label):
        """A parent made by this run after its index was built."""
        for (p, k, _t), index in self.indexes.items():
            if p == parent and k == kind:
                index.add(value, res_id, label)

    def record(self, prep, child):
        """``((model, id), None)`` of the record a converted ``child`` row
        belongs to by the first of its rules whose cell it fills, or ``(None,
        issue)``; None when the source declares no rule for ``child``, or the
        row fills none of their cells (the generic lookups apply: ids and
        emails)."""
        rules = self.rules(child)
        if not rules:
            return None
        first = None
        for rule in rules:
            if not rule.applies(prep.source):
                continue  # the row says it names another kind of record
            column, _value = rule.part.read(prep.source)
            raw = str(prep.source.get(column) or "").strip() if column else ""
            if not raw:
                continue
            match = self.find(rule, raw)
            if match.ok:
                self.link(prep, rule, match)
                return (PARENT_MODELS[rule.parent], match.res_id), None
            first = first or self.problem(rule, match, column, raw)
        if first:
            return None, first
        return None

    # ------------------------------------------------------------ booking
    def link(self, prep, rule, match):
        """Record on the row which key made the link."""
        prep.after.setdefault("links", {})[rule.parent] = match.key

    def problem(self, rule, match, column, raw):
        """The review item of a key that found no parent, or several."""
        if match.status == "ambiguous":
            reason = _(
                "%(key)s '%(value)s' matches %(count)s %(parent)s records: "
                "%(candidates)s. Not linked: link the right one.",
                key=rule.key.capitalize(),
                value=raw,
                count=len(match.candidates),
                parent=rule.parent,
                candidates=match.describe(),
            )
        else:
            reason = _(
                "%(key)s '%(value)s' matches no %(parent)s (in the export or in "
                "Odoo). Not linked.",
                key=rule.key.capitalize(),
                value=raw,
                parent=rule.parent,
            )
        return issue("missing_parent", column, raw, reason)


def match_of(matches, parent):
    """The matched Match of ``parent`` in ``matches`` ({parent: Match}), or None."""
    match = matches.get(parent)
    return match if isinstance(match, Match) and match.ok else None
