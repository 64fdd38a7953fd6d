"""The Ploomes REST API client (read only), on :mod:`engine.api`.

What is documented, and where (checked before relying on it):

* Base URL ``https://api2.ploomes.com`` and the ``User-Key`` header: Ploomes' own n8n
  node (github.com/Ploomes/n8n-nodes-ploomes, ``credentials/PloomesApi.credentials.ts``
  and ``nodes/Ploomes/PloomesResources.ts``), which also lists the endpoints used
  here: ``Contacts``, ``Deals``, ``Deals@Pipelines``, ``Deals@Stages``,
  ``Deals@LossReasons``, ``Products``, ``Products@Groups``, ``Products@Families``,
  ``Quotes``, ``Orders``, ``Orders@Stages``, ``Tasks``, ``Tags``, ``Users``, ``Fields``.
  Some accounts answer on ``https://public-api2.ploomes.com``: pass it as ``base_url``.
* OData query options ``$top``/``$skip``/``$filter``/``$expand``/``$select``/
  ``$orderby`` and ``{"value": [...]}`` answers: the same node's ``getAll``.
* At most 300 records a request (the seed page, ../shared/sources.md; integrations
  report that a larger ``$top`` is silently truncated, so we page by 300 until a short
  page).
* 120 requests a minute per account, 429 with ``Retry-After`` beyond it: third-party
  clients (victorbenazzi/ploomes-mcp-server ``docs/configuration.md``) and
  ../shared/sources.md; Ploomes' public reference (developers.ploomes.com) was not
  readable from here.
* Field names (``TypeId``, ``CompanyId``, ``CNPJ``, ``CPF``, ``Register``, ``Phones``,
  ``OtherProperties`` with ``FieldKey`` and typed values, ``StatusId``, ``Ordination``,
  ``QuoteNumber``/``ReviewNumber``, ``Sections[].Products[]``, ``Tasks.Users``,
  ``Users.Suspended``, ``Fields.OptionsTable.Options``): the community TypeScript
  typings ViniCleFer/PloomesTSTypes and ../shared/sources.md.

Assumed (not found documented; each is isolated in one constant or rule):

* ``LastUpdateDate gt 2024-05-01T00:00:00Z`` is accepted on every entity marked
  ``delta`` (integrations use it on Contacts and Deals with an explicit offset).
* A wrong key answers 401 (403 is handled the same way by :mod:`engine.api`); an
  entity the account's plan lacks (Quotes, Orders) answers 403/404 and is left out.
* Quote line discounts are percentages; quote states come from the approval status.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from ...api import ApiClient, ApiError, AuthError, RateLimiter, paginate
from .pages import PageError, PageSet, parse_page

_logger = logging.getLogger(__name__)

BASE_URL = "https://api2.ploomes.com"
PAGE_SIZE = 300  # the API's maximum $top
REQUESTS_PER_MINUTE = 120
PAGE_RETRIES = 3  # a malformed page is asked again this many times


@dataclass(frozen=True)
class Entity:
    """One endpoint pulled: its path, the ``$expand`` its rows need, whether delta
    pulls filter it by ``LastUpdateDate`` and whether an account may lack it."""

    name: str
    expand: str | None = None
    select: str | None = None
    delta: bool = False
    optional: bool = False


# pulled in this order: lookups first, so an interrupted pull has them
ENTITIES: tuple[Entity, ...] = (
    Entity("Users"),
    Entity("Fields", expand="Type,OptionsTable($expand=Options)"),
    Entity("Tags"),
    Entity("Deals@Pipelines"),
    Entity("Deals@Stages"),
    Entity("Deals@LossReasons"),
    Entity("Products@Families", optional=True),
    Entity("Products@Groups", optional=True),
    Entity("Products", expand="OtherProperties", delta=True, optional=True),
    Entity(
        "Contacts",
        expand="City,State,Country,Role,Phones($expand=Type),Tags,OtherProperties",
        delta=True,
    ),
    Entity("Deals", expand="Tags,OtherProperties", delta=True),
    Entity(
        "Quotes",
        expand="ApprovalStatus,Sections($expand=Products),OtherProperties",
        delta=True,
        optional=True,
    ),
    Entity("Orders@Stages", optional=True),
    Entity(
        "Orders",
        expand="Sections($expand=Products),OtherProperties",
        delta=True,
        optional=True,
    ),
    Entity("Tasks@Types", optional=True),
    Entity("Tasks", expand="Type,Users,Tags", delta=True, optional=True),
)
BY_NAME = {e.name: e for e in ENTITIES}


def odata_datetime(value: dt.datetime | dt.date | str) -> str:
    """An OData date-time literal with an explicit offset (``...Z``); a naive value
    is UTC (what Odoo stores)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


