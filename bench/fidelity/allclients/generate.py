#!/usr/bin/env python3
"""Blind fidelity corpus for the AllClients -> Odoo 18 migration.

Written from AllClients' public API documentation and the project's shared notes only
(see README.md next to this file), never from the migration tool's code.

    python generate.py --out DIR [--seed N]

writes DIR/exports/ (what an AllClients customer hands over: contacts, notes, to-dos and
team members as CSV files) and DIR/expected.json (what a careful Odoo 18 consultant expects
to find after the migration), following bench/fidelity/SCHEMA.md.

Standard library only; deterministic for a given seed.
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import unicodedata

EXPORT_DAY = dt.date(2024, 11, 15)

# --------------------------------------------------------------------------- time zone
# AllClients reports dates in US Central time (GetContactNotes / GetToDos docs). The US rule
# since 2007: daylight time from the second Sunday of March 02:00 local to the first Sunday
# of November 02:00 local (01:00 standard). Implemented by hand so the result does not
# depend on the machine's tz database.


def _nth_sunday(year, month, n):
    d = dt.date(year, month, 1)
    d += dt.timedelta(days=(6 - d.weekday()) % 7)
    return d + dt.timedelta(weeks=n - 1)


def central_to_utc(local):
    """Naive US Central wall time -> naive UTC."""
    assert local.year >= 2008
    start = dt.datetime.combine(_nth_sunday(local.year, 3, 2), dt.time(2, 0))
    end = dt.datetime.combine(_nth_sunday(local.year, 11, 1), dt.time(1, 0))
    # wall times in the spring gap or the repeated autumn hour are never generated
    assert not (start <= local < start + dt.timedelta(hours=1)), local
    assert not (end <= local < end + dt.timedelta(hours=1)), local
    offset = 5 if start <= local < end else 6
    return local + dt.timedelta(hours=offset)


def utc_str(local):
    return central_to_utc(local).strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------- formats
def fmt_us_datetime(t, seconds=True):
    """AllClients style: 12/31/2014 12:46:50 PM (no zero padding on month, day, hour)."""
    hour = t.hour % 12 or 12
    ampm = "AM" if t.hour < 12 else "PM"
    if seconds:
        return "%d/%d/%d %d:%02d:%02d %s" % (t.month, t.day, t.year, hour, t.minute, t.second, ampm)
    return "%d/%d/%d %d:%02d %s" % (t.month, t.day, t.year, hour, t.minute, ampm)


def fmt_us_date(d, pad=False):
    if pad:
        return "%02d/%02d/%d" % (d.month, d.day, d.year)
    return "%d/%d/%d" % (d.month, d.day, d.year)


def ascii_slug(text):
    text = text.replace("’", "").replace("'", "").replace("&", "and")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae")
    return "".join(c for c in text.lower() if c.isalnum())


def website_in_odoo(raw):
    """Odoo 18 res.partner._clean_website(): no scheme -> 'http://' is prefixed."""
    raw = raw.strip()
    if not raw:
        return None
    if "://" in raw:
        return raw
    return "http://" + raw


# --------------------------------------------------------------------------- pools
FIRST_NAMES = """
    Ann Mark José Zoë François Renée Siobhan Björn Chloé Nicolás Agnès Hélène Jürgen María
    Søren Ángel Dominique Inès Thomas Linda Robert Patricia Michael Jennifer David Susan
    James Carol William Barbara Richard Elizabeth Joseph Margaret Charles Dorothy
    Christopher Lisa Daniel Nancy Matthew Betty Anthony Sandra Donald Ashley Steven
    Kimberly Paul Donna Andrew Emily Joshua Michelle Kenneth Amanda Kevin Melissa Brian
    Deborah George Stephanie Raúl Noémie Anaïs Joël Céline Léa Mateo Lucía Ingrid Åsa
    Priscilla Wendell Marisol Tobias Greta Oksana Yusuf Mei Hiroshi Aaliyah
""".split()
LAST_NAMES = """
    Lee García Müller O’Connor Lefèvre Dubois Nguyen Patel Johnson Smith Brown Williams
    Jones Miller Davis Wilson Anderson Taylor Moore Jackson Martin Thompson White Harris
    Clark Lewis Robinson Walker Young Allen King Wright Scott Torres Hill Green Adams
    Baker Nelson Carter Mitchell Pérez Roberts Turner Phillips Campbell Parker Evans
    Edwards Collins Stewart Sánchez Morris Reed Cook Morgan Bell Murphy Bailey Rivera
    Cooper Richardson Howard Ward Peterson Gray Ramírez Watson Brooks Kelly Sanders Price
    Bennett Wood Barnes Ross Henderson Jenkins Perry Powell Hughes Flores Butler Foster
    Bryant Russell Griffin Díaz Hayes Åberg Østergaard Schäfer Brodeur Gagné Côté Bélanger
    D’Amico McAllister
