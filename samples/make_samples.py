#!/usr/bin/env python3
"""Generate realistic synthetic "generic CRM" exports, with documented defects.

    python samples/make_samples.py                     # samples/generic/ + samples/README.md
    python samples/make_samples.py --out /tmp/big --rows 20000 --csv-only   # bench

Deterministic: a seeded ``random.Random``, fixed timestamps inside the xlsx, no network,
no clock. The same arguments always give byte-identical files.

Files (default size: 40 companies, 120 contacts, 80 deals; ``--rows N`` = N deals,
N/2 companies, 3N/2 contacts):

* ``companies.csv``: UTF-8, comma, LF line ends;
* ``contacts.csv``: cp1252 (Windows export) with accented names, semicolon, CRLF, headers
  with stray spaces and odd spellings;
* ``deals.xlsx`` (one sheet "Deals") or ``deals.csv`` with ``--csv-only``.

Every planted defect is listed with its file, physical line, column, value and the
expected outcome; the list is written into ``samples/README.md`` when generating the
default set (``--readme``), and can be dumped as JSON with ``--defects-json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import sys
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "generic"
DEFAULT_README = HERE / "README.md"
DEFAULT_ROWS = 80
SEED = 20240518

KNOWN_OWNERS = ["alice@example.com", "bob@example.com"]
UNKNOWN_OWNER = "zed.unknown@example.com"

# fmt: off
US_PREFIX = [
    "Acme", "Blue Ridge", "Summit", "Northwind", "Redwood", "Pioneer", "Silverline",
    "Granite", "Harbor", "Lakeside", "Evergreen", "Keystone", "Beacon", "Cobalt",
    "Maple", "Orion", "Vertex", "Atlas", "Crescent", "Falcon",
]
US_SUFFIX = [
    "Robotics", "Logistics", "Analytics", "Foods", "Health", "Software", "Energy",
    "Capital", "Design", "Labs",
]
US_LEGAL = ["Inc.", "LLC", "Corp.", "Ltd."]
BR_PREFIX = [
    "Tecnologia Paulista", "Comércio Mineiro", "Agro Cerrado", "Construtora Horizonte",
    "Café Serra Azul", "Logística Atlântica", "Indústria São Jorge", "Consultoria Ipê",
    "Farmácia Boa Saúde", "Editora Araucária", "Têxtil Vale do Itajaí", "Pescados Maré Alta",
]
BR_SUFFIX = ["", "Sul", "Norte", "Digital", "Brasil", "Serviços"]
BR_LEGAL = ["Ltda", "S.A.", "ME", "EIRELI"]
US_CITIES = [
    ("San Francisco", "CA", "941"), ("New York", "NY", "100"), ("Chicago", "IL", "606"),
    ("Boston", "MA", "021"), ("Austin", "TX", "787"), ("Seattle", "WA", "981"),
    ("Denver", "CO", "802"), ("Miami", "FL", "331"),
]
US_AREA = {"CA": "415", "NY": "212", "IL": "312", "MA": "617", "TX": "512", "WA": "206",
           "CO": "303", "FL": "305"}
BR_CITIES = [
    ("São Paulo", "SP", "01310", "11"), ("Rio de Janeiro", "RJ", "20040", "21"),
    ("Belo Horizonte", "MG", "30130", "31"), ("Curitiba", "PR", "80010", "41"),
    ("Porto Alegre", "RS", "90010", "51"), ("Florianópolis", "SC", "88010", "48"),
    ("Recife", "PE", "50030", "81"), ("Goiânia", "GO", "74003", "62"),
]
US_STREETS = ["Market St", "Main St", "Oak Ave", "Congress Ave", "Pine St", "Elm St",
              "Broadway", "Lake Shore Dr"]
BR_STREETS = ["Rua Augusta", "Av. Paulista", "Rua da Consolação", "Av. Afonso Pena",
              "Rua XV de Novembro", "Av. Beira-Mar", "Rua das Flores", "Av. Rio Branco"]
TAGS = ["Customer", "Partner", "VIP", "Prospect", "Reseller"]
FIRST = [
    "José", "João", "Conceição", "Ângela", "Márcio", "Françoise", "Renée", "Zoë", "Íris",
    "Otávio", "Lúcia", "Bárbara", "Sérgio", "Fábio", "Helena", "Maria", "Pedro", "Lucas",
    "Mariana", "Emily", "Michael", "Sarah", "David", "Jennifer", "Robert", "Jessica",
    "William", "Ashley", "Daniel", "Chloé",
]
LAST = [
    "Silva", "Souza", "Conceição", "Araújo", "Gonçalves", "Müller", "Ribeiro", "Carvalho",
    "Gómez", "Smith", "Johnson", "Brown", "O'Brien", "García", "Nuñez", "Lefèvre", "Peña",
    "Martins", "Almeida", "Taylor", "Anderson", "Thomas", "Moreira", "Castro",
]
TITLES = [
    "CEO", "CFO", "Sales Manager", "Diretor Comercial", "Gerente de Compras", "Analista",
    "Head of Operations", "Procurement Lead", "Coordenadora de Marketing", "IT Manager",
    "Sócio", "Assistente Administrativo",
]
PRODUCTS = ["Annual license", "Implementation", "Support renewal", "Expansion", "Pilot",
            "Consulting package", "Training", "Integration"]
STAGES_OPEN = ["New", "Qualified", "Proposition", "Negotiation"]
DEAL_TAGS = ["Hot", "Q3", "Renewal", "Upsell", "Inbound", "Referral"]

# fmt: on
COMPANY_HEADERS = [
    "Record ID",
    "Company Name",
    "CNPJ",
    "Website",
    "Phone",
    "Email",
    "Street",
    "City",
    "State",
    "Zip",
    "Country",
    "Account Owner",
    "Tags",
    "Employees",
    "Customer Since",
    "Notes",
    "Created",
]
CONTACT_HEADERS = [
    "Contact ID",
    "First Name",
    "Last Name",
    " E-mail ",
    "Company",
    "Job Title",
    "Work Phone",
    "Cell",
    "City ",
    "Country",
    "Created",
    "Newsletter",
    "Notes",
]
DEAL_HEADERS = [
    "Deal Name",
    "Account Name",
    "Contact Email",
    "Amount",
    "Stage",
    "Owner",
    "Close Date",
    "Status",
    "Tags",
    "Created",
]

EPOCH = dt.datetime(2024, 1, 1, 0, 0, 0)


def ascii_slug(text: str, sep: str = "") -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    out = "".join(c if c.isalnum() else " " for c in text)
    return sep.join(out.split())


def cnpj(rng: random.Random, valid: bool = True) -> str:
    base = [rng.randint(0, 9) for _ in range(8)] + [0, 0, 0, 1]
    for weights in (
        [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2],
        [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2],
    ):
        rest = sum(d * w for d, w in zip(base, weights, strict=True)) % 11
        base.append(0 if rest < 2 else 11 - rest)
    if not valid:
        base[-1] = (base[-1] + 1) % 10
    d = "".join(map(str, base))
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"


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


# ------------------------------------------------------------------ data


def make_companies(rng: random.Random, n: int) -> list[dict]:
    companies, names = [], set()
    for i in range(n):
        brazilian = i % 5 in (1, 3)
        attempts = 0
        while True:
            attempts += 1
            if brazilian:
                suffix = rng.choice(BR_SUFFIX)
                base = f"{rng.choice(BR_PREFIX)} {suffix}".strip()
                name = f"{base} {rng.choice(BR_LEGAL)}"
            else:
                base = f"{rng.choice(US_PREFIX)} {rng.choice(US_SUFFIX)}"
                name = f"{base} {rng.choice(US_LEGAL)}"
            if base not in names:
                names.add(base)
                break
            if attempts >= 30:  # the word pools are used up (big --rows): number it
                base = f"{base} {i + 1}"
                name = f"{base} {name.rsplit(' ', 1)[1]}"
                names.add(base)
                break
        domain = ascii_slug(base) + (".com.br" if brazilian else ".com")
        if brazilian:
            city, state, zip3, ddd = rng.choice(BR_CITIES)
            zipc = f"{zip3}-{rng.randint(0, 999):03d}"
            phone = f"+55 {ddd} {rng.randint(2000, 3999)}-{rng.randint(0, 9999):04d}"
            street = f"{rng.choice(BR_STREETS)}, {rng.randint(10, 2500)}"
            country = "Brasil" if i % 10 == 3 else "Brazil"
            vat = cnpj(rng)
        else:
            city, state, zip3 = rng.choice(US_CITIES)
            zipc = f"{zip3}{rng.randint(0, 99):02d}"
            phone = f"({US_AREA[state]}) 555-{rng.randint(100, 199):04d}"
            street = f"{rng.randint(10, 9999)} {rng.choice(US_STREETS)}"
            country = "USA" if i % 10 == 4 else "United States"
            vat = ""
        created = EPOCH - dt.timedelta(
            days=rng.randint(30, 1500), minutes=rng.randint(0, 1439)
        )
        since = (created - dt.timedelta(days=rng.randint(0, 400))).date()
        tags = ", ".join(sorted(rng.sample(TAGS, rng.choice([0, 1, 1, 2]))))
        companies.append(
            {
                "Record ID": str(1001 + i),
                "Company Name": name,
                "CNPJ": vat,
                "Website": (f"https://www.{domain}" if i % 3 else f"www.{domain}"),
                "Phone": phone,
                "Email": f"{'contato' if brazilian else 'info'}@{domain}",
                "Street": street,
                "City": city,
                "State": state,
                "Zip": zipc,
                "Country": country,
                "Account Owner": KNOWN_OWNERS[i % 2],
                "Tags": tags,
                "Employees": str(rng.choice([5, 12, 25, 40, 80, 150, 320, 1200, 5000])),
                "Customer Since": since.isoformat(),
                "Notes": "",
                "Created": created.strftime("%Y-%m-%d %H:%M:%S"),
                "_domain": domain,
                "_brazilian": brazilian,
            }
        )
    return companies


def make_contacts(rng: random.Random, n: int, companies: list[dict]) -> list[dict]:
    contacts, emails = [], set()
    for i in range(n):
        comp = (
            companies[i % len(companies)]
            if i < len(companies)
            else rng.choice(companies)
        )
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        email = f"{local}@{comp['_domain']}"
        k = 2
        while email in emails:
            email = f"{local}{k}@{comp['_domain']}"
            k += 1
        emails.add(email)
        created = EPOCH - dt.timedelta(
            days=rng.randint(1, 900), minutes=rng.randint(0, 1439)
        )
        if comp["_brazilian"]:
            ddd = comp["Phone"].split()[1]
            work = f"+55 {ddd} {rng.randint(2000, 3999)}-{rng.randint(0, 9999):04d}"
            cell = f"+55 {ddd} 9{rng.randint(6000, 9999)}-{rng.randint(0, 9999):04d}"
            newsletter = rng.choice(["Sim", "Não", "Sim", ""])
        else:
            work = comp["Phone"][:-4] + f"{rng.randint(100, 199):04d}"
            cell = f"({comp['Phone'][1:4]}) 555-{rng.randint(200, 299):04d}"
            newsletter = rng.choice(["Yes", "No", "Yes", ""])
        contacts.append(
            {
                "Contact ID": f"P-{5001 + i}",
                "First Name": first,
                "Last Name": last,
                " E-mail ": email,
                "Company": comp["Company Name"],
                "Job Title": rng.choice(TITLES),
                "Work Phone": work,
                "Cell": cell if rng.random() < 0.7 else "",
                "City ": comp["City"],
                "Country": comp["Country"],
                # Brazilian-style export: day first, 24h clock
                "Created": created.strftime("%d/%m/%Y %H:%M"),
                "Newsletter": newsletter,
                "Notes": "",
                "_company": comp,
            }
        )
    return contacts


def make_deals(rng: random.Random, n: int, companies: list[dict], contacts: list[dict]):
    by_company: dict[str, list[dict]] = {}
    good = [c for c in contacts if not c.get("_bad")]
    for c in good:
        by_company.setdefault(c["Company"], []).append(c)
    deals = []
    for i in range(n):
        comp = (
            companies[i % len(companies)]
            if i < len(companies)
            else rng.choice(companies)
        )
        people = by_company.get(comp["Company Name"]) or good
        person = rng.choice(people)
        roll = rng.random()
        if roll < 0.25:
            status, stage = "Won", "Won"
        elif roll < 0.4:
            status, stage = "Lost", rng.choice(STAGES_OPEN)
        else:
            status, stage = "Open", rng.choice(STAGES_OPEN)
        created = EPOCH - dt.timedelta(
            days=rng.randint(1, 400), minutes=rng.randint(0, 1439)
        )
        close = (created + dt.timedelta(days=rng.randint(14, 180))).date()
        amount = round(
            rng.choice([1, 2.5, 5, 7.5, 12, 18, 25, 40, 60]) * 1000
            + rng.randint(0, 99) * 10
            + rng.choice([0, 0, 0, 0.5, 0.99]),
            2,
        )
        short = comp["Company Name"].rsplit(" ", 1)[0]
        deals.append(
            {
                "Deal Name": f"{short} - {rng.choice(PRODUCTS)}",
                "Account Name": comp["Company Name"],
                "Contact Email": person[" E-mail "],
                "Amount": amount,
                "Stage": stage,
                "Owner": KNOWN_OWNERS[(i // 3) % 2],
                "Close Date": close,
                "Status": status,
                "Tags": ", ".join(rng.sample(DEAL_TAGS, rng.choice([0, 1, 1, 2]))),
                "Created": created,
            }
        )
    return deals


# ------------------------------------------------------------------ defects


def plant_companies(companies):
    """Mutate company rows; return (file, row index, column, value, defect, expected)."""
    out = []
    i = 2
    while not companies[i]["_brazilian"]:
        i += 1
    companies[i]["CNPJ"] = cnpj(random.Random(7), valid=False)
    out.append(
        (
            "companies.csv",
            i,
            "CNPJ",
            companies[i]["CNPJ"],
            "invalid CNPJ (wrong check digit)",
            "company loaded without vat; review item 'invalid value' for CNPJ",
        )
    )
    i = 5
    companies[i]["Notes"] = (
        "Key account since 2019.\nRenewal handled by procurement, "
        'not IT.\n"Call before visiting", said the CFO.'
    )
    out.append(
        (
            "companies.csv",
            i,
            "Notes",
            companies[i]["Notes"],
            "quoted multi-line note (3 physical lines, embedded quotes and comma)",
            "one record; comment keeps the 3 lines (HTML line breaks); "
            "later records keep their physical line numbers",
        )
    )
    i = 8
    companies[i]["Notes"] = "<script>alert('x')</script><b>Prefers email</b>"
    out.append(
        (
            "companies.csv",
            i,
            "Notes",
            companies[i]["Notes"],
            "HTML/script in a note",
            "comment stored escaped/sanitised: no <script> in the partner's comment",
        )
    )
    i = 11
    user = companies[i]["Email"].split("@")[0]
    companies[i]["Email"] = f"{user}@{companies[i]['_domain'].split('.')[0]}"
    out.append(
        (
            "companies.csv",
            i,
            "Email",
            companies[i]["Email"],
            "email without a domain suffix",
            "company loaded without email; review item 'invalid value' for Email",
        )
    )
    i = 14
    companies[i]["Employees"] = ""
    companies[i]["Customer Since"] = ""
    out.append(
        (
            "companies.csv",
            i,
            "Employees",
            "",
            "blank custom values (and Customer Since)",
            "x_employees and x_customer_since left empty; no review item",
        )
    )
    return out


def plant_contacts(contacts):
    """Mutate contact rows (marking them ``_bad`` so deals avoid them)."""
    out = []
    a, b = 3, 47
    shared = contacts[a][" E-mail "]
    for key in ("First Name", "Last Name", "Company", "_company", "City ", "Country"):
        contacts[b][key] = contacts[a][key]
    local, domain = shared.split("@")
    contacts[b][" E-mail "] = f"  {local.title()}@{domain.upper()} "
    contacts[b]["_bad"] = True
    out.append(
        (
            "contacts.csv",
            a,
            " E-mail ",
            shared,
            "duplicate email (first of the pair)",
            "profile duplicate_emails lists it with both lines; both rows (distinct "
            "Contact ID) load; one review item 'duplicate' names the pair",
        )
    )
    out.append(
        (
            "contacts.csv",
            b,
            " E-mail ",
            contacts[b][" E-mail "],
            "duplicate email differing in case and surrounding spaces",
            f"reads as '{contacts[b][' E-mail '].strip()}' (values are stripped) and "
            f"normalises to {shared}: same cluster as the line above",
        )
    )
    i = 9
    contacts[i][" E-mail "] = contacts[i][" E-mail "].replace("@", "@@")
    contacts[i]["_bad"] = True
    out.append(
        (
            "contacts.csv",
            i,
            " E-mail ",
            contacts[i][" E-mail "],
            "invalid email (double @)",
            "contact loaded without email; review item 'invalid value' for E-mail",
        )
    )
    i = 17
    contacts[i][" E-mail "] = contacts[i][" E-mail "].replace("@", ".")
    contacts[i]["_bad"] = True
    out.append(
        (
            "contacts.csv",
            i,
            " E-mail ",
            contacts[i][" E-mail "],
            "invalid email (no @)",
            "contact loaded without email; review item 'invalid value' for E-mail",
        )
    )
    i = 22
    contacts[i]["Company"] = "Globex Holdings"
    contacts[i]["_bad"] = True
    out.append(
        (
            "contacts.csv",
            i,
            "Company",
            "Globex Holdings",
            "company not in companies.csv",
            "contact loaded without parent; review item 'missing parent'",
        )
    )
    i = 26
    proper = contacts[i]["_company"]["Company Name"]
    contacts[i]["Company"] = proper.rsplit(" ", 1)[0].upper()
    out.append(
        (
            "contacts.csv",
            i,
            "Company",
            contacts[i]["Company"],
            f"company name in capitals without its legal suffix ('{proper}')",
            f"linked to '{proper}' (normalised company name)",
        )
    )
    i = 31
    contacts[i]["Created"] = "31/02/2023 10:15"
    out.append(
        (
            "contacts.csv",
            i,
            "Created",
            "31/02/2023 10:15",
            "impossible date (31 February)",
            "contact loaded; create_date not restored; review item 'invalid value'",
        )
    )
    i = 35
    contacts[i]["Notes"] = '=HYPERLINK("http://evil.example","click")'
    out.append(
        (
            "contacts.csv",
            i,
            "Notes",
            contacts[i]["Notes"],
            "spreadsheet formula in a cell",
            "stored as plain text; escaped (leading ') in every export",
        )
    )
    i = 40
    contacts[i]["Notes"] = "Prefere contato por WhatsApp; ligar após às 14h."
    out.append(
        (
            "contacts.csv",
            i,
            "Notes",
            contacts[i]["Notes"],
            "accented text and the delimiter inside a quoted cp1252 value",
            "read intact (ó, à) as one value",
        )
    )
    out.append(
        (
            "contacts.csv",
            EMPTY_ROW,
            "(all)",
            "",
            "empty row (delimiters only)",
            "skipped by the reader; not counted in rows; no review item",
        )
    )
    return out


def plant_deals(deals):
    out = []
    i = 4
    deals[i]["Amount"] = "TBD"
    out.append(
        (
            "deals",
            i,
            "Amount",
            "TBD",
            "amount is not a number (text cell)",
            "lead loaded without expected_revenue; review item 'invalid value' for Amount",
        )
    )
    i = 7
    deals[i]["Owner"] = UNKNOWN_OWNER
    out.append(
        (
            "deals",
            i,
            "Owner",
            UNKNOWN_OWNER,
            "owner email of no Odoo user",
            "owner value map proposes none; lead gets the project's default owner; "
            "review item 'unknown owner'",
        )
    )
    i = 10
    deals[i]["Close Date"] = "2024-02-30"
    out.append(
        (
            "deals",
            i,
            "Close Date",
            "2024-02-30",
            "impossible date (30 February), text cell",
            "lead loaded without date_deadline; review item 'invalid value'",
        )
    )
    i = 13
    deals[i]["Contact Email"] = "ghost@nowhere.example"
    out.append(
        (
            "deals",
            i,
            "Contact Email",
            "ghost@nowhere.example",
            "contact email not in contacts.csv",
            "lead loaded without partner_id (the address is kept in email_from); "
            "review item 'missing parent'",
        )
    )
    i = 16
    deals[i]["Stage"], deals[i]["Status"] = "Negotiation", "Open"
    out.append(
        (
            "deals",
            i,
            "Stage",
            "Negotiation",
            "stage missing from Odoo's default pipeline (New, Qualified, Proposition, Won)",
            "stage value map proposes none: one new crm.stage 'Negotiation' is created "
            "and used by every 'Negotiation' deal",
        )
    )
    return out


EMPTY_ROW = "empty-row"
EMPTY_AFTER = 12  # contacts.csv: the empty row follows this data row (0-based)


# ------------------------------------------------------------------ writers


def write_csv(
    path: Path, headers, rows, *, delimiter, encoding, newline, empty_after=None
):
    """Write rows; return (1-based physical start line of each data row, line of the
    empty row or None)."""
    row_buf = io.StringIO()
    writer = csv.writer(
        row_buf, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL
    )

    def render(values) -> str:
        row_buf.seek(0)
        row_buf.truncate()
        writer.writerow(values)
        return row_buf.getvalue()

    chunks = [render(headers)]
    lines = []
    line = 2
    empty_line = None
    for idx, row in enumerate(rows):
        text = render([row.get(h, "") for h in headers])
        chunks.append(text)
        lines.append(line)
        line += text.count("\n")
        if empty_after is not None and idx == empty_after:
            chunks.append(delimiter * (len(headers) - 1) + newline)
            empty_line = line
            line += 1
    path.write_bytes("".join(chunks).encode(encoding))
    return lines, empty_line


def write_xlsx(path: Path, headers, rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Deals"
    ws.append(headers)
    for row in rows:
        ws.append([row[h] for h in headers])
    for r in range(2, len(rows) + 2):
        amount = ws.cell(r, headers.index("Amount") + 1)
        if isinstance(amount.value, float | int):
            amount.number_format = "#,##0.00"
        close = ws.cell(r, headers.index("Close Date") + 1)
        if isinstance(close.value, dt.date):
            close.number_format = "yyyy-mm-dd"
        ws.cell(r, headers.index("Created") + 1).number_format = "yyyy-mm-dd hh:mm"
    fixed = dt.datetime(2024, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "crm_migration samples"
    raw = io.BytesIO()
    wb.save(raw)
    # openpyxl stamps zip entries with the current time: rewrite them for stable bytes
    out = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _fix_core_dates(data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())
    return list(range(2, len(rows) + 2)), None


def _fix_core_dates(data: bytes) -> bytes:
    import re

    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
        rb"\g<1>2024-01-01T00:00:00Z\2",
        data,
    )


def deal_csv_row(row):
    out = dict(row)
    if isinstance(out["Amount"], float | int):
        out["Amount"] = f"{out['Amount']:.2f}"
    if isinstance(out["Close Date"], dt.date):
        out["Close Date"] = out["Close Date"].isoformat()
    out["Created"] = out["Created"].strftime("%Y-%m-%d %H:%M")
    return out


# ------------------------------------------------------------------ main


def generate(
    out: Path, rows: int = DEFAULT_ROWS, csv_only: bool = False, seed: int = SEED
):
    """Write the sample files into ``out``; return a summary dict (files, rows,
    defects with physical lines)."""
    if rows < 20:
        raise ValueError("--rows must be at least 20 (the planted defects need room)")
    rng = random.Random(seed)
    n_deals = rows
    n_comp = max(16, round(rows / 2))
    n_cont = max(50, round(rows * 3 / 2))
    companies = make_companies(rng, n_comp)
    contacts = make_contacts(rng, n_cont, companies)
    planted = plant_companies(companies) + plant_contacts(contacts)
    deals = make_deals(rng, n_deals, companies, contacts)
    planted += plant_deals(deals)

    out.mkdir(parents=True, exist_ok=True)
    empty_lines = {}
    comp_lines, _ = write_csv(
        out / "companies.csv",
        COMPANY_HEADERS,
        companies,
        delimiter=",",
        encoding="utf-8",
        newline="\n",
    )
    cont_lines, empty_lines["contacts.csv"] = write_csv(
        out / "contacts.csv",
        CONTACT_HEADERS,
        contacts,
        delimiter=";",
        encoding="cp1252",
        newline="\r\n",
        empty_after=EMPTY_AFTER,
    )
    if csv_only:
        deal_file = "deals.csv"
        stale = out / "deals.xlsx"
        deal_lines, _ = write_csv(
            out / deal_file,
            DEAL_HEADERS,
            [deal_csv_row(d) for d in deals],
            delimiter=",",
            encoding="utf-8",
            newline="\n",
        )
    else:
        deal_file = "deals.xlsx"
        stale = out / "deals.csv"
        deal_lines, _ = write_xlsx(out / deal_file, DEAL_HEADERS, deals)
    if stale.exists():
        stale.unlink()

    lines = {
        "companies.csv": comp_lines,
        "contacts.csv": cont_lines,
        "deals": deal_lines,
    }
    defects = []
    for file, idx, column, value, defect, expected in planted:
        line = empty_lines[file] if idx == EMPTY_ROW else lines[file][idx]
        defects.append(
            {
                "file": deal_file if file == "deals" else file,
                "line": line,
                "column": column,
                "value": value if isinstance(value, str) else str(value),
                "defect": defect,
                "expected": expected,
            }
        )
    order = {"companies.csv": 0, "contacts.csv": 1, deal_file: 2}
    defects.sort(key=lambda d: (order[d["file"]], d["line"]))
    statuses = {
        s: sum(1 for d in deals if d["Status"] == s) for s in ("Open", "Won", "Lost")
    }
    stages = {}
    for d in deals:
        stages[d["Stage"]] = stages.get(d["Stage"], 0) + 1
    owners = {}
    for d in deals:
        owners[d["Owner"]] = owners.get(d["Owner"], 0) + 1
    return {
        "files": {
            "companies.csv": {
                "rows": len(companies),
                "columns": len(COMPANY_HEADERS),
                "encoding": "utf-8",
                "delimiter": ",",
                "target": "company",
                "key": "Record ID",
            },
            "contacts.csv": {
                "rows": len(contacts),
                "columns": len(CONTACT_HEADERS),
                "encoding": "cp1252",
                "delimiter": ";",
                "target": "contact",
                "key": "Contact ID",
            },
            deal_file: {
                "rows": len(deals),
                "columns": len(DEAL_HEADERS),
                "encoding": "utf-8" if csv_only else "xlsx",
                "delimiter": "," if csv_only else "",
                "target": "lead",
                "key": None,
            },
        },
        "deal_status": statuses,
        "deal_stages": dict(sorted(stages.items())),
        "deal_owners": dict(sorted(owners.items())),
        "defects": defects,
    }


def defects_markdown(summary: dict) -> str:
    rows = [
        "| file | line | column | value | defect | expected outcome |",
        "|---|---|---|---|---|---|",
    ]
    for d in summary["defects"]:
        value = d["value"].replace("\n", "\\n").replace("|", "\\|")
        rows.append(
            f"| {d['file']} | {d['line']} | `{d['column']}` | `{value}` | {d['defect']} | "
            f"{d['expected']} |"
        )
    return "\n".join(rows)


def files_markdown(summary: dict) -> str:
    rows = [
        "| file | rows | columns | encoding | delimiter | target | key |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, f in summary["files"].items():
        delim = {",": "comma", ";": "semicolon", "": "-"}[f["delimiter"]]
        rows.append(
            f"| {name} | {f['rows']} | {f['columns']} | {f['encoding']} | {delim} | "
            f"{f['target']} | {f['key'] or '(none)'} |"
        )
    return "\n".join(rows)


README_START = "<!-- generated: begin -->"
README_END = "<!-- generated: end -->"


def update_readme(path: Path, summary: dict) -> None:
    counts = summary["deal_status"]
    block = "\n".join(
        [
            README_START,
            "### Files",
            "",
            files_markdown(summary),
            "",
            "### Deals at a glance",
            "",
            f"- status: {counts['Open']} Open, {counts['Won']} Won, {counts['Lost']} Lost",
            "- stages: "
            + ", ".join(f"{k} {v}" for k, v in summary["deal_stages"].items()),
            "- owners: "
            + ", ".join(f"{k} {v}" for k, v in summary["deal_owners"].items()),
            "",
            "### Planted defects",
            "",
            "Lines are physical lines of the file (header = line 1; for the xlsx, the sheet row).",
            "",
            defects_markdown(summary),
            README_END,
        ]
    )
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        tail = rest.split(README_END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument(
        "--rows",
        type=int,
        default=DEFAULT_ROWS,
        help="number of deals (companies = rows/2, contacts = 3*rows/2)",
    )
    parser.add_argument(
        "--csv-only", action="store_true", help="write deals.csv, no xlsx"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--readme",
        type=Path,
        default=None,
        help="update the generated section of this README "
        "(default: samples/README.md for the default set)",
    )
    parser.add_argument(
        "--defects-json",
        type=Path,
        default=None,
        help="also write the files/defects summary as JSON here",
    )
    args = parser.parse_args(argv)
    try:
        summary = generate(args.out, args.rows, args.csv_only, args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    readme = args.readme
    if (
        readme is None
        and args.out.resolve() == DEFAULT_OUT
        and args.rows == DEFAULT_ROWS
        and not args.csv_only
        and args.seed == SEED
    ):
        readme = DEFAULT_README
    if readme is not None:
        update_readme(readme, summary)
    if args.defects_json:
        args.defects_json.write_text(
            json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    for name, f in summary["files"].items():
        print(f"{args.out / name}: {f['rows']} rows")
    print(
        f"{len(summary['defects'])} planted defects"
        + (f" (listed in {readme})" if readme else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
