"""Consistency check of an AllClients fidelity corpus (exports vs expected.json)."""

import csv, json, os, sys, re, datetime as dt, collections

out = sys.argv[1]
exp = json.load(open(os.path.join(out, "expected.json"), encoding="utf-8"))
ex = os.path.join(out, "exports")
files = sorted(os.listdir(ex))


def read(name, enc):
    with open(os.path.join(ex, name), newline="", encoding=enc) as fh:
        return list(csv.DictReader(fh))


def find(prefixes):
    for f in files:
        for p in prefixes:
            if f.lower().startswith(p):
                return f
    raise SystemExit("no file for %s" % prefixes)


cf = find(["contacts", "datamigration"])
nf = find(["notes"])
tf = find(["todos", "to-dos"])
uf = find(["team", "users"])
contacts = read(cf, "cp1252")
notes = read(nf, "cp1252")
raw = open(os.path.join(ex, tf), "rb").read()
tenc = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "cp1252"
todos = read(tf, tenc)
users = read(uf, "cp1252")
print(out, "dialect", exp["dialect"], "| files", files, "| todo encoding", tenc)
print(
    "rows: contacts %d notes %d todos %d users %d"
    % (len(contacts), len(notes), len(todos), len(users))
)


def col(row, *names):
    for n in names:
        if n in row:
            return row[n]
    raise KeyError(names)


# index contacts
by_email = collections.defaultdict(list)
by_name = collections.defaultdict(list)
by_id = {}
for r in contacts:
    e = col(r, "Email", "Email Address").strip().lower()
    n = "%s %s" % (r["First Name"].strip(), r["Last Name"].strip())
    if e:
        by_email[e].append(r)
    by_name[n].append(r)
    by_id[col(r, "Contact ID", "ID")] = r
companies = {col(r, "Company", "Company Name").strip() for r in contacts} - {""}


def contact_rows(match):
    if "email" in match:
        return by_email.get(match["email"].lower(), [])
    return by_name.get(match["name"], [])


problems = []
recs = exp["records"]
cnt = collections.Counter(r["model"] for r in recs)
print("expected records per model:", dict(cnt))
partner_person = [
    r for r in recs if r["model"] == "res.partner" and not r["match"].get("is_company")
]
partner_company = [r for r in recs if r["model"] == "res.partner" and r["match"].get("is_company")]

# 1. every person record matches rows (1, or 2 for the planted duplicate)
dup_emails = {x["value"].lower() for x in exp["review"] if x["why"].startswith("duplicate")}
for r in partner_person:
    rows = contact_rows(r["match"])
    want = 2 if r["match"].get("email", "").lower() in dup_emails else 1
    if len(rows) != want:
        problems.append(("person rows", r["match"], len(rows)))
    if rows:
        row = rows[0]
        v = r["values"]
        if v["name"] != "%s %s" % (row["First Name"], row["Last Name"]):
            problems.append(("name", v["name"]))
        comp = col(row, "Company", "Company Name").strip() or None
        if v.get("parent_id", "MISSING") not in ("MISSING", comp):
            problems.append(("parent", v["name"], comp))
        # phones: digits of expected appear among the row's phones
        rowphones = {
            re.sub(r"^1", "", re.sub(r"\D", "", row[k]))
            if row[k].strip().startswith("+1")
            else re.sub(r"\D", "", row[k])
            for k in row
            if re.fullmatch(r"Phone \d", k) and row[k]
        }
        for f in ("phone", "mobile"):
            if v.get(f):
                d = re.sub(r"\D", "", v[f])[1:]
                if d not in rowphones:
                    problems.append((f, v["name"], v[f], rowphones))
        # custom typed values re-parsed from the raw cells
        if "x:Annual Premium" in v:
            rawp = row["Annual Premium"].replace("$", "").replace(",", "")
            if abs(float(rawp) - v["x:Annual Premium"]) > 0.005:
                problems.append(("premium", v["name"]))
        if v.get("x:Birthday"):
            if (
                dt.datetime.strptime(row["Birthday"], "%m/%d/%Y").date().isoformat()
                != v["x:Birthday"]
            ):
                problems.append(("bday", v["name"]))
        if v.get("x:Policy Renewal Date"):
            if (
                dt.datetime.strptime(row["Policy Renewal Date"], "%m/%d/%Y").date().isoformat()
                != v["x:Policy Renewal Date"]
            ):
                problems.append(("renewal", v["name"]))
        if "x:Newsletter Opt-In" in v and v["x:Newsletter Opt-In"] != (
            row["Newsletter Opt-In"] == "Yes"
        ):
            problems.append(("optin", v["name"]))
        if v.get("street"):
            a = col(row, "Address", "Street Address").replace("\r\n", "\n").split("\n")
            if a[0] != v["street"] or (a[1] if len(a) > 1 else None) != v.get("street2"):
                problems.append(("street", v["name"], a))
        if "category_id" in v:
            tags = [t.strip() for t in col(row, "Flags", "Tags").split(",") if t.strip()]
            if sorted(tags) != sorted(v["category_id"]):
                problems.append(("tags", v["name"]))
        if "create_date" in v:
            added = dt.datetime.strptime(col(row, "Add Date", "Date Added"), "%m/%d/%Y %I:%M:%S %p")
            try:
                from zoneinfo import ZoneInfo

                u = added.replace(tzinfo=ZoneInfo("America/Chicago")).astimezone(dt.timezone.utc)
                if u.strftime("%Y-%m-%d %H:%M") != v["create_date"]:
                    problems.append(("create_date", v["name"], v["create_date"], u))
            except Exception as e:
                problems.append(("tz", str(e)))
