"""What a worker process keeps between the batch jobs of one parallel run
(issue 18): the run cache's preload of the ledger (``RunCache.preload_keys``:
what each source key became, the companies by name, the contacts by email)
of the object maps a batch depends on.

A synchronous run preloads an object's ledger once; a batch job made the
preload of its object and of every object it depends on again: a deal's batch
read the run's 13,000 companies and contacts back, record by record, 43 % of
a worker's time in the bench's deals (py-spy). Here the preload is read once
per process, object map and state of the run, and each job gets its own
copies of it (what a job adds to its cache is never kept: a job rolled back
leaves nothing behind).

What the preload reads is fixed while the run loads: the ledger of earlier
runs, and this run's rows of the object maps already added up
(``parallel_done``: their batches are all committed). The rows that the other
batches of an object still loading wrote are left out (``RunCache.settled``):
they would make the preload depend on which batches happened to commit
first, and a batch never needs them, since rows that could meet in one
record share a batch (loader/parallel.py's Partitioner), as a synchronous
run's object does not preload its own rows either. A kept preload is keyed
by the database, the run (id and creation date), the object map and the
object maps of its target added up: an object added up makes a new one.
Only one run's preloads are kept at a time.
"""

from dataclasses import dataclass

from .cache import RunCache

# (database, run id, run creation date) -> {(omap id, done ids): Preload}
_KEPT = {}


@dataclass(frozen=True)
class Preload:
    """One object map's preload of the ledger, as plain values."""

    keys: dict
    key_models: dict
    merged: frozenset
    companies: dict
    contacts: dict
    dedupe: dict

    @classmethod
    def read(cls, env, run, omap, done_ids):
        cache = RunCache(
            env=env, run=run, project=run.project_id, settled=(run.id, done_ids)
        )
        cache.preload_keys(omap)
        return cls(
            keys=cache.keys,
            key_models=cache.key_models,
            merged=frozenset(cache.merged),
            companies=cache.companies,
            contacts=cache.contacts,
            dedupe=cache.dedupe,
        )

    def apply(self, cache):
        """Into ``cache`` as ``cache.preload_keys`` fills it: the keys'
        records replaced, companies, contacts and duplicates the first kept."""
        cache.merged |= self.merged
        cache.keys.update(self.keys)
        cache.key_models.update(self.key_models)
        for name in ("companies", "contacts", "dedupe"):
            into = getattr(cache, name)
            for key, res_id in getattr(self, name).items():
                into.setdefault(key, res_id)


def kept_preloads(env, run):
    """This process's preloads of ``run`` (those of other runs forgotten)."""
    slot = (env.cr.dbname, run.id, str(run.create_date))
    if slot not in _KEPT:
        _KEPT.clear()
        _KEPT[slot] = {}
    return _KEPT[slot]


def preload(env, run, cache, omaps):
    """``cache.preload_keys(omap)`` for each of ``omaps``, from the preloads
    this process kept (read when missing); returns how many were read."""
    kept = kept_preloads(env, run)
    done = run.line_ids.filtered("parallel_done").object_map_id
    read = 0
    for omap in omaps:
        done_ids = tuple(
            sorted(done.filtered(lambda m, t=omap.target: m.target == t).ids)
        )
        slot = (omap.id, done_ids)
        if slot not in kept:
            kept[slot] = Preload.read(env, run, omap, done_ids)
            read += 1
        kept[slot].apply(cache)
    return read
