#!/usr/bin/env python3
"""Generate synthetic crmConnect exports (multi-file CSV), with documented defects.

    python samples/gen_crmconnect.py                 # samples/crmconnect/ + its README.md
    python samples/gen_crmconnect.py --out /tmp/cc --defects-json /tmp/cc.json

crmConnect has no API: a migration starts from the CSV files its UI exports, one per
object. The files written here look like such exports (headers "First Name", "Last Name",
"Email", "Phone" in E.164, "Company Name", "Tags", "Created" as mm/dd/yyyy, twenty-character
record ids, custom columns at the end of the header row). Real crmConnect exports were not
available: header spellings beyond the ones above are plausible guesses (see README.md).

Deterministic: a seeded ``random.Random``, fixed dates, no network, no clock; the same
arguments always give byte-identical files. ``generate(out)`` returns a summary (files,
rows, planted defects with file, physical line, column, value and expected outcome) that
the engine tests check against the files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import string
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "crmconnect"
SEED = 20240611

N_COMPANIES = 40
N_CONTACTS = 100
N_OPPORTUNITIES = 60
N_APPOINTMENTS = 24
N_ENGAGEMENTS = 120
N_TASKS = 30
N_MEMBERSHIPS = 30
N_INVOICES = 12

KNOWN_OWNERS = ["alice@example.com", "bob@example.com"]
UNKNOWN_OWNER = "zed.unknown@example.com"
ORPHAN_EMAIL = "ghost.buyer@nowhere-example.com"
UNKNOWN_ATTENDEE = "stranger@unknown-example.org"
BAD_TIMESTAMP = "02/30/2024 10:15 AM"
BAD_PROBABILITY = "120"
DUP_EMAIL_CONTACT = "Mia.Chen@Example.com"
DUP_EMAIL_MEMBER = "mia.chen@example.com"
UNKNOWN_PRODUCT = "Legacy Setup Fee"
EPOCH = dt.datetime(2023, 1, 2, 9, 0)

# fmt: off
PREFIX = [
    "Acme", "Blue Ridge", "Summit", "Northwind", "Redwood", "Pioneer", "Silverline",
    "Granite", "Harbor", "Lakeside", "Evergreen", "Keystone", "Beacon", "Cobalt",
    "Maple", "Orion", "Vertex", "Atlas", "Crescent", "Falcon",
]
SUFFIX = ["Analytics", "Dental", "Fitness", "Realty", "Roofing", "Law Group", "Coaching",
          "Med Spa", "Insurance", "Marketing"]
LEGAL = ["LLC", "Inc.", "Co.", ""]
INDUSTRIES = ["Health & Wellness", "Real Estate", "Home Services", "Legal",
              "Professional Services", "Marketing"]
CITIES = [
    ("Austin", "TX", "787", "512"), ("Denver", "CO", "802", "303"),
    ("Tampa", "FL", "336", "813"), ("Phoenix", "AZ", "850", "602"),
    ("Nashville", "TN", "372", "615"), ("Columbus", "OH", "432", "614"),
    ("Raleigh", "NC", "276", "919"), ("Boise", "ID", "837", "208"),
]
STREETS = ["Main St", "Oak Ave", "Market St", "Elm St", "Cedar Ln", "Park Blvd",
           "Lake Dr", "Hill Rd"]
FIRST = [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella",
    "Lucas", "Amelia", "Mason", "Harper", "Ethan", "Evelyn", "Logan", "Abigail", "Aiden",
    "Emily", "Jackson", "Ella", "Sebastian", "Chloe", "Mateo", "Grace", "Caleb", "Zoe",
    "Owen", "Nora", "Wyatt", "Lily", "Julian", "Hannah", "Levi", "Aria", "Isaac",
]
LAST = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris",
    "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "O'Neil", "Nguyen",
]
SOURCES = ["Facebook Ad", "Website Form", "Referral", "Google Ads", "Walk-in", "Webinar"]
TAGS = ["vip", "newsletter", "hot lead", "past client", "webinar-2023", "referral partner"]
CONTACT_METHODS = ["Email", "Phone", "SMS"]
LOST_REASONS = ["Price too high", "Went with competitor", "No budget", "Not interested"]
OPP_WORDS = ["Website Redesign", "Monthly Retainer", "Annual Plan", "Starter Package",
             "Coaching Program", "Ad Management", "SEO Package", "Renewal"]
CALENDARS = ["Discovery Call", "Strategy Session", "Onboarding"]
LOCATIONS = ["Zoom", "Google Meet", "Office - Suite 200", "Phone call"]
OFFERS = ["Growth Academy", "VIP Mastermind", "Client Portal"]
COURSES = ["Sales Fundamentals", "Funnel Bootcamp", "Lead Gen 101", "Closing Masterclass"]
PRODUCTS = [
    ("Starter Package", "497.00", "One Time", "SP-001", "Done-for-you starter setup"),
    ("Monthly Retainer", "1500.00", "Recurring", "MR-002", "Monthly marketing retainer"),
    ("Coaching Program", "2997.00", "One Time", "CP-003", "12-week coaching program"),
    ("Ad Management", "750.00", "Recurring", "AM-004", "Paid ads management"),
    ("SEO Package", "1200.00", "Recurring", "SEO-005", "Local SEO package"),
    ("VIP Day", "3500.00", "One Time", "VIP-006", "One-day intensive"),
]
# fmt: on

PIPELINES = [
    ("Sales Pipeline", [
        # (stage name, order, probability)
        ("New Lead", 1, "10"),
        ("Qualified", 2, "25"),
        ("Appointment Set", 3, "40"),
        ("Proposal Sent", 4, "60"),
        ("Negotiation", 5, BAD_PROBABILITY),
        ("Closed Won", 6, "100"),
    ]),
    ("Renewals", [
        ("Renewal Due", 1, "50"),
        ("Renewal Quote Sent", 2, "70"),
        ("Renewed", 3, "100"),
    ]),
]  # fmt: skip

COMPANY_HEADERS = [
    "Company ID", "Company Name", "Phone", "Email", "Website", "Address", "City",
    "State", "Postal Code", "Country", "Industry", "Assigned To", "Tags", "Created",
    "Employees", "Annual Contract Value",
]  # fmt: skip
CONTACT_HEADERS = [
    "Contact ID", "First Name", "Last Name", "Email", "Phone", "Company Name", "Address",
    "City", "State", "Postal Code", "Country", "Source", "Tags", "Assigned To", "Created",
    "Lead Score", "Preferred Contact Method", "Renewal Date",
]  # fmt: skip
PIPELINE_HEADERS = ["Pipeline ID", "Pipeline Name", "Created"]
STAGE_HEADERS = [
    "Stage ID", "Pipeline ID", "Pipeline Name", "Stage Name", "Stage Order",
    "Win Probability",
]  # fmt: skip
OPPORTUNITY_HEADERS = [
    "Opportunity ID", "Opportunity Name", "Contact Name", "Contact Email", "Phone",
    "Company Name", "Pipeline", "Stage", "Lead Value", "Status", "Lost Reason",
    "Assigned To", "Source", "Tags", "Expected Close Date", "Created", "Updated",
    "Contract Length (months)",
]  # fmt: skip
APPOINTMENT_HEADERS = [
    "Appointment ID", "Calendar", "Title", "Start Time", "End Time", "Timezone",
    "Contact Email", "Attendees", "Assigned To", "Location", "Appointment Status",
    "Notes", "Created",
]  # fmt: skip
ENGAGEMENT_HEADERS = [
    "Engagement ID", "Type", "Direction", "Contact Email", "Opportunity ID", "Subject",
    "Body", "Status", "Duration (sec)", "Date", "User",
]  # fmt: skip
TASK_HEADERS = [
    "Task ID", "Title", "Description", "Contact Email", "Opportunity ID", "Assigned To",
    "Due Date", "Status", "Completed On", "Created",
]  # fmt: skip
MEMBERSHIP_HEADERS = [
    "Membership ID", "Contact Email", "Member Name", "Offer", "Course", "Status",
    "Enrolled On", "Expires On", "Progress (%)",
]  # fmt: skip
PRODUCT_HEADERS = [
    "Product ID", "Product Name", "Description", "Price", "Currency", "Product Type",
    "SKU", "Created",
]  # fmt: skip
INVOICE_HEADERS = [
    "Invoice Number", "Invoice Date", "Due Date", "Contact Email", "Company Name",
    "Product", "Quantity", "Unit Price", "Total", "Amount Paid", "Status",
    "Payment Link", "Currency",
]  # fmt: skip

FILES = [
    "companies.csv", "contacts.csv", "pipelines.csv", "stages.csv", "opportunities.csv",
    "appointments.csv", "engagements.csv", "tasks.csv", "memberships.csv",
    "products.csv", "invoices.csv",
]  # fmt: skip


def rid(rng: random.Random) -> str:
    """A crmConnect-looking record id: 20 letters and digits."""
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(20))


def mdy(d: dt.date | dt.datetime) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def mdy_time(d: dt.datetime) -> str:
    hour = d.hour % 12 or 12
    return f"{mdy(d)} {hour:02d}:{d.minute:02d} {'AM' if d.hour < 12 else 'PM'}"


def phone(rng: random.Random, area: str) -> str:
    return f"+1{area}55501{rng.randint(0, 99):02d}"


def slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


class Defects:
    def __init__(self):
        self.items: list[dict] = []

    def add(self, file, line, column, value, defect, expected):
        self.items.append(
            {
                "file": file,
                "line": line,
                "column": column,
                "value": value,
                "defect": defect,
                "expected": expected,
            }
        )


def write_csv(path: Path, headers: list[str], rows: list[dict], **options) -> list[int]:
    """Write ``rows`` and return the physical line where each row starts."""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(
        buf, fieldnames=headers, lineterminator=options.get("newline", "\n")
    )
    writer.writeheader()
    lines, line = [], 1 + buf.getvalue().count("\n")
    for row in rows:
        before = buf.tell()
        writer.writerow(row)
        lines.append(line)
        line += buf.getvalue()[before:].count("\n")
    data = buf.getvalue().encode("utf-8")
    if options.get("bom"):
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return lines


# --------------------------------------------------------------------------- data


def make_companies(rng):
    companies, seen = [], set()
    while len(companies) < N_COMPANIES:
        base = f"{rng.choice(PREFIX)} {rng.choice(SUFFIX)}"
        if base in seen:
            continue
        seen.add(base)
        legal = rng.choice(LEGAL)
        city, state, zip3, area = rng.choice(CITIES)
        domain = slug(base) + ".example.com"
        companies.append(
            {
                "Company ID": rid(rng),
                "Company Name": f"{base} {legal}".strip(),
                "_base": base,
                "_domain": domain,
                "_area": area,
                "Phone": phone(rng, area),
                "Email": f"info@{domain}",
                "Website": f"https://www.{domain}",
                "Address": f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
                "City": city,
                "State": state,
                "Postal Code": f"{zip3}{rng.randint(0, 99):02d}",
                "Country": "US",
                "Industry": rng.choice(INDUSTRIES),
                "Assigned To": rng.choice(KNOWN_OWNERS),
                "Tags": rng.choice(["", "vip", "partner", "vip, partner"]),
                "Created": mdy(EPOCH + dt.timedelta(days=rng.randint(0, 200))),
                "Employees": str(rng.choice([3, 5, 8, 12, 25, 40, 75, 150])),
                "Annual Contract Value": f"{rng.randint(2, 60) * 500}.00",
            }
        )
    return companies


def make_contacts(rng, companies):
    contacts, emails = [], set()
    for i in range(N_CONTACTS):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company = companies[i % len(companies)] if i % 5 != 4 else None
        domain = company["_domain"] if company else "mail.example.net"
        local = f"{first}.{last}".lower().replace("'", "")
        email = f"{local}@{domain}"
        n = 2
        while email in emails:
            email = f"{local}{n}@{domain}"
            n += 1
        emails.add(email)
        city, state, zip3, area = rng.choice(CITIES)
        created = EPOCH + dt.timedelta(days=rng.randint(0, 400))
        contacts.append(
            {
                "Contact ID": rid(rng),
                "First Name": first,
                "Last Name": last,
                "Email": email,
                "Phone": phone(rng, company["_area"] if company else area),
                "Company Name": company["Company Name"] if company else "",
                "Address": f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
                "City": city,
                "State": state,
                "Postal Code": f"{zip3}{rng.randint(0, 99):02d}",
                "Country": "US",
                "Source": rng.choice(SOURCES),
                "Tags": ", ".join(sorted(rng.sample(TAGS, rng.randint(0, 2)))),
                "Assigned To": rng.choice(KNOWN_OWNERS),
                "Created": mdy(created),
                "Lead Score": str(rng.randint(0, 100)),
                "Preferred Contact Method": rng.choice(CONTACT_METHODS),
                "Renewal Date": mdy(created + dt.timedelta(days=365))
                if i % 3 == 0
                else "",
                "_company": company,
            }
        )
    return contacts


def make_pipelines(rng):
    pipelines, stages = [], []
    for name, stage_list in PIPELINES:
        pid = rid(rng)
        pipelines.append(
            {"Pipeline ID": pid, "Pipeline Name": name, "Created": mdy(EPOCH)}
        )
        rows = [
            {
                "Stage ID": rid(rng),
                "Pipeline ID": pid,
                "Pipeline Name": name,
                "Stage Name": stage,
                "Stage Order": str(order),
                "Win Probability": prob,
            }
            for stage, order, prob in stage_list
        ]
        # the export lists stages alphabetically, not in pipeline order
        stages += sorted(rows, key=lambda r: r["Stage Name"])
    return pipelines, stages


def make_opportunities(rng, contacts):
    opps = []
    statuses = ["open"] * 5 + ["won"] * 2 + ["lost"] * 2 + ["abandoned"] * 2
    for i in range(N_OPPORTUNITIES):
        contact = contacts[(i * 7) % len(contacts)]
        pipeline, stage_list = PIPELINES[0] if i % 4 else PIPELINES[1]
        status = rng.choice(statuses)
        if status == "won":
            stage = stage_list[-1][0]
        else:
            stage = rng.choice(stage_list[:-1])[0]
        created = EPOCH + dt.timedelta(
            days=rng.randint(30, 420), hours=rng.randint(0, 8)
        )
        updated = created + dt.timedelta(days=rng.randint(0, 60))
        company = contact["Company Name"]
        opps.append(
            {
                "Opportunity ID": rid(rng),
                "Opportunity Name": f"{company or contact['Last Name']} - "
                f"{rng.choice(OPP_WORDS)}",
                "Contact Name": f"{contact['First Name']} {contact['Last Name']}",
                "Contact Email": contact["Email"],
                "Phone": contact["Phone"],
                "Company Name": company,
                "Pipeline": pipeline,
                "Stage": stage,
                "Lead Value": f"{rng.randint(1, 60) * 250}.00",
                "Status": status,
                "Lost Reason": rng.choice(LOST_REASONS) if status == "lost" else "",
                "Assigned To": rng.choice(KNOWN_OWNERS),
                "Source": contact["Source"],
                "Tags": rng.choice(["", "upsell", "q3", "upsell, q3"]),
                "Expected Close Date": mdy(created + dt.timedelta(days=45)),
                "Created": mdy_time(created),
                "Updated": mdy_time(updated),
                "Contract Length (months)": str(rng.choice([1, 3, 6, 12, 24])),
            }
        )
    return opps


def make_appointments(rng, contacts):
    appts = []
    for i in range(N_APPOINTMENTS):
        contact = contacts[(i * 3 + 1) % len(contacts)]
        start = EPOCH + dt.timedelta(days=60 + i * 9, hours=rng.choice([0, 1, 2, 4, 6]))
        minutes = rng.choice([30, 45, 60])
        others = []
        if i % 4 == 0:
            others.append(contacts[(i * 3 + 2) % len(contacts)]["Email"])
        appts.append(
            {
                "Appointment ID": rid(rng),
                "Calendar": rng.choice(CALENDARS),
                "Title": f"{rng.choice(CALENDARS)} with {contact['First Name']} "
                f"{contact['Last Name']}",
                "Start Time": mdy_time(start),
                "End Time": mdy_time(start + dt.timedelta(minutes=minutes)),
                "Timezone": "America/Chicago" if i % 5 == 2 else "America/New_York",
                "Contact Email": contact["Email"],
                "Attendees": "; ".join(others),
                "Assigned To": KNOWN_OWNERS[i % 2],
                "Location": rng.choice(LOCATIONS),
                "Appointment Status": rng.choice(
                    ["confirmed", "showed", "showed", "noshow", "cancelled"]
                ),
                "Notes": rng.choice(["", "Bring pricing sheet", "Asked about SEO"]),
                "Created": mdy(start - dt.timedelta(days=7)),
            }
        )
    return appts


def make_engagements(rng, contacts, opps):
    rows = []
    kinds = ["Email"] * 4 + ["Call"] * 3 + ["Note"] * 3 + ["Meeting", "SMS"]
    for i in range(N_ENGAGEMENTS):
        opp = opps[i % len(opps)] if i % 3 == 0 else None
        email = (
            opp["Contact Email"] if opp else contacts[(i * 11) % len(contacts)]["Email"]
        )
        kind = rng.choice(kinds)
        when = EPOCH + dt.timedelta(
            days=30 + i * 3,
            hours=rng.randint(0, 8),
            minutes=rng.choice([0, 15, 30, 45]),
        )
        status, duration, direction, subject, body = "", "", "", "", ""
        if kind == "Email":
            direction = rng.choice(["outbound", "outbound", "inbound"])
            status = rng.choice(["delivered", "opened", "opened", "clicked"])
            subject = rng.choice(["Following up", "Your proposal", "Quick question"])
            body = "Hi, just checking in on our conversation."
        elif kind == "Call":
            direction = rng.choice(["outbound", "inbound"])
            status = rng.choice(["completed", "completed", "no-answer", "voicemail"])
            duration = str(rng.randint(0, 1800)) if status == "completed" else "0"
            body = rng.choice(["Discussed pricing", "Left voicemail", "Booked a demo"])
        elif kind == "Note":
            body = rng.choice(["Prefers morning calls.", "Budget approved for Q3."])
        elif kind == "Meeting":
            subject = "Quarterly review"
            body = "Reviewed results and next steps."
            status = "completed"
        else:  # SMS
            direction = rng.choice(["outbound", "inbound"])
            status = "delivered"
            body = "Thanks! See you Tuesday."
        rows.append(
            {
                "Engagement ID": rid(rng),
                "Type": kind,
                "Direction": direction,
                "Contact Email": email,
                "Opportunity ID": opp["Opportunity ID"] if opp else "",
                "Subject": subject,
                "Body": body,
                "Status": status,
                "Duration (sec)": duration,
                "Date": mdy_time(when),
                "User": rng.choice(KNOWN_OWNERS),
            }
        )
    return rows


def make_tasks(rng, contacts, opps):
    rows = []
    for i in range(N_TASKS):
        opp = opps[(i * 2) % len(opps)] if i % 2 == 0 else None
        email = (
            opp["Contact Email"] if opp else contacts[(i * 13) % len(contacts)]["Email"]
        )
        created = EPOCH + dt.timedelta(days=90 + i * 10, hours=2)
        due = created + dt.timedelta(days=rng.randint(1, 14))
        done = i % 3 != 0
        rows.append(
            {
                "Task ID": rid(rng),
                "Title": rng.choice(
                    ["Send proposal", "Call back", "Prepare contract", "Follow up"]
                ),
                "Description": rng.choice(
                    ["", "Use the new template", "Ask for referral"]
                ),
                "Contact Email": email,
                "Opportunity ID": opp["Opportunity ID"] if opp else "",
                "Assigned To": rng.choice(KNOWN_OWNERS),
                "Due Date": mdy(due),
                "Status": "completed" if done else "incomplete",
                "Completed On": mdy_time(due - dt.timedelta(hours=5)) if done else "",
                "Created": mdy_time(created),
            }
        )
    return rows


def make_memberships(rng, contacts):
    rows = []
    for i in range(N_MEMBERSHIPS):
        contact = contacts[(i * 3) % len(contacts)]
        enrolled = EPOCH + dt.timedelta(days=20 + i * 11)
        status = rng.choice(["active", "active", "cancelled", "expired"])
        rows.append(
            {
                "Membership ID": rid(rng),
                "Contact Email": contact["Email"],
                "Member Name": f"{contact['First Name']} {contact['Last Name']}",
                "Offer": rng.choice(OFFERS),
                "Course": rng.choice(COURSES),
                "Status": status,
                "Enrolled On": mdy(enrolled),
                "Expires On": mdy(enrolled + dt.timedelta(days=365)),
                "Progress (%)": str(rng.randint(0, 100)),
            }
        )
    return rows


def make_products(rng):
    return [
        {
            "Product ID": rid(rng),
            "Product Name": name,
            "Description": desc,
            "Price": price,
            "Currency": "USD",
            "Product Type": kind,
            "SKU": sku,
            "Created": mdy(EPOCH + dt.timedelta(days=i)),
        }
        for i, (name, price, kind, sku, desc) in enumerate(PRODUCTS)
    ]


def make_invoices(rng, contacts):
    rows = []
    for i in range(N_INVOICES):
        contact = contacts[(i * 8 + 3) % len(contacts)]
        name, price, _kind, _sku, _desc = PRODUCTS[i % len(PRODUCTS)]
        qty = rng.choice([1, 1, 2, 3])
        total = float(price) * qty
        date = EPOCH + dt.timedelta(days=120 + i * 17)
        status = rng.choice(["paid", "paid", "sent", "overdue"])
        rows.append(
            {
                "Invoice Number": f"INV-{1001 + i:06d}",
                "Invoice Date": mdy(date),
                "Due Date": mdy(date + dt.timedelta(days=14)),
                "Contact Email": contact["Email"],
                "Company Name": contact["Company Name"],
                "Product": name,
                "Quantity": str(qty),
                "Unit Price": price,
                "Total": f"{total:.2f}",
                "Amount Paid": f"{total:.2f}" if status == "paid" else "0.00",
                "Status": status,
                "Payment Link": f"https://pay.example.com/i/{rid(rng)[:10]}",
                "Currency": "USD",
            }
        )
    return rows


# -------------------------------------------------------------------- generate


def generate(out: Path) -> dict:
    """Write every file into ``out``; return ``{"files": {name: {"rows", "headers"}},
    "defects": [...]}``."""
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    defects = Defects()

    companies = make_companies(rng)
    contacts = make_contacts(rng, companies)
    # planted (before the other files use it): a contact in two files with a
    # different case; memberships row 3 (index 2) points at contacts[6]
    dup_contact = contacts[6]
    dup_contact["First Name"], dup_contact["Last Name"] = "Mia", "Chen"
    dup_contact["Email"] = DUP_EMAIL_CONTACT
    pipelines, stages = make_pipelines(rng)
    opps = make_opportunities(rng, contacts)
    appts = make_appointments(rng, contacts)
    engagements = make_engagements(rng, contacts, opps)
    tasks = make_tasks(rng, contacts, opps)
    memberships = make_memberships(rng, contacts)
    products = make_products(rng)
    invoices = make_invoices(rng, contacts)

    dup_member = memberships[2]
    assert dup_member["Contact Email"] == DUP_EMAIL_CONTACT
    dup_member["Contact Email"] = DUP_EMAIL_MEMBER

    # planted: a company spelled differently in contacts.csv
    variant_contact = contacts[1]
    variant_company = variant_contact["_company"]
    variant_value = variant_company["_base"].upper()
    variant_contact["Company Name"] = variant_value

    # planted: an opportunity whose contact email matches nobody; an unknown owner
    orphan = opps[11]
    orphan["Contact Email"] = ORPHAN_EMAIL
    orphan["Contact Name"] = "Gus Buyer"
    orphan["Phone"] = "+15125550199"
    orphan["Company Name"] = ""
    unknown_owner = opps[23]
    unknown_owner["Assigned To"] = UNKNOWN_OWNER

    # planted: an appointment with an unknown attendee
    appt = appts[5]
    appt["Attendees"] = "; ".join(x for x in (appt["Attendees"], UNKNOWN_ATTENDEE) if x)

    # planted: an engagement with a bad timestamp; a multi-line note body
    bad_eng = engagements[17]
    bad_eng["Type"] = "Call"
    bad_eng["Status"] = "completed"
    bad_eng["Duration (sec)"] = "300"
    bad_eng["Body"] = "Discussed renewal"
    bad_eng["Date"] = BAD_TIMESTAMP
    multi = engagements[4]
    multi.update(
        {
            "Type": "Note",
            "Direction": "",
            "Subject": "",
            "Status": "",
            "Duration (sec)": "",
            "Body": "Call summary:\nwants the annual plan\nsend contract Monday",
        }
    )

    # planted: an invoice for a product that is not in products.csv
    odd_invoice = invoices[7]
    odd_invoice["Product"] = UNKNOWN_PRODUCT

    def clean(rows):
        return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]

    specs = [
        ("companies.csv", COMPANY_HEADERS, companies, {}),
        ("contacts.csv", CONTACT_HEADERS, contacts, {"bom": True, "newline": "\r\n"}),
        ("pipelines.csv", PIPELINE_HEADERS, pipelines, {}),
        ("stages.csv", STAGE_HEADERS, stages, {}),
        ("opportunities.csv", OPPORTUNITY_HEADERS, opps, {}),
        ("appointments.csv", APPOINTMENT_HEADERS, appts, {}),
        ("engagements.csv", ENGAGEMENT_HEADERS, engagements, {}),
        ("tasks.csv", TASK_HEADERS, tasks, {}),
        ("memberships.csv", MEMBERSHIP_HEADERS, memberships, {}),
        ("products.csv", PRODUCT_HEADERS, products, {}),
        ("invoices.csv", INVOICE_HEADERS, invoices, {}),
    ]
    lines: dict[str, list[int]] = {}
    files: dict[str, dict] = {}
    for name, headers, rows, options in specs:
        lines[name] = write_csv(out / name, headers, clean(rows), **options)
        files[name] = {"rows": len(rows), "headers": headers}

    def line_of(name, rows, row):
        return lines[name][rows.index(row)]

    defects.add(
        "contacts.csv",
        line_of("contacts.csv", contacts, dup_contact),
        "Email",
        DUP_EMAIL_CONTACT,
        "the same person is in contacts.csv and memberships.csv with a different case",
        "one partner: dedupe_across_files reports a 'variant' person cluster "
        "that spans contacts.csv and memberships.csv; the membership goes to that partner",
    )
    defects.add(
        "memberships.csv",
        line_of("memberships.csv", memberships, dup_member),
        "Contact Email",
        DUP_EMAIL_MEMBER,
        "lower-case spelling of the contact above",
        "matched to the contact by normalised email; no second partner",
    )
    defects.add(
        "contacts.csv",
        line_of("contacts.csv", contacts, variant_contact),
        "Company Name",
        variant_value,
        f"company spelled without its legal form, in capitals "
        f"(companies.csv: {variant_company['Company Name']!r})",
        "linked to the company by normalised name (norm_company); a 'variant' "
        "company cluster, no second company",
    )
    defects.add(
        "stages.csv",
        next(
            lines["stages.csv"][i]
            for i, s in enumerate(stages)
            if s["Win Probability"] == BAD_PROBABILITY
        ),
        "Win Probability",
        BAD_PROBABILITY,
        "stage probability above 100",
        "stage 'Negotiation' created in its order with no probability; "
        "review item 'invalid value' (probability must be 0-100)",
    )
    defects.add(
        "opportunities.csv",
        line_of("opportunities.csv", opps, orphan),
        "Contact Email",
        ORPHAN_EMAIL,
        "contact email that matches no contact in any file",
        "opportunity loaded without partner (email_from and contact_name kept); "
        "review item 'contact not found'",
    )
    defects.add(
        "opportunities.csv",
        line_of("opportunities.csv", opps, unknown_owner),
        "Assigned To",
        UNKNOWN_OWNER,
        "owner who is not an Odoo user",
        "opportunity loaded without salesperson; review item 'unknown owner'",
    )
    defects.add(
        "appointments.csv",
        line_of("appointments.csv", appts, appt),
        "Attendees",
        appt["Attendees"],
        f"attendee {UNKNOWN_ATTENDEE} is in no file",
        "calendar.event created with the known attendees; review item "
        f"'unknown attendee {UNKNOWN_ATTENDEE}' (no partner invented)",
    )
    defects.add(
        "engagements.csv",
        line_of("engagements.csv", engagements, bad_eng),
        "Date",
        BAD_TIMESTAMP,
        "timestamp that is not a date (February 30)",
        "not loaded (its original date is unknown); review item 'invalid value'",
    )
    defects.add(
        "engagements.csv",
        line_of("engagements.csv", engagements, multi),
        "Body",
        multi["Body"],
        "quoted note body on three physical lines (following lines shift by two)",
        "one chatter note with the three lines",
    )
    defects.add(
        "invoices.csv",
        line_of("invoices.csv", invoices, odd_invoice),
        "Product",
        UNKNOWN_PRODUCT,
        "product that is not in products.csv",
        "with Accounting: invoice line without product (label kept) and review item "
        "'unknown product'; without Accounting: the invoice's review item (as every invoice)",
    )
    for row in invoices:
        defects.add(
            "invoices.csv",
            line_of("invoices.csv", invoices, row),
            "Invoice Number",
            row["Invoice Number"],
            "invoice (text-to-pay)",
            "account.move (customer invoice) when Accounting is installed; "
            "otherwise review item 'invoice not loaded: Accounting is not installed'",
        )
    summary = {
        "files": files,
        "defects": defects.items,
        "statuses": _count(opps, "Status"),
        "engagement_types": _count(engagements, "Type"),
    }
    return summary


def _count(rows, column):
    out: dict[str, int] = {}
    for row in rows:
        out[row[column]] = out.get(row[column], 0) + 1
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------- README


def readme_text(summary: dict) -> str:
    files = summary["files"]
    parts = [
        "# samples/crmconnect/: synthetic crmConnect exports",
        "",
        "Made by `python samples/gen_crmconnect.py` (standard library only, seeded, no "
        "network, no clock: the same files byte for byte on every run). Nothing here is "
        "real data; phones use the fictional 555-01xx range in E.164 (`+15125550123`).",
        "",
        "crmConnect is a white-label CRM with no public API: a migration starts from the "
        "CSV files its UI exports, one per object. Read them with "
        "`engine.sources.crmconnect.CrmConnectSource` (`--system crmconnect`).",
        "",
        'What is known and what is a guess: the contact headers "First Name", '
        '"Last Name", "Email", "Phone" (E.164), "Company Name", "Tags" and "Created" '
        "(mm/dd/yyyy) and custom columns at the end are the documented shape; the "
        "opportunity statuses open / won / lost / abandoned are those of the platform "
        "crmConnect appears to be built on. Every other header spelling below is a "
        "plausible guess, not copied from a real export: the engine maps headers through "
        "proposals a person confirms, never through fixed spellings.",
        "",
        "## Files",
        "",
        "| file | rows | headers |",
        "|---|---|---|",
    ]
    for name in FILES:
        info = files[name]
        parts.append(f"| {name} | {info['rows']} | {', '.join(info['headers'])} |")
    statuses = ", ".join(f"{k} {v}" for k, v in summary["statuses"].items())
    types = ", ".join(f"{k} {v}" for k, v in summary["engagement_types"].items())
    parts += [
        "",
        "Formats on purpose: contacts.csv is UTF-8 with a BOM and CRLF line ends (an "
        "Excel-friendly export), the other files UTF-8 with LF; dates are mm/dd/yyyy, "
        "date-times mm/dd/yyyy hh:mm AM/PM in the account's time zone (appointments carry "
        "their own `Timezone`); record ids are 20 letters and digits; stages.csv lists "
        "stages alphabetically (the order is in `Stage Order`); opportunities reference "
        "pipeline and stage by name and the contact by email.",
        "",
        "Custom columns (not crmConnect standard headers): contacts `Lead Score` "
        "(integer), `Preferred Contact Method` (picklist), `Renewal Date` (date); "
        "companies `Employees` (integer), `Annual Contract Value` (float); opportunities "
        "`Contract Length (months)` (integer). memberships.csv is the custom object "
        "(offer / course enrollments): x_ fields on the contact or a related model, per "
        "the consultant's map.",
        "",
        f"Opportunity statuses: {statuses} (abandoned -> lost with reason "
        f'"Abandoned"). Engagement types: {types}.',
        "",
        "Dependency order (`file_order`): pipelines, stages, companies, contacts, "
        "products, opportunities, appointments, engagements, tasks, memberships, invoices.",
        "",
        "## Planted defects",
        "",
        "Lines are physical lines (header = line 1).",
        "",
        "| file | line | column | value | defect | expected outcome |",
        "|---|---|---|---|---|---|",
    ]
    for d in summary["defects"]:
        value = d["value"].replace("\n", "\\n").replace("|", "\\|")
        parts.append(
            f"| {d['file']} | {d['line']} | {d['column']} | `{value}` | {d['defect']} "
            f"| {d['expected']} |"
        )
    return "\n".join(parts) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument(
        "--defects-json", type=Path, help="also write the defect list as JSON here"
    )
    args = parser.parse_args(argv)
    summary = generate(args.out)
    (args.out / "README.md").write_text(readme_text(summary), encoding="utf-8")
    if args.defects_json:
        args.defects_json.write_text(
            json.dumps(summary["defects"], indent=2, ensure_ascii=False),
            encoding="utf-8",
        )
    total = sum(f["rows"] for f in summary["files"].values())
    print(f"{args.out}: {len(summary['files'])} files, {total} rows, "
          f"{len(summary['defects'])} planted defects")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
