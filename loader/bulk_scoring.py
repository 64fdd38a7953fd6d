"""Predictive lead scoring of a batch of new leads, once per batch (issue 18).

``crm.lead.create`` calls ``_handle_won_lost(values)`` for every lead given a
stage or an active flag, and each lead reaching or leaving won or lost runs
``_pls_increment_frequencies``: a flush, two queries for the lead's values, a
read of every stage, a read of the frequency rows, then a write per row. Here,
for the whole batch: the same state changes found lead by lead (the rules of
``_handle_won_lost``), the leads' values read by Odoo's own
``_pls_get_lead_pls_values`` in one pair of queries, the stages read once, the
frequency rows read once, the leads' increments applied to them in the order
the per-lead calls apply them (``_pls_prepare_frequencies`` and
``_pls_update_frequency_table``: a row found is incremented and kept above
zero, a row not found is created at the increment plus 0.1, whatever the
step), then one UPDATE of the rows that changed and one create of the new
ones. The counts are kept in tenths (the table stores one decimal), so adding
them up in one go gives the values of the per-record path exactly.
"""

from collections import defaultdict

from odoo import fields
from odoo.tools import SQL

from .shared import BATCH_KEY, defer_scoring

# the state changes of one lead, in the order _handle_won_lost applies them:
# (name, from_state, to_state)
CHANGES = (
    ("reach_won", None, "won"),
    ("leave_won", "won", None),
    ("reach_lost", None, "lost"),
    ("leave_lost", "lost", None),
)
# fields counted even when empty (_pls_prepare_frequencies)
ALWAYS = ("email_state", "phone_state")


def lead_changes(lead, vals, won_stage_ids):
    """The state changes of ``lead`` created with ``vals``, as
    ``crm.lead._handle_won_lost`` finds them for one lead: names of CHANGES."""
    found = set()
    if "stage_id" in vals:
        if vals["stage_id"] in won_stage_ids:
            if lead.probability == 0:
                found.add("leave_lost")
            found.add("reach_won")
        elif lead.stage_id.id in won_stage_ids and lead.active:
            found.add("leave_won")
    if "active" in vals:
        if not vals["active"] and lead.active:
            if lead.stage_id.id in won_stage_ids:
                found.add("leave_won")
            found.add("reach_lost")
        elif vals["active"] and not lead.active:
            found.add("leave_lost")
    return [change for change in CHANGES if change[0] in found]


class BatchScoring:
    """The scoring frequencies a batch of new leads adds, written once."""

    def __init__(self, model):
        self.model = model
        self.env = model.env

    def apply(self, records, vals_list):
        """Add the frequencies of ``records`` (created with ``vals_list``) as
        their create() would, lead by lead; in a batch of a parallel run, keep
        them aside for the object's job instead (loader.shared)."""
        todo = self._todo(records, vals_list)
        if not todo:
            return
        leads = self.model.browse([lead_id for lead_id, _changes in todo])
        values = leads._pls_get_lead_pls_values(domain=[("id", "in", leads.ids)])
        stages = self.env["crm.stage"].search_read(
            [], ["sequence"], order="sequence, id"
        )
        steps = [
            (
                values[lead_id]["team_id"],
                increments_of(values[lead_id], from_state or to_state, stages),
                1 if to_state else -1,
            )
            for lead_id, changes in todo
            for _name, from_state, to_state in changes
        ]
        if self.env.context.get(BATCH_KEY):
            for entry in deferred(steps):
                defer_scoring(self.env, entry)
            return
        state = Frequencies(self.env, self._variables(values))
        for team, increments, step in steps:
            state.add(team, increments, step)
        state.write()

    def _todo(self, records, vals_list):
        """[(lead id, [changes])] of the leads the scoring counts, in order:
        a lead counts when created after the scoring's start date (a new
        lead's create date is the transaction's now, the source's date is the
        loader's and comes later: book.original_dates)."""
        start = self.model._pls_get_safe_start_date()
        now = self.env.cr.now()
        if not start or fields.Date.to_date(start) > now.date():
            return []
        given = [
            (lead, vals)
            for lead, vals in zip(records, vals_list, strict=True)
            if "stage_id" in vals or "active" in vals
        ]
        if not given:
            return []
        won = self.env["crm.stage"].search([("is_won", "=", True)]).ids
        # what lead_changes reads, fetched alone: read first, one of them
        # would fetch every column of the new leads
        self.model.browse([lead.id for lead, _vals in given]).fetch(
            ["probability", "stage_id", "active"]
        )
        todo = []
        for lead, vals in given:
            changes = lead_changes(lead, vals, won)
            if changes:
                todo.append((lead.id, changes))
        return todo

    @staticmethod
    def _variables(values):
        names = {field for v in values.values() for field, _value in v["values"]}
        names.discard("probability")
        return sorted(names)


