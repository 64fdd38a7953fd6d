"""Ploomes end to end: the CLI pulls a loopback Ploomes API (the engine tests' server,
serving the saved sample pages) and loads every target; a pull stopped by a
malformed page resumes without duplicates; the scheduled delta asks only for what
changed; the User-Key never appears in a request URL, a log line or a record."""

import copy
import datetime
import io
import json
import logging
import zipfile
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from odoo.addons.crm_migration.cli.crm_migration import (
    EXIT_REFUSED,
    EXIT_REVIEW,
    Runner,
    build_parser,
)
from odoo.addons.crm_migration.engine.sources.ploomes.pages import PageSet
from odoo.addons.crm_migration.engine.tests.ploomes_server import KEY, PloomesServer
from odoo.addons.crm_migration.loader.select import RowSelector

from .common import MigrationCase

SAMPLES = file_path("crm_migration/samples/ploomes")
# a person whose company (5999) is not among the companies: reviewed, not invented
ORPHAN = {
    "Id": 5105, "TypeId": 2, "Name": "Rita Sem Empresa", "Email": "rita@example.com",
    "CompanyId": 5999, "OwnerId": 10, "CreateDate": "2024-01-02T10:00:00-03:00",
    "LastUpdateDate": "2024-01-02T10:00:00-03:00",
}  # fmt: skip


def sample_records():
    pages = PageSet.open(SAMPLES)
    records = {e: copy.deepcopy(pages.records(e)) for e in pages.entities()}
    records["Contacts"].append(dict(ORPHAN))
    return records


class PloomesCase(MigrationCase):
    """A loopback Ploomes API serving the samples, the CLI pull and ledger reads."""

    def setUp(self):
        super().setUp()
        self.server = PloomesServer(sample_records(), slow=0.1)
        self.server.__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.logs = []
        handler = logging.Handler(level=logging.DEBUG)
        handler.emit = lambda record: self.logs.append(record.getMessage())
        root = logging.getLogger()
        root.addHandler(handler)
        self.addCleanup(root.removeHandler, handler)

    def cli(self, *argv):
        out = io.StringIO()
        code = Runner(self.env, out=out).dispatch(build_parser().parse_args(list(argv)))
        return code, out.getvalue()

    def pull(self, *extra):
        return self.cli(
            "run", "--project", "Ploomes API", "--system", "ploomes", "--api",
            "--api-key", KEY, "--base-url", self.server.url, "--full",
            "--accept-proposals", "--min-confidence", "0", "--create-users", *extra,
        )  # fmt: skip

    def ploomes_project(self):
        return self.env["migration.project"].search([("name", "=", "Ploomes API")])

    def ledger(self, target, key):
        entry = self.env["migration.ledger"].search(
            [
                ("project_id", "=", self.ploomes_project().id),
                ("target", "=", target),
                ("source_key", "=", key),
                ("operation", "in", ("create", "merge", "link")),
            ],
            limit=1,
        )
        return (
            self.env[entry.res_model]
            .with_context(active_test=False)
            .browse(entry.res_id)
        )

    def reviews(self, **where):
        domain = [("project_id", "=", self.ploomes_project().id)]
        domain += [(k, "=", v) for k, v in where.items()]
        return self.env["migration.review"].search(domain)

    def change_at_source(self, entity, rid, **values):
        """``values`` on a record of the loopback API, updated after the last pull
        (what a delta pull asks for)."""
        record = next(r for r in self.server.records[entity] if r["Id"] == rid)
        record.update(values)
        record["LastUpdateDate"] = (
            self.ploomes_project().api_pulled_at + datetime.timedelta(hours=1)
        ).strftime("%Y-%m-%dT%H:%M:%SZ")
        return record

    def delta(self):
        """The scheduled delta of a live project: the run it made."""
        project = self.ploomes_project()
        if project.state != "live":
            project.action_go_live()
        project._cron_delta(project.id)
        run = project.run_ids.sorted("id")[-1]
        self.assertEqual((run.kind, run.state), ("delta", "done"))
        return run


