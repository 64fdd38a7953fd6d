"""Long values in mapped HTML fields (issue 16): a 12 MB text mapped to a
partner's comment or a lead's description is kept whole (Odoo's sanitiser cut
it at 10 MB, and the run failed on the cut), and the read-back check of the
cells still catches a value stored cut."""

import re
from html import unescape

from odoo.tests import tagged
from odoo.tools import SQL

from .common import MigrationCase

# one line, no break: one text run of 12.5 MB, which lxml cuts at 10 MB
STORY = ("Background story told at length. " * 390_000)[:12_500_000] + "THE END"
TASK = ("Call script line; " * 740_000)[:12_400_000] + "HANG UP"
DEAL = ("Why they buy: é ü ç & more. " * 430_000)[:12_300_000] + "LAST WORD"


def text_of(html):
    """The text an HTML value holds, tags dropped (spans join without space)."""
    html = re.sub(r"</?span\b[^>]*>", "", html or "")
    return unescape(re.sub(r"<[^>]*>", "", html))


@tagged("post_install", "-at_install")
class TestLongValues(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.long = cls.env["migration.project"].create(
            {"name": "Long", "system": "generic", "default_user_id": cls.owner.id}
        )
        people = f"Email,First Name,Background\nlong@x.example.com,Ana,{STORY}\n"
        deals = f"Deal Name,Description\nBig deal,{DEAL}\n"
        cls.people = cls.long._add_file("people.csv", people.encode())
        cls.deals = cls.long._add_file("deals.csv", deals.encode())
        tasks = (
            "Task Title,Task Type,Due Date,Task Status,Associated Contact,Description\n"
            f"Call Ana,Call,2026-12-10,Not started,long@x.example.com,{TASK}\n"
        )
        cls.tasks = cls.long._add_file("tasks.csv", tasks.encode())
        cls.long.action_profile()
        cls.long.action_propose()
        for source, column, field in (
            (cls.people, "Background", "comment"),
            (cls.deals, "Description", "description"),
        ):
            omap = cls.long.object_map_ids.filtered(
                lambda m, s=source: m.source_id == s
            )
            fmap = omap.field_map_ids.filtered(lambda f, c=column: f.column == c)
            target = cls.env["migration.target.field"]._get(omap.target, field)
            fmap.write({"action": "map", "target_field_id": target.id})
        cls.long._accept_proposals(0.0)
        cls.loaded_run = cls.long._start_run("full")
        cls.partner = cls.env["res.partner"].search(
            [("email", "=", "long@x.example.com")]
        )
        cls.lead = cls.env["crm.lead"].search([("name", "=", "Big deal")])

    def _check(self, source, column):
        return self.env["migration.cell.check"].search(
            [
                ("run_id", "=", self.loaded_run.id),
                ("object_map_id.source_id", "=", source.id),
                ("column", "=", column),
            ]
        )

    def test_a_12_mb_comment_and_description_are_kept_whole(self):
        self.assertEqual(self.loaded_run.state, "done", self.loaded_run.log)
        self.assertEqual(len(self.partner), 1)
        self.assertEqual(len(self.lead), 1)
        self.assertEqual(text_of(self.partner.comment), STORY)
        self.assertEqual(text_of(self.lead.description), DEAL)
        for source, column in (
            (self.people, "Background"),
            (self.deals, "Description"),
            (self.tasks, "Description"),
        ):
            check = self._check(source, column)
            self.assertEqual(
                (check.cell_count, check.written_count, check.unaccounted_count),
                (1, 1, 0),
                (source.name, column),
            )

    def test_a_12_mb_task_description_is_kept_whole(self):
        activity = self.env["mail.activity"].search([("summary", "=", "Call Ana")])
        self.assertEqual(
            (activity.res_model, activity.res_id), ("res.partner", self.partner.id)
        )
        self.assertEqual(text_of(activity.note), TASK)

    def test_the_read_back_catches_a_cut_value(self):
        """A value stored cut (as the sanitiser cut it at 10 MB) is an
        unaccounted cell of its column, with the line named."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET comment = left(comment, 10000000) WHERE id = %s",
                self.partner.id,
            )
        )
        self.env.invalidate_all()
        self.assertLess(len(text_of(self.partner.comment)), len(STORY))
        self.env["migration.cell.check"]._build_for_run(self.loaded_run)
        check = self._check(self.people, "Background")
        self.assertEqual((check.written_count, check.unaccounted_count), (0, 1))
        self.assertTrue(check.example)
        # the untouched lead still reads back whole
        self.assertEqual(self._check(self.deals, "Description").unaccounted_count, 0)
