"""Secrets never leave: masking of registered secret values and secret-named members in
text, URLs and mappings, and the log filter that applies it (logger ``engine.api``)."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

log = logging.getLogger(__package__)  # "engine.api", the package's one logger

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
    __package__,
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
