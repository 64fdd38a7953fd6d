from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.base.models.res_partner import _tz_get

from ..engine.sources import base as engine_sources


class MigrationImportWizard(models.TransientModel):
    """Start or continue a migration: project, files, then profile and propose."""

    _name = "migration.import.wizard"
    _description = "CRM Migration: upload files"

    project_id = fields.Many2one("migration.project", string="Existing project")
    project_name = fields.Char(string="New project name")
    system = fields.Selection(
        selection=lambda self: self.env["migration.project"]._selection_system(),
        string="Source system",
        default="generic",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    source_tz = fields.Selection(
        _tz_get,
        string="Source time zone",
        default="UTC",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Files",
        help="CSV, TSV, XLSX, or a zip of them: one file per object (companies, contacts, deals...).",
    )
    propose = fields.Boolean(
        string="Profile and propose maps",
        default=True,
        help="Profile the files and propose object, field and value maps right away.",
    )

    @api.onchange("project_id")
    def _onchange_project_id(self):
        if self.project_id:
            self.system = self.project_id.system

    @api.onchange("system")
    def _onchange_system(self):
        """A new project starts with its source system's time zone (the spec's
        project defaults); an existing project keeps its own."""
        if not self.project_id and self.system in engine_sources.SOURCES:
            spec = engine_sources.SOURCES[self.system]
            self.source_tz = spec.defaults.get("source_tz", "UTC")

    def _get_project(self):
        self.ensure_one()
        if self.project_id:
            return self.project_id
        if not self.project_name:
            raise UserError(_("Choose an existing project or name a new one."))
        return self.env["migration.project"].create(
            {
                "name": self.project_name,
                "system": self.system or "generic",
                "company_id": self.company_id.id,
                "source_tz": self.source_tz or "UTC",
            }
        )

    def action_import(self):
        self.ensure_one()
        if not self.attachment_ids:
            raise UserError(_("Add at least one file."))
        project = self._get_project()
        sources = self.env["migration.source"]
        for attachment in self.attachment_ids:
            sources |= project._add_file(attachment.name, attachment.raw)
        # the upload is now kept by the project; the wizard's copies can go
        self.attachment_ids.unlink()
        if self.propose:
            project.action_profile()
            project.action_propose()
        refused = sources.filtered(lambda s: s.state == "error")
        action = {
            "type": "ir.actions.act_window",
            "res_model": "migration.project",
            "res_id": project.id,
            "view_mode": "form",
            "target": "current",
        }
        if refused:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": _("Some files were refused"),
                    "message": "\n".join(refused.mapped("error")),
                    "type": "warning",
                    "sticky": True,
                    "next": action,
                },
            }
        return action
