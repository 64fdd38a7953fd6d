"""Notes and activities (issue 18): the people the rows of a batch name by
email are looked up for the whole batch (loader.links.LinkFinder.prefetch),
not with two queries a row (the email, then the person's name through the
ORM, which fetched every column of the partner)."""

from unittest.mock import patch

from odoo.sql_db import Cursor
from odoo.tests import tagged

from ..loader.handlers.chatter import NoteHandler
from .common import MigrationCase
from .test_parallel_books import tasks_csv

PEOPLE = 12


@tagged("post_install", "-at_install")
class TestChatterBatches(MigrationCase):
    def _project(self):
        project = self.env["migration.project"].create(
            {
                "name": "Tasks by email",
                "system": "generic",
                "default_user_id": self.owner.id,
                "batch_size": 5,
            }
        )
        project._add_file(
            "contacts.csv",
            b"First Name,Last Name,Email\n"
            + b"".join(
                f"Ann{i},Lee,p{i}@c{i % 40}.example.com\n".encode()
                for i in range(PEOPLE)
            ),
        )
        project._add_file("tasks.csv", tasks_csv(PEOPLE, PEOPLE))
        project.action_profile()
        project.action_propose()
        project.action_confirm_maps()
        return project

    def test_a_batch_finds_the_people_it_names_by_email_at_once(self):
        """12 tasks of 12 people by email in batches of 5: one query of the
        emails and one of the names per batch (3 + 3; 12 + 12 on the old
        code), each task on its person."""
        project = self._project()
        queries, inside = [], []
        real_execute, real_resolve = Cursor.execute, NoteHandler.resolve

        def execute(cr, query, params=None, log_exceptions=True):
            if inside:
                queries.append(str(query))
            return real_execute(cr, query, params, log_exceptions)

        def resolve(handler, omap, prepared):
            inside.append(True)
            try:
                return real_resolve(handler, omap, prepared)
            finally:
                inside.pop()

        with (
            patch.object(Cursor, "execute", execute),
            patch.object(NoteHandler, "resolve", resolve),
        ):
            run = project._start_run("full", commit=False)
        self.assertEqual((run.state, run.created_count), ("done", 2 * PEOPLE), run.log)
        by_email = [q for q in queries if "email_normalized = ANY" in q]
        names = [q for q in queries if "SELECT id, name FROM res_partner" in q]
        self.assertEqual((len(by_email), len(names)), (3, 3))
        activities = self.env["mail.activity"].search(
            [("summary", "like", "Task %"), ("res_model", "=", "res.partner")]
        )
        self.assertEqual(len(activities), PEOPLE)
        for activity in activities:
            i = int(activity.summary.split()[1])
            person = self.env["res.partner"].browse(activity.res_id)
            self.assertEqual(person.email, f"p{i}@c{i % 40}.example.com")
