from odoo import _, fields, models


class MigrationProject(models.Model):
    """The project's path, told honestly: its state from what is really
    loaded (a refused file maps nothing, a rollback unloads), the next step
    and what the review queue holds."""

    _inherit = "migration.project"

    next_step = fields.Char(
        compute="_compute_next_step",
        help="What is left to do, in the order of the path: upload, profile, "
        "maps, sample and diff, full run, reconciliation, review.",
    )
    review_summary = fields.Char(
        compute="_compute_review_summary",
        string="Open review",
        help="Open review items per kind: how many distinct values on how many rows.",
    )

    def _loadable_maps(self):
        """The object maps a run would load: a target and a readable file."""
        self.ensure_one()
        return self.object_map_ids.filtered(
            lambda m: m.target and m.source_id.state != "error"
        )

    def _state_before_runs(self):
        """What the project is before any run: mapped only with an object to
        load, profiled with a readable file, else still a draft (a project
        whose only file was refused has nothing to map)."""
        self.ensure_one()
        if self._loadable_maps():
            return "mapped"
        if self.source_ids.filtered(lambda s: s.state != "error"):
            return "profiled"
        return "draft"

    def _state_after_rollback(self):
        """After a rollback the project says what is still loaded: a project
        whose full and delta runs are all rolled back is back before its full
        run (sampled, or mapped without a sample left) and its delta schedule
        stops."""
        for project in self.filtered(
            lambda p: p.state in ("sampled", "loaded", "live")
        ):
            done = project.run_ids.filtered(lambda r: r.state == "done")
            if done.filtered(lambda r: r.kind in ("full", "delta")):
                continue
            if project.cron_id:
                project.cron_id.sudo().active = False  # sudo: see action_go_live
            sampled = done.filtered(lambda r: r.kind == "sample")
            project.state = "sampled" if sampled else project._state_before_runs()

    def _compute_next_step(self):
        for project in self:
            project.next_step = project._next_step()

    def _next_step(self):
        self.ensure_one()
        if self.state == "closed":
            return ""
        if not self.source_ids.filtered(lambda s: s.state != "error"):
            return _("Next: upload the exports of your CRM (Upload files).")
        if not self._loadable_maps():
            return _(
                "Next: profile the files and propose maps (Profile & propose maps)."
            )
        pending = len(self._unconfirmed_maps())
        if pending:
            return _(
                "Next: confirm %(count)s maps (To confirm; Accept sure proposals "
                "confirms the sure ones). A sample run is already possible.",
                count=pending,
            )
        if self.state in ("draft", "profiled", "mapped"):
            return _("Next: run a sample and check its diff (Sample run).")
        if self.state == "sampled":
            return _("Next: load everything (Full run), then check the reconciliation.")
        if self.review_open_count:
            return _(
                "Next: work through the %(count)s open review items (To review); "
                "the next run applies your corrections.",
                count=self.review_open_count,
            )
        if self.state == "loaded":
            return _("Loaded and reviewed: go live to pick up changes (Go live).")
        return ""

    def _compute_review_summary(self):
        labels = dict(self.env["migration.review"]._fields["kind"].selection)
        groups = self.env["migration.review"]._read_group(
            [("project_id", "in", self.ids), ("state", "=", "open")],
            ["project_id", "kind"],
            ["__count", "value:count_distinct"],
        )
        parts = {}
        for project, kind, count, values in groups:
            parts.setdefault(project, []).append(
                _(
                    "%(kind)s: %(values)s values on %(rows)s rows",
                    kind=labels.get(kind, kind),
                    values=values,
                    rows=count,
                )
                if values
                else _(
                    "%(kind)s: %(rows)s rows", kind=labels.get(kind, kind), rows=count
                )
            )
        for project in self:
            project.review_summary = "; ".join(parts.get(project, []))

    def action_view_charts(self):
        """The project's runs as charts: rows per object and outcome (graph,
        pivot), then its fill rates and cell conservation from the same menu."""
        action = self._action_view("crm_migration.action_migration_run_line_analysis")
        action["view_mode"] = "graph,pivot,list"
        action["views"] = [(False, "graph"), (False, "pivot"), (False, "list")]
        action["context"] = dict(action["context"], search_default_group_run=1)
        return action

    def action_view_cell_charts(self):
        return self._action_view("crm_migration.action_migration_cell_check")
