"""One record handler per target (as OCA connector_importer's record handler):
the field-mapped targets (company, contact, lead) and each target the source
system converts (engine.records)."""

from .attachment import AttachmentHandler
from .base import RecordHandler
from .chatter import ActivityHandler, NoteHandler
from .company import CompanyHandler
from .contact import ContactHandler
from .custom_object import CustomObjectHandler
from .event import EventHandler
from .invoice import InvoiceHandler
from .lead import LeadHandler
from .lost_reason import LostReasonHandler
from .order import OrderHandler
from .order_line import OrderLineHandler
from .product import ProductHandler
from .product_link import ProductLinkHandler
from .segment import SegmentHandler
from .product_category import ProductCategoryHandler
from .stage import StageHandler
from .tag import TagHandler
from .team import TeamHandler
from .template import TemplateHandler
from .user import UserHandler

HANDLERS = {
    handler.target: handler
    for handler in (
        CompanyHandler,
        ContactHandler,
        LeadHandler,
        UserHandler,
        TeamHandler,
        StageHandler,
        TagHandler,
        ProductHandler,
        ProductCategoryHandler,
        LostReasonHandler,
        OrderHandler,
        OrderLineHandler,
        EventHandler,
        ActivityHandler,
        NoteHandler,
        TemplateHandler,
        AttachmentHandler,
        InvoiceHandler,
        SegmentHandler,
        ProductLinkHandler,
    )
}


def handler_for(target, omap=None):
    """The handler class of a target (the base handler for an unknown one); a
    custom object with a model of its own has its own handler."""
    if omap is not None and omap.own_model:
        return CustomObjectHandler
    return HANDLERS.get(target, RecordHandler)
