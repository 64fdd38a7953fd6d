import json

from engine import profile as profile_mod
from engine.profile import profile_table
from engine.readers import open_tables

CSV = (
    "Name,Email,Work Email,Stage,Amount,Created\n"
    'Ana,ana@x.com,,Open,"1.234,56",15/03/2024\n'
    'Bruno, Ana@X.com ,bruno@y.com,Won,"10,00",01/02/2024\n'
    "\n"
    "Carla,carla@z.com,ANA@x.com,Open,,\n"
    'Ana,bruno@y.com,bruno@y.com,Open,"5,5",28/02/2024\n'
    'Dan,,,Won,"7,25",\n'
)


def table(text=CSV, name="contacts.csv"):
    return open_tables(name, data=text.encode())[0]


def column(profile, name):
    return next(c for c in profile["columns"] if c["name"] == name)


def test_profile_shape_and_counts():
    profile = profile_table(table())
    assert json.loads(json.dumps(profile)) == profile
    assert (profile["name"], profile["object_name"], profile["rows"]) == (
        "contacts.csv",
        "contacts",
        5,
    )
    assert (profile["kind"], profile["encoding"], profile["delimiter"]) == (
        "csv",
        "utf-8",
        ",",
    )
    assert [c["name"] for c in profile["columns"]] == [
        "Name",
        "Email",
        "Work Email",
        "Stage",
        "Amount",
        "Created",
    ]
    assert column(profile, "Name") == {
        "name": "Name",
        "rows": 5,
        "non_null": 5,
        "nulls": 0,
        "null_rate": 0.0,
        "distinct": 4,
        "duplicates": 1,
        "type": "text",
        "confidence": 1.0,
        "details": {"max_length": 5},
        "samples": ["Ana", "Bruno", "Carla", "Dan"],
        "top_values": [["Ana", 2], ["Bruno", 1], ["Carla", 1], ["Dan", 1]],
    }
    stage = column(profile, "Stage")
    assert (stage["type"], stage["distinct"], stage["duplicates"]) == ("picklist", 2, 3)
    assert stage["details"] == {"choices": ["Open", "Won"]}
    assert stage["top_values"] == [["Open", 3], ["Won", 2]]
    amount = column(profile, "Amount")
    assert (
        amount["type"],
        amount["details"],
        amount["nulls"],
        amount["null_rate"],
    ) == ("float", {"decimal": ","}, 1, 0.2)
    created = column(profile, "Created")
    assert (created["type"], created["details"]["order"], created["non_null"]) == (
        "date",
        "DMY",
        3,
    )
    email = column(profile, "Email")
    # values are compared as written for distinct/duplicates: "Ana@X.com" != "ana@x.com"
    assert (email["type"], email["distinct"], email["duplicates"], email["nulls"]) == (
        "email",
        4,
        0,
        1,
    )


def test_sample_size():
    profile = profile_table(table(), sample_size=2)
    assert column(profile, "Name")["samples"] == ["Ana", "Bruno"]


def test_duplicate_emails_case_and_space_insensitive_across_email_columns():
    profile = profile_table(table())
    assert profile["duplicate_emails"] == [
        {"email": "ana@x.com", "lines": [2, 3, 5], "count": 3},
        {"email": "bruno@y.com", "lines": [3, 6], "count": 3},
    ]
    assert profile["extra_cells"] == {"rows": 0, "lines": []}


def test_emails_in_non_email_columns_are_ignored():
    text = "Name,Note\nAna,a@x.com\nBo,hello\nCy,there\nDe,a@x.com\n"
    profile = profile_table(table(text))
    assert column(profile, "Note")["type"] == "text"
    assert profile["duplicate_emails"] == []


def test_extra_cells_are_counted():
    text = "A,B\n1,2\n3,4,5\n6,7,,8\n"
    profile = profile_table(table(text))
    assert profile["extra_cells"] == {"rows": 2, "lines": [3, 4]}
    assert [c["name"] for c in profile["columns"]] == ["A", "B"]


def test_date_order_hint():
    text = "When\n01/02/2024\n03/04/2024\n"
    assert column(profile_table(table(text)), "When")["details"]["parse_order"] == "MDY"
    hinted = column(profile_table(table(text), date_order="DMY"), "When")
    assert (hinted["details"]["parse_order"], hinted["details"]["order_source"]) == (
        "DMY",
        "hint",
    )


def test_empty_table():
    profile = profile_table(table("A,B\n"))
    assert profile["rows"] == 0
    assert column(profile, "A") == {
        "name": "A",
        "rows": 0,
        "non_null": 0,
        "nulls": 0,
        "null_rate": 0.0,
        "distinct": 0,
        "duplicates": 0,
        "type": "empty",
        "confidence": 1.0,
        "details": {},
        "samples": [],
        "top_values": [],
    }


def test_distinct_cap_is_reported(monkeypatch):
    monkeypatch.setattr(profile_mod, "DISTINCT_CAP", 3)
    monkeypatch.setattr(profile_mod, "TOP_TRACK", 2)
    text = "Code\n" + "".join(f"c{i}\n" for i in [1, 2, 3, 4, 5, 1, 5])
    col = column(profile_table(table(text)), "Code")
    assert (col["non_null"], col["distinct"], col["duplicates"]) == (7, 3, 1)
    assert col["details"]["distinct_capped"] is True
    assert col["details"]["distinct_cap"] == 3
    assert col["details"]["top_values_exact"] is False
    assert col["top_values"] == [["c1", 2], ["c2", 1]]


