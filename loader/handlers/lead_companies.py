"""The customer companies a batch of leads names that no file and no Odoo
record is (a source whose leads carry their company's name and no
companies file: ``lead_company_partner`` of its source), made once per batch
instead of one create() per row (issue 18).

Row by row, the first lead naming a new company made it, and the later leads
of the batch found it as any known company: its own spelling as their company
name, itself as their customer when they give no email or phone. Here the
first lead gets a ``PendingCompany`` in its place, which the later leads find
the same way (a new company has no phone and no people), and ``make`` creates
the batch's companies in one go (PartnerFinder.parent_companies: the bulk path
when the writer writes in bulk), in the order the rows first named them, then
puts their ids where the pending ones stood."""

from ...engine.match import norm_company


class PendingCompany:
    """A company to be made for the batch: its name as the first row spells
    it (trimmed, as the company is named), its id once made."""

    __slots__ = ("id", "key", "name", "raw")

    def __init__(self, key, raw):
        self.key = key
        self.raw = raw
        self.name = raw.strip()
        self.id = None


class LeadCompanies:
    """The batch's companies: known (the run cache) or pending."""

    def __init__(self, partners, cache):
        self.partners = partners
        self.cache = cache
        self.pending = {}  # normalised name -> PendingCompany

    def start(self, names):
        """Before the rows: the names no company of the run cache has, looked
        up once for the batch among Odoo's companies spelled differently (row
        by row, the first row to name one looked it up)."""
        self.pending = {}
        self.partners.similar_companies(
            [n for n in names if n and norm_company(n) not in self.cache.companies]
        )

    def find(self, name):
        """The company id of ``name``, its PendingCompany, or None."""
        key = norm_company(name)
        return self.cache.companies.get(key) or self.pending.get(key)

    def want(self, name):
        """The company a row's company name makes its customer: known, else
        pending for the batch."""
        found = self.find(name)
        if found:
            return found
        key = norm_company(name)
        self.pending[key] = PendingCompany(key, name)
        return self.pending[key]

    def make(self, prepared):
        """Create the pending companies at once and put their ids in the rows
        (``partner_id`` of the values, ``company_partner`` of the after-values)."""
        if not self.pending:
            return
        pending = list(self.pending.values())
        ids = self.partners.parent_companies([(p.raw, {}) for p in pending])
        for company, company_id in zip(pending, ids, strict=True):
            company.id = company_id
        for prep in prepared:
            for values, fname in (
                (prep.vals, "partner_id"),
                (prep.after, "company_partner"),
            ):
                if isinstance(values.get(fname), PendingCompany):
                    values[fname] = values[fname].id
        self.pending = {}
