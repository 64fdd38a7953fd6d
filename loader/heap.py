"""The Python heap during a run: the objects alive when its batches start
(Odoo's registry, its models and fields, the run's caches: a few million
objects) are left out of the collector's full collections until it ends.

CPython's cyclic collector walks every tracked object of the process in a
full (oldest generation) collection, and it makes one each time the objects
that survived the younger generations grow by a quarter of the old ones: a
20,000-row run made ten of them, about 0.2 s each, 12 % of its Odoo CPU,
nearly all of it in walking the registry, which never becomes garbage during
a run. ``gc.freeze`` moves the objects alive now to a generation the
collector never walks (CPython's own advice for long-lived objects);
``gc.unfreeze`` gives them back at the end. What a run makes and drops is
collected as before; what the frozen objects drop during the run (a cycle
among them) waits for the end of the run.

The freeze is the process's: a run that finds one in place (another run's,
in another thread, or the server's own) leaves it as it is.

A run that creates custom fields sets Odoo's registry up again (``ir.model.
fields.create``: every model's fields made anew) inside its freeze: the new
registry, as large as the one frozen before it, joins the freeze
(``refreeze``), or every full collection of the run walks it.
"""

import gc
from contextlib import contextmanager

# the freezes of this module in place (frozen() blocks that froze)
_HELD = []


@contextmanager
def frozen():
    """The objects alive now out of full collections until the block ends,
    unless the process already froze some (then nothing changes)."""
    if gc.get_freeze_count():
        yield False
        return
    gc.freeze()
    _HELD.append(True)
    try:
        yield True
    finally:
        _HELD.pop()
        gc.unfreeze()


def refreeze(collect=False):
    """The objects alive now join the freeze of a ``frozen()`` block in
    place (given back when it ends); True when they did. Nothing when the
    freeze in place is not this module's (it would never be given back).
    ``collect``: a full collection first (of what is not frozen), so that
    no garbage is kept frozen until the block ends."""
    if not _HELD:
        return False
    if collect:
        gc.collect()
    gc.freeze()
    return True