""".split()

# city, state code, state spellings, country code, postal codes, area codes
CITIES = [
    (
        "Chicago",
        "IL",
        ["IL", "Illinois"],
        "US",
        ["60601", "60614", "60622", "60640", "60657-1408"],
        ["312", "773"],
    ),
    ("Naperville", "IL", ["IL", "Illinois"], "US", ["60540", "60563"], ["630"]),
    ("Evanston", "IL", ["IL", "Illinois"], "US", ["60201", "60202-3318"], ["847"]),
    ("Oak Park", "IL", ["IL", "Illinois"], "US", ["60302"], ["708"]),
    ("Milwaukee", "WI", ["WI", "Wisconsin"], "US", ["53202", "53211"], ["414"]),
    ("Madison", "WI", ["WI", "Wisconsin"], "US", ["53703", "53711"], ["608"]),
    ("Indianapolis", "IN", ["IN", "Indiana"], "US", ["46204", "46220"], ["317"]),
    ("St. Louis", "MO", ["MO", "Missouri"], "US", ["63101", "63110"], ["314"]),
    ("Dallas", "TX", ["TX", "Texas"], "US", ["75201", "75206"], ["214"]),
    ("Austin", "TX", ["TX", "Texas"], "US", ["78701", "78704"], ["512"]),
    ("Denver", "CO", ["CO", "Colorado"], "US", ["80202", "80206"], ["303"]),
    ("Minneapolis", "MN", ["MN", "Minnesota"], "US", ["55401", "55408"], ["612"]),
    ("Des Moines", "IA", ["IA", "Iowa"], "US", ["50309", "50312"], ["515"]),
    ("Boston", "MA", ["MA", "Massachusetts"], "US", ["02108", "02116"], ["617"]),
    ("Toronto", "ON", ["ON", "Ontario"], "CA", ["M5V 2T6", "M4W 1A8"], ["416"]),
    ("Ottawa", "ON", ["ON", "Ontario"], "CA", ["K1P 5J2"], ["613"]),
    ("Vancouver", "BC", ["BC", "British Columbia"], "CA", ["V6B 1A1", "V5K 0A1"], ["604"]),
    ("Montréal", "QC", ["QC", "Québec"], "CA", ["H2Y 1C6", "H3B 4W8"], ["514"]),
]
CITY_BY_NAME = {c[0]: c for c in CITIES}
COUNTRY_SPELLINGS = {
    "US": ["USA", "United States", "US", "U.S.A.", "United States of America"],
    "CA": ["Canada", "CAN"],
}
STREETS = {
    "US": [
        "Main St",
        "Oak Ave",
        "N Michigan Ave",
        "W Monroe St",
        "Maple Dr",
        "Elm St",
        "Lakeshore Dr",
        "S State St",
        "Cedar Ln",
        "Washington Blvd",
        "Park Ave",
        "Sheridan Rd",
        "Congress Ave",
        "Commerce St",
        "Grand Ave",
        "University Ave",
        "Prairie Rd",
        "Hillcrest Ct",
    ],
    "CA": [
        "King St W",
        "Queen St E",
        "Granville St",
        "Bank St",
        "Rue Saint-Paul O",
        "Boulevard René-Lévesque O",
        "Yonge St",
        "Robson St",
    ],
}
UNITS = ["Suite 1500", "Suite 210", "Unit 4", "Apt 3B", "Floor 2", "Bureau 300"]

# name, city (None: any US city)
COMPANIES = [
    ("Lakeshore Dental Group", "Chicago"),
    ("Prairie State Roofing", "Naperville"),
    ("Bellweather Logistics", "Chicago"),
    ("Café Olé Bistro", "Evanston"),
    ("Northbrook Veterinary Clinic", "Evanston"),
    ("Hartmann & Söhne Imports", "Milwaukee"),
    ("Midway Auto Body", "Chicago"),
    ("Great Lakes Pediatrics", "Oak Park"),
    ("Riverside Landscaping LLC", "Madison"),
    ("Summit Financial Advisors", "Denver"),
    ("Blue Heron Yoga Studio", "Minneapolis"),
    ("Kowalczyk Plumbing & Heating", "Chicago"),
    ("Maple Leaf Tours Inc.", "Toronto"),
    ("Boulangerie Sainte-Hélène", "Montréal"),
    ("Lone Star Title Co.", "Dallas"),
    ("Front Range Brewing Company", "Denver"),
    ("North Star Realty", "Minneapolis"),
    ("Heartland Seed Supply", "Des Moines"),
    ("Gateway Printing", "St. Louis"),
    ("Hoosier Home Inspections", "Indianapolis"),
    ("Copper Kettle Catering", "Austin"),
    ("Westside Chiropractic", "Boston"),
    ("Pacific Rim Outfitters", "Vancouver"),
    ("Capital Region Daycare", "Ottawa"),
]

FLAGS = (
    "VIP|Auto Policy|Home Policy|Life Policy|Commercial|Newsletter|Holiday Card|"
    "Annual Review|Referral Partner|Do Not Call"
).split("|")
LEAD_SOURCES = (
    "Referral|Website|Walk-in|Facebook Ad|Past Client|Chamber of Commerce|Zillow|Yelp|Trade Show"
).split("|")
POLICIES = ("Auto|Home|Renters|Umbrella|Life|Business Owners|Workers Comp|Boat").split("|")
SPOUSES = (
    "Mark|Linda|Carlos|Anne-Marie|Greg|Sofía|Jean-Luc|Beth|Raj|Noëlle|Tom|Kathy|Luis|Megan|"
    "Dieter|Hannah"
).split("|")

# name, email, role, active
TEAM = [
    ("Karen Whitfield", "karen@whitfield-agency.example.com", "Account Owner", True),
    ("Marcus Delgado", "marcus@whitfield-agency.example.com", "Agent", True),
    ("Priya Raman", "priya.raman@whitfield-agency.example.com", "Agent", True),
    ("Tom Kowalski", "tkowalski@whitfield-agency.example.com", "Assistant", True),
    ("Dana Fischer", "dana.fischer@whitfield-agency.example.com", "Agent", False),
]
ACTIVE_OWNERS = [t for t in TEAM if t[3]]
OWNER_WEIGHTS = [40, 25, 25, 10]
INACTIVE_OWNER = TEAM[4]

# category (AllClients to-do category), summary, details
TODO_TEMPLATES = [
    (
        "Phone Call",
        "Call {first} re: {policy} renewal",
        "Renewal premium went up {pct}%. Explain the rate change.",
    ),
    ("Email", "Email {policy} quote to {first}", "Quote #{qnum}, compare with current carrier."),
    ("Letter", "Mail {policy} renewal packet", ""),
    ("", "Review {policy} coverage", "Check limits against new home value."),
    ("Phone Call", "Follow up on claim #{cnum}", "Adjuster said payment within 10 days."),
    ("Email", "Send birthday e-card to {first}", ""),
    ("Letter", "Send holiday card {year}", "Use the winter template."),
    ("", "Update driver list ({policy})", "Teen driver added in spring; get license number."),
]
TODO_TYPE = {"Phone Call": "Call", "Email": "Email", "": "To-Do"}  # Letter: no clear Odoo type
PRIORITIES = ["High", "Normal", "Normal", "Normal", "Low"]

NOTE_TEMPLATES = [
    "Called {first} about the {policy} renewal. Left voicemail.",
    "{first} called in — wants a quote on {policy} coverage for the new car (quote #{qnum}).",
    "Met with {first} at the office. Reviewed {policy} deductibles; agreed to raise to ${ded}.",
    "Sent {policy} quote #{qnum} by email. Premium ${amt}.",
    "Spoke with {first} re: claim #{cnum}. Adjuster visit scheduled.\r\nFollow up next week.",
    "Annual review {year} done.\r\n- Auto: OK\r\n- Home: add water backup endorsement\r\n"
    "- Umbrella: discussed, not interested yet",
    "{first} doesn’t want calls before 10am. Prefers email. (noted {year})",
    "Referral thank-you sent for {policy} lead, gift card #{qnum} ($25).",
    "Payment of ${amt} received for policy {pnum}.",
    "Q&A on life insurance options with {first}; sending brochure #{qnum}.",
]

# --------------------------------------------------------------------------- headers
# Dialect A mirrors the AllClients API field names (firstname, lastname, company, address,
# city, state, postalcode, phone1..phone3 + phoneNnote, email, website, birthday, flags,
# team member, adddate, editdate, memo). Dialect B is a second plausible spelling of the
# same export (other labels, other order, minimal quoting, to-dos in UTF-8).
HEADERS = {
    "A": {
        "files": {
            "contacts": "Contacts.csv",
            "notes": "Notes.csv",
            "todos": "ToDos.csv",
            "team": "TeamMembers.csv",
        },
        "contacts": {
            "id": "Contact ID",
            "first": "First Name",
            "last": "Last Name",
            "company": "Company",
            "address": "Address",
            "city": "City",
            "state": "State",
            "zip": "Postal Code",
            "country": "Country",
            "p1": "Phone 1",
            "p1n": "Phone 1 Note",
            "p2": "Phone 2",
            "p2n": "Phone 2 Note",
            "p3": "Phone 3",
            "p3n": "Phone 3 Note",
            "email": "Email",
            "website": "Website",
            "birthday": "Birthday",
            "flags": "Flags",
            "owner": "Team Member",
            "added": "Add Date",
            "edited": "Edit Date",
            "memo": "Memo",
        },
        "contact_order": [
            "id",
            "first",
            "last",
            "company",
            "address",
            "city",
            "state",
            "zip",
            "country",
            "p1",
            "p1n",
            "p2",
            "p2n",
            "p3",
            "p3n",
            "email",
            "website",
            "birthday",
            "flags",
            "owner",
            "added",
            "edited",
            "memo",
        ],
        "notes": ["Contact ID", "First Name", "Last Name", "Email", "Date", "Note"],
        "todos": [
            "To Do ID",
            "Contact ID",
            "First Name",
            "Last Name",
            "Email",
            "Summary",
            "Details",
            "Category",
            "Priority",
            "Due Date",
            "Status",
            "Completed",
            "Complete Date",
            "Team Member",
        ],
        "team": ["Team Member ID", "Name", "Email", "Role", "Active"],
        "quoting": csv.QUOTE_ALL,
        "todo_encoding": "cp1252",
    },
    "B": {
        "files": {
            "contacts": "DataMigration_Contacts.csv",
            "notes": "Notes.csv",
            "todos": "To-Dos.csv",
            "team": "Users.csv",
        },
        "contacts": {
            "id": "ID",
            "first": "First Name",
            "last": "Last Name",
            "company": "Company Name",
            "address": "Street Address",
            "city": "City",
            "state": "State/Province",
            "zip": "Zip Code",
            "country": "Country",
            "p1": "Phone 1",
            "p1n": "Phone 1 Type",
            "p2": "Phone 2",
            "p2n": "Phone 2 Type",
            "p3": "Phone 3",
            "p3n": "Phone 3 Type",
            "email": "Email Address",
            "website": "Web Site",
            "birthday": "Birthday",
            "flags": "Tags",
            "owner": "Assigned To",
            "added": "Date Added",
            "edited": "Last Modified",
            "memo": "Comments",
        },
        "contact_order": [
            "id",
            "last",
            "first",
            "email",
            "company",
            "p1",
            "p1n",
            "p2",
            "p2n",
            "p3",
            "p3n",
            "address",
            "city",
            "state",
            "zip",
            "country",
            "website",
            "birthday",
            "memo",
            "flags",
            "owner",
            "added",
            "edited",
        ],
        "notes": ["Contact Id", "Contact Name", "Contact Email", "Note Date", "Note Text"],
        "todos": [
            "ToDo Id",
            "Contact Id",
            "Contact Name",
            "Contact Email",
            "Subject",
            "Details",
            "Category",
            "Priority",
            "Due",
            "Status",
            "Complete",
            "Completed On",
            "Assigned To",
        ],
        "team": ["Id", "Full Name", "Email Address", "Permission Level", "Status"],
        "quoting": csv.QUOTE_MINIMAL,
        "todo_encoding": "utf-8-sig",
    },
}
CUSTOM_HEADERS = [
    "Spouse Name",
    "Lead Source",
    "Policy Renewal Date",
    "Newsletter Opt-In",
    "Annual Premium",
]


# --------------------------------------------------------------------------- CSV writer
class CsvOut:
    """Collects rows, remembers the physical line each row starts on."""

    def __init__(self, quoting):
        self.quoting = quoting
        self.chunks = []
        self.line = 1

    def row(self, values):
        buf = io.StringIO()
        csv.writer(buf, quoting=self.quoting, lineterminator="\r\n").writerow(values)
        text = buf.getvalue()
        start = self.line
        self.chunks.append(text)
        self.line += text.count("\n")
        return start

    def save(self, path, encoding):
        with open(path, "wb") as fh:
            fh.write("".join(self.chunks).encode(encoding))


# --------------------------------------------------------------------------- generator
class Generator:
    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        self.dialect = "A" if seed % 2 else "B"
        self.h = HEADERS[self.dialect]
        self.records = []
        self.review = []
        self.not_expected = []
        self.used_numbers = set()
        self.used_names = {t[0] for t in TEAM}
        self.used_emails = {t[1] for t in TEAM}
        self.next_id = 41000 + self.rng.randint(0, 800)

    # ---------------------------------------------------------------- helpers
    def new_id(self):
        self.next_id += self.rng.randint(1, 37)
        return self.next_id

    def rand_dt(self, start, end):
        """Random business-hours Central wall time between two dates (inclusive)."""
        days = (end - start).days
        d = start + dt.timedelta(days=self.rng.randint(0, days))
        return dt.datetime(
            d.year,
            d.month,
            d.day,
            self.rng.randint(7, 19),
            self.rng.randint(0, 59),
            self.rng.randint(0, 59),
        )

    def phone_number(self, area):
        while True:
            num = "%s5550%03d" % (area, self.rng.randint(100, 199))
            if num not in self.used_numbers:
                self.used_numbers.add(num)
                return num

    def fmt_phone(self, digits, ext=None, country="US"):
        a, b, c = digits[:3], digits[3:6], digits[6:]
        if ext:
            style = self.rng.choice(
                ["{a}.{b}.{c} x{e}", "({a}) {b}-{c} ext. {e}", "{a}-{b}-{c} x{e}"]
            )
        elif country == "CA" and self.rng.random() < 0.5:
            style = "+1 {a} {b} {c}"
        else:
            style = self.rng.choice(
                ["({a}) {b}-{c}", "({a}) {b}-{c}", "{a}.{b}.{c}", "{a}-{b}-{c}", "{a}{b}{c}"]
            )
        raw = style.format(a=a, b=b, c=c, e=ext)
        expected = "+1 %s %s %s" % (a, b, c) + (" x%s" % ext if ext else "")
        return raw, expected

    def address(self, city_name=None, country=None):
        if city_name:
            city = CITY_BY_NAME[city_name]
        else:
            pool = [c for c in CITIES if country is None or c[3] == country]
            city = self.rng.choice(pool)
        street = "%d %s" % (
            self.rng.choice([self.rng.randint(10, 999), self.rng.randint(1000, 9899)]),
            self.rng.choice(STREETS[city[3]]),
        )
        unit = self.rng.choice(UNITS) if self.rng.random() < 0.3 else None
        return {
            "street": street,
            "street2": unit,
            "city": city[0],
            "state": city[1],
            "state_spellings": city[2],
            "country": city[3],
            "zip": self.rng.choice(city[4]),
            "area": self.rng.choice(city[5]),
        }

    def unique_name(self):
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            full = "%s %s" % (first, last)
            if full not in self.used_names:
                self.used_names.add(full)
                return first, last

    # ---------------------------------------------------------------- build the people
    def build(self):
        rng = self.rng
        companies = rng.sample(COMPANIES, 20)
        self.companies = []
        for name, city in companies:
            addr = self.address(city_name=city)
            addr["main"] = self.phone_number(addr["area"])
            self.companies.append(
                {
                    "name": name,
                    "addr": addr,
                    "slug": ascii_slug(" ".join([w for w in name.split() if w != "&"][:2])),
                    "website": rng.random() < 0.6,
                    "members": 0,
                }
            )
        people = []
        target = 146
        # every company gets at least one contact, the rest are spread unevenly
        slots = list(self.companies) + [rng.choice(self.companies) for _ in range(58)]
        rng.shuffle(slots)
        n_company = len(slots)
        for i in range(target):
            company = slots[i] if i < n_company else None
            people.append(self.person(company))
        rng.shuffle(people)
        self.people = people

    def person(self, company):
        rng = self.rng
        first, last = self.unique_name()
        p = {
            "id": self.new_id(),
            "first": first,
            "last": last,
            "company": company,
            "defects": set(),
        }
        if company:
            company["members"] += 1
        # ---- address
        if company:
            p["addr"] = company["addr"]
        elif rng.random() < 0.08:
            p["addr"] = None
        else:
            p["addr"] = self.address(country="CA" if rng.random() < 0.12 else "US")
        p["country_blank"] = bool(
            not company and p["addr"] and p["addr"]["country"] == "US" and rng.random() < 0.12
        )
        # ---- email (unique across the export, except for the planted duplicate)
        fa, la = ascii_slug(first), ascii_slug(last)
        if rng.random() < 0.05:
            p["email"] = ""
        else:
            if company:
                pattern = rng.choice(["{f}.{l}@{c}.example.com", "{fi}{l}@{c}.example.com"])
            else:
                pattern = rng.choice(
                    [
                        "{f}.{l}@example.com",
                        "{f}{l}{n}@example.net",
                        "{fi}{l}@example.org",
                        "{f}_{l}@mail.example.com",
                    ]
                )
            email = pattern.format(
                f=fa, l=la, fi=fa[:1], c=company["slug"] if company else "", n=rng.randint(1, 99)
            )
            while email in self.used_emails:
                user, dom = email.split("@")
                email = "%s%d@%s" % (user, rng.randint(2, 9), dom)
            self.used_emails.add(email)
            if rng.random() < 0.08:  # typed with capitals: Ann.Lee@Example.com
                user, dom = email.split("@")
                email = ".".join(x.capitalize() for x in user.split(".")) + "@" + dom.capitalize()
            p["email"] = email
        p["email_raw"] = p["email"]
        if p["email"] and rng.random() < 0.04:  # stray blanks around the address
            p["email_raw"] = " %s " % p["email"]
        # ---- phones: at most one landline (Work/Home/Office/blank note) and one mobile
        area = (p["addr"] or {}).get("area") or rng.choice(["312", "773", "630", "847"])
        country = (p["addr"] or {}).get("country", "US")
        phones = []
        kind = rng.random()
        if company and rng.random() < 0.55:
            raw, exp = self.fmt_phone(company["addr"]["main"], ext=str(rng.randint(10, 399)))
            phones.append(("land", raw, exp, rng.choice(["Work", "Office", "Work"])))
        elif kind < 0.75:
            raw, exp = self.fmt_phone(self.phone_number(area), country=country)
            notes = ["Work", "Direct", "Office", ""] if company else ["Home", "Work", "Home", ""]
            phones.append(("land", raw, exp, rng.choice(notes)))
        if rng.random() < 0.65:
            raw, exp = self.fmt_phone(self.phone_number(area), country=country)
            phones.append(("mobile", raw, exp, rng.choice(["Mobile", "Cell", "Mobile"])))
        rng.shuffle(phones)
        p["phones"] = phones
        # ---- misc
        if company and company["website"]:
            p["website_raw"] = (
                rng.choice(
                    ["www.%s.example.com", "https://www.%s.example.com", "http://%s.example.com"]
                )
                % company["slug"]
            )
        elif not company and rng.random() < 0.08:
            p["website_raw"] = "https://%s%s.example.net" % (fa, la)
        else:
            p["website_raw"] = ""
        r = rng.random()
        if r < 0.70:
            bday = dt.date(rng.randint(1948, 2001), rng.randint(1, 12), rng.randint(1, 28))
            p["birthday_raw"], p["birthday"] = fmt_us_date(bday, pad=True), bday.isoformat()
        elif r < 0.73:
            p["birthday_raw"], p["birthday"] = (
                "%02d/%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
                "yearless",
            )
        else:
            p["birthday_raw"], p["birthday"] = "", None
        k = rng.choice([0, 0, 1, 1, 1, 2, 2, 3])
        p["flags"] = rng.sample(FLAGS, k)
        if company and "Commercial" not in p["flags"] and rng.random() < 0.5:
            p["flags"].append("Commercial")
        p["owner"] = rng.choices(ACTIVE_OWNERS, weights=OWNER_WEIGHTS)[0]
        p["added"] = self.rand_dt(dt.date(2015, 1, 5), dt.date(2024, 6, 28))
        p["edited"] = p["added"] + dt.timedelta(
            days=rng.randint(0, 500), hours=rng.randint(0, 6), minutes=rng.randint(0, 59)
        )
        if p["edited"].date() >= EXPORT_DAY or not 7 <= p["edited"].hour <= 20:
            p["edited"] = p["added"] + dt.timedelta(minutes=rng.randint(1, 50))
        # ---- memo (a free-text notes column on the contact)
        memo_pool = [
            "Prefers text over calls.",
            "Has two teenage drivers.\r\nAsk about good-student discount.",
            "Old carrier: State Mutual — switched in %d." % rng.randint(2012, 2023),
            "Owns a rental condo; needs landlord policy.\r\nKeys with property manager.",
            "Referred by %s." % rng.choice(["Marcus", "a neighbor", "the Chamber", "Café Olé"]),
            "Bilingual (Spanish/English).",
            "Pays annually by check.\r\n\r\nDo not auto-draft.",
        ]
        p["memo"] = rng.choice(memo_pool) if rng.random() < 0.25 else ""
        # ---- custom fields
        p["spouse"] = (
            ("%s %s" % (rng.choice(SPOUSES), last) if rng.random() < 0.5 else rng.choice(SPOUSES))
            if not company and rng.random() < 0.45
            else ""
        )
        p["lead_source"] = rng.choice(LEAD_SOURCES) if rng.random() < 0.7 else ""
        if rng.random() < 0.55:
            ren = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
            p["renewal_raw"], p["renewal"] = fmt_us_date(ren), ren.isoformat()
        else:
            p["renewal_raw"], p["renewal"] = "", None
        r = rng.random()
        p["optin_raw"] = "Yes" if r < 0.5 else ("No" if r < 0.8 else "")
        if rng.random() < 0.6:
            cents = rng.choice([0, 0, 50, 25, rng.randint(1, 99)])
            dollars = rng.randint(350, 14999)
            amount = dollars + cents / 100.0
            style = rng.choice(["money", "money", "money_nocents", "plain"])
            if style == "money":
                p["premium_raw"] = "${:,.2f}".format(amount)
            elif style == "money_nocents":
                amount = float(dollars)
                p["premium_raw"] = "${:,}".format(dollars)
            else:
                p["premium_raw"] = "%.2f" % amount
            p["premium"] = round(amount, 2)
        else:
            p["premium_raw"], p["premium"] = "", None
        return p

    # ---------------------------------------------------------------- defects
    def plant_defects(self):
        rng = self.rng
        plain = [p for p in self.people if p["email"] and not p["defects"]]
        # 1) two invalid emails
        broken = ["{u}@@{d}", "{u} {d}", "{u}.{d}", "{u}@{dd}..com"]
        for p in rng.sample(plain, 2):
            user, dom = p["email"].split("@")
            form = rng.choice(broken)
            if form == "{u} {d}":
                bad = "%s %s@%s" % (p["first"].lower(), ascii_slug(p["last"]), dom)
            else:
                bad = form.format(u=user, d=dom, dd=dom.rsplit(".", 1)[0])
            broken.remove(form)
            p["email"] = p["email_raw"] = bad
            p["defects"].add("invalid_email")
            self.review.append(
                {"value": bad, "why": "invalid email", "record": "%s %s" % (p["first"], p["last"])}
            )
        # 2) impossible dates: a Birthday and a Policy Renewal Date
        cands = [
            p for p in self.people if not p["defects"] and p["birthday"] not in (None, "yearless")
        ]
        p = rng.choice(cands)
        year = p["birthday"][:4]
        p["birthday_raw"] = "02/30/%s" % year
        p["birthday"] = None
        p["defects"].add("bad_birthday")
        self.review.append(
            {
                "value": p["birthday_raw"],
                "why": "impossible date (Birthday)",
                "record": "%s %s" % (p["first"], p["last"]),
            }
        )
        cands = [q for q in self.people if not q["defects"]]
        q = rng.choice(cands)
        q["renewal_raw"] = rng.choice(["6/31/2025", "9/31/2025", "4/31/2025", "2/29/2025"])
        q["renewal"] = None
        q["defects"].add("bad_renewal")
        self.review.append(
            {
                "value": q["renewal_raw"],
                "why": "impossible date (Policy Renewal Date)",
                "record": "%s %s" % (q["first"], q["last"]),
            }
        )
        # 3) one contact exported twice (same person, same email, two AllClients ids)
        cands = [d for d in self.people if d["email"] and not d["defects"]]
        d = rng.choice(cands)
        d["defects"].add("duplicate")
        dup = dict(d)
        dup["id"] = self.new_id() + 5000
        dup["added"] = d["added"] + dt.timedelta(days=rng.randint(200, 600))
        if dup["added"].date() >= EXPORT_DAY:
            dup["added"] = d["added"] + dt.timedelta(days=3)
        dup["edited"] = dup["added"] + dt.timedelta(minutes=12)
        dup["phones"] = [
            ("mobile",)
            + self.fmt_phone(self.phone_number(d["addr"]["area"] if d["addr"] else "312"))
            + ("Mobile",)
        ]
        dup["memo"] = ""
        dup["is_dup_row"] = True
        self.people.insert(
            min(len(self.people), rng.randint(len(self.people) - 25, len(self.people))), dup
        )
        self.review.append(
            {
                "value": d["email"],
                "why": "duplicate email (contact exported twice)",
                "record": "%s %s" % (d["first"], d["last"]),
            }
        )
        # 4) one contact whose email changed: its notes still carry the old address
        cands = [c for c in self.people if c["email"] and not c["defects"]]
        self.changed_email = rng.choice(cands)
        self.changed_email["defects"].add("email_changed")
        user, dom = self.changed_email["email"].split("@")
        self.changed_email["old_email"] = "%s.old@%s" % (
            user,
            "example.net" if dom != "example.net" else "example.org",
        )

    # ---------------------------------------------------------------- contacts file
    def contact_match(self, p):
        if p["email"] and "invalid_email" not in p["defects"]:
            return {"email": p["email"].strip()}
        return {"name": "%s %s" % (p["first"], p["last"])}

    def write_contacts(self, exports):
        rng = self.rng
        h = self.h
        customs = list(CUSTOM_HEADERS)
        rng.shuffle(customs)
        labels = [h["contacts"][k] for k in h["contact_order"]]
        # the custom columns follow the standard ones, Birthday stays in the standard block
        out = CsvOut(h["quoting"])
        out.row(labels + customs)
        for p in self.people:
            addr = p["addr"]
            raw = {k: "" for k in h["contacts"]}
            raw.update(
                {
                    "id": str(p["id"]),
                    "first": p["first"],
                    "last": p["last"],
                    "email": p["email_raw"],
                    "website": p["website_raw"],
                    "birthday": p["birthday_raw"],
                    "flags": ", ".join(p["flags"]),
                    "owner": p["owner"][0],
                    "added": fmt_us_datetime(p["added"]),
                    "edited": fmt_us_datetime(p["edited"]),
                    "memo": p["memo"],
                }
            )
            if p["company"]:
                name = p["company"]["name"]
                raw["company"] = name + (" " if rng.random() < 0.06 else "")
            if addr:
                street = addr["street"]
                if addr["street2"]:
                    street += rng.choice(["\r\n", "\n"]) + addr["street2"]
                raw.update(
                    {
                        "address": street,
                        "city": addr["city"],
                        "state": rng.choice(addr["state_spellings"]),
                        "zip": addr["zip"],
                        "country": ""
                        if p["country_blank"]
                        else rng.choice(COUNTRY_SPELLINGS[addr["country"]]),
                    }
                )
            for i, ph in enumerate(p["phones"][:3]):
                raw["p%d" % (i + 1)] = ph[1]
                raw["p%dn" % (i + 1)] = ph[3]
            row = [raw[k] for k in h["contact_order"]]
            custom_raw = {
                "Spouse Name": p["spouse"],
                "Lead Source": p["lead_source"],
                "Policy Renewal Date": p["renewal_raw"],
                "Newsletter Opt-In": p["optin_raw"],
                "Annual Premium": p["premium_raw"],
            }
            row += [custom_raw[c] for c in customs]
            p["line"] = out.row(row)
        fname = h["files"]["contacts"]
        out.save(os.path.join(exports, fname), "cp1252")
        self.contacts_file = fname

    def expected_contacts(self):
        fname = self.contacts_file
        seen_company = {}
        for p in self.people:
            if p.get("is_dup_row"):
                continue
            name = "%s %s" % (p["first"], p["last"])
            src = "%s:%d" % (fname, p["line"])
            if "duplicate" in p["defects"]:
                # one partner for the two rows; only what both rows agree on is compared
                vals = {
                    "name": name,
                    "email": p["email"].strip(),
                    "is_company": False,
                    "parent_id": p["company"]["name"] if p["company"] else None,
                }
                self.records.append(
                    {
                        "model": "res.partner",
                        "match": self.contact_match(p),
                        "values": vals,
                        "source": src,
                    }
                )
                continue
            vals = {
                "name": name,
                "is_company": False,
                "parent_id": p["company"]["name"] if p["company"] else None,
                "user_id": p["owner"][1],
                "category_id": sorted(p["flags"]),
                "website": website_in_odoo(p["website_raw"]),
                "comment": p["memo"] or None,
                "create_date": utc_str(p["added"]),
            }
            if "invalid_email" not in p["defects"]:
                vals["email"] = p["email"].strip() or None
            for kind, _raw, exp, _note in p["phones"]:
                vals["phone" if kind == "land" else "mobile"] = exp
            if not p["phones"]:
                vals["phone"] = None
                vals["mobile"] = None
            elif not any(ph[0] == "mobile" for ph in p["phones"]):
                vals["mobile"] = None
            addr = p["addr"]
            if addr:
                vals.update(
                    {
                        "street": addr["street"],
                        "street2": addr["street2"],
                        "city": addr["city"],
                        "zip": addr["zip"],
                    }
                )
                if not p["country_blank"]:
                    vals["country_id"] = addr["country"]
                    vals["state_id"] = "%s-%s" % (addr["country"], addr["state"])
            else:
                vals.update(
                    {
                        "street": None,
                        "street2": None,
                        "city": None,
                        "zip": None,
                        "country_id": None,
                        "state_id": None,
                    }
                )
            # custom columns
            if p["birthday"] != "yearless" and "bad_birthday" not in p["defects"]:
                vals["x:Birthday"] = p["birthday"]
            vals["x:Spouse Name"] = p["spouse"] or None
            vals["x:Lead Source"] = p["lead_source"] or None
            if "bad_renewal" not in p["defects"]:
                vals["x:Policy Renewal Date"] = p["renewal"]
            vals["x:Newsletter Opt-In"] = p["optin_raw"] == "Yes"
            if p["premium"] is not None:
                vals["x:Annual Premium"] = p["premium"]
            self.records.append(
                {
                    "model": "res.partner",
                    "match": self.contact_match(p),
                    "values": vals,
                    "source": src,
                }
            )
            if p["company"] and p["company"]["name"] not in seen_company:
                seen_company[p["company"]["name"]] = src
        for c in self.companies:
            self.records.append(
                {
                    "model": "res.partner",
                    "match": {"name": c["name"], "is_company": True},
                    "values": {"name": c["name"], "is_company": True},
                    "source": seen_company.get(c["name"], fname),
                }
            )
        self.flags_used = sorted({f for p in self.people for f in p["flags"]})
        for f in self.flags_used:
            self.records.append(
                {
                    "model": "res.partner.category",
                    "match": {"name": f},
                    "values": {"name": f},
                    "source": fname,
                }
            )

    # ---------------------------------------------------------------- notes
    def write_notes(self, exports):
        rng = self.rng
        h = self.h
        out = CsvOut(h["quoting"])
        out.row(h["notes"])
        notes = []
        eligible = [
            p for p in self.people if not p.get("is_dup_row") and "duplicate" not in p["defects"]
        ]
        for p in eligible:
            k = rng.choice([0, 0, 0, 1, 1, 2, 2, 3, 4])
            if p is self.changed_email:
                k = max(k, 2)
            for tmpl in rng.sample(NOTE_TEMPLATES, k):
                when = self.rand_dt(
                    max(p["added"].date(), dt.date(2019, 1, 2)), dt.date(2024, 11, 14)
                )
                notes.append(
                    {
                        "p": p,
                        "tmpl": tmpl,
                        "when": when,
                        "ctx": dict(
                            first=p["first"],
                            policy=rng.choice(POLICIES),
                            qnum=rng.randint(10000, 99999),
                            ded=rng.choice([500, 1000, 2500]),
                            amt="{:,.2f}".format(
                                rng.randint(90, 4000) + rng.choice([0, 0.5, 0.25])
                            ),
                            cnum=rng.randint(100000, 999999),
                            pnum="%s-%07d"
                            % (rng.choice(["HO", "PA", "UMB", "BOP"]), rng.randint(0, 9999999)),
                        ),
                    }
                )
        # DST edges (wall times that are valid in Central time)
        edges = [
            dt.datetime(2024, 3, 10, 3, 15),
            dt.datetime(2024, 3, 9, 23, 40),
            dt.datetime(2024, 11, 3, 14, 30),
            dt.datetime(2024, 11, 2, 23, 55),
            dt.datetime(2023, 3, 12, 3, 5),
            dt.datetime(2023, 11, 5, 0, 45),
        ]
        early = [n for n in notes if n["p"]["added"] < dt.datetime(2023, 3, 1)]
        edge_notes = rng.sample(early, len(edges))
        for n, when in zip(edge_notes, edges):
            n["when"] = when
        for n in notes:
            n["text"] = n["tmpl"].format(year=n["when"].year, **n["ctx"])
        # orphans: the contact was deleted before the export
        orphans = []
        for _ in range(2):
            first, last = self.unique_name()
            email = "%s.%s@example.com" % (ascii_slug(first), ascii_slug(last))
            orphans.append(
                {
                    "p": None,
                    "first": first,
                    "last": last,
                    "email": email,
                    "id": self.new_id() + 9000,
                    "text": "Called %s about cancelling the %s policy. Done."
                    % (first, rng.choice(POLICIES)),
                    "when": self.rand_dt(dt.date(2020, 1, 1), dt.date(2023, 12, 31)),
                }
            )
        allnotes = notes + orphans
        allnotes.sort(key=lambda n: (n["p"]["id"] if n["p"] else n["id"], n["when"]))
        for n in allnotes:
            p = n["p"]
            if p is None:
                cid, first, last, email = str(n["id"]), n["first"], n["last"], n["email"]
            else:
                cid, first, last = str(p["id"]), p["first"], p["last"]
                email = p["email"].strip()
                if p is self.changed_email:
                    email = p["old_email"]
                elif email and rng.random() < 0.3:
                    email = email.lower()
            when = fmt_us_datetime(n["when"], seconds=False)
            if self.dialect == "A":
                row = [cid, first, last, email, when, n["text"]]
            else:
                row = [cid, "%s %s" % (first, last), email, when, n["text"]]
            n["line"] = out.row(row)
        fname = h["files"]["notes"]
        out.save(os.path.join(exports, fname), "cp1252")
        for n in allnotes:
            src = "%s:%d" % (fname, n["line"])
            if n["p"] is None:
                self.review.append(
                    {
                        "value": n["email"],
                        "why": "orphan note: no contact with this email or id",
                        "source": src,
                    }
                )
                self.not_expected.append({"model": "res.partner", "match": {"email": n["email"]}})
                continue
            first_line = n["text"].split("\r\n")[0]
            snippet = first_line[:40].strip()
            self.records.append(
                {
                    "model": "mail.message",
                    "match": {
                        "res_model": "res.partner",
                        "record": self.contact_match(n["p"]),
                        "body_contains": snippet,
                    },
                    "values": {
                        "body": n["text"],
                        "date": utc_str(n["when"]),
                        "message_type": "comment",
                        "subtype_id": "Note",
                    },
                    "source": src,
                }
            )
        self.notes = notes
        # sanity: the snippet must be unique per contact
        seen = set()
        for n in notes:
            key = (n["p"]["id"], n["text"].split("\r\n")[0][:40].strip())
            assert key not in seen, key
            seen.add(key)

    # ---------------------------------------------------------------- to-dos
    def write_todos(self, exports):
        rng = self.rng
        h = self.h
        out = CsvOut(h["quoting"])
        out.row(h["todos"])
        todos = []
        eligible = [
            p for p in self.people if not p.get("is_dup_row") and "duplicate" not in p["defects"]
        ]
        for p in eligible:
            if rng.random() > 0.42:
                continue
            for cat, summ, det in rng.sample(TODO_TEMPLATES, rng.choice([1, 1, 2])):
                ctx = dict(
                    first=p["first"],
                    policy=rng.choice(POLICIES),
                    qnum=rng.randint(10000, 99999),
                    cnum=rng.randint(100000, 999999),
                    pct=rng.randint(3, 19),
                )
                t = {
                    "p": p,
                    "category": cat,
                    "priority": rng.choice(PRIORITIES),
                    "id": self.new_id() + 700000,
                }
                if rng.random() < 0.55:
                    t["closed"] = False
                    t["due"] = dt.date(2024, 10, 1) + dt.timedelta(days=rng.randint(0, 150))
                    t["owner"] = p["owner"] if rng.random() < 0.8 else rng.choice(ACTIVE_OWNERS)
                else:
                    t["closed"] = True
                    t["due"] = dt.date(2023, 1, 9) + dt.timedelta(days=rng.randint(0, 640))
                    done = t["due"] + dt.timedelta(days=rng.randint(-6, 4))
                    t["done"] = min(done, EXPORT_DAY - dt.timedelta(days=1))
                    t["owner"] = INACTIVE_OWNER if rng.random() < 0.15 else p["owner"]
                t["summary"] = summ.format(year=t["due"].year, **ctx)
                t["details"] = det.format(year=t["due"].year, **ctx)
                assert len(t["summary"]) <= 50
                todos.append(t)
        todos.sort(key=lambda t: t["id"])
        for t in todos:
            p = t["p"]
            status = "Closed" if t["closed"] else "Open"
            completed = "Yes" if t["closed"] else "No"
            done = fmt_us_date(t["done"]) if t["closed"] else ""
            cat = t["category"] or ("No Category" if self.dialect == "B" else "")
            if self.dialect == "A":
                row = [
                    str(t["id"]),
                    str(p["id"]),
                    p["first"],
                    p["last"],
                    p["email"].strip(),
                    t["summary"],
                    t["details"],
                    cat,
                    t["priority"],
                    fmt_us_date(t["due"]),
                    status,
                    completed,
                    done,
                    t["owner"][0],
                ]
            else:
                row = [
                    str(t["id"]),
                    str(p["id"]),
                    "%s %s" % (p["first"], p["last"]),
                    p["email"].strip(),
                    t["summary"],
                    t["details"],
                    cat,
                    t["priority"],
                    fmt_us_date(t["due"]),
                    status.lower(),
                    completed,
                    done,
                    t["owner"][0],
                ]
            t["line"] = out.row(row)
        fname = h["files"]["todos"]
        out.save(os.path.join(exports, fname), h["todo_encoding"])
        for t in todos:
            match = {
                "res_model": "res.partner",
                "record": self.contact_match(t["p"]),
                "summary_contains": t["summary"],
            }
            vals = {
                "summary": t["summary"],
                "date_deadline": t["due"].isoformat(),
                "active": not t["closed"],
            }
            if t["category"] in TODO_TYPE:
                vals["activity_type_id"] = TODO_TYPE[t["category"]]
            if t["details"]:
                vals["note"] = t["details"]
            if t["owner"][3]:
                vals["user_id"] = t["owner"][1]
            if t["closed"]:
                match["active"] = False
                vals["date_done"] = t["done"].isoformat()
            self.records.append(
                {
                    "model": "mail.activity",
                    "match": match,
                    "values": vals,
                    "source": "%s:%d" % (fname, t["line"]),
                }
            )
        self.todos = todos

    # ---------------------------------------------------------------- team members
    def write_team(self, exports):
        h = self.h
        out = CsvOut(h["quoting"])
        out.row(h["team"])
        lines = []
        for i, (name, email, role, active) in enumerate(TEAM):
            if self.dialect == "A":
                row = [str(i), name, email, role, "Yes" if active else "No"]
            else:
                row = [str(i), name, email, role, "Active" if active else "Inactive"]
            lines.append(out.row(row))
        fname = h["files"]["team"]
        out.save(os.path.join(exports, fname), "cp1252")
        for (name, email, role, active), line in zip(TEAM, lines):
            match = {"login": email}
            if not active:
                match["active"] = False
            self.records.append(
                {
                    "model": "res.users",
                    "match": match,
                    "values": {"name": name, "active": active},
                    "source": "%s:%d" % (fname, line),
                }
            )

    # ---------------------------------------------------------------- run
    def run(self, out_dir):
        exports = os.path.join(out_dir, "exports")
        os.makedirs(exports, exist_ok=True)
        self.build()
        self.plant_defects()
        self.write_contacts(exports)
        self.expected_contacts()
        self.write_notes(exports)
        self.write_todos(exports)
        self.write_team(exports)
        persons = len([p for p in self.people if not p.get("is_dup_row")])
        counts = {
            # contacts (the duplicate pair counts once) + companies + the partners of the users
            "res.partner": persons + len(self.companies) + len(TEAM),
            "res.users": len(TEAM),
            "res.partner.category": len(self.flags_used),
            "mail.activity": len(self.todos),
        }
        expected = {
            "system": "allclients",
            "seed": self.seed,
            "dialect": self.dialect,
            "records": self.records,
            "counts": counts,
            "review": self.review,
            "not_expected": self.not_expected,
        }
        with open(os.path.join(out_dir, "expected.json"), "w", encoding="utf-8") as fh:
            json.dump(expected, fh, ensure_ascii=False, indent=1)
        return expected


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    expected = Generator(args.seed).run(args.out)
    print(
        "allclients seed %d: %d expected records, counts %s, %d review items"
        % (args.seed, len(expected["records"]), expected["counts"], len(expected["review"]))
    )


if __name__ == "__main__":
    main()
