"""18.0.1.2.0: migrated deals' dates and days counted from the source's creation.

Until this version a migrated lead's assignment date (``date_open``) and stage
date (``date_last_stage_update``) were the moment of the load, and its days to
assign and to close (``day_open``, ``day_close``) were counted from that moment,
not from the creation date the loader wrote from the source: a deal created in
2021 and won 51 days later showed some 2,000 days to close. New runs give them
the source's dates (loader/handlers/lead.py ``_source_dates``,
book.set_create_dates, bulk_lead_values). This puts the leads an earlier version
created right, as the new version would have written them:

- a date set by the load (inside its run's time window: from an hour before
  its recorded start, when its transaction may have begun, to its end) on a
  lead whose source creation date is older becomes that creation date (the stage date of a won
  lead: its closing date, as Odoo's move into a won stage sets both); a date
  set later by a person (a new owner, a stage change) is outside the window
  and is kept;
- the days are computed again by Odoo's own computes from those dates.

Leads rolled back, or created by a run whose creation date is not older than
the run, are not touched."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# the leads a run created with a source creation date older than the run,
# each with its run's window (the load's moments lie inside it)
MIGRATED_LEADS = SQL(
    """
    SELECT c.id, r.date_start, COALESCE(r.date_end, now() at time zone 'UTC')
      FROM crm_lead c
      JOIN migration_ledger l ON l.res_model = 'crm.lead' AND l.res_id = c.id
      JOIN migration_run r ON r.id = l.run_id
     WHERE l.operation = 'create' AND l.rolled_back IS NOT TRUE
       AND r.date_start IS NOT NULL AND c.create_date < r.date_start
    """
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.flush_all()
    cr.execute(
        SQL(
            """
        WITH m(id, date_start, date_end) AS (%s)
        UPDATE crm_lead c SET date_open = c.create_date
          FROM m
         WHERE m.id = c.id AND c.date_open BETWEEN m.date_start - interval '1 hour' AND m.date_end
        RETURNING c.id
        """,
            MIGRATED_LEADS,
        )
    )
    opened = {row[0] for row in cr.fetchall()}
    cr.execute(
        SQL(
            """
        WITH m(id, date_start, date_end) AS (%s)
        UPDATE crm_lead c SET date_last_stage_update = CASE
                WHEN s.is_won AND c.date_closed IS NOT NULL
                THEN GREATEST(c.create_date, c.date_closed)
                ELSE c.create_date END
          FROM m, crm_stage s
         WHERE m.id = c.id AND s.id = c.stage_id
           AND c.date_last_stage_update BETWEEN m.date_start - interval '1 hour' AND m.date_end
        RETURNING c.id
        """,
            MIGRATED_LEADS,
        )
    )
    staged = {row[0] for row in cr.fetchall()}
    cr.execute(SQL("SELECT id FROM (%s) AS m", MIGRATED_LEADS))
    leads = (
        env["crm.lead"]
        .with_context(active_test=False)
        .browse(sorted({row[0] for row in cr.fetchall()}))
    )
    leads.invalidate_recordset(["date_open", "date_last_stage_update"])
    # Odoo's own computes (and any override of them) count the days again
    leads.modified(["create_date", "date_open"])
    leads.flush_recordset()
    _logger.info(
        "crm_migration: %s migrated leads' days recomputed from their source "
        "creation dates (%s assignment dates, %s stage dates set back to it)",
        len(leads),
        len(opened),
        len(staged),
    )
