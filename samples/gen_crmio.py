#!/usr/bin/env python3
"""Generate synthetic CRM.io (500apps) exports: one CSV per module, no record ids
and no parent ids, with documented defects.

    python samples/gen_crmio.py                 # samples/crmio/ + its README.md
    python samples/gen_crmio.py --out /tmp/crmio

CRM.io has no API: a migration starts from the CSV files its list views export
(users, accounts, contacts, leads, deals, activities, documents). Rows name each
other by company name, email and deal name only, so every link is rebuilt by a
compound key. Real CRM.io exports were not available: the header spellings are
plausible guesses (the seed page lists the objects, not the columns).

Deterministic: fixed data, no randomness, no clock; the same arguments always
give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "crmio"

USERS = (
    ("Name", "Email", "Role", "Status", "Last Login"),
    [
        ("Alice Seller", "alice@example.com", "Admin", "Active", "11/28/2026"),
        ("Bob Closer", "bob@example.com", "Sales Rep", "Active", "11/30/2026"),
        (
            "Carol Former",
            "carol.former@example.com",
            "Sales Rep",
            "Inactive",
            "03/02/2025",
        ),
    ],
)

# "Deal Value": the total of the account's deals, as CRM.io's account list shows it
ACCOUNTS = (
    ("Account Name", "Website", "Industry", "Phone", "Billing City", "Billing Country",
     "Employees", "Deal Value", "Account Owner"),
    [
        ("Acme, Inc.", "https://acme.example.com", "Manufacturing", "+1 312 555 0100",
         "Chicago", "United States", "250", "$24,000.00", "alice@example.com"),
        ("Globex Corporation", "https://globex.example.com", "Energy", "+1 312 555 0101",
         "Chicago", "United States", "1200", "$15,000.00", "bob@example.com"),
        ("Globex Corp", "https://globex.example.co.uk", "Energy", "+44 20 7946 0102",
         "London", "United Kingdom", "80", "$8,000.00", "bob@example.com"),
        ("Harper & Lowe LLP", "https://harperlowe.example.com", "Legal", "+1 617 555 0103",
         "Boston", "United States", "35", "$9,500.00", "alice@example.com"),
        ("Initech GmbH", "https://initech.example.de", "Software", "+49 30 5550104",
         "Berlin", "Germany", "60", "$12,000.00", "carol.former@example.com"),
        ("Umbrella S.A.", "https://umbrella.example.es", "Pharma", "+34 91 555 0105",
         "Madrid", "Spain", "400", "$0.00", "bob@example.com"),
    ],
)  # fmt: skip

CONTACTS = (
    ("First Name", "Last Name", "Email", "Phone", "Company", "Tags", "Contact Owner",
     "Created Date", "Customer Since", "Budget"),
    [
        ("Ann", "Lee", "ann.lee@acme.example.com", "+1 312 555 0110", "ACME INC",
         "VIP, Newsletter", "Alice Seller", "01/15/2026", "03/01/2021", "5000"),
        ("Raj", "Patel", "raj.patel@acme.example.com", "+1 312 555 0111", "acme",
         "Newsletter", "Alice Seller", "01/16/2026", "", "TBD"),
        ("Hugo", "Harper", "hugo@harperlowe.example.com", "+1 617 555 0112",
         "Harper and Lowe", "VIP", "Alice Seller", "02/01/2026", "07/15/2019", ""),
        ("Ingrid", "Weber", "ingrid.weber@initech.example.de", "+49 30 5550113",
         "Initech", "", "Carol Former", "02/03/2026", "", "15k"),
        ("Lucia", "Garcia", "lucia@umbrella.example.es", "+34 91 555 0114",
         "umbrella sa", "", "Bob Closer", "02/05/2026", "", ""),
        # defect: "Globex" is two accounts (Chicago and London): not linked
        ("Gina", "Globe", "gina@globex.example.com", "+1 312 555 0115", "Globex",
         "", "Bob Closer", "02/07/2026", "", ""),
        # defect: no account of that name: kept as the company name, for review
        ("Vic", "Vandelay", "vic@vandelay.example.com", "+1 212 555 0116",
         "Vandelay Imports", "", "Bob Closer", "02/09/2026", "", ""),
        # defect: invalid email
        ("Karl", "Long", "karl.long@@urbannest", "+1 212 555 0117", "", "", "Bob Closer",
         "02/10/2026", "", ""),
        ("Tess", "Solo", "tess.solo@example.org", "+1 415 555 0118", "", "Newsletter",
         "Bob Closer", "02/11/2026", "", "n/a"),
    ],
)  # fmt: skip

LEADS = (
    ("First Name", "Last Name", "Email", "Phone", "Company", "Title", "Lead Source",
     "Lead Status", "Lead Owner", "Created On"),
    [
        ("Nora", "Quinn", "nora.quinn@bluepeak.example.com", "+1 303 555 0120",
         "Blue Peak Outfitters", "Buyer", "Web Form", "New", "alice@example.com",
         "2026-10-01"),
        ("Omar", "Haddad", "omar@cedarline.example.com", "+1 303 555 0121",
         "Cedarline Logistics", "COO", "Trade Show", "Contacted", "bob@example.com",
         "2026-10-03"),
        ("Zoé", "Martin", "zoe.martin@lumiere.example.fr", "+33 1 55 55 01 22",
         "Lumière SARL", "CEO", "Referral", "New", "bob@example.com", "2026-10-05"),
    ],
)  # fmt: skip

DEALS = (
    ("Deal Name", "Account Name", "Contact Email", "Pipeline", "Stage", "Probability",
     "Amount", "Expected Close Date", "Status", "Lost Reason", "Deal Owner", "Tags"),
    [
        ("Acme - Press Line", "Acme Inc", "ann.lee@acme.example.com", "Sales Pipeline",
         "Proposal", "60", "24,000.00", "2026-12-15", "Open", "", "alice@example.com",
         "Hardware"),
        ("Acme - Spare Parts", "ACME, INC", "", "Sales Pipeline", "Qualification", "20",
         "3,000.00", "2027-01-20", "Open", "", "alice@example.com", ""),
        ("Harper Retainer", "Harper & Lowe", "hugo@harperlowe.example.com",
         "Sales Pipeline", "Closed Won", "100", "9,500.00", "2026-09-30", "Won", "",
         "alice@example.com", "Services"),
        ("Initech Licences", "Initech GmbH", "", "Sales Pipeline", "Negotiation", "80",
         "12,000.00", "2026-12-20", "Open", "", "carol.former@example.com", "Software"),
        ("Umbrella Audit", "Umbrella SA", "lucia@umbrella.example.es", "Sales Pipeline",
         "Proposal", "50", "4,000.00", "2026-08-01", "Lost", "Budget cut",
         "bob@example.com", ""),
        # two accounts are "Globex": the deal's value says which one (London's)
        ("Globex UK Renewal", "Globex", "", "Partner Channel", "Partner Review", "40",
         "8,000.00", "2027-02-01", "Open", "", "bob@example.com", ""),
        # defect: "Globex" and a value neither Globex account has: not linked
        ("Globex Pilot", "Globex", "", "Partner Channel", "Signed", "100", "2,500.00",
         "2026-10-10", "Won", "", "bob@example.com", ""),
        # defect: no account of that name
        ("Vandelay Consulting", "Vandelay Industries", "", "Partner Channel",
         "Partner Review", "30", "6,000.00", "2027-03-01", "Open", "", "bob@example.com",
         ""),
        # defect: no contact with that email
        ("Tess Workshop", "", "tess.solo@example.net", "Sales Pipeline", "Qualification",
         "25", "1,200.00", "2027-01-05", "Open", "", "bob@example.com", ""),
        # defect: 30 February
        ("Acme - Service Plan", "Acme", "raj.patel@acme.example.com", "Sales Pipeline",
         "Negotiation", "70", "5,500.00", "2026-02-30", "Open", "", "alice@example.com",
         "Services"),
    ],
)  # fmt: skip

ACTIVITIES = (
    ("Activity Type", "Subject", "Date", "Status", "Contact Email", "Deal Name",
     "Duration (mins)", "Call Outcome", "Assigned To", "Notes"),
    [
        ("Call", "Discovery call", "2026-10-14T15:30:00Z", "Completed",
         "ann.lee@acme.example.com", "", "25", "Interested", "Alice Seller",
         "Wants a quote for the press line"),
        # defect: the same call exported twice (the email in capitals): one activity
        ("Call", "Discovery call", "2026-10-14T15:30:00Z", "Completed",
         "ANN.LEE@ACME.EXAMPLE.COM", "", "25", "Interested", "Alice Seller",
         "Wants a quote for the press line"),
        ("Email", "Quote sent", "2026-10-20T09:00:00Z", "Completed",
         "ann.lee@acme.example.com", "", "", "", "Alice Seller", "Quote v1 attached"),
        ("Meeting", "Contract walkthrough", "2026-11-02T14:00:00Z", "Completed",
         "hugo@harperlowe.example.com", "", "", "", "Alice Seller", "Signed on the spot"),
        ("Call", "Renewal check-in", "2026-12-15T16:00:00Z", "Open",
         "lucia@umbrella.example.es", "", "15", "", "Bob Closer", "Ask about budget"),
        ("Task", "Send licence terms", "2026-12-18T10:00:00Z", "Open", "", "Initech Licences",
         "", "", "Carol Former", "Legal wants the EULA"),
        ("Call", "Left voicemail", "2026-11-05T11:00:00Z", "Completed",
         "raj.patel@acme.example.com", "", "2", "No answer", "Alice Seller", ""),
        # defect: nobody has this email
        ("Call", "Old client follow-up", "2026-09-01T10:00:00Z", "Completed",
         "r.okafor@oldclient-mail.com", "", "10", "Wrong number", "Bob Closer", ""),
    ],
)  # fmt: skip

DOCUMENTS = (
    ("File Name", "File URL", "Related To", "Contact Email", "Uploaded By", "Uploaded On",
     "Size (KB)"),
    [
        ("acme-press-quote.pdf", "https://files.crm.io/d/acme-press-quote.pdf",
         "Acme - Press Line", "", "Alice Seller", "10/21/2026", "220"),
        ("harper-contract.pdf", "https://files.crm.io/d/harper-contract.pdf",
         "Harper Retainer", "", "Alice Seller", "09/30/2026", "540"),
        # metadata only: the file waits for upload (listed for review)
        ("initech-eula.docx", "", "Initech Licences", "", "Carol Former", "12/01/2026",
         "88"),
        # on the contact, by email
        ("tess-brief.pdf", "https://files.crm.io/d/tess-brief.pdf", "",
         "tess.solo@example.org", "Bob Closer", "11/11/2026", "35"),
        # defect: no deal of that name
        ("old-proposal.pdf", "https://files.crm.io/d/old-proposal.pdf",
         "Wayne Expansion", "", "Bob Closer", "05/05/2026", "120"),
    ],
)  # fmt: skip

# not in CRM.io's CSV exports: copied from its UI into a sheet (name, subject,
# body), the merge fields in CRM.io's own syntax
TEMPLATES = (
    ("Template Name", "Subject", "Body"),
    [
        # defect: CRM.io merge fields, not Odoo's (kept as text, for review)
        ("Welcome", "Welcome aboard, {{contact.first_name}}",
         "<p>Hi {{contact.first_name}},</p><p>{{user.name}} from Acme is your "
         "contact for anything you need.</p>"),
        # defect: a script in the body (removed, for review)
        ("Quote follow-up", "Your quote",
         "<p>Hello,</p><p>Following up on the quote we sent last week.</p>"
         "<script>track('quote')</script>"),
    ],
)  # fmt: skip

FILES = {
    "users.csv": USERS,
    "accounts.csv": ACCOUNTS,
    "contacts.csv": CONTACTS,
    "leads.csv": LEADS,
    "deals.csv": DEALS,
    "activities.csv": ACTIVITIES,
    "documents.csv": DOCUMENTS,
    "email_templates.csv": TEMPLATES,
}

README = """# samples/crmio: CRM.io (500apps) exports

