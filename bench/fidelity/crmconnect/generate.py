#!/usr/bin/env python3
"""Blind fidelity corpus for crmConnect -> Odoo 18.

crmConnect is a white-label small-business CRM with no public API; data leaves it as several
CSV exports made from the UI (contacts, companies, opportunities, pipelines/stages, appointments,
tasks, notes, team members, products).  This script writes such a set of exports and the
expected Odoo 18 result (expected.json) following bench/fidelity/SCHEMA.md.

    python generate.py --out DIR [--seed N]

Standard library only, deterministic for a given seed.  See README.md next to this file for the
assumptions (time zone: every wall-clock time in the exports is America/Chicago).
"""
import argparse
import csv
import datetime as dt
import io
import json
import os
import random

SYSTEM = "crmconnect"
ACCOUNT_TZ = "America/Chicago"

# --------------------------------------------------------------------------------------------
# time helpers (US Central, DST rules since 2007; implemented here so no tz database is needed)
# --------------------------------------------------------------------------------------------


def _nth_sunday(year, month, n):
    first = dt.date(year, month, 1)
    first_sunday = 1 + (6 - first.weekday()) % 7
    return dt.date(year, month, first_sunday + 7 * (n - 1))


def chicago_to_utc(local):
    """Naive America/Chicago wall-clock datetime -> naive UTC datetime."""
    start = dt.datetime.combine(_nth_sunday(local.year, 3, 2), dt.time(2, 0))
    end = dt.datetime.combine(_nth_sunday(local.year, 11, 1), dt.time(2, 0))
    offset = 5 if start <= local < end else 6
    return local + dt.timedelta(hours=offset)


def us_date(d):
    return d.strftime("%m/%d/%Y")


def us_datetime(d):
    return d.strftime("%m/%d/%Y %I:%M %p")


def iso_date(d):
    return d.strftime("%Y-%m-%d")


def utc_minute(d):
    return d.strftime("%Y-%m-%d %H:%M")


def pretty_phone(e164):
    """How a person types a number in the companies screen (+1 312-555-0134, +49 89 ...)."""
    if e164.startswith("+1"):
        d = e164[2:]
        return "+1 %s-%s-%s" % (d[:3], d[3:6], d[6:])
    if e164.startswith("+49"):
        d = e164[3:]
        return "+49 %s %s" % (d[:2], d[2:])
    if e164.startswith("+44"):
        d = e164[3:]
        if d.startswith("20"):
            return "+44 20 %s %s" % (d[2:6], d[6:])
        return "+44 %s %s %s" % (d[:3], d[3:6], d[6:])
    return e164


def money(v):
    return "${:,.2f}".format(v)


# --------------------------------------------------------------------------------------------
# reference data (all strings cp1252-encodable: the tasks export is written in cp1252)
# --------------------------------------------------------------------------------------------

BUSINESS_DOMAIN = "brightlanemarketing.com"

USER_POOL = [
    ("Rachel", "Donovan", "Account Admin"),
    ("Marcus", "Bell", "Account User"),
    ("Priya", "Natarajan", "Account User"),
    ("Tom", "Kessler", "Account User"),
    ("Sofia", "Alvarez", "Account User"),
    ("Devon", "Okafor", "Account User"),
    ("Greg", "Whitaker", "Account User"),
    ("Hannah", "Lindqvist", "Account User"),
]

# (city, state code, state full name, country code, zip prefix/forms, phone prefix)
CITIES = [
    ("Chicago", "IL", "Illinois", "US", ["60601", "60607", "60614", "60622"], "+1312555"),
    ("Austin", "TX", "Texas", "US", ["78701", "78704", "78745"], "+1512555"),
    ("Boston", "MA", "Massachusetts", "US", ["02116", "02108", "02134"], "+1617555"),
    ("Denver", "CO", "Colorado", "US", ["80202", "80205", "80218"], "+1303555"),
    ("Nashville", "TN", "Tennessee", "US", ["37203", "37206"], "+1615555"),
    ("Phoenix", "AZ", "Arizona", "US", ["85004", "85016"], "+1602555"),
    ("Portland", "OR", "Oregon", "US", ["97205", "97209"], "+1503555"),
    ("Madison", "WI", "Wisconsin", "US", ["53703", "53711"], "+1608555"),
    ("Toronto", "ON", "Ontario", "CA", ["M5V 2T6", "M4W 1A8", "M6J 3K4"], "+1416555"),
    ("Montréal", "QC", "Québec", "CA", ["H2X 1Y4", "H3B 2Y5"], "+1514555"),
    ("Vancouver", "BC", "British Columbia", "CA", ["V6B 1A1", "V5K 0A4"], "+1604555"),
    ("München", "", "", "DE", ["80331", "80469", "81667"], "+4989"),
    ("Berlin", "", "", "DE", ["10115", "10435", "10999"], "+4930"),
    ("Hamburg", "", "", "DE", ["20095", "22765"], "+4940"),
    ("London", "", "", "GB", ["EC1A 1BB", "SE1 9GF", "N1 7GU"], "+44207946"),
    ("Manchester", "", "", "GB", ["M1 1AE", "M4 6WX"], "+44161496"),
]

# how each country is spelled in the exports (the way crmConnect users typed it)
COUNTRY_SPELLINGS = {
    "US": ["United States", "US", "USA", "United States"],
    "CA": ["CAN", "Canada", "CA"],
    "DE": ["Deutschland", "Germany", "DE"],
    "GB": ["United Kingdom", "UK", "GB"],
}

STREETS_US = ["Main St", "Oak Ave", "Lake Shore Dr", "Market St", "Elm St", "Broadway",
              "Congress Ave", "Maple Rd", "Washington Blvd", "Cedar Ln", "Pine St", "2nd Ave"]
STREETS_CA = ["King St W", "Rue Sainte-Catherine O", "Granville St", "Queen St E",
              "Boulevard Saint-Laurent", "Robson St"]
STREETS_DE = ["Leopoldstraße", "Torstraße", "Schanzenstraße", "Sendlinger Str.",
              "Kastanienallee", "Mönckebergstraße"]
STREETS_GB = ["Old Street", "Borough High St", "Upper Street", "Deansgate", "Oldham St"]

