#!/usr/bin/env python3
"""Self-check of the XMPie blind corpus (stdlib only, no Odoo):

    python bench/fidelity/xmpie/check_generated.py [--seeds 1 2 3]

- determinism: the same --seed gives byte-identical files, another seed other files;
- consistency: expected.json is re-derived from the exported files alone (read back as a user would:
  cp1252 CSV) and must agree: one lead per e-mail (case-insensitive) plus one per recipient without a
  usable e-mail, products / tags / assets of every duplicate row on the survivor, simple segment rules
  applied, campaign fields and fallback owner, attachments on existing leads, counts, review values
  present in the files, source lines pointing at the right rows.
Exit code 1 with the list of failures.
"""
import argparse
import csv
import filecmp
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FAIL = []


def check(cond, msg):
    if not cond:
        FAIL.append(msg)


def generate(out, seed):
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--out", out,
                    "--seed", str(seed)], check=True)


def read(path):
    with open(path, encoding="cp1252", newline="") as f:
        raw = f.read()
    check("\r\n" in raw, f"{path}: no CRLF")
    rows = list(csv.DictReader(raw.splitlines(keepends=True)))
    return rows, raw


def physical_lines(raw):
    """line number (1-based) at which each data row starts."""
    reader = csv.reader(raw.splitlines(keepends=True))
    next(reader)
    starts, prev = [], reader.line_num
    for _ in reader:
        starts.append(prev + 1)
        prev = reader.line_num
    return starts


def mdy(text):
    if not text:
        return None
    m, d, y = text.split("/")
    return f"{y}-{m}-{d}"


def simple(rule):
    m = re.fullmatch(r"\s*\[?(\w+)\]?\s*=\s*'([^']*)'\s*", rule)
    return (m.group(1), m.group(2)) if m else None


