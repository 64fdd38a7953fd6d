"""The bulk path of crm.lead (issue 18).

``crm.lead.create`` (addons/crm/models/crm_lead.py) cleans the website, runs
the ORM's create (stage, probability, dates, team, partner values... are
precomputed or computed fields, which the bulk writer computes as ``_create``
does; email and phone have inverses, which it calls as create() calls them;
a lead's team, computed per lead from its owner, is computed once per owner),
then calls ``_handle_won_lost(values)`` once per lead given a stage or an
active flag: the predictive lead scoring frequencies of a lead created won
(``_pls_increment_frequencies``). Here ``_handle_won_lost`` runs once per
group of leads given the same stage and active flag: it only reads those two
keys of the values, and the frequency increments of a group add up to the
increments of its leads one by one.
"""

from collections import defaultdict

from .bulk_computed import LeadComputed
from .bulk_spec import ModelBulk

WON_LOST_KEYS = ("stage_id", "active")


class LeadBulk(ModelBulk):
    """crm.lead: the website cleaned as create() cleans it; the scoring
    frequencies of won leads per group of leads."""

    # tracking off: mail.thread's create subscribes and logs nothing
    required_context = ("tracking_disable",)
    shared_defaults = True

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
        """The values a lead's given email makes (loader.bulk_computed)."""
        computed = LeadComputed(model)
        return computed.fill(data), computed.left

    def complete(self, model, vals_list):
        partners = model.env["res.partner"]
        for vals in vals_list:
            if vals.get("website"):
                vals["website"] = partners._clean_website(vals["website"])

    def after(self, model, records, vals_list):
        groups = defaultdict(list)
        for lead, vals in zip(records, vals_list, strict=True):
            given = tuple((key, vals[key]) for key in WON_LOST_KEYS if key in vals)
            if given:
                groups[given].append(lead.id)
        for given, ids in groups.items():
            model.browse(ids)._handle_won_lost(dict(given))
