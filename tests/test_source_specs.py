"""A source system is one spec: a tiny system declared in this test alone is
offered by the wizard and the command line, starts projects with its defaults,
loads its rows by its own rule and fills the readiness report's inventory."""

import io
import os
import tempfile

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from ..cli.crm_migration import EXIT_OK, EXIT_REVIEW, Runner, build_parser
from ..engine.core.record import Record
from ..engine.core.rows import get
from ..engine.sources import base as engine_sources
from ..engine.sources.generic import GenericSource

CAMPAIGNS = b"Campaign Name,Owner\nspring launch,ann\nautumn fair,bob\n"


def _shouted_tag(row, tz="UTC"):
    """The tiny system writes its campaigns in capitals (its own rule)."""
    _col, name = get(row, ("Campaign Name",))
    return Record("tag", "crm.tag", {"name": name.upper()})


class TinyCrmSource(GenericSource):
    system = "tinycrm"
    label = "Tiny CRM (test)"
    defaults = {"source_tz": "Europe/Lisbon"}
    not_migrated = (
        engine_sources.not_migrated_item(
            "Tiny dashboards", "Dashboards are views.", "CRM > Reporting"
        ),
    )
    converters = {"tag": _shouted_tag}


@tagged("post_install", "-at_install")
class TestSourceSpecs(TransactionCase):
    def setUp(self):
        super().setUp()
        engine_sources.register(TinyCrmSource)
        self.addCleanup(engine_sources.SOURCES.pop, "tinycrm", None)

    def _tags(self):
        return sorted(
            self.env["crm.tag"]
            .search([("name", "in", ["SPRING LAUNCH", "AUTUMN FAIR"])])
            .mapped("name")
        )

    def test_the_wizard_offers_it_with_its_defaults(self):
        Wizard = self.env["migration.import.wizard"]
        systems = dict(Wizard._fields["system"]._description_selection(self.env))
        self.assertEqual(systems["tinycrm"], "Tiny CRM (test)")
        wizard = Wizard.new({"project_name": "Tiny", "system": "tinycrm"})
        self.assertEqual(wizard.source_tz, "Europe/Lisbon")
        wizard = Wizard.create(
            {
                "project_name": "Tiny",
                "system": "tinycrm",
                "source_tz": wizard.source_tz,
                "attachment_ids": [
                    Command.create({"name": "campaigns.csv", "raw": CAMPAIGNS})
                ],
            }
        )
        wizard.action_import()
        project = self.env["migration.project"].search([("name", "=", "Tiny")])
        self.assertEqual(
            (project.system, project.source_tz), ("tinycrm", "Europe/Lisbon")
        )
        self.assertEqual(project.object_map_ids.target, "tag")
        project.action_confirm_maps()
        project.action_full_run()
        self.assertEqual(self._tags(), ["AUTUMN FAIR", "SPRING LAUNCH"])

    def test_the_command_line_runs_it(self):
        folder = tempfile.mkdtemp()
        path = os.path.join(folder, "campaigns.csv")
        with open(path, "wb") as handle:
            handle.write(CAMPAIGNS)
        out = io.StringIO()
        argv = ["run", path, "--project", "Tiny CLI", "--system", "tinycrm", "--full",
                "--accept-proposals"]  # fmt: skip
        code = Runner(self.env, out=out).dispatch(build_parser().parse_args(argv))
        # its campaign rule reads no owner: the column is reviewed, not dropped
        self.assertEqual(code, EXIT_REVIEW, out.getvalue())
        project = self.env["migration.project"].search([("name", "=", "Tiny CLI")])
        self.assertEqual(
            (project.system, project.source_tz), ("tinycrm", "Europe/Lisbon")
        )
        self.assertEqual(self._tags(), ["AUTUMN FAIR", "SPRING LAUNCH"])
        review = self.env["migration.review"].search([("project_id", "=", project.id)])
        self.assertEqual((review.kind, review.column), ("not_loaded", "Owner"))

    def test_the_readiness_report_lists_what_it_cannot_migrate(self):
        project = self.env["migration.project"].create(
            {"name": "Tiny ready", "system": "tinycrm"}
        )
        report = self.env["migration.readiness"].create({"project_id": project.id})
        self.assertEqual(
            report.inventory_json["never_migrated"],
            [
                {
                    "object": "Tiny dashboards",
                    "why": "Dashboards are views.",
                    "rebuild_in_odoo": "CRM > Reporting",
                }
            ],
        )
        self.assertIn("Tiny dashboards", report.inventory_html)

    def test_an_unknown_system_is_refused_by_the_command_line(self):
        engine_sources.SOURCES.pop("tinycrm")
        out = io.StringIO()
        argv = ["run", "x.csv", "--project", "Gone", "--system", "tinycrm"]
        code = Runner(self.env, out=out).dispatch(build_parser().parse_args(argv))
        self.assertNotEqual(code, EXIT_OK)
        self.assertIn("unknown system", out.getvalue())
