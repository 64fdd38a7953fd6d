"""Notes and activities (issue 18): the people the rows of a batch name by
email are looked up for the whole batch (loader.links.LinkFinder.prefetch),
not with two queries a row (the email, then the person's name through the
ORM, which fetched every column of the partner); the activities' document
names (res_name) are read for the batch too (loader.bulk.ActivityBulk)."""

import datetime as dt
from contextlib import contextmanager
from types import SimpleNamespace
from unittest.mock import patch

from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import SQL

from ..loader import rows as loader_rows
from ..loader.handlers.chatter import NoteHandler
from ..loader.links import LinkFinder
from ..loader.writer import Writer
from .common import MigrationCase
from .loader_common import LoaderCase, prep
from .test_parallel_books import tasks_project

PEOPLE = 12


@tagged("post_install", "-at_install")
class TestChatterBatches(MigrationCase):
    def _project(self):
        return tasks_project(
            self.env, "Tasks by email", self.owner, PEOPLE, PEOPLE, batch_size=5
        )

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


class WatchedNames(dict):
    """The names a LinkFinder has read, counting the walks over all of them."""

    walks = 0

    def keys(self):
        WatchedNames.walks += 1
        return super().keys()

    def __iter__(self):
        WatchedNames.walks += 1
        return super().__iter__()


@tagged("post_install", "-at_install")
class TestPartnerNamesKept(MigrationCase):
    def test_a_name_lookup_never_walks_the_names_read_so_far(self):
        """LinkFinder._partner_names is called for each row a chatter batch
        links by email: with the names of a run's people kept, a lookup that
        walked them all made the 1M scale run's tasks quadratic (2 walks
        of 5,000 names on the old code)."""
        people = self.env["res.partner"].create(
            [{"name": f"Person {i}"} for i in range(2)]
        )
        finder = LinkFinder(self.env, SimpleNamespace(link_indexes={}), None)
        finder.names = WatchedNames((-i, f"Old {i}") for i in range(1, 5001))
        WatchedNames.walks = 0
        self.assertEqual(
            finder._partner_names(people.ids),
            dict(zip(people.ids, ("Person 0", "Person 1"), strict=True)),
        )
        self.assertEqual(
            finder._partner_names(people[:1].ids), {people[0].id: "Person 0"}
        )
        self.assertEqual((WatchedNames.walks, len(finder.names)), (0, 5002))


@tagged("post_install", "-at_install")
class TestActivityNames(LoaderCase):
    def test_a_batch_reads_its_documents_names_at_once(self):
        """6 activities on 6 partners in bulk: each activity's res_name (its
        document's name) read for the batch, one fetch of the 6 partners (6
        fetches of one on the old code: Odoo's compute browses each document
        alone), the names those of the documents."""
        company = self.env["res.partner"].create(
            {"name": "Doc & Co", "is_company": True}
        )
        people = self.env["res.partner"].create(
            [{"name": f"Doc {i}", "parent_id": company.id} for i in range(6)]
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        todo = self.env.ref("mail.mail_activity_data_todo").id
        preps = [
            prep(
                i,
                f"k{i}",
                res_model_id=model_id,
                res_id=person.id,
                activity_type_id=todo,
                summary=f"Call {i}",
                date_deadline=dt.date(2030, 1, 1),
                user_id=self.owner.id,
            )
            for i, person in enumerate(people)
        ]
        self.env.flush_all()
        self.env.invalidate_all()
        writer = Writer(self.env, bulk=True)
        with self.partner_reads() as reads:
            ok, bad = writer.create(writer.model("mail.activity"), preps)
        self.assertEqual((len(ok), bad), (6, []))
        self.assertEqual(writer.take_counts(), (6, {}))
        # the reads of the documents' columns (not the followers' searches)
        fetched = [ids & set(people.ids) for text, ids in reads if '"name"' in text]
        self.assertEqual([ids for ids in fetched if ids], [set(people.ids)], reads)
        self.env.invalidate_all()
        self.assertEqual(
            [record.res_name for _prep, record in ok],
            [f"Doc & Co, Doc {i}" for i in range(6)],
        )

    @contextmanager
    def partner_reads(self):
        """(query, {ids in its parameters}) of the SELECTs of res_partner rows
        while the block runs."""
        reads = []
        real = Cursor.execute

        def execute(cr, query, params=None, log_exceptions=True):
            text = query.code if isinstance(query, SQL) else str(query)
            if text.startswith("SELECT") and 'FROM "res_partner"' in text:
                values = query.params if isinstance(query, SQL) else params or ()
                ids = set()
                for value in values:
                    ids |= set(value) if isinstance(value, (tuple, list)) else {value}
                reads.append((text, ids))
            return real(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", execute):
            yield reads

    def test_a_bulk_batch_quotes_its_constant_columns_once(self):
        """The bulk writer's INSERT (loader.bulk, through loader.rows
        execute_rows): the columns of one value in every row of the batch
        (the model, the assignee, the users and dates) quoted once; psycopg2
        given only the others row by row (every column on the old code,
        whose INSERT did not go through execute_rows)."""
        given = []
        real = loader_rows.execute_values

        def spy(cur, query, argslist, **kwargs):
            text = query.as_string(cur) if hasattr(query, "as_string") else query
            if text.startswith('INSERT INTO "mail_activity"'):
                given.append((text, kwargs["template"], argslist))
            return real(cur, query, argslist, **kwargs)

        people = self.env["res.partner"].create([{"name": f"P{i}"} for i in range(4)])
        model_id = self.env["ir.model"]._get_id("res.partner")
        todo = self.env.ref("mail.mail_activity_data_todo").id
        preps = [
            prep(i, f"k{i}", res_model_id=model_id, res_id=person.id,
                 activity_type_id=todo, summary=f"Call {i}",
                 date_deadline=dt.date(2030, 1, 1), user_id=self.owner.id)
            for i, person in enumerate(people)
        ]  # fmt: skip
        writer = Writer(self.env, bulk=True)
        with patch.object(loader_rows, "execute_values", spy):
            ok, _bad = writer.create(writer.model("mail.activity"), preps)
        self.assertEqual(len(ok), 4)
        ((query, template, rows),) = given
        columns = query.split("(", 1)[1].split(")", 1)[0].replace('"', "").split(", ")
        quoted = template.strip("()").split(", ")
        once = {c for c, q in zip(columns, quoted, strict=True) if q != "%s"}
        self.assertLessEqual(
            {"res_model_id", "res_model", "user_id", "activity_type_id",
             "create_uid", "create_date", "write_uid", "write_date"},
            once,
        )  # fmt: skip
        self.assertNotIn("res_id", once)
        self.assertEqual({len(row) for row in rows}, {len(columns) - len(once)})