Made by `python samples/gen_crmio.py` (fixed data: the files never change unless
the generator does). One CSV per CRM.io module, as its list views export them: no
record ids and no parent ids. Rows name each other by company name, email and
deal name, so the migration rebuilds every link by a compound key.

| file | rows |
|---|---|
{rows}

## Links the migration rebuilds, by key
- contact -> account by the normalised company name (`ACME INC`, `acme`,
  `Harper and Lowe`, `Initech`, `umbrella sa`: 5 contacts);
- deal -> contact by email (3 deals), deal -> account by account name (7), and by
  account name + deal value where two accounts share the name (`Globex UK Renewal`
  -> `Globex Corp`, whose deal value is 8,000);
- activity -> contact by email (5 activities; the repeated call is one), activity
  -> deal by deal name (`Send licence terms` -> `Initech Licences`);
- document -> deal by name (3), document -> contact by email (1).

## Planted defects (each one a review item)
1. contacts.csv line 7: `Globex` is two accounts (`Globex Corporation`, `Globex Corp`):
   the contact is not linked, the candidates are listed.
2. contacts.csv line 8: `Vandelay Imports` matches no account: the name stays in the
   contact's company name.
3. contacts.csv line 9: invalid email `karl.long@@urbannest`.
4. deals.csv line 8: `Globex Pilot` names `Globex` with a value (2,500) that neither
   Globex account has: not linked, candidates listed.
