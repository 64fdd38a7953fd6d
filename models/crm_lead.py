from odoo import fields, models


class CrmLead(models.Model):
    """What a source system keeps on a lead that Odoo CRM has no field for: the
    products a recipient ordered or was offered, and its campaign's dates (the
    campaign itself is the lead's UTM campaign)."""

    _inherit = "crm.lead"

    source_product_ids = fields.Many2many(
        "product.product",
        "crm_lead_source_product_rel",
        "lead_id",
        "product_id",
        string="Products",
        help="Products this lead ordered or was offered in the source system.",
    )
    source_campaign_start = fields.Date(
        string="Campaign start", help="Start date of the lead's source campaign."
    )
    source_campaign_end = fields.Date(
        string="Campaign end", help="End date of the lead's source campaign."
    )
