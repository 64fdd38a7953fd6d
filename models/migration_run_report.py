"""A run's reports: the reconciliation rows, the JSON report data, the XLSX report
(reconciliation, reviews, links, cell conservation) and the sample diff."""

from odoo import fields, models
from odoo.tools import SQL

from ..engine.export import write_xlsx
from .migration_cell_check import CELL_COLUMNS
from .migration_run_line import OUTCOMES


class MigrationRun(models.Model):
    _inherit = "migration.run"

    sample_mismatch_count = fields.Integer(
        compute="_compute_sample_mismatch_count", string="Diff mismatches"
    )

    # ----------------------------------------------------------- sample diff
    def _compute_sample_mismatch_count(self):
        counts = dict(
            self.env["migration.sample.diff"]._read_group(
                [("run_id", "in", self.ids), ("match", "=", False)],
                ["run_id"],
                ["__count"],
            )
        )
        for run in self:
            run.sample_mismatch_count = counts.get(run, 0)

    def action_view_sample_diff(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_migration.action_migration_sample_diff"
        )
        action["domain"] = [("run_id", "=", self.id)]
        return action

    def action_export_sample_diff(self):
        """Download the sample diff as XLSX (an attachment of the run)."""
        self.ensure_one()
        name = f"sample-diff-run-{self.id}.xlsx"
        data = self.env["migration.sample.diff"]._xlsx_for_run(self)
        Attachment = self.env["ir.attachment"]
        attachment = Attachment.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("name", "=", name),
            ],
            limit=1,
        )
        if attachment:
            attachment.raw = data
        else:
            attachment = Attachment.create(
                {
                    "name": name,
                    "raw": data,
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/vnd.openxmlformats-officedocument"
                    ".spreadsheetml.sheet",
                }
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    RECONCILIATION_COLUMNS = (
        "object",
        "target",
        "read",
        *OUTCOMES,
        "values_to_review",
        "balanced",
    )

    def _reconciliation_rows(self):
        self.ensure_one()
        return [
            {
                "object": line.object_name,
                "target": line.target,
                **{name: line[f"{name}_count"] for name in ("read", *OUTCOMES)},
                "values_to_review": line.invalid_value_count,
                "balanced": line.balanced,
            }
            for line in self.line_ids.sorted("sequence")
        ]

    def _review_summary(self):
        self.ensure_one()
        groups = self.env["migration.review"]._read_group(
            [("run_id", "=", self.id)], ["kind"], ["__count"]
        )
        labels = dict(self.env["migration.review"]._fields["kind"].selection)
        return {labels.get(kind, kind): count for kind, count in groups}

    def _report_data(self):
        self.ensure_one()
        return {
            "run": self.id,
            "name": self.name,
            "project": self.project_id.name,
            "kind": self.kind,
            "state": self.state,
            "balanced": self.balanced,
            "started": fields.Datetime.to_string(self.date_start)
            if self.date_start
            else None,
            "finished": fields.Datetime.to_string(self.date_end)
            if self.date_end
            else None,
            "duration_seconds": round(self.duration, 3),
            "objects": self._reconciliation_rows(),
            "cells": self.env["migration.cell.check"]._report_rows(self),
            "unaccounted_cells": self.unaccounted_cell_count,
            "review": self._review_summary(),
            "links": self._link_summary(),
        }

    def _link_summary(self):
        """The links this run rebuilt by compound keys (a source without parent
        ids), per child, parent and key: ``[{"object", "parent", "key",
        "count"}]``, most frequent first."""
        self.ensure_one()
        self.env["migration.ledger"].flush_model(["run_id", "link_keys", "operation"])
        # one grouped query over the run's ledger, not its rows one by one
        self.env.cr.execute(
            SQL(
                """
                SELECT l.target, k.key, k.value, count(*)
                  FROM migration_ledger l, jsonb_each_text(l.link_keys) k
                 WHERE l.run_id = %s AND l.link_keys IS NOT NULL
                   AND jsonb_typeof(l.link_keys) = 'object'
                   -- a row merged into a record repeats that record's links
                   AND l.operation != 'merge'
                 GROUP BY 1, 2, 3
                """,
                self.id,
            )
        )
        counts = {(t, p, k): n for t, p, k, n in self.env.cr.fetchall()}
        return [
            {"object": child, "parent": parent, "key": key, "count": count}
            for (child, parent, key), count in sorted(
                counts.items(), key=lambda item: (-item[1], item[0])
            )
        ]

    def _report_xlsx(self):
        self.ensure_one()
        rows = [
            [row[c] for c in self.RECONCILIATION_COLUMNS]
            for row in self._reconciliation_rows()
        ]
        reviews = [
            [
                r.kind,
                r.file_name or "",
                r.line,
                r.column or "",
                r.value or "",
                r.reason,
                r.state,
            ]
            for r in self.review_ids
        ]
        return write_xlsx(
            {
                "Reconciliation": (list(self.RECONCILIATION_COLUMNS), rows),
                "Review": (
                    ["kind", "file", "line", "column", "value", "reason", "state"],
                    reviews,
                ),
                "Cells": (
                    list(CELL_COLUMNS),
                    [
                        [row[c] for c in CELL_COLUMNS]
                        for row in self.env["migration.cell.check"]._report_rows(self)
                    ],
                ),
            }
        )
