from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.base.models.res_partner import _tz_get

from ..engine.api import ApiError
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
        compute="_compute_source_tz",
        store=True,
        readonly=False,
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Files",
        help="CSV, TSV, XLSX, or a zip of them: one file per object (companies, "
        "contacts, deals...); or a zip of saved API pages (<Entity>/page-0001.json).",
    )
    api_available = fields.Boolean(compute="_compute_api_available")
    api_account_needed = fields.Boolean(compute="_compute_api_available")
    use_api = fields.Boolean(
        string="Pull from the API",
        help="Read the account through the source system's API (as well as any "
        "files given).",
    )
    api_base_url = fields.Char(
        string="API address", help="Empty: the source system's own address."
    )
    api_account_id = fields.Char(string="API account")
    # never stored in clear: what is typed is encrypted at once into api_key_token
    api_key = fields.Char(
        string="API key", compute="_compute_api_key", inverse="_inverse_api_key"
    )
    api_key_token = fields.Char()
    keep_api_key = fields.Boolean(
        string="Keep the key for the scheduled delta",
        help="Kept encrypted, readable by Migration Managers only; the delta then "
        "asks the API for what changed since the last pull.",
    )
    propose = fields.Boolean(
        string="Profile and propose maps",
        default=True,
        help="Profile the files and propose object, field and value maps right away.",
    )

    @api.depends("system", "project_id")
    def _compute_api_available(self):
        for wizard in self:
            system = wizard.project_id.system or wizard.system
            spec = engine_sources.SOURCES.get(system)
            needs = spec.api_credentials if spec else ()
            wizard.api_available = bool(needs)
            wizard.api_account_needed = "account_id" in needs

    def _compute_api_key(self):
        for wizard in self:
            wizard.api_key = False

    def _inverse_api_key(self):
        fernet = self.env["migration.project"]._fernet()
        for wizard in self:
            wizard.api_key_token = (
                fernet.encrypt(wizard.api_key.encode()).decode()
                if wizard.api_key
                else False
            )
        # what was typed must not be read back (by the form after saving, or
        # anything reading the wizard): the field reads empty again
        self.invalidate_recordset(["api_key"])

    def _api_credentials(self):
        self.ensure_one()
        if not self.api_key_token:
            raise UserError(_("Enter the API key to pull from the API."))
        key = (
            self.env["migration.project"]
            ._fernet()
            .decrypt(self.api_key_token.encode())
            .decode()
        )
        credentials = {"api_key": key}
        if self.api_account_needed:
            if not self.api_account_id:
                raise UserError(_("Enter the API account to pull from the API."))
            credentials["account_id"] = self.api_account_id
        return credentials

    def _pull(self, project):
        if self.keep_api_key and not self.env.user.has_group(
            "crm_migration.group_migration_manager"
        ):
            # refused before any request: keeping a key is a Manager's choice
            raise AccessError(_("Only a Migration Manager can keep an API key."))
        credentials = self._api_credentials()
        try:
            sources = project._pull_api(credentials, base_url=self.api_base_url or None)
        except (ApiError, ValueError) as exc:
            # engine.api leaves secrets out; belt and braces for the key
            raise UserError(
                _(
                    "The API pull failed: %(error)s",
                    error=str(exc).replace(credentials["api_key"], "***"),
                )
            ) from None
        if self.keep_api_key:
            project._keep_api_credentials(credentials, self.api_base_url or None)
        self.api_key_token = False
        return sources

    @api.onchange("project_id")
    def _onchange_project_id(self):
        if self.project_id:
            self.system = self.project_id.system

    @api.depends("system", "project_id")
    def _compute_source_tz(self):
        """A new project starts with its source system's time zone (the spec's
        project defaults); an existing project keeps its own."""
        for wizard in self:
            if wizard.project_id:
                wizard.source_tz = wizard.project_id.source_tz
                continue
            spec = engine_sources.SOURCES.get(wizard.system)
            wizard.source_tz = spec.defaults.get("source_tz", "UTC") if spec else "UTC"

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
        """Stage the files; every refusal and warning comes back as one message
        naming the file and the reason, then the project opens."""
        self.ensure_one()
        if not self.attachment_ids and not self.use_api:
            raise UserError(_("Add at least one file, or pull from the API."))
        project = self._get_project()
        sources = self.env["migration.source"]
        for attachment in self.attachment_ids:
            sources |= project._add_file(attachment.name, attachment.raw or b"")
        if self.use_api:
            sources |= self._pull(project)
        # the upload is now kept by the project; the wizard's copies can go
        self.attachment_ids.unlink()
        if self.propose:
            project.action_profile()
            project.action_propose()
        action = {
            "type": "ir.actions.act_window",
            "res_model": "migration.project",
            "res_id": project.id,
            # a notification's "next" action is not completed by the server
            # like a returned one: without views the web client fails on it
            "views": [(False, "form")],
            "view_mode": "form",
            "target": "current",
        }
        refused = sources.filtered(lambda s: s.state == "error")
        # a file with a header and no row says so (an API table may be empty)
        empty = (sources - refused).filtered(
            lambda s: not s.row_count and s.kind != "api"
        )
        if not refused and not empty:
            return action
        lines = [
            self.env._("Refused: %(error)s", error=source.error) for source in refused
        ] + [
            self.env._(
                "Warning: %(file)s has a header row but no data rows: nothing to load.",
                file=source.name,
            )
            for source in empty
        ]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Some files were refused")
                if refused
                else _("Some files have no rows"),
                "message": "\n".join(lines),
                "type": "danger" if refused else "warning",
                "sticky": True,
                "next": action,
            },
        }
