"""One batch of one object map, through the pieces: prepare, the handler's
pre hook (resolve), classify, write (create / merge / update through the one
writer per model), the handler's post hooks, book."""

from dataclasses import dataclass, field

from odoo import _

from .book import Book
from .classify import Classifier, review_decisions
from .common import COUNTS, NOT_INVALID, issue, jsonable, snapshot
from .digits import Rounding
from .handlers import handler_for
from .leftovers import Leftovers
from .prepare import Preparer, compiled_field_maps
from .resolve import Resolver
from .select import batch_rows
from .writer import Writer


@dataclass
class Tally:
    """What one batch did: counts, ledger rows, row states, held rows."""

    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    ledger: list = field(default_factory=list)
    row_states: dict = field(default_factory=dict)  # state -> [row ids]
    held: list = field(default_factory=list)  # [Prepared]
    created: list = field(default_factory=list)  # [(Prepared, record)]
    created_ids: dict = field(default_factory=dict)  # id(Prepared) -> res_id
    updated: list = field(default_factory=list)  # [(Prepared, record, before)]

    def row(self, state, prep):
        self.row_states.setdefault(state, []).append(prep.row_id)

    def hold(self, prep, problem):
        prep.held = problem
        self.held.append(prep)


class BatchLoader:
    """Loads the batches of one object map of a run, over the run cache."""

    def __init__(self, env, cache, run, omap, line):
        self.env = env
        self.cache = cache
        self.omap = omap
        self.line = line
        self.writer = Writer(env, bulk=cache.project.bulk_write)
        self.resolver = Resolver(env, cache, self.writer)
        self.preparer = Preparer(env, cache, self.resolver)
        self.classifier = Classifier(env, cache)
        self.book = Book(env, run, omap, bulk=cache.project.bulk_write)
        self.handler = handler_for(omap.target, omap)(env, cache, self.resolver)
        # read once: the preparation reads them for every cell
        self.fmaps = compiled_field_maps(omap)
        self.leftovers = Leftovers(omap, run) if omap.converted else None
        self.rounding = Rounding(env, cache.project.company_id)

    def prepare(self, rows):
        """The batch's rows prepared and resolved (the handler's pre hook),
        with the corrections people made in the review queue; returns
        (prepared rows, review decisions)."""
        rows = batch_rows(self.env, rows.ids)
        decisions = review_decisions(self.env, rows)
        self.cache.corrections = {
            row_id: d.corrections for row_id, d in decisions.items()
        }
        prepared = self.handler.prepare(self.preparer, self.omap, self.fmaps, rows)
        # what earlier batches and runs made of these rows' keys
        self.cache.fetch_keys(self.omap, [prep.key for prep in prepared])
        self.handler.resolve(self.omap, prepared)
        if self.omap.converted and self.fmaps:
            self.preparer.add_mapped(self.omap, self.fmaps, prepared)
        # a number with more decimals than its field keeps: written rounded,
        # one review item per cell (never a silent change)
        self.rounding.check(self.omap, prepared, self.fmaps)
        if self.leftovers:
            # the cells no rule reads, kept in the record's text (or reviewed
            # by the run's cell check): never dropped without a word
            self.leftovers.keep(prepared)
        if self.omap.extends_only:
            for prep in prepared:
                prep.quiet = True
        return prepared, decisions

    def load(self, rows):
        """Load one batch of staging rows; returns its Tally (what the batch
        did, as booked)."""
        prepared, decisions = self.prepare(rows)
        tally = Tally()
        tally.counts["read"] = len(prepared)
        sorted_rows = self.classifier.classify(self.omap, prepared, decisions)
        tally.held += sorted_rows.held
        self.create(sorted_rows.creates, tally)
        self.handler.pre_write(self.omap, self._written_ids(sorted_rows))
        for prep, target in sorted_rows.merges:
            self.merge(prep, target, sorted_rows.matched, tally)
        for prep, res_id in sorted_rows.updates:
            self.update(prep, res_id, tally)
        self.handler.post_create(self.omap, tally.created)
        self.handler.post_write(self.omap, tally.updated)
        self.book_batch(prepared, sorted_rows.skipped, tally)
        self.cache.end_batch()  # booked: the ledger holds the batch's keys
        return tally

    @staticmethod
    def _written_ids(sorted_rows):
        """Ids of the records already in Odoo that the batch updates or merges into."""
        ids = {res_id for _prep, res_id in sorted_rows.updates}
        for _prep, target in sorted_rows.merges:
            ids.add(
                target
                if isinstance(target, int)
                else sorted_rows.matched.get(id(target))
            )
        return sorted(i for i in ids if i)

    # ------------------------------------------------------------ create
    def create(self, creates, tally):
        failed = []
        models = dict.fromkeys(p.model or self.omap.model_name for p in creates)
        for model_name in models:
            ok, bad = self.writer.create(
                self.writer.model(model_name),
                [p for p in creates if (p.model or self.omap.model_name) == model_name],
            )
            tally.created += ok
            failed += bad
        # the after-values and write dates of the batch, read field by field
        after = self.book.after(tally.created)
        for (prep, record), known in zip(tally.created, after, strict=True):
            self._created(prep, record, tally, known)
        tally.counts["created"] = len(tally.created)
        for prep, error in failed:
            tally.hold(
                prep,
                issue(
                    "error",
                    False,
                    False,
                    _("Odoo refused the row: %(error)s", error=error),
                ),
            )

    def _created(self, prep, record, tally, known):
        target = self.omap.target
        tally.created_ids[id(prep)] = record.id
        self.cache.remember_key(target, prep.key, record)
        if prep.dedupe:
            self.cache.dedupe.setdefault((target, prep.dedupe), record.id)
        self.handler.remember(prep, record)
        after_values, written_at = known
        tally.ledger.append(
            self.book.ledger_vals(
                prep,
                record,
                "create",
                after_values=after_values,
                written_at=written_at,
            )
        )
        tally.row("loaded", prep)

    # ------------------------------------------------------------ merge
    def merge(self, prep, target, matched, tally):
        """Write a row into the record it duplicates (only into empty fields,
        unless the project says update)."""
        res_id = (
            target
            if isinstance(target, int)
            else tally.created_ids.get(id(target)) or matched.get(id(target))
        )
        if not res_id:  # the row it merges into was refused
            tally.hold(
                prep,
                issue(
                    "duplicate",
                    False,
                    prep.dedupe or prep.key,
                    _(
                        "Duplicate of line %(line)s, which was not loaded.",
                        line=target.line,
                    ),
                ),
            )
            return
        record = self.writer.model(prep.model or self.omap.model_name).browse(res_id)
        vals = {k: v for k, v in prep.vals.items() if k not in prep.create_only}
        if prep.after.get("link_only"):
            vals = {}  # a record that was in Odoo before: linked, never written
        only_empty = self.cache.project.match_existing != "update"
        before, error = self.writer.update(record, vals, only_empty=only_empty)
        if error:
            reason = _("Odoo refused the merge: %(error)s", error=error)
            tally.hold(prep, issue("error", False, False, reason))
            return
        tally.row("merged", prep)
        merged_key = (self.omap.target, prep.key)
        if not before and merged_key in self.cache.merged:
            tally.counts["unchanged"] += 1  # merged by an earlier run, nothing new
            return
        self.cache.merged.add(merged_key)
        if prep.quiet:
            # an expected merge (a custom object row, a user or tag that
            # already exists): booked, not a review item
            if self.omap.extends_only and not before:
                self._values_lost(prep, record, vals)
        else:
            # visible: which source rows went into which record
            prep.issues.append(self._merged_issue(prep, record, target, matched))
        tally.ledger.append(
            self.book.ledger_vals(prep, record, "merge", before, before)
        )
        tally.counts["merged"] += 1

    def _values_lost(self, prep, record, vals):
        """A custom object row whose x_ values another row already wrote."""
        lost = {
            k: v
            for k, v in vals.items()
            if k.startswith("x_") and v not in (None, False, "")
        }
        if not lost or snapshot(record, list(lost)) == jsonable(lost):
            return
        prep.issues.append(
            issue(
                "duplicate",
                False,
                prep.dedupe or prep.key,
                _(
                    "%(record)s already has values from another "
                    "%(object)s row; this row's were not written: "
                    "%(values)s",
                    record=record.display_name,
                    object=self.omap.object_name,
                    values=", ".join(f"{k}={v}" for k, v in lost.items()),
                ),
            )
        )

    def _merged_issue(self, prep, record, target, matched):
        first_line = target.line if not isinstance(target, int) else None
        if id(prep) in matched:
            what = _("email or VAT as a partner already in Odoo")
        elif not prep.dedupe:
            what = _("key")
        elif self.omap.converted:
            what = _("name")
        else:
            what = _("email")
        return issue(
            "duplicate",
            False,
            prep.dedupe or prep.key,
            _(
                "Merged into %(record)s%(first)s: same %(what)s.",
                record=record.display_name,
                first=_(" (line %(line)s)", line=first_line) if first_line else "",
                what=what,
            ),
        )

    # ------------------------------------------------------------ update
    def update(self, prep, res_id, tally):
        """Write what the source says on the record an earlier run made."""
        key = (self.omap.target, prep.key)
        model_name = self.cache.key_models.get(key, self.omap.model_name)
        record = self.writer.model(model_name).browse(res_id)
        # an update writes what the source says, never a default over Odoo
        vals = {
            k: v
            for k, v in prep.vals.items()
            if k not in prep.defaults and k not in prep.create_only
        }
        vals.update({f: False for f in prep.cleared if f not in vals})
        before, error = self.writer.update(record, vals)
        if error:
            reason = _("Odoo refused the update: %(error)s", error=error)
            tally.hold(prep, issue("error", False, False, reason))
            return
        if before:
            self.handler.after_update(prep, record, before)
            tally.ledger.append(
                self.book.ledger_vals(prep, record, "update", before, before)
            )
            tally.counts["updated"] += 1
            tally.updated.append((prep, record, before))
        else:
            tally.counts["unchanged"] += 1
        tally.row("loaded", prep)

    # ------------------------------------------------------------ book
    def log_rule_skips(self, preps):
        """The rows a rule leaves out, each with its reason, in the run's log
        (no review item: nobody has to decide anything about them)."""
        for prep in preps:
            self.book.run._log(
                _(
                    "%(object)s line %(line)s not migrated: %(reason)s",
                    object=self.omap.object_name or self.omap.target,
                    line=prep.line,
                    reason=prep.skipped["reason"],
                )
            )

    def book_batch(self, prepared, skipped, tally):
        reviews = []
        for prep in prepared:
            for problem in prep.issues:
                tally.counts["invalid"] += problem["kind"] not in NOT_INVALID
                reviews.append(
                    self.book.review_vals(
                        prep,
                        problem,
                        held=False,
                        record_id=tally.created_ids.get(id(prep)),
                        res_model=prep.model,
                    )
                )
        for prep in tally.held:
            reviews.append(self.book.review_vals(prep, prep.held, held=True))
            tally.row("review", prep)
        for prep in skipped:
            tally.row("skipped", prep)
        self.log_rule_skips([p for p in skipped if p.skipped])
        tally.counts["review"] = len(tally.held)
        tally.counts["skipped"] = len(skipped)
        # the stages, tags... made for this batch come first: a rollback, newest
        # first, then removes the records using them before them
        made = self.book.auto_created_ledger(self.cache.take_auto_created())
        # many2many additions after the records they add: undone first
        added = self.book.added_ledger(self.handler.take_added())
        self.book.write_ledger(made + tally.ledger + added)
        self.book.create_reviews(reviews)
        self.book.original_dates(tally.created)
        self.book.row_states(
            tally.row_states,
            {p.row_id: (p.key, p.write_date) for p in prepared},
            # what the conversions read (Leftovers.keep), in the same UPDATE
            self.leftovers.take() if self.leftovers else None,
        )
        self.book.counts(self.line, tally.counts)
