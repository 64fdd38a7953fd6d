"""Shared HTTP client for API pulls (every source with an API).

Pure Python, no Odoo. What every source's API client gets from here:

* :class:`ApiClient`: a ``requests.Session`` with an ``urllib3`` ``Retry`` mounted for
  connection errors, read errors and 5xx answers (exponential backoff), timeouts on
  every call, and an explicit HTTP 429 loop that honours ``Retry-After`` (seconds or an
  HTTP date) a bounded number of times. The ``sleep`` and ``now`` callables are
  injectable, so tests never wait. HTTP 401/403 raise :class:`AuthError` at once; any
  other 4xx/5xx left after the retries raises :class:`ApiError`; a body that is not JSON
  raises :class:`ApiError` naming the method and the URL (without secrets) and how the
  body starts.
* :func:`paginate`: offset paging for any API (``fetch(offset, limit) -> items``):
  ``pagingoffset``/``pagingsize`` parameters, OData ``$skip``/``$top``. It yields
  :class:`Page` objects whose ``next_offset`` is the resumable cursor: store it, and pass
  it back as ``offset=`` to go on where a run stopped. Bounded by ``max_pages``; a
  server that ignores the offset (the same page twice) raises instead of looping.
* Secrets never leave: :func:`redact` masks registered secret values and any
  ``apikey=``/``token=``/``password=``... parameter, ``User-Key:``/``Authorization:``
  header or JSON member; :class:`ApiError` redacts its message; errors from ``requests``
  are re-raised without their original exception attached (no chained traceback with
  a URL); the client's ``repr`` shows no credentials; a logging filter on this module's
  logger and on urllib3's loggers masks what they would print.

Writes must not be retried blindly: :class:`ApiClient` retries ``POST`` on 5xx and read
errors because API pulls (some APIs read with ``POST``) are idempotent; pass
``retry_methods=("GET",)`` to a client that writes.
"""

from __future__ import annotations

from .redaction import (
    DEFAULT_TIMEOUT,
    LOGGERS,
    MASK,
    MIN_SECRET_LENGTH,
    RETRY_METHODS,
    RETRY_STATUSES,
    RedactingFilter,
    install_log_filter,
    is_secret_name,
    redact,
    redact_mapping,
    redact_url,
    register_secret,
    unregister_secret,
)
from .session import (
    ApiError,
    AuthError,
    RateLimitError,
    RateLimiter,
    make_session,
    parse_retry_after,
)
from .client import ApiClient
from .paging import Page, iter_items, paginate

__all__ = [
    "ApiClient",
    "ApiError",
    "AuthError",
    "DEFAULT_TIMEOUT",
    "LOGGERS",
    "MASK",
    "MIN_SECRET_LENGTH",
    "Page",
    "RETRY_METHODS",
    "RETRY_STATUSES",
    "RateLimitError",
    "RateLimiter",
    "RedactingFilter",
    "install_log_filter",
    "is_secret_name",
    "iter_items",
    "make_session",
    "paginate",
    "parse_retry_after",
    "redact",
    "redact_mapping",
    "redact_url",
    "register_secret",
    "unregister_secret",
]
