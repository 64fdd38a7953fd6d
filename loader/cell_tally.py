"""Counting the cells of a run's cell conservation check
(models/migration_cell_check.py, loader/converted_cells.py) page by page:
per column, the cells of each outcome, and the first (by line) unaccounted
cell as the example; the transformed value a source value gives, once per
distinct value of a column."""

import functools
from dataclasses import replace

from ..engine import transform as tf
from ..engine.core.text import norm_text
from .prepare import FieldMapView

OUTCOMES = ("written", "ignored", "review", "unaccounted")


class _NoField:
    """The target of a map without one, as an empty ORM record reads."""

    id = name = ttype = virtual = False

    def __bool__(self):
        return False


def map_view(fmap):
    """A field map read once into plain attributes (FieldMapView), its
    missing target field read as False like an empty record."""
    view = FieldMapView.of(fmap)
    return view if view.target_field_id else replace(view, target_field_id=_NoField())


class CellTally:
    """{column: counts}; ``add`` in any row order, the example is the cell
    of the lowest (line, row id), as a pass in line order would find first."""

    def __init__(self):
        self._slots = {}

    def slot(self, column, label=None, at=None):
        """The column's counts; ``label``: the column's label as of the cell
        ``at`` (line, row id), the first one by line wins."""
        slot = self._slots.get(column)
        if slot is None:
            slot = self._slots[column] = {
                **dict.fromkeys(OUTCOMES, 0),
                "pending": 0,
                "label": label,
                "label_at": at,
                "example_at": None,
                "example": None,
                "pending_at": None,
                "pending_value": None,
                "pending_from": None,
                "kept_at": None,
                "kept": None,
            }
        elif at is not None and (slot["label_at"] is None or at < slot["label_at"]):
            slot["label"], slot["label_at"] = label, at
        return slot

    def add(self, column, outcome, at, raw, seen, label=None):
        slot = self.slot(column, label, at)
        if outcome == "kept":
            # a record from before the run that keeps its own value: reviewed
            # by one item per column (converted_cells), as a pending cell
            if slot["kept_at"] is None or at < slot["kept_at"]:
                slot["kept_at"], slot["kept"] = at, (str(raw), seen)
            outcome, seen = "pending", None
        slot[outcome] += 1
        if outcome == "unaccounted" and (
            slot["example_at"] is None or at < slot["example_at"]
        ):
            slot["example_at"], slot["example"] = at, (str(raw), seen)
        elif outcome == "pending" and (
            slot["pending_at"] is None or at < slot["pending_at"]
        ):
            slot["pending_at"], slot["pending_value"] = at, str(raw)
        if outcome == "pending" and seen:
            # a computed total whose parts the record lacks (cell_homes)
            slot["pending_from"] = seen

    def add_counts(self, column, counts):
        """``counts`` {outcome: cells} of ``column``'s cells that leave no
        example (written, ignored, review): as many ``add`` calls."""
        slot = self.slot(column)
        for outcome, cells in counts.items():
            slot[outcome] += cells

    def columns(self):
        return list(self._slots)

    def counts(self, column, example_text):
        """{outcome: count, "example": str} of ``column``; ``example_text``
        (line, value, what Odoo holds) -> the example's text."""
        slot = self.slot(column)
        counts = {o: slot[o] for o in OUTCOMES}
        example = ""
        if slot["example_at"] is not None:
            raw, seen = slot["example"]
            example = example_text(slot["example_at"][0], raw[:80], seen)[:250]
        counts["example"] = example
        return counts


class Expected:
    """The value a field map's transform gives a source value, computed once
    per distinct (map, value) of the run (a column of countries, owners or
    stages repeats a few values over every row); bounded memory. ``norm``:
    engine's norm_text, once per distinct text (a row's first and last name
    are checked against the same names; a first name repeats)."""

    LIMIT = 50_000
    _FAILED = object()
    _MISS = object()

    def __init__(self):
        self._memos = {}  # field map id -> {source value: transformed}
        self._size = 0
        self._of = {}  # field map id -> its transform of one value (``of``)
        self.norm = functools.lru_cache(maxsize=self.LIMIT)(norm_text)

    def value(self, fmap, raw, options):
        """``engine.transform.apply`` of ``fmap``'s transform with ``options``
        (the map's, the same for every cell); ValueError as it raises."""
        return self.of(fmap, options)(raw)

    def of(self, fmap, options):
        """``value`` of ``fmap`` as a function of the source value alone."""
        found = self._of.get(fmap.id)
        if found is None:
            found = self._of[fmap.id] = self._compile(fmap, options)
        return found

    def _compile(self, fmap, options):
        run = tf.compiled(fmap.transform or "text", **options)
        memo = self._memos.setdefault(fmap.id, {})
        failed, miss = self._FAILED, self._MISS

        def value(raw):
            hit = memo.get(raw, miss)
            if hit is miss:
                try:
                    hit = run(raw)
                except ValueError:
                    hit = failed
                if self._size >= self.LIMIT:
                    for kept in self._memos.values():
                        kept.clear()
                    self._size = 0
                memo[raw] = hit
                self._size += 1
            if hit is failed:
                raise ValueError(raw)
            return hit

        return value
