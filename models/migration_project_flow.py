from markupsafe import Markup

from odoo import _, api, fields, models

STEPS = (
    "upload",
    "profile",
    "maps",
    "sample",
    "full",
    "reconcile",
    "review",
    "live",
)


class MigrationProject(models.Model):
    """The project's path, told honestly: its state from what is really
    loaded (a refused file maps nothing, a rollback unloads), the step it is
    at with what is left in each step, and what the review queue holds."""

    _inherit = "migration.project"

    step = fields.Selection(
        [
            ("upload", "Upload"),
            ("profile", "Profile"),
            ("maps", "Maps"),
            ("sample", "Sample & diff"),
            ("full", "Full run"),
            ("reconcile", "Reconciliation"),
            ("review", "Review"),
            ("live", "Go live"),
        ],
        compute="_compute_step",
        help="The first step of the path that is not done yet.",
    )
    steps_html = fields.Html(
        compute="_compute_step",
        sanitize=False,
        string="Steps",
        help="Each step of the path: done, what is left, or what it waits for.",
    )
    review_issue_count = fields.Integer(
        compute="_compute_review_summary",
        string="Review items",
        help="Open review items: rows sharing a kind, column and value are one.",
    )

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
        if self.review_issue_count:
            return _(
                "Next: work through the %(count)s open review items (%(rows)s rows, "
                "To review); the next run applies your corrections.",
                count=self.review_issue_count,
                rows=self.review_open_count,
            )
        if self.state == "loaded":
            return _("Loaded and reviewed: go live to pick up changes (Go live).")
        return ""

    def _kind_nouns(self):
        """What one review item of a kind is about, in the counts' words."""
        return {
            "unknown_owner": _("owners"),
            "invalid_value": _("values"),
            "missing_parent": _("parents"),
            "duplicate": _("duplicates"),
            "missing_required": _("missing values"),
            "error": _("refusals"),
            "orphan": _("orphans"),
            "removed": _("removed rows"),
        }

    def _compute_review_summary(self):
        labels = dict(
            self.env["migration.review"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        nouns = self._kind_nouns()
        groups = self.env["migration.review.issue"]._read_group(
            [("project_id", "in", self.ids), ("state", "=", "open")],
            ["project_id", "kind"],
            ["__count", "open_count:sum"],
        )
        parts = {}
        items = {}
        for project, kind, count, rows in groups:
            items[project] = items.get(project, 0) + count
            parts.setdefault(project, []).append(
                _(
                    "%(kind)s: %(items)s %(noun)s on %(rows)s rows",
                    kind=labels.get(kind, kind),
                    items=count,
                    noun=nouns.get(kind, _("items")),
                    rows=rows,
                )
            )
        for project in self:
            project.review_summary = "; ".join(parts.get(project, []))
            project.review_issue_count = items.get(project, 0)

    # ------------------------------------------------------------ steps
    def _last_run(self, kind):
        """The project's last run of a kind that still counts (not rolled back)."""
        self.ensure_one()
        return self.run_ids.filtered(
            lambda r: r.kind == kind and r.state not in ("rolled_back", "draft")
        ).sorted("id")[-1:]

    def _step_upload(self):
        readable = self.source_ids.filtered(lambda s: s.state != "error")
        refused = len(self.source_ids) - len(readable)
        if not readable:
            return False, _("Upload the exports of your CRM (Upload files).")
        if refused:
            return True, _(
                "%(count)s files staged, %(refused)s refused (see Files).",
                count=len(readable),
                refused=refused,
            )
        return True, _("%(count)s files staged.", count=len(readable))

    def _step_profile(self):
        readable = self.source_ids.filtered(lambda s: s.state != "error")
        todo = readable.filtered(lambda s: not s.profile)
        if todo or not readable:
            return False, _(
                "%(count)s files to profile (Profile & propose maps).",
                count=len(todo),
            )
        return True, _("%(count)s files profiled.", count=len(readable))

    def _step_maps(self):
        if not self._loadable_maps():
            return False, _("Propose maps (Profile & propose maps).")
        pending = len(self._unconfirmed_maps())
        if pending:
            return False, _(
                "%(count)s maps to confirm (To confirm; Accept sure proposals "
                "confirms the sure ones).",
                count=pending,
            )
        return True, _("Every map confirmed.")

    def _step_sample(self):
        sample = self._last_run("sample")
        if not sample:
            return False, _("Run a sample and check its diff (Sample run).")
        if sample.state in ("queued", "running"):
            return False, _("%(run)s is running.", run=sample.name)
        if sample.state != "done":
            return False, _(
                "%(run)s failed: read its log, fix the maps, run it again.",
                run=sample.name,
            )
        return True, _(
            "%(run)s: %(mismatches)s diff mismatches to check.",
            run=sample.name,
            mismatches=sample.sample_mismatch_count,
        )

    def _step_full(self):
        full = self._last_run("full")
        if not full:
            return False, _("Load everything (Full run).")
        if full.state in ("queued", "running"):
            return False, _("%(run)s is running.", run=full.name)
        return True, _(
            "%(run)s: %(read)s rows read, %(created)s created.",
            run=full.name,
            read=full.read_count,
            created=full.created_count,
        )

    def _step_reconcile(self):
        full = self._last_run("full")
        if full.state == "done":
            return True, _(
                "Every row and every cell accounted for (%(run)s).", run=full.name
            )
        reasons = []
        if not full.balanced:
            reasons.append(_("rows read do not add up"))
        if full.unaccounted_cell_count:
            reasons.append(
                _(
                    "%(count)s cells unaccounted for",
                    count=full.unaccounted_cell_count,
                )
            )
        return False, _(
            "%(run)s failed (%(why)s): read its log, fix, run again.",
            run=full.name,
            why=", ".join(reasons) or _("see its log"),
        )

    def _step_review(self):
        if self.review_issue_count:
            return False, _(
                "%(count)s review items open: %(summary)s.",
                count=self.review_issue_count,
                summary=self.review_summary,
            )
        return True, _("Nothing left to review.")

    def _step_live(self):
        if self.state == "live":
            return True, _(
                "Changes picked up every %(hours)s hours.",
                hours=self.delta_interval_hours,
            )
        if self.state == "closed":
            return True, _("Closed.")
        return False, _("Go live: pick up what changes at the source (Go live).")

    def _step_needs(self):
        """What each step cannot be done without: a sample needs objects to
        load (not every map confirmed), a full run every map confirmed."""
        return {
            "profile": lambda: self._step_upload()[0],
            "maps": lambda: self._step_profile()[0],
            "sample": lambda: bool(self._loadable_maps()),
            "full": lambda: self._step_maps()[0],
            "reconcile": lambda: self._step_full()[0],
            "review": lambda: self._step_full()[0],
            "live": lambda: self.state in ("loaded", "live", "closed"),
        }

    def _steps(self):
        """[(step, label, status, text)]; status: done, current (the first
        step left), todo (possible now) or blocked (it waits for an earlier
        step, named in the text)."""
        self.ensure_one()
        labels = dict(self._fields["step"]._description_selection(self.env))
        needs = self._step_needs()
        result = []
        current = False
        previous = None
        for step in STEPS:
            done, text = getattr(self, f"_step_{step}")()
            if not done and step == "sample" and self._last_run("full"):
                done, text = True, _("No sample: the full run came first.")
            if step in needs and not needs[step]():
                status = "blocked"
                text = _(
                    "Waits for %(step)s: %(text)s",
                    step=labels[previous],
                    text=text,
                )
            elif done:
                status = "done"
            elif not current:
                status, current = "current", True
            else:
                status = "todo"
            result.append((step, labels[step], status, text))
            previous = step
        return result

    @api.depends_context("lang")
    def _compute_step(self):
        icons = {
            "done": "fa-check text-success",
            "current": "fa-arrow-right text-primary",
            "todo": "fa-circle-o text-muted",
            "blocked": "fa-lock text-muted",
        }
        for project in self:
            steps = project._steps() if project.id else []
            current = [s for s, _l, status, _t in steps if status == "current"]
            project.step = current[0] if current else "live"
            rows = Markup("").join(
                Markup(
                    '<tr class="o_migration_step o_migration_step_%s o_migration_%s" '
                    'data-status="%s"><td><i class="fa %s" title="%s"></i></td>'
                    "<td><strong>%s</strong></td><td>%s</td></tr>"
                )
                % (step, status, status, icons[status], status, label, text)
                for step, label, status, text in steps
            )
            project.steps_html = (
                Markup('<table class="table table-sm o_migration_steps">%s</table>')
                % rows
                if steps
                else False
            )

    def action_request_go_live(self):
        """Go live from the page: at once when nothing is left to review,
        else through a dialog that names the open items (a manager may go
        live with them, knowingly, and the audit log says so)."""
        self.ensure_one()
        self._check_can_run("delta")  # a Manager's, with every map confirmed
        self._check_can_go_live()
        if not self.review_issue_count:
            return self.action_go_live()
        return {
            "type": "ir.actions.act_window",
            "name": _("Go live with review items open?"),
            "res_model": "migration.go.live.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_project_id": self.id},
        }

    # ------------------------------------------------------------ dashboard
    def _dashboard_run(self):
        """The run the dashboard shows: the last full run that counts, else
        the last sample."""
        self.ensure_one()
        return self._last_run("full") or self._last_run("sample")

    def _chart_action(self, xmlid, views, last_run_only):
        action = self._action_view(xmlid)
        action["view_mode"] = ",".join(views)
        action["views"] = [(False, view) for view in views]
        run = self._dashboard_run()
        if last_run_only and run:
            # one run's columns: rates and cells of several runs do not add up
            action["domain"] = [("run_id", "=", run.id)]
            action["name"] = _("%(name)s: %(run)s", name=action["name"], run=run.name)
        return action

    def action_view_charts(self):
        """The project's runs as charts: rows per object and outcome (graph,
        pivot), then its fill rates and cell conservation from the same menu."""
        action = self._chart_action(
            "crm_migration.action_migration_run_line_analysis",
            ["graph", "pivot", "list"],
            last_run_only=False,
        )
        action["context"] = dict(action["context"], search_default_group_run=1)
        return action

    def action_view_fill_rate_charts(self):
        return self._chart_action(
            "crm_migration.action_migration_fill_rate",
            ["graph", "pivot", "list"],
            last_run_only=True,
        )

    def action_view_cell_charts(self):
        return self._chart_action(
            "crm_migration.action_migration_cell_check",
            ["graph", "pivot", "list"],
            last_run_only=True,
        )
