#!/usr/bin/env python3
"""Blind fidelity corpus for the *generic* CSV/XLSX source.

Writes DIR/exports/ (a multi-file CRM export as a user would upload it) and
DIR/expected.json (SCHEMA.md).  The export imitates a real CRM's own export,
chosen by the seed:

    seed % 3 == 1  Pipedrive-style  ("Organization - Name", "Person - Email (Work)",
                                     "Deal - Title", "Activity - Subject", "Note - Content")
    seed % 3 == 2  HubSpot-style    ("Record ID", "Company name", "Associated Company",
                                     "Deal Stage", "Task Title", "Note body")
    seed % 3 == 0  Zoho CRM-style   ("Account Name", "Mailing City", "Closing Date",
                                     "Reason For Loss", "Related To")

Every flavour has one XLSX file, files in utf-8, utf-8-sig and cp1252, comma,
semicolon and tab delimiters, local dates in the export's own format, numbers with
thousands separators, empty cells, multi-line cells and planted defects.  The
expected Odoo values are what a careful consultant expects (see README.md), never
what the addon does.

Standard library only, plus openpyxl for the XLSX file.  Deterministic per --seed.
"""

import argparse
import csv
import io
import json
import os
import random
import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl

TZ_NAME = "America/Chicago"  # the account's time zone (TZ file beside this script)
TZ = ZoneInfo(TZ_NAME)
UTC = ZoneInfo("UTC")
EXPORT_DAY = date(2026, 11, 20)

N_COMPANIES = 45
N_CONTACTS = 110
N_DEALS = 70
N_ACTIVITIES = 60
N_NOTES = 50

# ---------------------------------------------------------------- vocabulary
OWNERS = [
    ("Maria Keller", "maria.keller@northpeak-sales.com"),
    ("David Osei", "david.osei@northpeak-sales.com"),
    ("Laura Brennan", "laura.brennan@northpeak-sales.com"),
    ("Tomás Rivera", "tomas.rivera@northpeak-sales.com"),
]

NAME_A = [
    "Brightline", "Northwind", "Bluefin", "Cedarbrook", "Summit Ridge", "Ironwood", "Lakeshore",
    "Redstone", "Silverleaf", "Harborview", "Granite Peak", "Maplewood", "Sterling", "Evergreen",
    "Pioneer", "Atlas", "Horizon", "Keystone", "Riverbend", "Oakridge", "Vantage", "Crescent",
    "Falcon", "Meridian", "Copperfield", "Westbrook", "Starling", "Juniper", "Highgate", "Blackwater",
]
NAME_B = [
    "Logistics", "Foods", "Analytics", "Manufacturing", "Health", "Systems", "Partners", "Labs",
    "Energy", "Retail", "Software", "Consulting", "Media", "Robotics", "Outfitters",
]
ACCENTED_COMPANIES = [
    ("Bäckerei Schäfer", "DE"), ("Müller & Söhne Maschinenbau", "DE"), ("Café Lumière", "FR"),
    ("Société Générale de Matériaux", "FR"), ("Høgberg Nordic", "GB"), ("Château Réserve Imports", "CA"),
]
LEGAL = {"US": ["Inc.", "LLC", "Corp."], "CA": ["Inc.", "Ltd."], "DE": ["GmbH", "AG"],
         "GB": ["Ltd", "PLC"], "FR": ["SAS", "SARL"]}

# (country code, state code or None, city, zip, street, phone prefix, country spellings)
PLACES = [
    ("US", "IL", "Illinois", "Chicago", "60606", "S Wacker Dr", "+1 312"),
    ("US", "TX", "Texas", "Austin", "78701", "Congress Ave", "+1 512"),
    ("US", "CA", "California", "San Jose", "95113", "N First St", "+1 408"),
    ("US", "NY", "New York", "New York", "10001", "W 34th St", "+1 212"),
    ("US", "MA", "Massachusetts", "Boston", "02110", "Atlantic Ave", "+1 617"),
    ("US", "WA", "Washington", "Seattle", "98101", "Pine St", "+1 206"),
    ("CA", "ON", "Ontario", "Toronto", "M5V 2T6", "King St W", "+1 416"),
    ("CA", "QC", "Quebec", "Montréal", "H3B 4W8", "Rue Sainte-Catherine O", "+1 514"),
    ("DE", None, None, "München", "80331", "Sendlinger Straße", "+49 89"),
    ("DE", None, None, "Hamburg", "20095", "Mönckebergstraße", "+49 40"),
    ("GB", None, None, "London", "EC1A 1BB", "Aldersgate St", "+44 20"),
    ("FR", None, None, "Lyon", "69002", "Rue de la République", "+33 4"),
]
COUNTRY_NAMES = {
    "US": ["United States", "United States", "United States", "USA"],
    "CA": ["Canada"],
    "DE": ["Germany", "Germany", "Deutschland"],
    "GB": ["United Kingdom", "United Kingdom", "UK"],
    "FR": ["France"],
}

