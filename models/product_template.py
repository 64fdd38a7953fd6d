from odoo import fields, models


class ProductTemplate(models.Model):
    """Variable-data attributes of a product (print personalisation fields and
    the like): no Odoo equivalent, kept as text for reference."""

    _inherit = "product.template"

    source_attributes = fields.Text(
        string="Source attributes",
        help="Attributes of the product in the source system (variable-data "
        "definitions), kept for reference.",
    )
