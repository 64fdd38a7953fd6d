from odoo import _, fields, models


class MigrationProject(models.Model):
    _inherit = "migration.project"

    parallel_batches = fields.Boolean(
        help="A full run in the background is split into queue_job jobs, one per "
        "batch, on the crm_migration channel: an object's batches load side by "
        "side (as many as the channel's capacity) once the objects it links to "
        "are loaded. Rows that could meet in one record (same key, email, "
        "company or parent) share a batch; a failed batch is tried again, then "
        "reported on the run.",
    )

    def _queue_run(self, kind):
        if kind != "full" or not self.parallel_batches:
            return super()._queue_run(kind)
        self._check_can_run(kind, interrupted_ok=True)
        self._check_job_runner()
        run = self.env["migration.run"]._create_book(
            [{"project_id": self.id, "kind": kind, "state": "queued"}]
        )
        run.with_delay(
            description=_(
                "CRM migration %(project)s: plan %(run)s",
                project=self.name,
                run=run.name,
            )
        )._parallel_plan()
        self.message_post(
            body=_(
                "%(run)s queued in parallel batches by %(user)s.",
                run=run.name,
                user=self.env.user.name,
            )
        )
        return run