FIRST = [
    "Ann", "Mark", "Priya", "Jonas", "Elena", "Samuel", "Grace", "Victor", "Hannah", "Omar", "Chloe",
    "Liam", "Sofia", "Ethan", "Mei", "Lucas", "Nora", "Isaac", "Ava", "Noah", "Ruth", "Felix",
    "Jürgen", "François", "Zoë", "Søren", "Inés", "Björn", "Amélie", "José", "Renée", "Kwame",
    "Aisha", "Daniel", "Olivia", "Marcus", "Leah", "Tariq", "Camille", "Henrik",
]
LAST = [
    "Lee", "Owens", "Shah", "Becker", "Rossi", "Adeyemi", "Park", "Novak", "Fischer", "Haddad",
    "Martin", "O'Brien", "Costa", "Walker", "Chen", "Moreau", "Lindqvist", "Brooks", "Nakamura",
    "Gallagher", "Müller", "Dupré", "Weiß", "Jørgensen", "Peña", "Schäfer", "Duarte", "Kowalski",
    "Mensah", "Baptiste", "Reyes", "Holm", "Sullivan", "Grant", "Ibrahim",
]
TITLES = [
    "Head of Operations", "CFO", "Purchasing Manager", "IT Director", "Office Manager", "CEO",
    "Procurement Lead", "VP Sales", "Facilities Coordinator", "Operations Analyst", "", "",
]
REFERRAL = ["Trade show", "Website", "Partner referral", "Cold call", "Webinar", ""]
TIERS = ["Gold", "Silver", "Bronze", ""]
PRODUCTS = [
    "Fleet Tracking", "Annual Support", "Cloud Migration", "Onboarding Package", "Analytics Suite",
    "Hardware Refresh", "Training Days", "Security Audit", "Licence Renewal", "Integration Project",
]
LOST_REASONS = ["Too expensive", "Went with a competitor", "No budget this year", "Timing not right"]
ORG_LABELS = ["Customer", "Prospect", "Partner"]
PERSON_LABELS = ["Decision maker", "Newsletter", "VIP"]
DEAL_LABELS = ["Hot", "Upsell", "Referral"]
NOTE_TEXTS = [
    "Called about the renewal; they want a quote before the end of the quarter.",
    "Sent the revised proposal with the volume discount.",
    "Met at the trade show, interested in a pilot for two sites.",
    "Budget approved by the board, waiting for the purchase order.",
    "Asked for references from customers in the same industry.",
    "Technical call with their IT team: SSO and data export are must-haves.",
    "Follow-up: contract redlines returned by their legal team.",
    "Left a voicemail, will try again next week.",
    "Price objection: competitor is 15% cheaper but has no local support.",
    "Demo went well, next step is a workshop with the operations team.",
]
ACTIVITY_SUBJECTS = {
    "call": ["Discovery call", "Follow-up call", "Check-in call", "Pricing call"],
    "meeting": ["On-site demo", "Kick-off meeting", "Quarterly review"],
    "task": ["Prepare proposal", "Send contract draft", "Update forecast", "Collect references"],
    "email": ["Send case study", "Email pricing sheet", "Send meeting recap"],
}
ODOO_ACTIVITY_TYPE = {"call": "Call", "meeting": "Meeting", "task": "To-Do", "email": "Email"}


# ------------------------------------------------------------------ helpers
def utc_minute(local_dt):
    """A naive local datetime -> 'YYYY-MM-DD HH:MM' in UTC."""
    return local_dt.replace(tzinfo=TZ).astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def rnd_dt(rng, start, end, hours=(8, 17)):
    days = (end - start).days
    d = start + timedelta(days=rng.randrange(days + 1))
    return datetime(d.year, d.month, d.day, rng.randrange(*hours), rng.randrange(60), rng.randrange(60))


def slug(text):
    text = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss").replace("ø", "o"))
    out = "".join(c for c in text if c.isascii() and (c.isalnum() or c in " -"))
    return out.replace(" ", "").replace("-", "")


def phone_for(rng, prefix, style):
    a, b = rng.randrange(200, 999), rng.randrange(1000, 9999)
    if prefix.startswith("+1"):
        area = prefix[3:]
        return [f"{prefix} {a}-{b}", f"({area}) {a}-{b}", f"{prefix}.{a}.{b}".replace(" ", "-")][style % 3]
    if prefix == "+44 20":
        return f"{prefix} {rng.randrange(3000, 8999)} {rng.randrange(1000, 9999)}"
    if prefix.startswith("+33"):
        return f"{prefix} {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"
    return f"{prefix} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"


def thousands(value, style):
    """12500.5 -> '12,500.50' (en) or '12.500,50' (de)."""
    text = f"{value:,.2f}"
    if style == "de":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


