"""Counting the cells of a run's cell conservation check
(models/migration_cell_check.py, loader/converted_cells.py) page by page:
per column, the cells of each outcome, and the first (by line) unaccounted
cell as the example; the transformed value a source value gives, once per
distinct value of a column."""

from dataclasses import replace

from ..engine import transform as tf
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
    stages repeats a few values over every row); bounded memory."""

    LIMIT = 50_000
    _FAILED = object()

    def __init__(self):
        self._memo = {}
        self._compiled = {}  # field map id -> its transform, options bound

    def value(self, fmap, raw, options):
        """``engine.transform.apply`` of ``fmap``'s transform with ``options``
        (the map's, the same for every cell); ValueError as it raises."""
        key = (fmap.id, raw)
        hit = self._memo.get(key, self)
        if hit is self:
            run = self._compiled.get(fmap.id)
            if run is None:
                run = self._compiled[fmap.id] = tf.compiled(
                    fmap.transform or "text", **options
                )
            try:
                hit = run(raw)
            except ValueError:
                hit = self._FAILED
            if len(self._memo) >= self.LIMIT:
                self._memo.clear()
            self._memo[key] = hit
        if hit is self._FAILED:
            raise ValueError(raw)
        return hit
