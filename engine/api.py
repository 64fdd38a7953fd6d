"""Shared HTTP client for API pulls (AllClients today, Ploomes and others next).

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
  AllClients ``pagingoffset``/``pagingsize``, OData ``$skip``/``$top``. It yields
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
errors because API pulls (AllClients reads with ``POST``) are idempotent; pass
``retry_methods=("GET",)`` to a client that writes.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)

MASK = "***"
DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds
RETRY_STATUSES = (500, 502, 503, 504)
RETRY_METHODS = ("GET", "HEAD", "OPTIONS", "POST")

# names of parameters, form fields, headers and JSON members that hold secrets
_SECRET_NAME = (
    r"api[-_ ]?key|apikey|api[-_ ]?password|apipassword|api[-_ ]?token|"
    r"x[-_]api[-_]key|user[-_]?key|password|passwd|pwd|client[-_]?secret|secret|"
    r"(?:access|refresh|id|auth|bearer)[-_]?token|token|authorization|signature|"
    r"session[-_]?id|key"
)
_NAME_RE = re.compile(rf"^(?:{_SECRET_NAME})$", re.I)
# name=value in a query string or form body
_PARAM_RE = re.compile(rf"(?<![\w-])({_SECRET_NAME})=([^&\s'\"<>;,]+)", re.I)
# "name": "value" / 'name': 'value' (JSON, dict reprs)
_MEMBER_RE = re.compile(
    rf"([\"'])({_SECRET_NAME})\1(\s*:\s*)([\"'])(.*?)(?<!\\)\4", re.I
)
# Name: value header lines (User-Key: ..., Authorization: Bearer ...)
_HEADER_RE = re.compile(
    r"(?im)^(\s*(?:user-key|x-api-key|api-key|authorization|cookie|set-cookie)\s*:\s*)(.+)$"
)
MIN_SECRET_LENGTH = 4  # shorter values are not masked by value (too many false hits)

_REGISTRY: dict[str, int] = {}
_REGISTRY_LOCK = threading.Lock()


def is_secret_name(name: Any) -> bool:
    """True for parameter/header/field names that carry credentials (``apikey``,
    ``User-Key``, ``Authorization``, ``access_token``, ``password``...)."""
    return bool(_NAME_RE.match(str(name or "").strip()))


def register_secret(value: Any) -> None:
    """Mask ``value`` in every :func:`redact` (and so in errors and logs) until
    :func:`unregister_secret`; registrations are counted (two clients, one key)."""
    text = "" if value is None else str(value)
    if len(text) < MIN_SECRET_LENGTH:
        return
    with _REGISTRY_LOCK:
        _REGISTRY[text] = _REGISTRY.get(text, 0) + 1


def unregister_secret(value: Any) -> None:
    text = "" if value is None else str(value)
    with _REGISTRY_LOCK:
        count = _REGISTRY.get(text, 0) - 1
        if count > 0:
            _REGISTRY[text] = count
        else:
            _REGISTRY.pop(text, None)


def redact(text: Any, secrets: Iterable[Any] = ()) -> str:
    """``text`` with secrets masked as ``***``: the values in ``secrets`` and registered
    with :func:`register_secret` (also URL-encoded), then any secret-named query/form
    parameter, JSON member or header line, whatever its value."""
    out = "" if text is None else str(text)
    with _REGISTRY_LOCK:
        values = set(_REGISTRY)
    values.update(str(s) for s in secrets if s is not None)
    variants = set()
    for value in values:
        if len(value) < MIN_SECRET_LENGTH:
            continue
        variants.add(value)
        variants.add(urlencode({"": value})[1:])  # form/query encoding
        variants.add(json.dumps(value)[1:-1])  # JSON string escaping
    for value in sorted(variants, key=len, reverse=True):
        out = out.replace(value, MASK)
    out = _PARAM_RE.sub(lambda m: f"{m.group(1)}={MASK}", out)
    out = _MEMBER_RE.sub(
        lambda m: (
            f"{m.group(1)}{m.group(2)}{m.group(1)}{m.group(3)}{m.group(4)}{MASK}{m.group(4)}"
        ),
        out,
    )
    out = _HEADER_RE.sub(lambda m: f"{m.group(1)}{MASK}", out)
    return out


def redact_url(url: Any) -> str:
    """The URL with secret query parameters and any user:password masked."""
    text = "" if url is None else str(url)
    try:
        parts = urlsplit(text)
    except ValueError:
        return redact(text)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = "&".join(
            f"{urlencode({k: ''})[:-1]}={MASK}"
            if is_secret_name(k)
            else urlencode({k: v})
            for k, v in pairs
        )
    return redact(urlunsplit((parts.scheme, netloc, parts.path, query, "")))


def redact_mapping(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """A copy of ``data`` (params, form fields, headers) with secret-named values masked."""
    return {k: (MASK if is_secret_name(k) else v) for k, v in dict(data or {}).items()}


class RedactingFilter(logging.Filter):
    """Logging filter that masks secrets in the final message and exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave the record to logging
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text)
        return True


