"""API errors, ``Retry-After`` reading, the retrying ``requests`` session and the rate limiter."""

from __future__ import annotations

import datetime as dt
import email.utils
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .redaction import RETRY_METHODS, RETRY_STATUSES, log, redact, redact_url

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
    APIs that document a quota (e.g. 120 a minute per account). ``acquire()``
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
