"""A full run as queue_job jobs: planned once (object lines and batches), then
one job per batch, in dependency order.

Each object map's batches depend on the objects it links to (engine.plan):
its first batch runs alone once those are done (it makes what an object makes
once: inferred stages, the tags and companies its first rows name), then its
other batches run side by side. Rows that could meet in one record go to one
batch: the same source key, email, company name, VAT or parent reference
(contacts of one company, deals of one customer), so that no two batches merge
into, or write on, the same parent at once. Objects converted by rule (notes,
activities, stages...) keep one batch at a time: their order (message ids
growing with the dates) is that of a synchronous run.

A batch job books its counts on its own ``migration.run.batch`` row (never on
the shared run line), loads only the rows this run has not booked yet, and is
done in the transaction that writes its records: a job retried or run twice
writes nothing twice (the ledger and the rows' last run say what is booked).
"""

from odoo.tools import SQL

from ..engine import plan
from ..engine.core.targets import TARGETS
from ..engine.match import norm_company, norm_email
from . import worker_cache
from .batch import BatchLoader
from .cache import RunCache
from .probabilities import SETTLE_KEY
from .run import RunLoader, ordered_maps
from .select import field_columns, row_pages

# fields whose value ties rows of one object together: (field, kind)
LINK_FIELDS = {
    "email": "email",
    "email_from": "email",
    "partner_email": "email",
    "company_name": "company",
    "partner_name": "company",
    "vat": "text",
    "parent_ref": "ref",
    "company_ref": "ref",
    "contact_ref": "ref",
}
# the row's own name ties companies (a company is found again by its name)
OWN_NAME = {"company"}


