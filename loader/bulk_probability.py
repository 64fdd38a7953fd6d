"""The probabilities of a batch of new leads whose object is scored once
after its last batch (loader.probabilities, issue 18).

crm computes a new lead's probability and automated probability at the
flush (``_compute_probabilities``: a naive Bayes over the batch's leads,
``_pls_get_naive_bayes_probabilities``, which reads every lead's values
through the ORM), then its prorated revenues from them, and writes them in
an UPDATE of every row. A batch of a settled object (``SETTLE_KEY``) is
scored again once the object is loaded, from the table its won and lost
leads made; its own scoring is redundant for an open lead. Here, as values
of the inserted row, for a lead given no probability:

- a lead given a won stage: 100, its probability too when it is active (the
  Bayes gives a won lead 100; an archived lead's probability is not set:
  NULL, its prorated revenues 0);
- a lead given an open stage: no probability and no automated probability
  yet (NULL, as create() leaves a lead its Bayes does not score), its
  prorated revenues 0; the object's pass scores it (``settle``: a lead with
  no probability is scored even when the object has no won or lost lead);
- a lead given no stage: left to Odoo (its stage is computed at the flush).

A lead given its probability and a won stage (a source's won deal: the lead
handler gives it 100) keeps it and gets its automated probability, which
create() leaves unset, as the pass gives it: 100 (its row then has nothing
the pass changes, and the pass does not write it).

Only when every lead left to the pass or to Odoo is of a team whose score
does not depend on the other leads scored with it (``probabilities.Teams``):
else the batch is scored by Odoo as create() scores it. Only while crm's own
methods compute these fields (``overridden``).
"""

from .bulk_computed import LEAD, overridden
from .probabilities import PRORATED as PRORATED_METHODS
from .probabilities import SETTLE_KEY, Teams

PRORATED = tuple(PRORATED_METHODS)

PROBABILITIES = {
    "probability": {
        "_compute_probabilities": LEAD,
        "_pls_get_naive_bayes_probabilities": LEAD,
        "_compute_is_automated_probability": LEAD,
    },
    **{name: {method: LEAD} for name, method in PRORATED_METHODS.items()},
}


class BatchProbabilities:
    """The probabilities of a batch's leads left to the object's pass."""

    def __init__(self, model):
        self.model = model
        self.on = bool(model.env.context.get(SETTLE_KEY)) and not any(
            overridden(model, fname, PROBABILITIES) for fname in PROBABILITIES
        )

    def fill(self, rows):
        """The values into the rows (in place) when the batch takes them; per
        row, the names filled."""
        if not self.on:
            return [set() for _row in rows]
        won = set(self.model.env["crm.stage"].search([("is_won", "=", True)]).ids)
        todo = [
            "probability" not in row
            and "automated_probability" not in row
            and not any(f in row for f in PRORATED)
            for row in rows
        ]
        # the leads Odoo or the object's pass scores: a team of theirs whose
        # score depends on the other leads makes create()'s own the only one
        teams = Teams(self.model.env)
        if not all(
            teams.safe(row.get("team_id") or 0)
            for row, do in zip(rows, todo, strict=True)
            if do and row.get("stage_id") not in won
        ):
            return [set() for _row in rows]
        return [
            self._row(row, won) if do else self._given(row, won)
            for row, do in zip(rows, todo, strict=True)
        ]

    @staticmethod
    def _given(row, won):
        """A lead given its probability keeps it (create() does not score
        it: its automated probability is not set). In a won stage, the
        object's pass gives it the automated probability 100 (crm's naive
        Bayes gives a won lead 100; the object has a won lead: the pass
        scores all its leads): inserted here, the pass finds nothing to
        write in its row."""
        if "automated_probability" in row or row.get("stage_id") not in won:
            return set()
        row["automated_probability"] = 100.0
        return {"automated_probability"}

    @staticmethod
    def _row(row, won):
        stage = row.get("stage_id")
        if not stage:
            return set()
        if stage in won:
            row["automated_probability"] = 100.0
            if row.get("active", True):
                row["probability"] = 100.0
                # its prorated revenue is the row's (bulk_lead_values)
                return {"probability", "automated_probability"}
        row.update(dict.fromkeys(PRORATED, 0.0))
        return {"probability", "automated_probability", *PRORATED}
