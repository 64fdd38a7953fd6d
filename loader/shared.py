"""Side effects that the batches of one object share, written once per object
in a parallel run (issue 18) instead of by every batch.

Two batches of an object loaded side by side by two workers must not write
the same row: PostgreSQL refuses the second writer ("could not serialize
access due to concurrent update") and queue_job tries its whole batch again.
The rows found shared in the workers' logs (tests/test_parallel_shared.py):

- ``migration_review_issue``: a review item's counts (rows, open rows,
  records, held rows) and state are stored computes of the review rows, so every batch
  with a row of one item (an unknown owner, a bad amount on rows of every
  batch) rewrote that item's counts;
- ``crm_lead_scoring_frequency``: a deal created won or lost adds to the
  predictive lead scoring frequencies (``crm.lead._pls_increment_frequencies``,
  one row per variable, value and team): every batch with a won or lost deal
  of one stage, team or source rewrote the same rows.

In a batch job both are kept aside: the items' counts are protected (not
recomputed; an item the batch creates is its own), the frequencies the
batch's won and lost leads add are computed as Odoo computes them and recorded
on the batch (``migration.run.batch.deferred_scoring``). The object's job,
after its batches, adds them up and writes them, and recounts the items once.
Increments add up: the frequencies are those of a synchronous run.
"""

import json
from contextlib import contextmanager

from odoo.tools import SQL

# the context key that makes crm.lead record its scoring increments on a batch
BATCH_KEY = "crm_migration_batch_id"
ISSUE_COUNTS = ("occurrence_count", "open_count", "record_count", "row_held_count")


def _count_fields(env):
    """The item fields its counts' compute method assigns (its state too):
    Odoo computes them together, so all of them are protected or none."""
    Issue = env["migration.review.issue"]
    field = Issue._fields[ISSUE_COUNTS[0]]
    return list(Issue.pool.field_computed.get(field, [field]))


@contextmanager
def batch_effects(env, run, batch):
    """The environment a parallel batch loads in: its review items' counts
    protected, its leads' scoring increments recorded on ``batch``."""
    # sudo: the items are the project's queue; the loader books them
    issues = (
        env["migration.review.issue"]
        .sudo()
        .search([("project_id", "=", run.project_id.id)])
    )
    counts = _count_fields(env)
    with env.protecting(counts, issues):
        batch_env = env(context=dict(env.context, **{BATCH_KEY: batch.id}))
        yield batch_env
        # the review rows' own computed fields are computed at the flush, and
        # what they change would mark the items' counts: flushed while those
        # are protected, and nothing of them left to compute
        batch_env.flush_all()
        for field in counts:
            env.remove_to_compute(field, issues)


def record_scoring(env, leads, from_state, to_state):
    """Keep aside the scoring increment of ``leads`` (see crm.lead) on the
    batch of the context, in the batch's own transaction: the frequencies
    Odoo would add, computed now as ``_pls_increment_frequencies`` computes
    them (the leads as created: a lead's create date is the source's once the
    batch is booked, which would make it too old for the scoring)."""
    new_by_team, _existing = leads._pls_prepare_update_frequency_table(
        target_state=from_state or to_state
    )
    frequencies = {str(team): freqs for team, freqs in new_by_team.items() if freqs}
    if frequencies:
        defer_scoring(env, {"step": 1 if to_state else -1, "frequencies": frequencies})


def defer_scoring(env, entry):
    """Keep one scoring increment ``{"step": 1 or -1, "frequencies": {team:
    {variable: {value: {"won": n, "lost": n}}}}}`` on the batch of the
    context, for its object's job (apply_object_effects)."""
    env.cr.execute(
        SQL(
            "UPDATE migration_run_batch SET deferred_scoring = "
            "coalesce(deferred_scoring, '[]'::jsonb) || jsonb_build_array(%s::jsonb) "
            "WHERE id = %s",
            json.dumps(entry),
            env.context[BATCH_KEY],
        )
    )
    env["migration.run.batch"].invalidate_model(["deferred_scoring"])


def apply_object_effects(env, run, batches):
    """The object's shared side effects, once: its batches' scoring
    frequencies added up and written, the project's items recounted."""
    totals = {1: {}, -1: {}}  # step -> team -> variable -> value -> counts
    for batch in batches:
        for entry in batch.deferred_scoring or ():
            by_team = totals[entry["step"]]
            for team, variables in entry["frequencies"].items():
                team_totals = by_team.setdefault(int(team), {})
                for variable, values in variables.items():
                    slot = team_totals.setdefault(variable, {})
                    for value, counts in values.items():
                        total = slot.setdefault(value, {"won": 0, "lost": 0})
                        total["won"] += counts["won"]
                        total["lost"] += counts["lost"]
    Lead = env["crm.lead"]
    for step, by_team in totals.items():
        if by_team:
            Lead._pls_update_frequency_table(
                by_team, step, existing_frequencies_by_team=frequencies_of(env, by_team)
            )
    recount_issues(env, run.project_id)


def frequencies_of(env, by_team):
    """The frequency rows of these teams' variables, as
    ``crm.lead._pls_prepare_update_frequency_table`` reads them."""
    variables = sorted({v for variables in by_team.values() for v in variables})
    teams = [team for team in by_team if team]
    # sudo: the scoring table is Odoo's own, written as crm.lead writes it
    rows = (
        env["crm.lead.scoring.frequency"]
        .sudo()
        .search_read(
            [
                ("variable", "in", variables),
                "|",
                ("team_id", "in", teams),
                ("team_id", "=", False),
            ]
        )
    )
    out = {}
    for row in rows:
        team = row["team_id"][0] if row["team_id"] else 0
        slot = out.setdefault(team, {variable: {} for variable in variables})
        slot[row["variable"]][row["value"]] = {
            "frequency_id": row["id"],
            "won": row["won_count"],
            "lost": row["lost_count"],
        }
    return out


def recount_issues(env, project):
    """The counts of the project's review items, from their rows (one read
    per count, see migration.review.issue._compute_counts)."""
    # sudo: the items are the project's queue, counted for the run that booked
    # them, whatever record rules the user running it has
    issues = (
        env["migration.review.issue"].sudo().search([("project_id", "=", project.id)])
    )
    counts = _count_fields(env)
    for field in counts:
        env.add_to_compute(field, issues)
    issues.flush_recordset([field.name for field in counts])
