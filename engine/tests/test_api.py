"""engine.api: the shared HTTP client, against a loopback server started here.

The server (``Loopback``) is ``http.server`` on 127.0.0.1, port 0, in a thread; every
test gives it a script (a function of the request). It answers at most
``max_requests`` requests (then HTTP 400, so a runaway loop fails fast), stops itself
after ``lifetime`` seconds whatever happens, and is shut down when the test ends.
``engine/tests/test_sources_allclients.py`` reuses it.
"""

from __future__ import annotations

import email.utils
import json
import logging
import socket
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from engine import api
from engine.api import (
    ApiClient,
    ApiError,
    AuthError,
    Page,
    RateLimitError,
    iter_items,
    paginate,
    parse_retry_after,
    redact,
    redact_url,
)

SECRET = "s3cr3t-API-key-0042"


# ------------------------------------------------------------------ the loopback server


class Request:
    def __init__(self, method, path, query, form, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.form = form
        self.headers = headers
        self.body = body


class Loopback:
    """A scripted HTTP server: ``script(request, n) -> (status, headers, body)`` where
    ``n`` counts the requests from 1; ``body`` is bytes, str or a JSON-able object."""

    def __init__(self, script, max_requests: int = 40, lifetime: float = 20.0):
        self.script = script
        self.max_requests = max_requests
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stopped = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep the test output clean
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                form = {
                    k: v[0]
                    for k, v in parse_qs(body.decode("utf-8", "replace")).items()
                }
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                req = Request(
                    self.command, parts.path, query, form, dict(self.headers), body
                )
                with server._lock:
                    server.requests.append(req)
                    n = len(server.requests)
                if n > server.max_requests:
                    status, headers, payload = 400, {}, "request budget exceeded"
                else:
                    status, headers, payload = server.script(req, n)
                if isinstance(payload, bytes):
                    data = payload
                elif isinstance(payload, str):
                    data = payload.encode("utf-8")
                else:
                    data = json.dumps(payload).encode("utf-8")
                    headers = {"Content-Type": "application/json", **headers}
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client that gave up (timeout test): nothing to report

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._watchdog = threading.Timer(lifetime, self.stop)
        self._watchdog.daemon = True

    def __enter__(self) -> Loopback:
        self._thread.start()
        self._watchdog.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._watchdog.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)


def client(server: Loopback, sleeps: list | None = None, **kw) -> ApiClient:
    options = dict(
        secrets=[SECRET],
        backoff_factor=0,
        timeout=5,
        sleep=(sleeps.append if sleeps is not None else _no_sleep),
    )
    options.update(kw)
    return ApiClient(server.url + "/api/", **options)


def _no_sleep(seconds):  # pragma: no cover - a test that sleeps is a bug
    raise AssertionError(f"unexpected sleep({seconds})")


def _secret_free(*texts):
    for text in texts:
        assert SECRET not in str(text), text


# ------------------------------------------------------------------ redaction


def test_redact_masks_values_and_secret_names():
    assert redact(f"key is {SECRET}", [SECRET]) == "key is ***"
    text = (
        "POST https://x.example/api/2/GetContacts.aspx?accountid=4711&apikey=abc123&x=1"
    )
    assert redact(text) == (
        "POST https://x.example/api/2/GetContacts.aspx?accountid=4711&apikey=***&x=1"
    )
    assert redact("access_token=eyJhbGci.x.y; token=zzzz") == (
        "access_token=***; token=***"
    )
    assert (
        redact('{"apikey": "abc", "name": "Ana"}') == '{"apikey": "***", "name": "Ana"}'
    )
    assert redact("{'password': 'hunter22'}") == "{'password': '***'}"
    assert redact("User-Key: 9F8E7D6C\nAccept: json") == "User-Key: ***\nAccept: json"
    assert redact("Authorization: Bearer abc.def") == "Authorization: ***"
    # url-encoded and JSON-escaped forms of a registered value
    weird = "a+b/c=d&e"
    assert redact("apikey=a%2Bb%2Fc%3Dd%26e", [weird]) == "apikey=***"
    assert "a+b" not in redact(json.dumps({"k": weird}), [weird])
    # innocent text is left alone; short values are not masked by value
    assert redact("monkey=1&keys=2", ["ab"]) == "monkey=1&keys=2"
    assert redact(None) == ""


