"""Numbers with more decimals than their Odoo field keeps.

A float field with ``digits`` (a price: "Product Price", 2 decimals) and a
monetary field (rounded to its currency) store a rounded value: 12.345 becomes
12.35. The loader writes the value rounded as Odoo stores it and files one
review item per cell, naming the column ("rounded to 12.35 (the field keeps 2
decimals)"), so the change is never silent; the cell check (loader/cell_homes.py,
models/migration_cell_check.py) compares a value read back at the field's own
step, with no tolerance that would hide a rounding."""

from decimal import Decimal, InvalidOperation

from odoo import _
from odoo.tools import float_compare, float_round

from .common import issue


def _decimal(value):
    """The number a float stands for as its shortest text spells it (12.345,
    not the binary 12.3449999...), or None."""
    try:
        return Decimal(repr(float(value)))
    except (InvalidOperation, TypeError, ValueError, OverflowError):
        return None


def _places(step):
    """Decimal places of a rounding step (0.01 -> 2, 0.05 -> 2, 1 -> 0)."""
    exponent = Decimal(repr(float(step))).normalize().as_tuple().exponent
    return max(0, -exponent)


class FieldStep:
    """The rounding step of a float or monetary field (0.01 for 2 decimals,
    a currency's own rounding), None for a field Odoo stores as it is."""

    def __init__(self, env, company=None):
        self.env = env
        self.company = company or env.company
        self._steps = {}  # (model, field) -> step, for fields without currency

    def step(self, model, fname, values=None):
        """The step of ``model``'s field ``fname`` for a record whose values
        (given or read back) are ``values``: a monetary field's currency is
        the record's own, else its company's, else the project's."""
        field = model._fields.get(fname)
        if field is None or field.type not in ("float", "monetary"):
            return None
        if field.type == "float":
            key = (model._name, fname)
            if key not in self._steps:
                digits = field.get_digits(self.env)
                self._steps[key] = 10.0 ** -digits[1] if digits else None
            return self._steps[key]
        currency = self.currency(model, field, values or {})
        return currency.rounding if currency else None

    def currency(self, model, field, values):
        cname = field.get_currency_field(model)
        given = values.get(cname)
        if isinstance(given, int) and given:
            return self.env["res.currency"].browse(given)
        if hasattr(given, "_name") and given:
            return given[:1]
        company = values.get("company_id")
        if isinstance(company, int) and company:
            company = self.env["res.company"].browse(company)
        if not (hasattr(company, "_name") and company):
            company = self.company
        return company.currency_id


def needs_rounding(value, step):
    """Whether ``value`` has more decimals than a field of rounding ``step``
    keeps (a float's binary noise aside: 12.35 is 12.35)."""
    if step is None or isinstance(value, bool):
        return False
    exact, unit = _decimal(value), _decimal(step)
    if exact is None or not unit:
        return False
    return exact % unit != 0


def same_number(expected, actual, step):
    """Whether a field of rounding ``step`` holds ``expected`` as it is: the
    value read back equals it at the field's step, and the field did not have
    to round it (a rounded value is a review item, never a silent match). A
    field without a step (double precision) holds what was written."""
    try:
        expected, actual = float(expected), float(actual or 0.0)
    except (TypeError, ValueError):
        return False
    if step is None:
        return expected == actual or abs(expected - actual) <= 1e-12 * max(
            abs(expected), 1.0
        )
    if needs_rounding(expected, step):
        return False
    return float_compare(expected, actual, precision_rounding=step) == 0


class Rounding:
    """The values of a batch's float and monetary fields rounded as their
    field keeps them, one review item per cell that changed."""

    def __init__(self, env, company=None):
        self.env = env
        self.steps = FieldStep(env, company)

    def check(self, omap, prepared, fmaps):
        """Round the prepared values of ``prepared`` (the batch's rows of
        ``omap``, whose field maps are ``fmaps``) in place."""
        mapped = {}
        for fmap in fmaps:
            if fmap.action == "map" and not fmap.target_field_id.virtual:
                mapped.setdefault(fmap.target_field_id.name, fmap.column)
            elif fmap.action == "create" and fmap.new_field_name:
                mapped.setdefault(fmap.new_field_name, fmap.column)
        numeric = {}  # model -> (its fields a step rounds, those mapped)
        for prep in prepared:
            if prep.held or prep.skipped or not prep.vals:
                continue
            model = self.env[prep.model or omap.model_name]
            if model._name not in numeric:
                # the other fields have no step: never rounded (see FieldStep)
                rounded = {
                    name
                    for name, field in model._fields.items()
                    if field.type in ("float", "monetary")
                }
                own = model._name == omap.model_name
                numeric[model._name] = (
                    rounded,
                    {f: c for f, c in mapped.items() if f in rounded} if own else {},
                )
            rounded, columns = numeric[model._name]
            homes = getattr(prep.record, "homes", None) or {}
            if homes:
                columns = dict(columns)
                for column, (fname, _value) in homes.items():
                    if fname in rounded:
                        columns.setdefault(fname, column)
            for fname, column in columns.items():
                if fname in prep.vals:
                    self._round(model, prep, fname, column)

    def _round(self, model, prep, fname, column):
        value = prep.vals[fname]
        if value in (None, False) or isinstance(value, bool):
            return
        step = self.steps.step(model, fname, prep.vals)
        if not needs_rounding(value, step):
            return
        rounded = float_round(float(value), precision_rounding=step)
        prep.vals[fname] = rounded
        places = _places(step)
        raw = prep.source.get(column)
        prep.issues.append(
            issue(
                "invalid_value",
                column,
                raw if raw not in (None, "") else value,
                _(
                    "Rounded to %(value)s (the field keeps %(places)s decimals): "
                    "%(field)s cannot hold %(given)s.",
                    value=f"{rounded:.{places}f}",
                    places=places,
                    field=model._fields[fname].string,
                    given=value,
                ),
            )
        )
