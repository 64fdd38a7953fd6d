#!/usr/bin/env python3
"""Self-check of the Ploomes blind generator and replay server.

    python bench/fidelity/ploomes/check_generated.py [--seeds 1 2] [--no-serve]

For each seed: generates twice (must be byte-identical), then checks that the saved pages
are well-formed OData pages (<= 300 records, ordered by Id, Contacts paged), and that
expected.json agrees with the pages (counts, names, links, vat check digits, amounts,
custom field labels, review values present in the pages, unique matches).
Then starts serve.py on loopback and exercises auth, paging, $filter and --flaky.
Exit code 0 when everything holds.
"""

import argparse
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
from generate import valid_cnpj, valid_cpf  # noqa: E402

FAILS = []


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
    return cond


def digest(folder):
    h = hashlib.sha256()
    for root, _dirs, files in sorted(os.walk(folder)):
        for f in sorted(files):
            p = os.path.join(root, f)
            h.update(os.path.relpath(p, folder).encode())
            with open(p, "rb") as fh:
                h.update(fh.read())
    return h.hexdigest()


def load_pages(exports):
    data, raw = {}, []
    for entity in sorted(os.listdir(exports)):
        folder = os.path.join(exports, entity)
        pages = sorted(f for f in os.listdir(folder) if f.startswith("page-"))
        rows = []
        for i, page in enumerate(pages):
            with open(os.path.join(folder, page), encoding="utf-8") as fh:
                text = fh.read()
            raw.append(text)
            body = json.loads(text)
            check(set(body) == {"@odata.context", "value"}, f"{entity}/{page}: keys {sorted(body)}")
            check(page == f"page-{i + 1:04d}.json", f"{entity}: page name {page}")
            check(len(body["value"]) <= 300, f"{entity}/{page}: {len(body['value'])} > 300 records")
            if i < len(pages) - 1:
                check(len(body["value"]) == 300, f"{entity}/{page}: non-last page not full")
            rows.extend(body["value"])
        ids = [r["Id"] for r in rows]
        check(ids == sorted(ids) and len(set(ids)) == len(ids), f"{entity}: ids not strictly ascending")
        data[entity] = rows
    return data, "\n".join(raw)


def digits(text):
    return re.sub(r"\D", "", str(text or ""))