# ------------------------------------------------------------------ the data
def build(rng):
    owners = OWNERS

    # companies
    names = set()
    companies = []
    for name, cc in ACCENTED_COMPANIES:
        names.add(name)
        companies.append({"base": name, "cc": cc})
    while len(companies) < N_COMPANIES:
        base = f"{rng.choice(NAME_A)} {rng.choice(NAME_B)}"
        if base in names:
            continue
        names.add(base)
        companies.append({"base": base, "cc": None})
    rng.shuffle(companies)
    for i, c in enumerate(companies):
        places = [p for p in PLACES if c["cc"] is None or p[0] == c["cc"]]
        place = rng.choice(places)
        cc, st, st_name, city, zip_, street, pprefix = place
        legal = rng.choice(LEGAL[cc])
        c["name"] = c["base"] if c["cc"] else f"{c['base']} {legal}"
        c["id"] = 1000 + i
        c["country"] = cc
        c["country_text"] = rng.choice(COUNTRY_NAMES[cc])
        c["state"] = f"{cc}-{st}" if st else None
        c["state_text"] = (st if rng.random() < 0.3 else st_name) if st else ""
        c["city"] = city
        c["zip"] = zip_
        number = rng.randrange(1, 980)
        c["street"] = f"{number} {street}" if cc in ("US", "CA", "GB") else f"{street} {number}"
        if cc == "FR":
            c["street"] = f"{number} {street}"
        c["phone"] = phone_for(rng, pprefix, i) if rng.random() < 0.9 else ""
        domain = slug(c["base"]) + {"US": ".com", "CA": ".ca", "DE": ".de", "GB": ".co.uk", "FR": ".fr"}[cc]
        c["domain"] = domain
        c["website"] = f"https://www.{domain}"
        c["owner"] = rng.choice(owners)
        c["tier"] = rng.choice(TIERS)
        c["labels"] = sorted(rng.sample(ORG_LABELS, rng.choice([0, 1, 1, 2])))
        c["employees"] = rng.choice([12, 45, 120, 850, 2300, 14000])
        c["revenue"] = rng.choice([450000, 1250000, 8900000, 23500000, 140000000])
        c["created"] = rnd_dt(rng, date(2024, 1, 10), date(2025, 12, 20))
        c["place_prefix"] = pprefix

    # contacts
    contacts = []
    used = set()
    while len(contacts) < N_CONTACTS:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if (first, last) in used:
            continue
        used.add((first, last))
        i = len(contacts)
        comp = rng.choice(companies) if rng.random() < 0.85 else None
        dom = comp["domain"] if comp else rng.choice(["gmail.com", "outlook.com", "proton.me"])
        email = f"{slug(first)}.{slug(last).replace(chr(39), '')}@{dom}"
        prefix = comp["place_prefix"] if comp else "+1 312"
        contacts.append({
            "id": 5000 + i,
            "first": first,
            "last": last,
            "name": f"{first} {last}",
            "email": email,
            "company": comp,
            "phone": phone_for(rng, prefix, i) if rng.random() < 0.8 else "",
            "mobile": phone_for(rng, prefix, i + 1) if rng.random() < 0.4 else "",
            "title": rng.choice(TITLES),
            "owner": comp["owner"] if comp and rng.random() < 0.7 else rng.choice(owners),
            "labels": sorted(rng.sample(PERSON_LABELS, rng.choice([0, 0, 1, 2]))),
            "referral": rng.choice(REFERRAL),
            "created": rnd_dt(rng, date(2024, 2, 1), date(2026, 6, 30)),
            "city": comp["city"] if comp else "Chicago",
            "country": comp["country"] if comp else "US",
            "country_text": comp["country_text"] if comp else "United States",
            "defect": None,
        })
    # planted: invalid email, duplicate contact, company written differently
    bad = contacts[7]
    bad["defect"] = "invalid_email"
    bad["bad_email"] = bad["email"].replace("@", "@@").rsplit(".", 1)[0]
    twin_of = contacts[12]
    if not twin_of["company"]:
        twin_of["company"] = companies[3]
    odd = next(c for c in contacts[20:] if c["company"] and not c["defect"])
    odd["company_text"] = "  " + odd["company"]["name"].lower() + " "

    # deals
    deals = []
    titles = set()
    pipelines = ["main", "partner"]
    while len(deals) < N_DEALS:
        comp = rng.choice(companies) if rng.random() < 0.9 else None
        staff = [c for c in contacts if comp and c["company"] is comp and not c["defect"]]
        person = rng.choice(staff) if staff and rng.random() < 0.6 else None
        if comp is None:
            person = rng.choice([c for c in contacts if not c["defect"]])
        title = f"{(comp or person['company'] or {'base': person['last']})['base']} - {rng.choice(PRODUCTS)}"
        if title in titles:
            continue
        titles.add(title)
        i = len(deals)
        status = rng.choices(["open", "won", "lost"], [55, 25, 20])[0]
        created = rnd_dt(rng, date(2025, 9, 1), date(2026, 9, 30))
        d = {
            "id": 9000 + i,
            "title": title,
            "value": rng.choice([1800, 4250, 12500, 18750.5, 36000, 125000, 7400, 980, 54300]),
            "company": comp,
            "person": person,
            "owner": (comp or person)["owner"] if rng.random() < 0.8 else rng.choice(owners),
            "pipeline": rng.choices(pipelines, [75, 25])[0],
            "stage_idx": rng.randrange(5),
            "status": status,
            "created": created,
            "close": None,
            "expected_close": None,
            "lost_reason": None,
            "labels": sorted(rng.sample(DEAL_LABELS, rng.choice([0, 0, 1, 2]))),
            "defect": None,
        }
        if status == "open":
            d["expected_close"] = EXPORT_DAY + timedelta(days=rng.randrange(14, 200))
        else:
            d["close"] = created + timedelta(days=rng.randrange(5, 50), hours=rng.randrange(0, 3))
            d["close"] = d["close"].replace(hour=rng.randrange(9, 17))
            if status == "lost":
                d["lost_reason"] = rng.choice(LOST_REASONS)
        deals.append(d)
    # planted: unknown organization, impossible date
    deals[5]["defect"] = "unknown_org"
    deals[5]["unknown_org"] = "Orbital Dynamics Europe GmbH"
    deals[5]["person"] = None
    open_deals = [d for d in deals if d["status"] == "open" and not d["defect"]]
    open_deals[3]["defect"] = "bad_date"

    # activities
    activities = []
    subjects = set()
    while len(activities) < N_ACTIVITIES:
        kind = rng.choices(["call", "meeting", "task", "email"], [35, 15, 35, 15])[0]
        on_deal = rng.random() < 0.7
        done = rng.random() < 0.45
        # Odoo deletes the open activities of a record it archives (a lost lead): a lost
        # deal in the export only carries done activities, as it would after migration.
        pool = [d for d in deals if not d["defect"] and (done or d["status"] != "lost")]
        deal = rng.choice(pool) if on_deal else None
        person = None
        if not deal:
            person = rng.choice([c for c in contacts if not c["defect"]])
        base = rng.choice(ACTIVITY_SUBJECTS[kind])
        target = deal["title"] if deal else person["name"]
        subject = f"{base} with {target.split(' - ')[0]}"
        n = 2
        while subject in subjects:
            subject = f"{base} with {target.split(' - ')[0]} ({n})"
            n += 1
        subjects.add(subject)
        due = (rnd_dt(rng, date(2026, 1, 5), date(2026, 11, 10)) if done
               else rnd_dt(rng, date(2026, 11, 23), date(2027, 2, 26)))
        a = {
            "id": 20000 + len(activities),
            "kind": kind,
            "subject": subject,
            "deal": deal,
            "person": person,
            "due": due,
            "done": done,
            "done_at": (due + timedelta(hours=rng.randrange(0, 5))).replace(hour=rng.randrange(9, 16))
            if done else None,
            "owner": (deal or person)["owner"],
            "note": rng.choice(["", "", "Bring the updated price list.", "Ask about the second site."]),
        }
        activities.append(a)

    # notes
    notes = []
    bodies = set()
    while len(notes) < N_NOTES:
        r = rng.random()
        deal = person = comp = None
        if r < 0.55:
            deal = rng.choice([d for d in deals if not d["defect"]])
        elif r < 0.85:
            person = rng.choice([c for c in contacts if not c["defect"]])
        else:
            comp = rng.choice(companies)
        text = rng.choice(NOTE_TEXTS)
        tag = f"[ref {rng.randrange(100, 999)}]"
        first_line = f"{text} {tag}"
        if first_line in bodies:
            continue
        bodies.add(first_line)
        extra = rng.choice(["", "", "Next step: call back on Monday.", "- bring the signed NDA\n- confirm headcount"])
        notes.append({
            "id": 30000 + len(notes),
            "text": first_line,
            "extra": extra,
            "deal": deal,
            "person": person,
            "company": comp,
            "at": rnd_dt(rng, date(2025, 10, 1), date(2026, 11, 18), hours=(7, 19)),
            "author": (deal or person or comp)["owner"],
        })
    # planted: a note on a deal that is not in the export
    notes[9]["deal"] = None
    notes[9]["person"] = None
    notes[9]["company"] = None
    notes[9]["orphan_deal"] = "Website relaunch (archived pipeline)"

    return {"owners": owners, "companies": companies, "contacts": contacts, "deals": deals,
            "activities": activities, "notes": notes, "twin_of": twin_of}