LOGGERS = (
    __name__,
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.util.retry",
    "requests",
)
_FILTER = RedactingFilter()


def install_log_filter(*names: str) -> None:
    """Attach the redacting filter to ``names`` (default: this module's logger and the
    urllib3/requests loggers that print URLs). Idempotent."""
    for name in names or LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


install_log_filter()


# --------------------------------------------------------------------------- errors


class ApiError(Exception):
    """An API call failed: ``str(e)`` is a readable reason with the method and URL,
    secrets masked. ``.url`` (redacted), ``.status`` (HTTP status or None), ``.method``."""

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        method: str | None = None,
    ):
        self.url = redact_url(url) if url else None
        self.status = status
        self.method = method
        super().__init__(redact(message))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, status={self.status!r})"


class AuthError(ApiError):
    """The credentials were refused (HTTP 401/403 or the API's own message)."""


class RateLimitError(ApiError):
    """Still rate limited (HTTP 429) after the allowed waits, or asked to wait too long."""


# --------------------------------------------------------------------------- helpers


def parse_retry_after(
    value: Any, now: Callable[[], float] | float | None = None
) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: ``"120"``, ``"1.5"`` or an HTTP
    date (``"Wed, 21 Oct 2015 07:28:00 GMT"``, counted from ``now``: a timestamp or a
    callable returning one; default the clock). Never negative; None when absent or
    unreadable."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    current = now() if callable(now) else (time.time() if now is None else now)
    return max(0.0, when.timestamp() - float(current))


def _timed_out(exc: BaseException) -> bool:
    """True when a requests/urllib3 error comes from a timeout (read or connect)."""
    from urllib3.exceptions import NewConnectionError
    from urllib3.exceptions import TimeoutError as Urllib3Timeout

    seen = 0
    node: Any = exc
    while node is not None and seen < 6:
        if isinstance(node, NewConnectionError):  # a timeout subclass in urllib3 1.26
            return False
        if isinstance(
            node, Urllib3Timeout | TimeoutError | requests.exceptions.Timeout
        ):
            return True
        nxt = getattr(node, "reason", None)
        if nxt is None and getattr(node, "args", None):
            nxt = node.args[0] if isinstance(node.args[0], BaseException) else None
        node = nxt if nxt is not node else None
        seen += 1
    return False


def _snippet(text: str, size: int = 80) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= size else text[: size - 1] + "…"


