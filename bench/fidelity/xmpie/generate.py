#!/usr/bin/env python3
"""Blind fidelity corpus for XMPie (uProduce / Circle) -> Odoo 18 CRM.

Writes DIR/exports/ (what a user gets out of XMPie: recipient table export, campaigns,
products, users/owners; CSV, cp1252, CRLF) and DIR/expected.json (see ../SCHEMA.md).
Stdlib only, deterministic per --seed.
"""
import argparse
import csv
import io
import json
import os
import random
import unicodedata

ENC = "cp1252"

FIRST = ["James", "Mary", "José", "Zoë", "François", "Chloé", "Renée", "Björn", "Søren", "Ana",
         "Michael", "Linda", "David", "Susan", "Robert", "Karen", "André", "Inès", "Jürgen", "Noël",
         "Patrick", "Emily", "Daniel", "Sarah", "Thomas", "Laura", "Kevin", "Hélène", "Mateo", "Olivia"]
LAST = ["Smith", "Johnson", "Müller", "García", "Dubois", "O'Brien", "Nuñez", "Lefèvre", "Brown",
        "Wilson", "Schäfer", "Martin", "Taylor", "Anderson", "Thomas", "Moore", "Jackson", "Côté",
        "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Åkesson", "Wright"]
COMPANIES = ["Acme Print Services", "Müller Druck GmbH", "Société Générale d'Impression",
             "Bluewater Marketing, Inc.", "Café Lumière", "Northwind Traders", "Pinnacle Mailing Co.",
             "Crestline Insurance", "Harbor & Co.", "Zenith Retail Group", "Évolution Média",
             "Maple Leaf Credit Union", ""]
TITLES = ["Marketing Manager", "Print Buyer", "Director of Communications", "Office Manager",
          "VP Marketing", "Procurement Specialist", "Chargée de communication", "Owner", ""]
PREFS = ["Glossy, A4", "Matte finish — no inserts", "Email only", "Postcard; \"Premium\" stock",
         "Call before 10am\nUse side entrance", "Recycled paper, please", "", "", "Envoi groupé (café)"]

# country name as typed in the recipient table, ISO code, [(city, state, zip)]
PLACES = [
    ("United States", "US", [("Chicago", "IL", "60601", "312"), ("Boston", "MA", "02108", "617"),
                             ("Austin", "TX", "78701", "512"), ("Newark", "NJ", "07102", "973"),
                             ("Seattle", "WA", "98101", "206"), ("Rochester", "NY", "14604", "585")]),
    ("Canada", "CA", [("Toronto", "ON", "M5H 2N2", "416"), ("Montréal", "QC", "H2Y 1C6", "514")]),
    ("United Kingdom", "GB", [("London", "", "SW1A 1AA", ""), ("Manchester", "", "M1 1AE", "")]),
    ("France", "FR", [("Paris", "", "75008", ""), ("Lyon", "", "69002", "")]),
    ("Germany", "DE", [("Berlin", "", "10115", ""), ("München", "", "80331", "")]),
]
STREETS = {"US": ["Main St", "Oak Avenue", "Market Street", "Elm Rd, Suite 200"],
           "CA": ["Queen St W", "Rue Sainte-Catherine", "King Street"],
           "GB": ["High Street", "Victoria Road", "Deansgate"],
           "FR": ["Rue de Rivoli", "Boulevard Saint-Michel", "Avenue Jean Jaurès"],
           "DE": ["Hauptstraße", "Friedrichstraße", "Marienplatz"]}

USERS = [
    ("Rachel Green", "rachel.green@printco.example", "Campaign Manager"),
    ("Marc Lévesque", "marc.levesque@printco.example", "Account Manager"),
    ("Priya Natarajan", "priya.natarajan@printco.example", "Campaign Manager"),
    ("Tom Becker", "tom.becker@printco.example", "Designer"),
    ("Dana Whitfield", "dana.whitfield@printco.example", "Administrator"),
]
OWNER_POOL = [u[1] for u in USERS[:3]]

