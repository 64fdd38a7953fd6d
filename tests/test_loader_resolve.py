"""Reference resolution, on its own: value maps first, names created only
when allowed (and booked for the ledger), owners, countries and states,
companies and contacts already in Odoo."""

from odoo.tests import tagged

from ..loader.cache import ValueMapView
from ..loader.common import Prepared
from ..loader.resolve import Resolver
from ..loader.writer import Writer
from .loader_common import LoaderCase, fake_fmap, fake_omap


@tagged("post_install", "-at_install")
class TestLoaderResolve(LoaderCase):
    def setUp(self):
        super().setUp()
        self.resolver = Resolver(self.env, self.cache, Writer(self.env))
        self.prep = Prepared(row_id=1, line=2, key="id:1")

    def test_a_name_is_found_or_created_and_booked(self):
        fmap = fake_fmap("Stage", "stage_id")
        won = self.env["crm.stage"].create({"name": "Signed Off"})
        self.assertEqual(
            self.resolver.name_id("crm.stage", fmap, "signed off", create=True), won.id
        )
        new_id = self.resolver.name_id("crm.stage", fmap, " Brand New ", create=True)
        made = self.env["crm.stage"].browse(new_id)
        self.assertEqual(made.name, "Brand New")
        self.assertEqual(self.cache.auto_created, [made])
        self.assertIsNone(
            self.resolver.name_id("crm.stage", fmap, "Nope", create=False)
        )

    def test_a_value_map_decides_first(self):
        fmap = fake_fmap("Stage", "stage_id")
        stage = self.env["crm.stage"].create({"name": "Mapped"})
        self.cache.value_maps[(fmap.id, "x")] = ValueMapView(
            target_id=stage.id, create_new=True
        )
        self.cache.value_maps[(fmap.id, "y")] = ValueMapView(
            target_id=False, create_new=False
        )
        self.assertEqual(self.resolver.name_id("crm.stage", fmap, "x", True), stage.id)
        self.assertIsNone(self.resolver.name_id("crm.stage", fmap, "y", True))
        self.assertEqual(self.cache.auto_created, [])

    def test_an_unknown_owner_gets_the_default_owner_and_an_issue(self):
        fmap = fake_fmap("Owner", "user_id")
        self.resolver.relation(
            fake_omap(),
            self.prep,
            "user_id",
            "nobody@x.example",
            fmap,
            "nobody@x.example",
        )
        self.assertEqual(self.prep.vals, {"user_id": self.owner.id})
        self.assertEqual(
            (self.prep.issues[0]["kind"], self.prep.issues[0]["column"]),
            ("unknown_owner", "Owner"),
        )
        self.prep.issues.clear()
        self.resolver.relation(
            fake_omap(), self.prep, "user_id", "Piece Owner", fmap, "Piece Owner"
        )
        self.assertEqual(
            (self.prep.vals, self.prep.issues), ({"user_id": self.owner.id}, [])
        )

    def test_countries_by_code_or_name_and_states_within_them(self):
        omap = fake_omap()
        country = fake_fmap("Country", "country_id")
        state = fake_fmap("State", "state_id")
        self.resolver.relation(omap, self.prep, "country_id", "CAN", country, "CAN")
        self.resolver.relation(omap, self.prep, "state_id", "QC", state, "QC")
        self.resolver.state(self.prep)
        self.assertEqual(
            self.prep.vals,
            {
                "country_id": self.env.ref("base.ca").id,
                "state_id": self.env.ref("base.state_ca_qc").id,
            },
        )
        self.resolver.relation(
            omap, self.prep, "country_id", "Atlantis", country, "Atlantis"
        )
        self.assertEqual(
            self.prep.issues[0]["reason"], "'Atlantis' is not a known country."
        )

    def test_tags_are_links_to_found_or_made_tags(self):
        hot = self.env["crm.tag"].create({"name": "Hot"})
        fmap = fake_fmap("Tags", "tag_ids")
        self.resolver.relation(
            fake_omap("lead"), self.prep, "tag_ids", "hot, Cold, HOT", fmap, ""
        )
        cold = self.env["crm.tag"].search([("name", "=", "Cold")])
        self.assertEqual(self.prep.vals["tag_ids"], [(4, hot.id, 0), (4, cold.id, 0)])

    def test_companies_and_contacts_in_odoo(self):
        acme = self.env["res.partner"].create({"name": "ACME", "is_company": True})
        ann = self.env["res.partner"].create({"name": "Ann", "email": "ann@x.example"})
        partners = self.resolver.partners
        partners.lookup_companies(["Acme ", None])
        partners.lookup_contacts(["ann@x.example", "zed@x.example"])
        self.assertEqual(self.cache.companies, {"acme": acme.id})
        self.assertEqual(self.cache.contacts, {"ann@x.example": ann.id})
        self.assertEqual(
            partners.by_email(["ann@x.example"])["ann@x.example"], [ann.id]
        )

    def test_a_company_spelled_differently_is_found_when_unambiguous(self):
        bakery = self.env["res.partner"].create(
            {"name": "BLUEBONNET BAKERY, Inc.", "is_company": True}
        )
        self.resolver.partners.similar_company("Bluebonnet Bakery")
        self.assertEqual(self.cache.companies, {"bluebonnet bakery": bakery.id})
        self.env["res.partner"].create(
            {"name": "Bluebonnet Bakery LLC", "is_company": True}
        )
        self.cache.companies.clear()
        self.resolver.partners.similar_company("Bluebonnet Bakery")
        self.assertEqual(self.cache.companies, {})

    def test_a_missing_parent_company_is_made_once(self):
        self.project.company_id = self.env.company
        first = self.resolver.partners.parent_company("Zeta Works", {"city": "Ghent"})
        again = self.resolver.partners.parent_company("ZETA WORKS", {})
        company = self.env["res.partner"].browse(first)
        self.assertEqual(first, again)
        self.assertEqual(
            (company.name, company.city, company.is_company),
            ("Zeta Works", "Ghent", True),
        )
        self.assertEqual(self.cache.auto_created, [company])

    def test_the_won_stage_is_found_or_made(self):
        self.env["crm.stage"].search([("is_won", "=", True)]).write({"is_won": False})
        stage_id = self.resolver.won_stage()
        stage = self.env["crm.stage"].browse(stage_id)
        self.assertEqual((stage.name, stage.is_won, stage.sequence), ("Won", True, 70))
        self.assertEqual(self.resolver.won_stage(), stage_id)
