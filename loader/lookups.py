"""Lookups (engine.lookup): the values a row takes from the row of another
file it names, as its source system declares them (a recipient's campaign
dates, team and owner from the campaigns file)."""

from types import SimpleNamespace

from odoo import _
from odoo.fields import Command
from odoo.tools import SQL

from ..engine import transform as tf
from ..engine.lookup import LookupIndex
from ..engine.match import norm_email, norm_text
from ..engine.sources.base import get_source
from .common import issue
from .stream import stream


class Lookups:
    """The declared lookups of one target, over the run's staged rows."""

    def __init__(self, env, cache, resolver, target):
        self.env = env
        self.cache = cache
        self.resolver = resolver
        self.source = get_source(cache.project.system or "generic")
        self.lookups = [lk for lk in self.source.lookups if lk.target == target]
        self._indexes = None

    def indexes(self):
        """[LookupIndex] over the staged rows of the looked-up files."""
        if self._indexes is None:
            self._indexes = []
            for lookup in self.lookups:
                sources = [
                    src.id
                    for src in self.cache.project.source_ids
                    if self.source.file_kinds.of(
                        SimpleNamespace(
                            name=src.name, sheet=None, headers=src.headers or ()
                        )
                    )
                    == lookup.kind
                ]
                # streamed: the index keeps the rows it finds by a key only
                rows = (
                    data or {}
                    for (data,) in stream(
                        self.env,
                        SQL(
                            "SELECT data FROM migration_staging_row "
                            "WHERE source_id = ANY(%s) ORDER BY source_id, line, id",
                            sources,
                        ),
                    )
                )
                self._indexes.append(LookupIndex(lookup, rows))
        return self._indexes

    def apply(self, prepared):
        """Fill each prepared row from the rows it names (only the values the
        row does not give itself: the campaign's owner is a fallback)."""
        if not self.lookups or not prepared:
            return
        Staging = self.env["migration.staging.row"]
        data = {
            r.id: r.data or {} for r in Staging.browse([p.row_id for p in prepared])
        }
        for index in self.indexes():
            for prep in prepared:
                if not prep.held and not prep.skipped:
                    self._apply_one(index, prep, data.get(prep.row_id, {}))

    def _apply_one(self, index, prep, row):
        column, ref, found = index.find(row)
        if ref and found is None:
            prep.issues.append(
                issue(
                    "missing_parent",
                    column,
                    ref,
                    _(
                        "No single %(kind)s row is named %(ref)s: its values were "
                        "not taken.",
                        kind=index.lookup.kind,
                        ref=ref,
                    ),
                )
            )
            return
        for fname, (col, cell) in index.values(found).items():
            if prep.vals.get(fname) and fname not in prep.defaults:
                continue  # the row's own value wins
            value = self._value(prep, fname, col, cell)
            if value:
                prep.vals[fname] = value
                prep.defaults.discard(fname)

    def _value(self, prep, fname, column, cell):
        """A looked-up cell as the value of ``fname`` on the row's record."""
        model = self.env["crm.lead"] if prep.model is None else self.env[prep.model]
        field = model._fields.get(fname)
        if field is None:
            return None
        if fname == "user_id":
            users = self.cache.users
            user_id = users.get(norm_email(cell)) or users.get(norm_text(cell))
            if not user_id:
                prep.issues.append(
                    issue(
                        "unknown_owner",
                        column,
                        cell,
                        _("No Odoo user matches the owner '%(owner)s'.", owner=cell),
                    )
                )
            return user_id
        if field.type == "many2one":
            return self._named(field.comodel_name, cell)
        if field.type == "many2many":
            return [Command.link(self._named(field.comodel_name, cell))]
        try:
            return tf.apply(field.type if field.type == "date" else "text", cell)
        except ValueError as exc:
            prep.issues.append(issue("invalid_value", column, cell, str(exc)))
            return None

    def _named(self, model, name):
        """The record called ``name`` (created, and booked, when missing)."""
        names = self.cache.names_of(model)
        key = norm_text(name)
        if key not in names:
            vals = {"name": name.strip()}
            if model == "crm.team":
                vals["company_id"] = self.cache.project.company_id.id
            names[key] = self.resolver.create_value(model, vals).id
        return names[key]
