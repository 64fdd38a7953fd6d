"""The x_ fields the field maps ask for, created before any row is loaded
(as Odoo Studio does it: ir.model.fields in state 'manual')."""

import hashlib
import logging

from odoo.fields import Command

from ..engine.core.rows import find
from .common import TAG_MODELS, selection_key

_logger = logging.getLogger(__name__)


def field_owner(env, model_name):
    """The model an x_ field of ``model_name``'s records is created on: the one
    it inherits its fields from by delegation, when there is one (a product's
    fields are its template's: the product form shows them, and a variant reads
    and writes them through its template)."""
    parents = list(env[model_name]._inherits)
    return parents[0] if len(parents) == 1 else model_name


def own_names(spec, target):
    """The x_ names a source system declares itself for ``target`` (made even
    when the file lacks the column: a lookup may fill them)."""
    return {entry[1] for entry in spec.custom_fields.get(target, ())}


def new_field_maps(omap):
    return omap.field_map_ids.filtered(
        lambda f: f.action == "create" and f.new_field_name
    )


class CustomFields:
    """Creates the x_ fields of a run's object maps and source, one create()."""

    def __init__(self, env):
        self.env = env

    def create(self, omaps, spec):
        """Every x_ field of the run in one ``ir.model.fields`` create, before
        any row is loaded: those the field maps ask for and those the source
        system declares (``spec``), on every model. Odoo sets the whole
        registry up again after each create (every model's fields made anew,
        then the tables of the models checked): once a run, not once per
        model and kind."""
        if not self.env.user.has_group("crm_migration.group_migration_manager"):
            # a Migration User's sample does not change the database schema:
            # the columns meant for new fields wait for a manager's run
            return
        omaps._check_new_field_limit()  # before the schema changes, never after
        by_model = {
            model_name: {
                name: self.field_vals(model_name, name, fmap)
                for name, fmap in fmaps.items()
            }
            for model_name, fmaps in self._missing(omaps).items()
        }
        self._declared(omaps, spec, by_model)
        vals_list = [vals for made in by_model.values() for vals in made.values()]
        if vals_list:
            # sudo: creating fields needs Settings rights; a Migration Manager's
            # confirmed map (or a sample run of it) is the authorisation here
            self.env["ir.model.fields"].sudo().create(vals_list)
        for model_name, made in by_model.items():
            if made:
                _logger.info("created custom fields %s on %s", list(made), model_name)
        self._catalogue(omaps)

    def _declared(self, omaps, spec, by_model):
        """The x_ fields the source system declares for its converted and
        looked-up values (engine.sources.base.Source.custom_fields) into
        ``by_model``, beside the field maps' (a name the maps make already is
        not made twice); a label given as column aliases is the header the
        file has (as for the field maps' new fields)."""
        IrField = self.env["ir.model.fields"]
        for omap in omaps:
            for _value, name, ttype, label in spec.declared_fields(omap.target):
                model_name = omap.model_name
                owner = field_owner(self.env, model_name)
                if (
                    IrField._get(model_name, name)
                    or name in by_model.get(model_name, {})
                    or name in by_model.get(owner, {})
                ):
                    continue
                if not isinstance(label, str):
                    headers = tuple(omap.source_id.headers or ())
                    found = find(headers, tuple(label))
                    if not found and name not in own_names(spec, omap.target):
                        continue  # the file has no such column: no field for it
                    label = found or label[0]
                by_model.setdefault(model_name, {})[name] = {
                    "name": name,
                    "model_id": self.env["ir.model"]._get_id(model_name),
                    "ttype": ttype,
                    "field_description": self.free_label(
                        model_name,
                        label,
                        omap.object_name,
                        self._pending_labels(model_name, by_model),
                    ),
                    "state": "manual",
                }

    def _pending_labels(self, model_name, by_model):
        """The labels of the fields the run is about to make that ``model_name``
        will show (its own, and those of the models it shares fields with by
        delegation): taken, as if those fields were made already."""
        related = {model_name, *self.env[model_name]._inherits}
        related |= {
            name
            for name, other in self.env.registry.items()
            if model_name in other._inherits
        }
        return {
            vals["field_description"].lower()
            for name in related
            for vals in by_model.get(name, {}).values()
        }

    def _missing(self, omaps):
        """{model: {field name: field map}} of the fields not in the database."""
        by_model = {}
        IrField = self.env["ir.model.fields"]
        for omap in omaps:
            model_name = field_owner(self.env, omap.model_name)
            for fmap in new_field_maps(omap):
                # ask the database, not the registry: that is where the column is
                if IrField._get(model_name, fmap.new_field_name):
                    continue
                by_model.setdefault(model_name, {}).setdefault(
                    fmap.new_field_name, fmap
                )
        return by_model

    def field_vals(self, model_name, name, fmap):
        vals = {
            "name": name,
            "model_id": self.env["ir.model"]._get_id(model_name),
            "ttype": fmap.new_field_type,
            "field_description": self.free_label(
                model_name,
                fmap.new_field_label or fmap.column,
                fmap.object_map_id.object_name,
            ),
            "state": "manual",
        }
        if fmap.new_field_type == "many2many":
            vals.update(self._tag_relation(model_name, name, fmap))
        if fmap.new_field_type == "selection":
            values = self.env["migration.value.map"]._distinct_values(fmap, split=False)
            keys = {}
            for value in values:
                keys.setdefault(selection_key(value), value)
            vals["selection_ids"] = [
                Command.create({"value": key, "name": label, "sequence": seq})
                for seq, (key, label) in enumerate(keys.items())
            ]
        return vals

    def _tag_relation(self, model_name, name, fmap):
        """Tags of the contact model's own tag table, in a table of their own
        (Odoo's default name is one per model pair)."""
        comodel = TAG_MODELS.get(fmap.object_map_id.target, "res.partner.category")
        # a long name is cut: a hash of model and field keeps it unique
        digest = hashlib.sha1(f"{model_name}.{name}".encode()).hexdigest()[:8]
        table = f"x_{self.env[model_name]._table}_{name[2:]}"[:50]
        return {
            "relation": comodel,
            "relation_table": f"{table}_{digest}_rel",
            "column1": "record_id",
            "column2": "tag_id",
        }

    def free_label(self, model_name, label, object_name, pending=()):
        """A label no field of the model has, nor of the models that inherit
        its fields by delegation (a res.partner field shows on res.users too),
        nor ``pending`` (lower case: the fields about to be made):
        'Status' becomes 'Status (memberships)'."""
        taken = {f.string.lower() for f in self.env[model_name]._fields.values()}
        taken |= set(pending)
        for other in self.env.registry.values():
            if model_name in other._inherits:
                taken |= {f.string.lower() for f in other._fields.values()}
        if label.lower() in taken:
            return f"{label} ({object_name})"
        return label

    def _catalogue(self, omaps):
        """The fields a run made, in the catalogue of target fields."""
        TargetField = self.env["migration.target.field"]
        # a custom object's own model is not its target's (contact) model
        for omap in omaps.filtered(lambda m: not m.own_model):
            for fmap in new_field_maps(omap):
                if TargetField._get(omap.target, fmap.new_field_name):
                    continue
                # sudo: the catalogue mirrors the model's fields, it is not
                # user data; a Migration User may add the fields a run made
                TargetField.sudo().create(
                    {
                        "target": omap.target,
                        "model_name": omap.model_name,
                        "name": fmap.new_field_name,
                        "label": fmap.new_field_label or fmap.column,
                        "ttype": fmap.new_field_type,
                        "custom": True,
                    }
                )