@tagged("post_install", "-at_install")
class TestPloomes(PloomesCase):
    # ------------------------------------------------------------ the pull
    def test_pull_loads_every_target(self):
        code, out = self.pull()
        self.assertEqual(code, EXIT_REVIEW, out)
        run = self.ploomes_project().run_ids
        self.assertEqual(run.state, "done", out)
        self.assertTrue(run.balanced)
        self._assert_partners()
        self._assert_leads_and_stages()
        self._assert_products()
        self._assert_orders()
        self._assert_activities()
        self._assert_users_and_custom_fields()
        self._assert_reviews()
        self._assert_key_never_shown()
        self._assert_requests_reported(out, run)

    def _assert_requests_reported(self, out, run):
        # one request a page, each entity on one page, and Tasks@Types, which
        # the samples lack (HTTP 404): what the loopback server answered
        self.assertEqual(len(self.server.requests), 16)
        self.assertIn("API pull: 16 HTTP requests for 15 pages\n", out)
        project = self.ploomes_project()
        self.assertEqual((project.api_pull_requests, project.api_pull_pages), (16, 15))
        self.assertIn(
            "Its rows come from the ploomes API pull of "
            f"{project.api_pulled_at}: 16 HTTP requests for 15 pages",
            run.log,
        )
        audit = self.env["migration.audit"].search(
            [("project_id", "=", project.id), ("action", "=", "upload")]
        )
        self.assertIn("(16 HTTP requests for 15 pages)", audit.description)

    def _assert_partners(self):
        acme = self.ledger("company", "id:5001")
        self.assertEqual(
            (acme.name, acme.is_company, acme.vat, acme.zip, acme.state_id.code),
            ("Acme Indústria", True, "11.222.333/0001-81", "01310-100", "SP"),
        )
        self.assertEqual(acme.country_id.code, "BR")
        self.assertEqual(acme.category_id.mapped("name"), ["VIP"])
        # the invalid CNPJs are never written
        self.assertFalse(self.ledger("company", "id:5002").vat)
        self.assertFalse(self.ledger("company", "id:5003").vat)
        joao = self.ledger("contact", "id:5101")
        # his own CPF, not Acme's CNPJ that Odoo's commercial sync copies
        self.assertEqual((joao.parent_id, joao.vat), (acme, "529.982.247-25"))
        self.assertEqual(joao.email, "joao.silva@acme-ind.com.br")
        self.assertEqual(
            self.ledger("contact", "id:5102").parent_id,
            self.ledger("company", "id:5002"),
        )
        rita = self.ledger("contact", "id:5105")
        self.assertEqual((rita.name, rita.parent_id.id), ("Rita Sem Empresa", False))
        partners = self.env["migration.ledger"].search_count(
            [("project_id", "=", self.ploomes_project().id), ("res_model", "=", "res.partner"),
             ("operation", "=", "create"), ("target", "in", ("company", "contact"))]
        )  # fmt: skip
        self.assertEqual(partners, 3 + 5)

    def _assert_leads_and_stages(self):
        team = self.env["crm.team"].search([("name", "=", "Vendas Diretas")])
        stages = self.env["crm.stage"].search([("team_id", "=", team.id)])
        self.assertEqual(
            stages.sorted("sequence").mapped("name")[:3],
            ["Prospecção", "Diagnóstico", "Qualificação"],
        )
        acme = self.ledger("company", "id:5001")
        open_deal = self.ledger("lead", "id:7001")
        self.assertEqual(
            (open_deal.name, open_deal.type, open_deal.stage_id.name,
             open_deal.expected_revenue, open_deal.partner_id, open_deal.team_id),
            ("Acme - CRM Pro 50 licenças", "opportunity", "Proposta", 60000.0, acme, team),
        )  # fmt: skip
        self.assertEqual(open_deal.tag_ids.mapped("name"), ["Urgente"])
        won = self.ledger("lead", "id:7002")
        self.assertEqual((won.probability, won.active), (100.0, True))
        self.assertEqual(won.date_closed, datetime.datetime(2024, 3, 10, 17, 45))
        lost = self.ledger("lead", "id:7003")
        self.assertEqual(
            (lost.active, lost.probability, lost.lost_reason_id.name),
            (False, 0.0, "Preço"),
        )
        self.assertEqual(
            self.ledger("lead", "id:7004").partner_id, self.ledger("contact", "id:5104")
        )

    def _assert_products(self):
        product = self.ledger("product", "id:401")
        self.assertEqual(
            (product.default_code, product.list_price, product.categ_id.complete_name),
            ("CRM-PRO", 1200.0, "Software / Licenças"),
        )
        self.assertFalse(self.ledger("product", "id:404").active)
        self.assertEqual(self.ledger("product", "id:402").categ_id.name, "Serviços")

    def _assert_orders(self):
        project = self.ploomes_project()
        orders = self.env["sale.order"].browse(
            self.env["migration.ledger"]
            .search([("project_id", "=", project.id), ("res_model", "=", "sale.order"),
                     ("operation", "=", "create")])
            .mapped("res_id")
        )  # fmt: skip
        # quote 1 review 0 (superseded) is not a quotation of its own
        self.assertEqual(len(orders), 3)
        quote = self.ledger("order", "id:quotes:8002")
        self.assertEqual(
            (quote.state, quote.partner_id, quote.opportunity_id, quote.client_order_ref),
            # the person it is for, a contact of the customer Acme
            ("sent", self.ledger("contact", "id:5101"), self.ledger("lead", "id:7001"), "1"),
        )  # fmt: skip
        line = quote.order_line
        self.assertEqual(
            (line.product_id.default_code, line.product_uom_qty, line.price_unit,
             line.discount, line.tax_id.ids, quote.amount_untaxed),
            ("CRM-PRO", 50.0, 1200.0, 5.0, [], 57000.0),
        )  # fmt: skip
        approved = self.ledger("order", "id:quotes:8003")
        # the line with the unknown product 499 is held for review
        self.assertEqual(approved.state, "sale")
        self.assertEqual(
            sorted(approved.order_line.mapped("product_id.default_code")),
            ["IMPL", "TRN-H"],
        )
        order = self.ledger("order", "id:orders:8501")
        self.assertEqual((order.state, order.amount_untaxed), ("sale", 4750.0))

    def _assert_activities(self):
        Activity = self.env["mail.activity"].with_context(active_test=False)
        deal = self.ledger("lead", "id:7001")
        on_deal = Activity.search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", deal.id)]
        )
        call = on_deal.filtered(lambda a: a.summary == "Ligar para João")
        meeting = on_deal.filtered(lambda a: a.summary == "Reunião de apresentação")
        self.assertEqual(
            (call.active, call.activity_type_id, call.date_done),
            (False, self.env.ref("mail.mail_activity_data_call"), datetime.date(2024, 2, 5)),
        )  # fmt: skip
        # 23:30 in Sao Paulo is 02:30 UTC the next day: the deadline is the local day
        self.assertEqual(
            (meeting.active, meeting.date_deadline), (True, datetime.date(2024, 6, 20))
        )
        luiza = self.ledger("contact", "id:5104")
        todo = Activity.search(
            [("res_model", "=", "res.partner"), ("res_id", "=", luiza.id)]
        )
        self.assertEqual(todo.summary, "Enviar proposta revisada")

    def _assert_users_and_custom_fields(self):
        carla = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "=", "carla.dias@acme.com.br")])
        )
        self.assertFalse(carla.active)
        fields_ = self.env["ir.model.fields"].search(
            [("model", "=", "res.partner"), ("field_description", "=", "Segmento")]
        )
        self.assertEqual(fields_.ttype, "selection")
        acme = self.ledger("company", "id:5001")
        label = dict(acme._fields[fields_.name]._description_selection(self.env))
        self.assertEqual(label[acme[fields_.name]], "Indústria")
        origin = self.env["ir.model.fields"].search(
            [("model", "=", "crm.lead"), ("field_description", "=", "Origem do Lead")]
        )
        self.assertEqual(origin.ttype, "selection")
        self.assertEqual(self.ledger("lead", "id:7001")[origin.name], "site")

    def _assert_reviews(self):
        self.assertTrue(self.reviews(kind="invalid_value", value="12.345.678/0001-00"))
        self.assertTrue(self.reviews(kind="invalid_value", value="11.111.111/1111-11"))
        self.assertTrue(self.reviews(kind="invalid_value", value="111.111.111-11"))
        self.assertEqual(len(self.reviews(kind="unknown_owner", value="99")), 2)
        self.assertTrue(self.reviews(kind="missing_parent", value="5999"))
        self.assertTrue(self.reviews(value="499"))
        # quote 8003 says 4750 but its lines 4950 (one of an unknown product):
        # reviewed when the pages were read; Odoo's total is the quote's own
        total = self.reviews(column="Amount", value="4750")
        self.assertEqual(len(total), 1, "the quote's total differs from its lines")
        self.assertEqual(self.ledger("order", "id:quotes:8003").amount_untaxed, 4750.0)

    def _assert_key_never_shown(self):
        for _entity, query, headers in self.server.requests:
            self.assertNotIn(KEY, json.dumps(query))
            self.assertEqual(headers.get("User-Key"), KEY)
        self.assertFalse([line for line in self.logs if KEY in line])
        project = self.ploomes_project()
        texts = [
            *project.review_ids.mapped("reason"),
            *project.review_ids.mapped("value"),
            *self.env["migration.audit"].search([]).mapped("description"),
            *project.message_ids.mapped("body"),
            *project.source_ids.mapped("error"),
        ]
        self.assertFalse([t for t in texts if t and KEY in str(t)])
        self.assertFalse(project.sudo().api_key_token)

    # ------------------------------------------------------------ resume
    def test_stopped_pull_resumes_without_duplicates(self):
        # asked 4 times (3 retries with backoff), then the pull stops naming the page
        self.server.fail("Deals", 0, "malformed", times=4)
        code, out = self.pull()
        self.assertEqual(code, EXIT_REFUSED, out)
        self.assertIn("Deals, page 1", out)
        self.assertNotIn(KEY, out)
        first = len(self.server.requests)
        contacts = self.server.count("Contacts")
        code, out = self.pull()
        self.assertEqual(code, EXIT_REVIEW, out)
        # the entities finished before the bad page are not asked again
        self.assertEqual(self.server.count("Contacts"), contacts)
        self.assertLess(len(self.server.requests) - first, first)
        created = self.env["migration.ledger"].search(
            [("project_id", "=", self.ploomes_project().id), ("operation", "=", "create"),
             ("target", "=", "lead")]
        )  # fmt: skip
        self.assertEqual(len(created), 4)
        self.assertEqual(
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search_count([("name", "=", "Acme - CRM Pro 50 licenças")]),
            1,
        )
        self.assertFalse(Path(self.ploomes_project()._pull_folder()).exists())

    # ------------------------------------------------------------ delta
    def test_scheduled_delta_brings_only_the_changed_records(self):
        code, out = self.pull("--keep-key")
        self.assertEqual(code, EXIT_REVIEW, out)
        project = self.ploomes_project()
        token = project.sudo().api_key_token
        self.assertTrue(token and KEY not in token)
        pulled_at = project.api_pulled_at
        self.assertTrue(pulled_at)
        # one deal changes at the source after the pull
        deal = next(d for d in self.server.records["Deals"] if d["Id"] == 7004)
        deal["Title"] = "Luiza - consultoria ampliada"
        deal["LastUpdateDate"] = (pulled_at + datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        project.action_go_live()
        before = len(self.server.requests)
        project._cron_delta(project.id)
        delta = project.run_ids.sorted("id")[-1]
        self.assertEqual((delta.kind, delta.state), ("delta", "done"))
        filters = [
            q.get("$filter")
            for e, q, _h in self.server.requests[before:]
            if e == "Deals"
        ]
        self.assertTrue(
            filters and all(f and f.startswith("LastUpdateDate gt") for f in filters)
        )
        lead = self.ledger("lead", "id:7004")
        self.assertEqual(lead.name, "Luiza - consultoria ampliada")
        self.assertEqual((delta.updated_count, delta.created_count), (1, 0))
        # the rows the delta did not bring are not gone from the source
        self.assertFalse(self.reviews(kind="removed"))
        self.assertEqual(
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search_count([("name", "like", "Luiza - consultoria")]),
            1,
        )
        self.assertFalse([line for line in self.logs if KEY in line])

    # ------------------------------------------------------------ wizard
    def test_wizard_reads_a_zip_of_saved_pages(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for page in sorted(Path(SAMPLES).glob("*/page-*.json")):
                zf.write(page, f"ploomes-export/{page.parent.name}/{page.name}")
        attachment = self.env["ir.attachment"].create(
            {"name": "ploomes-export.zip", "raw": buffer.getvalue()}
        )
        wizard = self.env["migration.import.wizard"].create(
            {"project_name": "Ploomes offline", "system": "ploomes",
             "attachment_ids": [(6, 0, attachment.ids)]}
        )  # fmt: skip
        self.assertTrue(wizard.api_available)
        self.assertFalse(wizard.api_account_needed)
        wizard.action_import()
        project = self.env["migration.project"].search(
            [("name", "=", "Ploomes offline")]
        )
        by_name = {s.name: s.row_count for s in project.source_ids}
        self.assertEqual(
            (
                by_name["companies"],
                by_name["people"],
                by_name["deals"],
                by_name["quotes"],
            ),
            (3, 4, 4, 3),
        )
        self.assertEqual(project.source_tz, "America/Sao_Paulo")
        omaps = {m.object_name: m.target for m in project.object_map_ids}
        self.assertEqual(
            (omaps["quotes"], omaps["quote_lines"], omaps["product_categories"]),
            ("order", "order_line", "product_category"),
        )
        review = self.env["migration.review"].search(
            [("project_id", "=", project.id), ("value", "=", "12.345.678/0001-00")]
        )
        self.assertEqual(
            (review.kind, review.column, review.line), ("invalid_value", "CNPJ", 4)
        )

    def test_wizard_api_pull_never_stores_the_key_in_clear(self):
        admin = self.env.ref("base.user_admin")  # a Migration Manager
        wizard = self.env["migration.import.wizard"].with_user(admin).create(
            {"project_name": "Ploomes wizard", "system": "ploomes", "use_api": True,
             "api_base_url": self.server.url, "api_key": KEY, "keep_api_key": True}
        )  # fmt: skip
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM migration_import_wizard WHERE api_key_token LIKE %s",
            [f"%{KEY}%"],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        wizard.action_import()
        project = self.env["migration.project"].search(
            [("name", "=", "Ploomes wizard")]
        )
        self.assertEqual({s.name: s.row_count for s in project.source_ids}["deals"], 4)
        self.assertTrue(project.api_key_stored)
        self.assertEqual(project._stored_api_credentials()[0], {"api_key": KEY})
        self.env.flush_all()
        for table, column in (
            ("migration_project", "api_key_token"),
            ("migration_import_wizard", "api_key_token"),
            ("migration_audit", "description"),
        ):
            self.env.cr.execute(
                f"SELECT count(*) FROM {table} WHERE {column} LIKE %s",  # noqa: S608
                [f"%{KEY}%"],
            )
            self.assertEqual(self.env.cr.fetchone()[0], 0, table)
        # a Migration User cannot read the kept key
        user = self.env["res.users"].create(
            {"name": "Mig User", "login": "mig-user-ploomes",
             "groups_id": [(6, 0, [self.env.ref("crm_migration.group_migration_user").id])]}
        )  # fmt: skip
        with self.assertRaises(AccessError):
            project.with_user(user).read(["api_key_token"])

    # ------------------------------------------------------------ sample
    def test_a_sample_follows_source_ids(self):
        project = self.env["migration.project"].create(
            {"name": "Ploomes sample", "system": "ploomes", "sample_size": 1}
        )
        project._add_folder(SAMPLES)
        project.action_profile()
        project.action_propose()
        omaps = {m.object_name: m for m in project.object_map_ids}
        tasks = omaps["tasks"].source_id.staging_row_ids
        # the to-do of Luiza (a person, not the first contact) comes first
        todo = tasks.filtered(lambda r: r.data["Task ID"] == "9603")
        todo.line = 1
        run = self.env["migration.run"].create(
            {"project_id": project.id, "kind": "sample"}
        )
        selected = RowSelector(self.env).select(
            run, project.object_map_ids.filtered("target")
        )
        rows = self.env["migration.staging.row"]

        def ids_of(name, column):
            return [rows.browse(i).data[column] for i in selected[omaps[name].id]]

        self.assertEqual(ids_of("tasks", "Task ID"), ["9603"])
        self.assertEqual(ids_of("people", "Contact ID"), ["5104"])
        self.assertEqual(ids_of("quote_lines", "Quote ID"), ["8001"])
        self.assertEqual(ids_of("quotes", "Quote ID"), ["8001"])