def test_register_and_unregister_secret():
    value = "registered-secret-77"
    api.register_secret(value)
    api.register_secret(value)  # two clients, one key
    try:
        assert redact(f"x {value} y") == "x *** y"
        api.unregister_secret(value)
        assert redact(f"x {value} y") == "x *** y"  # still held by the other
    finally:
        api.unregister_secret(value)
    assert redact(f"x {value} y") == f"x {value} y"


def test_redact_url_and_mapping():
    url = (
        f"https://user:pw@api.example/v1/Contacts?$top=10&User-Key={SECRET}&apikey=abc"
    )
    shown = redact_url(url)
    assert shown.startswith("https://***@api.example/v1/Contacts?")
    assert "%24top=10" in shown or "$top=10" in shown
    _secret_free(shown)
    assert "abc" not in shown and "pw" not in shown
    assert api.redact_mapping({"apikey": "x", "accountid": 5}) == {
        "apikey": "***",
        "accountid": 5,
    }
    assert api.is_secret_name("User-Key") and api.is_secret_name("apikey")
    assert not api.is_secret_name("pagingsize")


def test_log_filter_masks_urllib3_and_own_messages(caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("urllib3.connectionpool").debug(
        '"GET /x?apikey=%s HTTP/1.1" 200 2', "plain-value-123"
    )
    logging.getLogger("engine.api").info("calling with apikey=%s", "another-123")
    assert "plain-value-123" not in caplog.text
    assert "another-123" not in caplog.text
    assert caplog.text.count("apikey=***") == 2


# ------------------------------------------------------------------ Retry-After


def test_parse_retry_after():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("soon") is None
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after(date, now=lambda: now) == pytest.approx(30, abs=1)
    past = email.utils.formatdate(now - 600, usegmt=True)
    assert parse_retry_after(past, now=now) == 0.0


# ------------------------------------------------------------------ paging


def _fetcher(items, calls):
    def fetch(offset, limit):
        calls.append((offset, limit))
        return items[offset : offset + limit]

    return fetch


def test_paginate_until_a_short_page():
    items = list(range(7))
    calls = []
    pages = list(paginate(_fetcher(items, calls), page_size=3))
    assert [p.items for p in pages] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [p.offset for p in pages] == [0, 3, 6]
    assert [p.next_offset for p in pages] == [3, 6, None]
    assert pages[-1].last and not pages[0].last
    assert calls == [(0, 3), (3, 3), (6, 3)]


def test_paginate_exact_multiple_ends_on_an_empty_page():
    calls = []
    pages = list(paginate(_fetcher(list(range(6)), calls), page_size=3))
    assert [p.items for p in pages] == [[0, 1, 2], [3, 4, 5], []]
    assert list(iter_items(pages)) == list(range(6))


def test_paginate_resumes_from_a_stored_cursor():
    items = list(range(10))
    first = paginate(_fetcher(items, []), page_size=4)
    page = next(first)
    cursor = page.next_offset  # the caller stores this after processing the page
    assert cursor == 4
    calls = []
    rest = list(
        iter_items(paginate(_fetcher(items, calls), page_size=4, offset=cursor))
    )
    assert rest == list(range(4, 10))
    assert calls[0] == (4, 4)


def test_paginate_is_bounded():
    same = [1, 2, 3]
    with pytest.raises(ApiError, match="repeats the previous page"):
        list(paginate(lambda off, lim: same, page_size=3))
    with pytest.raises(ApiError, match="stopped after 2 pages .next offset 6"):
        list(
            paginate(
                lambda off, lim: list(range(off, off + lim)), page_size=3, max_pages=2
            )
        )
    # a server that ignores the limit: its one big page is the whole listing
    pages = list(paginate(lambda off, lim: list(range(50)), page_size=10))
    assert len(pages) == 1 and len(pages[0].items) == 50 and pages[0].last
    with pytest.raises(ValueError):
        list(paginate(lambda off, lim: [], page_size=0))


def test_odata_style_paging_over_http():
    """The same helper serves an OData API ($top/$skip, {"value": [...]}, User-Key)."""
    rows = [{"Id": i, "Name": f"Contact {i}"} for i in range(1, 8)]

    def script(req, n):
        if req.headers.get("User-Key") != SECRET:
            return 401, {}, {"error": "no key"}
        skip, top = int(req.query["$skip"]), int(req.query["$top"])
        return 200, {}, {"@odata.context": "x", "value": rows[skip : skip + top]}

    with Loopback(script) as server:
        with client(server, headers={"User-Key": SECRET}) as c:
            pages = paginate(
                lambda off, lim: c.get_json(
                    "Contacts", params={"$top": lim, "$skip": off}
                )["value"],
                page_size=3,
            )
            got = list(iter_items(pages))
        assert got == rows
        assert len(server.requests) == 3
        assert repr(c).count(SECRET) == 0


# ------------------------------------------------------------------ retries and errors


def test_429_with_retry_after_seconds_then_success():
    def script(req, n):
        if n == 1:
            return 429, {"Retry-After": "2"}, {"error": "slow down"}
        return 200, {}, {"ok": True}

    sleeps = []
    with Loopback(script) as server, client(server, sleeps) as c:
        assert c.post_json("GetContacts.aspx", data={"apikey": SECRET}) == {"ok": True}
    assert sleeps == [2.0]
    assert len(server.requests) == 2


def test_429_with_retry_after_http_date():
    now = 1_700_000_000.0
    when = email.utils.formatdate(now + 7, usegmt=True)

    def script(req, n):
        return (429, {"Retry-After": when}, "") if n == 1 else (200, {}, {"ok": 1})

    sleeps = []
    with Loopback(script) as server, client(server, sleeps, now=lambda: now) as c:
        assert c.get_json("x") == {"ok": 1}
    assert sleeps == [pytest.approx(7, abs=1)]


def test_429_without_retry_after_backs_off_and_is_bounded():
    sleeps = []
    with Loopback(lambda req, n: (429, {}, "busy")) as server:
        with client(
            server, sleeps, max_rate_limit_waits=3, rate_limit_backoff=0.5
        ) as c:
            with pytest.raises(
                RateLimitError, match="still rate limited .HTTP 429. after 3 waits"
            ) as err:
                c.get_json("x", params={"apikey": SECRET})
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(server.requests) == 4
    assert err.value.status == 429
    _secret_free(str(err.value), repr(err.value))


def test_429_asking_too_long_a_wait_raises_at_once():
    sleeps = []
    script = lambda req, n: (429, {"Retry-After": "3600"}, "")  # noqa: E731
    with Loopback(script) as server, client(server, sleeps, max_retry_after=60) as c:
        with pytest.raises(RateLimitError, match="wait 3600 s, more than the 60 s"):
            c.get_json("x")
    assert sleeps == [] and len(server.requests) == 1


def test_500_then_success_is_retried_by_urllib3():
    def script(req, n):
        return (500, {}, "boom") if n == 1 else (200, {}, {"contacts": []})

    with Loopback(script) as server, client(server) as c:
        assert c.post_json("GetContacts.aspx", data={"accountid": "1"}) == {
            "contacts": []
        }
    assert len(server.requests) == 2
    assert server.requests[1].form == {"accountid": "1"}


def test_500_forever_gives_up_with_the_status():
    with Loopback(lambda req, n: (503, {}, "down for maintenance")) as server:
        with client(server, retries=2) as c:
            with pytest.raises(ApiError, match="HTTP 503") as err:
                c.get_json("x", params={"apikey": SECRET})
    assert err.value.status == 503
    assert len(server.requests) == 3  # the first try + 2 retries
    _secret_free(str(err.value))


def test_bad_json_body_is_a_clear_api_error():
    body = f"<html><body>Oops {SECRET}</body></html>"
    with Loopback(lambda req, n: (200, {"Content-Type": "text/html"}, body)) as server:
        with client(server) as c:
            with pytest.raises(ApiError) as err:
                c.get_json("GetContacts.aspx", params={"apikey": SECRET, "page": 1})
    message = str(err.value)
    assert "not valid JSON" in message and "text/html" in message
    assert "/api/GetContacts.aspx" in message and "page=1" in message
    assert "starts with '<html><body>Oops ***" in message
    assert "apikey=***" in message
    _secret_free(message, repr(err.value), err.value.url)


def test_json_with_a_byte_order_mark_is_read():
    body = b"\xef\xbb\xbf" + json.dumps({"contacts": []}).encode()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    with Loopback(lambda req, n: (200, headers, body)) as server, client(server) as c:
        assert c.get_json("x") == {"contacts": []}


def test_auth_failure_is_not_retried():
    with Loopback(lambda req, n: (401, {}, {"error": "bad key"})) as server:
        with client(server) as c:
            with pytest.raises(
                AuthError, match="authentication failed .HTTP 401."
            ) as err:
                c.post_json("GetContacts.aspx", data={"apikey": SECRET})
    assert len(server.requests) == 1
    _secret_free(str(err.value))


def test_other_4xx_names_the_status_and_body():
    with Loopback(lambda req, n: (404, {}, f"no such method, key {SECRET}")) as server:
        with client(server) as c:
            with pytest.raises(
                ApiError, match="HTTP 404 Not Found: no such method, key \\*\\*\\*"
            ):
                c.get_json("Nope.aspx")


def test_timeout_is_an_api_error():
    def script(req, n):
        time.sleep(0.6)
        return 200, {}, {}

    with Loopback(script) as server, client(server, timeout=0.2, retries=0) as c:
        with pytest.raises(ApiError, match="no answer within 0.2 s"):
            c.get_json("slow")


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_connection_error_carries_no_secret_and_no_chained_exception():
    base = f"http://127.0.0.1:{_closed_port()}/api/"
    c = ApiClient(base, secrets=[SECRET], retries=1, backoff_factor=0, timeout=2)
    with c, pytest.raises(ApiError, match="cannot connect") as err:
        c.get_json("GetContacts.aspx", params={"apikey": SECRET})
    exc = err.value
    assert exc.__cause__ is None and exc.__context__ is None
    _secret_free(str(exc), repr(exc), "".join(traceback.format_exception(exc)))


def test_secret_never_in_errors_or_logs(caplog):
    caplog.set_level(logging.DEBUG)

    def script(req, n):
        if n == 1:
            return 500, {}, f"error for key {SECRET}"
        if n == 2:
            return 429, {"Retry-After": "0"}, ""
        return 200, {}, f"not json {SECRET}"

    sleeps = []
    with Loopback(script) as server:
        c = client(server, sleeps)
        with c, pytest.raises(ApiError) as err:
            c.get_json(
                "GetContacts.aspx", params={"accountid": "4711", "apikey": SECRET}
            )
        assert repr(c).count("***") == 1
    assert len(server.requests) == 3 and sleeps == [0.0]
    assert server.requests[0].query["apikey"] == SECRET  # it was really sent
    text = caplog.text
    assert "GetContacts.aspx" in text  # the calls were logged ...
    _secret_free(  # ... without the key
        text,
        str(err.value),
        repr(err.value),
        "".join(traceback.format_exception(err.value)),
        *(r.getMessage() for r in caplog.records),
    )


def test_close_forgets_the_secrets_and_repr_hides_headers():
    c = ApiClient("https://api.example/", headers={"User-Key": "header-secret-1"})
    assert "header-secret-1" not in repr(c)
    assert redact("x header-secret-1") == "x ***"
    c.close()
    c.close()  # idempotent
    assert redact("x header-secret-1") == "x header-secret-1"


def test_url_joining():
    c = ApiClient("https://www.allclients.com/api/2")
    try:
        assert (
            c.url("GetContacts.aspx")
            == "https://www.allclients.com/api/2/GetContacts.aspx"
        )
        assert (
            c.url("/GetContacts.aspx")
            == "https://www.allclients.com/api/2/GetContacts.aspx"
        )
        assert c.url("https://other.example/x") == "https://other.example/x"
    finally:
        c.close()


def test_page_dataclass():
    page = Page(0, [1], None)
    assert page.last and Page(0, [1], 1).last is False