# ----------------------------------------------------------------- writers
def write_csv(path, header, rows, delimiter=",", encoding="utf-8", newline="\r\n"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    with open(path, "wb") as fh:
        fh.write(buf.getvalue().encode(encoding))


def write_xlsx(path, sheet, header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    # fixed metadata so the bytes do not depend on the clock
    wb.properties.created = datetime(2026, 11, 20, 9, 0, 0)
    wb.properties.modified = datetime(2026, 11, 20, 9, 0, 0)
    wb.properties.creator = "export"
    wb.save(path)
    _zip_fix(path)


def _zip_fix(path):
    """openpyxl stamps zip entries with the current time: rewrite them fixed."""
    import zipfile

    with zipfile.ZipFile(path) as zin:
        items = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 20, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)


# ---------------------------------------------------------------- flavours
STAGES = {
    "pipedrive": ["Lead In", "Contact Made", "Demo Scheduled", "Proposal Made", "Negotiations Started"],
    "hubspot": ["Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled",
                "Decision Maker Bought-In", "Contract Sent"],
    "zoho": ["Qualification", "Needs Analysis", "Value Proposition", "Proposal/Price Quote",
             "Negotiation/Review"],
}
PIPELINES = {
    "pipedrive": {"main": "New Business", "partner": "Partner Channel"},
    "hubspot": {"main": "Sales Pipeline", "partner": "Partner Channel"},
    "zoho": {"main": "Standard", "partner": "Partner Channel"},
}


def company_cell(contact):
    if contact.get("company_text"):
        return contact["company_text"]
    return contact["company"]["name"] if contact["company"] else ""


def contact_rows(data):
    """Contacts in export order, with the duplicate row inserted (a copy of twin_of)."""
    rows = []
    for c in data["contacts"]:
        rows.append(c)
        if c is data["contacts"][60]:
            twin = dict(data["twin_of"])
            twin["id"] = 5999
            twin["email"] = twin["email"].upper()
            twin["phone"] = ""
            twin["is_twin"] = True
            rows.append(twin)
    return rows


def email_cell(c):
    return c["bad_email"] if c["defect"] == "invalid_email" else c["email"]


def pipedrive(data, out):
    files = []
    # organizations.xlsx: the account export, XLSX
    h = ["Organization - ID", "Organization - Name", "Organization - Labels", "Organization - Owner",
         "Organization - Address - Street/road name of Address",
         "Organization - Address - City/town/village/locality of Address",
         "Organization - Address - State/county of Address",
         "Organization - Address - ZIP/Postal code of Address",
         "Organization - Address - Country of Address", "Organization - Phone",
         "Organization - Customer Tier", "Organization - Creation date"]
    rows = [[c["id"], c["name"], ", ".join(c["labels"]), c["owner"][0], c["street"], c["city"],
             c["state_text"], c["zip"], c["country_text"], c["phone"], c["tier"], c["created"]]
            for c in data["companies"]]
    write_xlsx(os.path.join(out, "organizations.xlsx"), "Organizations", h, rows)
    files.append("organizations.xlsx")

    # people.csv: opened and re-saved by Excel on a German Windows: cp1252, ';', dd.mm.yyyy
    h = ["Person - ID", "Person - Name", "Person - First name", "Person - Last name",
         "Person - Organization", "Person - Email (Work)", "Person - Phone (Work)",
         "Person - Phone (Mobile)", "Person - Job title", "Person - Labels", "Person - Owner",
         "Person - Referral Source", "Person - Creation date"]
    rows = [[c["id"], c["name"], c["first"], c["last"], company_cell(c), email_cell(c), c["phone"],
             c["mobile"], c["title"], ", ".join(c["labels"]), c["owner"][0], c["referral"],
             c["created"].strftime("%d.%m.%Y %H:%M")] for c in contact_rows(data)]
    write_csv(os.path.join(out, "people.csv"), h, rows, delimiter=";", encoding="cp1252")
    files.append("people.csv")

    # deals.csv: utf-8, ',', values with thousands separators, ISO dates
    st = STAGES["pipedrive"]
    h = ["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Currency of value", "Organization",
         "Contact person", "Deal - Owner", "Deal - Pipeline", "Deal - Stage", "Deal - Status",
         "Deal - Expected close date", "Deal - Won time", "Deal - Lost time", "Deal - Lost reason",
         "Deal - Label", "Deal - Creation date"]
    rows = []
    for d in data["deals"]:
        org = d["unknown_org"] if d["defect"] == "unknown_org" else (d["company"]["name"] if d["company"] else "")
        exp = d["expected_close"].isoformat() if d["expected_close"] else ""
        if d["defect"] == "bad_date":
            exp = f"{d['expected_close'].year}-02-30"
        rows.append([d["id"], d["title"], thousands(d["value"], "en"), "USD", org,
                     d["person"]["name"] if d["person"] else "", d["owner"][0],
                     PIPELINES["pipedrive"][d["pipeline"]], st[d["stage_idx"]], d["status"].capitalize(),
                     exp, d["close"].strftime("%Y-%m-%d %H:%M:%S") if d["status"] == "won" else "",
                     d["close"].strftime("%Y-%m-%d %H:%M:%S") if d["status"] == "lost" else "",
                     d["lost_reason"] or "", ", ".join(d["labels"]),
                     d["created"].strftime("%Y-%m-%d %H:%M:%S")])
    write_csv(os.path.join(out, "deals.csv"), h, rows)
    files.append("deals.csv")

    # activities.csv: utf-8 with BOM
    ptype = {"call": "Call", "meeting": "Meeting", "task": "Task", "email": "Email"}
    h = ["Activity - ID", "Activity - Subject", "Activity - Type", "Activity - Due date",
         "Activity - Due time", "Activity - Done", "Activity - Marked as done time",
         "Activity - Assigned to user", "Activity - Note", "Deal", "Contact person", "Organization"]
    rows = []
    for a in data["activities"]:
        d, p = a["deal"], a["person"]
        rows.append([a["id"], a["subject"], ptype[a["kind"]], a["due"].strftime("%Y-%m-%d"),
                     a["due"].strftime("%H:%M") if a["kind"] in ("call", "meeting") else "",
                     "Done" if a["done"] else "Undone",
                     a["done_at"].strftime("%Y-%m-%d %H:%M:%S") if a["done"] else "",
                     a["owner"][0], a["note"], d["title"] if d else "",
                     (d["person"]["name"] if d and d["person"] else (p["name"] if p else "")),
                     (d["company"]["name"] if d and d["company"] else "")])
    write_csv(os.path.join(out, "activities.csv"), h, rows, encoding="utf-8-sig")
    files.append("activities.csv")

    # notes.tsv: tab separated, HTML content with line breaks
    h = ["Note - ID", "Note - Content", "Note - Add time", "Note - User", "Deal", "Contact person",
         "Organization"]
    rows = []
    for n in data["notes"]:
        body = f"<p>{n['text']}</p>" + (f"<p>{n['extra'].replace(chr(10), '<br>')}</p>" if n["extra"] else "")
        deal = n["orphan_deal"] if n.get("orphan_deal") else (n["deal"]["title"] if n["deal"] else "")
        rows.append([n["id"], body, n["at"].strftime("%Y-%m-%d %H:%M:%S"), n["author"][0], deal,
                     n["person"]["name"] if n["person"] else "",
                     n["company"]["name"] if n["company"] else ""])
    write_csv(os.path.join(out, "notes.tsv"), h, rows, delimiter="\t", newline="\n")
    files.append("notes.tsv")
    return files


def hubspot(data, out):
    files = []
    # companies: XLSX export
    h = ["Record ID", "Company name", "Company Domain Name", "Website URL", "Phone Number",
         "Street Address", "City", "State/Region", "Postal Code", "Country/Region", "Industry",
         "Number of Employees", "Annual Revenue", "Company owner", "Customer Tier", "Create Date"]
    industries = ["Computer Software", "Logistics and Supply Chain", "Food & Beverages",
                  "Hospital & Health Care", "Machinery", "Retail"]
    rows = []
    for i, c in enumerate(data["companies"]):
        rows.append([c["id"] * 7 + 1000000, c["name"], c["domain"], c["website"], c["phone"], c["street"],
                     c["city"], c["state_text"], c["zip"], c["country_text"], industries[i % len(industries)],
                     c["employees"], c["revenue"], c["owner"][1], c["tier"], c["created"]])
    write_xlsx(os.path.join(out, "hubspot-crm-exports-all-companies-2026-11-20.xlsx"), "Companies", h, rows)
    files.append("hubspot-crm-exports-all-companies-2026-11-20.xlsx")

    # contacts: utf-8 (no BOM), ','
    h = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
         "Job Title", "Associated Company", "City", "Country/Region", "Contact owner",
         "Referral Source", "Create Date"]
    rows = [[c["id"] * 7 + 2000000, c["first"], c["last"], email_cell(c), c["phone"], c["mobile"],
             c["title"], company_cell(c), c["city"], c["country_text"], c["owner"][1], c["referral"],
             c["created"].strftime("%Y-%m-%d %H:%M")] for c in contact_rows(data)]
    write_csv(os.path.join(out, "hubspot-crm-exports-all-contacts-2026-11-20.csv"), h, rows)
    files.append("hubspot-crm-exports-all-contacts-2026-11-20.csv")

    # deals: re-saved by Excel (German locale): cp1252, ';', 12.500,00, dd.mm.yyyy hh:mm
    st = STAGES["hubspot"]
    h = ["Record ID", "Deal Name", "Pipeline", "Deal Stage", "Amount", "Close Date", "Deal owner",
         "Associated Company", "Associated Contact", "Closed Lost Reason", "Create Date"]
    rows = []
    for d in data["deals"]:
        stage = {"won": "Closed Won", "lost": "Closed Lost"}.get(d["status"], st[d["stage_idx"]])
        if d["status"] == "open":
            close = d["expected_close"].strftime("%d.%m.%Y") + " 00:00"
            if d["defect"] == "bad_date":
                close = f"30.02.{d['expected_close'].year} 00:00"
        else:
            close = d["close"].strftime("%d.%m.%Y %H:%M")
        org = d["unknown_org"] if d["defect"] == "unknown_org" else (d["company"]["name"] if d["company"] else "")
        rows.append([d["id"] * 7 + 3000000, d["title"], PIPELINES["hubspot"][d["pipeline"]], stage,
                     thousands(d["value"], "de"), close, d["owner"][1], org,
                     d["person"]["name"] if d["person"] else "", d["lost_reason"] or "",
                     d["created"].strftime("%d.%m.%Y %H:%M")])
    write_csv(os.path.join(out, "deals.csv"), h, rows, delimiter=";", encoding="cp1252")
    files.append("deals.csv")

    # tasks (calls, meetings, to-dos, emails logged as tasks): tab separated utf-8-sig
    htype = {"call": "Call", "meeting": "Meeting", "task": "To-do", "email": "Email"}
    h = ["Record ID", "Task Title", "Task Type", "Due Date", "Task Status", "Completed at",
         "Assigned to", "Notes", "Associated Deal", "Associated Contact"]
    rows = []
    for a in data["activities"]:
        d, p = a["deal"], a["person"]
        rows.append([a["id"] * 7 + 4000000, a["subject"], htype[a["kind"]], a["due"].strftime("%Y-%m-%d %H:%M"),
                     "Completed" if a["done"] else "Not started",
                     a["done_at"].strftime("%Y-%m-%d %H:%M") if a["done"] else "", a["owner"][1], a["note"],
                     d["title"] if d else "", p["email"] if p else ""])
    write_csv(os.path.join(out, "tasks.tsv"), h, rows, delimiter="\t", encoding="utf-8-sig")
    files.append("tasks.tsv")

    # notes: utf-8, ',', multi-line plain text bodies
    h = ["Record ID", "Activity date", "Note body", "Created by", "Associated Deal", "Associated Contact",
         "Associated Company"]
    rows = []
    for n in data["notes"]:
        body = n["text"] + ("\n" + n["extra"] if n["extra"] else "")
        deal = n["orphan_deal"] if n.get("orphan_deal") else (n["deal"]["title"] if n["deal"] else "")
        rows.append([n["id"] * 7 + 5000000, n["at"].strftime("%Y-%m-%d %H:%M"), body, n["author"][1], deal,
                     n["person"]["email"] if n["person"] else "",
                     n["company"]["name"] if n["company"] else ""])
    write_csv(os.path.join(out, "notes.csv"), h, rows)
    files.append("notes.csv")
    return files


