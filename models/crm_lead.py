from odoo import fields, models

from ..loader.shared import BATCH_KEY, record_scoring


class CrmLead(models.Model):
    """The products a lead ordered or was offered in the source system (a
    recipient-product link): Odoo CRM has no field for them."""

    _inherit = "crm.lead"

    source_product_ids = fields.Many2many(
        "product.product",
        "crm_lead_source_product_rel",
        "lead_id",
        "product_id",
        string="Products",
        help="Products this lead ordered or was offered in the source system.",
    )

    def _pls_increment_frequencies(self, from_state=None, to_state=None):
        # a batch of a parallel run keeps the increment aside: its object's
        # job applies the increments of all its batches at once, so that two
        # batches never write the same frequency rows (loader/shared.py)
        if self and self.env.context.get(BATCH_KEY):
            return record_scoring(self.env, self, from_state, to_state)
        return super()._pls_increment_frequencies(
            from_state=from_state, to_state=to_state
        )
