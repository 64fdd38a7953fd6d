"""The AllClients source spec: file kinds, defaults, inventory, converters."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ...api import ApiError, AuthError
from ..base import WORKFLOWS_REBUILD, Source, not_migrated_item, register
from .client import AllClientsClient
from .converters import CONVERTERS, NOTE_IDENTITY
from .custom import custom_field_specs
from .headers import (
    _BY_KIND,
    CENTRAL,
    KINDS,
    SYSTEM,
    TODO_CAP,
    _text,
    detect_kind,
    normalize_headers,
)
from .rows import clean_id

_logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------
# the source


@register
class AllClientsSource(Source):
    system = SYSTEM
    label = "AllClients (CSV exports + notes export, or API)"
    api_credentials = ("account_id", "api_key")
    # AllClients keeps US Central times and has no company records: a contact's
    # company becomes its parent company partner
    defaults = {"source_tz": CENTRAL, "create_parent_companies": True}
    not_migrated = (
        not_migrated_item(
            "Landing pages and popup forms",
            "Not exposed by the AllClients API or exports: their HTML, form fields and "
            "submissions cannot be extracted.",
            "Website builder pages and forms (website, website_crm: a form that "
            "creates leads)",
        ),
        not_migrated_item(
            "Workflows",
            "Definitions (triggers, conditions, actions, delays) can only be written "
            "down; execution state, enrolled contacts and run history are not "
            "available by export or API.",
            WORKFLOWS_REBUILD + "; re-enrol the contacts that were in an active "
            "workflow by hand",
        ),
        not_migrated_item(
            "Email campaign history",
            "Send dates, open and click rates are metadata of the campaign, not an "
            "exportable object.",
            "Email Marketing (mass_mailing) campaigns; keep the campaign names as tags",
        ),
        not_migrated_item(
            "Groups",
            "Groups have no export of their own: membership arrives only as tags on "
            "the contact rows.",
            "Contact tags (res.partner.category) or Sales teams (crm.team)",
        ),
    )
    kinds = KINDS

    @property
    def converters(self):
        return CONVERTERS

    def content_identity(self, values: dict[str, str]) -> dict[str, str]:
        """A note is its contact id, date and text (its email too when it has no
        contact id): a contact's rename or new email does not make it new."""
        if "Note" not in values:
            return values
        kept = {k: values.get(k, "") for k in NOTE_IDENTITY}
        if not kept["Contact ID"]:
            kept["Email"] = values.get("Email", "").lower()
        return kept

    def choice_columns(self, target: str, columns: list) -> dict[str, str]:
        """The custom contact columns whose cells hold several choices."""
        if target != "contact":
            return {}
        specs = custom_field_specs([c["name"] for c in columns], columns)
        return {s["column"]: s["reason"] for s in specs if s["type"] == "many2many"}

    def canonical_headers(self, headers, target: str) -> dict:
        return normalize_headers(headers, target if target in _BY_KIND else None)

    def pull_tables(self, credentials: Mapping, base_url: str | None = None) -> list:
        """API pull as a second way in: the team members, the contacts, their notes
        and the to-dos, each as a table with the keys of the matching export, so that
        the same maps and rules apply. ``credentials``: ``{"account_id",
        "api_key"}`` (never logged, never in an error). Notes come one call per
        contact (``GetContactNotes``), with the contact's email added for the join."""
        from ...readers import Table

        # one number for connect and read: Odoo's test harness only accepts that
        kwargs = {"timeout": 60.0, **({"base_url": base_url} if base_url else {})}

        def optional(what, fetch):
            # contacts are the pull; a method the account does not answer (the
            # team members one is not publicly documented) leaves its table out,
            # said in the log and in the project's audit of the pull
            try:
                return list(fetch())
            except AuthError:
                raise
            except ApiError as exc:
                _logger.warning("AllClients %s not pulled: %s", what, exc)
                return None

        with AllClientsClient(
            credentials["account_id"], credentials["api_key"], **kwargs
        ) as client:
            users = optional("team members", client.get_users)
            contacts = list(client.get_contacts())

            def all_notes():
                for contact in contacts:
                    cid = clean_id(contact.get("Contact ID"))
                    if not cid:
                        continue
                    for note in client.get_contact_notes(cid):
                        yield {**note, "Email": _text(contact.get("Email"))}

            notes = optional("notes", all_notes)
            todos = optional("to-dos", client.get_todos)
            if todos is not None and len(todos) >= TODO_CAP:
                _logger.warning(
                    "AllClients answered %s to-dos, its maximum per call: some may be "
                    "missing (pull them per team member or by edit date)",
                    len(todos),
                )

        def table(name, rows, object_name):
            headers = list(dict.fromkeys(key for row in rows for key in row))
            return Table.from_records(
                name, lambda: rows, headers, kind="api", object_name=object_name
            )

        pulled = [
            ("users (API)", users, "users"),
            ("contacts (API)", contacts, "contacts"),
            ("notes (API)", notes, "notes"),
            ("tasks (API)", todos, "tasks"),
        ]
        return [table(*item) for item in pulled if item[1] is not None]

    def tables(self, path_or_files: Any) -> list:
        """The tables of the exports, headers renamed to their canonical spelling
        (``raw_headers`` keep the file's). Accepts what the generic source accepts."""
        from ..generic import GenericSource

        return [self.normalize(t) for t in GenericSource().tables(path_or_files)]

    def kind(self, table) -> str | None:
        return detect_kind(table.name, table.raw_headers or table.headers)

    def object_hint(self, table) -> str | None:
        """``contact``, ``note``, ``activity``, ``user``, ``template``, ``campaign``,
        ``group`` or ``attachment`` (see :data:`KINDS` for the model), or None."""
        return self.kind(table)

    def normalize(self, table):
        """``table`` with canonical headers (a new Table; rows are renamed lazily)."""
        import dataclasses

        kind = self.kind(table)
        mapping = normalize_headers(table.headers, kind)
        if all(k == v for k, v in mapping.items()):
            return table
        new_headers = [mapping[h] for h in table.headers]
        reader = table.rows

        def rows():
            for line, row in reader():
                yield line, {mapping.get(k, k): v for k, v in row.items()}

        return dataclasses.replace(table, headers=new_headers, _reader=rows)
