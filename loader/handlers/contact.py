"""Contacts: res.partner people, with their company as parent (found, or
made from the company name), groups as tags; and custom objects that only
extend the contact they name by email."""

from odoo import _

from ...engine.match import norm_company, norm_email
from ..common import ADDRESS_FIELDS, issue
from ..partners import own_address
from ..resolve import name_column
from .base import RecordHandler


class ContactHandler(RecordHandler):
    target = "contact"

    def resolve(self, omap, prepared):
        if omap.extends_only:
            self._extension_values(prepared)
            return
        companies = [p.extra_value("company_name") for p in prepared]
        self.partners.lookup_companies(companies)
        by_name = []  # (prep, company name, field map): the parent by its name
        for prep in prepared:
            named = self._resolve_one(omap, prep)
            if named:
                by_name.append((prep, *named))
        self._make_parents(by_name)
        # one fetch of the batch's parent companies into the cache (their
        # address is compared; fetch: read() would format every value)
        parent_ids = {
            self.cache.companies.get(norm_company(str(name)))
            for name in companies
            if name
        }
        self.env["res.partner"].browse([p for p in parent_ids if p]).fetch(
            list(ADDRESS_FIELDS)
        )
        for prep, company, fmap in by_name:
            self._parent(prep, company, fmap)

    def _extension_values(self, prepared):
        for prep in prepared:
            # a custom object fills its x_ fields; the contact's own name,
            # company and address are not its business
            prep.vals = {
                k: v for k, v in prep.vals.items() if k.startswith("x_") or k == "email"
            }
            prep.create_only.add("email")

    def _resolve_one(self, omap, prep):
        """The row's values but its parent; (company name, field map) when
        its parent is to be found by the company's name (see _parent)."""
        self.resolver.state(prep)
        vals = prep.vals
        if not vals.get("name"):
            parts = [prep.extra_value("first_name"), prep.extra_value("last_name")]
            name = " ".join(str(p).strip() for p in parts if p) or vals.get("email")
            if name:
                vals["name"] = name
        if not vals.get("name"):
            vals.pop("name", None)  # a person may link the row: never blank a name
            prep.held = issue(
                "missing_required",
                name_column(omap),
                False,
                _("A contact needs a name or an email; this row has neither."),
            )
            return None
        vals["is_company"] = False
        self.resolver.groups(prep)
        if self._parent_by_ref(prep):
            return None
        company, fmap, _raw = prep.extra.get("company_name") or (None, None, None)
        return (company, fmap) if company else None

    def _make_parents(self, by_name):
        """The companies _parent would create one row at a time, created for
        the batch at once (PartnerFinder.parent_companies): the rows whose
        company name finds no company (by the source's link rule, else in the
        run cache), each name once, at its first row's address. _parent then
        finds them as it finds a company an earlier row created."""
        if not self.project.create_parent_companies:
            return
        rule = next(
            (r for r in self.links.rules("contact") if r.parent == "company"), None
        )
        wanted = []
        for prep, company, _fmap in by_name:
            if rule:
                match = self.links.find(rule, str(company))
                if match and (match.status == "ambiguous" or match.res_id):
                    continue
            elif self.cache.companies.get(norm_company(company)):
                continue
            wanted.append((str(company), prep.vals))
        if wanted:
            self.partners.parent_companies(wanted)

    def _parent_by_ref(self, prep):
        """The parent named by its source id (two companies may share a name):
        True when it is found; a missing one is reviewed, and the company name
        stays on the contact."""
        ref, fmap, raw = prep.extra.get("parent_ref") or (None, None, None)
        if not ref:
            return False
        parent_id = self.cache.key_res("company", ref)
        if parent_id:
            prep.vals["parent_id"] = parent_id
            if own_address(prep.vals, self.env["res.partner"].browse(parent_id)):
                prep.vals["type"] = "other"  # see _parent
            return True
        company = prep.extra_value("company_name")
        if company:
            prep.vals["company_name"] = str(company)
        prep.issues.append(
            issue(
                "missing_parent",
                fmap.column,
                raw,
                _(
                    "No company with id %(ref)s among the migrated companies; the "
                    "contact is loaded without its company until it is linked.",
                    ref=ref,
                ),
            )
        )
        return True

    def _parent(self, prep, company, fmap):
        vals = prep.vals
        rule = next(
            (r for r in self.links.rules("contact") if r.parent == "company"), None
        )
        if rule:
            match = self.links.find(rule, str(company))
            if match and match.status == "ambiguous":
                vals["company_name"] = str(company)
                prep.issues.append(
                    self.links.problem(rule, match, fmap.column, str(company))
                )
                return
            parent_id = match.res_id if match else None
            if parent_id:
                self.links.link(prep, rule, match)
        else:
            parent_id = self.cache.companies.get(norm_company(company))
        if not parent_id and self.project.create_parent_companies:
            parent_id = self.partners.parent_company(str(company), vals)
            if rule:
                self.links.add("company", "company", str(company), parent_id, company)
        if parent_id:
            vals["parent_id"] = parent_id
            if own_address(vals, self.env["res.partner"].browse(parent_id)):
                # Odoo copies a company's address onto its contacts of
                # type 'contact': a contact living elsewhere keeps its
                # own address as an 'other address' contact
                vals["type"] = "other"
            return
        vals["company_name"] = str(company)
        prep.issues.append(
            issue(
                "missing_parent",
                fmap.column,
                company,
                _(
                    "No company '%(company)s' in the source or in Odoo; the name is kept on "
                    "the contact (Company Name) until it is linked.",
                    company=company,
                ),
            )
        )

    def post_create(self, omap, created):
        self._own_vat(created)

    def post_write(self, omap, updated):
        self._own_vat([(prep, record) for prep, record, _before in updated])

    def _own_vat(self, written):
        """A person's own tax id (a CPF) back on the person: Odoo copies the
        company's VAT onto its contacts when their parent is set (res.partner's
        _commercial_sync_from_company, vat being a commercial field), which
        would replace the CPF with the company's CNPJ. Written alone, the vat
        does not sync upstream (only parent_id does)."""
        for prep, record in written:
            vat = prep.vals.get("vat")
            if vat and record.parent_id and record.vat != vat:
                self.complete(
                    [prep],
                    self.writer.model("res.partner").browse(record.id).write,
                    {"vat": vat},
                    created=True,
                )

    def remember(self, prep, record):
        if prep.vals.get("email"):
            self.cache.contacts.setdefault(norm_email(prep.vals["email"]), record.id)
