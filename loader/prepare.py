"""Row preparation: a staging row and its field maps -> the values of one Odoo
record, with the issues a person must see (pure engine transforms, plus the
phone label, street, empty-clears and date-reading rules)."""

from dataclasses import dataclass
from types import SimpleNamespace

from odoo import _
from odoo.fields import Command

from ..engine import records
from ..engine import transform as tf
from ..engine.html import split_text_nodes
from ..engine.match import norm_email, norm_text
from ..engine.readers import EXTRA_KEY
from .common import RELATION_KIND, Prepared, issue, selection_key
from .rekey import key_function

# distinct values of a column whose transform is kept (engine transform.compiled)
MEMO = 4096
# a phone column's label column: "<column> Note" / "Type" / "Label"
PHONE_LABEL_WORDS = ("Note", "Type", "Label", "note", "type", "label")
MOBILE_LABELS = frozenset(
    {
        "mobile",
        "cell",
        "cell phone",
        "cellphone",
        "celular",
        "mobile phone",
        "movil",
        "portable",
    }
)


def transform_options(fmap, project):
    """The keyword options of a field map's transform (engine.transform)."""
    name = fmap.transform or "text"
    opts = fmap.transform_options or {}
    if name in ("date", "datetime"):
        order = opts.get("order")
        result = {"order": order if order in ("DMY", "MDY", "YMD") else None}
        if name == "datetime":
            result["tz"] = project.source_tz or "UTC"
        return result
    if name in ("float", "money"):
        return {"decimal": opts.get("decimal")}
    if name == "phone":
        return {"region": (project.phone_region or "US").upper()}
    return {}


def loaded_field_maps(omap):
    """The field maps of ``omap`` that write a field."""
    return omap.field_map_ids.filtered(
        lambda f: (
            (f.action == "map" and f.target_field_id)
            or (f.action == "create" and f.new_field_name)
        )
    )


@dataclass(frozen=True)
class FieldMapView:
    """A field map read once per run into plain attributes: the preparation
    reads a map's column, action, field and transform for every cell, which
    as an ORM record is several field reads per cell. Same attribute names as
    migration.field.map (target_field_id and object_map_id as namespaces)."""

    id: int
    column: str
    action: str
    target_field_id: object
    new_field_name: str
    new_field_type: str
    new_field_label: str
    transform: str
    transform_options: dict
    empty_clears: bool
    object_map_id: object

    @classmethod
    def of(cls, fmap):
        field = fmap.target_field_id
        omap = fmap.object_map_id
        return cls(
            id=fmap.id,
            column=fmap.column,
            action=fmap.action,
            target_field_id=SimpleNamespace(
                id=field.id, name=field.name, ttype=field.ttype, virtual=field.virtual
            )
            if field
            else False,
            new_field_name=fmap.new_field_name,
            new_field_type=fmap.new_field_type,
            new_field_label=fmap.new_field_label,
            transform=fmap.transform,
            transform_options=dict(fmap.transform_options or {}),
            empty_clears=fmap.empty_clears,
            object_map_id=SimpleNamespace(
                id=omap.id, target=omap.target, object_name=omap.object_name
            ),
        )


@dataclass(frozen=True)
class CellRule:
    """What the preparation does with a field map's non-empty cells, read
    once per map (its field, type, transform and options), not per cell."""

    fname: str
    transform: object  # the compiled transform (Preparer.transform)
    options: dict
    order: str | None  # a date column's day/month order
    comodel: str | None  # a new many2many field: its tags' model
    selection: bool  # a new selection field: the value's key
    text: bool  # a text field: a value that is not text as text
    html: bool
    extra: bool  # a virtual or relation field: resolved after the row

    @classmethod
    def of(cls, fmap, model_fields, preparer):
        if fmap.action == "map":
            fname, ftype = fmap.target_field_id.name, fmap.target_field_id.ttype
            virtual = fmap.target_field_id.virtual
        else:
            fname, ftype, virtual = fmap.new_field_name, fmap.new_field_type, False
            if fname not in model_fields:
                return None
        field = model_fields.get(fname)
        created = fmap.action == "create"
        options = preparer.options(fmap)
        return cls(
            fname=fname,
            transform=preparer.transform(fmap),
            options=options,
            order=options.get("order"),
            comodel=field.comodel_name
            if created and field.type == "many2many"
            else None,
            selection=created and ftype == "selection",
            text=ftype in ("char", "text", "html", "email", "phone"),
            html=ftype == "html",
            extra=bool(virtual or fname in RELATION_KIND),
        )