# every contact row is covered by an expected record
covered = set()
for r in partner_person:
    for row in contact_rows(r["match"]):
        covered.add(id(row))
if len(covered) != len(contacts):
    problems.append(("uncovered contact rows", len(contacts) - len(covered)))
if {r["match"]["name"] for r in partner_company} != companies:
    problems.append(("companies", companies ^ {r["match"]["name"] for r in partner_company}))

# match uniqueness across all partner names (name matches must find exactly one partner)
names = (
    [r["values"]["name"] for r in partner_person]
    + [r["values"]["name"] for r in partner_company]
    + [r["values"]["name"] for r in recs if r["model"] == "res.users"]
)
dupn = [n for n, c in collections.Counter(names).items() if c > 1]
if dupn:
    problems.append(("non-unique partner names", dupn))

# 2. notes: every message record -> a notes row; joined by email or id; orphans in review
from zoneinfo import ZoneInfo

msgs = [r for r in recs if r["model"] == "mail.message"]
orph = {x["value"].lower() for x in exp["review"] if x["why"].startswith("orphan")}
matched_notes = 0
for n in notes:
    text = col(n, "Note", "Note Text")
    email = col(n, "Email", "Contact Email").strip().lower()
    cid = col(n, "Contact ID", "Contact Id")
    target = by_email.get(email) or ([by_id[cid]] if cid in by_id else None)
    if not target:
        if email not in orph:
            problems.append(("orphan not in review", email))
        continue
    matched_notes += 1
    when = (
        dt.datetime.strptime(col(n, "Date", "Note Date"), "%m/%d/%Y %I:%M %p")
        .replace(tzinfo=ZoneInfo("America/Chicago"))
        .astimezone(dt.timezone.utc)
        .strftime("%Y-%m-%d %H:%M")
    )
    hits = [m for m in msgs if m["values"]["body"] == text and m["values"]["date"] == when]
    if len(hits) != 1:
        problems.append(("note", text[:30], len(hits)))
    else:
        rows = contact_rows(hits[0]["match"]["record"])
        if target[0] not in rows:
            problems.append(("note target", text[:30]))
if matched_notes != len(msgs):
    problems.append(("message count", matched_notes, len(msgs)))
# body_contains unique per record
key = collections.Counter(
    (json.dumps(m["match"]["record"], sort_keys=True), m["match"]["body_contains"]) for m in msgs
)
for m in msgs:
    same = [
        x
        for x in msgs
        if x["match"]["record"] == m["match"]["record"]
        and m["match"]["body_contains"] in x["values"]["body"].replace("\r\n", "\n")
    ]
    if len(same) != 1:
        problems.append(("body_contains ambiguous", m["match"]))

# 3. to-dos
acts = [r for r in recs if r["model"] == "mail.activity"]
if len(acts) != len(todos) or exp["counts"]["mail.activity"] != len(todos):
    problems.append(("activity count",))
for t in todos:
    s = col(t, "Summary", "Subject")
    st = t["Status"].lower()
    hits = [
        a
        for a in acts
        if a["values"]["summary"] == s
        and a["values"]["active"] == (st == "open")
        and a["values"]["date_deadline"]
        == dt.datetime.strptime(col(t, "Due Date", "Due"), "%m/%d/%Y").date().isoformat()
    ]
    cid = col(t, "Contact ID", "Contact Id")
    hits = [a for a in hits if by_id[cid] in contact_rows(a["match"]["record"])]
    if len(hits) != 1:
        problems.append(("todo", s, len(hits)))
    done = col(t, "Completed", "Complete")
    if (done == "Yes") != (st == "closed"):
        problems.append(("todo flag", s))
for a in acts:
    same = [
        x
        for x in acts
        if x["match"]["record"] == a["match"]["record"]
        and a["match"]["summary_contains"] in x["values"]["summary"]
    ]
    if len(same) != 1:
        problems.append(("summary_contains ambiguous", a["match"]))
    if not contact_rows(a["match"]["record"]):
        problems.append(("todo contact", a["match"]))

# 4. users, review, counts
if len(users) != exp["counts"]["res.users"]:
    problems.append(("users",))
alltext = "".join(
    open(os.path.join(ex, f), "rb").read().decode(tenc if f == tf else "cp1252") for f in files
)
for x in exp["review"]:
    if x["value"] not in alltext:
        problems.append(("review value not in exports", x))
persons = len(partner_person)
if exp["counts"]["res.partner"] != persons + len(partner_company) + len(users):
    problems.append(("partner count",))
nrows = len(contacts) + len(notes) + len(todos)
print(
    "review items %d (%.1f%% of %d data rows): %s"
    % (
        len(exp["review"]),
        100.0 * len(exp["review"]) / nrows,
        nrows,
        [x["why"] for x in exp["review"]],
    )
)
print(
    "persons %d companies %d messages %d activities %d (open %d, done %d)"
    % (
        persons,
        len(partner_company),
        len(msgs),
        len(acts),
        sum(a["values"]["active"] for a in acts),
        sum(not a["values"]["active"] for a in acts),
    )
)
print("PROBLEMS:", len(problems))
for p in problems[:30]:
    print("  ", p)