def depends_closure(target):
    """Every target ``target`` depends on, directly or not."""
    seen, todo = set(), [plan.canonical(target)]
    while todo:
        for dep in plan.DEPENDS.get(todo.pop(), ()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def map_dependencies(omaps):
    """{object map id: [earlier object map ids it waits for]}: the maps of the
    targets it links to, and earlier maps of its own target (a custom object
    extends the contacts first loaded); an unknown target waits for all."""
    deps = {}
    for pos, omap in enumerate(omaps):
        known = plan.canonical(omap.target) in plan.DEPENDS
        needs = depends_closure(omap.target) | {plan.canonical(omap.target)}
        deps[omap.id] = [
            earlier.id
            for earlier in omaps[:pos]
            if not known or plan.canonical(earlier.target) in needs
        ]
    return deps


class StaleRegistry(Exception):
    """This process's registry lacks a field the database has: a worker that
    has not reloaded its registry since the run's plan made its x_ fields."""


def check_registry(env, model_names):
    """Raise StaleRegistry if a custom (x_) field of these models is in the
    database but not in this process's registry.

    The plan job makes the run's new fields (loader/custom_fields.py) and
    signals the change once its transaction is committed; a job that another
    worker starts before it reloads its registry would load its rows with
    those fields' cells left out (the preparation skips a new field its model
    does not have), which only the run's cell check finds, failing the run."""
    env.cr.execute(
        SQL(
            "SELECT model, name FROM ir_model_fields "
            "WHERE state = 'manual' AND model = ANY(%s) ORDER BY model, name",
            sorted(set(model_names)),
        )
    )
    missing = [
        f"{model}.{name}"
        for model, name in env.cr.fetchall()
        if model not in env.registry or name not in env.registry[model]._fields
    ]
    if missing:
        raise StaleRegistry(
            "this worker's registry has not been reloaded since the fields "
            f"{', '.join(missing)} were made: tried again later"
        )


def runs_side_by_side(omap):
    """Whether an object's batches may run at the same time (see module doc)."""
    target = TARGETS.get(plan.canonical(omap.target))
    return bool(target and target.mapped and not omap.converted)


class Partitioner:
    """Batches of one object map, rows that could meet in one record together."""

    def __init__(self, env, omap):
        self.env = env
        self.omap = omap
        columns = field_columns(omap)
        self.columns = []  # [(column, kind)]
        for fname, kind in LINK_FIELDS.items():
            self.columns += [(col, kind) for col in columns.get(fname, [])]
        if omap.target in OWN_NAME:
            self.columns += [(col, "company") for col in columns.get("name", [])]
        if omap.key_rule == "column" and omap.key_column:
            self.columns.append((omap.key_column, "ref"))

    def batches(self, row_ids, size):
        """[[row ids]] of about ``size`` rows (a group of tied rows larger than
        that stays whole), in the order of ``row_ids``."""
        if not self.columns or not runs_side_by_side(self.omap):
            return [row_ids[i : i + size] for i in range(0, len(row_ids), size)]
        first = self._groups(row_ids)
        groups = {}  # root -> [row ids], in order of their first row
        for row_id in row_ids:
            groups.setdefault(self._find(first.get(row_id, -row_id)), []).append(row_id)
        batches, current = [], []
        for rows in groups.values():
            if current and len(current) + len(rows) > size:
                batches.append(current)
                current = []
            current += rows
        if current:
            batches.append(current)
        order = {row_id: pos for pos, row_id in enumerate(row_ids)}
        return [sorted(batch, key=order.__getitem__) for batch in batches]

    def _groups(self, row_ids):
        """{row id: a token of its group}, tokens joined by a union-find over
        hashes (a collision only makes a batch larger)."""
        self.parent = {}
        first = {}
        for row_id, values in row_pages(
            self.env, row_ids, [col for col, _kind in self.columns]
        ):
            tokens = [
                hash((kind, key))
                for (col, kind), value in zip(self.columns, values, strict=True)
                if (key := self._norm(kind, value))
            ]
            if not tokens:
                continue
            first[row_id] = tokens[0]
            for token in tokens[1:]:
                self._union(tokens[0], token)
        return first

    @staticmethod
    def _norm(kind, value):
        if not value or not str(value).strip():
            return None
        if kind == "email":
            return norm_email(value)
        if kind == "company":
            return norm_company(value)
        return str(value).strip().lower()

    def _find(self, token):
        parent = self.parent
        root = token
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(token, token) != root:
            parent[token], token = root, parent[token]
        return root

    def _union(self, a, b):
        root_a, root_b = self._find(a), self._find(b)
        if root_a != root_b:
            self.parent[root_b] = root_a


class ParallelRun(RunLoader):
    """Plans a full run as batches, and loads one batch in a job."""

    def plan(self):
        """Object lines and batch rows of the run; returns the object maps in
        load order and {object map id: [batch records]}."""
        self.run.project_id._upgrade_keys()  # see RunLoader.load
        omaps = ordered_maps(self.run.project_id)
        self.custom_fields(omaps)
        per_object = self.select(omaps)
        self.run._write_book(
            {"total_rows": sum(len(ids) for ids in per_object.values()), "done_rows": 0}
        )
        size = self.run.project_id.batch_size or 500
        Batch = self.env["migration.run.batch"]
        batches = {}
        for seq, omap in enumerate(omaps, start=1):
            line = self.run_line(omap, seq, len(per_object[omap.id]))
            parts = Partitioner(self.env, omap).batches(per_object[omap.id], size)
            batches[omap.id] = Batch._create_book(
                [
                    {
                        "run_id": self.run.id,
                        "line_id": line.id,
                        "sequence": seq,
                        "number": number,
                        "row_ids": rows,
                        "row_count": len(rows),
                    }
                    for number, rows in enumerate(parts, start=1)
                ]
            )
        return omaps, batches

    def load_batch(self, batch):
        """Load one batch's rows not booked yet by this run, its counts on the
        batch row."""
        omap = batch.line_id.object_map_id
        check_registry(self.env, [omap.model_name])
        omaps = ordered_maps(self.run.project_id)
        cache = RunCache.build(self.env, self.run, omaps)
        waits = set(map_dependencies(omaps)[omap.id]) | {omap.id}
        # read once per worker process (loader/worker_cache.py)
        worker_cache.preload(
            self.env, self.run, cache, omaps.filtered(lambda m: m.id in waits)
        )
        Staging = self.env["migration.staging.row"]
        rows = Staging.browse(batch.row_ids).filtered(
            lambda r: r.last_run_id != self.run
        )
        # its object's job scores its leads (loader.probabilities.settle)
        env = self.env(context=dict(self.env.context, **{SETTLE_KEY: True}))
        loader = BatchLoader(env, cache, self.run, omap, batch)
        if rows:
            loader.load(rows)
        bulk, fallbacks = loader.writer.take_counts()
        batch._write_book(
            {
                "state": "done",
                "bulk_rows": bulk,
                "orm_fallback_rows": sum(fallbacks.values()),
                "fallbacks": "\n".join(
                    f"{model}: {reason}" for model, reason in sorted(fallbacks)
                ),
            }
        )
        return batch
