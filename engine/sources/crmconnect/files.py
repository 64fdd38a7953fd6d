"""crmConnect's file kinds: the standard headers of each export, the kinds table
(name words + signature headers) and the dependency order of the files."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..generic import is_user_list
from ..kinds import Kind, Kinds

# --------------------------------------------------------------------------- kinds


_CONTACT_STD = (
    "Contact ID", "ID", "First Name", "Last Name", "Full Name", "Name", "Email",
    "Email Address", "Additional Emails", "Phone", "Phone Number", "Additional Phones",
    "Mobile", "Company Name", "Company", "Business Name", "Address", "Address 1",
    "Street Address", "City", "State", "Postal Code", "Zip", "Zip Code", "Country",
    "Website", "Source", "Contact Source", "Tags", "Assigned To", "Owner", "Created",
    "Date Created", "Date Added", "Updated", "Last Updated", "Last Activity",
    "Date of Birth", "Timezone", "DND", "Type", "Contact Type", "Notes",
)  # fmt: skip
_COMPANY_STD = (
    "Company ID", "Business ID", "ID", "Company Name", "Business Name", "Name", "Phone",
    "Email", "Website", "Address", "Address 1", "City", "State", "Postal Code", "Zip",
    "Country", "Industry", "Description", "Assigned To", "Owner", "Tags", "Created",
    "Updated", "Last Updated",
)  # fmt: skip
_OPPORTUNITY_STD = (
    "Opportunity ID", "ID", "Opportunity Name", "Name", "Contact ID", "Contact Name",
    "Contact Email", "Email", "Phone", "Company Name", "Pipeline", "Pipeline Name",
    "Pipeline ID", "Stage", "Stage Name", "Pipeline Stage", "Pipeline Stage ID",
    "Lead Value", "Opportunity Value", "Monetary Value", "Value", "Status",
    "Lost Reason", "Lost Reason Name", "Assigned To", "Owner", "Source", "Tags",
    "Expected Close Date", "Close Date", "Created", "Created On", "Updated",
    "Updated On", "Notes", "Followers",
)  # fmt: skip
_APPOINTMENT_STD = (
    "Appointment ID", "ID", "Calendar", "Calendar Name", "Title", "Appointment Title",
    "Start Time", "End Time", "Start", "End", "Timezone", "All Day", "Contact ID",
    "Contact Name", "Contact Email", "Email", "Attendees", "Guests", "Assigned To",
    "Owner", "Location", "Appointment Status", "Status", "Notes", "Description",
    "Created", "Updated",
)  # fmt: skip
_ENGAGEMENT_STD = (
    "Engagement ID", "Activity ID", "ID", "Type", "Engagement Type", "Activity Type",
    "Direction", "Contact ID", "Contact Email", "Email", "Opportunity ID", "Subject",
    "Body", "Message", "Status", "Duration", "Duration (sec)", "Date", "Date Sent",
    "Timestamp", "Created", "User", "Author",
)  # fmt: skip
_NOTE_STD = ("Note ID", "ID", "Contact ID", "Contact Email", "Email", "Opportunity ID",
             "Note", "Body", "Date", "Created", "User", "Author")  # fmt: skip
_TASK_STD = (
    "Task ID", "ID", "Title", "Name", "Description", "Body", "Contact ID",
    "Contact Email", "Email", "Opportunity ID", "Assigned To", "Owner", "Due Date",
    "Status", "Completed", "Completed On", "Created", "Updated",
)  # fmt: skip
_MEMBERSHIP_STD = ("Membership ID", "ID", "Contact ID", "Contact Email", "Email",
                   "Member Name", "Name")  # fmt: skip
_PRODUCT_STD = ("Product ID", "ID", "Product Name", "Name", "Description", "Price",
                "Currency", "Product Type", "Type", "SKU", "Created", "Updated")  # fmt: skip
_INVOICE_STD = (
    "Invoice Number", "Invoice ID", "ID", "Invoice Date", "Issue Date", "Due Date",
    "Contact ID", "Contact Email", "Email", "Contact Name", "Company Name", "Product",
    "Item", "Description", "Quantity", "Unit Price", "Price", "Total", "Amount",
    "Amount Paid", "Amount Due", "Status", "Payment Link", "Currency", "Created",
)  # fmt: skip

KINDS: dict[str, Kind] = {
    "contacts": Kind(
        "contact", "contact", ("contacts", "contact", "people", "persons", "person"),
        ("First Name", "Last Name", "Email", "Phone", "Date of Birth", "DND",
         "Contact ID"),
        _CONTACT_STD,
    ),
    "companies": Kind(
        "company", "company",
        ("companies", "company", "businesses", "business", "accounts", "account",
         "organizations", "organization"),
        ("Company Name", "Business Name", "Company ID", "Business ID", "Website",
         "Industry"),
        _COMPANY_STD,
    ),
    "pipelines": Kind(
        "team", None, ("pipelines", "pipeline"), ("Pipeline ID", "Pipeline Name"),
        ("Pipeline ID", "Pipeline Name", "Name", "ID", "Created"),
    ),
    "stages": Kind(
        "stage", None, ("stages", "stage"),
        ("Stage ID", "Stage Name", "Stage Order", "Win Probability", "Probability",
         "Position"),
        ("Stage ID", "ID", "Pipeline ID", "Pipeline Name", "Pipeline", "Stage Name",
         "Name", "Stage Order", "Order", "Position", "Win Probability", "Probability"),
    ),
    "opportunities": Kind(
        "lead", "lead", ("opportunities", "opportunity", "deals", "deal"),
        ("Opportunity ID", "Opportunity Name", "Lead Value", "Opportunity Value",
         "Monetary Value", "Lost Reason", "Pipeline", "Stage"),
        _OPPORTUNITY_STD,
    ),
    "appointments": Kind(
        "event", None,
        ("appointments", "appointment", "calendar", "calendars", "events", "event",
         "bookings"),
        ("Appointment ID", "Start Time", "End Time", "Calendar", "Attendees",
         "Appointment Status"),
        _APPOINTMENT_STD,
    ),
    "engagements": Kind(
        "activity", None,
        ("engagements", "engagement", "activities", "activity", "conversations",
         "messages"),
        ("Engagement ID", "Activity ID", "Engagement Type", "Activity Type",
         "Direction", "Duration (sec)", "Subject", "Body"),
        _ENGAGEMENT_STD,
    ),
    "notes": Kind(
        "note", None, ("notes", "note"), ("Note ID", "Note", "Note Body"), _NOTE_STD,
    ),
    "tasks": Kind(
        "activity", None, ("tasks", "task", "todos", "todo"),
        ("Task ID", "Due Date", "Completed On", "Completed"),
        _TASK_STD,
    ),
    "memberships": Kind(
        "membership", None,
        ("memberships", "membership", "members", "courses", "course", "enrollments",
         "enrolments", "offers"),
        ("Membership ID", "Offer", "Course", "Enrolled On", "Progress (%)",
         "Expires On"),
        _MEMBERSHIP_STD,
    ),
    "products": Kind(
        "product", None, ("products", "product"),
        ("Product ID", "Product Name", "Price", "SKU", "Product Type"),
        _PRODUCT_STD,
    ),
    "invoices": Kind(
        "invoice", None, ("invoices", "invoice", "payments", "transactions"),
        ("Invoice Number", "Invoice ID", "Invoice Date", "Amount Paid", "Amount Due",
         "Payment Link"),
        _INVOICE_STD,
    ),
}  # fmt: skip
KIND_ORDER = tuple(KINDS)
# objects engine.plan does not know: where they go
EXTRA_DEPENDS = {
    "membership": ("contact",),
    "invoice": ("company", "contact", "product", "lead"),
}
SIGNATURE_MIN = 2  # headers a file needs to be recognised by its headers alone
KIND_TABLE = Kinds(KINDS, SIGNATURE_MIN, EXTRA_DEPENDS)
_STANDARD = KIND_TABLE.standard
_name_kind = KIND_TABLE.by_name
_header_kind = KIND_TABLE.by_headers


def file_kind(table) -> str | None:
    """The kind of crmConnect export ``table`` is (a key of :data:`KINDS`), from its file
    name (sheet titles count for workbooks), else from its headers; None when unsure
    and for the team's own users (the generic rule loads those as users)."""
    if is_user_list(table):
        return None  # "Team Members.csv" names no membership export
    return KIND_TABLE.of(table)


def object_hint(table) -> str | None:
    """The object ``table`` loads (``KINDS[kind].object``), None for an unknown file."""
    kind = file_kind(table)
    return KINDS[kind].object if kind else None


def file_order(tables: Iterable[Any]) -> list:
    """``tables`` in loading order: the dependency order of their objects
    (:func:`engine.plan.order`, plus ``membership`` and ``invoice`` after what they link
    to), then the kind order of :data:`KINDS`, then the file name; unknown files last, in
    the order given."""
    return KIND_TABLE.sort(tables, kind_of=file_kind)
