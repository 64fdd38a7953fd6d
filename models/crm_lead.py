from odoo import fields, models


class CrmLead(models.Model):
    """The products a lead ordered or was offered in the source system (an
    XMPie recipient-product link): Odoo CRM has no field for them."""

    _inherit = "crm.lead"

    source_product_ids = fields.Many2many(
        "product.product",
        "crm_lead_source_product_rel",
        "lead_id",
        "product_id",
        string="Products",
        help="Products this lead ordered or was offered in the source system.",
    )
