"""The bulk path of the writer (loader.bulk) stores exactly what Odoo's
create() stores: the same rows loaded once through the ORM writer and once
through the bulk writer, in savepoints rolled back in between, compared column
by column (ids aside; the Message-Id's random part aside); then a whole
AllClients run (notes, tasks, done tasks) both ways, records and ledger."""

import datetime as dt
import re
import socket

from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, plaintext2html

from ..loader.writer import Writer
from .common import SampleCase, each_way
from .loader_common import LoaderCase, prep


def message_id_shape(value):
    """A Message-Id without its random and time parts (generate_tracking_message_id)."""
    return re.sub(r"^<\d+\.[\d.]+-", "<", value) if value else value


def both_ways(env, load, read):
    """{bulk: read()} after load(Writer(env, bulk)), each in a savepoint that
    is rolled back: both loads start from the same database."""

    def one_way(bulk):
        writer = Writer(env, bulk=bulk)
        records = load(writer)
        return read(records), writer.take_counts()

    return each_way(env, one_way)


class StoredRows:
    """The stored rows of records, column by column, ids made comparable."""

    # a partner's calendar_last_notif_ack defaults to now: a timestamp too
    SKIP = ("id", "create_date", "write_date", "calendar_last_notif_ack")

    def __init__(self, env):
        self.env = env

    def rows(self, model_name, ids):
        model = self.env[model_name]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT * FROM %s WHERE id = ANY(%s) ORDER BY id",
                SQL.identifier(model._table),
                list(ids),
            )
        )
        return [self.row(model, row) for row in self.env.cr.dictfetchall()]

    def row(self, model, row):
        out = {}
        for column, value in row.items():
            if column in self.SKIP:
                continue
            field = model._fields.get(column)
            if column == "message_id" and row.get("res_id"):
                # the document's id is part of it: the document by its name
                value = message_id_shape(value).replace(
                    f"-{row['res_id']}-", f"-{self.label(row['model'], row['res_id'])}-"
                )
            elif column == "message_id":
                value = message_id_shape(value)
            elif field is not None and value and field.type == "many2one":
                value = (field.comodel_name, self.label(field.comodel_name, value))
            elif field is not None and value and field.type == "many2one_reference":
                res_model = row.get(field.model_field)
                value = (res_model, self.label(res_model, value))
            out[column] = value
        return out

    def label(self, model_name, res_id):
        """A record by what it is, not by its id: a run made twice gives the
        same records under other ids."""
        record = self.env[model_name].browse(res_id).sudo().exists()
        return record.display_name if record else res_id

    def followers(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT f.res_model, f.res_id, f.partner_id, "
            "ARRAY(SELECT r.mail_message_subtype_id FROM mail_followers_mail_message_subtype_rel r "
            "WHERE r.mail_followers_id = f.id ORDER BY 1) FROM mail_followers f"
        )
        return sorted(
            (
                model,
                self.label(model, res_id),
                self.label("res.partner", partner_id),
                tuple(subtypes),
            )
            for model, res_id, partner_id, subtypes in self.env.cr.fetchall()
        )


