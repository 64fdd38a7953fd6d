#!/usr/bin/env python3
"""Consistency check of one generated crmConnect corpus (not part of the scorer).

    python check_generated.py DIR

Re-reads every export with the encoding/delimiter it was written with, and checks that every
expected record is backed by a row whose cells give the expected values, that counts match the
records, that review values occur in the exports and that match dicts are unique.
Times are re-converted with zoneinfo (independent of the generator's own DST code).
"""
import collections
import csv
import datetime as dt
import glob
import json
import os
import sys
from zoneinfo import ZoneInfo

COUNTRY = {"united states": "US", "us": "US", "usa": "US", "can": "CA", "canada": "CA",
           "ca": "CA", "deutschland": "DE", "germany": "DE", "de": "DE",
           "united kingdom": "GB", "uk": "GB", "gb": "GB"}
STATES = {"illinois": "IL", "texas": "TX", "massachusetts": "MA", "colorado": "CO",
          "tennessee": "TN", "arizona": "AZ", "oregon": "OR", "wisconsin": "WI",
          "ontario": "ON", "québec": "QC", "british columbia": "BC"}


def load(path, encoding="utf-8-sig", delimiter=","):
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def one(pattern, d):
    hits = glob.glob(os.path.join(d, "exports", pattern))
    assert len(hits) == 1, (pattern, hits)
    return hits[0]


def col(row, *names):
    for n in names:
        if n in row:
            return row[n]
    raise KeyError(names)


def digits(s):
    return "".join(ch for ch in s if ch.isdigit())