def make_session(
    retries: int = 3,
    backoff_factor: float = 0.5,
    statuses: Iterable[int] = RETRY_STATUSES,
    methods: Iterable[str] = RETRY_METHODS,
    pool_size: int = 10,
) -> requests.Session:
    """A session whose adapters retry connection/read errors and ``statuses`` with
    exponential backoff (``backoff_factor * 2 ** (n - 1)`` seconds; urllib3 sleeps).
    429 is not retried here: :class:`ApiClient` handles it with ``Retry-After``."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff_factor,
        status_forcelist=tuple(statuses),
        allowed_methods=frozenset(m.upper() for m in methods),
        raise_on_status=False,  # the last response comes back: ApiError says its status
        respect_retry_after_header=False,
    )
    adapter = HTTPAdapter(
        max_retries=retry, pool_connections=pool_size, pool_maxsize=pool_size
    )
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class RateLimiter:
    """At most ``calls`` requests in any ``period`` seconds (a sliding window), for
    APIs that document a quota (Ploomes: 120 a minute per account). ``acquire()``
    sleeps until a slot is free; ``sleep``/``now`` are injectable so tests never
    wait. One limiter may be shared by several clients of the same account."""

    def __init__(
        self,
        calls: int,
        period: float = 60.0,
        *,
        sleep: Callable[[float], Any] = time.sleep,
        now: Callable[[], float] = time.monotonic,
    ):
        if calls < 1 or period <= 0:
            raise ValueError("a rate limit needs calls >= 1 and a positive period")
        self.calls = int(calls)
        self.period = float(period)
        self.sleep = sleep
        self.now = now
        self._stamps: list[float] = []
        self._lock = threading.Lock()
        self.waited = 0.0  # total seconds slept (reported by pulls)

    def __repr__(self) -> str:
        return f"<RateLimiter {self.calls} per {self.period:g} s>"

    def acquire(self) -> float:
        """Take a slot, sleeping first when the window is full; the seconds slept."""
        slept = 0.0
        while True:
            with self._lock:
                current = self.now()
                horizon = current - self.period
                self._stamps = [t for t in self._stamps if t > horizon]
                if len(self._stamps) < self.calls:
                    self._stamps.append(current)
                    self.waited += slept
                    return slept
                delay = self._stamps[0] + self.period - current
            delay = max(delay, 0.001)
            log.debug(
                "rate limit of %d per %g s reached: waiting %.2f s",
                self.calls,
                self.period,
                delay,
            )
            self.sleep(delay)
            slept += delay


# --------------------------------------------------------------------------- client


class ApiClient:
    """HTTP client bound to one ``base_url`` (paths are joined to it).

    ``headers``: sent with every call; values of secret-named headers (``User-Key``,
    ``Authorization``...) are registered as secrets. ``secrets``: more values to mask
    (an API key sent as a form field). ``timeout``: seconds, or ``(connect, read)``.
    ``retries``/``backoff_factor``/``retry_statuses``/``retry_methods``: the urllib3
    ``Retry`` for connection errors and 5xx. ``max_rate_limit_waits``: how many 429s are
    waited out before :class:`RateLimitError`; ``max_retry_after``: the longest single
    wait accepted (a longer ``Retry-After`` raises at once); ``rate_limit_backoff``: the
    first wait when a 429 has no ``Retry-After`` (doubled each time). ``sleep``/``now``:
    injectable for tests. ``session``: a ready ``requests.Session`` (used as is: mount
    your own retries on it); by default one is made with :func:`make_session`.
    ``rate_limiter``: a :class:`RateLimiter` taken before every call (429 waits
    included), for APIs with a documented quota.
    """

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        secrets: Iterable[Any] = (),
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = 3,
        backoff_factor: float = 0.5,
        retry_statuses: Iterable[int] = RETRY_STATUSES,
        retry_methods: Iterable[str] = RETRY_METHODS,
        max_rate_limit_waits: int = 5,
        max_retry_after: float = 300.0,
        rate_limit_backoff: float = 2.0,
        sleep: Callable[[float], Any] = time.sleep,
        now: Callable[[], float] = time.time,
        session: requests.Session | None = None,
        rate_limiter: RateLimiter | None = None,
    ):
        self.base_url = str(base_url)
        self.rate_limiter = rate_limiter
        self.timeout = timeout
        self.max_rate_limit_waits = max(0, int(max_rate_limit_waits))
        self.max_retry_after = float(max_retry_after)
        self.rate_limit_backoff = float(rate_limit_backoff)
        self.sleep = sleep
        self.now = now
        self._own_session = session is None
        self.session = session or make_session(
            retries, backoff_factor, retry_statuses, retry_methods
        )
        self._headers = dict(headers or {})
        self._secrets = [str(s) for s in secrets if s not in (None, "")]
        self._secrets += [
            str(v) for k, v in self._headers.items() if is_secret_name(k) and v
        ]
        for value in self._secrets:
            register_secret(value)
        self._closed = False
        install_log_filter()

    # -- plumbing

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {redact_url(self.base_url)} credentials={MASK}>"

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the session (when this client made it) and forget the secrets."""
        if self._closed:
            return
        self._closed = True
        if self._own_session:
            self.session.close()
        for value in self._secrets:
            unregister_secret(value)

    def redact(self, text: Any) -> str:
        return redact(text, self._secrets)

    def url(self, path: str = "") -> str:
        """``base_url`` joined with ``path`` (an absolute URL is used as is)."""
        if re.match(r"^https?://", path or "", re.I):
            return path
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return urljoin(base, (path or "").lstrip("/"))

    # -- calls

    def request(
        self,
        method: str,
        path: str = "",
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """One call, with the retries and rate-limit waits; returns the 2xx/3xx
        response or raises :class:`ApiError` / :class:`AuthError` / :class:`RateLimitError`."""
        method = method.upper()
        url = self.url(path)
        extra = [
            str(v)
            for source in (params, data)
            for k, v in dict(source or {}).items()
            if is_secret_name(k) and v not in (None, "")
        ]
        extra += [str(v) for k, v in dict(headers or {}).items() if is_secret_name(k)]
        shown = redact_url(redact(url, [*self._secrets, *extra]))
        all_headers = {**self._headers, **dict(headers or {})}
        waits = 0
        while True:
            error: ApiError | None = None
            if self.rate_limiter is not None:
                self.rate_limiter.acquire()
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    json=json_body,
                    headers=all_headers,
                    timeout=self.timeout,
                )
            except requests.exceptions.Timeout:
                error = ApiError(
                    f"{method} {shown}: no answer within {self.timeout} s",
                    url=shown,
                    method=method,
                )
            except requests.exceptions.ConnectionError as exc:
                if _timed_out(exc):  # a read timeout once the retries are spent
                    error = ApiError(
                        f"{method} {shown}: no answer within {self.timeout} s",
                        url=shown,
                        method=method,
                    )
                else:
                    reason = self._reason(exc, extra)
                    error = ApiError(
                        f"{method} {shown}: cannot connect ({reason})",
                        url=shown,
                        method=method,
                    )
            except requests.exceptions.RequestException as exc:
                reason = self._reason(exc, extra)
                error = ApiError(
                    f"{method} {shown}: request failed ({reason})",
                    url=shown,
                    method=method,
                )
            if error is not None:
                # raised outside the except block: the original exception (whose text
                # may hold a URL with credentials) is not chained to it
                log.warning("%s", error)
                raise error
            status = response.status_code
            log.debug("%s %s -> HTTP %s", method, shown, status)
            if status == 429:
                delay = parse_retry_after(
                    response.headers.get("Retry-After"), now=self.now
                )
                response.close()
                if waits >= self.max_rate_limit_waits:
                    raise RateLimitError(
                        f"{method} {shown}: still rate limited (HTTP 429) after "
                        f"{waits} wait{'s' if waits != 1 else ''}",
                        url=shown,
                        status=status,
                        method=method,
                    )
                if delay is None:
                    delay = self.rate_limit_backoff * (2**waits)
                if delay > self.max_retry_after:
                    raise RateLimitError(
                        f"{method} {shown}: rate limited (HTTP 429); the server asks "
                        f"to wait {delay:.0f} s, more than the {self.max_retry_after:.0f} s "
                        "allowed: try again later",
                        url=shown,
                        status=status,
                        method=method,
                    )
                waits += 1
                log.info(
                    "%s %s: rate limited (HTTP 429), waiting %.1f s (%d/%d)",
                    method,
                    shown,
                    delay,
                    waits,
                    self.max_rate_limit_waits,
                )
                self.sleep(delay)
                continue
            if status in (401, 403):
                response.close()
                raise AuthError(
                    f"{method} {shown}: authentication failed (HTTP {status}); "
                    "check the API credentials",
                    url=shown,
                    status=status,
                    method=method,
                )
            if status >= 400:
                body = redact(_snippet(response.text, 200), [*self._secrets, *extra])
                response.close()
                raise ApiError(
                    f"{method} {shown}: HTTP {status} {response.reason or ''}".rstrip()
                    + (f": {body}" if body else ""),
                    url=shown,
                    status=status,
                    method=method,
                )
            return response

    def request_json(self, method: str, path: str = "", **kwargs: Any) -> Any:
        """:meth:`request` and decode the JSON body; a body that is not JSON raises
        :class:`ApiError` naming the URL (secrets masked), the status, the content type
        and how the body starts."""
        response = self.request(method, path, **kwargs)
        shown = redact_url(self.redact(response.url or self.url(path)))
        try:
            return response.json()
        except ValueError:
            pass
        try:  # a UTF-8 byte order mark before the JSON (ASP.NET servers send one)
            return json.loads(response.content.decode("utf-8-sig"))
        except ValueError:
            ctype = response.headers.get("Content-Type") or "no content type"
            start = self.redact(_snippet(response.text))
            error = ApiError(
                f"{method.upper()} {shown}: the answer is not valid JSON "
                f"(HTTP {response.status_code}, {ctype}, {len(response.content)} bytes"
                + (f"; it starts with {start!r})" if start else "; empty body)"),
                url=shown,
                status=response.status_code,
                method=method.upper(),
            )
        raise error

    def get_json(self, path: str = "", **kwargs: Any) -> Any:
        return self.request_json("GET", path, **kwargs)

    def post_json(self, path: str = "", **kwargs: Any) -> Any:
        return self.request_json("POST", path, **kwargs)

    def _reason(self, exc: Exception, extra: Iterable[str]) -> str:
        """A short, redacted reason for a requests/urllib3 failure."""
        inner = exc
        for _ in range(5):  # MaxRetryError(reason=NewConnectionError(...)) ...
            nxt = getattr(inner, "reason", None) or (
                inner.args[0] if inner.args else None
            )
            if isinstance(nxt, Exception) and nxt is not inner:
                inner = nxt
            else:
                break
        text = (
            f"{type(inner).__name__}: {inner}" if str(inner) else type(inner).__name__
        )
        return redact(_snippet(text, 200), [*self._secrets, *extra])


