"""Ploomes custom fields of products, quotations and orders: the Fields catalogue
types them, and they are kept in typed x_ fields of the product (its template)
and the sale order, as those of companies and deals are; every non-empty cell of
the converted objects is accounted for."""

import datetime

from odoo.tests import tagged
from odoo.tools import html2plaintext

from odoo.addons.crm_migration.engine.tests.ploomes_server import KEY, PloomesServer

from .common import MigrationCase
from .test_ploomes import sample_records

NUMBER = {"Id": 3, "Name": "Número inteiro", "NativeType": "Integer"}
FIELDS = [
    {"Id": 7, "Key": "quote_55EE", "Name": "Forma de Pagamento", "EntityId": 7,
     "TypeId": 7, "Type": {"Id": 7, "Name": "Lista de opções"}, "OptionsTableId": 70,
     "OptionsTable": {"Id": 70, "Name": "Pagamentos", "Options": [
         {"Id": 701, "TableId": 70, "Name": "Boleto"},
         {"Id": 702, "TableId": 70, "Name": "Cartão"}]}},
    {"Id": 8, "Key": "order_66FF", "Name": "Data de Entrega", "EntityId": 8,
     "TypeId": 4, "Type": {"Id": 4, "Name": "Data", "NativeType": "DateTime"},
     "ShowTime": False},
    {"Id": 9, "Key": "order_77GG", "Name": "Pedido do Cliente", "EntityId": 8,
     "TypeId": 1, "Type": {"Id": 1, "Name": "Texto", "NativeType": "String"}},
]  # fmt: skip


def custom_records():
    records = sample_records()
    for spec in records["Fields"]:
        if spec["Key"] == "product_44DD":  # Garantia (meses): a whole number
            spec["Type"] = NUMBER
    records["Fields"] += FIELDS
    quote = next(q for q in records["Quotes"] if q["Id"] == 8002)
    quote["OtherProperties"] = [{"FieldKey": "quote_55EE", "ObjectValueId": 702}]
    order = next(o for o in records["Orders"] if o["Id"] == 8501)
    order["OtherProperties"] = [
        {"FieldKey": "order_66FF", "DateTimeValue": "2024-04-01T00:00:00-03:00"},
        {"FieldKey": "order_77GG", "StringValue": "PC-4471"},
    ]
    return records


@tagged("post_install", "-at_install")
class TestPloomesCustomFields(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with PloomesServer(custom_records(), slow=0.1) as server:
            cls.project = cls.env["migration.project"].create(
                {"name": "Ploomes custom", "system": "ploomes"}
            )
            cls.project._pull_api({"api_key": KEY}, server.url)
        cls.project.action_profile()
        cls.project.action_propose()
        cls.project._accept_proposals(0.0)
        cls.loaded = cls.project._start_run("full", commit=False)

    def _record(self, target, key):
        entry = self.env["migration.ledger"].search(
            [("project_id", "=", self.project.id), ("target", "=", target),
             ("source_key", "=", key), ("operation", "=", "create")],
            limit=1,
        )  # fmt: skip
        return (
            self.env[entry.res_model]
            .with_context(active_test=False)
            .browse(entry.res_id)
        )

    def _field(self, model, label):
        field = self.env["ir.model.fields"].search(
            [("model", "=", model), ("field_description", "=", label)]
        )
        self.assertEqual(len(field), 1, (model, label))
        return field

    def test_product_custom_fields_are_typed_fields_of_the_template(self):
        self.assertEqual(self.loaded.state, "done", self.loaded.log)
        warranty = self._field("product.template", "Garantia (meses)")
        self.assertEqual(warranty.ttype, "integer")
        crm_pro = self._record("product", "id:401")
        self.assertEqual(crm_pro[warranty.name], 12)
        self.assertEqual(crm_pro.product_tmpl_id[warranty.name], 12)
        self.assertEqual(self._record("product", "id:402")[warranty.name], 0)
        # a column no rule reads is kept in the product's notes, labelled
        self.assertIn("Unit of Measure: licença", html2plaintext(crm_pro.description))

    def test_quote_and_order_custom_fields_are_typed_fields_of_the_order(self):
        payment = self._field("sale.order", "Forma de Pagamento")
        self.assertEqual(payment.ttype, "selection")
        quote = self._record("order", "id:quotes:8002")
        self.assertEqual(quote[payment.name], "cartao")
        labels = dict(quote._fields[payment.name]._description_selection(self.env))
        self.assertEqual(labels["cartao"], "Cartão")
        delivery = self._field("sale.order", "Data de Entrega")
        reference = self._field("sale.order", "Pedido do Cliente")
        self.assertEqual((delivery.ttype, reference.ttype), ("date", "char"))
        order = self._record("order", "id:orders:8501")
        self.assertEqual(
            (order[delivery.name], order[reference.name]),
            (datetime.date(2024, 4, 1), "PC-4471"),
        )
        self.assertFalse(quote[delivery.name])

    def test_every_cell_of_products_and_orders_is_accounted_for(self):
        checks = self.loaded.cell_check_ids
        self.assertEqual(
            self.loaded.unaccounted_cell_count, 0, checks.mapped("example")
        )
        for obj, column, written in (
            ("products", "Garantia (meses)", 1),
            ("quotes", "Forma de Pagamento", 1),
            ("orders", "Pedido do Cliente", 1),
            ("orders", "Data de Entrega", 1),
        ):
            check = checks.filtered(
                lambda c, o=obj, k=column: (c.object_name, c.column) == (o, k)
            )
            self.assertEqual(
                (check.cell_count, check.written_count), (written, written), column
            )
            self.assertTrue(check.field_name.startswith("x_"), check.field_name)
        for obj in ("products", "quotes", "orders", "tasks", "quote_lines"):
            self.assertTrue(checks.filtered(lambda c, o=obj: c.object_name == o), obj)
