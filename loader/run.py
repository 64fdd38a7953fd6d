"""A run: object maps in dependency order, each in batches of staging rows,
one savepoint a batch (and one commit a batch in a command-line or
background run)."""

from array import array

from odoo import _
from odoo.tools import split_every

from ..engine import plan
from ..engine.sources.base import get_source
from . import heap, probabilities, statistics
from .batch import BatchLoader
from .cache import RunCache
from .common import can_commit
from .custom_fields import CustomFields
from .custom_models import CustomModels
from .select import RowSelector

CHATTER_TARGETS = ("note", "activity")


def ordered_maps(project):
    """The project's loadable object maps in load order (engine.plan)."""
    omaps = project.object_map_ids.filtered(lambda m: m.target and m.source_id)
    order = plan.order(list(dict.fromkeys(omaps.mapped("target"))))
    return omaps.sorted(
        lambda m: (
            order.index(m.target),
            m.extends_only or m.own_model,
            m.sequence,
            m.id,
        )
    )


class RunLoader:
    """Loads one migration.run (as queue_job's Job beside its model)."""

    def __init__(self, env, run, commit=False, resume=False):
        self.env = env
        self.run = run
        self.do_commit = can_commit(env, commit)
        self.resume = resume
        # keys of the lines already in the run log (_log_once)
        self.fallbacks_logged = set()

    def load(self):
        # keys booked by an older version first: a re-run finds their records
        self.run.project_id._upgrade_keys()
        omaps = ordered_maps(self.run.project_id)
        self.custom_fields(omaps)
        cache = RunCache.build(self.env, self.run, omaps)
        per_object = self.select(omaps)
        self.run._write_book(
            {
                "total_rows": sum(len(ids) for ids in per_object.values()),
                # a number from the start: the page and the watchers read it
                # once the planned lines are committed
                "done_rows": self.run.done_rows or 0,
            }
        )
        if self.resume:
            per_object = self.left_to_load(per_object)
        # 8 bytes a row id for the whole run, not a Python int and a list slot
        per_object = {key: array("q", ids) for key, ids in per_object.items()}
        # every object's line at once: the run's page shows what is still to come
        lines = {
            omap.id: self.run_line(omap, seq, len(per_object[omap.id]))
            for seq, omap in enumerate(omaps, start=1)
        }
        self.run._notify_progress()
        if self.do_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        # the heap is frozen by the run around this (migration.run._execute)
        for omap in omaps:
            self.load_object(cache, omap, lines[omap.id], per_object[omap.id])
        return True

    def custom_fields(self, omaps):
        """The x_ models of the custom objects, the x_ fields the maps ask for
        and those the source declares, then the models' views and menus."""
        CustomModels(self.env).create(omaps)  # before their x_ fields
        CustomFields(self.env).create(
            omaps, get_source(self.run.project_id.system or "generic")
        )
        CustomModels(self.env).screens(omaps)  # with the fields just made
        # a new field or model set Odoo's registry up again, all of it made
        # anew inside the run's freeze: it joins the freeze (loader/heap.py)
        heap.refreeze()

    def left_to_load(self, per_object):
        """A resumed run loads only the rows its committed batches did not
        book: every row of a committed batch carries the run as its last run
        (loaded, merged, skipped or held), and a batch is all or nothing."""
        booked = set(
            self.env["migration.staging.row"]
            .search([("last_run_id", "=", self.run.id)])
            .ids
        )
        return {
            omap_id: [row_id for row_id in ids if row_id not in booked]
            for omap_id, ids in per_object.items()
        }

    def select(self, omaps):
        selector = RowSelector(self.env)
        per_object = selector.select(self.run, omaps)
        project = self.run.project_id
        for omap in omaps.filtered(lambda m: m.target in CHATTER_TARGETS):
            per_object[omap.id] = selector.oldest_first(
                omap, per_object[omap.id], project
            )
        return per_object

    def run_line(self, omap, seq, left):
        """The object's line of the run, with the rows it plans to read; a
        resumed run adds to the counts its committed batches left."""
        Line = self.env["migration.run.line"]
        line = Line.search(
            [("run_id", "=", self.run.id), ("object_map_id", "=", omap.id)], limit=1
        )
        if line:
            line._write_book({"planned_count": line.read_count + left})
            return line
        return Line._create_book(
            [
                {
                    "run_id": self.run.id,
                    "object_map_id": omap.id,
                    "sequence": seq,
                    "object_name": omap.object_name,
                    "target": omap.target,
                    "planned_count": left,
                }
            ]
        )

    def load_object(self, cache, omap, line, row_ids):
        self.run._log(
            _(
                "Loading %(object)s into %(model)s",
                object=omap.object_name,
                model=omap.model_name,
            )
        )
        cache.preload_keys(omap)
        # what the run keeps from its earlier objects (its caches and memos)
        # out of this object's full collections (loader/heap.py)
        heap.refreeze(collect=True)
        # the object's leads are scored once after its last batch (settle
        # below): its batches leave that to it (loader.bulk_probability)
        env = self.env(
            context=dict(self.env.context, **{probabilities.SETTLE_KEY: True})
        )
        batches = BatchLoader(env, cache, self.run, omap, line)
        Staging = self.env["migration.staging.row"]
        progress = self.env.context.get("migration_progress")
        done = 0
        for batch_ids in split_every(self.run.project_id.batch_size or 500, row_ids):
            # a batch is all or nothing: if it raises, none of its records
            # stays without its ledger rows (the run is then marked failed)
            with self.env.cr.savepoint():
                batches.load(Staging.browse(batch_ids))
                self.count_bulk(batches.writer)
            self.run._write_book({"done_rows": self.run.done_rows + len(batch_ids)})
            done += len(batch_ids)
            if progress:
                progress(omap.object_name, done, len(row_ids))
            self.run._notify_progress(omap.object_name)
            if self.do_commit:
                # the documented per-batch commit: a long run keeps what it
                # loaded if it stops, and the ledger makes the re-run resume
                self.env.cr.commit()  # pylint: disable=invalid-commit
        # the planner's statistics of what the object wrote, before its
        # leads are scored, the next objects look it up and the run's end
        # reads it back (loader/statistics.py)
        statistics.refresh(self.env, [omap.model_name], len(row_ids))
        # every lead of the object scored from the frequencies its won and
        # lost leads made, as a parallel run scores them (loader/probabilities)
        probabilities.settle(
            self.env,
            self.run,
            omap,
            commit=self.env.cr.commit if self.do_commit else None,
        )

    def count_bulk(self, writer):
        """The batch's rows written in bulk and through create() on the run; a
        log line the first time a model falls back for a reason."""
        bulk, fallbacks = writer.take_counts()
        self.run._write_book(
            {
                "bulk_rows": self.run.bulk_rows + bulk,
                "orm_fallback_rows": self.run.orm_fallback_rows
                + sum(fallbacks.values()),
            }
        )
        for (model_name, fname), why in sorted(writer.take_left().items()):
            self._log_once(
                ("computed", model_name, fname),
                _(
                    "%(model)s: %(field)s is computed by Odoo per record, not "
                    "by the bulk path (%(why)s)",
                    model=model_name,
                    field=fname,
                    why=why,
                ),
            )
        for model_name, reason in sorted(fallbacks):
            self._log_once(
                ("fallback", model_name, reason),
                _(
                    "%(model)s: a batch went through create() instead of the bulk "
                    "path (%(reason)s)",
                    model=model_name,
                    reason=reason,
                ),
            )

    def _log_once(self, key, message):
        """``message`` in the run log the first time ``key`` comes up."""
        if key not in self.fallbacks_logged:
            self.fallbacks_logged.add(key)
            self.run._log(message)
