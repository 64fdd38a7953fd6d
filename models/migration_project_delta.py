"""Going live: the scheduled delta pickup of a project (one ir.cron per
project), what it re-reads, and closing the project."""

from pathlib import Path

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError

DELTA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".json", ".zip")


class MigrationProject(models.Model):
    _inherit = "migration.project"

    def action_go_live(self):
        """Schedule the delta pickup of this project (one ir.cron per project)."""
        for project in self:
            project._check_can_run("delta")
            project._check_can_go_live()
            vals = {
                "name": _("Migration delta: %(project)s", project=project.name),
                "model_id": self.env["ir.model"]._get_id("migration.project"),
                "state": "code",
                "code": f"model._cron_delta({project.id})",
                "interval_number": max(project.delta_interval_hours, 1),
                "interval_type": "hours",
                "user_id": self.env.user.id,
                "active": True,
            }
            # sudo: scheduled actions are Settings records; a Migration Manager
            # may schedule the delta of the project they own, nothing else
            if project.cron_id:
                project.cron_id.sudo().write(vals)
            else:
                template = self.env.ref(
                    "crm_migration.ir_cron_migration_delta_template"
                )
                project.cron_id = template.sudo().copy(vals)
            project.state = "live"
            self.env["migration.audit"]._log(
                project,
                "schedule",
                _(
                    "Delta pickup scheduled every %(hours)s hours.",
                    hours=project.delta_interval_hours,
                ),
                project.cron_id,
            )
        return True

    def action_close(self):
        """Stop the delta pickup for good (a Manager's, as going live is)."""
        for project in self:
            project._check_manager(
                _(
                    "Only a Migration Manager can close %(project)s.",
                    project=project.display_name,
                )
            )
            if project.cron_id:
                project.cron_id.sudo().active = False  # sudo: see action_go_live
            project.state = "closed"
        return True

    def _check_can_go_live(self):
        """Going live picks up changes of what a full run loaded: a project
        with nothing loaded (or closed for good) has nothing to keep in step."""
        self.ensure_one()
        if self.state not in ("loaded", "live"):
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "%(project)s cannot go live while it is %(state)s: go live "
                    "after a full run has loaded it (and before it is closed).",
                    project=self.display_name,
                    state=states.get(self.state, self.state),
                )
            )

    def _check_manager(self, message):
        if not self.env.user.has_group("crm_migration.group_migration_manager"):
            raise AccessError(message)

    def write(self, vals):
        result = super().write(vals)
        if "delta_interval_hours" in vals:
            for project in self.filtered("cron_id"):
                # sudo: see action_go_live
                project.cron_id.sudo().interval_number = max(
                    project.delta_interval_hours, 1
                )
        return result

    def action_delta_run(self):
        self.ensure_one()
        if self.run_in_background:
            return self._queue_run("delta")._action_open()
        run = self._delta_pickup()
        return run._action_open()

    def _delta_pickup(self, commit=False, run_id=None):
        """Re-read the source and load only what is new or changed: its API
        (what changed since the last pull) when the project keeps a key, else
        the delta folder, else the last upload; rows gone from a re-read source
        go to the review queue. ``run_id``: the queued delta a job worker (or
        "Run here now") executes; a re-read that fails fails that run, saying
        why on its page."""
        self.ensure_one()
        run = self.env["migration.run"].browse(run_id).exists() if run_id else None
        if run_id and (not run or run.state != "queued"):
            return run or self.env["migration.run"]
        try:
            self._check_can_run("delta", run_id=run_id)
            self._reread_for_delta()
        except (AccessError, UserError) as exc:
            if not run:
                raise
            run._write_book({"state": "failed", "log": str(exc)})
            run._notify_progress()
            return run
        return self._start_run("delta", commit=commit, run_id=run_id)

    def _reread_for_delta(self):
        if self._api_delta():
            pass  # the API gave what changed since the last pull
        elif self.delta_path and self._reads_folder(self.delta_path):
            self._add_folder(self.delta_path)  # a new folder of saved pages
        elif self.delta_path:
            folder = Path(self.delta_path)
            if not folder.is_dir():
                raise UserError(
                    _(
                        "Delta folder %(path)s does not exist on the server.",
                        path=self.delta_path,
                    )
                )
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() in DELTA_SUFFIXES:
                    self._add_file(path.name, path.read_bytes())
        else:
            for source in self.source_ids.filtered(
                lambda s: s.state != "error" and s.attachment_id
            ):
                table = source._get_table()
                source.last_stage_counts = source._stage(table)

    @api.model
    def _cron_delta(self, project_id):
        project = self.browse(project_id).exists()
        if project and project.state == "live":
            project._delta_pickup(commit=True)