COMPANY_POOL = [
    # name, domain, industry, country preference
    ("Acme Plumbing & Heating", "acmeplumbingco.com", "Home Services", "US"),
    ("Blue Fern Dental", "bluefern-dental.com", "Healthcare", "US"),
    ("Cornerstone Realty Group", "cornerstonerg.com", "Real Estate", "US"),
    ("Harbor Point Fitness", "harborpointfit.com", "Fitness", "US"),
    ("Lakeside Auto Body", "lakesideautobody.com", "Automotive", "US"),
    ("Summit Roofing LLC", "summitroofingllc.com", "Construction", "US"),
    ("Greenleaf Landscaping", "greenleaf-land.com", "Home Services", "US"),
    ("Pinnacle Chiropractic", "pinnaclechiro.com", "Healthcare", "US"),
    ("Urban Nest Interiors", "urbannestinteriors.com", "Design", "US"),
    ("Redwood Legal Partners", "redwoodlegal.com", "Legal", "US"),
    ("Copperline Coffee Co.", "copperlinecoffee.com", "Food & Beverage", "US"),
    ("Silverstone Insurance Agency", "silverstoneins.com", "Insurance", "US"),
    ("Brightwater Pool Service", "brightwaterpools.com", "Home Services", "US"),
    ("Northwind Tax Advisors", "northwindtax.com", "Accounting", "US"),
    ("Maple & Birch Bakery", "maplebirchbakery.ca", "Food & Beverage", "CA"),
    ("Boréal Physiothérapie", "borealphysio.ca", "Healthcare", "CA"),
    ("Granville Yoga Studio", "granvilleyoga.ca", "Fitness", "CA"),
    ("Schäfer Zahnarztpraxis", "schaefer-zahnarzt.de", "Healthcare", "DE"),
    ("Weißbach Immobilien GmbH", "weissbach-immo.de", "Real Estate", "DE"),
    ("Elbe Kaffeerösterei", "elbe-roesterei.de", "Food & Beverage", "DE"),
    ("Thames Valley Joinery Ltd", "tvjoinery.co.uk", "Construction", "GB"),
    ("Ancoats Digital Print", "ancoatsprint.co.uk", "Printing", "GB"),
]

FIRST_US = ["Ann", "James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Mia", "Lucas",
            "Harper", "Mason", "Ella", "Logan", "Grace", "Caleb", "Chloe", "Owen", "Lily",
            "Wyatt", "Nora", "Henry", "Zoe", "Isaac", "Aria", "Julian", "Layla", "Miles",
            "Riley", "Jasmine", "Andre", "Keisha", "Carlos", "Marisol", "Derek", "Tanya",
            "Brandon", "Whitney", "Trevor", "Megan", "Dana", "Kyle", "Renee", "Victor"]
LAST_US = ["Lee", "Carter", "Nguyen", "Brooks", "Patel", "Ramirez", "Sullivan", "Foster",
           "Hughes", "Coleman", "Jenkins", "Price", "Bennett", "Ward", "Barnes", "Ross",
           "Henderson", "Perry", "Powell", "Long", "Flores", "Washington", "Butler", "Simmons",
           "Bryant", "Alexander", "Russell", "Griffin", "Hayes", "Myers", "Ford", "Graham",
           "Wallace", "Reyes", "O'Neil", "McAllister", "Delgado", "Whitfield", "Ostrowski"]
FIRST_CA = ["Chloé", "Étienne", "Mathieu", "Geneviève", "Olivier", "Maude", "Liam", "Avery",
            "Noémie", "Félix"]
LAST_CA = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie",
           "MacDonald", "Fraser"]
FIRST_DE = ["Jürgen", "Katrin", "Björn", "Anja", "Stefan", "Jörg", "Sabine", "Lukas",
            "Maren", "Tobias"]
LAST_DE = ["Müller", "Weiß", "Schäfer", "Becker", "Hoffmann", "Krüger", "Köhler",
           "Schröder", "Wagner", "Neumann"]
FIRST_GB = ["Oliver", "Amelia", "Harry", "Isla", "George", "Freya", "Alfie", "Poppy"]
LAST_GB = ["Thompson", "Evans", "Davies", "Hughes", "Wright", "Cooper", "Ellison", "Marsh"]

PERSONAL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com",
                    "aol.com", "protonmail.com"]
DOMAINS_DE = ["gmx.de", "web.de", "t-online.de"]

CONTACT_TAGS = ["VIP", "Newsletter", "Customer", "Past Client", "Hot Lead", "Referral",
                "webinar-2025", "Facebook Lead", "Needs Follow-up", "Do Not Email"]
LEAD_SOURCES = ["Facebook Ad", "Google Ads", "Referral", "Website Form", "Walk-in",
                "Trade Show", "Yelp", "Instagram"]
ASSISTANT_FIRST = ["Karen", "Janet", "Colleen", "Brent", "Tiffany", "Marco", "Imani", "Greta",
                   "Yolanda", "Rhys", "Beatrix", "Ingrid"]
ASSISTANT_LAST = ["Holt", "Vasquez", "Pruitt", "Kinsella", "Abernathy", "Quigley", "Sato",
                  "Lindgren", "Mbeki", "Tallis", "Vandermeer", "Rourke"]

PIPELINES = [
    ("Sales Pipeline", [("New Lead", 10), ("Contacted", 25), ("Appointment Set", 40),
                        ("Proposal Sent", 60), ("Negotiation", 80), ("Closed", 100)]),
    ("Renewals", [("Renewal Due", 50), ("Renewal Quote Sent", 70), ("Verbal Yes", 90),
                  ("Renewed", 100)]),
]
SERVICES = ["Website Redesign", "SEO Retainer", "Google Ads Management", "Social Media Package",
            "Reputation Management", "Landing Page Build", "Email Automation Setup",
            "Local Listings Cleanup", "Video Testimonial Shoot", "Review Funnel Setup"]
LOST_REASONS = ["Too expensive", "Went with competitor", "No budget this year",
                "Timing not right", "Chose to do it in-house"]
OPP_TAGS = ["Upsell", "Inbound", "Priority", "Q1 Push"]

PRODUCTS = [
    ("Website Care Plan", "Monthly hosting, backups and up to 2 hours of edits.", 149.00,
     "WCP-001", "Recurring"),
    ("SEO Starter Package", "Keyword research, on-page fixes and a monthly report.", 499.00,
     "SEO-100", "Recurring"),
    ("Landing Page Build", "One conversion-focused landing page, copy included.", 1299.00,
     "LPB-200", "One Time"),
    ("Review Funnel Setup", "Automated review requests by SMS and email.", 349.50,
     "RFS-050", "One Time"),
    ("Ad Management (per month)", "Google and Facebook ad management, up to $5k spend.",
     750.00, "ADM-300", "Recurring"),
]