class PloomesClient:
    """Reads Ploomes entities page by page.

    ``user_key``: the account's User-Key, sent as a header and registered as a secret
    (masked in logs, errors and this object's repr). ``requests_per_minute``: the
    account's quota, kept by a :class:`engine.api.RateLimiter` (share one ``limiter``
    between clients of the same account). ``api_options`` go to
    :class:`engine.api.ApiClient` (``timeout``, ``retries``, ``backoff_factor``,
    ``sleep``...): 429 waits honour ``Retry-After``, 5xx and timeouts are retried
    with backoff. ``page_retries``: how many times a page whose body is not an OData
    page (cut JSON, another shape) is asked again, with the same exponential backoff
    (urllib3's ``Retry``) before :class:`PageError` names the entity and the page.
    """

    def __init__(
        self,
        user_key: str,
        base_url: str | None = None,
        *,
        page_size: int = PAGE_SIZE,
        requests_per_minute: int = REQUESTS_PER_MINUTE,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], Any] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        page_retries: int = PAGE_RETRIES,
        **api_options: Any,
    ):
        if not str(user_key or "").strip():
            raise ValueError("a Ploomes pull needs the account's User-Key")
        self.base_url = (base_url or BASE_URL).rstrip("/")
        self.page_size = max(1, min(int(page_size), PAGE_SIZE))
        self.limiter = limiter or RateLimiter(
            requests_per_minute, 60.0, sleep=sleep, now=monotonic
        )
        self.pages = 0  # pages kept (a page asked again counts once)
        self.sleep = sleep
        self.page_retries = max(0, int(page_retries))
        self.backoff_factor = float(api_options.get("backoff_factor", 0.5))
        self.api = ApiClient(
            self.base_url,
            headers={"User-Key": str(user_key).strip(), "Accept": "application/json"},
            retry_methods=("GET",),
            sleep=sleep,
            rate_limiter=self.limiter,
            **api_options,
        )

    def __repr__(self) -> str:
        return f"<PloomesClient {self.base_url} User-Key=***>"

    @property
    def requests(self) -> int:
        """The HTTP requests this client sent: one per page, plus each one asked
        again (a 429, a 5xx retried, a malformed page) and each refused entity."""
        return self.api.sent

    def report(self) -> dict[str, int]:
        """``{"requests", "pages"}`` of what this client pulled so far."""
        return {"requests": self.requests, "pages": self.pages}

    def __enter__(self) -> PloomesClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.api.close()

    # -- one page

    def params(
        self, entity: Entity | str, skip: int, since: Any = None
    ) -> dict[str, str]:
        """The query of one page: ``$top``, ``$skip``, ``$orderby=Id``, the entity's
        ``$expand``/``$select`` and, for a delta pull, ``LastUpdateDate gt ...``."""
        spec = (
            BY_NAME.get(entity, Entity(entity)) if isinstance(entity, str) else entity
        )
        query = {
            "$top": str(self.page_size),
            "$skip": str(int(skip)),
            "$orderby": "Id",
        }
        if spec.expand:
            query["$expand"] = spec.expand
        if spec.select:
            query["$select"] = spec.select
        if since is not None and spec.delta:
            query["$filter"] = f"LastUpdateDate gt {odata_datetime(since)}"
        return query

    def fetch_page(
        self, entity: Entity | str, number: int, skip: int, since: Any = None
    ) -> tuple[bytes, list[dict]]:
        """``(exact body, records)`` of page ``number`` (1-based) at ``skip``. A body
        that is not an OData page is asked again up to ``page_retries`` times, with
        urllib3's exponential backoff, then :class:`PageError` names the entity, the
        page, its ``$skip`` and the tries (an interrupted pull resumes there)."""
        spec = (
            BY_NAME.get(entity, Entity(entity)) if isinstance(entity, str) else entity
        )
        retry = Retry(
            total=self.page_retries, backoff_factor=self.backoff_factor, other=None
        )
        while True:
            body = self._get_page(spec, number, skip, since)
            items, exc = self._parse(spec, number, body, skip)
            if exc is None:
                return body, items
            try:
                retry = retry.increment("GET", spec.name, error=exc)
            except MaxRetryError:
                tries = len(retry.history) + 1
                raise PageError(
                    spec.name,
                    number,
                    f"{exc.reason} (asked {tries} time{'s' if tries > 1 else ''})",
                    skip,
                ) from None
            delay = retry.get_backoff_time()
            _logger.warning(
                "%s: asking again in %.1f s (%d/%d)",
                exc,
                delay,
                len(retry.history),
                self.page_retries,
            )
            self.sleep(delay)

    def _parse(
        self, spec: Entity, number: int, body: bytes, skip: int
    ) -> tuple[list[dict] | None, PageError | None]:
        """``(records, None)``, or ``(None, the error)`` with its text redacted:
        it shows how the body starts, and a gateway's page may echo the key.
        Made outside the parser's handler, so that it chains no unredacted one."""
        try:
            return parse_page(spec.name, number, body, skip), None
        except PageError as exc:
            reason = self.api.redact(exc.reason)
        return None, PageError(spec.name, number, reason, skip)

    def _get_page(
        self, spec: Entity, number: int, skip: int, since: Any = None
    ) -> bytes:
        """The body of one page; an API error names the entity and the page."""
        try:
            response = self.api.request(
                "GET", spec.name, params=self.params(spec, skip, since)
            )
        except ApiError as exc:
            raise type(exc)(
                f"Ploomes {spec.name}, page {number} ($skip={skip}): {exc}",
                url=exc.url,
                status=exc.status,
                method=exc.method,
            ) from None
        return response.content

    # -- whole entities

    def pull_entity(
        self, entity: Entity | str, into: PageSet, since: Any = None
    ) -> int:
        """Every page of ``entity`` into ``into``, resuming after the pages it already
        holds; the number of pages fetched now."""
        spec = (
            BY_NAME.get(entity, Entity(entity)) if isinstance(entity, str) else entity
        )
        kept, skip, finished = into.progress(spec.name, self.page_size)
        if finished:
            into.finish(spec.name)
            return 0
        number = kept
        bodies: dict[int, bytes] = {}

        def fetch(offset: int, limit: int) -> list[dict]:
            body, items = self.fetch_page(spec, number + 1, offset, since)
            bodies[offset] = body
            return items

        fetched = 0
        for page in paginate(fetch, page_size=self.page_size, offset=skip):
            number += 1
            into.add(spec.name, number, bodies.pop(page.offset))
            fetched += 1
            self.pages += 1
            _logger.info(
                "Ploomes %s: page %d, %d records", spec.name, number, len(page.items)
            )
        into.finish(spec.name)
        return fetched

    def pull(
        self,
        entities: Iterable[Entity | str] | None = None,
        into: PageSet | None = None,
        since: Any = None,
    ) -> PageSet:
        """Pull ``entities`` (default :data:`ENTITIES`) into a :class:`PageSet` (a
        folder one resumes an interrupted pull). ``since``: a delta pull, only the
        records changed after it (lookups are always pulled whole). An optional
        entity the account does not offer (HTTP 403/404) is left out and listed in
        ``into.manifest["skipped"]``; a refused key raises :class:`AuthError`."""
        pages = into if into is not None else PageSet()
        pages.start(
            {
                "since": odata_datetime(since) if since is not None else None,
                "page_size": self.page_size,
            }
        )
        specs = [
            BY_NAME.get(e, Entity(e)) if isinstance(e, str) else e
            for e in (entities or ENTITIES)
        ]
        for spec in specs:
            try:
                self.pull_entity(spec, pages, since)
            except AuthError as exc:
                if not spec.optional or exc.status != 403 or spec.name == specs[0].name:
                    raise
                self._skip(pages, spec, exc)
            except ApiError as exc:
                if not spec.optional or exc.status != 404:
                    raise
                self._skip(pages, spec, exc)
        return pages

    @staticmethod
    def _skip(pages: PageSet, spec: Entity, exc: ApiError) -> None:
        _logger.warning("Ploomes %s not pulled: %s", spec.name, exc)
        skipped = pages.manifest.setdefault("skipped", {})
        skipped[spec.name] = f"HTTP {exc.status}"
        pages.finish(spec.name)


__all__ = [
    "BASE_URL",
    "BY_NAME",
    "ENTITIES",
    "PAGE_SIZE",
    "REQUESTS_PER_MINUTE",
    "Entity",
    "PageError",
    "PloomesClient",
    "odata_datetime",
]


def _mapping_key(credentials: Mapping[str, Any]) -> str:
    """The User-Key from a credentials mapping (``user_key`` / ``User-Key`` /
    ``api_key``)."""
    for name in ("user_key", "User-Key", "user-key", "userkey", "api_key", "key"):
        value = credentials.get(name)
        if value:
            return str(value)
    raise ValueError("Ploomes credentials need the account's User-Key ('user_key')")
