#!/usr/bin/env python3
"""Generate synthetic XMPie exports (a campaign's data source and its
companion files), with documented defects.

    python samples/gen_xmpie.py                  # samples/xmpie/ + its README.md
    python samples/gen_xmpie.py --out /tmp/xm --defects-json /tmp/xm.json

XMPie uProduce keeps a campaign's recipients in a data source (a table whose
columns are the ADORs: RecipientID, FirstName, LastName...), exported as CSV
from a Windows server (cp1252, semicolons, CRLF, header cells padded with
spaces). The other files are what an XMPie admin exports next to it:
campaigns, products with their variable-data attributes, the recipient-product
links, print assets (proofs), segments (name + rule) and workflows, the last
two as JSON. Real exports were not
available: the header spellings beyond the ADOR names are plausible guesses.

Deterministic: a seeded ``random.Random``, fixed dates, no network, no clock.
``generate(out)`` returns a summary (files, rows, planted defects with file,
physical line, column, value and expected outcome).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "xmpie"
SEED = 20240702
N_RECIPIENTS = 30

# fmt: off
FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James",
         "Isabella", "Lucas", "Amelia", "Mason", "Harper", "Ethan", "Evelyn",
         "Logan", "Chloé", "Aiden", "Emily", "Jackson", "Ella", "Sébastien"]
LAST = ["Smith", "Johnson", "Brown", "Garcia", "Müller", "Davis", "Martínez",
        "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Martin"]
COMPANIES = ["Acme Print Co.", "Blue Ridge Bank", "Summit Health, Inc.",
             "Northwind Traders LLC", "Café Lumière"]
CITIES = [("Austin", "TX", "78701"), ("Denver", "CO", "80202"),
          ("Tampa", "FL", "33602"), ("Boise", "ID", "83702")]
TITLES = ["Marketing Manager", "Print Buyer", "CFO", "Office Manager", ""]
REGIONS = ["West", "East", "South"]
TIERS = ["Gold", "Silver", "Bronze"]
CAMPAIGNS = [
    # id, name, start, end, team, owner
    ("CMP-01", "Spring Catalog 2024", "03/01/2024", "05/31/2024", "Direct Mail",
     "alice@example.com"),
    ("CMP-02", "Loyalty Renewal", "06/15/2024", "08/15/2024", "Retention",
     "bob@example.com"),
    ("CMP-03", "Trade Show Follow-up", "09/01/2024", "09/30/2024", "",
     "zed.unknown@example.com"),
]
PRODUCTS = [
    # id, code, name, list price, cost, variable data
    ("P-100", "BRO-A4", "Personalised Brochure A4", "1.250,00", "610,50",
     "FirstName; Company; HeroImage"),
    ("P-200", "PC-6x4", "Variable Postcard 6x4", "0,85", "0,32",
     "FirstName; OfferCode"),
    ("P-300", "CAT-24", "Seasonal Catalog", "4,20", "2,05", ""),
    ("P-400", "LTR-PURL", "Letter with PURL", "1,10", "0,40",
     "FirstName; LastName; PURL"),
    ("P-500", "BNR-XL", "Roll-up Banner", "95,00", "41,00", "Company"),
]
# fmt: on
HEADERS = [
    "RecipientID",
    "FirstName",
    "LastName",
    "Email",
    "Phone",
    "Company",
    "JobTitle",
    "Address1",
    "City",
    "State",
    "Zip",
    "Country",
    "CampaignID",
    "OwnerEmail",
    "Region",
    "Tier",
    "LoyaltyPoints",
    "OptIn",
    "LastOrderDate",
    "CreatedDate",
]  # fmt: skip

NO_EMAIL_ID = "R0007"
DUP_FIRST_ID, DUP_SECOND_ID = "R0012", "R0027"
UNKNOWN_CAMPAIGN_ID = "R0019"
UNKNOWN_PRODUCT = "GONE-1"
ORPHAN_ASSET_RECIPIENT = "R9999"
COMPOUND_SEGMENT = "Gold in the West"


def _recipients(rng):
    rows = []
    for i in range(1, N_RECIPIENTS + 1):
        rid = f"R{i:04d}"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        city, state, zip_code = rng.choice(CITIES)
        email = f"{first}.{last}{i}@example.com".lower()
        email = email.encode("ascii", "ignore").decode()
        rows.append(
            {
                "RecipientID": rid,
                "FirstName": first,
                "LastName": last,
                "Email": email,
                "Phone": f"(512) 555-{1000 + i:04d}",
                "Company": COMPANIES[i % len(COMPANIES)],
                "JobTitle": TITLES[i % len(TITLES)],
                "Address1": f"{100 + i} Main St",
                "City": city,
                "State": state,
                "Zip": zip_code,
                "Country": "US",
                "CampaignID": CAMPAIGNS[i % 2][0] if i % 5 else CAMPAIGNS[2][0],
                "OwnerEmail": "" if i % 3 else "bob@example.com",
                "Region": REGIONS[i % len(REGIONS)],
                "Tier": TIERS[i % len(TIERS)],
                "LoyaltyPoints": str(rng.randint(0, 5000)),
                "OptIn": "Y" if i % 4 else "N",
                "LastOrderDate": f"{1 + i % 12:02d}/{1 + i % 27:02d}/2024",
                "CreatedDate": f"{1 + i % 12:02d}/{1 + i % 27:02d}/2022 09:30",
            }
        )
    # planted: a recipient without an email (loaded, flagged)
    no_email = rows[6]
    no_email.update(FirstName="Zoë", LastName="Ångström", Email="")
    # planted: the same person twice (email in another case): one lead
    rows[26]["Email"] = rows[11]["Email"].upper()
    rows[26]["FirstName"], rows[26]["LastName"] = (
        rows[11]["FirstName"],
        rows[11]["LastName"],
    )
    # planted: a campaign id no campaign has
    rows[18]["CampaignID"] = "CMP-99"
    # the same company spelled otherwise (case, punctuation, legal suffix):
    # one company partner, found by its normalised name
    rows[15]["Company"] = "Blue Ridge Bank Inc"
    rows[20]["Company"] = "BLUE RIDGE BANK, INC."
    return rows


def _write(path, headers, rows, encoding="utf-8", delimiter=",", pad=False):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([f" {h} " if pad else h for h in headers])
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    path.write_bytes(buf.getvalue().encode(encoding))


def _write_json(path, data):
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")


def generate(out: Path = DEFAULT_OUT) -> dict:
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    recipients = _recipients(rng)
    _write(out / "recipients.csv", HEADERS, recipients, "cp1252", ";", pad=True)
    campaign_headers = ["CampaignID", "CampaignName", "StartDate", "EndDate", "Team",
                        "Owner"]  # fmt: skip
    _write(out / "campaigns.csv", campaign_headers,
           [dict(zip(campaign_headers, c, strict=True)) for c in CAMPAIGNS])  # fmt: skip
    product_headers = ["ProductID", "ProductCode", "ProductName", "ListPrice", "Cost",
                       "VariableData"]  # fmt: skip
    _write(out / "products.csv", product_headers,
           [dict(zip(product_headers, p, strict=True)) for p in PRODUCTS],
           delimiter=";")  # fmt: skip
    links = [
        {"RecipientID": "R0001", "ProductCode": "BRO-A4", "OrderedOn": "2024-03-04"},
        {"RecipientID": "R0001", "ProductCode": "PC-6x4", "OrderedOn": "2024-03-09"},
        {"RecipientID": "R0002", "ProductCode": "CAT-24", "OrderedOn": "2024-04-01"},
        {"RecipientID": DUP_FIRST_ID, "ProductCode": "PC-6x4",
         "OrderedOn": "2024-06-20"},
        {"RecipientID": DUP_SECOND_ID, "ProductCode": "LTR-PURL",
         "OrderedOn": "2024-07-02"},
        {"RecipientID": "R0005", "ProductCode": UNKNOWN_PRODUCT,
         "OrderedOn": "2024-07-03"},
    ]  # fmt: skip
    _write(out / "recipient_products.csv", ["RecipientID", "ProductCode", "OrderedOn"],
           links)  # fmt: skip
    assets = [
        {"AssetID": "A-1", "RecipientID": "R0001", "AssetName": "proof_R0001.pdf",
         "AssetType": "PDF proof", "URL": "https://assets.example.com/proof_R0001.pdf"},
        {"AssetID": "A-2", "RecipientID": DUP_SECOND_ID,
         "AssetName": "proof_R0027.pdf", "AssetType": "PDF proof",
         "URL": "https://assets.example.com/proof_R0027.pdf"},
        {"AssetID": "A-3", "RecipientID": ORPHAN_ASSET_RECIPIENT,
         "AssetName": "proof_R9999.pdf", "AssetType": "PDF proof",
         "URL": "https://assets.example.com/proof_R9999.pdf"},
        {"AssetID": "A-4", "RecipientID": "R0002", "AssetName": "letter_R0002.docx",
         "AssetType": "Letter", "URL": ""},
        {"AssetID": "A-5", "RecipientID": "", "AssetName": "Spring_Template.indd",
         "AssetType": "Template",
         "URL": "https://assets.example.com/Spring_Template.indd"},
    ]  # fmt: skip
    _write(out / "assets.csv", ["AssetID", "RecipientID", "AssetName", "AssetType",
                                "URL"], assets)  # fmt: skip
    # segments and workflows: JSON, as a uProduce plan is exported
    segments = [
        {"Name": "West Region", "Rule": "Region = 'West'"},
        {"Name": "Gold Tier",
         "Rule": {"field": "Tier", "operator": "equals", "value": "Gold"}},
        {"Name": COMPOUND_SEGMENT, "Rule": "Tier = 'Gold' AND Region = 'West'"},
    ]  # fmt: skip
    _write_json(out / "segments.json", {"Plan": "Spring 2024", "Segments": segments})
    workflows = [
        {"WorkflowName": "Welcome series", "Trigger": "Recipient added",
         "Steps": [{"action": "send email", "template": "welcome"},
                   {"action": "wait", "days": 3}]},
        {"WorkflowName": "Proof approval", "Trigger": "Proof uploaded",
         "Steps": [{"action": "notify owner"}]},
    ]  # fmt: skip
    _write_json(out / "workflows.json", {"Workflows": workflows})
    defects = [
        {"file": "recipients.csv", "line": 8, "column": "Email", "value": "",
         "expected": "loaded as a lead, flagged: recipient without email"},
        {"file": "recipients.csv", "line": 28, "column": "Email",
         "value": recipients[26]["Email"],
         "expected": f"merged into {DUP_FIRST_ID} (same email); its product and "
                     "asset go to that lead"},
        {"file": "recipients.csv", "line": 17, "column": "Company",
         "value": recipients[15]["Company"],
         "expected": "customer: the company partner Blue Ridge Bank (normalised name)"},
        {"file": "recipients.csv", "line": 22, "column": "Company",
         "value": recipients[20]["Company"],
         "expected": "customer: the company partner Blue Ridge Bank (normalised name)"},
        {"file": "recipients.csv", "line": 20, "column": "CampaignID",
         "value": "CMP-99", "expected": "loaded; review: no such campaign"},
        {"file": "campaigns.csv", "line": 4, "column": "Team", "value": "",
         "expected": "review: a campaign without a team (its recipients keep the "
                     "default team)"},
        {"file": "campaigns.csv", "line": 4, "column": "Owner",
         "value": "zed.unknown@example.com",
         "expected": "review on each of its recipients: unknown owner"},
        {"file": "recipient_products.csv", "line": 7, "column": "ProductCode",
         "value": UNKNOWN_PRODUCT, "expected": "held: no such product"},
        {"file": "assets.csv", "line": 4, "column": "RecipientID",
         "value": ORPHAN_ASSET_RECIPIENT, "expected": "held: no such recipient"},
        {"file": "assets.csv", "line": 5, "column": "URL", "value": "",
         "expected": "metadata only: attachment without its file, waiting for "
                     "upload (review)"},
        {"file": "assets.csv", "line": 6, "column": "RecipientID", "value": "",
         "expected": "a template naming no recipient: kept unattached (review)"},
        {"file": "segments.json", "line": 4, "column": "Rule",
         "value": segments[2]["Rule"],
         "expected": "tag created, no lead tagged; review with the rule as JSON"},
        {"file": "workflows.json", "line": 2, "column": "", "value": "",
         "expected": "not loaded: listed with its rows in the readiness inventory "
                     "(the JSON rebuild reference)"},
    ]  # fmt: skip
    files = sorted(p.name for p in out.iterdir() if p.suffix in (".csv", ".json"))
    return {"files": files, "recipients": len(recipients), "defects": defects}


def write_readme(out: Path, summary: dict) -> None:
    lines = [
        "# samples/xmpie: synthetic XMPie exports",
        "",
        "Made by `python samples/gen_xmpie.py` (deterministic). `recipients.csv` is",
        "cp1252 with semicolons, CRLF and padded header cells, as exported from a",
        "uProduce data source; `products.csv` uses decimal commas.",
        "",
        "| file | line | column | value | expected |",
        "|---|---|---|---|---|",
    ]
    for d in summary["defects"]:
        lines.append(
            f"| {d['file']} | {d['line']} | {d['column']} | {d['value']} | "
            f"{d['expected']} |"
        )
    (out / "README.md").write_text("\n".join(lines) + "\n", "utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--defects-json", type=Path)
    args = parser.parse_args(argv)
    summary = generate(args.out)
    write_readme(args.out, summary)
    if args.defects_json:
        args.defects_json.write_text(json.dumps(summary, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