NOTE_TEMPLATES = [
    "Called {first} - interested in the {service}. Wants pricing by Friday.",
    "Left voicemail for {first}; will try again next week.",
    "Met {first} at the chamber mixer. Owns {company_or_self}, about {n} locations.",
    "{first} asked us to hold off until after tax season.\nFollow up in April.",
    "Sent recap email after the call.\nKey points:\n- budget approved\n- wants launch before summer",
    "Spoke with {first} about renewal; happy with results, \"wants more leads from Google\".",
    "Price objection: {first} compared us with a cheaper agency; sent case study.",
    "{first} referred a friend (see tags). Send a thank-you card.",
    "Reviewed last month's report with {first}. Calls up 18%, forms up 9%.",
    "Onboarding checklist sent; waiting on logo files and GBP access.",
    "{first} prefers text over email; best time after 3pm.",
    "Discussed contract terms; {first} wants month-to-month, not annual.",
]

TASK_TEMPLATES = [
    "Call back {first} about the proposal",
    "Send contract to {first} {last}",
    "Follow up re: {service}",
    "Check in after onboarding - {first}",
    "Prepare monthly report for {first}",
    "Confirm {first}’s logo files were received",
    "Ask {first} for a Google review",
    "Schedule kickoff call with {first}",
]
TASK_TEMPLATES_DE = [
    "Angebot an {last} nachfassen",
    "Rückruf bei {first} {last} – Terminbestätigung",
]
TASK_DESCRIPTIONS = [
    "Mention the spring promo – 10% off setup.",
    "Client’s office manager handles billing.\nCC her on the invoice.",
    "Use the updated pricing sheet (v3).",
    "If no answer, send a text instead.",
    "Needs the signed SOW before we start; remind about the deposit.",
]

APPT_TITLES = ["Discovery Call with {first} {last}", "Strategy Session - {first} {last}",
               "Proposal Review: {who}", "Onboarding Kickoff - {who}",
               "Quarterly Review with {first} {last}"]
APPT_NOTES = [
    "Bring the audit results.",
    "Client wants to see competitor rankings.\nPrepare 3 examples.",
    "Rescheduled once already; confirm by text the day before.",
    "Decision maker + partner attending; keep it under 45 min.",
]


# --------------------------------------------------------------------------------------------
# CSV writer that remembers the physical line on which every data row starts
# --------------------------------------------------------------------------------------------

def write_csv(path, header, rows, encoding="utf-8", delimiter=",", bom=False):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    starts = []
    for row in rows:
        starts.append(buf.getvalue().count("\n") + 1)
        w.writerow(row)
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as fh:
        fh.write(data)
    return starts


# --------------------------------------------------------------------------------------------
# generator
# --------------------------------------------------------------------------------------------

