"""A project's maps: proposing them, confirming sure proposals (the command line's
--accept-proposals), and exporting / importing every map of a project."""

from odoo import _, models
from odoo.exceptions import UserError

from ..loader.heap import frozen
from .migration_project import ACCEPT_CONFIDENCE


class MigrationProject(models.Model):
    _inherit = "migration.project"

    def action_propose(self):
        # the collector skips the registry's objects (loader/heap.py)
        with frozen():
            for project in self:
                project._propose()
        return True

    def _propose(self):
        self.env["migration.target.field"]._sync_catalogue()
        for source in self.source_ids.filtered(lambda s: s.state != "error"):
            if not source.profile:
                source._profile()
            self.env["migration.object.map"]._propose_for_source(source)
        if self.state in ("draft", "profiled"):
            self.state = self._state_before_runs()

    def _accept_proposals(self, min_confidence=None):
        """Confirm the proposals at or above ``min_confidence``, explicitly and
        on the record (chatter), as the command line's --accept-proposals."""
        self.ensure_one()
        if min_confidence is None:
            min_confidence = ACCEPT_CONFIDENCE
        omaps = self.object_map_ids.filtered(lambda m: m.target)
        # never a proposal that shares its target with another column: a person
        # chooses which one writes it
        conflicts = {omap: omap._target_conflicts() for omap in omaps}
        conflicting = self.env["migration.field.map"].browse(
            fmap.id
            for omap, found in conflicts.items()
            for _label, columns in found
            for fmap in omap.field_map_ids
            if fmap.column in columns
        )
        fmaps = omaps.field_map_ids.filtered(
            lambda f: (
                not f.confirmed
                and f.action != "ignore"
                and f.confidence >= min_confidence
                and f not in conflicting
            )
        )
        vmaps = omaps.value_map_ids.filtered(
            lambda v: (
                not v.confirmed and (v.confidence >= min_confidence or v.create_new)
            )
        )
        fmaps.action_confirm()
        vmaps.action_confirm()
        # converter columns a proposal is sure of (spelled as the input, values
        # of its kind); the others wait for a person, the run reads them as shown
        omaps.converter_column_ids.filtered(
            lambda c: not c.confirmed and c.confidence >= min_confidence
        ).action_confirm()
        for omap in omaps.filtered(
            lambda m: (
                not m.confirmed and m.confidence >= min_confidence and not conflicts[m]
            )
        ):
            omap.confirmed = True
        self.message_post(
            body=_(
                "%(user)s accepted the proposals with a confidence of at least %(min)s: "
                "%(fields)s field maps and %(values)s value maps confirmed.",
                user=self.env.user.name,
                min=min_confidence,
                fields=len(fmaps),
                values=len(vmaps),
            )
        )
        return fmaps, vmaps

    def _export_maps(self):
        """The project's maps as plain data (for a JSON/YAML file under review)."""
        self.ensure_one()
        objects = []
        for omap in self.object_map_ids.sorted(lambda m: (m.sequence, m.id)):
            objects.append(
                {
                    "source": omap.source_id.name or omap.object_name,
                    "target": omap.target or None,
                    "key_rule": omap.key_rule,
                    "key_column": omap.key_column or None,
                    "dedupe_rule": omap.dedupe_rule,
                    "lead_type": omap.lead_type,
                    "confirmed": omap.confirmed,
                    "fields": [
                        {
                            "column": f.column,
                            "action": f.action,
                            "field": f.target_field_id.name or None,
                            "new_field": {
                                "name": f.new_field_name,
                                "type": f.new_field_type,
                                "label": f.new_field_label or f.column,
                            }
                            if f.action == "create"
                            else None,
                            "transform": f.transform,
                            "transform_options": f.transform_options or None,
                            "confirmed": f.confirmed,
                        }
                        for f in omap.field_map_ids.sorted(lambda f: (f.sequence, f.id))
                    ],
                    "values": [
                        {
                            "column": v.field_map_id.column,
                            "kind": v.kind,
                            "source": v.source_value,
                            "model": v.target_ref._name if v.target_ref else None,
                            "name": v.target_ref.display_name if v.target_ref else None,
                            "create_new": v.create_new,
                            "confirmed": v.confirmed,
                        }
                        for v in omap.value_map_ids.sorted(
                            lambda v: (v.field_map_id.id, v.source_value)
                        )
                    ],
                    "columns": [
                        {
                            "input": c.role,
                            "column": c.column or None,
                            "confirmed": c.confirmed,
                        }
                        for c in omap.converter_column_ids
                    ],
                }
            )
        return {
            "format": "crm_migration.maps/1",
            "project": self.name,
            "system": self.system,
            "objects": objects,
        }

    def _import_columns(self, omap, obj):
        """A converted object's column choices from an exported maps file."""
        problems = []
        inputs = {c.role: c for c in omap.converter_column_ids}
        for item in obj.get("columns", []):
            choice = inputs.get(item["input"])
            if not choice:
                problems.append(
                    _(
                        "%(file)s has no input %(input)s.",
                        file=obj["source"],
                        input=item["input"],
                    )
                )
                continue
            if (item.get("column") or False) != choice.column:
                choice.column = item.get("column") or False
            choice.confirmed = bool(item.get("confirmed"))
        return problems

    def _import_maps(self, data):
        """Apply exported maps to this project's sources of the same names.

        Returns the list of problems (sources or fields not found); what
        matched is written as in the file, confirmations included.
        """
        self.ensure_one()
        if not isinstance(data, dict) or data.get("format") != "crm_migration.maps/1":
            raise UserError(_("This is not a crm_migration maps file."))
        problems = []
        self.env["migration.target.field"]._sync_catalogue()
        by_source = {m.source_id.name: m for m in self.object_map_ids}
        for obj in data.get("objects", []):
            omap = by_source.get(obj["source"]) or self._import_object_map(
                obj, problems
            )
            if not omap:
                continue
            self._import_field_maps(omap, obj, problems)
            problems += self._import_columns(omap, obj)
            self.env["migration.value.map"]._propose_for_object(omap)
            self._import_value_maps(omap, obj, problems)
        self.env["migration.audit"]._log(
            self,
            "import",
            _("Maps imported (%(count)s problems).", count=len(problems)),
            self,
        )
        self.message_post(
            body=_(
                "Maps imported by %(user)s (%(count)s problems).",
                user=self.env.user.name,
                count=len(problems),
            )
        )
        if self.state in ("draft", "profiled"):
            self.state = "mapped"
        return problems

    def _import_object_map(self, obj, problems):
        """The object map of an exported file this project has but has not
        mapped yet (proposed now); None with a problem when it has no such file."""
        source = self.source_ids.filtered(lambda s, name=obj["source"]: s.name == name)[
            :1
        ]
        if source:
            return self.env["migration.object.map"]._propose_for_source(source)
        problems.append(
            _(
                "No file %(name)s in project %(project)s.",
                name=obj["source"],
                project=self.name,
            )
        )
        return None

    def _import_field_maps(self, omap, obj, problems):
        """The object's own settings, then each exported column's field map."""
        omap.write(
            {
                "target": obj.get("target") or False,
                "key_rule": obj.get("key_rule") or "line",
                "key_column": obj.get("key_column") or False,
                "dedupe_rule": obj.get("dedupe_rule") or "none",
                "lead_type": obj.get("lead_type") or "auto",
                "confirmed": bool(obj.get("confirmed")),
            }
        )
        if omap.target and not omap.converted:  # converted: no field maps
            self.env["migration.field.map"]._propose_for_object(
                omap, (omap.source_id.profile or {}).get("columns", []), {}
            )
        fmaps = {f.column: f for f in omap.field_map_ids}
        for item in obj.get("fields", []):
            fmap = fmaps.get(item["column"])
            if not fmap:
                problems.append(
                    _(
                        "%(file)s has no column %(column)s.",
                        file=obj["source"],
                        column=item["column"],
                    )
                )
                continue
            vals = self._imported_field_values(omap, item, problems)
            if vals is not None:
                fmap.write(vals)

    def _imported_field_values(self, omap, item, problems):
        """One exported column's field map values; None (with a problem) when its
        target field is unknown."""
        vals = {
            "action": item["action"],
            "transform": item.get("transform") or "text",
            "transform_options": item.get("transform_options") or False,
            "confirmed": bool(item.get("confirmed")),
            "target_field_id": False,
        }
        if item["action"] == "map":
            tfield = self.env["migration.target.field"]._get(
                omap.target, item.get("field")
            )
            if not tfield:
                problems.append(
                    _(
                        "Unknown target field %(field)s for %(column)s.",
                        field=item.get("field"),
                        column=item["column"],
                    )
                )
                return None
            vals["target_field_id"] = tfield.id
        elif item["action"] == "create" and item.get("new_field"):
            vals.update(
                new_field_name=item["new_field"]["name"],
                new_field_type=item["new_field"]["type"],
                new_field_label=item["new_field"].get("label"),
            )
        return vals

    def _import_value_maps(self, omap, obj, problems):
        """Each exported value map: its Odoo record found by display name."""
        vmaps = {(v.field_map_id.column, v.source_value): v for v in omap.value_map_ids}
        for item in obj.get("values", []):
            vmap = vmaps.get((item["column"], item["source"]))
            if not vmap:
                problems.append(
                    _(
                        "No value %(value)s in column %(column)s of %(file)s.",
                        value=item["source"],
                        column=item["column"],
                        file=obj["source"],
                    )
                )
                continue
            ref = False
            if item.get("model") and item.get("name"):
                rec = self.env[item["model"]].search(
                    [("display_name", "=", item["name"])], limit=1
                )
                if not rec:
                    problems.append(
                        _(
                            "No %(model)s named %(name)s.",
                            model=item["model"],
                            name=item["name"],
                        )
                    )
                ref = rec and f"{rec._name},{rec.id}"
            vmap.write(
                {
                    "target_ref": ref or False,
                    "create_new": bool(item.get("create_new")),
                    "confirmed": bool(item.get("confirmed")),
                }
            )
