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

# CampaignName, StartDate, EndDate, OwnerEmail, Team, Status (one owner cell in mixed case; one
# campaign without team: its leads land in the default team, not scored)
CAMPAIGNS = [
    ("Spring Catalog 2024", "03/01/2024", "05/31/2024", "rachel.green@printco.example",
     "Retail Print Team", "Completed"),
    ("Holiday Cards 2024", "11/15/2024", "12/20/2024", "marc.levesque@printco.example",
     "Direct Mail Team", "Completed"),
    ("Welcome Series Q1 2025", "01/06/2025", "03/28/2025", "Priya.Natarajan@PrintCo.example",
     "Retail Print Team", "Active"),
    ("Renouvellement Fidélité", "02/01/2025", "", "marc.levesque@printco.example",
     "Équipe Québec", "Active"),
    ("Trade Show Follow-up 2023", "09/18/2023", "10/31/2023", "dana.whitfield@printco.example",
     "", "Archived"),
]
N_MAIN_CAMPAIGNS = 4  # the recipient loop draws from the first four (keeps older seeds' rows)

# ProductCode -> (Cost, VariableDataAttributes): cost in the same number format as the price
PRODUCT_EXTRA = {
    "BRO-A4-01": ("0.31", "FirstName; LastName; Company; Image:HeroShot"),
    "PC-6X4-02": ("0.18", "FirstName; PURL; QRCode"),
    "CAT-SPR-24": ("2.45", "LoyaltyPoints; Image:CoverByRegion; Text:OfferBlock"),
    "EML-PURL": ("0.02", "PURL; Email; FirstName"),
    "CARD-HOL": ("0.60", "FirstName; Signature:OwnerName; Image:Scène hivernale"),
    "POS-A2": ("3.10", ""),
    "KIT-WELC": ("910.00", "FirstName; LastName; Address1; City; Zip\nBox insert: Text:WelcomeNote"),
    "LTR-SIGN": ("0.27", "Salutation; Signature:OwnerName"),
}

# segments: SegmentName, Rule (uPlan-style SQL filter conditions). Simple "Field = 'value'" rules
# become tags on the matching leads; compound rules (AND / OR) are kept for the admin (review).
SEGMENTS = [
    ("Illinois recipients", "State = 'IL'", ("State", "IL")),
    ("Opted-in recipients", "[OptIn] = 'Yes'", ("OptIn", "Yes")),
    ("Canada", "Country = 'Canada'", ("Country", "Canada")),
    ("Email-only preference", "PrintPreference = 'Email only'", ("PrintPreference", "Email only")),
    ("Holiday 2024 audience", "CampaignName = 'Holiday Cards 2024'",
     ("CampaignName", "Holiday Cards 2024")),
    ("Loyal Canadians", "Country = 'Canada' AND LoyaltyPoints > 1000", None),
    ("Boston or Chicago", "City = 'Boston' OR City = 'Chicago'", None),
    ("Lapsed opt-ins",
     "[OptIn] = 'Yes' AND (LastOrderDate < '2022-01-01' OR LastOrderDate IS NULL)", None),
]

# asset kinds: (file name suffix, AssetType)
ASSET_KINDS = [("proof.pdf", "PDF Proof"), ("print.pdf", "Print-ready PDF"),
               ("photo.jpg", "Personalized Image"), ("letter.docx", "Variable Text")]
CAMPAIGN_ASSETS = [
    ("SpringCatalog2024_Template.indd", "InDesign Document", "Spring Catalog 2024"),
    ("HolidayCard_Background.jpg", "Image", "Holiday Cards 2024"),
    ("Welcome_Letter_Master.pdf", "Print-ready PDF", "Welcome Series Q1 2025"),
]
ASSET_HTTP = "https://uproduce.printco.example/XMPieDashboard/Assets/"
ASSET_UNC = "\\\\xmpfs01\\Assets\\"

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
        line += buf.getvalue()[start:].count("\n")  # as an editor counts (CRLF, or LF in a cell)
    with open(path, "w", encoding=ENC, newline="") as f:
        f.write(buf.getvalue())
    return lines


def ascii_fold(s):
    s = s.replace("ø", "o").replace("Ø", "O").replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(c for c in s if c.isalnum()).lower()


def iso(mdy):
    """MM/DD/YYYY -> YYYY-MM-DD (None when blank)."""
    if not mdy:
        return None
    m, d, y = mdy.split("/")
    return "%s-%s-%s" % (y, m, d)