class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.r = random.Random(seed)
        self.records = []
        self.review = []
        self.not_expected = []
        self.used_names = set()
        self.used_emails = set()
        self.export_day = dt.date(2025, 12, 1) + dt.timedelta(days=self.r.randint(0, 20))

    # ---- small helpers -------------------------------------------------------------------
    def pick(self, seq):
        return self.r.choice(seq)

    def rand_date(self, start, end):
        span = (end - start).days
        return start + dt.timedelta(days=self.r.randint(0, span))

    def rand_id(self, n=20):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def street(self, cc):
        n = self.r.randint(3, 9800)
        if cc == "US":
            return "%d %s" % (n, self.pick(STREETS_US))
        if cc == "CA":
            return "%d %s" % (self.r.randint(10, 2400), self.pick(STREETS_CA))
        if cc == "DE":
            return "%s %d" % (self.pick(STREETS_DE), self.r.randint(1, 140))
        return "%d %s" % (self.r.randint(1, 300), self.pick(STREETS_GB))

    def phone(self, prefix):
        if prefix.startswith("+1"):
            return prefix + "01%02d" % self.r.randint(0, 99)
        if prefix.startswith("+44"):  # Ofcom drama ranges 020 7946 0xxx / 0161 496 0xxx
            return prefix + "0%03d" % self.r.randint(0, 999)
        return prefix + "%07d" % self.r.randint(1000000, 9999999)

    def country_text(self, cc):
        return self.pick(COUNTRY_SPELLINGS[cc])

    def state_text(self, city):
        code, full = city[1], city[2]
        if not code:
            return ""
        return code if self.r.random() < 0.7 else full

    @staticmethod
    def state_expected(city):
        return "%s-%s" % (city[3], city[1]) if city[1] else None

    def add(self, model, match, values, source=None):
        rec = {"model": model, "match": match, "values": values}
        if source:
            rec["source"] = source
        self.records.append(rec)

    # ---- world ---------------------------------------------------------------------------
    def build(self):
        r = self.r
        self.build_users()
        self.build_companies()
        self.build_contacts()
        self.build_opportunities()
        self.build_appointments()
        self.build_tasks()
        self.build_notes()

    def build_users(self):
        r = self.r
        pool = list(USER_POOL)
        r.shuffle(pool)
        admin = [u for u in pool if u[2] == "Account Admin"]
        others = [u for u in pool if u[2] != "Account Admin"]
        chosen = admin + others[:5]
        self.users = []
        for i, (f, l, role) in enumerate(chosen):
            self.users.append({
                "first": f, "last": l, "name": "%s %s" % (f, l),
                "email": "%s.%s@%s" % (f.lower(), l.lower(), BUSINESS_DOMAIN),
                "role": role, "active": i != len(chosen) - 1,  # the last one has left the team
                "phone": "+1312555%04d" % r.randint(200, 299),
            })
        for u in self.users:
            self.used_names.add(u["name"].lower())
        self.active_users = [u for u in self.users if u["active"]]
        self.inactive_user = [u for u in self.users if not u["active"]][0]

    def build_companies(self):
        r = self.r
        pool = list(COMPANY_POOL)
        r.shuffle(pool)
        n = r.randint(17, 20)
        # keep at least one company per non-US country
        chosen = []
        for cc in ("CA", "DE", "GB"):
            chosen.append(next(c for c in pool if c[3] == cc))
        for c in pool:
            if len(chosen) >= n:
                break
            if c not in chosen:
                chosen.append(c)
        r.shuffle(chosen)
        self.companies = []
        for name, domain, industry, cc in chosen:
            city = self.pick([c for c in CITIES if c[3] == cc])
            comp = {
                "name": name, "domain": domain, "industry": industry, "cc": cc, "city": city,
                "street": self.street(cc), "zip": self.pick(city[4]),
                "phone": self.phone(city[5]),
                "website": "https://www.%s" % domain if r.random() < 0.7 else "www.%s" % domain,
                "email": "%s@%s" % (self.pick(["info", "hello", "office", "contact"]), domain),
                "created": self.rand_date(dt.date(2022, 6, 1), dt.date(2025, 10, 31)),
                "state_text": self.state_text(city), "country_text": self.country_text(cc),
            }
            if r.random() < 0.15:
                comp["website"] = ""
            self.companies.append(comp)
            self.used_names.add(name.lower())

    def unique_person(self, cc):
        pools = {"US": (FIRST_US, LAST_US), "CA": (FIRST_CA, LAST_CA),
                 "DE": (FIRST_DE, LAST_DE), "GB": (FIRST_GB, LAST_GB)}
        first_pool, last_pool = pools[cc]
        for _ in range(500):
            f, l = self.pick(first_pool), self.pick(last_pool)
            if ("%s %s" % (f, l)).lower() not in self.used_names:
                self.used_names.add(("%s %s" % (f, l)).lower())
                return f, l
        raise RuntimeError("name pool exhausted")

    @staticmethod
    def ascii_local(s):
        table = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "ê": "e",
                 "ô": "o", "É": "e", "'": "", " ": ""}
        out = "".join(table.get(ch, table.get(ch.lower(), ch)) for ch in s)
        return out.lower()

    def make_email(self, f, l, company, cc):
        r = self.r
        local_f, local_l = self.ascii_local(f), self.ascii_local(l)
        for attempt in range(50):
            if company and r.random() < 0.75:
                domain = company["domain"]
                local = self.pick(["%s.%s" % (local_f, local_l), "%s" % local_f,
                                   "%s%s" % (local_f[0], local_l)])
            else:
                domain = self.pick(DOMAINS_DE if cc == "DE" and r.random() < 0.7
                                   else PERSONAL_DOMAINS)
                local = self.pick(["%s.%s" % (local_f, local_l), "%s%s" % (local_f, local_l),
                                   "%s.%s%d" % (local_f, local_l, r.randint(1, 99)),
                                   "%s%s%d" % (local_f[0], local_l, r.randint(70, 99))])
            if not local_l:
                local = "%s%d" % (local_f, r.randint(10, 99))
            email = "%s@%s" % (local, domain)
            if attempt > 10:
                email = "%s%d@%s" % (local, attempt, domain)
            if email not in self.used_emails:
                self.used_emails.add(email)
                return email
        raise RuntimeError("email collision")

    def build_contacts(self):
        r = self.r
        n_rows = 120
        n_unique = n_rows - 1  # one row is a planted duplicate
        self.contacts = []
        used_assistants = set()
        for i in range(n_unique):
            if r.random() < 0.65:
                company = self.pick(self.companies)
                cc = company["cc"]
            else:
                company = None
                cc = "US" if r.random() < 0.8 else self.pick(["CA", "CA", "DE", "GB"])
            f, l = self.unique_person(cc)
            email_last = l
            if r.random() < 0.03 and f.lower() not in self.used_names:
                l = ""  # first name only (web chat lead)
                self.used_names.add(f.lower())
                email_last = ""
            c = {"first": f, "last": l, "name": ("%s %s" % (f, l)).strip(), "company": company,
                 "cc": cc, "email": self.make_email(f, email_last, company, cc)}
            city = company["city"] if company else self.pick([x for x in CITIES if x[3] == cc])
            c["phone"] = self.phone(city[5]) if r.random() < 0.88 else ""
            # address: contacts of a company either leave it blank or repeat the company's
            # address (Odoo syncs a child contact's address from its company); contacts without
            # company carry their own address (sometimes partial)
            addr = {}
            if company:
                if r.random() < 0.5:
                    addr = {"street": company["street"], "city": city[0], "zip": company["zip"],
                            "cityrec": city, "cc": cc}
            else:
                roll = r.random()
                if roll < 0.75:
                    addr = {"street": self.street(cc), "city": city[0],
                            "zip": self.pick(city[4]), "cityrec": city, "cc": cc}
                elif roll < 0.9:
                    addr = {"street": "", "city": city[0], "zip": "", "cityrec": city, "cc": cc}
            c["addr"] = addr
            c["tags"] = r.sample(CONTACT_TAGS, k=self.pick([0, 1, 1, 1, 2, 2, 3]))
            c["created"] = self.rand_date(dt.date(2023, 1, 5), self.export_day - dt.timedelta(days=3))
            c["owner"] = (self.pick(self.active_users) if r.random() < 0.85 else
                          (self.inactive_user if r.random() < 0.4 else None))
            c["lead_source"] = self.pick(LEAD_SOURCES) if r.random() < 0.8 else ""
            if r.random() < 0.3:
                for _ in range(100):
                    a = "%s %s" % (self.pick(ASSISTANT_FIRST), self.pick(ASSISTANT_LAST))
                    if a.lower() not in self.used_names and a not in used_assistants:
                        break
                used_assistants.add(a)
                c["assistant"] = a
            else:
                c["assistant"] = ""
            roll = r.random()
            c["referral"] = "Yes" if roll < 0.3 else ("No" if roll < 0.85 else "")
            c["renewal"] = (self.rand_date(dt.date(2025, 6, 1), dt.date(2026, 12, 31))
                            if r.random() < 0.45 else None)
            c["renewal_text"] = us_date(c["renewal"]) if c["renewal"] else ""
            if r.random() < 0.6:
                c["ltv"] = round(r.choice([0, r.uniform(150, 25000)]) * 2) / 2.0
                if r.random() < 0.3:
                    c["ltv"] = float(int(c["ltv"]))
            else:
                c["ltv"] = None
            c["locations"] = r.randint(1, 12) if r.random() < 0.4 else None
            c["id"] = self.rand_id()
            c["last_activity"] = (self.rand_date(c["created"], self.export_day)
                                  if r.random() < 0.7 else None)
            c["defect"] = None
            self.contacts.append(c)
        for a in sorted(used_assistants):
            self.not_expected.append({"model": "res.partner", "match": {"name": a}})

        # planted defects on contacts (chosen among contacts without company, so that
        # nothing else depends on them)
        loners = [c for c in self.contacts if not c["company"] and c["last"]]
        bad_email, bad_date, dup = r.sample(loners, 3)
        local, domain = bad_email["email"].split("@")
        bad_email["email"] = self.pick(["%s@@%s" % (local, domain),
                                        "%s@%s" % (local, domain.replace(".", "", 1)),
                                        "%s.%s" % (local, domain)])
        bad_email["defect"] = "email"
        bad_date["renewal"] = None
        bad_date["renewal_text"] = self.pick(["02/30/2026", "06/31/2025", "11/31/2026"])
        bad_date["defect"] = "date"
        dup["defect"] = "dup"
        self.defect_contacts = {bad_email["id"], bad_date["id"], dup["id"]}
        twin = dict(dup)
        twin["id"] = self.rand_id()
        twin["email"] = dup["email"][0].upper() + dup["email"][1:]  # same address, other case
        twin["phone"] = ""
        twin["tags"] = ["Facebook Lead"]
        twin["created"] = dup["created"] + dt.timedelta(days=r.randint(20, 200))
        if twin["created"] > self.export_day:
            twin["created"] = self.export_day - dt.timedelta(days=1)
        twin["renewal"], twin["renewal_text"], twin["ltv"] = None, "", None
        twin["assistant"], twin["locations"], twin["referral"] = "", None, ""
        twin["is_twin"] = True
        pos = r.randint(len(self.contacts) // 2, len(self.contacts))
        self.contact_rows = list(self.contacts)
        self.contact_rows.insert(pos, twin)
        self.dup_contact = dup
        # contacts that other objects may link to
        self.linkable = [c for c in self.contacts if c["id"] not in self.defect_contacts]

    def build_opportunities(self):
        r = self.r
        n = r.randint(42, 48)
        self.opps = []
        used = set()
        for i in range(n):
            c = self.pick(self.linkable)
            pipe = PIPELINES[0] if r.random() < 0.75 else PIPELINES[1]
            pname, stages = pipe
            who = c["company"]["name"] if c["company"] else c["name"]
            if pname == "Renewals":
                base = "%s - %d Renewal" % (who, self.pick([2025, 2026]))
            else:
                base = "%s - %s" % (who, self.pick(SERVICES))
            name = base
            k = 2
            while name.lower() in used:
                name = "%s (%d)" % (base, k)
                k += 1
            used.add(name.lower())
            roll = r.random()
            status = ("open" if roll < 0.55 else "won" if roll < 0.75 else
                      "lost" if roll < 0.92 else "abandoned")
            open_stages = stages[:-1]
            if status == "won":
                stage = stages[-1] if r.random() < 0.8 else stages[-2]
            elif status == "abandoned":
                stage = open_stages[r.randint(0, 1)]
            else:
                stage = self.pick(open_stages)
            created = self.rand_date(dt.date(2024, 9, 1), self.export_day - dt.timedelta(days=10))
            if status == "open":
                close = self.rand_date(self.export_day, self.export_day + dt.timedelta(days=150))
            else:
                close = self.rand_date(created, self.export_day)
            o = {
                "name": name, "contact": c, "contact_name": c["name"], "email": c["email"],
                "phone": c["phone"], "contact_id": c["id"], "pipeline": pname,
                "stage": stage[0], "stage_is_final": stage == stages[-1], "status": status,
                "value": (round(r.uniform(5, 250)) * 50 + self.pick([0, 0, 0, 0.5]))
                if r.random() < 0.93 else None,
                "owner": (self.pick(self.active_users) if r.random() < 0.9 else
                          (self.inactive_user if r.random() < 0.5 else None)),
                "created": created,
                "close": close if r.random() < 0.85 else None,
                "lost_reason": self.pick(LOST_REASONS) if status == "lost" else "",
                "tags": r.sample(OPP_TAGS, k=1) if r.random() < 0.3 else [],
                "source": c["lead_source"], "id": self.rand_id(),
                "defect": None,
            }
            o["close_text"] = us_date(o["close"]) if o["close"] else ""
            self.opps.append(o)
        # impossible close date on one open opportunity
        victim = self.pick([o for o in self.opps if o["status"] == "open"])
        victim["close"] = None
        victim["close_text"] = self.pick(["04/31/2026", "02/29/2027", "09/31/2026"])
        victim["defect"] = "date"
        # opportunity whose contact was deleted in crmConnect (email matches no contact)
        ghost_first, ghost_last = self.unique_person("US")
        ghost_email = "%s.%s@northgate-dental.com" % (ghost_first.lower(),
                                                      self.ascii_local(ghost_last))
        o = {
            "name": "Northgate Dental - %s" % self.pick(SERVICES), "contact": None,
            "contact_name": "%s %s" % (ghost_first, ghost_last), "email": ghost_email,
            "phone": "+16025550%03d" % r.randint(100, 199), "contact_id": self.rand_id(),
            "pipeline": "Sales Pipeline", "stage": "Proposal Sent", "stage_is_final": False,
            "status": "open", "value": 3600.0, "owner": self.active_users[1],
            "created": self.export_day - dt.timedelta(days=40),
            "close": self.export_day + dt.timedelta(days=30), "lost_reason": "", "tags": [],
            "source": "Website Form", "id": self.rand_id(), "defect": "orphan",
        }
        o["close_text"] = us_date(o["close"])
        self.opps.insert(r.randint(5, len(self.opps) - 5), o)

    def build_appointments(self):
        r = self.r
        n = r.randint(32, 38)
        self.appts = []
        used = set()
        for i in range(n):
            c = self.pick(self.linkable)
            who = c["company"]["name"] if c["company"] else c["name"]
            for _ in range(20):
                title = self.pick(APPT_TITLES).format(first=c["first"], last=c["last"],
                                                      who=who).replace("  ", " ").strip()
                if title.lower() not in used:
                    break
            else:
                title = "%s #%d" % (title, i)
            used.add(title.lower())
            day = self.rand_date(dt.date(2025, 2, 3), dt.date(2026, 2, 27))
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            start = dt.datetime.combine(day, dt.time(r.randint(8, 16), self.pick([0, 30])))
            end = start + dt.timedelta(minutes=self.pick([30, 30, 45, 60]))
            roll = r.random()
            if day < self.export_day:
                status = ("Showed" if roll < 0.6 else "No Show" if roll < 0.75 else
                          "Cancelled" if roll < 0.9 else "Confirmed")
            else:
                status = ("Confirmed" if roll < 0.7 else "New" if roll < 0.85 else "Cancelled")
            if c["company"] and r.random() < 0.3:
                comp = c["company"]
                location = "%s, %s" % (comp["street"], comp["city"][0])
            else:
                location = self.pick(["Zoom", "Google Meet", "Phone call", "Zoom", ""])
            a = {
                "title": title, "contact": c, "contact_name": c["name"], "email": c["email"],
                "phone": c["phone"], "start": start, "end": end, "status": status,
                "owner": self.pick(self.active_users), "location": location,
                "calendar": "Onboarding" if "Onboarding" in title else "Sales Calls",
                "notes": self.pick(APPT_NOTES) if r.random() < 0.35 else "",
                "id": self.rand_id(), "defect": None,
            }
            self.appts.append(a)
        # attendee unknown to the contacts export
        gf, gl = self.unique_person("US")
        day = self.export_day - dt.timedelta(days=r.randint(20, 60))
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        start = dt.datetime.combine(day, dt.time(11, 0))
        a = {
            "title": "Discovery Call with %s %s" % (gf, gl), "contact": None,
            "contact_name": "%s %s" % (gf, gl),
            "email": "%s%s@%s" % (gf[0].lower(), self.ascii_local(gl), "mailbox.org"),
            "phone": "", "start": start, "end": start + dt.timedelta(minutes=30),
            "status": "Showed", "owner": self.active_users[0], "location": "Zoom",
            "calendar": "Sales Calls", "notes": "", "id": self.rand_id(), "defect": "attendee",
        }
        self.appts.insert(r.randint(3, len(self.appts) - 3), a)

    def build_tasks(self):
        r = self.r
        n = r.randint(46, 54)
        self.tasks = []
        used = set()
        for i in range(n):
            c = self.pick(self.linkable)
            svc = self.pick(SERVICES)
            tpl_pool = TASK_TEMPLATES + (TASK_TEMPLATES_DE if c["cc"] == "DE" else [])
            for _ in range(20):
                title = self.pick(tpl_pool).format(first=c["first"], last=c["last"] or c["first"],
                                                   service=svc).strip()
                if (c["id"], title.lower()) not in used:
                    break
            else:
                continue
            used.add((c["id"], title.lower()))
            due = self.rand_date(dt.date(2025, 5, 1), self.export_day + dt.timedelta(days=60))
            completed = due < self.export_day and r.random() < 0.6
            done_date = None
            if completed and r.random() < 0.7:
                done_date = due + dt.timedelta(days=self.pick([-2, -1, 0, 0, 1, 3]))
                if done_date > self.export_day:
                    done_date = self.export_day
            t = {
                "title": title, "contact": c, "due": due, "completed": completed,
                "done": done_date, "assignee": self.pick(self.active_users),
                "description": self.pick(TASK_DESCRIPTIONS) if r.random() < 0.45 else "",
                "id": self.rand_id(),
            }
            self.tasks.append(t)

    def build_notes(self):
        r = self.r
        n = r.randint(55, 65)
        self.notes = []
        used = set()
        for i in range(n):
            c = self.pick(self.linkable)
            for _ in range(30):
                tpl = self.pick(NOTE_TEMPLATES)
                body = tpl.format(first=c["first"], service=self.pick(SERVICES),
                                  company_or_self=(c["company"]["name"] if c["company"]
                                                   else "a small shop"),
                                  n=r.randint(2, 6))
                if (c["id"], tpl) not in used:
                    break
            else:
                continue
            used.add((c["id"], tpl))
            day = self.rand_date(max(c["created"], dt.date(2024, 1, 2)), self.export_day)
            when = dt.datetime.combine(day, dt.time(r.randint(7, 19), r.randint(0, 59)))
            self.notes.append({
                "contact": c, "body": body, "when": when,
                "author": self.pick(self.users) if r.random() < 0.9 else None,
                "id": self.rand_id(),
            })
        self.notes.sort(key=lambda x: x["when"], reverse=True)

    # ---- writing -------------------------------------------------------------------------
    def write(self, out):
        exp = os.path.join(out, "exports")
        os.makedirs(exp, exist_ok=True)
        day = self.export_day
        self.write_users(exp, "Team Members.csv")
        self.write_pipelines(exp, "pipelines-and-stages.csv")
        self.write_companies(exp, "companies-export-%s.csv" % iso_date(day))
        self.write_contacts(exp, "contacts-export-%s.csv" % iso_date(day))
        self.write_opps(exp, "Opportunities.csv")
        self.write_appts(exp, "appointments_%s.csv" % day.strftime("%Y%m%d"))
        self.write_tasks(exp, "Tasks (1).csv")
        self.write_notes(exp, "contact-notes-%s.csv" % iso_date(day))
        self.write_products(exp, "products.csv")
        counts = {
            "res.users": len(self.users),
            "crm.team": len(PIPELINES),
            "crm.stage": sum(len(s) for _, s in PIPELINES),
            "res.partner": len(self.companies) + len(self.contacts),
            "crm.lead": len(self.opps),
            "calendar.event": len(self.appts),
            "mail.activity": len(self.tasks),
            "mail.message": len(self.notes),
            "product.product": len(PRODUCTS),
        }
        doc = {"system": SYSTEM, "records": self.records, "counts": counts,
               "review": self.review, "not_expected": self.not_expected}
        with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1, ensure_ascii=False)
            fh.write("\n")

    def write_users(self, d, fname):
        yes, no = self.pick([("TRUE", "FALSE"), ("Yes", "No"), ("Active", "Inactive")])
        active_hdr = "Status" if yes == "Active" else "Active"
        header = ["Name", "Email", "Phone", "Role", active_hdr]
        rows = [[u["name"], u["email"], u["phone"], u["role"], yes if u["active"] else no]
                for u in self.users]
        starts = write_csv(os.path.join(d, fname), header, rows)
        for u, ln in zip(self.users, starts):
            match = {"login": u["email"]}
            if not u["active"]:
                match["active"] = False
            self.add("res.users", match,
                     {"name": u["name"], "email": u["email"], "active": u["active"]},
                     "%s:%d" % (fname, ln))

    def write_pipelines(self, d, fname):
        header = ["Pipeline", "Stage", "Stage Order", "Win Probability"]
        rows, meta = [], []
        for pname, stages in PIPELINES:
            for i, (sname, prob) in enumerate(stages, 1):
                rows.append([pname, sname, str(i), "%d%%" % prob])
                meta.append((pname, sname, i, prob, i == len(stages)))
        starts = write_csv(os.path.join(d, fname), header, rows)
        seen = set()
        for (pname, sname, i, prob, final), ln in zip(meta, starts):
            src = "%s:%d" % (fname, ln)
            if pname not in seen:
                seen.add(pname)
                self.add("crm.team", {"name": pname}, {"name": pname}, src)
            self.add("crm.stage", {"name": sname},
                     {"name": sname, "sequence": i, "team_id": pname, "is_won": final}, src)
        self.not_expected.append({"model": "res.partner", "match": {"name": PIPELINES[0][0]}})

    def write_companies(self, d, fname):
        name_h = self.pick(["Company Name", "Business Name"])
        zip_h = self.pick(["Postal Code", "Zip"])
        web_h = self.pick(["Website", "Website URL"])
        header = [name_h, "Phone", "Email", web_h, "Address", "City", "State", zip_h,
                  "Country", "Industry", "Created"]
        rows = []
        for c in self.companies:
            rows.append([c["name"], pretty_phone(c["phone"]), c["email"], c["website"], c["street"], c["city"][0], c["state_text"],
                         c["zip"], c["country_text"], c["industry"], us_date(c["created"])])
        starts = write_csv(os.path.join(d, fname), header, rows, bom=True)
        for c, ln in zip(self.companies, starts):
            v = {"name": c["name"], "is_company": True, "phone": c["phone"],
                 "email": c["email"], "street": c["street"], "city": c["city"][0],
                 "zip": c["zip"], "country_id": c["cc"], "x:Industry": c["industry"]}
            if c["website"].startswith("https://"):
                # "www.x.com" is stored by Odoo as "http://www.x.com": left out as ambiguous
                v["website"] = c["website"]
            st = self.state_expected(c["city"])
            if st:
                v["state_id"] = st
            self.add("res.partner", {"name": c["name"], "is_company": True}, v,
                     "%s:%d" % (fname, ln))

    def write_contacts(self, d, fname):
        r = self.r
        owner_h = self.pick(["Assigned To", "Contact Owner", "Assigned User"])
        addr_h = self.pick(["Address", "Street Address", "Address1"])
        zip_h = self.pick(["Postal Code", "Zip Code"])
        state_h = self.pick(["State", "State/Province"])
        created_h = self.pick(["Created", "Date Created"])
        custom = ["Lead Source", "Assistant Name", "Referral Partner", "Renewal Date",
                  "Lifetime Value", "Number of Locations"]
        r.shuffle(custom)
        std = ["Contact Id", "First Name", "Last Name", "Email", "Phone", "Company Name",
               addr_h, "City", state_h, zip_h, "Country", "Tags", created_h, "Last Activity",
               owner_h]
        if r.random() < 0.5:  # some exports put phone before email
            std[3], std[4] = std[4], std[3]
        header = std + custom
        rows = []
        for c in self.contact_rows:
            a = c["addr"]
            comp_name = c["company"]["name"] if c["company"] else ""
            if comp_name and r.random() < 0.06:
                comp_name = comp_name + " "  # trailing blank typed in the UI
            vals = {
                "Contact Id": c["id"], "First Name": c["first"], "Last Name": c["last"],
                "Email": c["email"], "Phone": c["phone"], "Company Name": comp_name,
                addr_h: a.get("street", ""), "City": a.get("city", ""),
                state_h: self.state_text(a["cityrec"]) if a else "",
                zip_h: a.get("zip", ""),
                "Country": self.country_text(a["cc"]) if a else "",
                "Tags": ", ".join(c["tags"]) if r.random() < 0.8 else ",".join(c["tags"]),
                created_h: us_date(c["created"]),
                "Last Activity": (us_datetime(dt.datetime.combine(c["last_activity"],
                                                                  dt.time(r.randint(8, 18), r.randint(0, 59))))
                                  if c["last_activity"] else ""),
                owner_h: c["owner"]["name"] if c["owner"] else "",
                "Lead Source": c["lead_source"], "Assistant Name": c["assistant"],
                "Referral Partner": c["referral"], "Renewal Date": c["renewal_text"],
                "Lifetime Value": money(c["ltv"]) if c["ltv"] is not None else "",
                "Number of Locations": str(c["locations"]) if c["locations"] else "",
            }
            rows.append([vals[h] for h in header])
        starts = write_csv(os.path.join(d, fname), header, rows)
        line_of = {}
        for c, ln in zip(self.contact_rows, starts):
            line_of.setdefault(c["name"], []).append(ln)
        for c in self.contacts:
            src = "%s:%d" % (fname, line_of[c["name"]][0])
            if c["defect"] == "dup":
                lines = line_of[c["name"]]
                self.add("res.partner", {"email": c["email"]},
                         {"name": c["name"], "email": c["email"], "is_company": False},
                         "%s:%s" % (fname, "+".join(str(x) for x in lines)))
                self.review.append({"value": c["email"],
                                    "why": "duplicate contact: two rows share this email "
                                           "(lines %s)" % ", ".join(str(x) for x in lines),
                                    "source": "%s:%d" % (fname, lines[1])})
                continue
            v = {"name": c["name"], "is_company": False}
            if c["defect"] != "email":
                v["email"] = c["email"]
            if c["phone"]:
                v["phone"] = c["phone"]
            if c["company"]:
                v["parent_id"] = c["company"]["name"]
            a = c["addr"]
            if a:
                if a["street"]:
                    v["street"] = a["street"]
                v["city"] = a["city"]
                if a["zip"]:
                    v["zip"] = a["zip"]
                v["country_id"] = a["cc"]
                st = self.state_expected(a["cityrec"])
                if st:
                    v["state_id"] = st
            if c["tags"]:
                v["category_id"] = list(c["tags"])
            if c["owner"]:
                v["user_id"] = c["owner"]["email"]
            if c["lead_source"]:
                v["x:Lead Source"] = c["lead_source"]
            if c["assistant"]:
                v["x:Assistant Name"] = c["assistant"]
            if c["referral"]:
                v["x:Referral Partner"] = c["referral"] == "Yes"
            if c["renewal"]:
                v["x:Renewal Date"] = iso_date(c["renewal"])
            if c["ltv"] is not None:
                v["x:Lifetime Value"] = c["ltv"]
            if c["locations"]:
                v["x:Number of Locations"] = c["locations"]
            match = {"email": c["email"]} if c["defect"] != "email" else {"name": c["name"]}
            self.add("res.partner", match, v, src)
            if c["defect"] == "email":
                self.review.append({"value": c["email"], "why": "invalid email address",
                                    "source": src})
            if c["defect"] == "date":
                self.review.append({"value": c["renewal_text"],
                                    "why": "impossible date in custom column Renewal Date",
                                    "source": src})
        self.contact_match = {c["id"]: ({"email": c["email"]} if c["defect"] != "email"
                                        else {"name": c["name"]}) for c in self.contacts}

    def write_opps(self, d, fname):
        header = ["Opportunity Name", "Contact Name", "phone", "email", "pipeline", "stage",
                  "Lead Value", "source", "assigned", "Created on", "Updated on",
                  "Expected Close Date", "lost reason name", "tags", "status",
                  "Opportunity ID", "Contact ID"]
        rows = []
        for o in self.opps:
            updated = o["created"] + dt.timedelta(days=self.r.randint(0, 30))
            rows.append([
                o["name"], o["contact_name"], o["phone"], o["email"], o["pipeline"], o["stage"],
                ("%.2f" % o["value"]).rstrip("0").rstrip(".") if o["value"] is not None else "",
                o["source"], o["owner"]["name"] if o["owner"] else "",
                o["created"].strftime("%Y-%m-%dT") + "%02d:%02d:%02d.000Z" % (
                    self.r.randint(13, 23), self.r.randint(0, 59), self.r.randint(0, 59)),
                updated.strftime("%Y-%m-%dT") + "%02d:%02d:00.000Z" % (
                    self.r.randint(13, 23), self.r.randint(0, 59)),
                o["close_text"], o["lost_reason"], ",".join(o["tags"]), o["status"],
                o["id"], o["contact_id"],
            ])
        starts = write_csv(os.path.join(d, fname), header, rows)
        for o, ln in zip(self.opps, starts):
            src = "%s:%d" % (fname, ln)
            closed = o["status"] in ("lost", "abandoned")
            v = {"name": o["name"], "type": "opportunity", "team_id": o["pipeline"],
                 "expected_revenue": o["value"] if o["value"] is not None else 0.0,
                 "email_from": o["email"]}
            if not (o["status"] == "won" and not o["stage_is_final"]):
                v["stage_id"] = o["stage"]
            if o["contact"]:
                v["partner_id"] = o["contact"]["name"]
            if o["owner"]:
                v["user_id"] = o["owner"]["email"]
            if o["close"]:
                v["date_deadline"] = iso_date(o["close"])
            if o["tags"]:
                v["tag_ids"] = list(o["tags"])
            if o["status"] == "won":
                v["probability"] = 100.0
                v["active"] = True
            elif closed:
                v["active"] = False
                v["probability"] = 0.0
                if o["status"] == "lost":
                    v["lost_reason_id"] = o["lost_reason"]
            else:
                v["active"] = True
            match = {"name": o["name"]}
            if closed:
                match["active"] = False
            self.add("crm.lead", match, v, src)
            if o["defect"] == "orphan":
                self.review.append({"value": o["email"],
                                    "why": "opportunity contact email matches no contact",
                                    "source": src})
            if o["defect"] == "date":
                self.review.append({"value": o["close_text"],
                                    "why": "impossible date in Expected Close Date",
                                    "source": src})

    def write_appts(self, d, fname):
        header = ["Title", "Calendar", "Status", "Start Time", "End Time", "Timezone",
                  "Contact Name", "Contact Email", "Contact Phone", "Appointment Owner",
                  "Location", "Notes", "Appointment ID"]
        rows = [[a["title"], a["calendar"], a["status"], us_datetime(a["start"]),
                 us_datetime(a["end"]), ACCOUNT_TZ, a["contact_name"], a["email"], a["phone"],
                 a["owner"]["name"], a["location"], a["notes"], a["id"]] for a in self.appts]
        starts = write_csv(os.path.join(d, fname), header, rows, delimiter=";")
        for a, ln in zip(self.appts, starts):
            src = "%s:%d" % (fname, ln)
            cancelled = a["status"] == "Cancelled"
            v = {"name": a["title"], "start": utc_minute(chicago_to_utc(a["start"])),
                 "stop": utc_minute(chicago_to_utc(a["end"])), "allday": False,
                 "user_id": a["owner"]["email"], "active": not cancelled}
            if a["contact"]:
                v["partner_ids"] = [a["contact"]["name"], a["owner"]["name"]]
            if a["location"]:
                v["location"] = a["location"]
            if a["notes"]:
                v["description"] = "~contains:" + a["notes"].split("\n")[0]
            match = {"name": a["title"]}
            if cancelled:
                match["active"] = False
            self.add("calendar.event", match, v, src)
            if a["defect"] == "attendee":
                self.review.append({"value": a["email"],
                                    "why": "appointment attendee matches no contact",
                                    "source": src})

    def write_tasks(self, d, fname):
        header = ["Task Title", "Description", "Due Date", "Completed", "Completed Date",
                  "Contact Name", "Contact Email", "Assignee"]
        rows = [[t["title"], t["description"], us_date(t["due"]),
                 "Yes" if t["completed"] else "No", us_date(t["done"]) if t["done"] else "",
                 t["contact"]["name"], t["contact"]["email"], t["assignee"]["email"]]
                for t in self.tasks]
        starts = write_csv(os.path.join(d, fname), header, rows, encoding="cp1252")
        for t, ln in zip(self.tasks, starts):
            rec = self.contact_match[t["contact"]["id"]]
            match = {"res_model": "res.partner", "record": rec, "summary_contains": t["title"]}
            v = {"summary": t["title"], "date_deadline": iso_date(t["due"]),
                 "user_id": t["assignee"]["email"], "active": not t["completed"]}
            if t["completed"]:
                match["active"] = False
                if t["done"]:
                    v["date_done"] = iso_date(t["done"])
            if t["description"]:
                v["note"] = "~contains:" + t["description"].split("\n")[0]
            self.add("mail.activity", match, v, "%s:%d" % (fname, ln))

    def write_notes(self, d, fname):
        header = ["Contact Id", "Contact Name", "Email", "Note", "Created By", "Date Added"]
        rows = [[n["contact"]["id"], n["contact"]["name"], n["contact"]["email"], n["body"],
                 n["author"]["name"] if n["author"] else "", us_datetime(n["when"])]
                for n in self.notes]
        starts = write_csv(os.path.join(d, fname), header, rows, bom=True)
        for n, ln in zip(self.notes, starts):
            rec = self.contact_match[n["contact"]["id"]]
            first = n["body"].split("\n")[0]
            match = {"res_model": "res.partner", "record": rec, "body_contains": first}
            body = n["body"] if "\n" not in n["body"] else "~contains:" + first
            v = {"body": body, "date": utc_minute(chicago_to_utc(n["when"])),
                 "message_type": "comment", "subtype_id": "Note"}
            if n["author"]:
                v["author_id"] = n["author"]["name"]
            self.add("mail.message", match, v, "%s:%d" % (fname, ln))

    def write_products(self, d, fname):
        header = ["Product Name", "Description", "Price", "SKU", "Product Type"]
        rows = [[p[0], p[1], money(p[2]), p[3], p[4]] for p in PRODUCTS]
        starts = write_csv(os.path.join(d, fname), header, rows)
        for p, ln in zip(PRODUCTS, starts):
            self.add("product.product", {"name": p[0]},
                     {"name": p[0], "list_price": p[2], "default_code": p[3]},
                     "%s:%d" % (fname, ln))
            self.not_expected.append({"model": "res.partner", "match": {"name": p[0]}})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    g = Gen(args.seed)
    g.build()
    g.write(args.out)


if __name__ == "__main__":
    main()
