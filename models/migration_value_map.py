from odoo import _, api, fields, models
from odoo.tools import SQL

from ..engine import propose
from ..engine.transform import EMAIL_RE, split_list, to_lead_status

# value map kind -> (model, fields whose values are offered as candidates)
KIND_MODELS = {
    "stage": ("crm.stage", ["name"]),
    "owner": ("res.users", ["login", "email", "name"]),
    "team": ("crm.team", ["name"]),
    "lost_reason": ("crm.lost.reason", ["name"]),
    "country": ("res.country", ["code", "name"]),
}
TAG_MODELS = {
    "lead": "crm.tag",
    "company": "res.partner.category",
    "contact": "res.partner.category",
}
# kinds for which an unmatched value becomes a new record at load time
CREATABLE = {"stage", "team", "lost_reason", "tag"}
MAX_DISTINCT = 500


class MigrationValueMap(models.Model):
    """Source picklist value -> Odoo record (stage, owner, team, tag, country...)."""

    _name = "migration.value.map"
    _description = "Migration Value Map"
    _inherit = ["migration.map.choice.mixin"]
    _order = "field_map_id, source_value"
    _rec_name = "source_value"
    # the Odoo value chosen: editing it withdraws the confirmation
    _unconfirmed_by = frozenset({"target_ref", "create_new"})

    field_map_id = fields.Many2one(
        "migration.field.map", required=True, ondelete="cascade", index=True
    )
    column = fields.Char(related="field_map_id.column")
    kind = fields.Selection(
        [
            ("stage", "Stage"),
            ("owner", "Owner"),
            ("team", "Sales team"),
            ("tag", "Tag"),
            ("lost_reason", "Lost reason"),
            ("country", "Country"),
        ],
        required=True,
    )
    source_value = fields.Char(required=True)
    target_ref = fields.Reference(
        selection=[
            ("crm.stage", "Stage"),
            ("res.users", "User"),
            ("crm.team", "Sales team"),
            ("crm.tag", "CRM tag"),
            ("res.partner.category", "Contact tag"),
            ("crm.lost.reason", "Lost reason"),
            ("res.country", "Country"),
        ],
        string="Odoo value",
    )
    create_new = fields.Boolean(
        help="No existing record matches: the run creates one with the source value's name."
    )

    _sql_constraints = [
        (
            "value_uniq",
            "unique(field_map_id, source_value)",
            "A value is mapped once per column.",
        ),
    ]

    def write(self, vals):
        by_person = self._edited_by_person(vals)
        if by_person:
            vals = dict(vals, **self._person_choice(vals))
        result = super().write(vals)
        if by_person:
            for vmap in self:
                self.env["migration.audit"]._log(
                    vmap.project_id,
                    "edit",
                    _(
                        "Value map %(value)s of %(column)s edited.",
                        value=vmap.source_value,
                        column=vmap.column,
                    ),
                    vmap,
                )
        return result

    def _person_choice(self, vals):
        """The confidence and reason of a value a person mapped by hand: the
        proposal's words ("no existing owner matches") no longer hold."""
        person = self.env.user.name
        if vals.get("target_ref"):
            return self._chosen_by_person()
        if vals.get("create_new"):
            return {
                "confidence": 1.0,
                "reason": _(
                    "%(person)s chose to create it at load time.", person=person
                ),
            }
        if "target_ref" in vals:
            return {
                "confidence": 0.0,
                "reason": _("%(person)s removed the Odoo value.", person=person),
            }
        return {}

    def _confirm_message(self):
        return _("%(count)s value maps confirmed.", count=len(self))

    @api.model
    def _kind_for(self, fmap):
        if fmap.action != "map" or not fmap.target_field_id:
            return False
        name = fmap.target_field_id.name
        if name in ("tag_ids", "category_id"):
            return "tag"
        return {
            "stage_id": "stage",
            "user_id": "owner",
            "team_id": "team",
            "lost_reason_id": "lost_reason",
            "country_id": "country",
        }.get(name, False)

    @api.model
    def _candidates(self, kind, target):
        """{candidate label: record} of the existing Odoo values of a kind."""
        if kind == "tag":
            model = TAG_MODELS[target]
            names = ["name"]
        else:
            model, names = KIND_MODELS[kind]
        records = self.env[model].with_context(active_test=True).search([])
        result = {}
        for rec in records:
            for fname in names:
                label = rec[fname]
                if isinstance(label, str) and label and label not in result:
                    result[label] = rec
        return result

    def _distinct_values(self, fmap, split):
        self.env["migration.staging.row"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT data->>%s FROM migration_staging_row "
                "WHERE source_id = %s AND coalesce(data->>%s, '') != '' LIMIT %s",
                fmap.column,
                fmap.object_map_id.source_id.id,
                fmap.column,
                MAX_DISTINCT,
            )
        )
        values = set()
        for (value,) in self.env.cr.fetchall():
            values.update(split_list(value) if split else [value.strip()])
        return sorted(v for v in values if v)

    @api.model
    def _outcome(self, omap, prop):
        """ "won" / "lost" for a stage value that is the deal's outcome (see
        loader.handlers.lead.stage_status), else False."""
        if omap._columns_for("status"):
            return False
        try:
            status = to_lead_status(prop.source)
        except ValueError:
            return False
        return status if status in ("won", "lost") else False

    @api.model
    def _creates_user(self, omap, prop):
        """Whether the run creates the user an owner value names (see
        loader.resolve.Resolver.new_user)."""
        project = omap.project_id
        return (
            project.create_users
            and "user" not in project.object_map_ids.mapped("target")
            and bool(EMAIL_RE.match(prop.source.strip().lower()))
        )

    @api.model
    def _propose_for_object(self, omap):
        for fmap in omap.field_map_ids:
            kind = self._kind_for(fmap)
            if not kind:
                continue
            existing = {v.source_value: v for v in fmap.value_map_ids}
            values = self._distinct_values(fmap, split=kind == "tag")
            candidates = self._candidates(kind, omap.target)
            to_create = []
            for prop in propose.propose_values(kind, values, list(candidates)):
                current = existing.get(prop.source)
                if current and current.confirmed:
                    continue
                record = candidates.get(prop.target) if prop.target else None
                reason = prop.reason
                outcome = not record and kind == "stage" and self._outcome(omap, prop)
                if outcome:
                    reason = _(
                        "'%(value)s' says the deal is %(status)s and no column gives "
                        "its status: won deals go to the won stage of their team, "
                        "lost ones are archived (Odoo's lost); no stage is created.",
                        value=prop.source,
                        status=outcome,
                    )
                elif not record and kind == "owner" and self._creates_user(omap, prop):
                    reason = _(
                        "%(reason)s 'Create missing users' is on: the run creates "
                        "the user %(login)s.",
                        reason=prop.reason,
                        login=prop.source,
                    )
                elif not record and kind == "owner":
                    reason = _(
                        "%(reason)s Records with this owner get the project's default "
                        "owner and a review item.",
                        reason=prop.reason,
                    )
                vals = {
                    "object_map_id": omap.id,
                    "field_map_id": fmap.id,
                    "kind": kind,
                    "source_value": prop.source,
                    "target_ref": f"{record._name},{record.id}" if record else False,
                    "create_new": not record and kind in CREATABLE and not outcome,
                    "confidence": prop.confidence,
                    "reason": reason,
                    "confirmed": False,
                }
                if current:
                    current.write(vals)
                else:
                    to_create.append(vals)
            if to_create:
                self.create(to_create)
        return True