PRODUCTS = [
    ("BRO-A4-01", "Brochure A4 tri-fold", "0.85"),
    ("PC-6X4-02", "Personalised postcard 6x4", "0.42"),
    ("CAT-SPR-24", "Spring catalogue 48 pages", "3.90"),
    ("EML-PURL", "PURL email + landing page", "0.12"),
    ("CARD-HOL", "Carte de vœux personnalisée", "1.25"),
    ("POS-A2", "Poster A2 — variable image", "7.50"),
    ("KIT-WELC", "Welcome kit (box + letter)", "1,250.00"),
    ("LTR-SIGN", "Signed letter, window envelope", "0.65"),
]

CAMPAIGNS = [
    ("Spring Catalog 2024", "03/01/2024", "05/31/2024", "rachel.green@printco.example", "Completed"),
    ("Holiday Cards 2024", "11/15/2024", "12/20/2024", "marc.levesque@printco.example", "Completed"),
    ("Welcome Series Q1 2025", "01/06/2025", "03/28/2025", "priya.natarajan@printco.example", "Active"),
    ("Renouvellement Fidélité", "02/01/2025", "", "marc.levesque@printco.example", "Active"),
]

HEAD = ["RecipientID", "FirstName", "LastName", "Email", "Phone", "Company", "JobTitle", "Address1",
        "City", "State", "Zip", "Country", "OwnerEmail", "CampaignName",
        "LastOrderDate", "OptIn", "LoyaltyPoints", "PrintPreference"]