5. deals.csv line 9: `Vandelay Industries` matches no account.
6. deals.csv line 10: `tess.solo@example.net` matches no contact.
7. deals.csv line 11: close date `2026-02-30`.
8. activities.csv line 3: the call of line 2 again (email in capitals): merged into one.
9. activities.csv line 9: `r.okafor@oldclient-mail.com` matches no contact: held.
10. documents.csv line 4: `initech-eula.docx` has no URL: attachment made from its
    metadata, the file waiting for upload.
11. documents.csv line 6: `Wayne Expansion` matches no deal: held.
12. deals.csv line 6: the lost `Umbrella Audit` keeps a 50% probability; Odoo keeps lost
    deals at 0%: the 50 is not written, for review.
13. email_templates.csv line 2: CRM.io merge fields (`{{{{contact.first_name}}}}`,
    `{{{{user.name}}}}`): the template is loaded with them as text (the subject's as
    `[contact.first_name]`, which Odoo does not evaluate), for review.
14. email_templates.csv line 3: a script in the body: removed, for review.

Also: the inactive user `Carol Former` still owns an account, a contact, a deal
and an open task (the task is a review item: an archived user's open work is
reassigned by a person); owners are emails in some files and names in others; amounts use
thousands separators; the stages of the two pipelines are inferred from the deals.
"""


def render(headers, rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue()


def generate(out: Path) -> dict:
    """Write every file into ``out``; returns ``{file: rows}``."""
    out.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name, (headers, rows) in FILES.items():
        (out / name).write_bytes(render(headers, rows).encode("utf-8"))
        summary[name] = len(rows)
    table = "\n".join(f"| `{name}` | {n} |" for name, n in summary.items())
    (out / "README.md").write_text(README.format(rows=table), encoding="utf-8")
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    for name, n in generate(args.out).items():
        print(f"{args.out / name}: {n} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
