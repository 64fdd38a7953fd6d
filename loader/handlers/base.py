"""The record handler: one per target, the hooks around the shared pipeline
(as OCA connector_importer's record handler with its pre/post create hooks).

The pipeline prepares rows (``prepare``), lets the handler resolve them
(``resolve``: the pre hook, before classification and writing), writes them
through the one writer per model, then calls ``remember`` for each created
record and the post hooks ``post_create`` and ``post_write``. A handler
overrides only the hooks its target needs."""

from odoo import _

from ...engine.sources.base import get_source
from ..common import error_text, issue


class RecordHandler:
    """Hooks of one target; the default does nothing beyond the pipeline."""

    target = None

    def __init__(self, env, cache, resolver):
        self.env = env
        self.cache = cache
        self.resolver = resolver
        self.partners = resolver.partners
        self.links = resolver.links
        self.writer = resolver.writer
        self.added_links = []  # [(prep, record, field, ids)] see added

    @property
    def project(self):
        return self.cache.project

    def prepare(self, preparer, omap, fmaps, rows):
        """Staging rows -> Prepared rows (field maps, or the source's converter)."""
        if omap.converted:
            return [preparer.prepare_converted(omap, row) for row in rows]
        return [preparer.prepare_row(omap, fmaps, row) for row in rows]

    def resolve(self, omap, prepared):
        """Pre hook: references and values of the batch's rows, before they
        are classified and written; a row that cannot load gets ``prep.held``."""

    def remember(self, prep, record):
        """A record was created for ``prep``: what later rows look it up by."""

    def added(self, prep, records, fname, ids):
        """``ids`` were added to the many2many ``fname`` of ``records`` (a
        segment's tag given to leads an earlier run made): booked per record, so
        a rollback of this run removes exactly them."""
        for record in records:
            self.added_links.append((prep, record, fname, sorted(ids)))

    def take_added(self):
        """The many2many additions since the last call (one batch's)."""
        added, self.added_links = self.added_links, []
        return added

    def pre_write(self, omap, res_ids):
        """Pre hook: the ids of the records already in Odoo that this batch is
        about to update or merge into (after its creates)."""

    def post_create(self, omap, created):
        """Post hook: [(prep, record)] created by this batch."""

    def post_write(self, omap, updated):
        """Post hook: [(prep, record, before-values)] updated by this batch."""

    def after_update(self, prep, record, before):
        """A row's record was updated (``before``: the values it changed),
        before its ledger row is booked: what this adds to ``before`` a
        rollback puts back (a file's previous content)."""

    # ------------------------------------------------------------ helpers
    def declared_values(self, prep, values):
        """Converted values the source system keeps in x_ fields of its own
        (Source.custom_fields), when the run made them."""
        spec = get_source(self.project.system or "generic")
        model = self.env[prep.model or prep.record.model]
        for value, name, _ttype, _label in spec.declared_fields(self.target):
            if value and values.get(value) not in (None, "") and name in model._fields:
                prep.vals[name] = values[value]

    @staticmethod
    def ready(prepared):
        """The converted rows still on their way (not held, converted)."""
        return [p for p in prepared if not p.held and p.record]

    def complete(self, preps, step, *args, created=False):
        """Run a post step under a savepoint; a failure is a review item of
        each of ``preps`` (the records stay as written), never the run's end."""
        try:
            with self.env.cr.savepoint():
                step(*args)
        except Exception as exc:  # noqa: BLE001 - booked for review
            self.env.invalidate_all()
            for prep in preps:
                prep.issues.append(self.not_completed(exc, created))

    def not_completed(self, exc, created=False):
        # a method, not a module function: _() finds the language in self.env
        if created:
            reason = _("Created, but not completed: %(error)s", error=error_text(exc))
        else:
            reason = _("Written, but not completed: %(error)s", error=error_text(exc))
        return issue("error", False, False, reason)
