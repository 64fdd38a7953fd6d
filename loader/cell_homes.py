"""The cells a converter's rule writes to a field of its record, checked value by
value (loader/converted_cells.py): a rule says where each value it read lands
(engine.core.record.Record.homes: {column: (field, value)}); the record is read
back after the run and the field must hold that value, else the cell is
unaccounted. A cell whose rule writes no field of its own (a reference, a
flag that decides the record's state) stays written when its record exists."""

import re

from odoo import _
from odoo.tools import html2plaintext

from .digits import FieldStep, same_number
from .leftovers import KEEP_FIELDS

# computed totals a rule's value is checked against, and what they are computed
# from: a record without those (an order file without its lines) cannot hold
# the source's total, which is then one review item for the column
COMPUTED_FROM = {("sale.order", "amount_untaxed"): "order_line"}
HTML_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*|/[a-zA-Z][a-zA-Z0-9]*)(?:\s[^>]*)?/?>")


def _collapse(value):
    return " ".join(str(value if value not in (None, False) else "").split())


def _visible(text):
    """The visible text of an HTML value, or a plain text as it is (a note
    that says "a <b" is no tag), whitespace collapsed; links as written
    (without html2plaintext's numbered references)."""
    text = str(text or "")
    if HTML_TAG.search(text):
        text = html2plaintext(text, include_references=False)
    return _collapse(text)


def same_value(ftype, expected, actual, contains=False, step=None):
    """Whether an Odoo value of type ``ftype`` holds the converted ``expected``;
    ``contains``: a text the loader adds to (kept leftovers) holds it as a part;
    ``step``: a float's or an amount's rounding step (loader/digits.py), which
    a value it had to round does not match."""
    if ftype in ("float", "monetary"):
        return same_number(expected, actual, step)
    if ftype == "integer":
        try:
            return abs(float(actual or 0) - float(expected)) < 0.005
        except (TypeError, ValueError):
            return False
    if ftype in ("boolean",):
        return bool(actual) == bool(expected)
    if ftype in ("date", "datetime"):
        return actual == expected
    if ftype == "html":
        return _visible(expected) in _visible(actual)
    if ftype == "many2one":
        return bool(actual)
    if contains:
        return _collapse(expected).casefold() in _collapse(actual).casefold()
    return _collapse(actual).casefold() == _collapse(expected).casefold()


class CellHomes:
    """One outcome per cell whose rule wrote its value to a field, from the
    record's values read back (loader/read_back.py: what the database holds)."""

    def __init__(self, env):
        self.env = env
        self.steps = FieldStep(env)

    @staticmethod
    def fields(model, homes):
        """The fields of ``model`` to read back for ``homes`` ((field, value)
        pairs), with what a checked total is computed from."""
        names = {fname for fname, _value in homes if fname in model._fields}
        names |= {COMPUTED_FROM[(model._name, n)] for n in names
                  if (model._name, n) in COMPUTED_FROM}  # fmt: skip
        return sorted(names)

    def outcome(self, model, values, home):
        """``(outcome, what Odoo holds)`` of a cell whose rule wrote ``home``
        (field, value) on a record of ``model`` read back as ``values``."""
        fname, expected = home
        field = model._fields.get(fname)
        if field is None:
            if self.env.context.get("cell_check_sample"):
                return "ignored", ""  # a Migration User's sample creates no field
            return "unaccounted", _("no field %(field)s", field=fname)
        if values is None:
            return "unaccounted", _("no record")
        parts = COMPUTED_FROM.get((model._name, fname))
        if parts and not values.get(parts):
            # what the total is computed from: the review item names it
            return "pending", model._fields[parts].string
        actual = values.get(fname)
        if field.type == "many2one":
            return self._linked(field, expected, actual)
        # a text the loader adds the row's leftover cells to holds the value
        # as its part (a stage's win probability in its requirements)
        kept = KEEP_FIELDS.get(model._name, (None,))[0] == fname
        step = self.steps.step(model, fname, values)
        ok = same_value(field.type, expected, actual, contains=kept, step=step)
        seen = re.sub(r"\s+", " ", f"{fname}={actual}")[:80]
        return ("written" if ok else "unaccounted"), seen

    def _linked(self, field, expected, actual):
        """A many2one holds the record the source names: its name, or the
        last part of its complete name ("All / Hardware" for "Hardware"), or
        its complete name ("Software / Licences")."""
        # sudo: reading back the name of what the run linked, to compare it
        record = self.env[field.comodel_name].sudo().browse(actual or [])
        if not record.exists():
            return "unaccounted", f"{field.name}=False"
        want = _collapse(expected).casefold()
        names = {_collapse(record.display_name).casefold()}
        if "name" in record._fields:
            names.add(_collapse(record.name).casefold())
        ok = want in names or any(n.endswith(f" / {want}") for n in names)
        seen = re.sub(r"\s+", " ", f"{field.name}={record.display_name}")[:80]
        return ("written" if ok else "unaccounted"), seen