def email_variant(rnd, email):
    """The same address as another recipient list typed it (case only: SQL Server and Odoo
    compare e-mails case-insensitively)."""
    loc, dom = email.split("@")
    return rnd.choice([email.upper(), email.lower(), loc.capitalize() + "@" + dom.upper()])


def simple_match(rule, cells):
    """SQL Server semantics of Field = 'value': case-insensitive, trailing spaces ignored."""
    field, value = rule
    return cells[field].rstrip().casefold() == value.casefold()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    # everything added for issue 14 draws from a second stream, so the recipients drawn by
    # the first one stay those of the earlier corpus for the same seed
    rnd2 = random.Random("xmpie-issue14-%d" % a.seed)
    exp_dir = os.path.join(a.out, "exports")
    os.makedirs(exp_dir, exist_ok=True)
    camp = {c[0]: c for c in CAMPAIGNS}

    n = 100
    # planted defects at distinct random rows
    bad = rnd.sample(range(n), 4)
    i_bad_email, i_bad_date, i_no_email, i_bad_owner = bad

    names, emails = set(), set()
    people, review = [], []
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

        country, iso_c, places = PLACES[0] if rnd.random() < 0.6 else rnd.choice(PLACES[1:])
        city, state, zipc, area = rnd.choice(places)
        num, st = rnd.randint(1, 980), rnd.choice(STREETS[iso_c])
        street = "%s %d" % (st, num) if iso_c == "DE" else "%d %s" % (num, st)
        if iso_c in ("US", "CA"):
            phone = "%s-555-01%02d" % (area, rnd.randint(0, 99))
        elif iso_c == "GB":
            phone = "+44 20 7946 %04d" % rnd.randint(0, 999)
        elif iso_c == "FR":
            phone = "+33 1 42 68 %02d %02d" % (rnd.randint(0, 99), rnd.randint(0, 99))
        else:
            phone = "+49 30 %07d" % rnd.randint(1000000, 9999999)
        if rnd.random() < 0.07:
            phone = ""
        company = rnd.choice(COMPANIES)
        title = rnd.choice(TITLES)
        owner = rnd.choice(OWNER_POOL) if rnd.random() < 0.9 else ""
        owner_cell = owner.upper() if owner and rnd.random() < 0.1 else owner
        campaign = rnd.choice(CAMPAIGNS[:N_MAIN_CAMPAIGNS])[0]
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
        cells = dict(zip(HEAD, [rid, fn, ln, email, phone, company, title, street, city, state,
                                zipc, country, owner_cell, campaign, date_cell,
                                "Yes" if optin else "No", str(points), pref]))

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
        v["country_id"] = iso_c
        if state:
            v["state_id"] = "%s-%s" % (iso_c, state)
        if owner and i != i_bad_owner:
            v["user_id"] = owner
        v["x:LastOrderDate"] = date_val
        v["x:OptIn"] = optin
        v["x:LoyaltyPoints"] = points
        if pref:
            v["x:PrintPreference"] = " ".join(pref.split())
        match = {"email_from": email_exp} if email_exp else {"contact_name": full}
        people.append({"i": i, "cells": cells, "rows": [cells], "values": v, "match": match,
                       "owner": owner, "valid_email": bool(email_exp)})

    # ---- issue 14 additions (second random stream) ----------------------------------------
    # a few recipients belong to the fifth campaign (no team)
    for p in people:
        if rnd2.random() < 0.08:
            p["cells"]["CampaignName"] = CAMPAIGNS[4][0]

    # duplicates by e-mail: the same person again in another campaign's recipient list, under a
    # new RecipientID, the address in another case; merged into the first row's lead
    eligible = [p for p in people if p["valid_email"] and p["owner"] and p["i"] not in bad]
    order = [p["cells"] for p in people]
    dups = []
    for p in rnd2.sample(eligible, 5):
        c = dict(p["cells"])
        c["RecipientID"] = "R%06d" % (1000 + p["i"] * 7 + 3)
        c["Email"] = email_variant(rnd2, c["Email"])
        c["CampaignName"] = rnd2.choice([x[0] for x in CAMPAIGNS
                                         if x[0] != p["cells"]["CampaignName"]])
        p["rows"].append(c)
        dups.append(c)
        pos = order.index(p["cells"])
        order.insert(rnd2.randint(pos + 1, len(order)), c)
    by_rid = {}
    for p in people:
        for c in p["rows"]:
            by_rid[c["RecipientID"]] = p

    lines = write_csv(os.path.join(exp_dir, "recipients.csv"), HEAD,
                      [[c[h] for h in HEAD] for c in order])
    line_of = {c["RecipientID"]: ln for c, ln in zip(order, lines)}

    # recipient-product links (what each recipient ordered / was sent), one row per link
    codes = [pr[0] for pr in PRODUCTS]
    name_of = {pr[0]: pr[1] for pr in PRODUCTS}
    links = []
    for c in order:
        if rnd2.random() < 0.6:
            for code in rnd2.sample(codes, rnd2.choice([1, 1, 2, 3])):
                links.append([c["RecipientID"], code])
    rnd2.shuffle(links)
    links.sort(key=lambda r: r[0])
    # planted: a code typed in lower case with a trailing space (SQL Server matches it), the same
    # link twice, a code that is no product, a RecipientID that is no recipient
    links[rnd2.randrange(len(links))][1] += " "
    j = rnd2.randrange(len(links))
    links[j][1] = links[j][1].lower()
    j = rnd2.randrange(len(links))
    links.insert(j + 1, list(links[j]))
    unknown_code = "BRO-A5-99"
    links.insert(rnd2.randrange(len(links)), [rnd2.choice(order)["RecipientID"], unknown_code])
    orphan_link_rid = "R%06d" % (5000 + rnd2.randint(0, 499))
    links.insert(rnd2.randrange(len(links)), [orphan_link_rid, rnd2.choice(codes)])
    review.append({"value": unknown_code, "why": "recipient-product link to an unknown product"})
    review.append({"value": orphan_link_rid, "why": "recipient-product link to an unknown recipient"})
    write_csv(os.path.join(exp_dir, "recipient_products.csv"), ["RecipientID", "ProductCode"], links)
    for rid, code in links:
        code = code.strip().upper()
        if rid in by_rid and code in name_of:
            by_rid[rid].setdefault("products", set()).add(name_of[code])

    # print assets: recipient-level files (proofs, personalised images) and campaign-level ones
    assets = []
    for c in order:
        if rnd2.random() < 0.25:
            for suffix, atype in rnd2.sample(ASSET_KINDS, rnd2.choice([1, 1, 1, 2])):
                fname = "%s_%s" % (c["RecipientID"], suffix)
                folder = ascii_fold(c["CampaignName"])
                if rnd2.random() < 0.5:
                    loc = ASSET_HTTP + folder + "/" + fname
                else:
                    loc = ASSET_UNC + folder + "\\" + fname
                assets.append([fname, atype, c["RecipientID"], c["CampaignName"], loc])
    for fname, atype, cname in CAMPAIGN_ASSETS:
        assets.insert(rnd2.randrange(len(assets)),
                      [fname, atype, "", cname, ASSET_HTTP + ascii_fold(cname) + "/" + fname])
    orphan_asset_rid = "R%06d" % (5500 + rnd2.randint(0, 499))
    assets.insert(rnd2.randrange(len(assets)),
                  ["%s_proof.pdf" % orphan_asset_rid, "PDF Proof", orphan_asset_rid,
                   CAMPAIGNS[0][0], ASSET_HTTP + "springcatalog2024/%s_proof.pdf" % orphan_asset_rid])
    review.append({"value": orphan_asset_rid, "why": "print asset of an unknown recipient"})
    alines = write_csv(os.path.join(exp_dir, "assets.csv"),
                       ["AssetName", "AssetType", "RecipientID", "CampaignName", "Location"], assets)

    # segments
    slines = write_csv(os.path.join(exp_dir, "segments.csv"), ["SegmentName", "Rule"],
                       [[sn, rule] for sn, rule, _ in SEGMENTS])
    for sn, rule, simple in SEGMENTS:
        if simple is None:
            review.append({"value": sn, "why": "compound segment rule kept for manual rebuild: "
                           + rule})

    # ---- leads -----------------------------------------------------------------------------
    recs = []
    for p in people:
        v = p["values"]
        c = p["cells"]
        cp = camp[c["CampaignName"]]
        merged = len(p["rows"]) > 1
        if not p["owner"]:
            v["user_id"] = cp[3].lower()  # the campaign owner is the fallback owner
        if not merged:  # a merged lead's campaign is a matter of taste: not scored
            v["x:Campaign Name|CampaignName|xmpie_campaign_name|campaign_id"] = cp[0]
            v["x:Campaign Start Date|Campaign Start|CampaignStartDate|Campaign StartDate"
              "|xmpie_campaign_start|StartDate"] = iso(cp[1])
            v["x:Campaign End Date|Campaign End|CampaignEndDate|Campaign EndDate"
              "|xmpie_campaign_end|EndDate"] = iso(cp[2])
            if cp[4]:
                v["team_id"] = cp[4]
        v["m2m:product.product"] = sorted(p.get("products", ()))
        v["tag_ids"] = sorted({sn for sn, _, simple in SEGMENTS if simple
                               for row in p["rows"] if simple_match(simple, row)})
        src = "recipients.csv:%d" % line_of[c["RecipientID"]]
        if merged:
            src += " (+ " + ", ".join("recipients.csv:%d" % line_of[r["RecipientID"]]
                                      for r in p["rows"][1:]) + ", merged by email)"
        recs.append({"model": "crm.lead", "match": p["match"], "values": v, "source": src})

    n_att = 0
    for row, ln in zip(assets, alines):
        fname, atype, rid, cname, loc = row
        values = {"type": "url", "url": loc} if loc.startswith("http") else {}
        if rid:
            if rid not in by_rid:
                continue
            match = {"name": fname, "res_model": "crm.lead", "record": by_rid[rid]["match"]}
        else:
            match = {"name": fname}
        n_att += 1
        recs.append({"model": "ir.attachment", "match": match, "values": values,
                     "source": "assets.csv:%d" % ln})

    for (sn, _rule, simple), ln in zip(SEGMENTS, slines):
        if simple:
            recs.append({"model": "crm.tag", "match": {"name": sn}, "values": {},
                         "source": "segments.csv:%d" % ln})

    clines = write_csv(os.path.join(exp_dir, "campaigns.csv"),
                       ["CampaignName", "StartDate", "EndDate", "OwnerEmail", "Team", "Status"],
                       CAMPAIGNS)
    teams = []
    for cp, ln in zip(CAMPAIGNS, clines):
        if cp[4] and cp[4] not in teams:
            teams.append(cp[4])
            recs.append({"model": "crm.team", "match": {"name": cp[4]}, "values": {},
                         "source": "campaigns.csv:%d" % ln})

    plines = write_csv(os.path.join(exp_dir, "products.csv"),
                       ["ProductCode", "ProductName", "Price", "Cost", "VariableDataAttributes"],
                       [list(pr) + list(PRODUCT_EXTRA[pr[0]]) for pr in PRODUCTS])
    ulines = write_csv(os.path.join(exp_dir, "users.csv"), ["Name", "Email", "Role"], USERS)

    for (code, name, price), ln in zip(PRODUCTS, plines):
        cost, vda = PRODUCT_EXTRA[code]
        recs.append({"model": "product.product", "match": {"default_code": code},
                     "values": {"name": name, "list_price": float(price.replace(",", "")),
                                "standard_price": float(cost.replace(",", "")),
                                "x:VariableDataAttributes|Variable Data Attributes"
                                "|Variable Data|xmpie_variable_data": " ".join(vda.split()) or None},
                     "source": "products.csv:%d" % ln})
    for (name, email, _role), ln in zip(USERS, ulines):
        recs.append({"model": "res.users", "match": {"login": email},
                     "values": {"name": name}, "source": "users.csv:%d" % ln})

    out = {
        "system": "xmpie",
        "records": recs,
        "counts": {"crm.lead": len(people), "product.product": len(PRODUCTS),
                   "res.users": len(USERS), "crm.team": len(teams), "ir.attachment": n_att},
        "review": review,
        "not_expected": [
            {"model": "crm.lead", "match": {"contact_name": "FirstName LastName"}},
            {"model": "res.partner", "match": {"name": "CampaignName"}},
            {"model": "crm.lead", "match": {"name": SEGMENTS[1][0]}},
            {"model": "res.partner", "match": {"name": CAMPAIGN_ASSETS[0][0]}},
        ] + [{"model": "res.partner", "match": {"name": cp[0]}} for cp in CAMPAIGNS],
    }
    with open(os.path.join(a.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
