#!/usr/bin/env python3
"""Self-check of the generic corpus generator (no Odoo needed).

    python bench/fidelity/generic/check_generated.py [--seeds 1 2 3]

For each seed: generates twice and compares every byte (determinism); reads the
exports back as a user's tool would (encoding, delimiter, XLSX) and checks that
expected.json agrees with them: the schema's keys and value formats, every matched
name / e-mail / subject / note text and every compared text value is in the files,
the counts equal the rows minus the planted duplicate and orphan, every review value
is a cell, every datetime converts back to a local time written in the files, and
no two expected records share a match.  Exits 1 on the first seed with a problem.
"""

import argparse
import csv
import filecmp
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = {"res.partner", "crm.lead", "mail.activity", "mail.message"}
TEXT_FIELDS = {"name", "email", "phone", "mobile", "function", "street", "city", "zip", "parent_id",
               "lost_reason_id", "team_id", "website", "partner_id"}


def generate(out, seed):
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--out", out, "--seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL)


def same_tree(a, b):
    bad = []
    for root, _dirs, files in os.walk(a):
        for name in files:
            pa = os.path.join(root, name)
            pb = os.path.join(b, os.path.relpath(pa, a))
            if not os.path.exists(pb) or not filecmp.cmp(pa, pb, shallow=False):
                bad.append(os.path.relpath(pa, a))
    return bad


def read_table(path):
    """Rows (lists of str) of one export file, decoded the way its bytes say."""
    if path.endswith(".xlsx"):
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        rows = []
        for row in wb.active.iter_rows(values_only=True):
            rows.append(["" if v is None else (v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, datetime)
                                               else str(v)) for v in row])
        return rows
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    first = text.split("\n", 1)[0]
    delim = max(("\t", ";", ","), key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))


def check_seed(seed):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        generate(a, seed)
        generate(b, seed)
        diff = same_tree(a, b)
        if diff:
            problems.append(f"not deterministic: {diff}")
        exp = json.load(open(os.path.join(a, "expected.json"), encoding="utf-8"))
        tables = {name: read_table(os.path.join(a, "exports", name))
                  for name in sorted(os.listdir(os.path.join(a, "exports")))}

    # schema
    for key in ("system", "records", "counts", "review"):
        if key not in exp:
            problems.append(f"expected.json has no {key}")
    if exp.get("system") != "generic":
        problems.append("system is not generic")

    cells = set()
    blob = []
    for rows in tables.values():
        for row in rows:
            for cell in row:
                cells.add(" ".join(cell.split()).casefold())
                blob.append(cell.casefold())
    blob = "\n".join(blob)
    squeezed = " ".join(blob.split())

    def in_files(value):
        v = " ".join(str(value).split()).casefold()
        return v in squeezed or re.sub(r"<[^>]+>", " ", v) in squeezed

    tz = ZoneInfo(exp.get("source_tz", "America/Chicago"))
    seen = set()
    by_model = {}
    for rec in exp["records"]:
        model, match, values = rec.get("model"), rec.get("match"), rec.get("values", {})
        by_model[model] = by_model.get(model, 0) + 1
        where = f"{model} {rec.get('source')}"
        if model not in MODELS:
            problems.append(f"{where}: unknown model")
        if not match:
            problems.append(f"{where}: empty match")
        key = (model, json.dumps(match, sort_keys=True))
        if key in seen:
            problems.append(f"{where}: match used twice")
        seen.add(key)
        if not rec.get("source") or rec["source"].split(":")[0] not in tables:
            problems.append(f"{where}: source is not an export file")
        # what the match names must be in the files
        for k in ("name", "email", "body_contains", "summary_contains"):
            if k in match and not in_files(match[k]):
                problems.append(f"{where}: match {k}={match[k]!r} not in the exports")
        for k, v in match.get("record", {}).items():
            if isinstance(v, str) and not in_files(v):
                problems.append(f"{where}: record {k}={v!r} not in the exports")
        for field, want in values.items():
            if want is None or isinstance(want, bool):
                continue
            if isinstance(want, str) and want.startswith("~contains:"):
                if not in_files(want[10:]):
                    problems.append(f"{where}: {field} part {want[10:]!r} not in the exports")
                continue
            if field in TEXT_FIELDS or field.startswith("x:"):
                if not in_files(want):
                    problems.append(f"{where}: {field}={want!r} not in the exports")
            if field in ("category_id", "tag_ids"):
                for tag in want:
                    if not in_files(tag):
                        problems.append(f"{where}: tag {tag!r} not in the exports")
            if field in ("date_deadline", "date_done") and not re.fullmatch(r"\d{4}-\d\d-\d\d", want):
                problems.append(f"{where}: {field} is not YYYY-MM-DD")
            if field in ("date", "date_closed"):
                if not re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", want):
                    problems.append(f"{where}: {field} is not YYYY-MM-DD HH:MM")
                    continue
                local = datetime.strptime(want, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("UTC")).astimezone(tz)
                shapes = [local.strftime(f) for f in ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%m/%d/%Y %I:%M %p")]
                if not any(s.casefold() in blob for s in shapes):
                    problems.append(f"{where}: {field} {want} UTC is no local time in the exports")
            if field == "country_id" and not re.fullmatch(r"[A-Z]{2}", want):
                problems.append(f"{where}: country_id not an ISO code")
            if field == "state_id" and not re.fullmatch(r"[A-Z]{2}-[A-Z]{2}", want):
                problems.append(f"{where}: state_id not CC-SS")

    # counts against the files
    counts = exp["counts"]
    for model, n in by_model.items():
        if counts.get(model) != n:
            problems.append(f"counts[{model}]={counts.get(model)} but {n} expected records")
    src = {m: {r["source"].split(":")[0] for r in exp["records"] if r["model"] == m} for m in by_model}
    partner_rows = sum(len(tables[f]) - 1 for f in src["res.partner"])
    if counts["res.partner"] != partner_rows - 1:  # the planted duplicate row
        problems.append(f"res.partner count {counts['res.partner']} != {partner_rows} rows - 1 duplicate")
    for model, minus in (("crm.lead", 0), ("mail.activity", 0), ("mail.message", 1)):  # 1 orphan note
        (f,) = src[model]
        if counts[model] != len(tables[f]) - 1 - minus:
            problems.append(f"{model} count {counts[model]} != rows of {f} - {minus}")

    # review values are cells (or parts of cells, for dates written with a time)
    for item in exp["review"]:
        v = str(item["value"]).casefold()
        if v not in cells and v not in blob:
            problems.append(f"review value {item['value']!r} is in no cell")
    if len(exp["review"]) < 4:
        problems.append("fewer than 4 planted defects")

    # the duplicate's e-mail is written twice (once in capitals)
    dup = next(i["value"] for i in exp["review"] if "duplicate" in i["why"])
    if blob.count(dup.casefold()) < 2:
        problems.append("the duplicate contact is not written twice")
    for item in exp.get("not_expected", []):
        if item["model"] not in MODELS:
            problems.append(f"not_expected: unknown model {item['model']}")
    return exp, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    args = ap.parse_args()
    failed = False
    for seed in args.seeds:
        exp, problems = check_seed(seed)
        total = len(exp["records"])
        print(f"seed {seed} ({exp.get('flavour')}): {total} records, counts {exp['counts']}, "
              f"{len(exp['review'])} review items: {'OK' if not problems else f'{len(problems)} problem(s)'}")
        for p in problems[:40]:
            print("   ", p)
        failed |= bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