def zoho(data, out):
    files = []
    # Accounts.csv: utf-8-sig, ',', MM/DD/YYYY hh:mm AM
    h = ["Record Id", "Account Name", "Phone", "Website", "Billing Street", "Billing City",
         "Billing State", "Billing Code", "Billing Country", "Industry", "Employees", "Annual Revenue",
         "Account Owner", "Customer Tier", "Created Time"]
    rows = [[f"zcrm_{c['id']}", c["name"], c["phone"], c["website"], c["street"], c["city"], c["state_text"],
             c["zip"], c["country_text"], "", c["employees"], thousands(c["revenue"], "en"), c["owner"][0],
             c["tier"], c["created"].strftime("%m/%d/%Y %I:%M %p")] for c in data["companies"]]
    write_csv(os.path.join(out, "Accounts.csv"), h, rows, encoding="utf-8-sig")
    files.append("Accounts.csv")

    # Contacts.xlsx
    h = ["Record Id", "First Name", "Last Name", "Account Name", "Email", "Phone", "Mobile", "Title",
         "Mailing City", "Mailing Country", "Contact Owner", "Referral Source", "Created Time"]
    rows = [[f"zcrm_{c['id']}", c["first"], c["last"], company_cell(c), email_cell(c), c["phone"], c["mobile"],
             c["title"], c["city"], c["country_text"], c["owner"][0], c["referral"], c["created"]]
            for c in contact_rows(data)]
    write_xlsx(os.path.join(out, "Contacts.xlsx"), "Contacts", h, rows)
    files.append("Contacts.xlsx")

    # Deals.csv: cp1252, ';' (re-saved), amounts 12.500,00, dd.mm.yyyy
    st = STAGES["zoho"]
    h = ["Record Id", "Deal Name", "Account Name", "Contact Name", "Amount", "Stage", "Pipeline",
         "Closing Date", "Deal Owner", "Reason For Loss", "Modified Time", "Created Time"]
    rows = []
    for d in data["deals"]:
        stage = {"won": "Closed Won", "lost": "Closed Lost"}.get(d["status"], st[d["stage_idx"]])
        close = d["expected_close"].strftime("%d.%m.%Y") if d["expected_close"] else d["close"].strftime("%d.%m.%Y")
        if d["defect"] == "bad_date":
            close = f"30.02.{d['expected_close'].year}"
        modified = d["close"] if d["close"] else d["created"] + timedelta(days=3)
        org = d["unknown_org"] if d["defect"] == "unknown_org" else (d["company"]["name"] if d["company"] else "")
        rows.append([f"zcrm_{d['id']}", d["title"], org, d["person"]["name"] if d["person"] else "",
                     thousands(d["value"], "de"), stage, PIPELINES["zoho"][d["pipeline"]], close,
                     d["owner"][0], d["lost_reason"] or "", modified.strftime("%d.%m.%Y %H:%M"),
                     d["created"].strftime("%d.%m.%Y %H:%M")])
    write_csv(os.path.join(out, "Deals.csv"), h, rows, delimiter=";", encoding="cp1252")
    files.append("Deals.csv")

    # Tasks.csv: utf-8, ','
    h = ["Record Id", "Subject", "Task Type", "Due Date", "Status", "Closed Time", "Task Owner",
         "Description", "Related To", "Contact Name"]
    ztype = {"call": "Call", "meeting": "Meeting", "task": "Task", "email": "Email"}
    rows = []
    for a in data["activities"]:
        d, p = a["deal"], a["person"]
        rows.append([f"zcrm_{a['id']}", a["subject"], ztype[a["kind"]], a["due"].strftime("%m/%d/%Y"),
                     "Completed" if a["done"] else "Not Started",
                     a["done_at"].strftime("%m/%d/%Y %I:%M %p") if a["done"] else "", a["owner"][0], a["note"],
                     d["title"] if d else "", p["name"] if p else ""])
    write_csv(os.path.join(out, "Tasks.csv"), h, rows)
    files.append("Tasks.csv")

    # Notes.txt: tab separated utf-8
    h = ["Record Id", "Note Title", "Note Content", "Parent Module", "Related To", "Note Owner",
         "Created Time"]
    rows = []
    for n in data["notes"]:
        if n.get("orphan_deal"):
            module, parent = "Deals", n["orphan_deal"]
        elif n["deal"]:
            module, parent = "Deals", n["deal"]["title"]
        elif n["person"]:
            module, parent = "Contacts", n["person"]["name"]
        else:
            module, parent = "Accounts", n["company"]["name"]
        body = n["text"] + ("\n" + n["extra"] if n["extra"] else "")
        rows.append([f"zcrm_{n['id']}", "", body, module, parent, n["author"][0],
                     n["at"].strftime("%m/%d/%Y %I:%M %p")])
    write_csv(os.path.join(out, "Notes.txt"), h, rows, delimiter="\t", newline="\n")
    files.append("Notes.txt")
    return files


