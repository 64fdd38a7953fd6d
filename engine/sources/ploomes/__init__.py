"""Ploomes CRM: REST API pulls (OData pages) or the same pages saved in a folder/zip.

* :mod:`.client`: :class:`PloomesClient` (User-Key, paging by 300, rate limit,
  retries, resumable pulls, delta by ``LastUpdateDate``) and which API facts are
  documented or assumed.
* :mod:`.pages`: :class:`PageSet`, pages kept as ``<Entity>/page-0001.json``.
* :mod:`.rules`: value rules (dates to UTC, phones, CNPJ/CPF, statuses).
* :mod:`.tables` (with :mod:`.columns`, :mod:`.custom` and :mod:`.sales`): records -> flat tables
  named the way the proposer maps them, and the issues found on the way.

``PloomesSource().tables(folder_or_zip)`` and ``.pull_tables(credentials)`` give the
same tables; ``.issues`` (after either) lists the review items found while building
them, and ``.custom_fields`` the Fields catalogue entries behind custom columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...readers import ReadError
from ..base import WORKFLOWS_REBUILD, not_migrated_item, Source, register
from .client import ENTITIES, PloomesClient, _mapping_key
from .pages import PageError, PageSet, holds_pages
from .tables import OBJECT_HINTS, Built, build_tables

SYSTEM = "ploomes"
# the review kind of an issue, by the column it names
_REVIEW_KINDS = {
    "Owner Email": "unknown_owner",
    "Assignees": "unknown_owner",
    "Creator Email": "unknown_owner",
    "Parent Company ID": "missing_parent",
}


@register
class PloomesSource(Source):
    system = SYSTEM
    label = "Ploomes (REST API, or its saved JSON pages)"
    object_hints = OBJECT_HINTS
    # project defaults: every date-time in the tables is UTC and says so ("Z": the
    # API writes offsets and the rules convert them); the project's time zone is
    # the account's, which gives the local day of a task's deadline
    project_defaults: Mapping[str, Any] = {
        "timezone": "America/Sao_Paulo",
        "country": "BR",
    }
    # what a new project starts with (migration.project field names)
    defaults = {"source_tz": "America/Sao_Paulo", "phone_region": "BR"}
    not_migrated = (
        not_migrated_item(
            "Workflow automations",
            "Ploomes workflows are not accessible through the public API.",
            WORKFLOWS_REBUILD + "; the workflow audit lists each one",
        ),
        not_migrated_item(
            "Earlier quote revisions",
            "Ploomes keeps every revision of a quote; only the last one "
            "(LastReview) is the live quote. The earlier revisions and their lines "
            "are left out by that rule: the run counts their rows as skipped, "
            "their cells as not migrated, and its log names each one.",
            "the last revision is the quotation, its revision number in the "
            "quotation's Review Number field",
        ),
        not_migrated_item(
            "Order fulfilment",
            "Orders become quotations or invoices only when Odoo Sales, Inventory or "
            "Accounting is installed; delivery state does not carry over.",
            "Sales, Inventory (stock.picking) or Accounting (account.move), chosen "
            "before the run",
        ),
    )

    api_credentials = ("api_key",)
    api_delta = True
    api_resumable = True

    def __init__(self):
        self.built: Built | None = None
        # what the last pull_tables() asked the API: {"requests", "pages"}
        self.pull_report: dict[str, int] = {}

    def read_export(self, source: Any, name: str | None = None) -> list | None:
        """Saved pages (a folder or a zip of ``<Entity>/page-0001.json``) -> the
        tables; None for any other file."""
        if not holds_pages(source):
            return None
        return self.tables(source)

    def reads_folder(self, path: Any) -> bool:
        return holds_pages(path)

    def source_issues(self) -> list[dict]:
        return [
            {
                "object": i["kind"],
                "line": i.get("line"),
                "column": i.get("column") or "",
                "value": i.get("value") or "",
                "reason": i["reason"],
                "kind": _REVIEW_KINDS.get(i.get("column"), "invalid_value"),
                "id": i.get("id"),
            }
            for i in self.issues
        ]

    @property
    def issues(self) -> list[dict]:
        return list(self.built.issues) if self.built else []

    @property
    def custom_fields(self) -> dict[str, list[dict]]:
        return dict(self.built.custom_fields) if self.built else {}

    def read_pages(self, path_or_files: Any) -> PageSet:
        """The saved pages of a folder, a zip (path or bytes), or ``{name: bytes}``
        / ``[(name, bytes)]`` members named ``<Entity>/page-0001.json``."""
        try:
            pages = PageSet.open(path_or_files)
        except ValueError as exc:
            raise ReadError(_name_of(path_or_files), str(exc)) from None
        if not pages.entities():
            raise ReadError(
                _name_of(path_or_files),
                "no Ploomes pages found (expected <Entity>/page-0001.json, e.g. "
                "Contacts/page-0001.json)",
            )
        return pages

    def tables(self, path_or_files: Any) -> list:
        """Tables from saved pages (see :meth:`read_pages`); a page that is not valid
        JSON or not an OData page raises :class:`ReadError` naming it."""
        pages = self.read_pages(path_or_files)
        try:
            self.built = build_tables(pages)
        except PageError as exc:
            raise ReadError(
                f"{exc.entity}/page-{exc.page:04d}.json", exc.reason
            ) from None
        return self.built.tables

    def pull_tables(
        self,
        credentials: Mapping,
        base_url: str | None = None,
        *,
        since: Any = None,
        pages_dir: Any = None,
        entities: Any = None,
        **client_options: Any,
    ) -> list:
        """Pull the account through the API and build the tables. ``credentials``:
        ``{"user_key": ...}`` (never logged, never in an error). ``since``: a delta
        pull (records changed after it). ``pages_dir``: keep the pages there as they
        come, so an interrupted pull resumes from its last complete page and the
        folder can be replayed offline with :meth:`tables`."""
        key = _mapping_key(credentials)
        pages = PageSet(pages_dir) if pages_dir is not None else None
        # one number for connect and read (Odoo's test harness only accepts that)
        client_options.setdefault("timeout", 60.0)
        with PloomesClient(key, base_url, **client_options) as client:
            try:
                pages = client.pull(entities or ENTITIES, into=pages, since=since)
            finally:
                self.pull_report = client.report()
        self.built = build_tables(pages)
        return self.built.tables

    def object_hint(self, table) -> str | None:
        return OBJECT_HINTS.get(getattr(table, "object_name", None))

    def object_proposal(self, table, columns=None):
        from ...propose import TARGETS, ObjectProposal

        hint = self.object_hint(table)
        if hint in TARGETS:
            return ObjectProposal(
                hint, 0.95, f"Ploomes {table.object_name}: {hint} records", []
            )
        proposal = super().object_proposal(table, columns)
        if hint:
            proposal.confidence = min(proposal.confidence, 0.3)
            proposal.reason = (
                f"Ploomes {table.object_name}: loaded as {hint} by the Ploomes "
                f"rules, not through a field map; {proposal.reason}"
            )
        return proposal


def _name_of(source: Any) -> str:
    if isinstance(source, str):
        return source
    name = getattr(source, "name", None)
    return str(name) if name else "Ploomes pages"


__all__ = ["SYSTEM", "PloomesClient", "PloomesSource", "PageSet", "build_tables"]
