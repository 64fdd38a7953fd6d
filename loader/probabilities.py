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
"""

from odoo.tools import SQL, split_every

# leads scored at a time: one read of their scoring values and one write
CHUNK = 2000


def object_leads(env, run, omap):
    """Ids of the leads this run created for ``omap``, when some of them are
    won or lost (none: the table did not move while they were loaded)."""
    if omap.model_name != "crm.lead":
        return []
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
    return [lead_id for lead_id, _closed in rows] if any(c for _i, c in rows) else []


def settle(env, run, omap, commit=None):
    """Score the object's leads from the frequencies as they are now, a
    chunk at a time (``commit``: called after each chunk, a long run's
    per-batch commit); the number of leads scored."""
    ids = object_leads(env, run, omap)
    Lead = env["crm.lead"].with_context(active_test=False, tracking_disable=True)
    fields_ = [Lead._fields["automated_probability"], Lead._fields["probability"]]
    for chunk in split_every(CHUNK, ids):
        leads = Lead.browse(chunk)
        for field in fields_:
            env.add_to_compute(field, leads)
        # Odoo's own compute, for the chunk at once (and what follows from it:
        # prorated revenues), written by the flush
        leads.flush_recordset([field.name for field in fields_])
        env.flush_all()
        env.invalidate_all()
        if commit:
            commit()
    return len(ids)
