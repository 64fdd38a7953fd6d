"""A plain CRM salesperson (sales_team.group_sale_salesman, no migration group)
against every button of every migration model and every route the screens use
(issue 16, security). The buttons are found by introspection (every ``action_*``
of every model of the addon), so a new button is covered the day it is
written; each must raise AccessError before anything is written (no record
made, changed or removed anywhere, no job, no field, no message), and through
the web client's routes it must come back as an access error, never a result.
The addon's own controllers, if it ever has some, are found the same way."""

import inspect
import json

from odoo.exceptions import AccessError
from odoo.http import Controller
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import MigrationCase

# tables outside the addon a button could touch: what a run, a rollback, a
# go-live or a new field writes
WATCHED = (
    "res.partner",
    "crm.lead",
    "crm.stage",
    "crm.team",
    "crm.tag",
    "ir.model",
    "ir.model.fields",
    "ir.attachment",
    "ir.cron",
    "mail.message",
    "mail.activity",
    "queue.job",
)


@tagged("post_install", "-at_install")
class TestSalesmanRefused(MigrationCase, HttpCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fix_maps()
        cls.project.action_confirm_maps()
        cls.project.sample_size = 2
        cls.sample_run = cls.project._start_run("sample")
        cls.loaded_run = cls.project._start_run("full")
        cls.salesman = new_test_user(
            cls.env,
            login="plain-salesman",
            password="plain-salesman-pw",
            groups="sales_team.group_sale_salesman",
        )
        cls.records = cls._one_record_per_model()

    @classmethod
    def _addon_models(cls):
        return sorted(
            name
            for name, model in cls.env.registry.items()
            if model._original_module == "crm_migration" and not model._abstract
        )

    @classmethod
    def _one_record_per_model(cls):
        """A real record of every model of the addon (the runs above made most
        of them; the rest as an admin would make them)."""
        omap = cls.omap["deals.csv"]
        extra = {
            "migration.run.batch": {
                "run_id": cls.loaded_run.id,
                "line_id": cls.loaded_run.line_ids[:1].id,
                "number": 1,
            },
            "migration.converter.column": {
                "object_map_id": omap.id,
                "role": "r",
                "name": "R",
            },
            "migration.stage.proposal": {
                "object_map_id": omap.id,
                "name": "Salesman stage",
            },
            "migration.map.template": {"name": "Salesman template"},
            "migration.import.wizard": {"project_id": cls.project.id},
            "migration.readiness": {"project_id": cls.project.id},
            "migration.go.live.wizard": {"project_id": cls.project.id},
            "migration.rollback.wizard": {"run_id": cls.loaded_run.id},
            "migration.review.ignore.wizard": {
                "review_ids": [(6, 0, cls.loaded_run.review_ids[:1].ids)],
                "resolution": "not ours",
            },
        }
        records = {}
        for name in cls._addon_models():
            Model = cls.env[name].with_context(active_test=False)
            record = Model.search([], limit=1, order="id")
            if not record and name in extra:
                record = Model.create(extra[name])
            records[name] = record
        return records

    def _buttons(self):
        """(model, method) of every action_* the addon's models have, their
        own and inherited (archiving, where the model can be archived)."""
        return [
            (name, attr)
            for name in self._addon_models()
            for attr in sorted(dir(type(self.env[name])))
            if attr.startswith("action_")
            and callable(getattr(type(self.env[name]), attr))
            and (
                self.env[name]._active_name
                or attr not in ("action_archive", "action_unarchive")
            )
        ]

    def _fingerprint(self):
        """Row count and last change of every table a button could touch."""
        self.env.flush_all()
        state = {}
        for name in (*self._addon_models(), *WATCHED):
            Model = self.env[name]
            if not Model._auto or name not in self.env:
                continue
            self.env.cr.execute(
                SQL(
                    "SELECT count(*), %s, max(id) FROM %s",
                    SQL("max(write_date)") if Model._log_access else SQL("NULL"),
                    SQL.identifier(Model._table),
                )
            )
            state[name] = self.env.cr.fetchone()
        return state

    def test_every_model_has_a_record_to_press_buttons_on(self):
        self.assertEqual(
            [name for name, record in self.records.items() if not record], []
        )
        # no button needs an argument a screen could not give
        needing = [
            f"{model}.{method}"
            for model, method in self._buttons()
            if any(
                p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD
                for p in list(
                    inspect.signature(
                        getattr(type(self.env[model]), method)
                    ).parameters.values()
                )[1:]
            )
        ]
        self.assertEqual(needing, [])
        # the project alone has a dozen; every model's are counted
        self.assertGreaterEqual(len(self._buttons()), 55)

    def test_every_button_refuses_a_plain_salesman_before_any_effect(self):
        before = self._fingerprint()
        allowed = []
        for model, method in self._buttons():
            record = self.records[model].with_user(self.salesman)
            with self.subTest(button=f"{model}.{method}"):
                try:
                    with mute_logger("odoo.models", "odoo.addons.crm_migration"):
                        getattr(record, method)()
                except AccessError:
                    pass
                else:
                    allowed.append(f"{model}.{method}")
                self.env.invalidate_all()
                after = self._fingerprint()
                changed = {
                    name: (before[name], after[name])
                    for name in before
                    if before[name] != after[name]
                }
                self.assertEqual(changed, {}, f"{model}.{method}")
        self.assertEqual(allowed, [])

    def _json_call(self, route, **params):
        """The web client's JSON-RPC call of ``route`` with ``params``."""
        with mute_logger("odoo.http"):
            return self.url_open(
                route,
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
                headers={"Content-Type": "application/json"},
            )

    def test_every_button_through_the_web_client_is_an_access_error(self):
        self.authenticate("plain-salesman", "plain-salesman-pw")
        answered = {}
        for model, method in self._buttons():
            response = self._json_call(
                "/web/dataset/call_button",
                model=model,
                method=method,
                args=[self.records[model].ids],
                kwargs={},
            )
            self.assertEqual(response.status_code, 200)
            error = response.json().get("error", {}).get("data", {}).get("name")
            if error != "odoo.exceptions.AccessError":
                answered[f"{model}.{method}"] = error or response.json().get("result")
        self.assertEqual(answered, {})

    def test_every_model_read_through_the_web_client_is_an_access_error(self):
        self.authenticate("plain-salesman", "plain-salesman-pw")
        answered = {}
        for model in self._addon_models():
            for method, args in (
                ("web_search_read", [[]]),
                ("web_read", [self.records[model].ids]),
            ):
                response = self._json_call(
                    "/web/dataset/call_kw",
                    model=model,
                    method=method,
                    args=args,
                    kwargs={"specification": {"display_name": {}}},
                )
                error = response.json().get("error", {}).get("data", {}).get("name")
                if error != "odoo.exceptions.AccessError":
                    answered[f"{model}.{method}"] = error
        self.assertEqual(answered, {})

    def test_a_run_report_download_is_refused(self):
        action = self.loaded_run.action_export_reconciliation()
        url = action["url"]
        self.authenticate("plain-salesman", "plain-salesman-pw")
        with mute_logger("odoo.http"):
            response = self.url_open(url)
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(b"PK\x03\x04", response.content[:4])

    def test_the_addon_routes_refuse_a_plain_salesman(self):
        """Every route of the addon's own controllers (none today: the screens
        use Odoo's, tested above) answers a salesman with 403 or 404."""
        routes = [
            url
            for cls in Controller.children_classes.get("crm_migration", [])
            for _name, member in inspect.getmembers(cls, inspect.isfunction)
            for url in getattr(member, "original_routing", {}).get("routes", [])
        ]
        self.authenticate("plain-salesman", "plain-salesman-pw")
        for url in routes:
            with mute_logger("odoo.http"):
                response = self.url_open(url.split("<")[0])
            self.assertIn(response.status_code, (403, 404), url)
        self.assertEqual(routes, [])