def check_seed(seed, workdir):
    out1, out2 = os.path.join(workdir, f"s{seed}a"), os.path.join(workdir, f"s{seed}b")
    for out in (out1, out2):
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--out", out, "--seed", str(seed)],
                       check=True, stdout=subprocess.DEVNULL)
    check(digest(out1) == digest(out2), f"seed {seed}: generator is not deterministic")
    pages, rawtext = load_pages(os.path.join(out1, "exports"))
    with open(os.path.join(out1, "expected.json"), encoding="utf-8") as fh:
        exp = json.load(fh)
    check(exp["system"] == "ploomes", "system must be ploomes")
    contacts = pages["Contacts"]
    check(len(contacts) > 300, "Contacts must need 2+ pages")
    check(len(os.listdir(os.path.join(out1, "exports", "Contacts"))) >= 2, "Contacts: fewer than 2 pages")
    users = {u["Id"]: u for u in pages["Users"]}
    user_logins = {u["Email"].lower() for u in users.values()}
    active_logins = {u["Email"].lower() for u in users.values() if not u["Suspended"]}
    by_name = {}
    for c in contacts:
        by_name.setdefault(c["Name"], []).append(c)
    company_names = {c["Name"] for c in contacts if c["TypeId"] == 1}
    deals = {d["Title"]: d for d in pages["Deals"]}
    check(len(deals) == len(pages["Deals"]), "deal titles must be unique")
    stages = {s["Id"]: s for s in pages["Deals@Stages"]}
    pipelines = {p["Id"]: p for p in pages["Deals@Pipelines"]}
    products = {p["Id"]: p for p in pages["Products"]}
    field_names = {f["Name"] for f in pages["Fields"] if f["Dynamic"]}
    tag_names = {t["Name"] for t in pages["Tags"]}

    # ---- counts
    last_quotes = [q for q in pages["Quotes"] if q["LastReview"]]
    orphan_tasks = [t for t in pages["Tasks"] if not t["DealId"] and not t["ContactId"]]
    want = {
        "res.partner": len(contacts), "crm.lead": len(pages["Deals"]), "crm.team": len(pipelines),
        "crm.stage": len(stages), "product.product": len(products),
        "product.category": len(pages["Products@Groups"]) + len(pages["Products@Families"]),
        "sale.order": len(last_quotes) + len(pages["Orders"]),
        "mail.activity": len(pages["Tasks"]) - len(orphan_tasks), "res.users": len(users),
        "crm.lost.reason": len(pages["Deals@LossReasons"]),
        "crm.tag": len([t for t in pages["Tags"] if t["EntityId"] == 2]),
        "res.partner.category": len([t for t in pages["Tags"] if t["EntityId"] == 1]),
    }
    for model, n in want.items():
        check(exp["counts"].get(model) == n, f"counts[{model}] = {exp['counts'].get(model)}, pages say {n}")
    per_model = {}
    seen_matches = set()
    for rec in exp["records"]:
        per_model[rec["model"]] = per_model.get(rec["model"], 0) + 1
        key = (rec["model"], json.dumps(rec["match"], sort_keys=True, ensure_ascii=False))
        check(key not in seen_matches, f"duplicate match {key}")
        seen_matches.add(key)
    for model, n in per_model.items():
        check(n <= exp["counts"].get(model, 0), f"{model}: {n} expected records > count")
    check(per_model.get("res.partner") == len(contacts), "every contact must have an expected record")

    # ---- records against the pages
    for rec in exp["records"]:
        m, v, model = rec["match"], rec["values"], rec["model"]
        where = f"{model} {rec.get('source')}"
        for key, val in v.items():
            if key.startswith("x:"):
                check(key[2:] in field_names, f"{where}: custom label {key} not in /Fields")
        if model == "res.partner":
            name = m.get("name") or v.get("name")
            src = by_name.get(name)
            if not check(src and len(src) == 1, f"{where}: name {name!r} not unique in Contacts"):
                continue
            c = src[0]
            if "vat" in v and v["vat"] is not None:
                own = digits(c["CNPJ"] if c["TypeId"] == 1 else c["CPF"])
                check(digits(v["vat"]) == own, f"{where}: vat is not the contact's own document")
                ok = valid_cnpj(own) if c["TypeId"] == 1 else valid_cpf(own)
                check(ok, f"{where}: expected vat {v['vat']} has invalid check digits")
                fmt = r"\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}" if c["TypeId"] == 1 else r"\d{3}\.\d{3}\.\d{3}-\d{2}"
                check(re.fullmatch(fmt, v["vat"]) is not None, f"{where}: vat not in the chosen mask")
            if v.get("parent_id"):
                check(v["parent_id"] in company_names, f"{where}: parent {v['parent_id']} is not a company")
                comp = next(x for x in contacts if x["Name"] == v["parent_id"])
                check(c["CompanyId"] == comp["Id"], f"{where}: parent does not match CompanyId")
            if c["TypeId"] == 2 and c["CompanyId"] and "parent_id" in v and v["parent_id"] is None:
                check(c["CompanyId"] not in {x["Id"] for x in contacts}, f"{where}: parent dropped wrongly")
            for fld in ("phone", "mobile"):
                if v.get(fld):
                    check(re.fullmatch(r"\+55\d{10,11}", v[fld]) is not None, f"{where}: {fld} not E.164")
                    check(any(digits(p["PhoneNumber"]).endswith(v[fld][5:]) for p in c["Phones"]),
                          f"{where}: {fld} digits not in Phones")
            if v.get("user_id"):
                check(v["user_id"] in active_logins, f"{where}: owner not an active user")
            for t in v.get("category_id", []):
                check(t in tag_names, f"{where}: tag {t}")
        elif model == "crm.lead":
            d = deals.get(m["name"])
            if not check(d is not None, f"{where}: deal {m['name']!r} not in Deals"):
                continue
            check(v.get("team_id") == pipelines[d["PipelineId"]]["Name"], f"{where}: team")
            if "stage_id" in v:
                check(v["stage_id"] == stages[d["StageId"]]["Name"], f"{where}: stage")
            check((d["StatusId"] == 3) == (m.get("active") is False), f"{where}: lost <-> active false")
            check(abs((d["Amount"] or 0) - v["expected_revenue"]) < 0.005, f"{where}: expected_revenue")
            if v.get("user_id"):
                check(v["user_id"] in active_logins, f"{where}: salesperson not an active user")
            if d["OwnerId"] not in users:
                check(v.get("user_id") is None, f"{where}: unknown owner must leave user_id empty")
        elif model == "sale.order":
            d = deals.get(m["opportunity_id"])
            if not check(d is not None, f"{where}: opportunity missing"):
                continue
            src = [q for q in last_quotes if q["DealId"] == d["Id"]] + [o for o in pages["Orders"]
                                                                       if o["DealId"] == d["Id"]]
            if not check(len(src) == 1, f"{where}: {len(src)} source documents for one deal"):
                continue
            doc = src[0]
            lines = ([p for s in doc["Sections"] for p in s["Products"]] if "Sections" in doc
                     else doc["Products"])
            if "amount_untaxed" in v:
                check(abs(sum(x["Total"] for x in lines) - v["amount_untaxed"]) < 0.005, f"{where}: amount")
                check(abs(doc["Amount"] - v["amount_untaxed"]) < 0.005, f"{where}: Amount field")
                check(sorted(v["order_line"]) == sorted(x["ProductName"] for x in lines), f"{where}: lines")
                check(all(x["ProductId"] in products for x in lines), f"{where}: unknown product asserted")
            else:
                check(any(x["ProductId"] not in products for x in lines), f"{where}: amount omitted w/o reason")
            check(v["partner_id"] == doc["ContactName"], f"{where}: partner")
        elif model == "mail.activity":
            t = [x for x in pages["Tasks"] if x["Title"] == m["summary_contains"]]
            check(t, f"{where}: task title not in Tasks")
            check(("active" in m) == any(x["Finished"] for x in t if f"Id={x['Id']}" in rec["source"]),
                  f"{where}: finished <-> active false")
        elif model == "product.product":
            p = [x for x in products.values() if x["Name"] == v["name"]]
            check(len(p) == 1, f"{where}: product name")
            if p:
                check(p[0]["Suspended"] == (m.get("active") is False), f"{where}: suspended <-> archived")
                check(abs(p[0]["UnitPrice"] - v["list_price"]) < 0.005, f"{where}: price")
        elif model == "res.users":
            check(m["login"] in user_logins, f"{where}: login")
        elif model == "crm.stage":
            check(any(s["Name"] == m["name"] and pipelines[s["PipelineId"]]["Name"] == m["team_id"]
                      for s in stages.values()), f"{where}: stage/team")

    # ---- review values come from the pages
    for item in exp["review"]:
        check(item["value"] in rawtext, f"review value {item['value']!r} not found in the pages")
        check(bool(item.get("why")), f"review {item['value']!r} without why")
    check(len(exp["review"]) >= 10, "too few review items")
    # every defective document is reviewed, never expected as vat
    for c in contacts:
        doc = digits(c["CNPJ"] if c["TypeId"] == 1 else c["CPF"])
        if doc and not (valid_cnpj(doc) if c["TypeId"] == 1 else valid_cpf(doc)):
            raw = c["CNPJ"] if c["TypeId"] == 1 else c["CPF"]
            check(any(r["value"] == raw for r in exp["review"]), f"Contacts Id={c['Id']}: bad doc not reviewed")
    check(any(c["ZipCode"] and len(str(c["ZipCode"])) == 7 for c in contacts), "no CEP lost its leading zero")
    check(any(p["ProductId"] not in products for q in pages["Quotes"] for s in q["Sections"] for p in s["Products"]),
          "no unknown quote product planted")
    check(any(d["OwnerId"] not in users for d in pages["Deals"]), "no unknown deal owner planted")
    check(any(c["CompanyId"] and c["CompanyId"] not in {x["Id"] for x in contacts} for c in contacts),
          "no missing company planted")
    natives = {f["Type"]["NativeType"] for f in pages["Fields"] if f["Dynamic"]}
    check({"String", "BigString", "Integer", "Decimal", "DateTime", "Bool"} <= natives, f"field types {natives}")
    check(any(f["OptionsTable"] for f in pages["Fields"]), "no option-list field")
    stamps = re.findall(r'"LastUpdateDate":"([^"]+)"', rawtext)
    check(any(s.endswith("Z") for s in stamps) and any(s.endswith("-03:00") for s in stamps), "date styles")
    return out1, exp


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, key="k"):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"User-Key": key} if key else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def check_serve(exports):
    for flaky in (False, True):
        port = free_port()
        cmd = [sys.executable, os.path.join(HERE, "serve.py"), "--dir", exports, "--port", str(port), "--key", "k"]
        if flaky:
            cmd.append("--flaky")
        proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
        try:
            for _ in range(50):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            code, _h, _b = get(port, "/Contacts?$top=10", key=None)
            check(code == 401, f"serve: no key -> {code}")
            code, _h, _b = get(port, "/Contacts?$top=10", key="wrong")
            check(code == 401, f"serve: wrong key -> {code}")
            if flaky:
                code, headers, _b = get(port, "/Contacts?$top=300&$skip=0&$orderby=Id")
                check(code == 429 and headers.get("Retry-After") == "1", f"serve flaky: first -> {code}")
                code, _h, _b = get(port, "/Contacts?$top=300&$skip=300&$orderby=Id")
                check(code == 500, f"serve flaky: 500 expected, got {code}")
                get(port, "/Deals?$top=300")  # 429
                code, _h, body = get(port, "/Deals?$top=300")
                try:
                    json.loads(body)
                    check(False, "serve flaky: Deals page should be malformed once")
                except ValueError:
                    pass
                code, _h, body = get(port, "/Deals?$top=300")
                check(code == 200 and len(json.loads(body)["value"]) > 0, "serve flaky: retry must succeed")
            total = 0
            skip = 0
            while True:
                code, _h, body = get(port, f"/Contacts?$top=300&$skip={skip}&$orderby=Id")
                if not check(code == 200, f"serve: page skip={skip} -> {code}"):
                    break
                rows = json.loads(body)["value"]
                total += len(rows)
                if len(rows) < 300:
                    break
                skip += 300
            with open(os.path.join(exports, "Contacts", "page-0001.json"), encoding="utf-8") as fh:
                n1 = len(json.load(fh)["value"])
            with open(os.path.join(exports, "Contacts", "page-0002.json"), encoding="utf-8") as fh:
                n2 = len(json.load(fh)["value"])
            check(total == n1 + n2, f"serve: paged {total} contacts, pages hold {n1 + n2}")
            code, _h, body = get(port, "/Contacts?$top=1000")
            check(len(json.loads(body)["value"]) == 300, "serve: $top must be capped at 300")
            code, _h, body = get(port, "/Deals?$filter=LastUpdateDate%20gt%202024-01-01T00:00:00-03:00&$top=300")
            rows = json.loads(body)["value"]
            check(code == 200 and 0 < len(rows) < 120, f"serve: delta filter returned {len(rows)}")
            code, _h, _b = get(port, "/Deals?$filter=Title%20eq%20'x'")
            check(code == 400, f"serve: unsupported filter -> {code}")
            code, _h, _b = get(port, "/Nope")
            check(code == 404, f"serve: unknown entity -> {code}")
        finally:
            proc.terminate()
            proc.wait(timeout=5)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--no-serve", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ploomes_check_") as work:
        firsts = []
        for seed in args.seeds:
            out, exp = check_seed(seed, work)
            firsts.append(out)
            print(f"seed {seed}: {len(exp['records'])} records, {len(exp['review'])} review, "
                  f"{len(exp['not_expected'])} not_expected, counts {exp['counts']}")
        if len(firsts) > 1:
            check(digest(firsts[0]) != digest(firsts[1]), "different seeds give identical output")
        if not args.no_serve:
            check_serve(os.path.join(firsts[0], "exports"))
    if FAILS:
        print(f"FAILED ({len(FAILS)}):")
        for f in FAILS[:80]:
            print("  -", f)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