@tagged("post_install", "-at_install")
class TestLoaderBulk(LoaderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Fields = cls.env["ir.model.fields"]
        for model_name in ("mail.message", "mail.activity"):
            model_id = cls.env["ir.model"]._get_id(model_name)
            for name, ttype in (
                ("x_legacy_ref", "char"),
                ("x_legacy_score", "integer"),
            ):
                Fields.create(
                    {
                        "name": name,
                        "model_id": model_id,
                        "ttype": ttype,
                        "field_description": name,
                    }
                )
        cls.other = new_test_user(
            cls.env,
            login="bulk-other",
            name="Other Seller",
            email="other@pieces.example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.company = cls.env["res.partner"].create(
            {"name": "Bulk & Co <Ltd>", "is_company": True, "email": "co@example.com"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ann Bulk", "parent_id": cls.company.id}
        )
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Big deal", "type": "opportunity", "partner_id": cls.company.id}
        )

    def setUp(self):
        super().setUp()
        self.stored = StoredRows(self.env)

    def assert_same(self, model_name, vals_list):
        """Both writers store the same rows and followers; the bulk writer
        wrote every row in bulk."""

        def load(writer):
            preps = [prep(i, f"k{i}", **dict(v)) for i, v in enumerate(vals_list)]
            ok, bad = writer.create(writer.model(model_name), preps)
            self.assertEqual(bad, [])
            # the writer completes the caller's values as create() does
            # (the ledger's after-values read these keys)
            return [r.id for _p, r in ok], [sorted(p.vals) for p in preps]

        def read(loaded):
            ids, keys = loaded
            return self.stored.rows(model_name, ids), keys, self.stored.followers()

        got = both_ways(self.env, load, read)
        (orm_rows, orm_keys, orm_followers), orm_counts = got[False]
        (bulk_rows, bulk_keys, bulk_followers), bulk_counts = got[True]
        self.assertEqual(len(orm_rows), len(vals_list))
        for i, (orm_row, bulk_row) in enumerate(zip(orm_rows, bulk_rows, strict=True)):
            self.assertEqual(bulk_row, orm_row, f"{model_name} row {i}")
        self.assertEqual(bulk_keys, orm_keys)
        self.assertEqual(bulk_followers, orm_followers)
        self.assertEqual(orm_counts[0], 0)
        self.assertEqual(bulk_counts, (len(vals_list), {}))
        return orm_rows, orm_followers

    def test_messages_are_stored_as_create_stores_them(self):
        note = self.env.ref("mail.mt_note").id
        text = 'Called <b>twice</b> & left a "message"\nhttps://example.com/x?a=1&b=2'
        vals_list = [
            {
                "model": "res.partner",
                "res_id": self.contact.id,
                "body": plaintext2html(text),
                "message_type": "comment",
                "subtype_id": note,
                "date": dt.datetime(2019, 3, 4, 10, 30),
                "author_id": self.other.partner_id.id,
                "x_legacy_ref": "N-1",
                "x_legacy_score": 7,
            },
            {
                "model": "crm.lead",
                "res_id": self.lead.id,
                # sanitised on the way in, the same way both writers
                "body": '<p onclick="x()">Hi<script>alert(1)</script></p>',
                "message_type": "comment",
                "subtype_id": note,
                "date": dt.datetime(2020, 1, 1),
            },
            {  # no author: the current user, as create() decides
                "model": "res.partner",
                "res_id": self.company.id,
                "body": "",
                "message_type": "notification",
                "subtype_id": note,
                "date": dt.datetime(2021, 6, 30, 23, 59, 59),
                "x_legacy_ref": False,
            },
        ]
        rows, _followers = self.assert_same("mail.message", vals_list)
        host = socket.gethostname()
        # what the comparison covers: the values create() computes
        self.assertEqual(rows[0]["record_name"], "Bulk & Co <Ltd>, Ann Bulk")
        self.assertIn("other@pieces.example.com", rows[0]["email_from"])
        self.assertTrue(rows[0]["reply_to"])
        self.assertEqual(
            rows[0]["message_id"],
            f"<openerp-Bulk & Co <Ltd>, Ann Bulk-res.partner@{host}>",
        )
        self.assertEqual(
            (rows[0]["x_legacy_ref"], rows[0]["x_legacy_score"]), ("N-1", 7)
        )
        self.assertNotIn("script", rows[1]["body"])
        self.assertEqual(rows[2]["author_id"][0], "res.partner")

    def test_activities_are_stored_as_create_stores_them(self):
        todo = self.env.ref("mail.mail_activity_data_todo").id
        call = self.env.ref("mail.mail_activity_data_call").id
        partner_model = self.env["ir.model"]._get_id("res.partner")
        lead_model = self.env["ir.model"]._get_id("crm.lead")
        vals_list = [
            {
                "res_model_id": lead_model,
                "res_id": self.lead.id,
                "activity_type_id": call,
                "summary": "Call back",
                "note": plaintext2html("Ask about <the> renewal"),
                "date_deadline": dt.date(2019, 5, 1),  # overdue: a bus notice
                "user_id": self.other.id,  # followers: the assignee subscribed
                "active": True,
                "x_legacy_ref": "T-9",
                "x_legacy_score": 3,
            },
            {
                "res_model_id": partner_model,
                "res_id": self.contact.id,
                "activity_type_id": todo,
                "summary": False,
                "note": False,
                "date_deadline": dt.date(2031, 1, 1),
                "user_id": self.env.user.id,
                "active": False,  # a done task, archived
            },
            {
                "res_model_id": partner_model,
                "res_id": self.company.id,
                "activity_type_id": todo,
                "summary": "Send quote",
                "note": "<p>Quote <i>v2</i></p>",
                "date_deadline": dt.date(2030, 2, 3),
                "user_id": self.owner.id,
                "active": True,
            },
        ]
        rows, followers = self.assert_same("mail.activity", vals_list)
        # stored computed and related values are part of the comparison
        self.assertEqual(rows[0]["res_model"], "crm.lead")
        self.assertEqual(rows[0]["res_name"], "Big deal")
        self.assertEqual(rows[2]["res_name"], "Bulk & Co <Ltd>")
        self.assertEqual(rows[0]["x_legacy_ref"], "T-9")
        self.assertIn(
            ("crm.lead", "Big deal", "Other Seller"), [f[:3] for f in followers]
        )

    def test_what_the_bulk_path_cannot_reproduce_goes_through_create(self):
        writer = Writer(self.env, bulk=True)
        image = '<p><img src="data:image/png;base64,iVBORw0KGgo="/></p>'
        preps = [
            prep(1, "k1", model="res.partner", res_id=self.contact.id, body=image),
            prep(2, "k2", model="res.partner", res_id=self.contact.id, body="<p>x</p>"),
        ]
        ok, bad = writer.create(writer.model("mail.message"), preps)
        self.assertEqual((len(ok), bad), (2, []))
        self.assertTrue(
            ok[0][1].attachment_ids, "create() made the image an attachment"
        )
        # a model without a bulk path is not counted as a fallback
        writer.create(writer.model("crm.tag"), [prep(3, "k3", name="Bulk tag")])
        self.assertEqual(
            writer.take_counts(),
            (0, {("mail.message", "embedded image in body"): 2}),
        )
        # a batch the database refuses in bulk is bisected by the ORM path
        preps = [
            prep(4, "k4", model="res.partner", res_id=self.contact.id, body="<p>a</p>"),
            prep(5, "k5", model="res.partner", res_id=self.contact.id, subtype_id=-1),
        ]
        ok, bad = writer.create(writer.model("mail.message"), preps)
        self.assertEqual([p.key for p, _r in ok], ["k4"])
        self.assertEqual([p.key for p, _e in bad], ["k5"])
        bulk, fallbacks = writer.take_counts()
        self.assertEqual(bulk, 0)
        (((model_name, reason), rows),) = fallbacks.items()
        self.assertEqual((model_name, rows), ("mail.message", 2))
        self.assertTrue(reason.startswith("refused in bulk"), reason)


@tagged("post_install", "-at_install")
class TestBulkRunEquality(SampleCase):
    """A whole AllClients run (120 notes, 30 tasks, done ones with their done
    message) made with the project's bulk write off, then on: the same
    messages, activities, followers and ledger rows."""

    system = "allclients"
    project_vals = {"name": "Carver Insurance", "create_users": True}
    run_full = False

    LEDGER_SKIP = (
        "id",
        "display_name",
        "run_id",
        "create_date",
        "write_date",
        "create_uid",
        "write_uid",
    )

    maxDiff = None
    BULK_MODELS = ("mail.message", "mail.activity", "res.partner", "crm.lead")
    # every contact, note and activity row in bulk (done messages are made by
    # the chatter handler's own create, and the 11 companies named by contacts
    # only by the partner lookups' create, the same in both runs)
    BULK_COUNTS = (116 + 27 + 49, 0)
    CREATED = {"res.partner": 49 + 11}
    COMPARED = ("mail.message", "mail.activity", "res.partner")

    def run_both_ways(self):
        stored = StoredRows(self.env)

        def one_way(bulk):
            self.project.bulk_write = bulk
            return self.snapshot(stored, self.project._start_run("full", commit=False))

        return each_way(self.env, one_way)

    def snapshot(self, stored, run):
        self.assertEqual(run.state, "done")
        ledger = run.ledger_ids.sorted("id")
        # a message or activity by its place in the run's ledger (the run
        # made twice gives them other ids)
        self.places = {}
        for row in ledger:
            if row.res_model in ("mail.message", "mail.activity"):
                place = (row.res_model, len(self.places))
                self.places.setdefault((row.res_model, row.res_id), place)
        chatter = {
            name: stored.rows(
                name,
                ledger.filtered(
                    lambda r, n=name: r.res_model == n and r.operation == "create"
                ).mapped("res_id"),
            )
            for name in self.BULK_MODELS
        }
        return {
            "counts": (run.bulk_rows, run.orm_fallback_rows),
            "lines": [
                (line.object_name, line.read_count, line.created_count)
                for line in run.line_ids
            ],
            "chatter": chatter,
            "followers": stored.followers(),
            "ledger": [self.ledger_row(stored, row) for row in ledger],
            "frequencies": self.frequencies(),
        }

    def frequencies(self):
        """The lead scoring frequencies (won leads count in them), a stage by
        its name (a stage the run makes has another id in each run)."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT variable, value, won_count, lost_count, team_id "
            "FROM crm_lead_scoring_frequency"
        )
        stages = self.env["crm.stage"].with_context(active_test=False)
        return sorted(
            (
                variable,
                stages.browse(int(value)).name if variable == "stage_id" else value,
                won,
                lost,
                team,
            )
            for variable, value, won, lost, team in self.env.cr.fetchall()
        )

    def ledger_row(self, stored, row):
        vals = row.read(load=None)[0]
        out = {k: v for k, v in vals.items() if k not in self.LEDGER_SKIP}
        out["res_id"] = self.places.get((row.res_model, row.res_id)) or stored.label(
            row.res_model, row.res_id
        )
        model = self.env[row.res_model]
        out["after_values"] = self.values(stored, model, row.after_values)
        out["before_values"] = self.values(stored, model, row.before_values)
        return out

    def values(self, stored, model, values):
        """A ledger row's before or after values, ids made comparable."""
        values = dict(values or {})
        document = values.get("model") or values.get("res_model")
        if values.get("res_model_id"):
            document = self.env["ir.model"].browse(values["res_model_id"]).model
        res_id = values.get("res_id")
        for fname, value in values.items():
            field = model._fields.get(fname)
            if fname == "message_id" and document and res_id:
                values[fname] = message_id_shape(value).replace(
                    f"-{res_id}-", f"-{stored.label(document, res_id)}-"
                )
            elif field is not None and value and field.type == "many2one":
                values[fname] = stored.label(field.comodel_name, value)
            elif field is not None and value and field.type == "many2many":
                values[fname] = sorted(
                    stored.label(field.comodel_name, v) for v in value
                )
            elif fname == "res_id" and value and document:
                values[fname] = stored.label(document, value)
        return values

    def test_a_run_in_bulk_stores_what_a_run_through_create_stores(self):
        got = self.run_both_ways()
        orm, bulk = got[False], got[True]
        self.assertEqual(orm["counts"], (0, 0))
        for name, created in self.CREATED.items():
            self.assertEqual(len(orm["chatter"][name]), created, name)
        self.assertEqual(bulk["counts"], self.BULK_COUNTS)
        self.assertEqual(bulk["lines"], orm["lines"])
        self.assertEqual(bulk["frequencies"], orm["frequencies"])
        for name in self.COMPARED:
            self.assertTrue(orm["chatter"][name])
            self.assertEqual(len(bulk["chatter"][name]), len(orm["chatter"][name]))
            for i, (b, o) in enumerate(
                zip(bulk["chatter"][name], orm["chatter"][name], strict=True)
            ):
                self.assertEqual(b, o, f"{name} #{i}")
        self.assertEqual(bulk["followers"], orm["followers"])
        self.assertEqual(len(bulk["ledger"]), len(orm["ledger"]))
        self.assertEqual(bulk["ledger"], orm["ledger"])


@tagged("post_install", "-at_install")
class TestBulkRunEqualityDeals(TestBulkRunEquality):
    """The generic sample (companies, contacts of companies, deals in stages,
    won and lost, with tags) run with the project's bulk write off, then on:
    the same partners, leads, scoring frequencies and ledger rows."""

    allow_inherited_tests_method = True  # the test of TestBulkRunEquality
    system = "generic"
    extensions = (".csv", ".xlsx")
    project_vals = {"name": "Generic bulk", "create_users": True}
    # 40 companies, 119 contacts (one merged into another), 80 deals
    BULK_COUNTS = (40 + 119 + 80, 0)
    CREATED = {"crm.lead": 80}
    COMPARED = ("res.partner", "crm.lead")
