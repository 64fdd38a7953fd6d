"""A loopback Ploomes API for the tests: ``http.server`` on 127.0.0.1 in a thread.

It behaves the way the documented API does: ``GET /<Entity>`` with the ``User-Key``
header (a wrong key: HTTP 401), OData ``$top`` (at most 300), ``$skip``,
``$orderby=Id`` and ``$filter=LastUpdateDate gt <ISO date-time>``, answering
``{"@odata.context": ..., "value": [...]}`` written by the same ``dump_page`` as the
saved samples (so page 1 of a 300-record page is byte for byte the sample file).
Unknown entities answer 404.

Faults are scripted per request: ``server.fail(entity, skip, kind, times=1)`` with
``kind`` one of ``"429"`` (with ``Retry-After: 7``), ``"500"``, ``"timeout"`` (answers
after ``slow`` seconds), ``"malformed"`` (a cut JSON body), ``"shape"`` (a JSON list).
Every request is kept in ``server.requests`` as ``(entity, query dict, headers)``.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

try:  # the Odoo tests import it as part of the addon
    from ..sources.ploomes.pages import PageSet, dump_page
except ImportError:  # the engine's own tests, from the engine folder
    from engine.sources.ploomes.pages import PageSet, dump_page

MAX_TOP = 300
KEY = "PLOOMES-TEST-KEY-7f3a9c1e5b"
_FILTER_RE = re.compile(r"^LastUpdateDate gt (\S+)$")


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))


class PloomesServer:
    def __init__(self, records: dict[str, list[dict]], key: str = KEY, slow=1.0):
        self.records = {e: sorted(r, key=lambda x: x["Id"]) for e, r in records.items()}
        self.key = key
        self.slow = slow
        self.requests: list[tuple[str, dict, dict]] = []
        self.faults: dict[tuple[str, int], list[str]] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall per page

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 (http.server's name)
                status, headers, body = server.answer(self)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:  # the client gave up (timeout test)
                    pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @classmethod
    def from_pages(cls, folder, **kwargs) -> PloomesServer:
        pages = PageSet.open(folder)
        return cls({e: pages.records(e) for e in pages.entities()}, **kwargs)

    def __enter__(self) -> PloomesServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail(self, entity: str, skip: int, kind: str, times: int = 1) -> None:
        self.faults.setdefault((entity, skip), []).extend([kind] * times)

    def count(self, entity: str) -> int:
        return sum(1 for e, _q, _h in self.requests if e == entity)

    def answer(self, handler) -> tuple[int, dict, bytes]:
        parts = urlsplit(handler.path)
        entity = unquote(parts.path.strip("/"))
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append((entity, query, dict(handler.headers)))
        if handler.headers.get("User-Key") != self.key:
            return (
                401,
                {"Content-Type": "application/json"},
                b'{"error":"unauthorized"}',
            )
        if entity not in self.records:
            return 404, {"Content-Type": "application/json"}, b'{"error":"not found"}'
        top = min(int(query.get("$top", MAX_TOP)), MAX_TOP)
        skip = int(query.get("$skip", 0))
        with self._lock:
            queue = self.faults.get((entity, skip)) or []
            fault = queue.pop(0) if queue else None
        if fault == "429":
            return 429, {"Retry-After": "7"}, b""
        if fault == "500":
            return 500, {"Content-Type": "text/plain"}, b"Internal Server Error"
        if fault == "timeout":
            time.sleep(self.slow)
        items = self.records[entity]
        if query.get("$orderby", "Id") != "Id":
            return 400, {}, b'{"error":"only $orderby=Id in this server"}'
        flt = query.get("$filter")
        if flt:
            m = _FILTER_RE.match(flt)
            if not m:
                return 400, {}, b'{"error":"unsupported $filter"}'
            since = _when(m.group(1))
            items = [
                r
                for r in items
                if r.get("LastUpdateDate") and _when(r["LastUpdateDate"]) > since
            ]
        body = dump_page(entity, items[skip : skip + top])
        if fault == "malformed":
            body = body[: len(body) // 2]
        if fault == "shape":
            body = b'[{"Id": 1}]'
        return 200, {"Content-Type": "application/json; charset=utf-8"}, body