# --------------------------------------------------------------------------- paging


@dataclass
class Page:
    """One page of an offset-paged listing. ``next_offset`` is the cursor to resume
    from (None after the last page)."""

    offset: int
    items: list
    next_offset: int | None

    @property
    def last(self) -> bool:
        return self.next_offset is None


def _fingerprint(items: list) -> str:
    payload = json.dumps(items, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def paginate(
    fetch: Callable[[int, int], Iterable[Any]],
    *,
    page_size: int = 100,
    offset: int = 0,
    max_pages: int = 100_000,
) -> Iterator[Page]:
    """Pages of ``fetch(offset, limit)`` until a short page (fewer than ``page_size``
    items, possibly none). ``offset``: where to start, e.g. the ``next_offset`` of the
    last page a previous run processed (resumable cursor). At most ``max_pages`` calls,
    then :class:`ApiError`. A page larger than ``page_size`` (the server ignores the
    limit) is taken as everything and ends the listing; the same full page twice in a
    row (the server ignores the offset) raises :class:`ApiError` instead of looping."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    if offset < 0:
        raise ValueError("offset must not be negative")
    previous = None
    for _ in range(max_pages):
        items = list(fetch(offset, page_size) or ())
        if len(items) > page_size:
            log.warning(
                "the server returned %d items for a page of %d at offset %d: "
                "taking them as the whole listing",
                len(items),
                page_size,
                offset,
            )
            yield Page(offset, items, None)
            return
        if len(items) < page_size:
            yield Page(offset, items, None)
            return
        fingerprint = _fingerprint(items)
        if fingerprint == previous:
            raise ApiError(
                f"the page at offset {offset} repeats the previous page: "
                "the server seems to ignore the paging offset"
            )
        previous = fingerprint
        yield Page(offset, items, offset + len(items))
        offset += len(items)
    raise ApiError(
        f"stopped after {max_pages} pages (next offset {offset}); "
        "resume from that offset or raise max_pages"
    )


def iter_items(pages: Iterable[Page]) -> Iterator[Any]:
    """The items of ``pages``, in order."""
    for page in pages:
        yield from page.items
