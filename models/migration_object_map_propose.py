"""What a file holds and how its rows are keyed: the object map's proposals
(the project's source system first, else the generic rules)."""

from odoo import _, api, models

from ..engine import propose, readers, records
from ..engine.core.headers import norm_header
from ..engine.sources.base import get_source
from .migration_object_map import UNKNOWN_ROLE
from .migration_target_field import target_model


class MigrationObjectMap(models.Model):
    _inherit = "migration.object.map"

    @api.model
    def _object_proposal(self, source, columns):
        """What a file holds: the project's source system first, else generic."""
        engine_source = get_source(source.project_id.system)
        try:
            table = source._get_table()
        except readers.ReadError:
            return propose.propose_object(source.name, columns)
        obj = engine_source.object_proposal(table, columns)
        if obj.custom_object:
            return obj  # the source said so, with its own confidence and reason
        hint = engine_source.object_hint(table)
        hint = records.HINT_TARGETS.get(hint, hint)
        if hint in records.CONVERTED:
            return propose.ObjectProposal(
                target=hint,
                confidence=0.95,
                reason=_(
                    "A %(system)s %(kind)s file: converted by the %(system)s rules "
                    "into %(model)s (no field maps to confirm).",
                    system=source.project_id.system,
                    kind=records.LABELS[hint].lower(),
                    model=target_model(hint),
                ),
                alternatives=[],
            )
        if hint == "membership":
            return propose.ObjectProposal(
                target="contact",
                confidence=0.8,
                reason=_(
                    "A custom object (%(name)s): each row becomes a record of a model "
                    "of its own, linked to the contact it names by email.",
                    name=source.name,
                ),
                custom_object=True,
            )
        if hint and hint not in propose.TARGETS:
            # a file kind this version does not load yet: never guess it as a
            # lead or contact; it stays staged and is listed as not migrated
            return propose.ObjectProposal(
                target=None,
                confidence=obj.confidence,
                reason=_(
                    "A %(system)s %(kind)s file: not loaded by this version (it stays "
                    "staged and appears in the readiness inventory).",
                    system=source.project_id.system,
                    kind=hint,
                ),
                alternatives=[],
            )
        if obj.target and obj.confidence <= UNKNOWN_ROLE:
            return self._unclear_proposal(source, obj)
        return obj

    @api.model
    def _unclear_proposal(self, source, obj):
        """Nothing in a file's name, columns or values says what it holds: a
        person chooses; it is never loaded as companies by default."""
        return propose.ObjectProposal(
            target=None,
            confidence=obj.confidence,
            reason=_(
                "What %(file)s holds is not clear from its name, columns or "
                "values (the best guess, %(guess)s, is only %(conf)s%% sure: "
                "%(why)s). It is not loaded until a person chooses its object.",
                file=source.name,
                guess=obj.target,
                conf=round(obj.confidence * 100),
                why=obj.reason,
            ),
            alternatives=[
                {"target": obj.target, "confidence": obj.confidence},
                *obj.alternatives,
            ],
        )

    @api.model
    def _lead_type(self, source):
        """What the rows of a leads file become by the source system's rule
        for its export file (``Source.lead_types``), else decided per row."""
        engine_source = get_source(source.project_id.system)
        if not engine_source.lead_types or not engine_source.file_kinds:
            return "auto"
        try:
            kind = engine_source.file_kinds.of(source._get_table())
        except readers.ReadError:
            return "auto"
        return engine_source.lead_types.get(kind, "auto")

    @api.model
    def _identity_key(self, omap, identity):
        """The compound key the source system declares for the object's rows."""
        return {
            "key_rule": "compound",
            "key_column": False,
            "reason": _(
                "%(reason)s\nKey: %(key)s (no id column; rows repeating it are one "
                "record).",
                reason=omap.reason or "",
                key=identity.name,
            ),
        }

    @api.model
    def _converted_key(self, omap, columns):
        """The key of a converted object: its own id column (the first column
        named ``... ID`` or ``... Number`` whose values are all distinct and that
        is not a reference to another object), else the row's content."""
        foreign = ("contact", "opportunity", "pipeline", "company", "user", "deal",
                   "recipient", "product", "campaign", "lead")  # fmt: skip
        own = {
            "team": ("pipeline", "campaign"),
            "user": ("user",),
            "product": ("product",),
        }.get(omap.target, ())
        for col in columns:
            # "ProductID" is "product id" (norm_header splits camel case)
            words = norm_header(col.get("name") or "").split()
            if not words or words[-1] not in ("id", "number", "no"):
                continue
            if len(words) > 1 and words[0] in foreign and words[0] not in own:
                continue
            filled = col.get("non_null") or 0
            if filled and col.get("nulls") == 0 and col.get("distinct") == filled:
                return {
                    "key_rule": "column",
                    "key_column": col["name"],
                    "reason": _(
                        "%(reason)s\nKey: column %(column)s (unique).",
                        reason=omap.reason or "",
                        column=col["name"],
                    ),
                }
        return {
            "key_rule": "content",
            "key_column": False,
            "reason": _(
                "%(reason)s\nKey: the row's content (no id column).",
                reason=omap.reason or "",
            ),
        }

    @api.model
    def _propose_for_source(self, source):
        """Create (or refresh the unconfirmed parts of) the maps of a source."""
        project = source.project_id
        columns = (source.profile or {}).get("columns", [])
        omap = self.search([("source_id", "=", source.id)], limit=1)
        obj = self._object_proposal(source, columns)
        if not omap:
            omap = self.create(
                {
                    "project_id": project.id,
                    "source_id": source.id,
                    "object_name": source.object_name or source.name,
                    "target": obj.target,
                    "confidence": obj.confidence,
                    "reason": obj.reason,
                }
            )
        elif not omap.confirmed:
            omap.write(
                {
                    "target": obj.target,
                    "confidence": obj.confidence,
                    "reason": obj.reason,
                }
            )
        if not omap.target:
            return omap
        identity = get_source(project.system).identities.get(omap.target)
        if omap.target in records.CONVERTED:
            if not omap.confirmed:
                omap.write(
                    self._identity_key(omap, identity)
                    if identity
                    else self._converted_key(omap, columns)
                )
            # the source's declared custom columns: typed x_ fields
            self.env["migration.field.map"]._propose_declared(omap, columns)
            self.env["migration.converter.column"]._propose_for_object(omap)
            return omap
        if not omap.confirmed:
            omap.write(self._proposed_key(omap, source, columns, obj, identity))
        learned = self.env["migration.map.template"]._learned(project.system)
        self.env["migration.field.map"]._propose_for_object(omap, columns, learned)
        if omap.own_model and not omap.confirmed:
            omap._own_model_fields()
        self.env["migration.value.map"]._propose_for_object(omap)
        if not omap.confirmed and omap.target == "lead":
            self._preview_stages(omap)
        return omap

    @api.model
    def _proposed_key(self, omap, source, columns, obj, identity):
        """How a field-mapped object's rows are told apart (a key column, the
        source's identity, email, name or line) and deduplicated, with the reason."""
        system = omap.project_id.system
        key_column, key_reason = propose.propose_key(omap.target, columns)
        vals = {"key_rule": "line", "key_column": False}
        if identity and not key_column:
            vals = self._identity_key(omap, identity)
            key_reason = vals.pop("reason").split("\n")[-1]
        elif key_column:
            vals = {"key_rule": "column", "key_column": key_column}
        elif omap.target == "contact" and any(
            c.get("type") == "email" for c in columns
        ):
            vals = {"key_rule": "email"}
        elif omap.target == "company":
            vals = {"key_rule": "name"}
        if omap.target in get_source(system).dedupe_by_email:
            vals["dedupe_rule"] = "email"
        if obj.custom_object:
            vals.update(own_model=True, link_column=obj.link_column or False)
        if omap.target == "lead":
            vals["lead_type"] = self._lead_type(source)
        return dict(vals, reason=f"{omap.reason or ''}\n{key_reason}".strip())
