from odoo import _, fields, models


class MigrationMapChoiceMixin(models.AbstractModel):
    """A choice the proposer makes for one object map (where a column goes,
    which column feeds a converter's input, which Odoo value a source value
    is) with its confidence and reason, that a person checks and confirms.

    Editing what the choice says (the fields in ``_unconfirmed_by``) withdraws
    its confirmation unless the write gives one; a person's edit (no reason
    given: a proposal always says why) replaces the proposal's words."""

    _name = "migration.map.choice.mixin"
    _description = "CRM Migration: a proposed map choice a person confirms"
    # the fields whose edit withdraws the confirmation
    _unconfirmed_by = frozenset()

    object_map_id = fields.Many2one(
        "migration.object.map", required=True, ondelete="cascade", index=True
    )
    project_id = fields.Many2one(
        related="object_map_id.project_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="object_map_id.company_id", store=True, index=True
    )
    confidence = fields.Float(digits=(3, 2), readonly=True)
    reason = fields.Text(readonly=True)
    # tracked where the model has a chatter (field and converter maps)
    confirmed = fields.Boolean()

    def write(self, vals):
        if "confirmed" not in vals and self._unconfirmed_by & set(vals):
            vals = dict(vals, confirmed=False)
        return super().write(vals)

    def _edited_by_person(self, vals):
        """The fields of ``_unconfirmed_by`` a person's write edits (none for
        a proposal's write, which gives its reason)."""
        return set() if "reason" in vals else self._unconfirmed_by & set(vals)

    def _chosen_by_person(self):
        """The confidence and reason of a choice a person made by hand."""
        return {
            "confidence": 1.0,
            "reason": _("Chosen by %(person)s.", person=self.env.user.name),
        }

    # ------------------------------------------------------------ confirm
    def action_confirm(self):
        self._check_confirmable()
        self.write({"confirmed": True})
        self._after_confirm()
        for project in self.project_id:
            done = self.filtered(lambda rec, project=project: rec.project_id == project)
            message = done._confirm_message()
            if message:
                self.env["migration.audit"]._log(project, "confirm", message, done)
        return True

    def action_unconfirm(self):
        self.write({"confirmed": False})
        return True

    def _check_confirmable(self):
        """Raise when these choices cannot be confirmed together."""

    def _after_confirm(self):
        """What a confirmation teaches (remembered templates...)."""

    def _confirm_message(self):
        """The audit line of these choices' confirmation (one project's), or
        None: not audited."""
        return None
