"""The API side of a migration project: the pull (resumable where the source
system's client is), and the key kept encrypted for the scheduled delta.

The key is never stored in clear: a project keeps it only when a Migration
Manager asks, encrypted (Fernet, from the cryptography library Odoo ships with)
with a key derived from the database secret, in a field only Migration Managers
can read; it is decrypted for a pull and never logged, shown or put in an error,
a report or the audit log.
"""

import base64
import hashlib
import logging
import shutil
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import config

from ..engine.sources.base import get_source

_logger = logging.getLogger(__name__)
MANAGER = "crm_migration.group_migration_manager"


class MigrationProject(models.Model):
    _inherit = "migration.project"

    api_base_url = fields.Char(
        string="API address",
        groups=MANAGER,
        help="The source system's API address, when not its own default.",
    )
    api_account_id = fields.Char(string="API account", groups=MANAGER)
    api_key_token = fields.Char(
        string="API key (encrypted)",
        groups=MANAGER,
        copy=False,
        help="Kept encrypted for the scheduled delta; never shown in clear.",
    )
    api_key_stored = fields.Boolean(
        string="API key kept", compute="_compute_api_key_stored"
    )
    api_pulled_at = fields.Datetime(
        string="Last API pull",
        readonly=True,
        copy=False,
        help="When the last complete pull started: the next delta asks the API "
        "only for what changed after it.",
    )
    api_pull_requests = fields.Integer(
        string="HTTP requests of the last pull",
        readonly=True,
        copy=False,
        help="What the last complete API pull asked the source system: one "
        "request per page, plus each one asked again (rate limit, server error, "
        "a malformed page). Weigh it against the account's quota.",
    )
    api_pull_pages = fields.Integer(
        string="Pages of the last pull", readonly=True, copy=False
    )

    @api.depends_context("uid")
    def _compute_api_key_stored(self):
        # sudo: whether a key is kept is no secret, the key itself is
        for project in self:
            project.api_key_stored = bool(project.sudo().api_key_token)

    # ------------------------------------------------------------ the key
    def _fernet(self):
        # sudo: the database secret is a system parameter no migration user reads
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        digest = hashlib.sha256(f"crm_migration:{secret}".encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))

    def _keep_api_credentials(self, credentials, base_url=None):
        """Keep the pull's credentials for the scheduled delta (managers only)."""
        self.ensure_one()
        if not self.env.user.has_group(MANAGER):
            raise AccessError(_("Only a Migration Manager can keep an API key."))
        token = self._fernet().encrypt(str(credentials["api_key"]).encode()).decode()
        self.write(
            {
                "api_key_token": token,
                "api_account_id": credentials.get("account_id") or False,
                "api_base_url": base_url or False,
            }
        )
        self.env["migration.audit"]._log(
            self, "schedule", _("API key kept (encrypted) for the delta."), self
        )

    def _stored_api_credentials(self):
        """(credentials, base url) kept for the delta, or (None, None)."""
        self.ensure_one()
        project = self.sudo()  # sudo: the scheduled action reads its own key
        if not project.api_key_token:
            return None, None
        try:
            key = self._fernet().decrypt(project.api_key_token.encode()).decode()
        except InvalidToken:
            raise UserError(
                _(
                    "The API key kept by %(project)s cannot be read any more (the "
                    "database secret changed): enter it again.",
                    project=self.display_name,
                )
            ) from None
        credentials = {"api_key": key}
        if project.api_account_id:
            credentials["account_id"] = project.api_account_id
        return credentials, project.api_base_url or None

    def action_forget_api_key(self):
        self.write({"api_key_token": False})
        return True

    # ------------------------------------------------------------ the pull
    def _api_credentials(self):
        """What the source system's API pull asks for (empty: it has none)."""
        self.ensure_one()
        return get_source(self.system).api_credentials

    def _reads_folder(self, path):
        """Whether the source system reads this folder as one export."""
        self.ensure_one()
        return get_source(self.system).reads_folder(str(path))

    def _add_folder(self, path):
        """Stage a folder the source system reads as one export (saved API
        pages); None when it is not one (its files are read one by one)."""
        self.ensure_one()
        spec = get_source(self.system)
        tables = spec.read_export(str(path))
        if tables is None:
            return None
        sources = self.env["migration.source"]._create_from_tables(self, tables, spec)
        self.env["migration.audit"]._log(
            self,
            "upload",
            _(
                "%(folder)s read: %(tables)s",
                folder=Path(path).name,
                tables=sources._rows_text(),
            ),
            sources,
        )
        return sources

    def _pull_api(self, credentials, base_url=None, since=None):
        """Stage what the source system's API returns (a second way in besides
        files). ``credentials`` are used for this pull only: never stored, never
        logged, never in an error message (engine.api redacts them).
        ``since``: only what changed after it (a delta pull)."""
        self.ensure_one()
        spec = get_source(self.system)
        options = self._api_pull_options(spec, since)
        started = fields.Datetime.now()
        tables = spec.pull_tables(credentials, base_url=base_url or None, **options)
        self._pull_done(spec, started)
        sources = self.env["migration.source"]._create_from_tables(
            self, tables, spec, partial=bool(options.get("since"))
        )
        self.env["migration.audit"]._log(
            self,
            "upload",
            _(
                "Pulled from the %(system)s API: %(tables)s",
                system=self.system,
                tables=sources._rows_text(),
            )
            + (f" ({self._pull_requests_text()})" if self.api_pull_requests else ""),
            sources,
        )
        return sources

    def _pull_requests_text(self):
        """'16 HTTP requests for 15 pages' of the last pull."""
        self.ensure_one()
        return _(
            "%(requests)s HTTP requests for %(pages)s pages",
            requests=self.api_pull_requests,
            pages=self.api_pull_pages,
        )

    def _pull_folder(self):
        """Where a resumable pull keeps its pages until it is complete, so an
        interrupted pull resumes from its last page (in the filestore)."""
        return (
            Path(config.filestore(self.env.cr.dbname))
            / "crm_migration_pulls"
            / str(self.id)
        )

    def _api_pull_options(self, spec, since):
        options = {}
        if since and spec.api_delta:
            options["since"] = since
        if spec.api_resumable:
            options["pages_dir"] = str(self._pull_folder())
        return options

    def _pull_done(self, spec, started):
        if spec.api_resumable:
            shutil.rmtree(self._pull_folder(), ignore_errors=True)
        report = spec.pull_report or {}
        self.write(
            {
                "api_pulled_at": started,
                "api_pull_requests": report.get("requests", 0),
                "api_pull_pages": report.get("pages", 0),
            }
        )

    def _after_run(self, run):
        """The first run after an API pull says in its log what the pull asked
        the API (its rows came from it)."""
        run = super()._after_run(run)
        pulled = self.api_pulled_at
        if run and pulled and self.api_pull_requests:
            earlier = self.run_ids.filtered(
                lambda r: r != run and r.date_start and r.date_start >= pulled
            )
            if not earlier:
                run._log(
                    _(
                        "Its rows come from the %(system)s API pull of %(when)s: "
                        "%(requests)s",
                        system=self.system,
                        when=fields.Datetime.to_string(pulled),
                        requests=self._pull_requests_text(),
                    )
                )
        return run

    def _api_delta(self):
        """The delta's API pull: only what changed since the last complete pull,
        staged without marking the rest as gone. False when the project keeps
        no key or its system has no API."""
        self.ensure_one()
        spec = get_source(self.system)
        if not spec.api_credentials:
            return False
        credentials, base_url = self._stored_api_credentials()
        if not credentials:
            return False
        self._pull_api(credentials, base_url=base_url, since=self.api_pulled_at)
        return True