def main(d):
    exp = json.load(open(os.path.join(d, "expected.json"), encoding="utf-8"))
    errors = []

    def check(cond, msg):
        if not cond:
            errors.append(msg)

    users = load(one("Team Members.csv", d))
    by_uname = {u["Name"]: u["Email"] for u in users}
    pipes = load(one("pipelines-and-stages.csv", d))
    comps = load(one("companies-export-*.csv", d))
    contacts = load(one("contacts-export-*.csv", d))
    opps = load(one("Opportunities.csv", d))
    appts = load(one("appointments_*.csv", d), delimiter=";")
    tasks = load(one("Tasks (1).csv", d), encoding="cp1252")
    notes = load(one("contact-notes-*.csv", d))
    prods = load(one("products.csv", d))
    # the cp1252 file must not be valid UTF-8 (it holds ’ – ü ...)
    raw = open(one("Tasks (1).csv", d), "rb").read()
    try:
        raw.decode("utf-8")
        errors.append("tasks file unexpectedly decodes as UTF-8")
    except UnicodeDecodeError:
        pass

    cmap = collections.defaultdict(list)
    for row in contacts:
        cmap[row["Email"].lower()].append(row)
    owner_h = next(h for h in contacts[0] if h in ("Assigned To", "Contact Owner", "Assigned User"))
    tz = ZoneInfo("America/Chicago")

    def to_utc(s):
        local = dt.datetime.strptime(s, "%m/%d/%Y %I:%M %p").replace(tzinfo=tz)
        return local.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")

    seen_match = set()
    per_model = collections.Counter()
    for rec in exp["records"]:
        m, match, v = rec["model"], rec["match"], rec["values"]
        per_model[m] += 1
        key = (m, json.dumps(match, sort_keys=True))
        check(key not in seen_match, "duplicate match %s" % (key,))
        seen_match.add(key)
        if m == "res.partner" and match.get("is_company"):
            row = [r for r in comps if col(r, "Company Name", "Business Name") == v["name"]]
            check(len(row) == 1, "company row %s" % v["name"])
            row = row[0]
            check(digits(row["Phone"]) == digits(v["phone"]), "company phone %s" % v["name"])
            check(COUNTRY[row["Country"].lower()] == v["country_id"], "company country")
            check(row["Industry"] == v["x:Industry"], "industry")
        elif m == "res.partner":
            if "email" in match:
                rows = cmap[match["email"].lower()]
            else:
                rows = [r for r in contacts
                        if ("%s %s" % (r["First Name"], r["Last Name"])).strip() == match["name"]]
            check(len(rows) >= 1, "contact rows for %s" % match)
            row = rows[0]
            name = ("%s %s" % (row["First Name"], row["Last Name"])).strip()
            check(name == v["name"], "contact name %s" % name)
            if "phone" in v:
                check(row["Phone"] == v["phone"], "phone %s" % name)
            if "parent_id" in v:
                check(row["Company Name"].strip() == v["parent_id"], "parent %s" % name)
            else:
                check(not row["Company Name"].strip(), "unexpected company %s" % name)
            if "country_id" in v:
                check(COUNTRY[row["Country"].lower()] == v["country_id"], "country %s" % name)
            if "state_id" in v:
                st = col(row, "State", "State/Province")
                check(STATES.get(st.lower(), st) == v["state_id"].split("-")[1], "state %s" % name)
            if "category_id" in v:
                tags = [t.strip() for t in row["Tags"].split(",") if t.strip()]
                check(sorted(tags) == sorted(v["category_id"]), "tags %s" % name)
            if "user_id" in v:
                check(by_uname[row[owner_h]] == v["user_id"], "owner %s" % name)
            if "x:Lifetime Value" in v:
                val = float(row["Lifetime Value"].replace("$", "").replace(",", ""))
                check(abs(val - v["x:Lifetime Value"]) < 0.005, "ltv %s" % name)
            if "x:Renewal Date" in v:
                got = dt.datetime.strptime(row["Renewal Date"], "%m/%d/%Y").date().isoformat()
                check(got == v["x:Renewal Date"], "renewal %s" % name)
            if "x:Referral Partner" in v:
                check((row["Referral Partner"] == "Yes") == v["x:Referral Partner"], "yes/no")
            if "x:Assistant Name" in v:
                check(row["Assistant Name"] == v["x:Assistant Name"], "assistant")
        elif m == "crm.lead":
            rows = [r for r in opps if r["Opportunity Name"] == v["name"]]
            check(len(rows) == 1, "opp row %s" % v["name"])
            row = rows[0]
            check(row["pipeline"] == v["team_id"], "pipeline %s" % v["name"])
            if "stage_id" in v:
                check(row["stage"] == v["stage_id"], "stage %s" % v["name"])
            val = float(row["Lead Value"] or 0)
            check(abs(val - v["expected_revenue"]) < 0.005, "value %s" % v["name"])
            if "user_id" in v:
                check(by_uname[row["assigned"]] == v["user_id"], "opp owner %s" % v["name"])
            if "partner_id" in v:
                check(bool(cmap.get(row["email"].lower())), "opp contact %s" % v["name"])
                check(row["Contact Name"] == v["partner_id"], "opp contact name")
            else:
                check(not cmap.get(row["email"].lower()), "opp contact missing %s" % v["name"])
            if "date_deadline" in v:
                got = dt.datetime.strptime(row["Expected Close Date"], "%m/%d/%Y").date()
                check(got.isoformat() == v["date_deadline"], "deadline %s" % v["name"])
            st = row["status"]
            check(v["active"] == (st in ("open", "won")), "active %s" % v["name"])
            if st == "lost":
                check(row["lost reason name"] == v["lost_reason_id"], "lost reason")
            stage_rows = [p for p in pipes if p["Pipeline"] == row["pipeline"]]
            check(row["stage"] in [p["Stage"] for p in stage_rows], "stage exists")
        elif m == "calendar.event":
            rows = [r for r in appts if r["Title"] == v["name"]]
            check(len(rows) == 1, "appt row %s" % v["name"])
            row = rows[0]
            check(to_utc(row["Start Time"]) == v["start"], "start %s" % v["name"])
            check(to_utc(row["End Time"]) == v["stop"], "stop %s" % v["name"])
            check(v["active"] == (row["Status"] != "Cancelled"), "cancelled %s" % v["name"])
            check(by_uname[row["Appointment Owner"]] == v["user_id"], "appt owner")
            if "partner_ids" in v:
                check(bool(cmap.get(row["Contact Email"].lower())), "attendee known")
                check(v["partner_ids"][0] == row["Contact Name"], "attendee name")
            else:
                check(not cmap.get(row["Contact Email"].lower()), "attendee unknown")
        elif m == "mail.activity":
            rows = [r for r in tasks if r["Task Title"] == v["summary"]
                    and r["Contact Email"].lower() == match["record"].get("email", "").lower()]
            check(len(rows) == 1, "task row %s" % v["summary"])
            row = rows[0]
            got = dt.datetime.strptime(row["Due Date"], "%m/%d/%Y").date().isoformat()
            check(got == v["date_deadline"], "due %s" % v["summary"])
            check(v["active"] == (row["Completed"] == "No"), "completed %s" % v["summary"])
            check(row["Assignee"] == v["user_id"], "assignee")
        elif m == "mail.message":
            rows = [r for r in notes if r["Email"].lower() == match["record"]["email"].lower()
                    and match["body_contains"] in r["Note"]]
            check(len(rows) == 1, "note row %s" % match)
            row = rows[0]
            check(to_utc(row["Date Added"]) == v["date"], "note date %s" % match)
            if not v["body"].startswith("~contains:"):
                check(" ".join(row["Note"].split()) == v["body"], "note body")
        elif m == "res.users":
            rows = [u for u in users if u["Email"] == match["login"]]
            check(len(rows) == 1, "user row")
        elif m == "product.product":
            rows = [p for p in prods if p["Product Name"] == v["name"]]
            check(len(rows) == 1, "product row")
            price = float(rows[0]["Price"].replace("$", "").replace(",", ""))
            check(abs(price - v["list_price"]) < 0.005, "price")
        elif m == "crm.stage":
            rows = [p for p in pipes if p["Stage"] == v["name"]]
            check(len(rows) == 1 and int(rows[0]["Stage Order"]) == v["sequence"], "stage")
        elif m == "crm.team":
            check(any(p["Pipeline"] == v["name"] for p in pipes), "team")
        else:
            errors.append("unchecked model %s" % m)
        if "source" in rec:
            fname, _, line = rec["source"].rpartition(":")
            check(os.path.exists(os.path.join(d, "exports", fname)), "source file %s" % fname)

    for m, n in exp["counts"].items():
        check(per_model[m] == n, "count %s %d != %d" % (m, per_model[m], n))
    blob = ""
    for f in glob.glob(os.path.join(d, "exports", "*")):
        enc = "cp1252" if f.endswith("Tasks (1).csv") else "utf-8-sig"
        blob += open(f, encoding=enc).read()
    for item in exp["review"]:
        check(item["value"] in blob, "review value absent %s" % item["value"])
    for ne in exp["not_expected"]:
        check(not any(r["model"] == ne["model"] and r["match"].get("name") == ne["match"]["name"]
                      for r in exp["records"]), "not_expected collides %s" % ne)
    rows_total = len(contacts) + len(opps) + len(appts) + len(tasks) + len(notes)
    print("%s: %d records, %d review items (%.1f%% of %d data rows), %d errors" % (
        d, len(exp["records"]), len(exp["review"]), 100.0 * len(exp["review"]) / rows_total,
        rows_total, len(errors)))
    for e in errors:
        print("  ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(max(main(x) for x in sys.argv[1:]))
