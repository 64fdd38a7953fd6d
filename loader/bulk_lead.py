"""The bulk path of crm.lead (issue 18).

``crm.lead.create`` (addons/crm/models/crm_lead.py) cleans the website, runs
the ORM's create (stage, probability, dates, team, partner values... are
precomputed or computed fields, which the bulk writer computes as ``_create``
does; email and phone have inverses, which it calls as create() calls them;
a lead's team, computed per lead from its owner, is computed once per owner),
then calls ``_handle_won_lost(values)`` once per lead given a stage or an
active flag: the predictive lead scoring frequencies of a lead created won
(``_pls_increment_frequencies``). Here the frequencies of the whole batch are
added once (loader.bulk_scoring), with the values the per-lead calls give.

A lead is inserted with the source's creation date. The scoring's start date
filter reads the create date create() gives a lead, the transaction's now, as
the ORM path scores it before the loader writes the source's date
(book.original_dates); the days to assign and to close are counted from the
source's date, as the ORM path recomputes them once that date is written.
"""

from .bulk_computed import PARTNER_READ as PHONE_READ
from .bulk_computed import LeadComputed
from .bulk_lead_values import PARTNER_READ as NAME_READ
from .bulk_lead_values import LeadValues
from .bulk_probability import BatchProbabilities
from .bulk_scoring import BatchScoring
from .bulk_spec import ModelBulk


class LeadBulk(ModelBulk):
    """crm.lead: the website cleaned as create() cleans it; the scoring
    frequencies of the batch's won and lost leads added once."""

    # tracking off: mail.thread's create subscribes and logs nothing
    required_context = ("tracking_disable",)
    shared_defaults = True
    source_dates = True
    # crm's email and phone inverses read a lead's partner, email and phone;
    # the company check its company, customer, owner and team; the scoring
    # its stage and active flag
    read_back = (
        "partner_id",
        "email_from",
        "phone",
        "company_id",
        "user_id",
        "team_id",
        "stage_id",
        "active",
    )

    def defaulted(self, model, data):
        """The team of a lead given no team, as ``_compute_team_id`` computes
        it for a new lead (``_get_default_team_id`` of the owner, for leads or
        opportunities; none without an owner): once per owner and type
        instead of a new record per lead (``_add_precomputed_values``)."""
        teams = {}
        for vals in data:
            if "team_id" in vals:
                continue
            if not vals.get("user_id"):
                # _compute_team_id leaves a lead without an owner alone: no
                # team, and no new record per lead to find that out
                vals["team_id"] = False
                continue
            key = (vals["user_id"], vals.get("type"))
            if key not in teams:
                domain = (
                    [("use_leads", "=", True)]
                    if vals.get("type") == "lead"
                    else [("use_opportunities", "=", True)]
                )
                teams[key] = (
                    model.env["crm.team"]
                    ._get_default_team_id(user_id=vals["user_id"], domain=domain)
                    .id
                )
            vals["team_id"] = teams[key]

    def computed(self, model, data):
        """The values a lead's given email and its partner make
        (loader.bulk_computed), its probabilities when its object is scored
        after its last batch (loader.bulk_probability), its days and revenues
        (loader.bulk_lead_values, after the probabilities: the prorated
        revenue is made of them)."""
        self._fetch_partners(model, data)
        computed = LeadComputed(model)
        values = LeadValues(model)
        made = computed.fill(data)
        scored = BatchProbabilities(model).fill(data)
        names = [
            one | two | three
            for one, two, three in zip(made, scored, values.fill(data), strict=True)
        ]
        return names, {**computed.left, **values.left}

    @staticmethod
    def _fetch_partners(model, data):
        """The fields of the batch's partners that what a lead takes from
        them (LeadComputed, LeadValues), crm's email inverse
        (``_get_partner_email_update``) and the company check read, in one
        query: not one per reader, and not every column of the partners at
        the inverse's first read (the computes read only what they name)."""
        partners = model.env["res.partner"].browse(
            {vals["partner_id"] for vals in data if vals.get("partner_id")}
        )
        # sudo: as the computes read them (compute_sudo)
        partners.sudo().fetch(
            list(dict.fromkeys((*PHONE_READ, *NAME_READ, "email", "company_id")))
        )

    def complete(self, model, vals_list):
        partners = model.env["res.partner"]
        for vals in vals_list:
            if vals.get("website"):
                vals["website"] = partners._clean_website(vals["website"])

    def after(self, model, records, vals_list):
        BatchScoring(model).apply(records, vals_list)
