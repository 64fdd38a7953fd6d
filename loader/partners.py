"""Partner lookups of the reference resolution: companies by name, contacts by
email (their own or an x_ 'other email'), the record a note, activity or
attachment belongs to, and the parent company a contact's company name makes."""

import re

from odoo import _
from odoo.tools import SQL

from ..engine.match import norm_company, norm_text
from .common import ADDRESS_FIELDS, issue


def own_address(vals, parent):
    """True when the row gives an address that differs from its company's."""
    differs = False
    for fname in ADDRESS_FIELDS:
        if fname in vals:
            current = parent[fname]
            current = current.id if fname.endswith("_id") else current
            differs = differs or (vals[fname] or False) != (current or False)
    return differs


def own_vats(env, company_ids):
    """{person id: vat} of the people under ``company_ids`` whose tax id is their
    own (a CPF, or none while the company has one), read before the companies are
    written: Odoo copies a company's VAT onto every person under it whenever the
    VAT is written, even unchanged (res.partner's _children_sync, vat being a
    commercial field), which would replace a person's CPF with the company's
    CNPJ. People who share the company's VAT follow it, as Odoo intends."""
    if not company_ids:
        return {}
    people = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("commercial_partner_id", "in", list(company_ids)),
                 ("is_company", "=", False)])
    )  # fmt: skip
    return {
        person.id: person.vat or False
        for person in people
        if (person.vat or "") != (person.commercial_partner_id.vat or "")
    }


def restore_vats(partners, own):
    """Each person's own tax id of ``own`` (see own_vats) back where a company's
    write replaced it, through ``partners`` (a res.partner model); written
    alone, a person's vat syncs nowhere."""
    people = partners.with_context(active_test=False).browse(list(own))
    by_vat = {}
    for person in people.exists():
        if (person.vat or False) != own[person.id]:
            by_vat.setdefault(own[person.id], []).append(person.id)
    for vat, ids in by_vat.items():
        partners.browse(ids).write({"vat": vat})