def write_csv(path, header, rows):
    """Write CSV (cp1252, CRLF, minimal quoting); return the physical line of each data row."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    lines = []
    line = 2
    for r in rows:
        lines.append(line)
        start = buf.tell()
        w.writerow(r)
        line += buf.getvalue()[start:].count("\r\n")
    with open(path, "w", encoding=ENC, newline="") as f:
        f.write(buf.getvalue())
    return lines


def ascii_fold(s):
    s = s.replace("ø", "o").replace("Ø", "O").replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(c for c in s if c.isalnum()).lower()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    exp_dir = os.path.join(a.out, "exports")
    os.makedirs(exp_dir, exist_ok=True)

    n = 100
    # planted defects at distinct random rows
    bad = rnd.sample(range(n), 4)
    i_bad_email, i_bad_date, i_no_email, i_bad_owner = bad

    names, emails = set(), set()
    rows, recs, review = [], [], []
    for i in range(n):
        while True:
            fn, ln = rnd.choice(FIRST), rnd.choice(LAST)
            if (fn, ln) not in names:
                names.add((fn, ln))
                break
        full = "%s %s" % (fn, ln)
        local = "%s.%s" % (ascii_fold(fn), ascii_fold(ln))
        dom = rnd.choice(["example.com", "example.org", "mail.example.net"])
        email = "%s@%s" % (local, dom)
        k = 2
        while email.lower() in emails:
            email = "%s%d@%s" % (local, k, dom)
            k += 1
        emails.add(email.lower())
        if rnd.random() < 0.08:
            loc, dm = email.split("@")
            email = ".".join(x.capitalize() for x in loc.split(".")) + "@" + dm.capitalize()

        country, iso, places = PLACES[0] if rnd.random() < 0.6 else rnd.choice(PLACES[1:])
        city, state, zipc, area = rnd.choice(places)
        num, st = rnd.randint(1, 980), rnd.choice(STREETS[iso])
        street = "%s %d" % (st, num) if iso == "DE" else "%d %s" % (num, st)
        if iso in ("US", "CA"):
            phone = "%s-555-01%02d" % (area, rnd.randint(0, 99))
        elif iso == "GB":
            phone = "+44 20 7946 %04d" % rnd.randint(0, 999)
        elif iso == "FR":
            phone = "+33 1 42 68 %02d %02d" % (rnd.randint(0, 99), rnd.randint(0, 99))
        else:
            phone = "+49 30 %07d" % rnd.randint(1000000, 9999999)
        if rnd.random() < 0.07:
            phone = ""
        company = rnd.choice(COMPANIES)
        title = rnd.choice(TITLES)
        owner = rnd.choice(OWNER_POOL) if rnd.random() < 0.9 else ""
        owner_cell = owner.upper() if owner and rnd.random() < 0.1 else owner
        campaign = rnd.choice(CAMPAIGNS)[0]
        y, m, d = rnd.randint(2021, 2024), rnd.randint(1, 12), rnd.randint(1, 28)
        date_cell, date_val = "%02d/%02d/%04d" % (m, d, y), "%04d-%02d-%02d" % (y, m, d)
        if rnd.random() < 0.1:
            date_cell, date_val = "", None
        optin = rnd.random() < 0.55
        points = rnd.choice([0, 50, 120, 875, 1500, 2300, rnd.randint(1, 9999)])
        pref = rnd.choice(PREFS)

        email_exp = email
        if i == i_bad_email:
            email = email_exp = "%s@@%s" % (local, dom.split(".")[0])
            review.append({"value": email, "why": "invalid email"})
            email_exp = None  # keep-or-blank is a matter of taste: not scored
        if i == i_no_email:
            email = email_exp = ""
            review.append({"value": full, "why": "recipient without email"})
        if i == i_bad_date:
            date_cell, date_val = "02/30/%04d" % y, None
            review.append({"value": date_cell, "why": "impossible date (LastOrderDate)"})
        if i == i_bad_owner:
            owner = owner_cell = "k.brandt@oldagency.example"
            review.append({"value": owner, "why": "owner email not matched to a user"})

        rid = "R%06d" % (1000 + i * 7)
        rows.append([rid, fn, ln, email, phone, company, title, street, city, state, zipc, country,
                     owner_cell, campaign, date_cell, "Yes" if optin else "No", str(points), pref])

        v = {"type": "lead", "contact_name": full}
        if email_exp:
            v["email_from"] = email_exp
        if phone:
            v["phone"] = phone
        if title:
            v["function"] = title
        if company:
            v["partner_name"] = company
        v["street"] = street
        v["city"] = city
        v["zip"] = zipc
        v["country_id"] = iso
        if state:
            v["state_id"] = "%s-%s" % (iso, state)
        if owner and i != i_bad_owner:
            v["user_id"] = owner
        v["x:LastOrderDate"] = date_val
        v["x:OptIn"] = optin
        v["x:LoyaltyPoints"] = points
        if pref:
            v["x:PrintPreference"] = " ".join(pref.split())
        match = {"email_from": email_exp} if email_exp else {"contact_name": full}
        recs.append({"model": "crm.lead", "match": match, "values": v})

    lines = write_csv(os.path.join(exp_dir, "recipients.csv"), HEAD, rows)
    for r, ln in zip(recs, lines):
        r["source"] = "recipients.csv:%d" % ln

    write_csv(os.path.join(exp_dir, "campaigns.csv"),
              ["CampaignName", "StartDate", "EndDate", "OwnerEmail", "Status"], CAMPAIGNS)
    plines = write_csv(os.path.join(exp_dir, "products.csv"),
                       ["ProductCode", "ProductName", "Price"], PRODUCTS)
    ulines = write_csv(os.path.join(exp_dir, "users.csv"), ["Name", "Email", "Role"], USERS)

    for (code, name, price), ln in zip(PRODUCTS, plines):
        recs.append({"model": "product.product", "match": {"default_code": code},
                     "values": {"name": name, "list_price": float(price.replace(",", ""))},
                     "source": "products.csv:%d" % ln})
    for (name, email, role), ln in zip(USERS, ulines):
        recs.append({"model": "res.users", "match": {"login": email},
                     "values": {"name": name}, "source": "users.csv:%d" % ln})

    out = {
        "system": "xmpie",
        "records": recs,
        "counts": {"crm.lead": n, "product.product": len(PRODUCTS), "res.users": len(USERS)},
        "review": review,
        "not_expected": [
            {"model": "crm.lead", "match": {"contact_name": "FirstName LastName"}},
            {"model": "res.partner", "match": {"name": "CampaignName"}},
        ],
    }
    with open(os.path.join(a.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
