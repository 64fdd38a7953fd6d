#!/usr/bin/env python3
"""Blind fidelity corpus for CRM.io (500apps) -> Odoo 18.

Written from the public seed page, shared/odoo-target.md and shared/sources.md only
(see README.md next to this file). It writes the CSV files a CRM.io user gets out of the
UI (one file per object, no parent ids) and expected.json: what a careful consultant
expects to find in Odoo after the migration.

    python generate.py --out DIR [--seed N]

Python standard library only; deterministic for a given seed.
"""
import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import re
import urllib.parse

SYSTEM = "crmio"
EXPORT_DAY = dt.date(2026, 11, 30)          # the day the customer clicked "Export"
CUSTOMER_DOMAIN = "brightlane.io"           # the CRM.io customer's own domain (users)

# --------------------------------------------------------------------------------------
# name pools
# --------------------------------------------------------------------------------------
FIRST = ["Ann", "Mark", "Olivia", "James", "Sofia", "Daniel", "Emma", "Lucas", "Mia", "Noah",
         "Grace", "Ethan", "Chloe", "Liam", "Ava", "Henry", "Isla", "Jack", "Zoe", "Owen",
         "Ruby", "Leo", "Hannah", "Adam", "Nora", "Samuel", "Ella", "Victor", "Laura", "Peter",
         "Julia", "Martin", "Clara", "Felix", "Alice", "Oscar", "Maya", "Simon", "Eva", "Paul",
         "Rachel", "Thomas", "Nina", "David", "Sara", "Karl", "Helen", "Ivan", "Lena", "Hugo"]
LAST = ["Lee", "Walker", "Bennett", "Carter", "Hughes", "Foster", "Reed", "Price", "Morgan", "Brooks",
        "Sanders", "Hayes", "Ward", "Coleman", "Perry", "Long", "Patterson", "Russell", "Griffin",
        "Diaz", "Fischer", "Weber", "Schmidt", "Martin", "Bernard", "Dubois", "Moreau", "Jansen",
        "de Vries", "Ortega", "Navarro", "Kelly", "Murphy", "Shaw", "Holt", "Baxter", "Quinn",
        "Barker", "Fleming", "Lambert", "Keller", "Vogel", "Brandt", "Sutton", "Doyle", "Hart",
        "Mercer", "Frost", "Lowell", "Pryce"]
# leads come from a separate cp1252 export: a few accents on purpose (all in cp1252)
LEAD_FIRST = ["José", "Renée", "Björn", "Zoë", "François", "Inés", "Søren", "Chloé", "Andrés",
              "Jürgen", "Mónica", "Loïc", "Åsa", "Noël", "Raúl", "Hélène", "Stefan", "Megan",
              "Brian", "Tanya", "Kevin", "Wendy", "Carlos", "Diane", "Gavin", "Fiona", "Tobias"]
LEAD_LAST = ["Müller", "Façade", "Núñez", "Öberg", "Lefèvre", "García", "Kjær", "Brontë",
             "Peña", "Schäfer", "Gonçalves", "Dupré", "Åkesson", "Castaño", "Strauß", "Ibáñez",
             "Novak", "Ellison", "Dunbar", "Whitaker", "Pratt", "Hollis", "Ramsey", "Tate"]

USERS_POOL = [("Priya Nair", "Sales Manager"), ("Tom Becker", "Account Executive"),
              ("Laura Chen", "Account Executive"), ("Miguel Santos", "Sales Rep"),
              ("Hannah Olsen", "Sales Rep"), ("Derek Vaughn", "Account Executive"),
              ("Sina Rahimi", "Sales Rep"), ("Greta Lind", "Partner Manager")]

COMPANY_BASES = ["Acme", "Blue Harbor Logistics", "Northwind Analytics", "Summit Peak Outfitters",
                 "Redwood Dental Group", "Ironclad Security", "Lumen Solar", "Crescent Foods",
                 "Brightwater Labs", "Falcon Freight", "Orchid Health", "Granite Ridge Construction",
                 "Silverline Finance", "Maple Leaf Robotics", "Pioneer Textiles", "Copperfield Media",
                 "Evergreen Schools", "Harbor View Hotels", "Quantum Leap Software", "Starlight Events",
                 "Velvet Rope Retail", "Windmill Energy", "Coral Reef Aquatics", "Beacon Insurance",
                 "Cobalt Data Systems", "Juniper Home Care", "Kestrel Aviation", "Lighthouse Legal",
                 "Nimbus Cloud Works", "Oakmont Furniture", "Polaris Marine", "Riverbend Farms",
                 "Sapphire Jewelers", "Tidewater Shipping", "Urban Nest Realty", "Vertex Engineering",
                 "Wildflower Cosmetics", "Zephyr Bikes", "Harper & Lowe", "Atlas Print Works",
                 "Bluebird Bakeries", "Cedar Point Clinics", "Driftwood Studios", "Elmstone Partners Group"]
AMBIGUOUS_BASE = "Globex"        # two accounts normalise to "globex" (planted)
UNKNOWN_ACCOUNT = "Vandelay Industries"   # a deal's account that is in no accounts row (planted)

INDUSTRIES = ["Software", "Manufacturing", "Healthcare", "Retail", "Logistics", "Finance",
              "Education", "Construction", "Hospitality", "Energy"]
