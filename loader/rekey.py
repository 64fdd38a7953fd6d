"""Ledger keys written by an older version, rewritten to today's format.

The ledger finds the record a source row became by (project, target, source
key); a run written by an older version booked its rows under the keys of
that version, so a re-run (full or delta) of the same data with a newer key
format would find nothing and create every record again. Each project
remembers the key format its ledger is written in (``key_version``); before
any run or re-upload, a project older than :data:`KEY_VERSION` is upgraded:
every staging row a run booked (its stored ``source_key`` is the key the old
version computed) gets the key today's code computes from the same raw values,
and the ledger rows booked under the old key follow it.

Key versions:

1. until 2026-12-07: quotes and orders (and their lines) shared one id space
   (``id:<N>``); a company keyed by its name used the first company-name
   normaliser (``&`` dropped, a shorter list of legal suffixes, ``S A`` kept
   as two words).
2. a quote's and an order's ids are keys of their own object
   (``id:quotes:<N>``, ``id:orders:<N>``, engine.core.targets.id_key); company
   names by engine.core.links.company_key (``&`` read as ``and``, more legal
   suffixes, single letters joined).

Recomputing from the staged raw values (rather than translating an old key
string) covers every change of a key builder at once: the old normaliser's
output cannot be turned back into the name it came from.
"""

from odoo.tools import SQL

KEY_VERSION = 2
CHUNK = 2000


def row_key(omap, data, line):
    """The ledger key the loader books for a staging row of ``omap``: the
    object map's source key, in a key space of its own for a custom object
    (its ids are not contact ids)."""
    return key_function(omap)(data, line)


def key_function(omap):
    """``row_key`` of ``omap`` as a function of (data, line), the map read
    once (``migration.object.map._key_function``): a run keys every row."""
    source_key = omap._key_function()
    if omap.extends_only or omap.own_model:
        prefix = f"{omap.object_name}:"
        return lambda data, line: prefix + source_key(data or {}, line)
    return lambda data, line: source_key(data or {}, line)


class KeyUpgrade:
    """Rewrites one project's staging and ledger keys to :data:`KEY_VERSION`."""

    def __init__(self, env, project):
        self.env = env
        self.project = project

    def run(self):
        """Upgrade the project when its keys are older; returns the number of
        staging rows whose key changed."""
        if (self.project.key_version or 0) >= KEY_VERSION:
            return 0
        for model in ("migration.staging.row", "migration.ledger"):
            self.env[model].flush_model()
        changed = 0
        omaps = self.project.object_map_ids.filtered(lambda m: m.target and m.source_id)
        for omap in omaps:
            renames = self.renames(omap)
            if renames:
                self.rewrite(omap, renames)
                changed += len(renames)
        self.env["migration.staging.row"].invalidate_model(["source_key"])
        self.env["migration.ledger"].invalidate_model(["source_key"])
        self.project.key_version = KEY_VERSION
        return changed

    def renames(self, omap):
        """[(staging row id, old key, new key)] of the rows of ``omap`` a run
        booked under a key today's code no longer computes."""
        renames, last = [], 0
        key_of = key_function(omap)  # the map read once, not once per row
        while True:
            self.env.cr.execute(
                SQL(
                    "SELECT id, line, source_key, data FROM migration_staging_row "
                    "WHERE source_id = %s AND source_key IS NOT NULL AND id > %s "
                    "ORDER BY id LIMIT %s",
                    omap.source_id.id,
                    last,
                    CHUNK,
                )
            )
            rows = self.env.cr.fetchall()
            if not rows:
                return renames
            for rid, line, old, data in rows:
                new = key_of(data, line)
                if new != old:
                    renames.append((rid, old, new))
            last = rows[-1][0]

    def rewrite(self, omap, renames):
        """The staging rows' keys and the ledger rows booked under them.

        Plain SQL: the ledger refuses any edit through the ORM (it is what runs
        did); a key format change is not an edit of what a run did."""
        where = SQL(
            "l.project_id = %s AND l.object_map_id = %s", self.project.id, omap.id
        )
        for chunk in _chunks(renames):
            rows = SQL(", ").join(SQL("(%s, %s, %s)", *r) for r in chunk)
            # the ledger rows of each staging row
            self.env.cr.execute(
                SQL(
                    "UPDATE migration_ledger l SET source_key = v.new "
                    "FROM (VALUES %s) AS v(rid, old, new) "
                    "WHERE %s AND l.staging_row_id = v.rid AND l.source_key = v.old",
                    rows,
                    where,
                )
            )
            # ledger rows that lost their staging row, and the many2many
            # additions ("<key>><model>:<id>"): by the old key alone (the first
            # staging row of a key when two rows shared it)
            first = {}
            for _rid, old, new in chunk:
                first.setdefault(old, new)
            pairs = SQL(", ").join(SQL("(%s, %s)", o, n) for o, n in first.items())
            self.env.cr.execute(
                SQL(
                    "UPDATE migration_ledger l SET source_key = v.new "
                    "FROM (VALUES %s) AS v(old, new) "
                    "WHERE %s AND l.staging_row_id IS NULL AND l.source_key = v.old",
                    pairs,
                    where,
                )
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE migration_ledger l SET source_key = v.new || "
                    "substr(l.source_key, length(v.old) + 1) "
                    "FROM (VALUES %s) AS v(old, new) "
                    "WHERE %s AND l.operation = 'add' "
                    "AND left(l.source_key, length(v.old) + 1) = v.old || '>'",
                    pairs,
                    where,
                )
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE migration_staging_row r SET source_key = v.new "
                    "FROM (VALUES %s) AS v(rid, old, new) WHERE r.id = v.rid",
                    rows,
                )
            )


def _chunks(items, size=CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]