def consistent(d, seed):
    exp = json.load(open(os.path.join(d, "expected.json"), encoding="utf-8"))
    ex = os.path.join(d, "exports")
    rec_rows, rec_raw = read(os.path.join(ex, "recipients.csv"))
    camps = {r["CampaignName"]: r for r in read(os.path.join(ex, "campaigns.csv"))[0]}
    prods = {r["ProductCode"]: r for r in read(os.path.join(ex, "products.csv"))[0]}
    users = {r["Email"].lower() for r in read(os.path.join(ex, "users.csv"))[0]}
    links = read(os.path.join(ex, "recipient_products.csv"))[0]
    assets, asset_raw = read(os.path.join(ex, "assets.csv"))
    segs = read(os.path.join(ex, "segments.csv"))[0]
    tag = f"seed {seed}:"

    # leads: group rows by e-mail (valid ones), others alone
    valid = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    groups, order = {}, []
    for r in rec_rows:
        key = r["Email"].lower() if valid.match(r["Email"]) else "#" + r["RecipientID"]
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(r)
    leads = [x for x in exp["records"] if x["model"] == "crm.lead"]
    check(len(leads) == len(order) == exp["counts"]["crm.lead"],
          f"{tag} leads {len(leads)} / groups {len(order)} / count {exp['counts']['crm.lead']}")
    check(len(rec_rows) > len(order), f"{tag} no duplicate rows")
    rid_group = {r["RecipientID"]: k for k, rows in groups.items() for r in rows}
    starts = physical_lines(rec_raw)
    line_of = {r["RecipientID"]: ln for r, ln in zip(rec_rows, starts)}

    prod_of = {}
    for lk in links:
        code = lk["ProductCode"].strip().upper()
        if lk["RecipientID"] in rid_group and code in prods:
            prod_of.setdefault(rid_group[lk["RecipientID"]], set()).add(prods[code]["ProductName"])
    rules = [(s["SegmentName"], simple(s["Rule"])) for s in segs]

    for key, lead in zip(order, leads):
        rows = groups[key]
        first = rows[0]
        v = lead["values"]
        m = lead["match"]
        if key.startswith("#"):
            check(m == {"contact_name": f"{first['FirstName']} {first['LastName']}"},
                  f"{tag} match of {first['RecipientID']}: {m}")
        else:
            check(m.get("email_from", "").lower() == key, f"{tag} match of {key}: {m}")
        check(lead["source"].startswith(f"recipients.csv:{line_of[first['RecipientID']]}"),
              f"{tag} source {lead['source']} for {first['RecipientID']}")
        check(v["contact_name"] == f"{first['FirstName']} {first['LastName']}",
              f"{tag} name {first['RecipientID']}")
        check(set(v["m2m:product.product"]) == prod_of.get(key, set()),
              f"{tag} products of {key}: {v['m2m:product.product']} vs {prod_of.get(key)}")
        want_tags = {n for n, r in rules if r for row in rows
                     if row[r[0]].rstrip().casefold() == r[1].casefold()}
        check(set(v["tag_ids"]) == want_tags, f"{tag} tags of {key}: {v['tag_ids']} / {want_tags}")
        cp = camps[first["CampaignName"]]
        cname = [k for k in v if k.startswith("x:Campaign Name|")]
        if len(rows) == 1:
            check(cname and v[cname[0]] == first["CampaignName"], f"{tag} campaign of {key}")
            start = [v[k] for k in v if k.startswith("x:Campaign Start")]
            end = [v[k] for k in v if k.startswith("x:Campaign End")]
            check(start == [mdy(cp["StartDate"])] and end == [mdy(cp["EndDate"])],
                  f"{tag} campaign dates of {key}")
            check(v.get("team_id") == (cp["Team"] or None), f"{tag} team of {key}")
        else:
            check(not cname and "team_id" not in v, f"{tag} merged {key} scores its campaign")
            check(len({r["OwnerEmail"].lower() for r in rows}) == 1, f"{tag} owners differ {key}")
        owner = first["OwnerEmail"].lower()
        if not owner:
            check(v.get("user_id") == cp["OwnerEmail"].lower(), f"{tag} fallback owner of {key}")
        elif owner in users:
            check(v.get("user_id") == owner, f"{tag} owner of {key}")
        else:
            check("user_id" not in v, f"{tag} unknown owner scored for {key}")

    # attachments
    lead_match = {k: lead["match"] for k, lead in zip(order, leads)}
    atts = [x for x in exp["records"] if x["model"] == "ir.attachment"]
    astarts = physical_lines(asset_raw)
    linked = []
    for a, ln in zip(assets, astarts):
        if a["RecipientID"] and a["RecipientID"] not in rid_group:
            check(any(r["value"] == a["RecipientID"] for r in exp["review"]),
                  f"{tag} orphan asset {a['AssetName']} not in review")
            continue
        linked.append((a, ln))
    check(len(atts) == len(linked) == exp["counts"]["ir.attachment"], f"{tag} attachment count")
    for (a, ln), x in zip(linked, atts):
        check(x["match"]["name"] == a["AssetName"] and x["source"] == f"assets.csv:{ln}",
              f"{tag} attachment {a['AssetName']}")
        if a["RecipientID"]:
            check(x["match"]["res_model"] == "crm.lead"
                  and x["match"]["record"] == lead_match[rid_group[a["RecipientID"]]],
                  f"{tag} attachment {a['AssetName']} on the wrong lead")
        if a["Location"].startswith("http"):
            check(x["values"] == {"type": "url", "url": a["Location"]}, f"{tag} url {a['AssetName']}")
    check(len({a["AssetName"] for a in assets}) == len(assets), f"{tag} asset names not unique")

    # products, teams, tags, review
    for x in exp["records"]:
        if x["model"] == "product.product":
            p = prods[x["match"]["default_code"]]
            check(abs(x["values"]["standard_price"] - float(p["Cost"].replace(",", ""))) < 1e-9
                  and abs(x["values"]["list_price"] - float(p["Price"].replace(",", ""))) < 1e-9,
                  f"{tag} product {p['ProductCode']}")
    teams = {c["Team"] for c in camps.values() if c["Team"]}
    check({x["match"]["name"] for x in exp["records"] if x["model"] == "crm.team"} == teams
          and exp["counts"]["crm.team"] == len(teams), f"{tag} teams")
    check({x["match"]["name"] for x in exp["records"] if x["model"] == "crm.tag"}
          == {n for n, r in rules if r}, f"{tag} tags")
    review_values = {r["value"] for r in exp["review"]}
    for n, r in rules:
        check((n in review_values) == (r is None), f"{tag} segment {n} review")
    files = "".join(open(os.path.join(ex, f), encoding="cp1252").read() for f in os.listdir(ex))
    full_names = {f"{r['FirstName']} {r['LastName']}" for r in rec_rows}
    for r in exp["review"]:
        check(r["value"] in files or r["value"] in full_names,
              f"{tag} review value {r['value']!r} not in the exports")
    bad_codes = {lk["ProductCode"] for lk in links if lk["ProductCode"].strip().upper() not in prods}
    bad_rids = {lk["RecipientID"] for lk in links if lk["RecipientID"] not in rid_group}
    check(bad_codes <= review_values and bad_rids <= review_values, f"{tag} link defects")
    check(90 <= len(rec_rows) <= 210, f"{tag} size {len(rec_rows)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    seeds = ap.parse_args().seeds
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            a, b = os.path.join(tmp, f"a{seed}"), os.path.join(tmp, f"b{seed}")
            generate(a, seed)
            generate(b, seed)
            for sub in ("", "exports"):
                cmp = filecmp.dircmp(os.path.join(a, sub), os.path.join(b, sub))
                names = [f for f in cmp.common_files]
                _, mismatch, errors = filecmp.cmpfiles(os.path.join(a, sub), os.path.join(b, sub),
                                                       names, shallow=False)
                check(not mismatch and not errors and not cmp.left_only and not cmp.right_only,
                      f"seed {seed}: not deterministic ({mismatch or errors})")
            consistent(a, seed)
        if len(seeds) > 1:
            s0, s1 = seeds[0], seeds[1]
            check(not filecmp.cmp(os.path.join(tmp, f"a{s0}", "exports", "recipients.csv"),
                                  os.path.join(tmp, f"a{s1}", "exports", "recipients.csv"),
                                  shallow=False), "two seeds give the same recipients")
    if FAIL:
        print("\n".join(FAIL))
        print(f"FAILED: {len(FAIL)}")
        sys.exit(1)
    print(f"ok: seeds {seeds} deterministic and consistent")


if __name__ == "__main__":
    main()