def compiled_field_maps(omap):
    """The loaded field maps of ``omap`` read once (see FieldMapView)."""
    return tuple(FieldMapView.of(fmap) for fmap in loaded_field_maps(omap))


def convert(omap, data, project, columns=None):
    """The source system's Record of a converted target's row (engine.records),
    read through the object's column choice (``columns``: its binding, when the
    caller already has it; see ``column_binding``)."""
    return records.convert(
        omap.target,
        data,
        system=project.system or "generic",
        tz=project.source_tz or "UTC",
        columns=column_binding(omap) if columns is None else columns,
    )


def column_binding(omap):
    """``{role: (column, fallbacks...)}`` of a converted object (an empty dict
    when nothing was proposed: the converter's own alias order)."""
    return omap.env["migration.converter.column"]._binding(omap) or {}


class Preparer:
    """Turns staging rows into ``Prepared`` rows; relations go to the resolver."""

    def __init__(self, env, cache, resolver):
        self.env = env
        self.cache = cache
        self.resolver = resolver
        self._options = {}  # field map id -> its transform's options
        self._bindings = {}  # object map id -> its column choice, once per batch
        self._fields = {}  # object map id -> its model's fields
        self._transforms = {}  # field map id -> its transform, options bound
        self._keys = {}  # object map id -> its keys (see keys_of)
        self._rules = {}  # field map id -> its CellRule

    def fields_of(self, omap):
        """The fields of the model ``omap`` writes, read once per object map
        (its model name is a field of the map: an ORM read per cell otherwise)."""
        if not omap.id:
            return self.env[omap.model_name]._fields
        if omap.id not in self._fields:
            self._fields[omap.id] = self.env[omap.model_name]._fields
        return self._fields[omap.id]

    def options(self, fmap):
        """transform_options of a field map, once per map (the project's
        region and time zone do not change during a run)."""
        if fmap.id not in self._options:
            self._options[fmap.id] = transform_options(fmap, self.cache.project)
        return self._options[fmap.id]

    def transform(self, fmap):
        """The field map's transform as a function of the cell (engine
        transform.compiled), once per map; each distinct value of its column
        transformed once (``MEMO`` values at a time), not once per cell."""
        if fmap.id not in self._transforms:
            self._transforms[fmap.id] = tf.compiled(
                fmap.transform or "text", memo=MEMO, **self.options(fmap)
            )
        return self._transforms[fmap.id]

    @staticmethod
    def extra_values(prep, data):
        """A row with more values than the file has headers: the values past
        the last column belong to no column a map can read; the row loads,
        they are a review item (never dropped without a word)."""
        if data.get(EXTRA_KEY):
            prep.issues.append(
                issue(
                    "not_loaded",
                    _("(past the last column)"),
                    data[EXTRA_KEY],
                    _(
                        "This row has more values than the file has columns: the "
                        "values past the last column are not loaded (a missing "
                        "header, or an unquoted separator in a value?)."
                    ),
                )
            )

    # ------------------------------------------------------- field-mapped
    def prepare_row(self, omap, fmaps, row):
        data = row.data or {}
        prep = Prepared(row_id=row.id, line=row.line, key="", source=data)
        self.extra_values(prep, data)
        corrections = self.cache.corrections.get(row.id, {})
        model_fields = self.fields_of(omap)
        for fmap in fmaps:
            raw = corrections.get(fmap.column, data.get(fmap.column))
            if raw is None or str(raw).strip() == "":
                self.clear_if_asked(omap, fmap, prep)
                continue
            self._prepare_cell(omap, fmap, str(raw), prep, model_fields)
        self.split_street(prep, fmaps)
        self.phones_by_label(prep, fmaps, data)
        prep.key = self.row_key(omap, prep, data)
        prep.create_date = prep.extra_value("create_date")
        prep.write_date = prep.extra_value("write_date")
        for fname, (value, fmap, raw) in list(prep.extra.items()):
            if fname in RELATION_KIND:
                self.resolver.relation(omap, prep, fname, value, fmap, raw)
        return prep

    def _prepare_cell(self, omap, fmap, raw, prep, model_fields=None):
        """One non-empty cell into ``prep.vals`` (or ``prep.extra``, or an issue);
        ``model_fields``: the fields of the map's model, when the caller has them."""
        rule = self.cell_rule(omap, fmap, model_fields)
        if rule is None:
            return  # not created yet (a Migration User's sample)
        try:
            value = rule.transform(raw)
        except ValueError as exc:
            prep.issues.append(issue("invalid_value", fmap.column, raw, str(exc)))
            return
        if value is None:
            return
        if rule.order:  # a date column read in a day/month order
            self.check_reading(prep, fmap, raw, value, rule.options)
        if rule.comodel:  # a new many2many field: the values are tags
            prep.vals[rule.fname] = self._custom_tags(rule.comodel, fmap, value)
            return
        if rule.selection:
            value = selection_key(str(value))
        elif rule.text and not isinstance(value, str):
            value = str(value)
        if rule.html:
            # kept whole: the sanitiser's parser cuts a text run past 10 MB
            value = split_text_nodes(value)
        if rule.extra:
            prep.extra[rule.fname] = (value, fmap, raw)
        else:
            prep.vals[rule.fname] = value

    def cell_rule(self, omap, fmap, model_fields=None):
        """The ``CellRule`` of a field map, once per map of a run (None for a
        new field not created yet, asked again)."""
        rule = self._rules.get(fmap.id) if omap.id else None
        if rule is None:
            if model_fields is None:
                model_fields = self.fields_of(omap)
            rule = CellRule.of(fmap, model_fields, self)
            if rule is not None and omap.id:
                self._rules[fmap.id] = rule
        return rule

    def _custom_tags(self, comodel, fmap, value):
        names = value if isinstance(value, list) else tf.split_list(str(value))
        ids = [
            self.resolver.name_id(comodel, fmap, n, create=True) for n in names or ()
        ]
        return [Command.link(i) for i in dict.fromkeys(i for i in ids if i)]

    def clear_if_asked(self, omap, fmap, prep):
        """An empty cell keeps Odoo's value on an update, unless its map says
        that empty clears (a real field only: virtual ones have no one value)."""
        if not fmap.empty_clears or fmap.action == "ignore":
            return
        fname = (
            fmap.new_field_name
            if fmap.action == "create"
            else fmap.target_field_id.name
        )
        if fname in self.fields_of(omap) and not (
            fmap.action == "map" and fmap.target_field_id.virtual
        ):
            prep.cleared.add(fname)

    def check_reading(self, prep, fmap, raw, value, options):
        """A date that can only be read against its column's day/month order is
        written as it reads, and a person checks it (never a silent swap)."""
        used = tf.read_against(raw.strip(), options.get("order"))
        if used:
            prep.issues.append(
                issue(
                    "invalid_value",
                    fmap.column,
                    raw,
                    _(
                        "Read as %(date)s (%(used)s), although the column's dates are "
                        "%(order)s: check that day and month are not swapped.",
                        date=value,
                        used=used,
                        order=options["order"],
                    ),
                )
            )

    def phones_by_label(self, prep, fmaps, data):
        """A phone column with a label beside it ("Phone 1" + "Phone 1 Note":
        Mobile / Office) puts a number labelled mobile in mobile and the other
        one in phone, whichever column each came from."""
        kinds = {}
        for fmap in fmaps:
            fname = fmap.action == "map" and fmap.target_field_id.name
            if fname in ("phone", "mobile") and prep.vals.get(fname):
                kinds[fname] = next(
                    (
                        norm_text(str(data[key]))
                        for key in (f"{fmap.column} {w}" for w in PHONE_LABEL_WORDS)
                        if data.get(key)
                    ),
                    "",
                )
        mobile = {f for f, label in kinds.items() if label in MOBILE_LABELS}
        other = {f for f, label in kinds.items() if label and f not in mobile}
        vals = prep.vals
        # the number labelled mobile is the mobile, whatever column held it; the
        # other (labelled otherwise, or not at all) is the phone
        if "phone" in mobile and "mobile" not in mobile:
            vals["phone"], vals["mobile"] = vals.get("mobile"), vals["phone"]
        elif "mobile" in other and "phone" not in kinds:
            vals["phone"], vals["mobile"] = vals["mobile"], None
        for fname in ("phone", "mobile"):
            if fname in vals and not vals[fname]:
                del vals[fname]

    def split_street(self, prep, fmaps):
        """A street written on several lines ("909 Robson St / Bureau 300") fills
        street and street2, unless a column of its own gives street2."""
        street = prep.vals.get("street")
        if not isinstance(street, str) or "\n" not in street.strip():
            return
        if any(
            f.action == "map" and f.target_field_id.name == "street2" for f in fmaps
        ):
            return
        first, rest = street.strip().split("\n", 1)
        prep.vals["street"] = first.strip()
        prep.vals["street2"] = " ".join(rest.split())

    def keys_of(self, omap):
        """(row key, source key, dedupe by email) of an object map, read once
        per map: functions of (data, line) (loader.rekey.key_function, the
        map's _key_function) and a flag, not ORM reads for every row."""
        if not omap.id or omap.id not in self._keys:
            self._keys[omap.id] = (
                key_function(omap),
                omap._key_function(),
                omap.dedupe_rule == "email" or omap.extends_only,
            )
        return self._keys[omap.id]

    def row_key(self, omap, prep, data):
        row_key, _source_key, dedupe = self.keys_of(omap)
        if dedupe:
            email = prep.vals.get("email") or prep.vals.get("email_from")
            prep.dedupe = norm_email(email) if email else None
        return row_key(data, prep.line)

    # ---------------------------------------------------------- converted
    def add_mapped(self, omap, fmaps, prepared):
        """The columns of converted rows that field maps cover (the custom
        fields a source declares: typed x_ fields), written beside what the
        object's rule gives."""
        for prep in prepared:
            if prep.held or not prep.record or not prep.vals:
                continue
            for fmap in fmaps:
                raw = prep.source.get(fmap.column)
                if raw is None or str(raw).strip() == "":
                    self.clear_if_asked(omap, fmap, prep)
                    continue
                self._prepare_cell(omap, fmap, str(raw), prep)

    # ---------------------------------------------------------- converted
    def prepare_converted(self, omap, row):
        data = dict(row.data or {})
        data.update(self.cache.corrections.get(row.id, {}))
        prep = Prepared(
            row_id=row.id,
            line=row.line,
            key=self.keys_of(omap)[1](row.data or {}, row.line),
            source=data,
        )
        try:
            if omap.id not in self._bindings:
                self._bindings[omap.id] = column_binding(omap)
            rec = convert(omap, data, self.cache.project, self._bindings[omap.id])
        except records.SkippedRow as exc:
            prep.skipped = issue("not_loaded", exc.column, exc.value, exc.reason)
            return prep
        except records.RowError as exc:
            prep.held = issue("invalid_value", exc.column, exc.value, exc.reason)
            return prep
        prep.record = rec
        prep.model = rec.model
        prep.create_date = rec.created
        prep.write_date = rec.updated  # the source's, kept in the ledger
        for column, value, reason in rec.issues:
            prep.issues.append(issue("invalid_value", column, value, reason))
        self.extra_values(prep, data)
        return prep