class PartnerFinder:
    """Companies and contacts, one query a batch, remembered in the run cache."""

    def __init__(self, env, cache, writer):
        self.env = env
        self.cache = cache
        self.writer = writer

    # ------------------------------------------------------- companies
    def lookup_companies(self, names):
        """Existing Odoo companies for the names not seen yet (one query a batch)."""
        known = self.cache.companies
        missing = {
            norm_company(n): n for n in names if n and norm_company(n) not in known
        }
        if not missing:
            return
        lowered = list({n.strip().lower() for n in missing.values()})
        self.env["res.partner"].flush_model(["name", "is_company"])
        self.env.cr.execute(
            SQL(
                "SELECT id, name FROM res_partner WHERE is_company AND active "
                "AND lower(name) = ANY(%s) AND (company_id IS NULL OR company_id = %s) ORDER BY id",
                lowered,
                self.cache.project.company_id.id,
            )
        )
        for pid, name in self.env.cr.fetchall():
            known.setdefault(norm_company(name), pid)

    def parent_company(self, name, contact_vals):
        """A company partner for a contact's company name that no file has,
        at the address of its first contact (see parent_companies)."""
        return self.parent_companies([(name, contact_vals)])[0]

    def parent_companies(self, wanted):
        """[company id] for ``wanted``, [(company name, contact values)] in row
        order: the company of each normalised name, found (in the run cache, or
        spelled differently in Odoo: similar_companies), else created for the
        batch in one create (the bulk path when the writer writes in bulk), in
        the order the names first appear, each at the address of the first
        contact that names it (as Odoo gives a company its first contact's
        address). The run's ledger removes them on rollback, as other values
        it made (``auto_created``, in that order)."""
        keys = [norm_company(name) for name, _vals in wanted]
        self.similar_companies(
            [name for (name, _v), key in zip(wanted, keys, strict=True)
             if key not in self.cache.companies]
        )  # fmt: skip
        new = {}
        for (name, vals), key in zip(wanted, keys, strict=True):
            if key in self.cache.companies or key in new:
                continue
            new[key] = {
                "name": name.strip(),
                "is_company": True,
                "company_id": self.cache.project.company_id.id,
                **{f: vals[f] for f in ADDRESS_FIELDS if f in vals},
            }
        if new:
            companies = self.writer.create_values(
                self.writer.model("res.partner"), list(new.values())
            )
            for key, company in zip(new, companies, strict=True):
                self.cache.auto_created.append(company)
                self.cache.companies[key] = company.id
        return [self.cache.companies[key] for key in keys]

    def similar_company(self, name):
        """An Odoo company spelled differently (see similar_companies)."""
        self.similar_companies([name])

    def similar_companies(self, names):
        """Odoo companies spelled differently ('BLUEBONNET BAKERY, Inc.' for
        'Bluebonnet Bakery'): for each name, the companies whose name starts
        like its normalised first word, compared normalised; one query for the
        names. Only an unambiguous match counts (two companies that normalise
        alike are left for a person)."""
        patterns = {}
        for name in names:
            key = norm_company(name)
            first = key.split()[0] if key else ""
            if len(first) >= 3 and key not in self.cache.companies:
                pattern = re.sub(r"([\\%_])", r"\\\1", first) + "%"
                patterns.setdefault(pattern, set()).add(key)
        if not patterns:
            return
        self.env["res.partner"].flush_model(["name", "is_company"])
        self.env.cr.execute(
            SQL(
                "SELECT p.id, p.name, pattern FROM res_partner p "
                "JOIN unnest(%s::text[]) AS pattern ON p.name ILIKE pattern "
                "WHERE p.is_company AND p.active "
                "AND (p.company_id IS NULL OR p.company_id = %s) ORDER BY p.id",
                sorted(patterns),
                self.cache.project.company_id.id,
            )
        )
        hits = {}
        for pid, other, pattern in self.env.cr.fetchall():
            key = norm_company(other)
            if key in patterns[pattern]:
                hits.setdefault(key, []).append(pid)
        for key, ids in hits.items():
            if len(ids) == 1:
                self.cache.companies[key] = ids[0]

    # ------------------------------------------------------- contacts
    def lookup_people(self, names):
        """Existing people (not companies) for the names not seen yet, one
        query a batch: {normalised name: [(id, parent id)]} in the cache."""
        known = self.cache.people
        missing = {norm_text(n) for n in names if n and norm_text(n) not in known}
        if not missing:
            return
        for name in missing:
            known[name] = []
        self.env["res.partner"].flush_model(["name", "is_company", "parent_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id, name, parent_id FROM res_partner WHERE NOT is_company "
                "AND active AND lower(name) = ANY(%s) "
                "AND (company_id IS NULL OR company_id = %s) ORDER BY id",
                sorted({n.strip().lower() for n in names if n}),
                self.cache.project.company_id.id,
            )
        )
        for pid, name, parent_id in self.env.cr.fetchall():
            known.setdefault(norm_text(name), []).append((pid, parent_id))

    def person(self, name, company_id=None):
        """The one person called ``name`` (of ``company_id`` when given: two
        people of one name at two companies are told apart), else None."""
        people = self.cache.people.get(norm_text(name)) or []
        if company_id:
            people = [p for p in people if p[1] == company_id]
        return people[0][0] if len(people) == 1 else None

    def lookup_contacts(self, emails):
        missing = [e for e in emails if e and e not in self.cache.contacts]
        if not missing:
            return
        self.env["res.partner"].flush_model(["email_normalized"])
        self.env.cr.execute(
            SQL(
                "SELECT id, email_normalized FROM res_partner WHERE active "
                "AND email_normalized = ANY(%s) ORDER BY is_company, id",
                missing,
            )
        )
        for pid, email in self.env.cr.fetchall():
            self.cache.contacts.setdefault(email, pid)

    def by_email(self, emails):
        """{email: [partner ids]} for the people (else companies) with that
        email: the partners themselves and the x_ email fields the migration
        made (a source's second email column)."""
        cache = self.cache.partner_emails
        missing = [e for e in {e for e in emails if e} if e not in cache]
        if not missing:
            return cache
        for email in missing:
            cache[email] = []
        self.env["res.partner"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT id, email_normalized, is_company FROM res_partner WHERE active "
                "AND email_normalized = ANY(%s) ORDER BY is_company, id",
                missing,
            )
        )
        found = {}
        for pid, email, is_company in self.env.cr.fetchall():
            found.setdefault(email, []).append((is_company, pid))
        for email, hits in found.items():
            people = [pid for is_company, pid in hits if not is_company]
            cache[email] = people or [pid for _c, pid in hits]
        self.cache.partner_other_emails.update(self._by_other_email(missing))
        return cache

    def _by_other_email(self, emails):
        others = {}
        for fname in self.other_email_fields():
            self.env.cr.execute(
                SQL(
                    "SELECT id, lower(trim(%s)) FROM res_partner WHERE active "
                    "AND lower(trim(%s)) = ANY(%s) ORDER BY id",
                    SQL.identifier(fname),
                    SQL.identifier(fname),
                    emails,
                )
            )
            for pid, email in self.env.cr.fetchall():
                others.setdefault(email, []).append(pid)
        return others

    def other_email_fields(self):
        """x_ partner fields the project's maps fill with emails."""
        if self.cache.other_email_fields is None:
            names = set()
            fmaps = self.cache.project.object_map_ids.filtered(
                lambda m: m.target in ("contact", "company")
            ).field_map_ids.filtered(lambda f: f.transform == "email")
            for fmap in fmaps:
                fname = (
                    fmap.new_field_name
                    if fmap.action == "create"
                    else fmap.target_field_id.name
                )
                if (
                    fname
                    and fname.startswith("x_")
                    and fname in self.env["res.partner"]._fields
                ):
                    names.add(fname)
            self.cache.other_email_fields = sorted(names)
        return self.cache.other_email_fields

    # ------------------------------------------------------- chatter owners
    def find_record(self, prep):
        """(model, id) of the opportunity (when the row names one that the
        migration loaded) or else the partner a chatter row goes to."""
        lead_id = self.cache.key_res("lead", prep.record.lead_ref)
        if lead_id:
            return ("crm.lead", lead_id), None
        partner_id, problem = self.find_partner(prep)
        if partner_id:
            return ("res.partner", partner_id), None
        lead_id = self.lead_by_email(prep.record.contact_email)
        if lead_id:
            prep.after["matched_by"] = "email"
            return ("crm.lead", lead_id), None
        rec = prep.record
        if rec.lead_ref and not rec.contact_ref and not rec.contact_email:
            # the row names its lead only: say which one is missing
            problem = issue(
                "orphan",
                rec.columns.get("lead_ref") or "Lead ID",
                rec.lead_ref,
                _(
                    "No migrated lead has the id %(ref)s (deleted, or not in the "
                    "export?).",
                    ref=rec.lead_ref,
                ),
            )
        return None, problem

    def lead_by_email(self, email):
        """The one lead the migration loaded with this email (recipients of a
        campaign are leads, not contacts), or None."""
        if not email:
            return None
        ids = list(set(self.cache.linked_keys("lead").values()))
        if not ids:
            return None
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("email_normalized", "=", email), ("id", "in", ids)], limit=2)
        )
        return leads.id if len(leads) == 1 else None

    def find_partner(self, prep):
        """The partner a note, activity or attachment belongs to: by email
        first, the source contact id as the fallback (a changed, missing or
        shared email); an email and an id that name two different contacts are
        a conflict a person decides. Returns (partner id, None) or (None, issue)."""
        rec = prep.record
        email, ref = rec.contact_email, rec.contact_ref
        email_column = rec.columns.get("contact_email") or "Email"
        ref_column = rec.columns.get("contact_ref") or "Contact ID"
        if not email and not ref:
            # the row names itself (its own key), so that it can be found
            return None, issue(
                "orphan",
                email_column,
                prep.key or False,
                _("No email and no contact id: this row names no contact."),
            )
        by_ref = self.cache.key_res("contact", ref) or self.cache.key_res(
            "company", ref
        )
        hits, how = [], "email"
        if email:
            hits = self.by_email([email]).get(email, [])
            if not hits:
                hits = self.cache.partner_other_emails.get(email, [])
                how = "other email"
        if len(hits) == 1:
            if by_ref and by_ref != hits[0]:
                return None, self._conflict(email, hits[0], ref, by_ref, ref_column)
            prep.after["matched_by"] = how
            return hits[0], None
        if by_ref:
            prep.after["matched_by"] = "id"
            return by_ref, None
        if hits:
            return None, issue(
                "orphan",
                email_column,
                email,
                _(
                    "Ambiguous: email %(email)s belongs to %(count)s contacts and "
                    "%(id)s.",
                    email=email,
                    count=len(hits),
                    id=_("contact id %s matches none", ref)
                    if ref
                    else _("no contact id"),
                ),
            )
        return None, self._nobody(email, ref, email_column, ref_column)

    def _conflict(self, email, by_email, ref, by_ref, column):
        Partner = self.env["res.partner"]
        return issue(
            "orphan",
            column,
            ref,
            _(
                "Conflict: email %(email)s is %(by_email)s but contact id "
                "%(ref)s is %(by_ref)s.",
                email=email,
                by_email=Partner.browse(by_email).display_name,
                ref=ref,
                by_ref=Partner.browse(by_ref).display_name,
            ),
        )

    def _nobody(self, email, ref, email_column, ref_column):
        parts = []
        if email:
            parts.append(_("email %s matches no contact", email))
        if ref:
            parts.append(_("contact id %s matches no contact", ref))
        return issue(
            "orphan",
            email_column if email else ref_column,
            email or ref,
            _("%(what)s (deleted, or not in the export?).", what="; ".join(parts)),
        )