def test_top_values_limited_to_20():
    text = "N\n" + "".join(f"v{i}\n" * (1 + (i == 7)) for i in range(30))
    col = column(profile_table(table(text)), "N")
    assert len(col["top_values"]) == 20
    assert col["top_values"][0] == ["v7", 2]
    assert col["top_values"][1] == ["v0", 1]


def test_xlsx_profile(contacts_xlsx):
    tables = open_tables("Book.xlsx", data=contacts_xlsx)
    profile = profile_table(tables[0])
    assert profile["rows"] == 2
    assert column(profile, "Born")["type"] == "date"
    assert column(profile, "Met")["type"] == "datetime"
    assert column(profile, "Active")["type"] == "boolean"


def test_owner_email_columns_are_not_duplicate_people():
    text = (
        "Name,Email,Owner\n"
        "Ana,ana@x.com,alice@example.com\n"
        "Bo,bo@x.com,alice@example.com\n"
        "Cy,ANA@x.com ,alice@example.com\n"
        "De,de@x.com,bob@example.com\n"
    )
    profile = profile_table(table(text))
    assert column(profile, "Owner")["type"] == "email"
    assert profile["duplicate_emails"] == [
        {"email": "ana@x.com", "lines": [2, 4], "count": 2}
    ]


def test_owner_header_is_a_reference_even_when_values_vary():
    text = "Name,Email,Owner\nAna,ana@x.com,alice@ex.com\nBo,ana@x.com,alice@ex.com\nCy,cy@x.com,bob@ex.com\nDe,de@x.com,carl@ex.com\n"
    profile = profile_table(table(text))
    assert [d["email"] for d in profile["duplicate_emails"]] == ["ana@x.com"]


def test_each_distinct_value_is_inferred_once_per_chunk(monkeypatch):
    """A column's repeated values are classified and tallied once per chunk of
    rows, with their count, not once per cell (cell by cell, the profile was the
    costliest step before a run: 2.7 of 4.5 CPU s at 20,000 rows); and a
    column's distinct values of a chunk reach its inferrer in one call
    (add_counts: the column-wide tallies at once), not one call per value
    (ColumnInferrer.add, as before session 13)."""
    seen = []
    original = profile_mod.ColumnInferrer.add_counts

    def add_counts(self, counts):
        seen.append(sorted(counts))
        return original(self, counts)

    def add(self, value, *args):
        raise AssertionError(f"{value!r} inferred alone")

    monkeypatch.setattr(profile_mod.ColumnInferrer, "add_counts", add_counts)
    monkeypatch.setattr(profile_mod.ColumnInferrer, "add", add)
    text = "Stage,Owner\n" + "Open,ana@x.com\nWon,ana@x.com\nOpen,\n" * 400
    profile = profile_table(table(text, "deals.csv"))
    assert sorted(seen) == [["Open", "Won"], ["ana@x.com"]]
    stage, owner = profile["columns"]
    assert (stage["non_null"], stage["distinct"], stage["duplicates"]) == (
        1200,
        2,
        1198,
    )
    assert stage["type"] == "picklist"
    assert stage["details"] == {"choices": ["Open", "Won"]}
    assert stage["top_values"] == [["Open", 800], ["Won", 400]]
    assert (owner["nulls"], owner["non_null"], owner["duplicates"]) == (400, 800, 799)
    assert (owner["type"], owner["confidence"]) == ("email", 1.0)


def test_chunks_give_the_profile_of_one_row_at_a_time(monkeypatch):
    """Every cap fills up in the order values are first seen, whatever the chunk
    size: one row per chunk (the old cell-by-cell order), 7 rows, the whole file."""
    monkeypatch.setattr(profile_mod, "DISTINCT_CAP", 9)
    monkeypatch.setattr(profile_mod, "TOP_TRACK", 4)
    monkeypatch.setattr(profile_mod, "EMAIL_CAP", 6)
    monkeypatch.setattr(profile_mod, "EMAIL_LINES", 2)
    monkeypatch.setattr("engine.infer.PICKLIST_TRACK", 3)
    lines = ["Name,Email,Stage,Amount,Created,Work Email"]
    for i in range(60):
        lines.append(
            f"N{i % 13},u{i % 11}@x.com,{'Open Won Lost'.split()[i % 3]},"
            f'"{i % 5},5",{1 + i % 28}/0{1 + i % 9}/2024,u{i % 4}@x.com'
        )
    data = "\n".join(lines) + "\nLast, ,,,,\n"
    profiles = []
    for cells in (1, 7 * 6, 10**6):
        monkeypatch.setattr(profile_mod, "CHUNK_CELLS", cells)
        profiles.append(profile_table(table(data)))
    assert profiles[0] == profiles[1] == profiles[2]
    assert profiles[0]["duplicate_emails_capped"] is True
    name = column(profiles[0], "Name")
    assert name["details"]["distinct_capped"] is True
    assert name["details"]["top_values_exact"] is False
