from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..engine import propose, records
from ..engine.convert.stage_order import describe
from ..engine.core import targets
from ..engine.core.headers import norm_header
from ..engine.match import norm_company, norm_email, norm_text
from ..engine.sources.base import get_source
from ..loader.stages import inferred_stages
from .migration_target_field import target_model, target_selection

# an object proposal this unsure is a guess: the file waits for a person
UNKNOWN_ROLE = 0.3
# what the object becomes and how its rows are keyed: a change withdraws the
# map's confirmation (and a person's is audited)
UNCONFIRMED_BY = frozenset(
    {"target", "key_rule", "key_column", "dedupe_rule", "extends_only", "own_model"}
)


class MigrationObjectMap(models.Model):
    """Source object (one file or table) -> Odoo target object."""

    _name = "migration.object.map"
    _description = "Migration Object Map"
    _inherit = ["mail.thread"]
    _order = "project_id, sequence, id"

    project_id = fields.Many2one(
        "migration.project", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )
    source_id = fields.Many2one("migration.source", ondelete="cascade", index=True)
    sequence = fields.Integer(default=10, help="Load order (from the dependency plan).")
    object_name = fields.Char(string="Source object", required=True)
    target = fields.Selection(
        selection=lambda self: target_selection(),
        tracking=True,
        help="Leave empty to not migrate this object.",
    )
    model_name = fields.Char(compute="_compute_model_name", store=True)
    key_rule = fields.Selection(
        [
            ("column", "A column (source id)"),
            ("email", "Email"),
            ("name", "Name"),
            ("content", "Row content (rows without an id)"),
            ("compound", "Compound key of the source system (rows without an id)"),
            ("line", "File line"),
        ],
        default="line",
        required=True,
        tracking=True,
        help="What identifies a source record, so that a re-run updates it.",
    )
    key_column = fields.Char(tracking=True)
    dedupe_rule = fields.Selection(
        [("none", "None"), ("email", "Same email (any case and spaces)")],
        default="none",
        required=True,
        tracking=True,
        help="Rows that share this are merged into one record.",
    )
    extends_only = fields.Boolean(
        string="Only extends records",
        tracking=True,
        help="A custom object of the source (memberships, enrolments...): each row "
        "fills the x_ fields of the record it names (by email) and never creates "
        "one; a row naming no record goes to the review queue.",
    )
    own_model = fields.Boolean(
        string="Own model",
        tracking=True,
        help="A custom object of the source (memberships, enrolments...): each row "
        "becomes a record of a model of its own (made by the first run as Odoo "
        "Studio makes one: x_ fields, views, menu, access), linked to the contact "
        "its link column names by email, so that a contact with three enrolments "
        "keeps all three. A rollback removes the rows; the model stays.",
    )
    link_column = fields.Char(
        tracking=True,
        help="The column whose email names the contact a custom object's row "
        "belongs to.",
    )
    custom_model_id = fields.Many2one(
        "ir.model",
        string="Custom model",
        readonly=True,
        ondelete="set null",
        help="The x_ model a run made for this custom object.",
    )
    lead_type = fields.Selection(
        [
            ("auto", "From the type column, else the file's name and columns"),
            ("lead", "Leads"),
            ("opportunity", "Opportunities"),
        ],
        string="Rows become",
        default="auto",
        required=True,
        tracking=True,
        help="The lead/opportunity split of a leads object: what its rows become "
        "when no mapped column gives their type (proposed from the source "
        "system's export file: a deals export holds opportunities).",
    )
    converted = fields.Boolean(
        compute="_compute_model_name",
        store=True,
        help="Loaded by the source system's own rules (engine/records.py), not "
        "through field maps.",
    )
    confidence = fields.Float(digits=(3, 2))
    reason = fields.Text()
    confirmed = fields.Boolean(tracking=True)
    field_map_ids = fields.One2many(
        "migration.field.map", "object_map_id", string="Field maps"
    )
    value_map_ids = fields.One2many(
        "migration.value.map", "object_map_id", string="Value maps"
    )
    stage_proposal_ids = fields.One2many(
        "migration.stage.proposal",
        "object_map_id",
        string="Stages",
        help="Stages the deals imply, made by the run in this order and with "
        "these flags (a source that exports no pipeline configuration).",
    )
    converter_column_ids = fields.One2many(  # a converted object's inputs
        "migration.converter.column", "object_map_id", string="Columns read"
    )
    field_map_count = fields.Integer(compute="_compute_map_counts")
    unconfirmed_field_count = fields.Integer(compute="_compute_map_counts")

    @api.depends("target", "own_model", "custom_model_id")
    def _compute_model_name(self):
        for omap in self:
            omap.model_name = target_model(omap.target) if omap.target else False
            if omap.target and omap.own_model and omap.custom_model_id:
                omap.model_name = omap.custom_model_id.model
            omap.converted = omap.target in records.CONVERTED

    @api.depends("field_map_ids.confirmed", "field_map_ids.action")
    def _compute_map_counts(self):
        for omap in self:
            omap.field_map_count = len(omap.field_map_ids)
            omap.unconfirmed_field_count = len(
                omap.field_map_ids.filtered(
                    lambda f: f.action != "ignore" and not f.confirmed
                )
            )

    @api.depends("object_name", "target")
    def _compute_display_name(self):
        labels = dict(target_selection())
        for omap in self:
            target = labels.get(omap.target) or _("not migrated")
            omap.display_name = f"{omap.object_name} → {target}"

    def write(self, vals):
        # a changed target or key invalidates the confirmation, unless given
        edited = UNCONFIRMED_BY & set(vals)
        if "confirmed" not in vals and edited:
            vals = dict(vals, confirmed=False)
        result = super().write(vals)
        if vals.get("own_model") and "reason" not in vals:
            # ticked by a person: every column goes to the model's own fields
            for omap in self.filtered(lambda m: not m.confirmed):
                omap._own_model_fields()
        if "target" in vals:
            self.env["migration.converter.column"]._retarget(self)
        if edited and "reason" not in vals:  # a person's edit, not a proposal
            for omap in self:
                self.env["migration.audit"]._log(
                    omap.project_id,
                    "edit",
                    _(
                        "Object map %(map)s edited (%(fields)s).",
                        map=omap.display_name,
                        fields=", ".join(sorted(edited)),
                    ),
                    omap,
                )
        return result

    def _target_conflicts(self):
        """[(field label, [columns])] of the target fields that two or more
        columns of this object would write (directly, or through fields that set
        the same value, as first + last name and the full name)."""
        self.ensure_one()
        by_field = {}
        for fmap in self.field_map_ids.filtered(
            lambda f: f.action == "map" and f.target_field_id
        ):
            by_field.setdefault(fmap.target_field_id.name, []).append(fmap)
        conflicts = []
        seen = set()
        for fname in by_field:
            group = propose.conflicting_fields(self.target, fname)
            members = [f for other in sorted(group) for f in by_field.get(other, ())]
            key = frozenset(f.id for f in members)
            if len(members) > 1 and key not in seen:
                seen.add(key)
                label = " / ".join(
                    dict.fromkeys(f.target_field_id.label for f in members)
                )
                conflicts.append((label, [f.column for f in members]))
        return conflicts

    def _check_new_field_limit(self):
        """Refuse maps that would add more new x_ fields to one object than the
        project allows, naming the objects: checked before a run and again
        before the fields are made, so the schema never takes them."""
        lines = []
        for omap in self:
            wanted = omap.field_map_ids.filtered(
                lambda f: f.action == "create" and f.new_field_name
            )
            limit = omap.project_id.max_new_fields
            if limit and len(wanted) > limit:
                lines.append(
                    self.env._(
                        "%(object)s would add %(count)s new fields to %(model)s; the "
                        "project allows %(limit)s per object. Map columns to existing "
                        "fields, set them to 'Do not migrate', or raise the project's "
                        "'New fields per object'.",
                        object=omap.object_name,
                        count=len(wanted),
                        model=omap.model_name,
                        limit=limit,
                    )
                )
        if lines:
            raise UserError("\n".join(lines))

    def _check_target_conflicts(self, columns=None):
        """Refuse a map set that gives one target field to two columns (only
        the conflicts naming one of ``columns`` when given)."""
        lines = [
            self.env._(
                "%(object)s: columns %(columns)s would all write %(field)s; keep one "
                "and send the others to a new field or 'Do not migrate'.",
                object=omap.object_name,
                columns=", ".join(f"'{c}'" for c in cols),
                field=label,
            )
            for omap in self
            for label, cols in omap._target_conflicts()
            if columns is None or set(cols) & set(columns)
        ]
        if lines:
            raise UserError("\n".join(lines))

    def action_confirm(self):
        self._check_target_conflicts()
        for omap in self:
            omap.confirmed = True
            omap.field_map_ids.filtered(lambda f: not f.confirmed).action_confirm()
            omap.value_map_ids.filtered(lambda v: not v.confirmed).action_confirm()
            omap.converter_column_ids.filtered(
                lambda c: not c.confirmed
            ).confirmed = True
            self.env["migration.audit"]._log(
                omap.project_id,
                "confirm",
                _("Object map %(map)s confirmed.", map=omap.display_name),
                omap,
            )
        return True

    def action_open_field_maps(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_migration.action_migration_field_map"
        )
        action["domain"] = [("object_map_id", "=", self.id)]
        action["context"] = {"default_object_map_id": self.id}
        return action

    # ------------------------------------------------------------------ keys
    def _columns_for(self, *field_names):
        """Source columns mapped to these target fields, in that order."""
        self.ensure_one()
        columns = []
        for fname in field_names:
            columns += self.field_map_ids.filtered(
                lambda f, fname=fname: (
                    f.action == "map" and f.target_field_id.name == fname
                )
            ).mapped("column")
        return columns

    def _key_object(self):
        """The source object keying this map's ids (quotes, orders): targets.id_key"""
        source = self.source_id
        return source.object_name or norm_header(source.name or "") or None

    def _source_key(self, data, line):
        """What identifies a source row across runs and deltas, from its raw
        values: the ledger maps (project, target, key) to the Odoo record."""
        return self._key_function()(data, line)

    def _key_function(self):
        """``_source_key`` as a plain function of (data, line), the map's rule,
        columns and source read once: the loader keys every row of a run with
        it (as ORM reads, several field reads per row)."""
        self.ensure_one()
        rule, target, system = self.key_rule, self.target, self.project_id.system
        prefix = f"line:{self.source_id.name}:"
        if rule == "content":
            return lambda data, line: records.content_key(data, system)
        if rule == "compound":
            spec = get_source(system)

            def find(data):
                return spec.identity_key(target, data)
        elif rule == "column" and self.key_column:
            find = self._column_key(self.key_column, target, self._key_object())
        elif rule == "email":
            find = self._email_key(self._columns_for("email", "email_from"))
        elif rule == "name":
            columns = self._columns_for("name") or self._columns_for(
                "first_name", "last_name"
            )
            find = self._name_key(columns, target)
        else:
            return lambda data, line: f"{prefix}{line}"
        return lambda data, line: find(data) or f"{prefix}{line}"

    @staticmethod
    def _column_key(column, target, key_object):
        def find(data):
            value = str(data.get(column) or "").strip()
            return value and targets.id_key(target, value, key_object)

        return find

    @staticmethod
    def _email_key(columns):
        def find(data):
            for column in columns:
                if str(data.get(column) or "").strip():
                    return f"email:{norm_email(data[column])}"
            return None

        return find

    @staticmethod
    def _name_key(columns, target):
        norm = norm_company if target == "company" else norm_text

        def find(data):
            name = " ".join(str(data.get(c) or "").strip() for c in columns).strip()
            return name and f"name:{norm(name)}"

        return find

    @api.model
    def _preview_stages(self, omap):
        """A source without pipeline configuration: the stages its deals imply,
        proposed before the run (which makes them as the Stages tab says), so
        that a person can reorder them, flag them won or folded, map a stage
        value to an existing stage or untick creating it."""
        if not get_source(omap.project_id.system).infer_stages:
            return
        stages = inferred_stages(self.env, omap)
        self.env["migration.stage.proposal"]._sync(omap)
        if stages:
            omap.reason = _(
                "%(reason)s\nStages inferred from the deals (made when the run "
                "starts as the Stages tab lists them: drag to reorder, tick won or "
                "folded; map a stage value to an existing stage, or untick 'create', "
                "to use one of Odoo's):\n%(stages)s",
                reason=omap.reason or "",
                stages=describe(stages),
            )

    def action_reset_stages(self):
        """The stages back to the order and flags the deals imply."""
        self.ensure_one()
        self.env["migration.stage.proposal"]._sync(self, reset=True)
        return True