FLAVOURS = {1: ("pipedrive", pipedrive), 2: ("hubspot", hubspot), 0: ("zoho", zoho)}


# ----------------------------------------------------------------- expected
def expected(data, flavour, files):
    owners_by_email = flavour == "hubspot"  # only HubSpot exports carry the owner's e-mail address
    f_org, f_person, f_deal, f_act, f_note = files
    records = []
    review = []
    counts = {"res.partner": 0, "crm.lead": 0, "mail.activity": 0, "mail.message": 0}

    def owner(values, who):
        if owners_by_email:
            values["user_id"] = who[1]

    # companies
    for line, c in enumerate(data["companies"], start=2):
        v = {"name": c["name"], "is_company": True, "street": c["street"], "city": c["city"],
             "zip": c["zip"], "country_id": c["country"], "state_id": c["state"],
             "phone": c["phone"] or None}
        if flavour != "pipedrive":
            v["website"] = c["website"]
        if flavour == "pipedrive":
            v["category_id"] = c["labels"]
        v["x:Customer Tier"] = c["tier"] or None
        owner(v, c["owner"])
        records.append({"model": "res.partner", "match": {"name": c["name"], "is_company": True},
                        "values": v, "source": f"{f_org}:{line}"})
        counts["res.partner"] += 1

    # contacts (the line numbers follow the export order, which holds the duplicate)
    line_of = {}
    for line, c in enumerate(contact_rows(data), start=2):
        if not c.get("is_twin"):
            line_of[c["id"]] = line
    for c in data["contacts"]:
        v = {"name": c["name"], "is_company": False,
             "parent_id": c["company"]["name"] if c["company"] else None,
             "phone": c["phone"] or None, "mobile": c["mobile"] or None, "function": c["title"] or None}
        if flavour != "pipedrive":
            v["city"] = c["city"]
            v["country_id"] = c["country"]
        if flavour == "pipedrive":
            v["category_id"] = c["labels"]
        v["x:Referral Source"] = c["referral"] or None
        owner(v, c["owner"])
        if c["defect"] == "invalid_email":
            match = {"name": c["name"], "is_company": False}
            review.append({"value": c["bad_email"], "why": "invalid email"})
        else:
            match = {"email": c["email"]}
            v["email"] = c["email"]
        records.append({"model": "res.partner", "match": match, "values": v,
                        "source": f"{f_person}:{line_of[c['id']]}"})
        counts["res.partner"] += 1
    review.append({"value": data["twin_of"]["email"], "why": "duplicate contact (same e-mail twice)"})

    # deals
    stages = STAGES[flavour]
    for line, d in enumerate(data["deals"], start=2):
        match = {"name": d["title"]}
        v = {"type": "opportunity", "expected_revenue": d["value"],
             "team_id": PIPELINES[flavour][d["pipeline"]]}
        if d["defect"] == "unknown_org":
            review.append({"value": d["unknown_org"], "why": "deal refers to an unknown organization"})
        elif d["person"]:
            v["partner_id"] = d["person"]["name"]
        else:
            v["partner_id"] = d["company"]["name"]
        owner(v, d["owner"])
        if flavour == "pipedrive":
            v["tag_ids"] = d["labels"]
        if d["status"] == "open":
            v["stage_id"] = stages[d["stage_idx"]]
            if d["defect"] == "bad_date":
                v["date_deadline"] = None
                bad = {"pipedrive": f"{d['expected_close'].year}-02-30",
                       "hubspot": f"30.02.{d['expected_close'].year}",
                       "zoho": f"30.02.{d['expected_close'].year}"}[flavour]
                review.append({"value": bad, "why": "impossible date in the expected close date"})
            else:
                v["date_deadline"] = d["expected_close"].isoformat()
        elif d["status"] == "won":
            v["stage_id"] = "Won"
            v["probability"] = 100
        else:
            match["active"] = False
            v["active"] = False
            v["probability"] = 0
            v["lost_reason_id"] = d["lost_reason"]
        # Pipedrive (Won/Lost time) and HubSpot (Close Date) give the closing moment;
        # Zoho gives only a closing *date*, so there is no minute to compare there.
        if d["status"] != "open" and flavour != "zoho":
            v["date_closed"] = utc_minute(d["close"])
        records.append({"model": "crm.lead", "match": match, "values": v, "source": f"{f_deal}:{line}"})
        counts["crm.lead"] += 1

    # activities
    for line, a in enumerate(data["activities"], start=2):
        if a["deal"]:
            rec = {"res_model": "crm.lead",
                   "record": {"name": a["deal"]["title"], **({"active": False} if a["deal"]["status"] == "lost" else {})}}
        else:
            rec = {"res_model": "res.partner", "record": {"email": a["person"]["email"]}}
        match = dict(rec, summary_contains=a["subject"])
        v = {"activity_type_id": ODOO_ACTIVITY_TYPE[a["kind"]], "date_deadline": a["due"].strftime("%Y-%m-%d")}
        if a["note"]:
            v["note"] = "~contains:" + a["note"]
        owner(v, a["owner"])
        if a["done"]:
            match["active"] = False
            v["active"] = False
            v["date_done"] = a["done_at"].strftime("%Y-%m-%d")
        records.append({"model": "mail.activity", "match": match, "values": v, "source": f"{f_act}:{line}"})
        counts["mail.activity"] += 1

    # notes
    for line, n in enumerate(data["notes"], start=2):
        if n.get("orphan_deal"):
            review.append({"value": n["orphan_deal"], "why": "note on a deal that is not in the export"})
            continue
        if n["deal"]:
            rec = {"res_model": "crm.lead",
                   "record": {"name": n["deal"]["title"], **({"active": False} if n["deal"]["status"] == "lost" else {})}}
        elif n["person"]:
            rec = {"res_model": "res.partner", "record": {"email": n["person"]["email"]}}
        else:
            rec = {"res_model": "res.partner", "record": {"name": n["company"]["name"], "is_company": True}}
        match = dict(rec, body_contains=n["text"])
        v = {"date": utc_minute(n["at"]), "message_type": "comment", "subtype_id": "Note"}
        if n["extra"]:
            v["body"] = "~contains:" + n["extra"].split("\n")[0].lstrip("- ")
        records.append({"model": "mail.message", "match": match, "values": v, "source": f"{f_note}:{line}"})
        counts["mail.message"] += 1

    orphan = data["notes"][9]["orphan_deal"]
    not_expected = [
        {"model": "res.partner", "match": {"name": orphan}},
        {"model": "crm.lead", "match": {"name": orphan}},
    ]
    return {"system": "generic", "flavour": flavour, "source_tz": TZ_NAME, "records": records,
            "counts": counts, "review": review, "not_expected": not_expected}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    data = build(rng)
    flavour, writer = FLAVOURS[args.seed % 3]
    exports = os.path.join(args.out, "exports")
    os.makedirs(exports, exist_ok=True)
    files = writer(data, exports)
    exp = expected(data, flavour, files)
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(exp, fh, indent=1, ensure_ascii=False, sort_keys=False)
        fh.write("\n")
    n = len(exp["records"])
    print(f"generic/{flavour} seed {args.seed}: {len(files)} files, {n} expected records, "
          f"{len(exp['review'])} review items -> {args.out}")


if __name__ == "__main__":
    main()
