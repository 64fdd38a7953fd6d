"""The one registry of migration targets.

A target is what a source object becomes in Odoo: its model, its label for people,
the targets it links to (and that must therefore load first), the context its
records are written with, and whether a person maps its columns (companies,
contacts, leads: every CRM spells them differently) or the engine converts it by
rule (notes, stages, products...: their Odoo side is fixed). The proposer, the
planner, the loader and the views all read this table; nothing else lists targets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Target:
    """``key``: the engine's name (``"contact"``); ``model``: the Odoo model;
    ``label``: what people read; ``depends``: targets its records link to;
    ``mapped``: its columns are mapped by a person (else converted by rule);
    ``values``: what a converted record's values hold (engine.convert's contract);
    ``aliases``: other names of the object in source systems ("deal", "task");
    ``write_context``: context keys its records are created with;
    ``keys_per_object``: several source objects become this target and each
    numbers its records on its own (a quote 5 and an order 5): a source id is
    keyed by its object (see :func:`id_key`)."""

    key: str
    model: str
    label: str
    depends: tuple[str, ...] = ()
    mapped: bool = False
    values: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    write_context: Mapping = field(default_factory=dict)
    keys_per_object: bool = False
    # x_ fields of converted values Odoo has no field for, created before a
    # run: ((value, x_ name, type, label or the column aliases), ...), as a
    # source system's own (engine.sources.base.Source.custom_fields)
    custom_fields: tuple[tuple, ...] = ()


_ALL = (
    Target("user", "res.users", "Users (salespeople)",
           values=("name", "login", "email", "active"), aliases=("owner",),
           write_context={"no_reset_password": True}),
    Target("team", "crm.team", "Sales teams (pipelines)", ("user",),
           values=("name", "sequence", "active"), aliases=("pipeline",)),
    Target("stage", "crm.stage", "Pipeline stages", ("team",),
           values=("name", "team_ref", "team_name", "sequence", "probability", "is_won", "fold")),
    Target("tag", "crm.tag", "CRM tags (campaigns)", values=("name", "used_on"),
           aliases=("campaign",)),
    Target("company", "res.partner", "Companies", ("user", "tag"), mapped=True,
           aliases=("organization", "account")),
    Target("contact", "res.partner", "Contacts", ("company", "user", "tag"), mapped=True,
           aliases=("person", "partner")),
    Target("lost_reason", "crm.lost.reason", "Lost reasons", values=("name", "pipeline"),
           aliases=("loss_reason",),
           custom_fields=(("pipeline", "x_pipeline", "char", ("Pipeline Name", "Pipeline")),)),
    Target("product_category", "product.category", "Product categories",
           values=("name", "parent", "complete_name"),
           aliases=("product_group", "category")),
    Target("product", "product.product", "Products", ("product_category",),
           values=("name", "default_code", "list_price", "standard_price", "description_sale",
                   "attributes", "type", "recurring", "category", "active")),
    Target("lead", "crm.lead", "Leads / opportunities",
           ("company", "contact", "user", "team", "stage", "tag"), mapped=True,
           aliases=("deal", "opportunity")),
    Target("segment", "crm.tag", "Segments (tags given to leads by a rule)", ("lead",),
           values=("name", "rule", "column", "value", "compound")),
    Target("product_link", "crm.lead", "Products of leads (links)", ("lead", "product"),
           values=("product_code", "product_name")),
    Target("order", "sale.order", "Quotations and orders",
           ("company", "contact", "lead", "product", "user", "team", "tag"),
           values=("client_order_ref", "title", "date_order", "validity_date", "state",
                   "note", "amount", "review", "person_ref"),
           aliases=("quote", "quotation", "sale_order"), keys_per_object=True,
           custom_fields=(("review", "x_review_number", "integer",
                           ("Review Number", "Version", "Revision")),)),
    Target("order_line", "sale.order.line", "Quotation and order lines",
           ("order", "product"),
           values=("order_ref", "order_column", "product_ref", "product_code",
                   "product_name", "quantity", "price_unit", "discount", "total",
                   "order_number", "section"),
           aliases=("quote_line", "order_lines", "quote_lines"),
           # no "extra line" message on a confirmed order for each migrated line
           write_context={"sale_no_log_for_new_lines": True}, keys_per_object=True),
    Target("event", "calendar.event", "Calendar events (appointments)",
           ("contact", "lead", "user"),
           values=("name", "start", "stop", "allday", "start_date", "stop_date", "location",
                   "description", "attendees", "cancelled"),
           aliases=("meeting", "appointment"),
           write_context={"dont_notify": True, "no_mail_to_attendees": True}),
    Target("activity", "mail.activity", "Activities and logged messages",
           ("company", "contact", "lead", "order", "user"),
           values=("activity_type", "summary", "note", "date_deadline", "done", "date_done",
                   "duration", "outcome"),
           aliases=("task", "todo", "engagement"),
           write_context={"mail_activity_quick_update": True}),
    Target("note", "mail.message", "Chatter notes",
           ("company", "contact", "lead", "order", "user"),
           values=("body", "date", "message_type", "subtype", "system"), aliases=("message",)),
    Target("attachment", "ir.attachment", "Attachments",
           ("company", "contact", "lead", "order", "event", "activity", "note"),
           values=("name", "url", "path", "size", "large", "pending"),
           aliases=("file", "document")),
    Target("membership", "res.partner", "Memberships", ("contact",)),
    Target("template", "mail.template", "Email templates",
           values=("name", "subject", "body_html", "images", "removed"),
           aliases=("email_template",)),
    Target("invoice", "account.move", "Customer invoices",
           ("company", "contact", "product", "user"),
           values=("ref", "invoice_date", "invoice_date_due", "currency", "lines",
                   "amount_total", "amount_paid", "status", "payment_link"),
           write_context={"check_move_validity": False}),
)  # fmt: skip

TARGETS: Mapping[str, Target] = MappingProxyType({t.key: t for t in _ALL})
# the order between targets that do not depend on each other
SEQUENCE: tuple[str, ...] = tuple(TARGETS)
ALIASES: Mapping[str, str] = MappingProxyType(
    {alias: t.key for t in _ALL for alias in t.aliases}
)
# the object names a file or source hint uses for a converted target
HINT_TARGETS: Mapping[str, str] = MappingProxyType(
    {"campaign": "tag", "pipeline": "team", "task": "activity",
     "document": "attachment", "file": "attachment"}
)  # fmt: skip


def get(key: str) -> Target:
    """The target named ``key``; ValueError naming the known ones if none."""
    try:
        return TARGETS[key]
    except KeyError:
        raise ValueError(
            f"unknown target {key!r}; expected one of {', '.join(TARGETS)}"
        ) from None


def id_key(target: str, value: str, source_object: str | None = None) -> str:
    """The ledger key of a row by its source id: ``id:<value>``, or for a target
    whose source objects number their records each on its own (quotes and orders)
    ``id:<object>:<value>``, so quote 5 and order 5 are two records.

    >>> id_key("lead", "5"), id_key("order", "5", "quotes"), id_key("order", "5", "orders")
    ('id:5', 'id:quotes:5', 'id:orders:5')
    """
    value = str(value).strip()
    spec = TARGETS.get(target)
    if source_object and spec is not None and spec.keys_per_object:
        return f"id:{source_object}:{value}"
    return f"id:{value}"


def mapped() -> tuple[str, ...]:
    """Targets whose columns a person maps (companies, contacts, leads)."""
    return tuple(k for k, t in TARGETS.items() if t.mapped)


def converted() -> frozenset[str]:
    """Targets the engine converts by rule (the ones with a values contract)."""
    return frozenset(k for k, t in TARGETS.items() if t.values)


def canonical(name: str) -> str:
    """The target a name stands for: ``"quotes"`` -> ``"order"``, ``"Tasks"`` ->
    ``"activity"``; unknown names come back unchanged."""
    key = name.strip().lower()
    for candidate in (
        key,
        key[:-1] if key.endswith("s") else None,
        key[:-3] + "y" if key.endswith("ies") else None,
    ):
        if candidate in TARGETS:
            return candidate
        if candidate in ALIASES:
            return ALIASES[candidate]
    return name
