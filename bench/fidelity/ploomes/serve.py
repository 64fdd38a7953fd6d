#!/usr/bin/env python3
"""Serve saved Ploomes API pages the way the live API answers (loopback only).

    python bench/fidelity/ploomes/serve.py --dir DIR/exports --port 8765 [--key SECRET] [--flaky]

- ``GET /<Entity>?$top=&$skip=&$filter=&$orderby=Id`` over the records of
  ``DIR/<Entity>/page-*.json`` (their ``value`` arrays, concatenated).
- Header ``User-Key`` must equal ``--key`` (default ``test-user-key``): 401 otherwise.
- ``$top`` is capped at 300 (the documented maximum); no ``$top`` means 300.
- ``$filter``: ``LastUpdateDate gt|ge|lt|le <ISO datetime>`` (quoted or not, offset or Z),
  ``Id gt|ge|lt|le|eq N``, joined with ``and``; any other filter answers 400 (OData error body).
- ``$orderby``: ``Id`` / ``Id desc``; ``$select``: keeps only the listed top-level keys.
- ``--flaky``: the first request for each entity answers 429 with ``Retry-After: 1``; the
  first request with $skip > 0 answers 500 once; the first successful ``Deals`` page
  is sent as truncated (malformed) JSON once.
- ``--rate N``: answer 429 when more than N requests arrive within 60 s (default 0 = off;
  the public API's limit is about 120/min).

Standard library only. Every request is logged to stderr.
"""

import argparse
import glob
import json
import os
import re
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

MAX_TOP = 300
BASE_URL = "https://public-api2.ploomes.com"


def parse_dt(text):
    text = text.strip().strip("'\"")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt


OPS = {"gt": lambda a, b: a > b, "ge": lambda a, b: a >= b, "lt": lambda a, b: a < b,
       "le": lambda a, b: a <= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}
CLAUSE = re.compile(r"^\s*(LastUpdateDate|CreateDate|Id)\s+(gt|ge|lt|le|eq|ne)\s+(.+?)\s*$", re.I)


def compile_filter(expr):
    preds = []
    for part in re.split(r"\s+and\s+", expr.strip(), flags=re.I):
        m = CLAUSE.match(part)
        if not m:
            raise ValueError(f"unsupported $filter clause: {part!r}")
        field, op, raw = m.group(1), m.group(2).lower(), m.group(3)
        if field.lower() == "id":
            value = int(raw)
            preds.append(lambda r, o=op, v=value: r.get("Id") is not None and OPS[o](r["Id"], v))
        else:
            fname = "LastUpdateDate" if field.lower() == "lastupdatedate" else "CreateDate"
            value = parse_dt(raw)
            preds.append(lambda r, f=fname, o=op, v=value: bool(r.get(f)) and OPS[o](parse_dt(r[f]), v))
    return lambda rec: all(p(rec) for p in preds)


class Store:
    def __init__(self, root):
        self.entities = {}
        for folder in sorted(os.listdir(root)):
            path = os.path.join(root, folder)
            if not os.path.isdir(path):
                continue
            records, context = [], f"{BASE_URL}/$metadata#{folder}"
            for page in sorted(glob.glob(os.path.join(path, "page-*.json"))):
                with open(page, encoding="utf-8") as fh:
                    body = json.load(fh)
                context = body.get("@odata.context", context)
                records.extend(body.get("value", []))
            self.entities[folder.lower()] = (folder, context, records)


class State:
    def __init__(self, flaky, rate):
        self.flaky = flaky
        self.rate = rate
        self.lock = threading.Lock()
        self.seen_entities = set()
        self.did_500 = False
        self.did_malformed = False
        self.times = []


def make_handler(store, key, state):
    class Handler(BaseHTTPRequestHandler):
        server_version = "Microsoft-IIS/10.0"
        sys_version = ""

        def log_message(self, fmt, *args):
            sys.stderr.write("serve: " + (fmt % args) + "\n")

        def send_json(self, code, body, headers=None, raw=None):
            data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", "application/json; odata.metadata=minimal; charset=utf-8")
            self.send_header("OData-Version", "4.0")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, code, message, headers=None):
            self.send_json(code, {"error": {"code": str(code), "message": message}}, headers)

        def do_GET(self):
            if self.headers.get("User-Key") != key:
                return self.error(401, "Authorization has been denied for this request.")
            parts = urlsplit(self.path)
            entity = unquote(parts.path).strip("/")
            params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            found = store.entities.get(entity.lower())
            if not found:
                return self.error(404, f"No HTTP resource was found that matches the request URI '{entity}'.")
            name, context, records = found
            with state.lock:
                now = time.monotonic()
                state.times = [t for t in state.times if now - t < 60] + [now]
                if state.rate and len(state.times) > state.rate:
                    return self.error(429, "Too many requests", {"Retry-After": "1"})
                if state.flaky and name not in state.seen_entities:
                    state.seen_entities.add(name)
                    return self.error(429, "Too many requests", {"Retry-After": "1"})
            try:
                top = min(int(params.get("$top", MAX_TOP)), MAX_TOP)
                skip = int(params.get("$skip", 0))
                if top < 0 or skip < 0:
                    raise ValueError("negative $top/$skip")
                rows = records
                if params.get("$filter"):
                    rows = [r for r in rows if compile_filter(params["$filter"])(r)]
                order = params.get("$orderby", "").strip()
                if order:
                    if not re.fullmatch(r"Id(\s+(asc|desc))?", order, re.I):
                        raise ValueError(f"unsupported $orderby: {order!r}")
                    rows = sorted(rows, key=lambda r: r.get("Id") or 0, reverse=order.lower().endswith("desc"))
            except ValueError as exc:
                return self.error(400, f"The query specified in the URI is not valid. {exc}")
            page = rows[skip:skip + top]
            if params.get("$select"):
                keep = [s.strip() for s in params["$select"].split(",") if s.strip()]
                page = [{k: r[k] for k in keep if k in r} for r in page]
            with state.lock:
                if state.flaky and skip > 0 and not state.did_500:
                    state.did_500 = True
                    return self.error(500, "An error has occurred.")
                malformed = state.flaky and name == "Deals" and not state.did_malformed
                if malformed:
                    state.did_malformed = True
            body = {"@odata.context": context, "value": page}
            if malformed:
                raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
                return self.send_json(200, None, raw=raw[: max(20, len(raw) // 2)])
            return self.send_json(200, body)

        def do_POST(self):  # read-only replay
            self.error(405, "The requested resource does not support http method 'POST'.")

        do_PATCH = do_PUT = do_DELETE = do_POST

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True, help="the exports folder written by generate.py")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--key", default="test-user-key", help="expected User-Key header value")
    ap.add_argument("--flaky", action="store_true")
    ap.add_argument("--rate", type=int, default=0, help="requests per minute before 429 (0 = off)")
    args = ap.parse_args()
    store = Store(args.dir)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(store, args.key, State(args.flaky, args.rate)))
    sys.stderr.write(f"serve: {len(store.entities)} entities on http://127.0.0.1:{server.server_port}/\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
