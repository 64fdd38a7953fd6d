"""Ploomes records -> flat tables a person maps in Odoo.

:func:`build_tables` reads the entities of a :class:`~.pages.PageSet` (a live pull or
saved pages: the same code) and returns :class:`engine.readers.Table` objects whose
columns are named the way the other sources name theirs ("Email", "Phone", "Company
Name", "Owner Email", "Stage", "Pipeline"...), so the shared proposer maps them, plus
the problems found (``issues``) for the review queue. References are resolved here:
owners by id to the user's email, a person's company by id to its name, stages and
pipelines by id to their names, custom fields (``OtherProperties``) by the ``Fields``
catalogue to columns named by the field's name, option lists by the option's name.

Tables (object name -> what it holds; ``OBJECT_HINTS`` gives the target):
``users teams stages lost_reasons tags product_categories products companies people
deals quotes quote_lines orders order_lines tasks``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...readers import Table
from . import rules
from .columns import (
    COLUMNS,
    COMPANY_TYPE_ID,
    OBJECT_HINTS,
    TABLE_ORDER,
    _id,
    _money,
    _name,
    _number,
    _zip,
)
from .custom import CustomColumns
from .pages import PageSet
from .sales import SalesTables

__all__ = ["COLUMNS", "OBJECT_HINTS", "Built", "build_tables"]

# an owner id that is no Ploomes user (a deleted user): the record is kept and
# takes the project's "Default owner" (the loader's rule for an unknown owner:
# an Odoo salesperson follows it up), and this review item asks to reassign it
OWNER_COLUMNS = frozenset({"Owner Email"})
UNKNOWN_OWNER = (
    "the record gets the project's default owner (none when the project has "
    "none): reassign it"
)


@dataclass
class Built:
    """What :func:`build_tables` returns: ``tables`` (in load order), ``issues``
    (``{"kind", "line", "column", "value", "reason", "id"}``: ``kind`` is the
    table's object name, ``line`` its row number as ``Table.rows()`` gives it) and
    ``custom_fields`` (``{object name: [{"column", "key", "type", "options"}]}``,
    the Fields catalogue entries behind the custom columns, for x_ fields)."""

    tables: list[Table] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    custom_fields: dict[str, list[dict]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def table(self, object_name: str) -> Table | None:
        for table in self.tables:
            if table.object_name == object_name:
                return table
        return None

    def rows(self, object_name: str) -> list[dict]:
        table = self.table(object_name)
        return [row for _line, row in table.rows()] if table else []


class _Builder(CustomColumns, SalesTables):
    def __init__(self, pages: PageSet, delta: bool):
        self.pages = pages
        self.delta = delta
        self.built = Built(skipped=dict(pages.manifest.get("skipped") or {}))
        rec = {e: pages.records(e) for e in pages.entities()}
        self.rec = rec
        self.users = {_id(u.get("Id")): u for u in rec.get("Users", [])}
        self.fields = {f.get("Key"): f for f in rec.get("Fields", []) if f.get("Key")}
        self.tags = {_id(t.get("Id")): t for t in rec.get("Tags", [])}
        self.pipelines = {_id(p.get("Id")): p for p in rec.get("Deals@Pipelines", [])}
        self.stages = {_id(s.get("Id")): s for s in rec.get("Deals@Stages", [])}
        self.reasons = {_id(r.get("Id")): r for r in rec.get("Deals@LossReasons", [])}
        self.families = {_id(f.get("Id")): f for f in rec.get("Products@Families", [])}
        self.groups = {_id(g.get("Id")): g for g in rec.get("Products@Groups", [])}
        self.products = {_id(p.get("Id")): p for p in rec.get("Products", [])}
        self.order_stages = {_id(s.get("Id")): s for s in rec.get("Orders@Stages", [])}
        self.contacts = {_id(c.get("Id")): c for c in rec.get("Contacts", [])}
        self.task_types = {_id(t.get("Id")): t for t in rec.get("Tasks@Types", [])}
        self.tag_use: dict[Any, set] = defaultdict(set)

    # -- shared helpers

    def issue(self, kind, line, column, value, reason, rid=None) -> None:
        self.built.issues.append(
            {
                "kind": kind,
                "line": line,
                "column": column,
                "value": rules.text(value),
                "reason": reason,
                "id": rid,
            }
        )

    def owner(self, kind, line, user_id, column="Owner Email", rid=None) -> str:
        """A user id -> the user's email (their name when they have none)."""
        uid = _id(user_id)
        if uid is None:
            return ""
        user = self.users.get(uid)
        if user is None:
            reason = f"user id {uid} is not a Ploomes user"
            if column in OWNER_COLUMNS:
                reason += f": {UNKNOWN_OWNER}"
            self.issue(kind, line, column, uid, reason, rid)
            return ""
        return rules.text(user.get("Email")).lower() or rules.text(user.get("Name"))

    def tag_names(self, record, used_on: str) -> str:
        names = []
        for link in record.get("Tags") or []:
            if not isinstance(link, Mapping):
                continue
            tid = _id(link.get("TagId") or (link.get("Tag") or {}).get("Id"))
            tag = self.tags.get(tid) or link.get("Tag") or {}
            name = rules.text(tag.get("Name"))
            if name and name not in names:
                names.append(name)
                self.tag_use[tid].add(used_on)
        return ", ".join(names)

    def dt(self, kind, line, column, value, rid=None) -> str:
        out, problem = rules.utc(value)
        if problem:
            self.issue(kind, line, column, value, problem, rid)
        return out

    def day(self, kind, line, column, value, rid=None) -> str:
        out, problem = rules.date_as_written(value)
        if problem:
            self.issue(kind, line, column, value, problem, rid)
        return out

    def contact_email(self, contact_id) -> str:
        contact = self.contacts.get(_id(contact_id)) or {}
        return rules.text(contact.get("Email")).lower()

    def company_of(self, contact_id) -> tuple[str, str]:
        """(Company ID, Company Name) of a deal's/quote's ContactId when it is a
        company; ("", "") for a person or an unknown id."""
        cid = _id(contact_id)
        contact = self.contacts.get(cid)
        if contact and contact.get("TypeId") == COMPANY_TYPE_ID:
            return str(cid), rules.text(contact.get("Name"))
        return "", ""

    def add(self, object_name: str, rows: list[dict]) -> None:
        headers = list(COLUMNS[object_name])
        extra = [
            e["column"]
            for e in self.built.custom_fields.get(object_name, [])
            if e["column"] not in headers
        ]
        headers += extra
        frozen = [dict(r) for r in rows]
        table = Table.from_records(
            object_name,
            lambda: frozen,
            headers,
            kind="ploomes",
            object_name=object_name,
        )
        table.column_types = {
            e["column"]: {"type": e["odoo_type"], "options": e["options"]}
            for e in self.built.custom_fields.get(object_name, [])
        }
        self.built.tables.append(table)

    # -- tables

    def users_table(self) -> None:
        rows = []
        for user in self.rec.get("Users", []):
            rows.append(
                {
                    "User ID": rules.text(user.get("Id")),
                    "Name": rules.text(user.get("Name")),
                    "Email": rules.text(user.get("Email")).lower(),
                    "Status": "suspended" if user.get("Suspended") else "active",
                }
            )
        self.add("users", rows)

    def teams_table(self) -> None:
        rows = []
        for p in self.rec.get("Deals@Pipelines", []):
            rows.append(
                {
                    "Pipeline ID": rules.text(p.get("Id")),
                    "Pipeline Name": rules.text(p.get("Name")),
                    "Pipeline Order": rules.text(p.get("Ordination")),
                    "Archived": "yes" if p.get("Archived") else "",
                }
            )
        self.add("teams", rows)

    def stages_table(self) -> None:
        stages = sorted(
            self.rec.get("Deals@Stages", []),
            key=lambda s: (
                rules.text(s.get("PipelineId")),
                _number(s.get("Ordination"))
                if s.get("Ordination") is not None
                else 1e9,
                _id(s.get("Id")) or 0,
            ),
        )
        rows = []
        for line, s in enumerate(stages, start=2):
            pid = _id(s.get("PipelineId"))
            pipeline = self.pipelines.get(pid)
            if pid is not None and pipeline is None:
                self.issue(
                    "stages",
                    line,
                    "Pipeline ID",
                    pid,
                    f"pipeline id {pid} is not in the pipeline list",
                    s.get("Id"),
                )
            rows.append(
                {
                    "Stage ID": rules.text(s.get("Id")),
                    "Stage Name": rules.text(s.get("Name")),
                    "Pipeline ID": rules.text(pid or ""),
                    "Pipeline Name": _name(pipeline),
                    "Stage Order": rules.text(s.get("Ordination")),
                }
            )
        self.add("stages", rows)

    def lost_reasons_table(self) -> None:
        rows = []
        for r in self.rec.get("Deals@LossReasons", []):
            rows.append(
                {
                    "Lost Reason ID": rules.text(r.get("Id")),
                    "Lost Reason": rules.text(r.get("Name")),
                    "Pipeline Name": _name(
                        self.pipelines.get(_id(r.get("PipelineId")))
                    ),
                }
            )
        self.add("lost_reasons", rows)

    def _phones(self, kind, line, contact) -> dict[str, str]:
        phone, mobile, others = "", "", []
        for record in contact.get("Phones") or []:
            if not isinstance(record, Mapping):
                continue
            value, problem = rules.phone(record.get("PhoneNumber"))
            if not value:
                continue
            if problem:
                self.issue(
                    kind,
                    line,
                    "Phone",
                    record.get("PhoneNumber"),
                    problem,
                    contact.get("Id"),
                )
            if rules.is_mobile(record) and not mobile:
                mobile = value
            elif not phone:
                phone = value
            elif value not in (phone, mobile):
                others.append(value)
        return {"Phone": phone, "Mobile": mobile, "Other Phones": ", ".join(others)}

    def _address(self, contact) -> dict[str, str]:
        street = ", ".join(
            p
            for p in (
                rules.text(contact.get("StreetAddress")),
                rules.text(contact.get("StreetAddressNumber")),
            )
            if p
        )
        street2 = " - ".join(
            p
            for p in (
                rules.text(contact.get("StreetAddressLine2")),
                rules.text(contact.get("Neighborhood")),
            )
            if p
        )
        city = contact.get("City") or {}
        state = contact.get("State") or (city.get("State") if city else None) or {}
        country = contact.get("Country") or (city.get("Country") if city else None)
        state_name = rules.text(state.get("Short")) or _name(state)
        country_name = _name(country)
        if not country_name and (state_name or city):
            # Ploomes' states and cities are Brazil's (its own lists): an
            # address with one and no country is in Brazil
            country_name = rules.DEFAULT_COUNTRY
        return {
            "Street": street,
            "Street 2": street2,
            "City": _name(city),
            "State": state_name,
            "Zip": _zip(contact.get("ZipCode")),
            "Country": country_name,
        }

    def _tax(self, kind, line, contact, expected) -> dict[str, str]:
        column = expected
        raw = contact.get(expected) or contact.get("Register")
        value, problem = rules.tax_id(raw, expected)
        if problem:
            self.issue(kind, line, column, raw, problem, contact.get("Id"))
            return {column: "", "Tax ID Problem": problem}
        return {column: value, "Tax ID Problem": ""}

    def contacts_tables(self) -> None:
        companies, people = [], []
        for contact in self.rec.get("Contacts", []):
            if contact.get("TypeId") == COMPANY_TYPE_ID:
                companies.append(contact)
            else:
                people.append(contact)
        rows = []
        for line, c in enumerate(companies, start=2):
            cid = c.get("Id")
            row = {
                "Company ID": rules.text(cid),
                "Name": rules.text(c.get("Name")),
                "Legal Name": rules.text(c.get("LegalName")),
                **self._tax("companies", line, c, "CNPJ"),
                "Email": rules.text(c.get("Email")).lower(),
                **self._phones("companies", line, c),
                "Website": rules.text(c.get("Website")),
                **self._address(c),
                "Tags": self.tag_names(c, "contacts"),
                "Owner Email": self.owner("companies", line, c.get("OwnerId"), rid=cid),
                "Notes": rules.text(c.get("Note")),
                "Created": self.dt(
                    "companies", line, "Created", c.get("CreateDate"), cid
                ),
                "Last Updated": self.dt(
                    "companies", line, "Last Updated", c.get("LastUpdateDate"), cid
                ),
            }
            row.update(self.custom("companies", line, c, COLUMNS["companies"], cid))
            rows.append(row)
        self.add("companies", rows)
        rows = []
        for line, p in enumerate(people, start=2):
            pid = p.get("Id")
            parent_id = _id(p.get("CompanyId"))
            parent = self.contacts.get(parent_id) if parent_id is not None else None
            company_name = _name(parent) or _name(p.get("Company"))
            if parent_id is not None and parent is None and not self.delta:
                self.issue(
                    "people",
                    line,
                    "Parent Company ID",
                    parent_id,
                    f"company id {parent_id} is not among the pulled companies",
                    pid,
                )
            role = p.get("Role")
            row = {
                "Contact ID": rules.text(pid),
                "Name": rules.text(p.get("Name")),
                "Email": rules.text(p.get("Email")).lower(),
                **self._phones("people", line, p),
                "Job Title": _name(role) or rules.text(p.get("JobTitle")),
                **self._tax("people", line, p, "CPF"),
                "Parent Company ID": rules.text(parent_id or ""),
                "Company Name": company_name,
                "Birthday": self.day(
                    "people", line, "Birthday", p.get("Birthday"), pid
                ),
                **self._address(p),
                "Tags": self.tag_names(p, "contacts"),
                "Owner Email": self.owner("people", line, p.get("OwnerId"), rid=pid),
                "Notes": rules.text(p.get("Note")),
                "Created": self.dt("people", line, "Created", p.get("CreateDate"), pid),
                "Last Updated": self.dt(
                    "people", line, "Last Updated", p.get("LastUpdateDate"), pid
                ),
            }
            row.update(self.custom("people", line, p, COLUMNS["people"], pid))
            rows.append(row)
        self.add("people", rows)

    def deals_table(self) -> None:
        status_names = {}
        rows = []
        for line, d in enumerate(self.rec.get("Deals", []), start=2):
            did = d.get("Id")
            status = rules.deal_status(d.get("StatusId"), status_names)
            if status is None:
                self.issue(
                    "deals",
                    line,
                    "Status",
                    d.get("StatusId"),
                    f"unknown deal status id {d.get('StatusId')!r}: kept open",
                    did,
                )
                status = "open"
            stage = self.stages.get(_id(d.get("StageId")))
            if d.get("StageId") and stage is None:
                self.issue(
                    "deals",
                    line,
                    "Stage",
                    d.get("StageId"),
                    f"stage id {d.get('StageId')} is not in the stage list",
                    did,
                )
            pid = _id(d.get("PipelineId")) or _id((stage or {}).get("PipelineId"))
            reason = ""
            if status == "lost":
                reason = _name(self.reasons.get(_id(d.get("LossReasonId")))) or _name(
                    d.get("LossReason")
                )
            company_id, company_name = self.company_of(d.get("ContactId"))
            person_id = _id(d.get("PersonId"))
            if person_id is None and not company_id:
                person_id = _id(d.get("ContactId"))
            person = self.contacts.get(person_id) or {}
            if not company_name and d.get("ContactName") and not person:
                company_name = rules.text(d.get("ContactName"))
            # the deal's customer is its ContactId: a company's deal names its
            # person (PersonId) but is the company's, not the person's
            person_email = "" if company_id else rules.text(person.get("Email"))
            row = {
                "Deal ID": rules.text(did),
                "Deal Number": rules.text(d.get("DealNumber")),
                "Title": rules.text(d.get("Title")),
                "Pipeline": _name(self.pipelines.get(pid)),
                "Stage": _name(stage),
                "Status": status,
                "Lost Reason": reason,
                "Amount": _money(d.get("Amount")),
                "Company ID": company_id,
                "Company Name": company_name,
                "Contact ID": rules.text(person_id or ""),
                "Contact Name": _name(person) or rules.text(d.get("PersonName")),
                "Contact Email": person_email.lower(),
                "Owner Email": self.owner("deals", line, d.get("OwnerId"), rid=did),
                "Tags": self.tag_names(d, "deals"),
                "Created": self.dt("deals", line, "Created", d.get("CreateDate"), did),
                "Closed Date": self.dt(
                    "deals", line, "Closed Date", d.get("FinishDate"), did
                )
                if status != "open"
                else "",
                "Last Updated": self.dt(
                    "deals", line, "Last Updated", d.get("LastUpdateDate"), did
                ),
            }
            row.update(self.custom("deals", line, d, COLUMNS["deals"], did))
            rows.append(row)
        self.add("deals", rows)

    def tasks_table(self) -> None:
        rows = []
        for line, t in enumerate(self.rec.get("Tasks", []), start=2):
            tid = t.get("Id")
            type_name = _name(t.get("Type")) or _name(
                self.task_types.get(_id(t.get("TypeId")))
            )
            assignees = []
            for link in t.get("Users") or []:
                if isinstance(link, Mapping):
                    uid = link.get("UserId") or link.get("Id")
                    email = self.owner("tasks", line, uid, "Assignees", tid)
                    if email and email not in assignees:
                        assignees.append(email)
            creator = self.owner(
                "tasks", line, t.get("CreatorId"), "Creator Email", tid
            )
            done = bool(t.get("Finished"))
            contact_id = _id(t.get("ContactId"))
            rows.append(
                {
                    "Task ID": rules.text(tid),
                    "Title": rules.text(t.get("Title")),
                    "Type": rules.task_kind(type_name),
                    "Task Type": type_name,
                    "Description": rules.text(t.get("Description")),
                    # the deadline is the account's local day of "Date" (the
                    # project's time zone): a Z time has no local day of its own
                    "Due Date": "",
                    "Date": self.dt("tasks", line, "Date", t.get("DateTime"), tid),
                    "Status": "completed" if done else "open",
                    "Completed": "yes" if done else "no",
                    "Completed On": self.dt(
                        "tasks", line, "Completed On", t.get("FinishDate"), tid
                    )
                    if done
                    else "",
                    "Deal ID": rules.text(t.get("DealId")),
                    "Contact ID": rules.text(contact_id or ""),
                    "Contact Email": self.contact_email(contact_id),
                    "Assigned To": assignees[0] if assignees else creator,
                    "Assignees": ", ".join(assignees),
                    "Creator Email": creator,
                    "Tags": self.tag_names(t, "tasks"),
                    "Created": self.dt(
                        "tasks", line, "Created", t.get("CreateDate"), tid
                    ),
                }
            )
        self.add("tasks", rows)

    def tags_table(self) -> None:
        rows = []
        for tid, tag in self.tags.items():
            if not rules.deal_tag(tag, self.tag_use.get(tid, ())):
                continue  # a contacts' tag: the partners' Tags column makes it
            rows.append(
                {
                    "Tag ID": rules.text(tid),
                    "Tag Name": rules.text(tag.get("Name")),
                    "Used On": ", ".join(sorted(self.tag_use.get(tid, ()))),
                }
            )
        self.add("tags", rows)

    def build(self) -> Built:
        have = set(self.rec)
        self.users_table()
        if "Deals@Pipelines" in have:
            self.teams_table()
        if "Deals@Stages" in have:
            self.stages_table()
        if "Deals@LossReasons" in have:
            self.lost_reasons_table()
        if "Products@Groups" in have:
            self.categories_table()
        if "Products" in have:
            self.products_table()
        if "Contacts" in have:
            self.contacts_tables()
        if "Deals" in have:
            self.deals_table()
        if "Quotes" in have:
            self.quotes_tables()
        if "Orders" in have:
            self.orders_tables()
        if "Tasks" in have:
            self.tasks_table()
        if "Tags" in have:
            self.tags_table()  # last: "Used On" counts the uses seen above
        order = {name: i for i, name in enumerate(TABLE_ORDER)}
        self.built.tables.sort(key=lambda t: order.get(t.object_name, len(order)))
        return self.built


def build_tables(pages: PageSet, delta: bool | None = None) -> Built:
    """The tables of a pull (live or saved pages). ``delta``: a delta pull (references
    to records outside it are not reported as missing); by default read from the
    pull's ``since``."""
    if delta is None:
        delta = bool(pages.manifest.get("since"))
    return _Builder(pages, delta).build()


def issue_counts(built: Built) -> Counter:
    return Counter(i["kind"] for i in built.issues)
