"""Leads and opportunities: crm.lead, linked to their contact (by email) or
company, in the stage of their team, won or lost by their status."""

import re

from odoo import _, fields
from odoo.tools import SQL

from ...engine import transform as tf
from ...engine.match import norm_company, norm_email
from ...engine.sources.base import get_source
from ..common import issue
from ..links import match_of
from ..lookups import Lookups
from ..prepare import transform_options
from ..resolve import name_column
from ..stages import StageInference
from .base import RecordHandler
from .lead_companies import LeadCompanies, PendingCompany

# words of a file's name that say what its rows are, when no column says it
LEAD_WORDS = frozenset({"lead", "leads", "prospect", "prospects", "suspects"})
OPPORTUNITY_WORDS = frozenset(
    {"deal", "deals", "opportunity", "opportunities", "negocios", "oportunidades"}
)


def default_lead_type(object_name, mapped):
    """What a row without a type column becomes: the file's name says leads
    or deals; else a stage, amount, probability or status make it an
    opportunity.

    >>> default_lead_type("Leads 2024", set())
    'lead'
    >>> default_lead_type("export", {"stage_id"})
    'opportunity'
    """
    words = set(re.split(r"[^a-z]+", (object_name or "").lower()))
    if words & LEAD_WORDS and not words & OPPORTUNITY_WORDS:
        return "lead"
    if words & OPPORTUNITY_WORDS:
        return "opportunity"
    signals = {"stage_id", "expected_revenue", "probability", "status"}
    return "opportunity" if mapped & signals else "lead"


def stage_status(omap, prep):
    """ "won" or "lost" when a deal's stage is its only outcome ("Closed Won",
    "Closed Lost" of HubSpot and Zoho, which have no status column); else None
    (with a status column, a won stage is a step of the source's pipeline)."""
    item = prep.extra.get("stage_id")
    if not item or omap._columns_for("status"):
        return None
    try:
        status = tf.to_lead_status(str(item[0]))
    except ValueError:
        return None
    return status if status in ("won", "lost") else None