def increments_of(lead_values, target_state, stages):
    """{(variable, value): (won, lost)} that one lead adds in
    ``target_state`` (``_pls_prepare_frequencies`` of one lead)."""
    won = 1 if target_state == "won" else 0
    lost = 1 if target_state == "lost" else 0
    out = defaultdict(lambda: [0, 0])
    sequences = {stage["id"]: stage["sequence"] for stage in stages}
    for field, value in lead_values["values"]:
        if field == "probability" or not (value or field in ALWAYS):
            continue
        if field == "stage_id":
            current = sequences[value]
            values = [
                stage["id"] for stage in stages if won or stage["sequence"] <= current
            ]
        else:
            values = [value]
        for one in values:
            slot = out[(field, str(one))]
            slot[0] += won
            slot[1] += lost
    return out


def deferred(steps):
    """The batch's increments added up per step, in the form
    ``loader.shared.apply_object_effects`` adds up the batches'."""
    totals = {}  # step -> team -> variable -> value -> counts
    for team, increments, step in steps:
        by_team = totals.setdefault(step, {}).setdefault(str(team), {})
        for (variable, value), (won, lost) in increments.items():
            slot = by_team.setdefault(variable, {}).setdefault(
                value, {"won": 0, "lost": 0}
            )
            slot["won"] += won
            slot["lost"] += lost
    return [
        {"step": step, "frequencies": frequencies}
        for step, frequencies in sorted(totals.items(), reverse=True)
    ]


class Frequencies:
    """The frequency rows of some variables, in tenths, as the per-lead
    updates leave them; written once."""

    def __init__(self, env, variables):
        self.env = env
        self.rows = {}  # (team, variable, value) -> [id or None, won, lost]
        self.changed = set()
        if not variables:
            return
        Frequency = env["crm.lead.scoring.frequency"]
        Frequency.flush_model()
        env.cr.execute(
            SQL(
                "SELECT id, team_id, variable, value, won_count, lost_count "
                "FROM crm_lead_scoring_frequency WHERE variable = ANY(%s) ORDER BY id",
                variables,
            )
        )
        for row_id, team, variable, value, won, lost in env.cr.fetchall():
            # a later row of the same key is the one the per-lead read keeps
            self.rows[(team or 0, variable, value)] = [
                row_id,
                round(float(won) * 10),
                round(float(lost) * 10),
            ]

    def add(self, team, increments, step):
        """One lead's increments of one state change (_pls_update_frequency_table)."""
        for (variable, value), (won, lost) in increments.items():
            key = (team, variable, value)
            row = self.rows.get(key)
            if row is None:
                self.rows[key] = [None, 10 * won + 1, 10 * lost + 1]
            else:
                row[1] = max_tenth(row[1] + 10 * won * step)
                row[2] = max_tenth(row[2] + 10 * lost * step)
            self.changed.add(key)

    def write(self):
        updates = []
        creates = []
        for key in self.changed:
            row_id, won, lost = self.rows[key]
            if row_id:
                updates.append((row_id, won / 10, lost / 10))
            else:
                team, variable, value = key
                creates.append(
                    {
                        "variable": variable,
                        "value": value,
                        "won_count": won / 10,
                        "lost_count": lost / 10,
                        "team_id": team or None,
                    }
                )
        # sudo: the scoring table is Odoo's own, written as crm.lead writes it
        Frequency = self.env["crm.lead.scoring.frequency"].sudo()
        if updates:
            self._update(Frequency, sorted(updates))
        if creates:
            Frequency.create(
                sorted(
                    creates,
                    key=lambda v: (v["team_id"] or 0, v["variable"], v["value"]),
                )
            )

    def _update(self, Frequency, updates):
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead_scoring_frequency AS f SET won_count = v.w, "
                "lost_count = v.l, write_uid = %s, write_date = %s "
                "FROM (VALUES %s) AS v(id, w, l) WHERE f.id = v.id",
                self.env.uid,
                self.env.cr.now(),
                SQL(", ").join(updates),
            )
        )
        Frequency.invalidate_model(
            ["won_count", "lost_count", "write_uid", "write_date"]
        )


def max_tenth(tenths):
    """A count kept above zero, as _pls_update_frequency_table keeps it."""
    return tenths if tenths > 0 else 1
