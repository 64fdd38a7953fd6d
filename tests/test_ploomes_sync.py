"""Ploomes through real runs against the loopback API, where Odoo's own sync or a
shared id could change a record the source did not change: a company's new VAT
in a delta is not copied over its people's own CPF, and a quote and an order with
the same Ploomes Id are two orders."""

from odoo.tests import tagged

from .test_ploomes import PloomesCase

ACME_NEW_CNPJ = "11.444.777/0001-61"  # a valid CNPJ, not Acme's first one
JOAO_CPF = "529.982.247-25"
# a person of Acme without a CPF of her own
CARLA = {
    "Id": 5106, "TypeId": 2, "Name": "Carla Sem CPF", "Email": "carla@acme-ind.com.br",
    "CompanyId": 5001, "OwnerId": 10, "CreateDate": "2024-01-02T10:00:00-03:00",
    "LastUpdateDate": "2024-01-02T10:00:00-03:00",
}  # fmt: skip


@tagged("post_install", "-at_install")
class TestPloomesDeltaVat(PloomesCase):
    def setUp(self):
        super().setUp()
        self.server.records["Contacts"].append(dict(CARLA))

    def test_delta_of_a_company_vat_keeps_its_people_own_cpf(self):
        code, out = self.pull("--keep-key")
        self.assertTrue(code in (0, 1), out)
        acme = self.ledger("company", "id:5001")
        joao = self.ledger("contact", "id:5101")
        carla = self.ledger("contact", "id:5106")
        self.assertEqual((joao.parent_id, carla.parent_id), (acme, acme))
        # the first run: João keeps his CPF, Carla shares Acme's CNPJ (Odoo's
        # commercial field, as on any person of a company)
        first = (acme.vat, joao.vat, carla.vat)
        self.assertEqual(first, ("11.222.333/0001-81", JOAO_CPF, "11.222.333/0001-81"))
        # only the company changes at the source: its CNPJ and its name
        self.change_at_source(
            "Contacts", 5001, CNPJ=ACME_NEW_CNPJ, Name="Acme Indústria S.A."
        )
        run = self.delta()
        self.assertEqual((run.updated_count, run.created_count), (1, 0))
        self.assertEqual((acme.name, acme.vat), ("Acme Indústria S.A.", ACME_NEW_CNPJ))
        # João's CPF is never replaced by the company's CNPJ; Carla, who had none
        # of her own, follows her company as in the first run
        self.assertEqual((joao.vat, carla.vat), (JOAO_CPF, ACME_NEW_CNPJ))
        # a second delta of the company alone (name only, same CNPJ) changes no one
        self.change_at_source("Contacts", 5001, Name="Acme Indústria")
        second = self.delta()
        self.assertEqual(
            (acme.name, acme.vat, joao.vat, carla.vat),
            ("Acme Indústria", ACME_NEW_CNPJ, JOAO_CPF, ACME_NEW_CNPJ),
        )
        # rolling both deltas back puts Acme's first CNPJ back, not over João's CPF
        result = (run | second)._rollback(force=False)
        self.assertFalse(result["conflicts"] or result["errors"], result)
        self.assertEqual(
            (acme.name, acme.vat, joao.vat, carla.vat),
            ("Acme Indústria", "11.222.333/0001-81", JOAO_CPF, "11.222.333/0001-81"),
        )


@tagged("post_install", "-at_install")
class TestPloomesKeySpaces(PloomesCase):
    def test_a_quote_and_an_order_with_one_id_are_two_orders(self):
        # the order's Id is the one of a quote (Ploomes numbers each on its own)
        order = next(o for o in self.server.records["Orders"] if o["Id"] == 8501)
        order["Id"] = 8002
        code, out = self.pull()
        self.assertTrue(code in (0, 1), out)
        orders = self.env["migration.ledger"].search(
            [("project_id", "=", self.ploomes_project().id),
             ("res_model", "=", "sale.order"), ("operation", "=", "create")]
        )  # fmt: skip
        self.assertEqual(len(orders), 3)  # not the order written over the quote
        quote, sale = (
            self.ledger("order", "id:quotes:8002"),
            self.ledger("order", "id:orders:8002"),
        )
        self.assertTrue(quote and sale and quote != sale)
        self.assertEqual(
            (
                quote.state,
                quote.amount_untaxed,
                quote.order_line.product_id.default_code,
            ),
            ("sent", 57000.0, "CRM-PRO"),
        )
        self.assertEqual((sale.state, sale.amount_untaxed), ("sale", 4750.0))
        self.assertEqual(len(sale.order_line), 2)
        # a re-run finds each again: nothing created, nothing crossed over
        code, out = self.pull()
        self.assertTrue(code in (0, 1), out)
        self.assertEqual(
            self.ploomes_project().run_ids.sorted("id")[-1].created_count, 0
        )
        self.assertEqual((quote.amount_untaxed, sale.amount_untaxed), (57000.0, 4750.0))
