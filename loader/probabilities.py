"""A deals object's leads scored once all its won and lost leads are counted.

crm's predictive lead scoring gives a lead the probability its frequency
table (``crm.lead.scoring.frequency``) says when the lead is written, and a
won or lost lead adds to that table. Loaded batch after batch, a lead of a
later batch was scored with the won and lost leads of the earlier batches and
one of the first batch with none: its probability depended on where its row
was in the file, and a parallel run (whose batches add their won and lost
leads up once per object, loader/shared.py) scored every lead before any of
them. Once the object's batches are all in, both score the object's leads
again from the table as it now is, which is what crm's own scheduled action
(*Predictive Lead Scoring: Recompute Automated Probabilities*) does: the same
probabilities whatever the order or the number of workers.

A lead whose probability the source gave (not automated) keeps it; only its
automated probability follows the table (``crm.lead._compute_probabilities``).
What a lead's probability makes (its prorated revenues) follows it, as a
write of the probability recomputes it.

The batches of an object settled here are loaded with ``SETTLE_KEY`` in their
context: the bulk path then leaves the probabilities of its open leads to this
pass instead of scoring each batch (loader.bulk_probability). An object with
no won or lost lead leaves the table as it was: only those leads are scored
then (no probability yet, in a team whose score does not depend on the other
leads scored with it: ``Teams``), and the others keep the one create() gave.
"""

from odoo.tools import SQL, float_compare, float_repr, split_every

from .bulk_computed import LEAD, overridden

# the context key of the batches of an object settled here
SETTLE_KEY = "crm_migration_settled_scoring"
# leads scored at a time: one read of their scoring values and one write
CHUNK = 2000
# the stored fields a lead's probability makes, and crm's computes of them
# (the batches' too: loader.bulk_lead_values, loader.bulk_probability)
PRORATED = {
    "prorated_revenue": "_compute_prorated_revenue",
    "recurring_revenue_monthly_prorated": "_compute_recurring_revenue_monthly_prorated",
    "recurring_revenue_prorated": "_compute_recurring_revenue_prorated",
}
# each with crm's computes its column's value is made by: its own, and the
# lead's currency's (the Monetary column rounds by it)
PRORATED_OWN = {
    name: {method: LEAD, "_compute_company_currency": LEAD}
    for name, method in PRORATED.items()
}


def prorated_revenue(expected, probability):
    """crm.lead ``_compute_prorated_revenue`` of a lead of ``expected``
    revenue at ``probability`` (before the Monetary column rounds it)."""
    return round((expected or 0.0) * (probability or 0) / 100.0, 2)


def company_currency(env, company_id, memo):
    """crm.lead ``_compute_company_currency`` of a lead of ``company_id``: the
    company's currency, else the environment company's; kept in ``memo``."""
    if company_id not in memo:
        company = env["res.company"].browse(company_id or [])
        # sudo: Odoo computes it as the superuser (compute_sudo)
        company = (company or env.company).sudo()
        memo[company_id] = company.currency_id
    return memo[company_id]


def object_leads(env, run, omap):
    """(ids of the leads this run created for ``omap``, whether some of them
    are won or lost)."""
    if omap.model_name != "crm.lead":
        return [], False
    env.flush_all()
    env.cr.execute(
        SQL(
            "SELECT l.id, NOT l.active OR coalesce(s.is_won, false) "
            "FROM migration_ledger g JOIN crm_lead l ON l.id = g.res_id "
            "LEFT JOIN crm_stage s ON s.id = l.stage_id "
            "WHERE g.run_id = %s AND g.object_map_id = %s "
            "AND g.res_model = 'crm.lead' AND g.operation = 'create' "
            "AND NOT coalesce(g.rolled_back, false) ORDER BY l.id",
            run.id,
            omap.id,
        )
    )
    rows = env.cr.fetchall()
    return [lead_id for lead_id, _closed in rows], any(c for _i, c in rows)