class LeadHandler(RecordHandler):
    target = "lead"
    companies = None  # the batch's customer companies (LeadCompanies)

    def __init__(self, env, cache, resolver):
        super().__init__(env, cache, resolver)
        self._close_columns = {}  # object map id -> (column, order, tz) or None
        self._close_moments = {}  # ((column, order, tz), raw) -> moment or None

    def prepare(self, preparer, omap, fmaps, rows):
        """Stages inferred from the deals are made before the first row
        reads its stage (a source without pipeline configuration)."""
        if get_source(self.project.system).infer_stages:
            StageInference(self.env, self.cache, self.resolver).ensure(omap)
        return super().prepare(preparer, omap, fmaps, rows)

    def resolve(self, omap, prepared):
        emails = [
            norm_email(
                str(p.extra_value("partner_email") or p.vals.get("email_from") or "")
            )
            for p in prepared
        ]
        self.partners.lookup_contacts([e for e in emails if e])
        self.partners.lookup_companies([p.vals.get("partner_name") for p in prepared])
        self.partners.lookup_people([p.vals.get("contact_name") for p in prepared])
        self._read_customers(prepared, emails)
        mapped = set(
            omap.field_map_ids.filtered(lambda f: f.action == "map").mapped(
                "target_field_id.name"
            )
        )
        default_type = (
            omap.lead_type
            if omap.lead_type in ("lead", "opportunity")
            else default_lead_type(omap.object_name, mapped)
        )
        rules = self.links.rules("lead")
        spec = get_source(self.project.system or "generic")
        self.companies = None
        if spec.lead_company_partner:
            self.companies = LeadCompanies(self.partners, self.cache)
            self.companies.start([p.vals.get("partner_name") for p in prepared])
        for prep, email in zip(prepared, emails, strict=True):
            self.resolver.state(prep)
            if not self._name(omap, prep):
                continue
            self._type(prep, default_type)
            self._defaults(prep)
            if email and not prep.vals.get("email_from"):
                prep.vals["email_from"] = email
            if rules:
                self._linked_partner(omap, prep, email, rules)
            else:
                self._partner(omap, prep, email)
            if spec.lead_company_partner:
                self._company_partner(prep)
            self._flag_missing(omap, prep, spec.flag_missing.get("lead", ()))
        if self.companies:
            self.companies.make(prepared)
        Lookups(self.env, self.cache, self.resolver, "lead").apply(prepared)
        for prep in prepared:
            if not prep.held:
                self._stage(omap, prep)

    def _read_customers(self, prepared, emails):
        """One read of the batch's known customers (a deal's company name is
        replaced by the account's own, a contact's phone compared with the
        deal's), instead of one query per deal."""
        ids = {self.cache.contacts.get(e) for e in emails if e}
        for prep in prepared:
            name = prep.vals.get("partner_name")
            if name:
                ids.add(self.cache.companies.get(norm_company(str(name))))
        self.env["res.partner"].browse(sorted(i for i in ids if i)).fetch(
            ["name", "phone"]
        )

    def _name(self, omap, prep):
        """Contact name from first and last name; the lead's name from its
        company, contact or email. False (held) when there is none."""
        vals = prep.vals
        person = " ".join(
            str(p).strip()
            for p in (prep.extra_value("first_name"), prep.extra_value("last_name"))
            if p
        )
        if person and not vals.get("contact_name"):
            vals["contact_name"] = person
        if not vals.get("name"):
            name = (
                vals.get("partner_name")
                or vals.get("contact_name")
                or vals.get("email_from")
            )
            if name:
                vals["name"] = name
        if vals.get("name"):
            return True
        vals.pop("name", None)  # a person may link the row: never blank a name
        prep.held = issue(
            "missing_required",
            name_column(omap),
            False,
            _("A lead needs a name; this row has no name, company, contact or email."),
        )
        return False

    def _type(self, prep, default_type):
        lead_type = str(prep.vals.get("type") or "").lower()
        if not lead_type:
            prep.defaults.add("type")
        prep.vals["type"] = (
            "opportunity"
            if lead_type.startswith("opp")
            else "lead"
            if lead_type
            else default_type
        )

    def _defaults(self, prep):
        if "user_id" not in prep.vals:
            prep.vals["user_id"] = self.project.default_user_id.id or False
            prep.defaults.add("user_id")
        # the project's company, not the company of whoever runs it
        prep.vals["company_id"] = self.project.company_id.id
        prep.defaults.add("company_id")

    def _partner_by_ref(self, prep):
        """The customer the source names by id (its company first, else its
        contact): names and emails may be shared, ids are not."""
        for fname, target in (("company_ref", "company"), ("contact_ref", "contact")):
            ref = prep.extra_value(fname)
            partner_id = ref and (
                self.cache.key_res(target, ref)
                or self.cache.key_res(
                    "company" if target == "contact" else "contact", ref
                )
            )
            if partner_id:
                return partner_id
        return None

    def _partner(self, omap, prep, email):
        vals = prep.vals
        by_ref = self._partner_by_ref(prep)
        if by_ref:
            vals["partner_id"] = by_ref
            return
        self._partner_by_name_or_email(omap, prep, email)
        if not vals.get("partner_id"):
            self._customer_not_found(prep)

    def _customer_not_found(self, prep):
        """A customer the source names by id that no migrated record is (the
        lead's email named too: it is how a person finds the customer)."""
        email = prep.vals.get("email_from")
        for fname in ("company_ref", "contact_ref"):
            ref, fmap, raw = prep.extra.get(fname) or (None, None, None)
            if not ref:
                continue
            if email:
                reason = _(
                    "Customer id %(ref)s is none of the migrated companies and "
                    "contacts, nor is the opportunity's email %(email)s: the "
                    "opportunity has no customer until it is linked.",
                    ref=ref,
                    email=email,
                )
            else:
                reason = _(
                    "Customer id %(ref)s is none of the migrated companies "
                    "and contacts: the opportunity has no customer until "
                    "it is linked.",
                    ref=ref,
                )
            prep.issues.append(issue("missing_parent", fmap.column, raw, reason))
            return

    def _partner_by_name_or_email(self, omap, prep, email):
        vals = prep.vals
        Partner = self.env["res.partner"]
        partner_id = self.cache.contacts.get(email) if email else None
        company_id = vals.get("partner_name") and self._company_of(vals["partner_name"])
        if company_id:
            # "acme inc" of a deal is the account "Acme, Inc.": its own spelling
            vals["partner_name"] = (
                company_id.name
                if isinstance(company_id, PendingCompany)
                else Partner.browse(company_id).name
            )
        elif vals.get("partner_name") and self._has_companies():
            self._unknown_company(omap, prep)
        if not partner_id and vals.get("contact_name"):
            # the deal's contact person is its customer, as when Odoo makes an
            # opportunity from a contact: the company shows through its parent
            partner_id = self.partners.person(vals["contact_name"], company_id)
        if (
            not partner_id
            and company_id
            and not vals.get("email_from")
            and not vals.get("phone")
        ):
            partner_id = company_id
        given = prep.extra_value("partner_email")
        if given and not partner_id and not self.cache.contacts.get(email):
            _value, fmap, raw = prep.extra["partner_email"]
            prep.issues.append(
                issue(
                    "missing_parent",
                    fmap.column,
                    raw,
                    _(
                        "Contact not found: no contact with email %(email)s in the "
                        "source or in Odoo; the opportunity keeps the email.",
                        email=email,
                    ),
                )
            )
        if partner_id:
            self._set_partner(vals, partner_id)

    def _company_of(self, name):
        """The known company of a company name; with the batch's companies
        (LeadCompanies), the one an earlier row of the batch makes too."""
        if self.companies:
            return self.companies.find(name)
        return self.cache.companies.get(norm_company(name))

    def _set_partner(self, vals, partner_id):
        """Link the customer, unless crm.lead would write the lead's phone back
        on it over the contact's own, different phone (a company made for
        the batch has none)."""
        if isinstance(partner_id, PendingCompany):
            vals["partner_id"] = partner_id
            return
        partner = self.env["res.partner"].browse(partner_id)
        if not (vals.get("phone") and partner.phone and partner.phone != vals["phone"]):
            vals["partner_id"] = partner_id

    def _linked_partner(self, omap, prep, email, rules):
        """The contact (by email) and the account (by its name, the deal's
        value breaking ties) of a source without parent ids, by its link
        rules: the contact is the partner, else the account; the account's
        own spelling is the company name. A deal's key that finds no record,
        or several, is a review item with the candidates."""
        vals = prep.vals
        given = {
            "contact": prep.extra.get("partner_email"),
            "company": vals.get("partner_name")
            and (vals["partner_name"], omap._columns_for("partner_name")),
        }
        matches = {}
        for rule in rules:
            value = self._link_value(rule, given, email)
            if not value:
                continue
            tie = rule.tiebreak and rule.tiebreak[0].read(prep.source)[1]
            match = self.links.find(rule, value, tie or "")
            if match and match.ok:
                self.links.link(prep, rule, match)
            elif match and (given.get(rule.parent) or rule.parent != "contact"):
                if vals["type"] == "opportunity":
                    prep.issues.append(self._link_problem(omap, rule, match, value))
            matches[rule.parent] = match
        contact, company = match_of(matches, "contact"), match_of(matches, "company")
        if company:
            vals["partner_name"] = self.env["res.partner"].browse(company.res_id).name
        partner_id = contact.res_id if contact else None
        if not partner_id and company and not given["contact"]:
            partner_id = company.res_id
        if partner_id:
            self._set_partner(vals, partner_id)

    @staticmethod
    def _link_value(rule, given, email):
        if rule.parent == "contact":
            return email
        item = given.get(rule.parent)
        return item[0] if item else None

    def _link_problem(self, omap, rule, match, value):
        column = {
            "contact": (omap._columns_for("partner_email", "email_from") or [False])[0],
            "company": (omap._columns_for("partner_name") or [False])[0],
        }.get(rule.parent, False)
        return self.links.problem(rule, match, column, value)

    def _company_partner(self, prep):
        """The lead's company name becomes its customer: the company partner
        of that normalised name, found or made for the batch (name only,
        LeadCompanies). It is linked after the write (see post_create):
        crm.lead copies its email, phone and address to and from its
        customer, and one company is the customer of many recipients, each
        with their own."""
        name = prep.vals.get("partner_name")
        if prep.vals.get("partner_id") or not isinstance(name, str) or not name.strip():
            return
        prep.after["company_partner"] = self.companies.want(name)

    def _flag_missing(self, omap, prep, rules):
        """A row loaded without a value its source system says matters."""
        for fname, why in rules:
            if prep.vals.get(fname):
                continue
            columns = omap._columns_for(fname)
            who = prep.vals.get("contact_name") or prep.vals.get("name") or ""
            prep.issues.append(
                issue(
                    "missing_required",
                    columns[0] if columns else False,
                    who,
                    _("%(who)s: %(why)s", who=who, why=why),
                )
            )

    def post_create(self, omap, created):
        self._link_companies(created)

    def post_write(self, omap, updated):
        self._link_companies([(p, r) for p, r, _before in updated])

    def _link_companies(self, pairs):
        """Set the customer company chosen in _company_partner by SQL: a write
        through the ORM would copy the lead's email and phone onto the company
        (crm.lead's inverse fields) and the company's onto the lead."""
        for prep, lead in pairs:
            company_id = prep.after.get("company_partner")
            if not company_id or lead.partner_id:
                continue
            lead.flush_recordset()
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_lead SET partner_id = %s WHERE id = %s",
                    company_id,
                    lead.id,
                )
            )
            lead.invalidate_recordset(["partner_id"])

    def _has_companies(self):
        """Whether the project loads companies: a deal's company name is then
        a reference to one of them, not just a prospect's name."""
        return "company" in self.project.object_map_ids.mapped("target")

    def _unknown_company(self, omap, prep):
        column = omap._columns_for("partner_name")
        name = prep.vals["partner_name"]
        prep.issues.append(
            issue(
                "missing_parent",
                column[0] if column else False,
                name,
                _(
                    "Company not found: no company named %(name)s in the companies "
                    "file or in Odoo; the opportunity keeps the name, and a person "
                    "decides whether to create the company.",
                    name=name,
                ),
            )
        )

    def _stage(self, omap, prep):
        vals = prep.vals
        if vals.get("team_id") and vals.get("stage_id"):
            vals["stage_id"] = self.resolver.stage_in_team(
                vals["stage_id"], vals["team_id"]
            )
        status = prep.extra_value("status") or stage_status(omap, prep)
        self._closed_date(omap, prep, status)
        self._source_dates(prep, status)
        if status == "won":
            stage_id = vals.get("stage_id")
            if not stage_id or not self.resolver.won_in(stage_id):
                vals["stage_id"] = self.resolver.won_stage(vals.get("team_id"))
            self._closed_probability(omap, prep, 100, status)
        elif status == "lost":
            vals["active"] = False
            self._closed_probability(omap, prep, 0, status)
            _value, fmap, raw = prep.extra.get("status") or prep.extra["stage_id"]
            reason = get_source(omap.project_id.system).lost_reason(raw)
            if not vals.get("lost_reason_id") and reason:
                # a status word that says why ("abandoned"): the source's rule
                vals["lost_reason_id"] = self.resolver.name_id(
                    "crm.lost.reason", fmap, reason, create=True
                )

    @staticmethod
    def _source_dates(prep, status):
        """The assignment and stage dates a new lead gets when created at the
        source's creation date, as Odoo gives them at create
        (``_compute_date_open``, ``_compute_date_last_stage_update``: the
        creation moment) instead of the load's now: a lead with an owner was
        assigned when created; its stage was last changed when created, or,
        won, when it was won (Odoo's write into a won stage sets the stage
        date and the closing date together). No source gives either date:
        what a row gives is kept. Only for new leads (``create_only``): an
        update keeps the record's own, and Odoo's write sets them when the
        owner or stage changes. Odoo then counts the days to assign and to
        close from these and the creation date (book.set_create_dates,
        bulk_lead_values)."""
        created = fields.Datetime.to_datetime(prep.create_date)
        if not created:
            return
        vals = prep.vals
        if vals.get("user_id") and not vals.get("date_open"):
            vals["date_open"] = created
            prep.create_only.add("date_open")
        if not vals.get("date_last_stage_update"):
            closed = status == "won" and fields.Datetime.to_datetime(
                vals.get("date_closed")
            )
            vals["date_last_stage_update"] = max(created, closed or created)
            prep.create_only.add("date_last_stage_update")

    def _closed_date(self, omap, prep, status):
        """A won or lost deal's closing moment: its closed-date column, else
        the won / lost moment of its own status, else its close date (HubSpot,
        Salesforce and Zoho set the close date of a deal when it closes). A
        won or lost moment that is not the deal's status is reviewed."""
        vals = prep.vals
        own = {"won": "date_won", "lost": "date_lost"}.get(status)
        for fname in ("date_won", "date_lost"):
            item = prep.extra.get(fname)
            if item and fname != own:
                prep.issues.append(
                    issue(
                        "not_loaded",
                        item[1].column,
                        item[2],
                        _(
                            "The deal is %(status)s: this date is not its closing "
                            "date and is not written.",
                            status=status or _("open"),
                        ),
                    )
                )
        if not own or vals.get("date_closed"):
            return
        when = prep.extra_value(own) or self._close_moment(omap, prep)
        if when:
            vals["date_closed"] = when

    def _close_moment(self, omap, prep):
        """The close date of the row as a moment (its column's date order,
        the project's time zone); the column read once per object map and
        each distinct date converted once."""
        if omap.id not in self._close_columns:
            columns = omap._columns_for("date_deadline")
            fmap = (
                columns
                and omap.field_map_ids.filtered(lambda f: f.column == columns[0])[:1]
            )
            self._close_columns[omap.id] = columns and (
                columns[0],
                transform_options(fmap, self.project).get("order"),
                self.project.source_tz or "UTC",
            )
        spec = self._close_columns[omap.id]
        raw = spec and str(prep.source.get(spec[0]) or "").strip()
        if not raw:
            return None
        if (spec, raw) not in self._close_moments:
            try:
                moment = tf.to_datetime(raw, order=spec[1], tz=spec[2])
            except ValueError:
                moment = None  # the close date's own review item says why
            self._close_moments[(spec, raw)] = moment
        return self._close_moments[(spec, raw)]

    def _closed_probability(self, omap, prep, probability, status):
        """Won is 100% and lost 0% in Odoo: a source probability that says
        otherwise is not written, and a person sees it (never silently replaced)."""
        given = prep.vals.get("probability")
        prep.vals["probability"] = probability
        if given is None or abs(float(given) - probability) < 0.005:
            return
        column = omap._columns_for("probability")
        prep.issues.append(
            issue(
                "not_loaded",
                column[0] if column else False,
                given,
                _(
                    "The source gives a %(status)s opportunity a probability of "
                    "%(given)s; Odoo keeps %(status)s opportunities at %(odoo)s%%.",
                    status=status,
                    given=given,
                    odoo=probability,
                ),
            )
        )
