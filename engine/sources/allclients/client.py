"""The AllClients API (form posts to /api/2/<Method>.aspx)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ...api import ApiClient, ApiError, AuthError, Page, iter_items, paginate
from .headers import canonical_row
from .rows import clean_id

# --------------------------------------------------------------------------------------
# the API


def _find_error(payload: Any) -> str | None:
    node = payload
    for _ in range(3):
        if isinstance(node, Mapping):
            for key in ("error", "Error", "errors"):
                if node.get(key):
                    value = node[key]
                    return value if isinstance(value, str) else str(value)
            node = node.get("results") or node.get("Results")
        else:
            return None
    return None


def _records(payload: Any, plural: str, singular: str) -> list[dict]:
    """The records of an AllClients JSON answer, whatever its nesting:
    ``[...]``, ``{"contacts": [...]}``, ``{"results": {"contacts": {"contact": [...]}}}``
    (the XML shape turned JSON), a single record instead of a list, or nothing."""
    node = payload
    if isinstance(node, Mapping) and isinstance(node.get("results"), Mapping | list):
        node = node["results"]
    if isinstance(node, Mapping):
        lowered = {str(k).casefold(): k for k in node}
        if plural in lowered:
            node = node[lowered[plural]]
        elif singular in lowered:
            node = node[lowered[singular]]
        elif not node or set(lowered) <= {"message", "count", "total"}:
            return []
        else:
            raise ApiError(
                f"unexpected answer: no {plural!r} in it (keys: {', '.join(sorted(map(str, node))[:10])})"
            )
    if isinstance(node, Mapping):
        lowered = {str(k).casefold(): k for k in node}
        if singular in lowered:
            node = node[lowered[singular]]
        elif not node:
            return []
    if node in (None, ""):
        return []
    if isinstance(node, Mapping):
        return [dict(node)]
    if isinstance(node, list):
        return [dict(r) for r in node if isinstance(r, Mapping)]
    raise ApiError(f"unexpected answer: {plural!r} is a {type(node).__name__}")


class AllClientsClient:
    """The AllClients form-post API (``POST <base_url>/api/2/<Method>.aspx`` with
    ``accountid``, ``apikey`` and ``response_type=json``) over :class:`engine.api.ApiClient`
    (retries, 429 waits, timeouts, secrets masked). Rows come back with the keys of the
    CSV exports (``"Contact ID"``, ``"First Name"``, ``"Phone 1"``, ``"Add Date"``...),
    values as text, so the maps confirmed for a file apply to a pull.

    ``custom_labels``: ``{n: label}`` for the ``customN`` fields (else ``"Custom n"``).
    ``api_options`` go to :class:`ApiClient` (``timeout``, ``retries``, ``sleep``...).
    White-label accounts use their own domain as ``base_url``.
    """

    API_PATH = "/api/2/"
    PAGE_SIZE = 250
    # not in the public documentation found: confirm with AllClients for the account
    USERS_METHOD = "GetTeamMembers"

    def __init__(
        self,
        account_id: Any,
        api_key: str,
        base_url: str = "https://www.allclients.com",
        session: Any = None,
        *,
        page_size: int | None = None,
        custom_labels: Mapping | None = None,
        **api_options: Any,
    ):
        self.account_id = str(account_id).strip()
        self.__api_key = str(api_key)
        self.base_url = base_url.rstrip("/")
        self.page_size = int(page_size or self.PAGE_SIZE)
        self.custom_labels = dict(custom_labels or {})
        self.api = ApiClient(
            self.base_url + self.API_PATH,
            secrets=[self.__api_key],
            session=session,
            **api_options,
        )

    def __repr__(self) -> str:
        return (
            f"<AllClientsClient account={self.account_id} {self.base_url} apikey=***>"
        )

    def __enter__(self) -> AllClientsClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.api.close()

    def call(self, method: str, **fields: Any) -> Any:
        """POST one API method; the decoded JSON. An error the API reports in its body
        (``{"error": "Authentication failed"}`` with HTTP 200) raises :class:`AuthError`
        or :class:`ApiError`."""
        form = {
            "accountid": self.account_id,
            "apikey": self.__api_key,
            "response_type": "json",
        }
        form.update({k: v for k, v in fields.items() if v is not None})
        payload = self.api.post_json(f"{method}.aspx", data=form)
        message = _find_error(payload)
        if message:
            shown = self.api.url(f"{method}.aspx")
            auth = re.search(
                r"authenticat|api ?key|not authori[sz]ed|invalid account", message, re.I
            )
            cls = AuthError if auth else ApiError
            raise cls(
                f"{method}: the API answered {message!r}", url=shown, method="POST"
            )
        return payload

    # -- contacts

    def contact_pages(
        self,
        page_size: int | None = None,
        offset: int = 0,
        max_pages: int = 100_000,
        **filters: Any,
    ) -> Iterator[Page]:
        """Pages of contacts (``GetContacts`` with ``pagingsize``/``pagingoffset``)
        until a short page. ``offset``: resume from a stored ``Page.next_offset``.
        ``filters``: GetContacts form fields (``teammemberid``, ``categoryid``...)."""
        size = int(page_size or self.page_size)

        def fetch(off: int, limit: int) -> list[dict]:
            payload = self.call(
                "GetContacts", pagingsize=limit, pagingoffset=off, **filters
            )
            return _records(payload, "contacts", "contact")

        for page in paginate(fetch, page_size=size, offset=offset, max_pages=max_pages):
            yield Page(
                page.offset,
                [canonical_row(r, "contact", self.custom_labels) for r in page.items],
                page.next_offset,
            )

    def get_contacts(
        self, page_size: int | None = None, offset: int = 0, **filters: Any
    ) -> Iterator[dict]:
        """Every contact as a row dict with the contacts export's keys."""
        return iter_items(self.contact_pages(page_size, offset, **filters))

    def get_contact_notes(self, contact_id: Any) -> Iterator[dict]:
        """The notes of one contact (``GetContactNotes`` by contact id) as notes-export
        rows: ``{"Contact ID", "Date" (US Central, as written), "Note"}``."""
        cid = clean_id(contact_id)
        payload = self.call("GetContactNotes", identifymethod=1, identifyvalue=cid)
        for record in _records(payload, "notes", "note"):
            row = canonical_row(record, "note")
            yield {"Contact ID": cid or "", **row}

    def get_users(self) -> Iterator[dict]:
        """Team members as users-export rows (``Team Member ID``, ``Name``, ``Email``,
        ``Role``, ``Status``). The method name is :attr:`USERS_METHOD`."""
        payload = self.call(self.USERS_METHOD)
        for plural, singular in (("teammembers", "teammember"), ("users", "user")):
            try:
                records = _records(payload, plural, singular)
            except ApiError:
                continue
            for record in records:
                row = canonical_row(record, "user")
                if not row.get("Name"):
                    first = row.pop("First Name", "")
                    last = row.pop("Last Name", "")
                    row["Name"] = " ".join(p for p in (first, last) if p)
                yield row
            return
        raise ApiError(f"{self.USERS_METHOD}: no team members in the answer")

    def get_todos(
        self, status: str = "all", teammemberid: int = -1, **filters: Any
    ) -> Iterator[dict]:
        """To-dos (``GetToDos``; the API returns at most 2,500 per call: narrow with
        ``contactid``/``aftereditdate`` filters for big accounts) as tasks-export rows."""
        payload = self.call(
            "GetToDos", status=status, teammemberid=teammemberid, **filters
        )
        for record in _records(payload, "todos", "todo"):
            yield canonical_row(record, "activity")
