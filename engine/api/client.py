"""``ApiClient``: one source's HTTP client (timeouts, retries, auth errors, redacted logs)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urljoin

import requests

from .redaction import (
    DEFAULT_TIMEOUT,
    MASK,
    RETRY_METHODS,
    RETRY_STATUSES,
    install_log_filter,
    is_secret_name,
    log,
    redact,
    redact_url,
    register_secret,
    unregister_secret,
)
from .session import (
    ApiError,
    AuthError,
    RateLimiter,
    RateLimitError,
    _snippet,
    _timed_out,
    make_session,
    parse_retry_after,
)

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
        # HTTP requests sent, urllib3's retries of a 5xx and each 429 included
        self.sent = 0
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
        extra = _call_secrets(params, data, headers)
        shown = redact_url(redact(url, [*self._secrets, *extra]))
        call = {
            "params": params,
            "data": data,
            "json": json_body,
            "headers": {**self._headers, **dict(headers or {})},
            "timeout": self.timeout,
        }
        waits = 0
        while True:
            response = self._send(method, url, shown, extra, call)
            status = response.status_code
            log.debug("%s %s -> HTTP %s", method, shown, status)
            if status != 429:
                self._raise_for_status(method, shown, extra, response)
                return response
            self._wait_rate_limit(method, shown, response, waits)
            waits += 1

    def _send(
        self, method: str, url: str, shown: str, extra: list[str], call: dict
    ) -> requests.Response:
        """One attempt (urllib3 retries the 5xx and lost connections inside it); a
        failure without an answer raises :class:`ApiError` with a redacted reason."""
        error: ApiError | None = None
        if self.rate_limiter is not None:
            self.rate_limiter.acquire()
        try:
            response = self.session.request(method, url, **call)
            self.sent += _attempts(response)
        except requests.exceptions.Timeout:
            self.sent += 1
            error = self._no_answer(method, shown)
        except requests.exceptions.ConnectionError as exc:
            self.sent += 1
            if _timed_out(exc):  # a read timeout once the retries are spent
                error = self._no_answer(method, shown)
            else:
                reason = self._reason(exc, extra)
                error = ApiError(
                    f"{method} {shown}: cannot connect ({reason})",
                    url=shown,
                    method=method,
                )
        except requests.exceptions.RequestException as exc:
            self.sent += 1
            reason = self._reason(exc, extra)
            error = ApiError(
                f"{method} {shown}: request failed ({reason})", url=shown, method=method
            )
        if error is not None:
            # raised outside the except block: the original exception (whose text
            # may hold a URL with credentials) is not chained to it
            log.warning("%s", error)
            raise error
        return response

    def _no_answer(self, method: str, shown: str) -> ApiError:
        return ApiError(
            f"{method} {shown}: no answer within {self.timeout} s",
            url=shown,
            method=method,
        )

    def _wait_rate_limit(
        self, method: str, shown: str, response: requests.Response, waits: int
    ) -> None:
        """Sleep as an HTTP 429 asks (Retry-After, else an exponential backoff), or
        raise :class:`RateLimitError` when the waits are spent or the wait is too long."""
        status = response.status_code
        delay = parse_retry_after(response.headers.get("Retry-After"), now=self.now)
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
        log.info(
            "%s %s: rate limited (HTTP 429), waiting %.1f s (%d/%d)",
            method,
            shown,
            delay,
            waits + 1,
            self.max_rate_limit_waits,
        )
        self.sleep(delay)

    def _raise_for_status(
        self, method: str, shown: str, extra: list[str], response: requests.Response
    ) -> None:
        """:class:`AuthError` for 401/403, :class:`ApiError` (with the start of the
        body, secrets masked) for any other 4xx/5xx left after the retries."""
        status = response.status_code
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


def _attempts(response: requests.Response) -> int:
    """The HTTP requests behind one response: urllib3 retries a 5xx or a dropped
    connection inside the session and keeps each earlier try in its ``Retry``'s
    ``history``."""
    retries = getattr(getattr(response, "raw", None), "retries", None)
    return 1 + len(getattr(retries, "history", None) or ())


def _call_secrets(
    params: Mapping[str, Any] | None,
    data: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
) -> list[str]:
    """The values of one call's secret-named parameters and headers (masked in
    every message about that call)."""
    extra = [
        str(v)
        for source in (params, data)
        for k, v in dict(source or {}).items()
        if is_secret_name(k) and v not in (None, "")
    ]
    return extra + [str(v) for k, v in dict(headers or {}).items() if is_secret_name(k)]
