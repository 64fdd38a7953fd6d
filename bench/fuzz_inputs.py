"""Deterministic mutation fuzzer for bad input: the corpus (tests/data/bad), the
samples and a few hand-made shapes, mutated with fixed seeds, driven through
engine.readers, engine.profile, engine.propose and engine.transform.

Every exception that is not the documented refusal (ReadError naming the file)
or a per-value ValueError of a transform is a finding; so is a text the engine
hands on that PostgreSQL cannot store (a NUL, a lone surrogate). Findings are
grouped by (exception, innermost engine frame).

    /opt/odoo18/venv/bin/python bench/fuzz_inputs.py [--per-file N] [--seed S] [--keep DIR]

--keep writes one example file per class to DIR. Not a test: it is slow and
its inputs are many; a class it finds gets a fix and a small regression test.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import signal
import sys
import traceback
import zipfile
from collections import defaultdict

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir))
sys.path.insert(0, ROOT)

from engine import readers  # noqa: E402
from engine.profile import profile_table  # noqa: E402
from engine.propose import propose_fields  # noqa: E402
from engine.propose.catalogue import TARGETS  # noqa: E402
from engine.transform.registry import TRANSFORMS, apply  # noqa: E402

EXTS = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".zip")
MAX_ROWS = 400
BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
ODD = [
    "1e400", "-0", "NaN", "nan", "inf", "-inf", "99999999999999999999999",
    "0000-00-00", "9999-12-31", "31/02/2024", "00/00/0000", "2024-13-45",
    "1.7976931348623157e309", "0x1F", "1_000", "١٢٣", "Ⅻ", "½", "--1", "1,2,3.4.5",
    "R$ -", "€", "true", "\u00a0", "\u200b", "\x00", "\ud800", "\x1b[31m",
    "=1+1", "99999-99-99 99:99:99", "2024-02-30T25:61:61+99:00", "1e-400",
    "@", "a@b@c", "+" + "9" * 40, "(((((", "9" * 5000,
]


def corpus_files() -> list[tuple[str, bytes]]:
    out = []
    for base in ("tests/data", "samples"):
        for dirpath, _dirs, files in os.walk(os.path.join(ROOT, base)):
            for f in sorted(files):
                if f.lower().endswith(EXTS):
                    path = os.path.join(dirpath, f)
                    if os.path.getsize(path) <= 2 * 1024 * 1024:
                        with open(path, "rb") as fh:
                            out.append((f, fh.read()))
    return sorted(out)


# ------------------------------------------------------------------ mutations


def m_flip(rng, name, data):
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return name, bytes(b)


def m_truncate(rng, name, data):
    return name, data[: rng.randrange(max(1, len(data)))]


def m_insert(rng, name, data):
    junk = rng.choice([
        b"\x00", b"\x01\x02\x1f", b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82",
        b"\x80\x80\x80", b"\r", b'"', b'\\ud800', b'\\u0000', b"\x0b\x0c\x1c\x1d\x1e",
        b"\xef\xbb\xbf", "\u2028\u2029".encode(),
    ])
    pos = rng.randrange(len(data) + 1)
    return name, data[:pos] + junk + data[pos:]


def m_odd_value(rng, name, data):
    if name.endswith((".xlsx", ".xlsm", ".zip")):
        return m_flip(rng, name, data)
    text = data.decode("utf-8", "surrogatepass") if _utf8(data) else None
    if text is None:
        return m_insert(rng, name, data)
    sep = "," if text.count(",") >= text.count(";") else ";"
    if name.endswith(".json"):
        val = rng.choice(ODD)
        pos = text.find('"', rng.randrange(len(text) or 1))
        if pos < 0:
            return name, data
        lit = json.dumps(val)
        if rng.random() < 0.3:
            lit = '"\\ud800x"'
        text = text[:pos] + lit + "," + text[pos:] if False else text.replace(
            text[pos: text.find('"', pos + 1) + 1], lit, 1)
        return name, text.encode("utf-8", "surrogatepass")
    lines = text.split("\n")
    i = rng.randrange(1, max(2, len(lines)))
    if i < len(lines):
        cells = lines[i].split(sep)
        cells[rng.randrange(len(cells))] = rng.choice(ODD)
        lines[i] = sep.join(cells)
    return name, "\n".join(lines).encode("utf-8", "surrogatepass")


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def m_headers(rng, name, data):
    if not _utf8(data) or name.endswith((".json", ".xlsx", ".xlsm", ".zip")):
        return m_insert(rng, name, data)
    text = data.decode("utf-8")
    head, _, rest = text.partition("\n")
    sep = "," if head.count(",") >= head.count(";") else ";"
    cells = head.split(sep)
    kind = rng.randrange(5)
    if kind == 0:
        cells = [cells[0]] * len(cells)
    elif kind == 1:
        cells = [""] * len(cells)
    elif kind == 2:
        cells = ["   "] * len(cells)
    elif kind == 3:
        cells = cells[:1]
    else:
        cells = [rng.choice(ODD) for _ in cells]
    return name, (sep.join(cells) + "\n" + rest).encode("utf-8", "surrogatepass")


MUTATIONS = [m_flip, m_truncate, m_insert, m_odd_value, m_headers]


def specials() -> list[tuple[str, bytes]]:
    """Hand-made shapes: wide, huge cells, ragged, JSON oddities, XLSX types, zips."""
    out = [
        ("wide.csv", (",".join(f"c{i}" for i in range(5000)) + "\n"
                      + ",".join(str(i) for i in range(5000)) + "\n").encode()),
        ("cell-3mb.csv", b"Name,Note\nA," + b"x" * (3 * 1024 * 1024) + b"\n"),
        ("ragged.csv", b"Name,Email\nA,a@x.com,extra,more,\xff\nB\n"),
        ("spaces.csv", b"   ,  ,\t\nA,B,C\n"),
        ("nums.csv", ("Name,Amount,Revenue,Date,Created\n" + "\n".join(
            f"n{i},{v},{v},{v},{v}" for i, v in enumerate(ODD)) + "\n").encode(
            "utf-8", "surrogatepass")),
        ("deep.json", b'{"a":' * 5000 + b"1" + b"}" * 5000),
        ("deep-list.json", b"[" * 100000 + b"]" * 100000),
        ("scalar.json", b"42"), ("null.json", b"null"), ("string.json", b'"x"'),
        ("float.json", b"1e400"), ("nan.json", b'[{"a": NaN, "b": Infinity}]'),
        ("mixed.json", b'[1, "a", {"x": 1}, [2], null]'),
        ("surrogate-key.json", b'[{"\\ud800": 1, "\\u0000k": "\\u0000"}]'),
        ("bigint.json", b'[{"n": ' + b"9" * 5000 + b"}]"),
        ("dupkeys.json", b'[{"a": 1, "a": 2, "": 3, " ": 4}]'),
        ("nested-vals.json", b'[{"a": {"b": [1, {"c": [[[]]]}]}, "d": []}]'),
        ("empty-obj.json", b"[{}]"), ("empty-list.json", b"[]"),
        ("bom.json", b'\xef\xbb\xbf[{"a": 1}]'),
        ("utf16.json", '[{"a": "b"}]'.encode("utf-16")),
    ]
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for i in range(3000):
            z.writestr(f"m{i}.csv", "Name\nx\n")
    out.append(("many-members.zip", many.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.csv", b"Name\n" + b"a\n" * (2 * 1024 * 1024))
    out.append(("bomb.zip", bomb.getvalue()))
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w") as z:
        z.writestr("inner.zip", bomb.getvalue())
        z.writestr("../evil.csv", "Name\nx\n")
        z.writestr("weird\x01name.csv", "Name\nx\n")
    out.append(("nested.zip", nested.getvalue()))
    out.extend(_xlsx_specials())
    return out


def _xlsx_specials() -> list[tuple[str, bytes]]:
    try:
        import datetime as dt

        from openpyxl import Workbook
    except ImportError:
        return []
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Amount", "Date", "Flag", "Formula", "Err"])
    ws.append(["A", 1e308, dt.datetime(9999, 12, 31), True, "=1/0", "#DIV/0!"])
    ws.append(["B", float("inf") if False else -0.0, dt.date(1, 1, 1), False, "=SUM(B2:B3)", "#N/A"])
    ws.append(["C", 10**20, dt.time(23, 59), None, "=A1&A2", "#REF!"])
    ws.cell(row=5, column=1, value=3e6).number_format = "yyyy-mm-dd"
    ws.cell(row=5, column=3, value=-5).number_format = "yyyy-mm-dd"
    ws.cell(row=6, column=3, value=2958466).number_format = "yyyy-mm-dd"
    ws.cell(row=7, column=40, value="far")
    buf = io.BytesIO()
    wb.save(buf)
    return [("odd-types.xlsx", buf.getvalue())]


# ------------------------------------------------------------------ driving


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    engine = [f for f in frames if "/engine/" in f.filename]
    f = (engine or frames)[-1]
    return f"{os.path.relpath(f.filename, ROOT)}:{f.lineno} {f.name}"


def _check_text(value, where: str, found):
    if isinstance(value, str) and BAD_TEXT.search(value):
        found(f"PG-unsafe text out of {where}", None)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _check_text(v, where, found)


def drive(name: str, data: bytes, found) -> None:
    try:
        tables = readers.open_tables(name, data=data)
    except readers.ReadError as exc:
        if not str(exc).startswith(name):
            found("ReadError without the file's name", exc)
        return
    for table in tables:
        for h in table.headers:
            _check_text(h, "headers", found)
        _check_text(table.name, "table name", found)
        prof = profile_table(table)
        json.dumps(prof, default=str).encode("utf-8")
        for target in TARGETS:
            props = propose_fields(target, prof["columns"])
        transforms = {p.column: p.transform for p in props}
        for n, (_line, row) in enumerate(table.rows()):
            if n >= MAX_ROWS:
                break
            for col, value in row.items():
                for tname in {transforms.get(col) or "text", "date", "float", "money",
                              "integer", "phone", "email", "boolean", "html", "list"}:
                    try:
                        out = apply(tname, value)
                    except ValueError:
                        continue
                    _check_text(out, f"transform {tname}", found)


def _timeout(_sig, _frame):
    raise TimeoutError("case too slow")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-file", type=int, default=12)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--keep", default="")
    ap.add_argument("--timeout", type=int, default=10, help="seconds per case")
    args = ap.parse_args()
    assert TRANSFORMS
    signal.signal(signal.SIGALRM, _timeout)
    inputs = corpus_files()
    cases = list(specials())
    for i, (name, data) in enumerate(inputs):
        rng = random.Random(args.seed * 100003 + i)
        for _ in range(args.per_file):
            cases.append(rng.choice(MUTATIONS)(rng, name, data))
    classes: dict[str, list[str]] = defaultdict(list)
    examples: dict[str, tuple[str, bytes]] = {}
    for k, (name, data) in enumerate(cases):
        def found(what, exc, name=name, data=data, k=k):
            key = what if exc is None else f"{type(exc).__name__} at {_where(exc)}"
            classes[key].append(name)
            examples.setdefault(key, (f"{k}-{name}", data, what))
        signal.alarm(args.timeout)
        try:
            drive(name, data, found)
        except TimeoutError as exc:
            found(f"over {args.timeout} s", exc)
        except RecursionError as exc:
            found("RecursionError", exc)
        except Exception as exc:  # noqa: BLE001 - the point: every crash is a finding
            found(str(exc)[:100], exc)
        finally:
            signal.alarm(0)
    print(f"{len(inputs)} files, {len(cases)} cases (seed {args.seed}), {len(classes)} classes")
    for key, names in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(names):5d}  {key}  e.g. {examples[key][0]}: {examples[key][2]!r}")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        for i, (fname, data, _what) in enumerate(examples.values()):
            with open(os.path.join(args.keep, f"{i:02d}-{fname}"), "wb") as fh:
                fh.write(data)


if __name__ == "__main__":
    main()