JOB_TITLES = ["CEO", "CFO", "Head of Operations", "IT Manager", "Procurement Lead", "Office Manager",
              "VP Sales", "Marketing Director", "Purchasing Agent", "Operations Analyst",
              "Founder", "Finance Controller", "Project Manager", "HR Business Partner"]
CONTACT_TAGS = ["VIP", "Newsletter", "Decision Maker", "Event 2026", "Churn Risk", "Partner"]
DEAL_TAGS = ["New Business", "Upsell", "Renewal", "Q4 Push", "Strategic"]
LEAD_SOURCES = ["Website", "Referral", "Trade Show", "LinkedIn", "Cold Call", "Webinar"]
LEAD_STATUSES = ["New", "Attempted Contact", "Contacted", "Nurturing"]
LOST_REASONS = ["Went with competitor", "Budget cut", "No decision made", "Timing not right",
                "Price too high"]
PRODUCTS = ["CRM Rollout", "Annual License", "Support Renewal", "Data Migration", "Training Package",
            "Fleet Tracking", "Website Redesign", "Security Audit", "Cloud Hosting", "POS Upgrade",
            "Consulting Retainer", "Hardware Refresh", "Analytics Add-on", "Mobile App"]

PIPELINES = {
    "Sales Pipeline": {"open": [("Prospecting", 10), ("Qualification", 25), ("Proposal Sent", 50),
                                ("Negotiation", 75)],
                       "won": "Closed Won"},
    "Partner Channel": {"open": [("Referral Received", 20), ("Partner Evaluation", 40),
                                 ("Contract Review", 70)],
                        "won": "Signed"},
}

# address data: (city, state code, state as written, zip)
US_PLACES = [("Chicago", "IL", "Illinois", "60601"), ("Boston", "MA", "MA", "02110"),
             ("Austin", "TX", "Texas", "78701"), ("Seattle", "WA", "WA", "98101"),
             ("Denver", "CO", "Colorado", "80202"), ("Atlanta", "GA", "GA", "30303"),
             ("San Diego", "CA", "California", "92101"), ("New York", "NY", "NY", "10001")]
OTHER_PLACES = [  # (country code, country as written, city, state code or None, state written, zip)
    ("GB", "United Kingdom", "London", None, "", "EC1A 1BB"),
    ("GB", "UK", "Manchester", None, "", "M1 1AE"),
    ("DE", "Germany", "Berlin", None, "", "10115"),
    ("DE", "Germany", "München", None, "", "80331"),
    ("FR", "France", "Paris", None, "", "75002"),
    ("FR", "France", "Lyon", None, "", "69002"),
    ("CA", "Canada", "Toronto", "ON", "ON", "M5V 2T6"),
    ("NL", "Netherlands", "Amsterdam", None, "", "1012 AB"),
    ("ES", "Spain", "Madrid", None, "", "28013"),
    ("AU", "Australia", "Sydney", "NSW", "NSW", "2000"),
]
LEGAL_SUFFIX = {"US": ["Inc.", "LLC", "Corp.", "Inc", "Co."], "GB": ["Ltd", "PLC", "Ltd."],
                "DE": ["GmbH", "AG"], "FR": ["SAS", "S.A."], "CA": ["Inc.", "Ltd."],
                "NL": ["B.V."], "ES": ["S.L.", "S.A."], "AU": ["Pty Ltd"]}
STREETS = ["Main St", "Market Street", "Oak Avenue", "King Street", "Harbour Road", "Park Lane",
           "Elm Street", "Cedar Blvd", "Station Road", "Riverside Drive", "High Street", "Mill Lane"]
STREETS_LOCAL = {"DE": ["Friedrichstraße", "Leopoldstraße", "Schillerstraße"],
                 "FR": ["Rue de Rivoli", "Rue de la République", "Avenue Jean Jaurès"],
                 "NL": ["Herengracht", "Keizersgracht"], "ES": ["Calle Mayor", "Gran Vía"]}

# the normalisation a consultant uses to match a company name typed on a contact/deal row to
# an account: case, punctuation, "&"/"and", trailing legal suffix
SUFFIX_TOKENS = {"inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co",
                 "company", "gmbh", "ag", "sas", "sa", "sl", "bv", "plc", "pty", "llp"}


def norm_company(name):
    s = name.lower().replace("&", " and ")
    s = re.sub(r"[^\w\s]", "", s)
    toks = s.split()
    while len(toks) > 1 and toks[-1] in SUFFIX_TOKENS:
        toks.pop()
    return " ".join(toks)


def slug(s):
    s = s.lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "", s)


def ascii_slug(s):
    table = str.maketrans("éèêëáàâäãåóòôöøúùûüíìîïñçßæœÉÅÖÜØ", "eeeeaaaaaaooooouuuuiiiincsaeeaouo")
    return re.sub(r"[^a-z0-9]+", "", s.translate(table).lower())


def fmt_eu(amount):
    """12500.0 -> '12.500,00' (the semicolon export uses a European locale)."""
    s = "{:,.2f}".format(amount)
    return s.replace(",", "#").replace(".", ",").replace("#", ".")


def fmt_usd(amount):
    return "${:,.2f}".format(amount)


def collapse(s):
    return " ".join(s.split())


