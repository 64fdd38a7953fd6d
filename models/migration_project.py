import logging

import odoo
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.base.models.res_partner import _tz_get

from ..engine.sources import base as engine_sources
from ..loader import can_commit
from ..loader.heap import frozen

_logger = logging.getLogger(__name__)

# --accept-proposals and "Accept sure proposals" confirm what is at least this sure
ACCEPT_CONFIDENCE = 0.8
# the largest sample a Migration User may run (per object), checked on the server
USER_SAMPLE_LIMIT = 1000


class MigrationProject(models.Model):
    _name = "migration.project"
    _description = "CRM Migration Project"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    system = fields.Selection(
        selection="_selection_system",
        string="Source system",
        required=True,
        default="generic",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("profiled", "Profiled"),
            ("mapped", "Mapped"),
            ("sampled", "Sampled"),
            ("loaded", "Loaded"),
            ("live", "Live (delta)"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    source_tz = fields.Selection(
        _tz_get,
        string="Source time zone",
        default="UTC",
        help="Time zone of dates in the source that carry none.",
    )
    date_order = fields.Selection(
        [("auto", "Decide per column"), ("MDY", "Month first"), ("DMY", "Day first")],
        string="Ambiguous dates",
        default="auto",
        help="How to read dates like 03/04/2024 when a column never says "
        "(no day above 12): per column from its values, or always this way.",
    )
    phone_region = fields.Char(
        default="US", help="Country code used to read phone numbers without +."
    )
    default_user_id = fields.Many2one(
        "res.users",
        string="Default owner",
        default=lambda self: self.env.user,
        help="Owner given to records whose source owner is unknown (they are also "
        "listed in the review queue).",
    )
    sample_size = fields.Integer(
        default=200, help="Records per object in a sample run."
    )
    match_existing = fields.Selection(
        [
            ("link", "Fill the empty fields of the existing partner"),
            ("update", "Update the existing partner"),
            ("none", "Always create a new partner"),
        ],
        string="Partners already in Odoo",
        default="link",
        required=True,
        tracking=True,
        help="A source company or contact whose email or VAT matches a partner "
        "already in Odoo is merged into it (the ledger keeps its former values).",
    )
    group_mode = fields.Selection(
        [
            ("tag", "A 'Group: <name>' contact tag per group"),
            ("team", "A sales team per group, and the tag"),
        ],
        string="Source groups become",
        default="tag",
        required=True,
        tracking=True,
        help="A source's contact groups (any column mapped to 'Groups'): contact tags "
        "named 'Group: <name>'; with 'sales team', each group is also a crm.team "
        "(Odoo 18 contacts have no sales team, so the tag keeps the members).",
    )
    create_parent_companies = fields.Boolean(
        string="Create missing parent companies",
        tracking=True,
        help="A contact whose company is in no companies file and not in Odoo gets "
        "a company partner of that name as its parent (for systems without company "
        "records). Off: the name stays on the contact and a review item says so.",
    )
    create_users = fields.Boolean(
        string="Create missing users",
        tracking=True,
        help="Users of the source (team members) that match no Odoo user by email "
        "are created as internal users (archived when inactive at the source). "
        "Off: they go to the review queue and their records get the default owner.",
    )
    files_path = fields.Char(
        string="Attachment files folder",
        groups="base.group_system",
        help="Folder on the Odoo server that holds the files an attachment list "
        "names by path (the export's folder). The command line sets it to the "
        "folder it migrates.",
    )
    batch_size = fields.Integer(default=500)
    bulk_write = fields.Boolean(
        string="Bulk write",
        default=True,
        help="Notes and activities are written by multi-row SQL inserts that store "
        "exactly what Odoo's create() stores (proven row by row by the tests); a "
        "batch the bulk path cannot reproduce goes through create(), and the run "
        "log says which and why. Off: every record through create().",
    )
    run_in_background = fields.Boolean(
        default=lambda self: self._default_run_in_background(),
        help="Sample, full and delta runs go to the job queue (OCA queue_job): the "
        "page does not wait and shows the run's progress, a worker loads and commits "
        "batch by batch, so a long run keeps what it loaded if it stops and resumes "
        "from the ledger.",
    )
    delta_interval_hours = fields.Integer(
        string="Delta every (hours)",
        default=24,
        tracking=True,
        help="How often a live project picks up what changed at the source.",
    )
    delta_path = fields.Char(
        string="Delta folder",
        groups="base.group_system",
        help="Folder on the Odoo server where new exports of the same files arrive; "
        "each delta re-reads them. Empty: the files uploaded last are re-read.",
    )
    cron_id = fields.Many2one(
        "ir.cron", string="Delta schedule", readonly=True, copy=False
    )
    source_ids = fields.One2many("migration.source", "project_id", string="Files")
    object_map_ids = fields.One2many(
        "migration.object.map", "project_id", string="Object maps"
    )
    run_ids = fields.One2many("migration.run", "project_id", string="Runs")
    review_ids = fields.One2many(
        "migration.review", "project_id", string="Review items"
    )
    source_count = fields.Integer(compute="_compute_counts")
    run_count = fields.Integer(compute="_compute_counts")
    review_open_count = fields.Integer(compute="_compute_counts")
    interrupted_run_id = fields.Many2one(
        "migration.run",
        compute="_compute_interrupted_run_id",
        help="A run or rollback whose process stopped before it finished.",
    )
    unconfirmed_count = fields.Integer(
        compute="_compute_counts", string="Unconfirmed maps"
    )
    ledger_count = fields.Integer(compute="_compute_counts")
    loadable_count = fields.Integer(
        compute="_compute_counts",
        string="Objects to load",
        help="Object maps with a target and a readable file.",
    )

    @api.model
    def _default_run_in_background(self):
        """In the background when this server runs queue_job's job runner
        (server-wide module): a long run then never freezes a page."""
        return "queue_job" in (odoo.conf.server_wide_modules or [])

    @api.model
    def _selection_system(self):
        return [(key, cls.label) for key, cls in sorted(engine_sources.SOURCES.items())]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("system") in engine_sources.SOURCES:
                # the source spec's project defaults (its time zone, options)
                spec = engine_sources.SOURCES[vals["system"]]
                for key, value in spec.defaults.items():
                    vals.setdefault(key, value)
        projects = super().create(vals_list)
        for project in projects:
            self.env["migration.audit"]._log(
                project,
                "create",
                _("Project %(name)s created.", name=project.name),
                project,
            )
        return projects

    def _compute_counts(self):
        for project in self:
            project.source_count = len(project.source_ids)
            project.run_count = len(project.run_ids)
            project.review_open_count = self.env["migration.review"].search_count(
                [("project_id", "=", project.id), ("state", "=", "open")]
            )
            project.unconfirmed_count = len(project._unconfirmed_maps())
            project.ledger_count = self.env["migration.ledger"].search_count(
                [("project_id", "=", project.id)]
            )
            project.loadable_count = len(project._loadable_maps())

    # ------------------------------------------------------------------ steps
    def _add_file(self, filename, data):
        """Stage one uploaded file (CSV, XLSX or zip); returns the sources made.

        A file that cannot be read is kept as a source in state error with the
        reason, so nothing the user gave disappears.
        """
        self.ensure_one()
        # the collector skips the registry's objects (loader/heap.py)
        with frozen():
            sources = self.env["migration.source"]._create_from_file(
                self, filename, data
            )
        self.env["migration.audit"]._log(
            self,
            "upload",
            _(
                "%(file)s uploaded: %(tables)s",
                file=filename,
                tables=", ".join(
                    f"{s.name} ({s.error})"
                    if s.state == "error"
                    else f"{s.name} ({s.row_count} rows, {s.last_stage_counts or {}})"
                    for s in sources
                ),
            ),
            sources,
        )
        return sources

    def action_profile(self):
        for project in self:
            project.source_ids.filtered(lambda s: s.state != "error")._profile()
            if project.state == "draft":
                project.state = project._state_before_runs()
        return True

    def _unconfirmed_maps(self):
        self.ensure_one()
        omaps = self.object_map_ids.filtered(lambda m: m.target)
        unconfirmed = omaps.filtered(lambda m: not m.confirmed)
        fmaps = omaps.field_map_ids.filtered(
            lambda f: f.action != "ignore" and not f.confirmed
        )
        vmaps = omaps.value_map_ids.filtered(lambda v: not v.confirmed)
        # three models: a list, in the order a person fixes them
        return list(unconfirmed) + list(fmaps) + list(vmaps)

    def action_accept_proposals(self):
        """Confirm the proposals at least ACCEPT_CONFIDENCE sure that share their
        target with no other column; say what is left for a person."""
        self.ensure_one()
        self._accept_proposals(ACCEPT_CONFIDENCE)
        left = self._unconfirmed_maps()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Sure proposals accepted"),
                "message": _(
                    "%(count)s maps are less sure than %(min)s or share a target "
                    "with another column: check and confirm them one by one.",
                    count=len(left),
                    min=ACCEPT_CONFIDENCE,
                )
                if left
                else _("Every map is confirmed."),
                "type": "warning" if left else "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_confirm_maps(self):
        """Confirm every object, field and value map of the project as proposed."""
        for project in self:
            omaps = project.object_map_ids.filtered(lambda m: m.target)
            omaps.action_confirm()
        return True

    def action_sample_run(self):
        self.ensure_one()
        if self.run_in_background:
            return self._queue_run("sample")._action_open()
        run = self._start_run("sample")
        return run._action_open()

    def action_full_run(self):
        self.ensure_one()
        if self.run_in_background:
            return self._queue_run("full")._action_open()
        run = self._start_run("full")
        return run._action_open()

    def _queue_run(self, kind):
        """A run record at once (state queued, its page shows the progress)
        and a job that a worker runs, committing batch by batch."""
        # refuse now, not in a worker later (which resumes an interrupted run)
        self._check_can_run(kind, interrupted_ok=True)
        self._check_job_runner()
        run = self.env["migration.run"]._create_book(
            [{"project_id": self.id, "kind": kind, "state": "queued"}]
        )
        delayed = self.with_delay(
            description=_(
                "CRM migration %(project)s: %(run)s", project=self.name, run=run.name
            )
        )
        if kind == "delta":
            # the job re-reads the source first, as the scheduled delta does
            delayed._delta_pickup(commit=True, run_id=run.id)
        else:
            delayed._start_run(kind, commit=True, run_id=run.id)
        self.message_post(
            body=_("%(run)s queued by %(user)s.", run=run.name, user=self.env.user.name)
        )
        return run

    @api.model
    def _job_runner_available(self):
        """Whether something runs queued jobs: queue_job's runner, started only
        when queue_job is a server-wide module, or the OCA cron-based runner
        (queue_job_cron_jobrunner, for hosts where no runner process lives)."""
        if "queue_job" in odoo.conf.server_wide_modules:
            return True
        return bool(
            self.env["ir.module.module"]
            .sudo()  # sudo: whether a module is installed, not user data
            .search_count(
                [("name", "=", "queue_job_cron_jobrunner"), ("state", "=", "installed")]
            )
        )

    def _check_job_runner(self):
        if not self._job_runner_available():
            raise UserError(
                _(
                    "Background runs need a job runner, and none is running: a "
                    "queued run would wait for ever. Add queue_job to the server-wide "
                    "modules (server_wide_modules = base,web,queue_job in odoo.conf, "
                    "or --load=base,web,queue_job) and restart Odoo, or install "
                    "queue_job_cron_jobrunner where no runner can be kept alive; or "
                    "untick 'Run in background' to run it now."
                )
            )

    def _check_can_run(self, kind, interrupted_ok=False, run_id=None):
        """Raise when this user may not start a ``kind`` run now: rights, another
        run of the project, maps not ready."""
        self.ensure_one()
        self._check_run_rights(kind)
        self._check_no_other_run(interrupted_ok, run_id)
        self._check_maps_ready(kind)

    def _check_run_rights(self, kind):
        manager = self.env.user.has_group("crm_migration.group_migration_manager")
        if kind != "sample" and not manager:
            raise AccessError(
                _(
                    "Only a Migration Manager can start a full run of %(project)s.",
                    project=self.display_name,
                )
            )
        if kind == "sample" and not manager and self.sample_size > USER_SAMPLE_LIMIT:
            # a sample as big as the export would be a full run by another name
            raise AccessError(
                _(
                    "A Migration User's sample run loads at most %(limit)s records "
                    "per object; %(project)s asks for %(size)s. Lower the sample "
                    "size, or ask a Migration Manager.",
                    limit=USER_SAMPLE_LIMIT,
                    project=self.display_name,
                    size=self.sample_size,
                )
            )

    def _check_no_other_run(self, interrupted_ok, run_id):
        busy = self.run_ids.filtered(
            lambda r: (r.state == "running" or r.rollback_pending) and r.id != run_id
        )
        # a queued run waits for a worker: it counts as running
        running = busy.filtered(lambda r: not r.interrupted) | self.run_ids.filtered(
            lambda r: r.state == "queued" and r.id != run_id
        )
        if running:
            raise UserError(
                _(
                    "%(run)s is still running: one run of a project at a time (two "
                    "would not see each other's records and could duplicate them).",
                    run=running[0].name,
                )
            )
        if busy and not interrupted_ok:
            raise UserError(
                _(
                    "%(run)s was interrupted (its process stopped): resume it first.",
                    run=busy[0].name,
                )
            )

    def _check_maps_ready(self, kind):
        omaps = self.object_map_ids.filtered(lambda m: m.target)
        if not omaps:
            raise UserError(
                _(
                    "Project %(project)s has no mapped object yet: upload files and "
                    "propose maps first.",
                    project=self.display_name,
                )
            )
        omaps._check_new_field_limit()
        if kind != "sample":
            omaps._check_target_conflicts()
            pending = self._unconfirmed_maps()
            if pending:
                lines = "\n".join(
                    f"- {rec._description}: {rec.display_name}" for rec in pending[:30]
                )
                raise UserError(
                    _(
                        "A full run needs every map confirmed. %(count)s are not:\n%(lines)s",
                        count=len(pending),
                        lines=lines,
                    )
                )

    def _interrupted_runs(self):
        self.ensure_one()
        busy = self.run_ids.filtered(
            lambda r: r.state == "running" or r.rollback_pending
        )
        return busy.filtered("interrupted").sorted("id")

    def _compute_interrupted_run_id(self):
        for project in self:
            runs = project.run_ids.filtered(
                lambda r: r.state == "running" or r.rollback_pending
            )
            project.interrupted_run_id = runs.filtered("interrupted")[:1]

    def action_resume_interrupted(self):
        self.ensure_one()
        run = self._interrupted_runs()[:1]
        if not run:
            raise UserError(
                _("No run of %(project)s is interrupted.", project=self.display_name)
            )
        return run.action_resume()

    def _start_run(self, kind, commit=False, run_id=None):
        """Create and execute a run; the single entry point of the wizard, the
        buttons, the command line and the scheduled delta. ``run_id``: the
        queued run a job worker (or a person, "Run here now") executes. A run
        or rollback of the project whose process died is finished first, from
        the ledger; when it is a run of the kind asked for, that run is the
        answer."""
        run = self.env["migration.run"].browse(run_id).exists() if run_id else None
        if run_id and (not run or run.state != "queued"):
            _logger.info("migration run %s is no longer queued: skipped", run_id)
            return run or self.env["migration.run"]
        try:
            interrupted = self._interrupted_runs()
            if interrupted:
                self._check_can_run(kind, interrupted_ok=True, run_id=run_id)
                loads = interrupted.filtered(lambda r: not r.rollback_pending)
                for resumed in interrupted:
                    resumed._resume(commit=commit)
                if loads and loads[-1].kind == kind:
                    if run:
                        run._write_book({"state": "failed"})
                        run._log(
                            _(
                                "Not started: %(run)s, interrupted, was resumed "
                                "instead.",
                                run=loads[-1].name,
                            )
                        )
                        run._notify_progress()
                    return loads[-1]
            self._check_can_run(kind, run_id=run_id)
        except (AccessError, UserError) as exc:
            if not run:
                raise
            # a queued run that can no longer start says why on its page
            run._write_book({"state": "failed", "log": str(exc)})
            run._notify_progress()
            return run
        vals = {
            "project_id": self.id,
            "kind": kind,
            "sample_size": self.sample_size if kind == "sample" else 0,
        }
        if run:
            run._write_book(dict(vals, state="draft"))
        else:
            run = self.env["migration.run"]._create_book([vals])
        if can_commit(self.env, commit):
            self.env.cr.commit()  # the run record survives a failure's rollback
        run._execute(commit=commit)
        return self._after_run(run)

    def _after_run(self, run):
        if run.state == "done":
            if run.kind == "full":
                self.state = "loaded"
            elif run.kind == "sample" and self.state in ("draft", "profiled", "mapped"):
                self.state = "sampled"
        return run

    # ------------------------------------------------------------- navigation
    def _action_view(self, xmlid, domain_field="project_id"):
        self.ensure_one()
        # refused here, not only by the list it opens: a button of a record
        # the user may not read answers AccessError
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [(domain_field, "=", self.id)]
        action["context"] = {"default_project_id": self.id}
        return action

    def action_view_sources(self):
        return self._action_view("crm_migration.action_migration_source")

    def action_view_runs(self):
        return self._action_view("crm_migration.action_migration_run")

    def action_view_reviews(self):
        # one line per kind, column and value with its rows: 700 rows of one
        # unknown owner read as one decision
        return self._action_view("crm_migration.action_migration_review_issue")

    def action_view_field_maps(self):
        action = self._action_view("crm_migration.action_migration_field_map")
        action["context"] = dict(action["context"], search_default_unconfirmed=1)
        return action

    def action_view_audit(self):
        return self._action_view("crm_migration.action_migration_audit")

    def action_view_ledger(self):
        return self._action_view("crm_migration.action_migration_ledger")

    def action_rollback(self):
        """Open the rollback wizard for every run of the project (a Manager's:
        a Migration User rolls back the samples they ran, from the run)."""
        self.ensure_one()
        self._check_manager(_("Only a Migration Manager can roll a project back."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Roll back %(project)s", project=self.name),
            "res_model": "migration.rollback.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }

    def action_open_import_wizard(self):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "res_model": "migration.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }
