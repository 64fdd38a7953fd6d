"""The loader: staging rows -> Odoo records, batch by batch, as plain Python
pieces over ``env`` (the thin model ``migration.loader`` starts them):

- ``cache``: the typed run cache (users, value maps, ledger keys...);
- ``select``: which rows a run loads (sample with linked rows, delta);
- ``prepare``: a row and its field maps -> values and issues;
- ``resolve`` / ``partners``: references -> record ids;
- ``classify``: link / update / merge / create / held / skipped;
- ``writer``: the one writer per model (batched create, bisected on failure);
- ``book``: ledger rows, review items, run-line counts, original dates;
- ``handlers``: one record handler per target, with pre/post hooks;
- ``batch`` and ``run``: a batch through the pieces, a run through its batches.

Dependencies point one way: loader > engine; models > loader."""

from .common import (
    LOAD_CONTEXT,
    OUTCOMES,
    RELATION_KIND,
    Prepared,
    can_commit,
    error_text,
    selection_key,
    snapshot,
)
from .run import RunLoader