class CsvOut:
    """Writes one export file and remembers the physical line each data row starts on."""

    def __init__(self, name, header, delimiter=",", encoding="utf-8"):
        self.name, self.header, self.delimiter, self.encoding = name, header, delimiter, encoding
        self.buf = io.StringIO()
        self.w = csv.writer(self.buf, delimiter=delimiter, lineterminator="\r\n")
        self.w.writerow(header)

    def row(self, values):
        line = self.buf.getvalue().count("\n") + 1
        self.w.writerow(["" if v is None else v for v in values])
        return "%s:%d" % (self.name, line)

    def save(self, folder):
        with open(os.path.join(folder, self.name), "w", encoding=self.encoding, newline="") as f:
            f.write(self.buf.getvalue())


# --------------------------------------------------------------------------------------
def build(seed):
    rnd = random.Random(seed)
    records, review, not_expected = [], [], []

    def add(model, match, values, source=None):
        r = {"model": model, "match": match, "values": values}
        if source:
            r["source"] = source
        records.append(r)
        return r

    used_person_names = set()
    used_emails = set()

    def person_name(firsts, lasts):
        while True:
            f, l = rnd.choice(firsts), rnd.choice(lasts)
            if (f + " " + l).lower() not in used_person_names:
                used_person_names.add((f + " " + l).lower())
                return f, l

    # ---------------------------------------------------------------- users
    users = []
    for (name, role) in rnd.sample(USERS_POOL, 6):
        used_person_names.add(name.lower())
        first, last = name.split(" ", 1)
        email = "%s.%s@%s" % (first.lower(), last.lower(), CUSTOMER_DOMAIN)
        users.append({"name": name, "email": email, "role": role, "active": True})
    users[-1]["active"] = False                    # a former rep: historical owner only
    active_users = [u for u in users if u["active"]]
    inactive_user = users[-1]

    uf = CsvOut("users.csv", ["Name", "Email", "Role", "Status", "Last Login"])
    for u in users:
        last_login = "" if not u["active"] else (EXPORT_DAY - dt.timedelta(days=rnd.randint(0, 20))).strftime("%m/%d/%Y")
        src = uf.row([u["name"], u["email"], u["role"], "Active" if u["active"] else "Inactive", last_login])
        m = {"login": u["email"]}
        if not u["active"]:
            m["active"] = False
        add("res.users", m, {"name": u["name"], "active": u["active"]}, src)

    # ---------------------------------------------------------------- accounts
    must = ["Acme", "Harper & Lowe"]               # "Acme Inc." and the "&" spelling in every seed
    bases = must + rnd.sample([b for b in COMPANY_BASES if b not in must], 36)
    accounts = []
    for base in bases:
        if rnd.random() < 0.55:
            cc = "US"
            city, st, st_written, zipc = rnd.choice(US_PLACES)
            country_written = rnd.choice(["United States", "United States", "USA"])
        else:
            cc, country_written, city, st, st_written, zipc = rnd.choice(OTHER_PLACES)
        suffix = rnd.choice(LEGAL_SUFFIX[cc]) if rnd.random() < 0.8 else ""
        if base == "Harper & Lowe":
            suffix = "LLP" if cc in ("US", "GB") else suffix
        if base == "Acme":
            suffix = "Inc."
        name = (base + " " + suffix).strip()
        accounts.append({"base": base, "name": name, "cc": cc, "country": country_written,
                         "city": city, "state": st, "state_written": st_written, "zip": zipc})
    # the planted pair: two distinct accounts whose names normalise to the same key
    accounts.append({"base": AMBIGUOUS_BASE, "name": "Globex Corporation", "cc": "US",
                     "country": "United States", "city": "Chicago", "state": "IL",
                     "state_written": "IL", "zip": "60601", "site": "https://www.globex.com"})
    accounts.append({"base": AMBIGUOUS_BASE, "name": "Globex Corp", "cc": "GB",
                     "country": "United Kingdom", "city": "London", "state": None,
                     "state_written": "", "zip": "EC1A 1BB", "site": "https://www.globex.co.uk"})
    rnd.shuffle(accounts)
    keys = {}
    for a in accounts:
        keys.setdefault(norm_company(a["name"]), []).append(a)
    assert [k for k, v in keys.items() if len(v) > 1] == ["globex"], "unexpected name collision"

    tld = {"US": "com", "GB": "co.uk", "DE": "de", "FR": "fr", "CA": "ca", "NL": "nl", "ES": "es",
           "AU": "com.au"}
    phone_fmt = {
        "US": lambda r: "+1 (%d) 555-%04d" % (r.choice([312, 617, 512, 206, 303, 404, 619, 212]), r.randint(100, 9999)),
        "GB": lambda r: "+44 20 7946 %04d" % r.randint(0, 9999),
        "DE": lambda r: "+49 30 %07d" % r.randint(1000000, 9999999),
        "FR": lambda r: "+33 1 42 %02d %02d %02d" % (r.randint(10, 99), r.randint(10, 99), r.randint(10, 99)),
        "CA": lambda r: "+1 416 555 %04d" % r.randint(100, 9999),
        "NL": lambda r: "+31 20 %03d %04d" % (r.randint(100, 999), r.randint(1000, 9999)),
        "ES": lambda r: "+34 91 %03d %02d %02d" % (r.randint(100, 999), r.randint(10, 99), r.randint(10, 99)),
        "AU": lambda r: "+61 2 9%03d %04d" % (r.randint(100, 999), r.randint(1000, 9999)),
    }
    af = CsvOut("accounts.csv", ["account name", "website", "industry", "phone", "billing street",
                                 "billing city", "billing state", "billing zip", "billing country",
                                 "employees", "annual revenue", "account owner", "created on"])
    for a in accounts:
        a["site"] = a.get("site") or "https://www.%s.%s" % (slug(a["base"]), tld[a["cc"]])
        a["phone"] = phone_fmt[a["cc"]](rnd)
        streets = STREETS_LOCAL.get(a["cc"], STREETS)
        a["street"] = "%d %s" % (rnd.randint(1, 990), rnd.choice(streets)) if a["cc"] in ("US", "GB", "CA", "AU") \
            else "%s %d" % (rnd.choice(streets), rnd.randint(1, 120))
        a["employees"] = rnd.choice([8, 12, 25, 40, 75, 120, 250, 600, 1400, 5200])
        a["revenue"] = round(rnd.randint(2, 900) * 12500.0, 2)
        a["owner"] = rnd.choice(active_users)
        created = dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randint(0, 1300))
        src = af.row([a["name"], a["site"], rnd.choice(INDUSTRIES), a["phone"], a["street"], a["city"],
                      a["state_written"], a["zip"], a["country"], str(a["employees"]),
                      fmt_usd(a["revenue"]), a["owner"]["email"], created.strftime("%Y-%m-%d")])
        vals = {"name": a["name"], "is_company": True, "website": a["site"], "phone": a["phone"],
                "street": a["street"], "city": a["city"], "zip": a["zip"], "country_id": a["cc"],
                "user_id": a["owner"]["email"], "x:employees": a["employees"],
                "x:annual revenue": a["revenue"]}
        if a["state"]:
            vals["state_id"] = "%s-%s" % (a["cc"], a["state"])
        add("res.partner", {"name": a["name"], "is_company": True}, vals, src)
    linkable = [a for a in accounts if a["base"] != AMBIGUOUS_BASE]

    def company_variant(a):
        """How a person typed the account name on a contact or deal row."""
        r = rnd.random()
        name, base = a["name"], a["base"]
        if r < 0.55 or name == base:
            return name
        if r < 0.68:
            return base                                           # "Acme"
        if r < 0.80:
            if " " in name and name != base:                       # "ACME, INC"
                return (base + ", " + name[len(base):].strip().rstrip(".")).upper()
            return name.upper()
        if r < 0.90:
            return re.sub(r"[.,]", "", name).lower()                # "acme inc"
        return base.replace("&", "and") if "&" in base else name.rstrip(".")   # "Acme Inc"

    # ---------------------------------------------------------------- contacts
    cf = CsvOut("Contacts_2026-11-30.csv",
                ["First Name", "Last Name", " Email", "Phone", "Mobile", "Job  Title", "Company",
                 "Street", "City", "State", "Zip", "Country", "Tags", "Contact Owner", "Created Date",
                 "Spouse Name", "Lead Source ", "Customer Since", "Budget", "Notes"],
                encoding="utf-8-sig")
    contacts = []
    n_contacts = 120
    # which rows carry the planted defects
    bad_email_row = 37 + rnd.randint(0, 20)
    ambiguous_row = 70 + rnd.randint(0, 20)
    budget_numeric = ["5000", "12000", "7500", "25000", "3000", "18000", "40000", "9500"]
    budget_words = ["TBD", "unknown", "n/a", "pending approval", "15k", "ask CFO"]
    notes_pool = ["Met at Expo 2026 in Chicago.\nInterested in the premium plan.",
                  "Prefers email over phone.\nDo not call before 10am.",
                  "Referred by a current customer.\nSend the case study pack.",
                  "Asked for a discount on multi-year terms.\nFollow up after budget approval.",
                  "Moved from the old account team.\nNeeds an intro to support."]
    link_order = rnd.sample(linkable, len(linkable))     # every account gets at least one contact
    for i in range(n_contacts):
        first, last = person_name(FIRST, LAST)
        name = "%s %s" % (first, last)
        if i == ambiguous_row:
            acc, company_cell = None, AMBIGUOUS_BASE
        elif i < 92:
            acc = link_order[i] if i < len(link_order) else rnd.choice(linkable)
            company_cell = company_variant(acc)
        else:
            acc, company_cell = None, ""
        domain = ("%s.%s" % (slug(acc["base"]), tld[acc["cc"]])) if acc else \
            rnd.choice(["gmail.com", "outlook.com", "yahoo.com", "protonmail.com", "icloud.com"])
        email = "%s.%s@%s" % (ascii_slug(first), ascii_slug(last), domain)
        assert email not in used_emails
        used_emails.add(email)
        email_cell = email if rnd.random() > 0.1 else email.title()  # some typed with capitals
        cc = acc["cc"] if acc else None
        # own address: only for people without a company; people at an account either leave it blank
        # or repeat the company address (Odoo keeps a company contact on the company address)
        if acc:
            if rnd.random() < 0.5:
                addr = ["", "", "", "", ""]
            else:
                addr = [acc["street"], acc["city"], acc["state_written"], acc["zip"], acc["country"]]
            exp_addr = {"street": acc["street"], "city": acc["city"], "zip": acc["zip"],
                        "country_id": acc["cc"]}
            if acc["state"]:
                exp_addr["state_id"] = "%s-%s" % (acc["cc"], acc["state"])
        elif i == ambiguous_row:
            addr, exp_addr = ["", "", "", "", ""], {}
        else:
            if rnd.random() < 0.6:
                city, st, st_written, zipc = rnd.choice(US_PLACES)
                cc, country_w = "US", rnd.choice(["United States", "USA", "US"])
            else:
                cc, country_w, city, st, st_written, zipc = rnd.choice(OTHER_PLACES)
            street = "%d %s" % (rnd.randint(1, 400), rnd.choice(STREETS))
            addr = [street, city, st_written, zipc, country_w]
            exp_addr = {"street": street, "city": city, "zip": zipc, "country_id": cc}
            if st:
                exp_addr["state_id"] = "%s-%s" % (cc, st)
        pcc = cc or "US"
        phone = phone_fmt[pcc](rnd) if rnd.random() < 0.9 else ""
        if pcc == "US" and phone and rnd.random() < 0.5:     # local US spelling
            d = re.sub(r"\D", "", phone)[1:]
            phone = "(%s) %s-%s" % (d[:3], d[3:6], d[6:])
        mobile = ""
        if rnd.random() < 0.6:
            mobile = {"US": "+1 %d 555 %04d", "CA": "+1 %d 555 %04d"}.get(pcc, "")
            if mobile:
                mobile = mobile % (rnd.choice([773, 857, 737, 425, 720, 470, 858, 917]), rnd.randint(100, 9999))
            else:
                mobile = {"GB": "+44 7700 9%05d", "DE": "+49 151 %08d", "FR": "+33 6 %08d",
                          "NL": "+31 6 %08d", "ES": "+34 6%08d", "AU": "+61 4%08d"}[pcc] % rnd.randint(10000, 99999)
        function = rnd.choice(JOB_TITLES) if rnd.random() < 0.85 else ""
        tags = rnd.sample(CONTACT_TAGS, rnd.choice([0, 0, 1, 1, 2]))
        owner = rnd.choice(active_users)
        created = dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randint(0, 1000))
        spouse = ("%s %s" % (rnd.choice(FIRST), last)) if rnd.random() < 0.2 else ""
        source = rnd.choice(LEAD_SOURCES) if rnd.random() < 0.7 else ""
        since = (dt.date(2018, 1, 1) + dt.timedelta(days=rnd.randint(0, 3000))) if rnd.random() < 0.5 else None
        if i < 5:
            budget = budget_numeric[i]                 # the first rows look numeric ...
        elif rnd.random() < 0.6:
            budget = rnd.choice(budget_numeric + budget_words)   # ... the rest is mixed
        else:
            budget = ""
        notes = rnd.choice(notes_pool) if rnd.random() < 0.15 else ""
        email_out = email_cell
        if i == bad_email_row:
            email_out = "%s.%s@@%s" % (ascii_slug(first), ascii_slug(last), domain.split(".")[0])
        src = cf.row([first, last, email_out, phone, mobile, function, company_cell] + addr +
                     [", ".join(tags), owner["name"], created.strftime("%d/%m/%Y"), spouse, source,
                      since.strftime("%d/%m/%Y") if since else "", budget, notes])
        c = {"first": first, "last": last, "name": name, "email": email, "acc": acc, "cc": cc,
             "owner": owner, "valid": i != bad_email_row, "ambiguous": i == ambiguous_row}
        contacts.append(c)
        vals = {"name": name, "is_company": False}
        if c["valid"]:
            vals["email"] = email
        if phone:
            vals["phone"] = phone
        if mobile:
            vals["mobile"] = mobile
        if function:
            vals["function"] = function
        if acc:
            vals["parent_id"] = acc["name"]
        elif not c["ambiguous"]:
            vals["parent_id"] = None
        vals.update(exp_addr)
        vals["category_id"] = tags
        vals["user_id"] = owner["email"]
        if spouse:
            vals["x:Spouse Name"] = spouse
        if source:
            vals["x:Lead Source"] = source
        if since:
            vals["x:Customer Since"] = since.isoformat()
        if budget:
            vals["x:Budget"] = budget                 # text: the column mixes numbers and words
        if notes:
            vals["comment"] = "~contains:" + notes.split("\n")[0]
        match = {"email": email} if c["valid"] else {"name": name, "is_company": False}
        add("res.partner", match, vals, src)
        if i == bad_email_row:
            review.append({"value": email_out, "why": "invalid email on contact %s (%s)" % (name, src)})
        if c["ambiguous"]:
            review.append({"value": AMBIGUOUS_BASE,
                           "why": "company name of contact %s matches two accounts: Globex Corporation "
                                  "and Globex Corp (%s)" % (name, src)})
    valid_contacts = [c for c in contacts if c["valid"] and not c["ambiguous"]]

    # ---------------------------------------------------------------- leads (cp1252)
    lf = CsvOut("Leads_2026-11-30.csv",
                ["First Name", "Last Name", "Email", "Phone", "Company", "Title", "Lead Source",
                 "Lead Status", "Lead Owner", "Country", "Created On"], encoding="cp1252")
    lead_companies = ["Kiwi Cycle Hub", "Marlow Tea Rooms", "Pinecrest Dental", "Sunburst Yoga",
                      "Tinker Toys Co.", "Quarry Stone Works", "Hopscotch Daycare", "Larkspur Florists",
                      "Fjord Outdoor", "Café Rivière", "Bodega Núñez", "Schäfer Metallbau", "Lumière Optique",
                      "Nordlys Design", "Mesa Verde Tiles", "Greenway Couriers", "Osprey Charters",
                      "Bramble Books", "Copper Kettle Catering", "Ridgeway Motors", "Saffron Kitchen",
                      "Tundra Apparel", "Wavecrest Surf", "Keystone Plumbing", "Amberly Salon"]
    rnd.shuffle(lead_companies)
    lead_places = [("US", "United States"), ("DE", "Germany"), ("FR", "France"), ("ES", "Spain"),
                   ("GB", "United Kingdom"), ("SE", "Sweden"), ("DK", "Denmark")]
    lead_emails = []
    for i in range(25):
        first, last = person_name(LEAD_FIRST, LEAD_LAST)
        comp = lead_companies[i]
        assert norm_company(comp) not in keys
        email = "%s.%s@%s.com" % (ascii_slug(first), ascii_slug(last), ascii_slug(comp))
        assert email not in used_emails
        used_emails.add(email)
        lead_emails.append(email)
        cc, cw = rnd.choice(lead_places)
        if cc in phone_fmt:
            phone = phone_fmt[cc](rnd)
        elif cc == "SE":
            phone = "+46 8 %03d %02d %02d" % (rnd.randint(100, 999), rnd.randint(10, 99), rnd.randint(10, 99))
        else:
            phone = "+45 %d %d" % (rnd.randint(2000, 9999), rnd.randint(1000, 9999))
        title = rnd.choice(JOB_TITLES)
        src_ = rnd.choice(LEAD_SOURCES)
        owner = rnd.choice(active_users)
        created = EXPORT_DAY - dt.timedelta(days=rnd.randint(1, 200))
        row_src = lf.row([first, last, email, phone, comp, title, src_, rnd.choice(LEAD_STATUSES),
                          owner["email"], cw, created.strftime("%b %d, %Y")])
        add("crm.lead", {"email_from": email, "type": "lead"},
            {"type": "lead", "contact_name": "%s %s" % (first, last), "partner_name": comp,
             "email_from": email, "phone": phone, "function": title, "source_id": src_,
             "user_id": owner["email"], "country_id": cc}, row_src)
    # an unqualified lead is not a customer yet: no contact is created for it
    for e in lead_emails[:3]:
        not_expected.append({"model": "res.partner", "match": {"email": e}})

    # ---------------------------------------------------------------- deals (semicolon, EU numbers)
    df = CsvOut("Deals export.csv",
                ["Deal Name", "Account Name", "Contact Email", "Pipeline", "Stage", "Probability",
                 "Amount", "Expected Close Date", "Status", "Lost Reason", "Deal Owner", "Tags",
                 "Description", "Created On"], delimiter=";")
    deals = []
    used_deal_names = set()
    individuals = [c for c in valid_contacts if not c["acc"]]
    n_deals = 60
    statuses = ["open"] * 36 + ["won"] * 14 + ["lost"] * 10
    rnd.shuffle(statuses)
    unknown_row = 10 + rnd.randint(0, 30)
    bad_date_row = (unknown_row + 7 + rnd.randint(0, 10)) % n_deals
    while statuses[bad_date_row] != "open":
        bad_date_row = (bad_date_row + 1) % n_deals
    pct_rows = set()
    descriptions = ["Customer wants a phased rollout.\nPhase 1 before year end.",
                    "Competing with two other vendors.\nDecision by steering committee.",
                    "Pricing approved by finance.\nWaiting on legal review.",
                    "Expansion from 20 to 60 seats.\nNeeds SSO."]
    for i in range(n_deals):
        status = statuses[i]
        pipeline = "Partner Channel" if rnd.random() < 0.25 else "Sales Pipeline"
        pdef = PIPELINES[pipeline]
        if i == unknown_row:
            kind = "unknown"
        else:
            r = rnd.random()
            kind = "acc+contact" if r < 0.62 else ("acc" if r < 0.9 else "contact")
            if kind == "contact" and not individuals:
                kind = "acc"
        acc = contact = None
        if kind in ("acc+contact", "acc"):
            acc = rnd.choice(linkable)
            if kind == "acc+contact":
                pool = [c for c in valid_contacts if c["acc"] is acc]
                if pool:
                    contact = rnd.choice(pool)
                else:
                    kind = "acc"
        elif kind == "contact":
            contact = rnd.choice(individuals)
        label = acc["base"] if acc else (UNKNOWN_ACCOUNT if kind == "unknown" else contact["last"])
        while True:
            dname = "%s - %s" % (label, rnd.choice(PRODUCTS))
            if dname.lower() not in used_deal_names:
                used_deal_names.add(dname.lower())
                break
        if status == "won":
            stage, prob_cell = pdef["won"], "100"
        else:
            stage, p = rnd.choice(pdef["open"])
            prob_cell = str(p)
            rr = rnd.random()
            if status == "open" and rr < 0.08:
                prob_cell = "%d%%" % p
                pct_rows.add(i)
            elif status == "open" and rr < 0.14:
                prob_cell = ""
        amount = round(rnd.randint(30, 5000) * 50 + rnd.choice([0, 0, 0.5, 0.99, 0.25]), 2)
        if status == "open":
            close = EXPORT_DAY + dt.timedelta(days=rnd.randint(10, 200))
        else:
            close = EXPORT_DAY - dt.timedelta(days=rnd.randint(5, 320))
        close_cell = close.isoformat()
        if i == bad_date_row:
            close_cell = "2026-02-30"
        lost_reason = rnd.choice(LOST_REASONS) if status == "lost" else ""
        closed_before = sum(1 for x in statuses[:i] if x != "open")
        owner = inactive_user if (status != "open" and closed_before % 5 == 1) else rnd.choice(active_users)
        tags = rnd.sample(DEAL_TAGS, rnd.choice([0, 1, 1, 2]))
        desc = rnd.choice(descriptions) if rnd.random() < 0.2 else ""
        created = min(close, EXPORT_DAY) - dt.timedelta(days=rnd.randint(20, 150))
        acc_cell = company_variant(acc) if acc else (UNKNOWN_ACCOUNT if kind == "unknown" else "")
        src = df.row([dname, acc_cell, contact["email"] if contact else "", pipeline, stage, prob_cell,
                      fmt_eu(amount), close_cell, {"open": "Open", "won": "Won", "lost": "Lost"}[status],
                      lost_reason, owner["email"], ", ".join(tags), desc, created.isoformat()])
        deals.append({"name": dname, "status": status})
        vals = {"type": "opportunity", "name": dname, "expected_revenue": amount, "team_id": pipeline,
                "stage_id": stage, "user_id": owner["email"], "tag_ids": tags}
        if status != "lost" and i not in pct_rows and prob_cell != "":
            vals["probability"] = float(prob_cell)
        if i != bad_date_row:
            vals["date_deadline"] = close.isoformat()
        if acc:
            vals["partner_name"] = acc["name"]
            if not contact:
                vals["partner_id"] = acc["name"]
        if contact:
            vals["email_from"] = contact["email"]
            if not acc:
                vals["partner_id"] = contact["name"]
        if desc:
            vals["description"] = "~contains:" + desc.split("\n")[0]
        match = {"name": dname}
        if status == "lost":
            match["active"] = False
            vals["active"] = False
            vals["lost_reason_id"] = lost_reason
        add("crm.lead", match, vals, src)
        if i == unknown_row:
            review.append({"value": UNKNOWN_ACCOUNT,
                           "why": "deal %s: account name matches no account (%s)" % (dname, src)})
        if i == bad_date_row:
            review.append({"value": "2026-02-30",
                           "why": "impossible close date on deal %s (%s)" % (dname, src)})

    # ---------------------------------------------------------------- activities
    atf = CsvOut("activities.csv", ["Activity Type", "Subject", "Date", "Status", "Contact Email",
                                    "Duration (mins)", "Call Outcome", "Assigned To", "Notes"])
    topics = {"Call": ["Discovery call", "Follow-up call", "Pricing call", "Renewal call", "Check-in call",
                       "Onboarding call", "Reference call"],
              "Email": ["Sent proposal", "Sent case study", "Sent contract draft", "Intro email",
                        "Sent pricing sheet", "Meeting recap email"],
              "Meeting": ["Product demo", "Quarterly business review", "Kickoff meeting", "On-site visit",
                          "Contract negotiation meeting"],
              "Task": ["Prepare quote", "Update account plan", "Send NDA", "Review security questionnaire",
                       "Book follow-up"]}
    act_type_odoo = {"Call": "Call", "Email": "Email", "Task": "To-Do", "Meeting": "Meeting"}
    act_notes = ["Discussed timeline and budget.\nThey want a second demo for IT.",
                 "Left details with the assistant.\nCall back next week.",
                 "Agreed on pilot scope.\nSend SOW draft.",
                 "Raised concerns about data residency.\nLoop in security team."]
    rows = []
    used_subjects = set()
    n_unique = 96
    n_future = 20
    for k in range(n_unique):
        future = k >= n_unique - n_future
        atype = rnd.choice(["Call", "Email", "Task"] if future else ["Call", "Call", "Email", "Meeting", "Task"])
        c = rnd.choice(valid_contacts)
        while True:
            subj = "%s with %s" % (rnd.choice(topics[atype]), c["name"]) if atype in ("Call", "Meeting") \
                else "%s - %s" % (rnd.choice(topics[atype]), c["name"])
            if subj.lower() not in used_subjects:
                used_subjects.add(subj.lower())
                break
        if future:
            when = dt.datetime(2026, 12, 10, 0, 0) + dt.timedelta(days=rnd.randint(0, 95))
        else:
            when = dt.datetime(2026, 1, 5, 0, 0) + dt.timedelta(days=rnd.randint(0, 325))
        when = when.replace(hour=rnd.randint(13, 21), minute=rnd.choice([0, 15, 30, 45]))
        dur = outcome = ""
        if atype == "Call" and not future:
            dur = str(rnd.choice([3, 5, 12, 20, 35, 45]))
            outcome = rnd.choice(["Connected", "Left voicemail", "No answer", "Connected"])
        owner = rnd.choice(active_users)
        notes = rnd.choice(act_notes) if rnd.random() < 0.25 else ""
        email_cell = c["email"] if rnd.random() > 0.08 else c["email"].upper()
        rows.append({"cells": [atype, subj, when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                               "Open" if future else "Completed", email_cell, dur, outcome, owner["name"], notes],
                     "contact": c, "future": future, "atype": atype, "subj": subj, "when": when,
                     "owner": owner, "notes": notes})
    rows.sort(key=lambda r: r["when"], reverse=True)     # export is newest first
    # three rows exported twice (same activity), one of them with the email in capitals
    dup_src = [r for r in rows if not r["future"]]
    dups = rnd.sample(dup_src, 3)
    final = list(rows)
    for j, d in enumerate(dups):
        cells = list(d["cells"])
        if j == 2:
            cells[4] = cells[4].upper() if cells[4] != cells[4].upper() else cells[4].lower()
        pos = final.index(d) + rnd.randint(1, 6)
        final.insert(pos, {"cells": cells, "dup_of": d})
    # one activity about a person who is in no contacts row (planted)
    orphan_email = "r.okafor@oldclient-mail.com"
    orphan_when = dt.datetime(2026, 8, 19, 15, 30)
    orphan = {"cells": ["Call", "Follow-up call with R. Okafor", orphan_when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "Completed", orphan_email, "10", "Connected", active_users[0]["name"], ""],
              "orphan": True}
    final.insert(len(final) // 2, orphan)
    n_msg = n_act = 0
    for r in final:
        src = atf.row(r["cells"])
        if r.get("orphan"):
            review.append({"value": orphan_email,
                           "why": "activity contact email matches no contact (%s)" % src})
            continue
        if r.get("dup_of"):
            continue
        c = r["contact"]
        rec = {"email": c["email"]}
        if r["future"]:
            n_act += 1
            vals = {"activity_type_id": act_type_odoo[r["atype"]], "date_deadline": r["when"].date().isoformat(),
                    "user_id": r["owner"]["email"], "summary": r["subj"]}
            if r["notes"]:
                vals["note"] = "~contains:" + r["notes"].split("\n")[0]
            add("mail.activity", {"res_model": "res.partner", "record": rec, "summary_contains": r["subj"]},
                vals, src)
        else:
            n_msg += 1
            vals = {"date": r["when"].strftime("%Y-%m-%d %H:%M"), "author_id": r["owner"]["name"]}
            if r["notes"]:
                vals["body"] = "~contains:" + r["notes"].split("\n")[0]
            add("mail.message", {"res_model": "res.partner", "record": rec, "body_contains": r["subj"]},
                vals, src)
    not_expected.append({"model": "res.partner", "match": {"email": orphan_email}})

    # ---------------------------------------------------------------- documents
    dof = CsvOut("documents.csv", ["File Name", "File URL", "Related To", "Uploaded By", "Uploaded On",
                                   "Size (KB)"])
    doc_kinds = [("Proposal_%s.pdf", 0), ("Quote %s v2.pdf", 1), ("%s_SOW.docx", 0),
                 ("%s-pricing.xlsx", 0), ("NDA_%s_signed.pdf", 0), ("%s_requirements.docx", 0)]
    doc_deals = rnd.sample(deals, 15)
    used_files = set()
    for d in doc_deals:
        while True:
            pat, spaced = rnd.choice(doc_kinds)
            base = d["name"].split(" - ")[0]
            token = base if spaced else re.sub(r"[^A-Za-z0-9]+", "", base)
            fname = pat % token
            if fname.lower() not in used_files:
                used_files.add(fname.lower())
                break
        url = "https://files.crm.io/docs/%s/%s" % ("%010x" % rnd.getrandbits(40), urllib.parse.quote(fname))
        up = EXPORT_DAY - dt.timedelta(days=rnd.randint(1, 300))
        src = dof.row([fname, url, d["name"], rnd.choice(users)["name"], up.strftime("%m/%d/%Y"),
                       str(rnd.randint(40, 4800))])
        add("ir.attachment", {"name": fname},
            {"type": "url", "url": url, "res_model": "crm.lead", "res_name": d["name"]}, src)
        not_expected.append({"model": "res.partner", "match": {"name": fname}})
        not_expected.append({"model": "crm.lead", "match": {"name": fname}})

    # ---------------------------------------------------------------- configuration records
    for p, pdef in PIPELINES.items():
        add("crm.team", {"name": p}, {"name": p})
        for (s, _) in pdef["open"]:
            add("crm.stage", {"name": s}, {"name": s, "is_won": False})
        add("crm.stage", {"name": pdef["won"]}, {"name": pdef["won"], "is_won": True})
    used_ctags = sorted({t for r in records if r["model"] == "res.partner"
                         for t in r["values"].get("category_id", [])})
    used_dtags = sorted({t for r in records if r["model"] == "crm.lead"
                         for t in r["values"].get("tag_ids", [])})
    for t in used_ctags:
        add("res.partner.category", {"name": t}, {"name": t})
    for t in used_dtags:
        add("crm.tag", {"name": t}, {"name": t})
    used_reasons = sorted({r["values"]["lost_reason_id"] for r in records if "lost_reason_id" in r["values"]})
    for t in used_reasons:
        add("crm.lost.reason", {"name": t}, {"name": t})
    used_sources = sorted({r["values"]["source_id"] for r in records if "source_id" in r["values"]})
    for t in used_sources:
        add("utm.source", {"name": t}, {"name": t})

    counts = {
        "res.partner": len(accounts) + len(contacts),
        "crm.lead": 25 + n_deals,
        "res.users": len(users),
        "ir.attachment": len(doc_deals),
        "mail.message": n_msg,
        "mail.activity": n_act,
        "crm.team": len(PIPELINES),
        "crm.stage": sum(len(p["open"]) + 1 for p in PIPELINES.values()),
        "res.partner.category": len(used_ctags),
        "crm.tag": len(used_dtags),
    }
    files = [uf, af, cf, lf, df, atf, dof]
    return files, {"system": SYSTEM, "records": records, "counts": counts, "review": review,
                   "not_expected": not_expected}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    files, expected = build(args.seed)
    exp_dir = os.path.join(args.out, "exports")
    os.makedirs(exp_dir, exist_ok=True)
    for f in files:
        f.save(exp_dir)
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, indent=1, ensure_ascii=False)
        fh.write("\n")


if __name__ == "__main__":
    main()