class Teams:
    """The teams whose leads crm's naive Bayes scores from the table alone
    (``_pls_get_naive_bayes_probabilities``): a team of the table with a row
    of the first stage of every team (its won and lost totals), and a team
    not in the table when the table has such a row (its leads are scored
    with every team's rows). A team of the table without that row has no
    totals: the first of its leads in a call is not scored and the next
    ones are scored with the totals of the team scored before them, which
    depends on the other leads of the call; such leads are left to Odoo."""

    def __init__(self, env):
        env["crm.lead.scoring.frequency"].flush_model()
        first = env["crm.stage"].search(
            [("team_id", "=", False)], order="sequence, id", limit=1
        )
        env.cr.execute(
            SQL(
                "SELECT team_id, bool_or(variable = 'stage_id' AND value = %s) "
                "FROM crm_lead_scoring_frequency GROUP BY team_id",
                str(first.id),
            )
        )
        rows = env.cr.fetchall() if first else []
        self.listed = {team for team, _first in rows if team}
        self.totalled = {team or 0 for team, first_row in rows if first_row}
        self.pooled = bool(self.totalled)

    def safe(self, team_id):
        """Whether a lead of ``team_id`` (or none) is scored alike in any call."""
        if team_id in self.listed:
            return team_id in self.totalled
        return self.pooled


def unscored(env, ids):
    """The leads of ``ids`` with no probability yet whose team is ``safe``."""
    env.cr.execute(
        SQL(
            "SELECT id, team_id FROM crm_lead WHERE id = ANY(%s) "
            "AND probability IS NULL ORDER BY id",
            ids,
        )
    )
    rows = env.cr.fetchall()
    if not rows:
        return []
    teams = Teams(env)
    return [lead_id for lead_id, team in rows if teams.safe(team)]


def settle(env, run, omap, commit=None):
    """Score the object's leads from the frequencies as they are now, a
    chunk at a time (``commit``: called after each chunk, a long run's
    per-batch commit); the number of leads scored."""
    ids, closed = object_leads(env, run, omap)
    return settle_leads(env, ids, closed, commit)


def settle_leads(env, ids, closed, commit=None):
    """Score the leads of ``ids``, all of them if ``closed`` (some of them
    are won or lost: the table moved while they were loaded), else those the
    batches left (``unscored``)."""
    if not closed:
        # the table is the one the batches scored with: only what they left
        ids = unscored(env, ids) if ids else []
    Lead = env["crm.lead"].with_context(active_test=False, tracking_disable=True)
    for chunk in split_every(CHUNK, ids):
        # the leads as stored (a value the cache holds may be rounded
        # otherwise than the column: a Monetary amount of a new record)
        env.invalidate_all()
        score(Lead.browse(chunk))
        env.invalidate_all()
        if commit:
            commit()
    return len(ids)


def score(leads):
    """``crm.lead._compute_probabilities`` of ``leads`` (Odoo's own naive
    Bayes), written in one UPDATE: the automated probability of each lead
    scored, its probability when it followed the automated one, and what
    follows from the probability (the prorated revenues), as a write of it
    recomputes them (``Prorated``)."""
    env = leads.env
    found = leads._pls_get_naive_bayes_probabilities()
    prorated = Prorated(leads)
    rows = []
    for lead_id, active, probability, automated_before, *figures in stored(
        leads.browse([i for i in leads.ids if i in found])
    ):
        automated = found[lead_id]
        followed = active and float_compare(probability, automated_before, 2) == 0
        probability = automated if followed else probability
        rows.append(
            (lead_id, automated, followed, *prorated.values(figures, probability))
        )
    if not rows:
        return
    columns = ["automated_probability", "probability", *prorated.names]
    arrays = [list(column) for column in zip(*rows, strict=True)]
    # a lead that stores these values already is not written (a won deal
    # scored 100 again): the same row, as Odoo's flush writes only what
    # changed, without a new version of the row in each of crm_lead's indexes
    names = [SQL.identifier(name) for name in prorated.names]
    env.cr.execute(
        SQL(
            "UPDATE crm_lead AS l SET automated_probability = v.a, "
            "probability = CASE WHEN v.f THEN v.a ELSE l.probability END%s "
            "FROM unnest(%s::int[], %s::float8[], %s::bool[]%s) "
            "AS v(id, a, f%s) WHERE l.id = v.id "
            "AND (l.automated_probability, l.probability%s) IS DISTINCT FROM "
            "(v.a, CASE WHEN v.f THEN v.a ELSE l.probability END%s)",
            SQL("").join(SQL(", %s = v.%s", name, name) for name in names),
            *arrays[:3],
            SQL("").join(SQL(", %s::numeric[]", array) for array in arrays[3:]),
            SQL("").join(SQL(", %s", name) for name in names),
            SQL("").join(SQL(", l.%s", name) for name in names),
            SQL("").join(SQL(", v.%s", name) for name in names),
        )
    )  # fmt: skip
    scored = leads.browse([row[0] for row in rows])
    scored.invalidate_recordset(columns)
    if not prorated.names:
        # another module's field follows the probability: Odoo recomputes
        scored.modified(["probability", "automated_probability"])
        env.flush_all()


