"""Scale scenarios for bench/run_scale.sh: companies, contacts, deals, notes and
activities (tasks) of a generic CRM export, ``--rows`` in total (10 %
companies, 35 % contacts, 25 % deals, 15 % notes, 15 % activities), written
row by row so that a million rows need no more memory than a hundred.

The rows are clean and deterministic (``--seed``): the scale bench measures
how the cost per row grows with the size of a run, not how defects are
handled (bench/run_bench.sh and bench/fidelity/ do that). Every contact names
its company, every deal its account and contact by email, every note its deal
by name or its contact by email, every activity its contact by email and its
owner, so that each link is resolved at every scale.

    python bench/gen_scale.py --rows 200000 --out /tmp/scale-200k
"""

import argparse
import csv
import random
from pathlib import Path

SHARES = {
    "companies": 0.10,
    "contacts": 0.35,
    "deals": 0.25,
    "notes": 0.15,
    "tasks": 0.15,
}
FIRST = (
    "Ana Bruno Carla Diego Elena Felix Gina Hugo Iris Joao Karin Luis Maya Nils".split()
)
LAST = "Silva Moreau Rossi Novak Berg Costa Lind Weber Sato Dumas Keller Ortiz".split()
WORDS = "Alpha Beacon Cedar Delta Ember Fjord Granite Harbor Indigo Juniper".split()
KINDS = "Software Logistics Bakery Clinic Studio Foods Consulting Motors".split()
FORMS = ("Inc", "LLC", "GmbH", "Ltda", "SA", "")
STAGES = ("New", "Qualified", "Proposition", "Negotiation", "Won", "Lost")
OWNERS = ("alice@example.com", "bob@example.com")
COUNTRIES = ("United States", "Brazil", "Germany", "France", "Portugal")


def counts(rows):
    """{file: rows} adding up to ``rows``."""
    sizes = {name: int(rows * share) for name, share in SHARES.items()}
    sizes["contacts"] += rows - sum(sizes.values())
    return sizes


def company_name(i):
    form = FORMS[i % len(FORMS)]
    base = f"{WORDS[i % len(WORDS)]} {KINDS[(i // 10) % len(KINDS)]} {i}"
    return f"{base} {form}".strip()


def slug(i):
    return f"co{i}.example"


def stamp(rng, year_from=2019):
    return (
        f"{rng.randint(year_from, 2025)}-{rng.randint(1, 12):02d}-"
        f"{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00"
    )


def person(i):
    return FIRST[i % len(FIRST)], f"{LAST[(i // 3) % len(LAST)]}{i}"


def email(i):
    first, last = person(i)
    return f"{first.lower()}.{last.lower()}@{slug(i % 997)}"


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)


def companies(rng, n):
    for i in range(n):
        yield (
            f"C{i}",
            company_name(i),
            f"https://www.{slug(i)}",
            f"+1 206 555 {i % 10000:04d}",
            COUNTRIES[i % len(COUNTRIES)],
            OWNERS[i % 2],
            stamp(rng),
        )


def contacts(rng, n, n_companies):
    for i in range(n):
        first, last = person(i)
        yield (
            f"P{i}",
            first,
            last,
            email(i),
            company_name(i % n_companies),
            "Buyer" if i % 3 else "Manager",
            f"+1 312 555 {i % 10000:04d}",
            OWNERS[i % 2],
            stamp(rng),
        )


def deals(rng, n, n_companies, n_contacts):
    for i in range(n):
        stage = STAGES[i % len(STAGES)]
        yield (
            f"D{i}",
            f"Deal {i}",
            company_name(i % n_companies),
            email(i % n_contacts),
            f"{rng.randint(1, 500) * 100}.00",
            stage,
            OWNERS[i % 2],
            f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            stamp(rng),
        )


def notes(rng, n, n_deals, n_contacts):
    for i in range(n):
        on_deal = i % 2 == 0
        yield (
            f"N{i}",
            f"Call summary {i}: next step agreed.",
            stamp(rng, 2024),
            f"Deal {i % n_deals}" if on_deal else "",
            "" if on_deal else email(i % n_contacts),
        )


def tasks(rng, n, n_contacts):
    for i in range(n):
        yield (
            f"T{i}",
            f"Follow up {i}",
            f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            email(i % n_contacts),
            OWNERS[i % 2],
        )


def generate(rows, out, seed=7):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    size = counts(rows)
    write(
        out / "companies.csv",
        (
            "Company ID",
            "Company Name",
            "Website",
            "Phone",
            "Country",
            "Owner",
            "Created",
        ),
        companies(rng, size["companies"]),
    )
    write(
        out / "contacts.csv",
        (
            "Contact ID",
            "First Name",
            "Last Name",
            "Email",
            "Company",
            "Job Title",
            "Phone",
            "Owner",
            "Created",
        ),  # fmt: skip
        contacts(rng, size["contacts"], size["companies"]),
    )
    write(
        out / "deals.csv",
        (
            "Deal ID",
            "Deal Name",
            "Account Name",
            "Contact Email",
            "Amount",
            "Stage",
            "Owner",
            "Close Date",
            "Created",
        ),  # fmt: skip
        deals(rng, size["deals"], size["companies"], size["contacts"]),
    )
    write(
        out / "notes.csv",
        ("Note ID", "Note", "Date", "Deal", "Contact Email"),
        notes(rng, size["notes"], size["deals"], size["contacts"]),
    )
    write(
        out / "tasks.csv",
        ("Task ID", "Subject", "Due Date", "Contact Email", "Owner"),
        tasks(rng, size["tasks"], size["contacts"]),
    )
    return size


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    opts = parser.parse_args(argv)
    print(generate(opts.rows, opts.out, opts.seed))


if __name__ == "__main__":
    main()