# what score reads of a lead: its flag and probabilities, then what its
# prorated revenues are made of (Prorated.values)
STORED = (
    "active",
    "probability",
    "automated_probability",
    "expected_revenue",
    "recurring_revenue_monthly",
    "recurring_revenue",
    "company_id",
)


def stored(leads):
    """[(id, *STORED)] of ``leads`` as the ORM gives them (a number stored
    NULL is 0.0, a flag false, a company its id or False), in one query:
    not a record read per lead and field."""
    if not leads:
        return []
    leads.flush_recordset(list(STORED))
    leads.env.cr.execute(
        SQL(
            "SELECT id, coalesce(active, false), coalesce(probability, 0), "
            "coalesce(automated_probability, 0), coalesce(expected_revenue, 0), "
            "coalesce(recurring_revenue_monthly, 0), coalesce(recurring_revenue, 0), "
            "coalesce(company_id, 0) FROM crm_lead WHERE id = ANY(%s) ORDER BY id",
            leads.ids,
        )
    )
    return [(*row[:-1], row[-1] or False) for row in leads.env.cr.fetchall()]


class Prorated:
    """The stored fields a lead's probability makes, when they are crm's
    prorated revenues only (no other module's field follows it): their
    values as ``_compute_prorated_revenue`` and the recurring ones compute
    them and as the Monetary column stores them (rounded by the lead's
    company currency, ``_compute_company_currency``). ``names`` is empty
    otherwise: Odoo recomputes them."""

    def __init__(self, leads):
        self.env = leads.env
        model = leads.browse()
        tree = model.pool.get_trigger_tree(
            [model._fields["probability"], model._fields["automated_probability"]]
        )
        stored = {field.name for field in tree.root if field.store}
        ok = (
            not any(overridden(model, name, PRORATED_OWN) for name in PRORATED)
            and not len(tree)
            and stored == set(PRORATED)
        )
        self.names = list(PRORATED) if ok else []
        self._currencies = {}

    def values(self, figures, probability):
        """The column values of ``names`` for a lead of ``figures`` (its
        expected revenue, monthly recurring revenue, recurring revenue and
        company id, as ``stored`` reads them) at ``probability``."""
        if not self.names:
            return ()
        expected, monthly, recurring, company_id = figures
        currency = company_currency(self.env, company_id, self._currencies)
        chance = probability or 0
        made = (
            prorated_revenue(expected, chance),
            (monthly or 0.0) * chance / 100.0,
            (recurring or 0.0) * chance / 100.0,
        )
        return tuple(self._column(value, currency) for value in made)

    @staticmethod
    def _column(value, currency):
        """A Monetary value as Odoo caches (rounded when not 0) and then
        stores it (rounded again, written with the currency's decimals)."""
        value = float(value or 0.0)
        if value and currency:
            value = currency.round(value)
        if currency:
            return float_repr(currency.round(value), currency.decimal_places)
        return value
