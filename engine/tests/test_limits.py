"""Bounds on the work one bad shape can cost the engine (the fuzzer's slow
shapes): asserted by what is done and said, never by time."""

from __future__ import annotations

import io
import zipfile

import pytest

from engine import readers
from engine.profile import profile_table
from engine.propose import hints
from engine.propose.headers import _as_cols
from engine.tests.test_propose import column

COUNTRIES = ["Brazil", "Germany", "France", "Spain"]


def test_value_hints_never_normalise_a_long_cell(monkeypatch):
    """A 3 MB note among countries is not normalised by a country, status or
    state hint (it was, once per hint and target: 13 s for one cell); it
    counts as a value that is no country."""
    seen = []
    real = hints.country_code

    def spy(value):
        seen.append(len(value))
        return real(value)

    monkeypatch.setattr(hints, "country_code", spy)
    big = "Brazil " * 500_000
    (col,) = _as_cols([column("Origem", [*COUNTRIES, big])])
    found = hints._value_hints("lead", col)
    assert sorted(seen) == [5, 6, 6, 7]
    # four countries of five values: 0.8, the hint's threshold
    assert found["country_id"] == (0.7, "values look like country names or codes")
    (col,) = _as_cols([column("Origem", [*COUNTRIES[:3], big, big + "x"])])
    assert "country_id" not in hints._value_hints("lead", col)


def test_a_value_at_the_bound_is_still_read():
    name = "Brazil" + " " * (hints.HINT_CHARS - 6)
    assert len(name) == hints.HINT_CHARS
    assert hints._share([name], lambda v: v.strip() == "Brazil") == 1.0
    assert hints._share([name + " "], lambda v: v.strip() == "Brazil") == 0.0


def _zip(count: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(count):
            z.writestr(f"m{i:04d}.csv", f"Name\nrow {i}\n")
    return buf.getvalue()


def test_a_zip_of_too_many_tables_is_refused_before_any_member_is_read():
    with pytest.raises(readers.TooManyTables) as err:
        readers.open_tables("many.zip", data=_zip(readers.MAX_TABLES + 1))
    assert str(err.value) == (
        "many.zip: zip archive holds 1001 tables (CSV or XLSX files); the limit is "
        "1000 tables per file. Split it into archives of at most 1000, or raise "
        "the limit."
    )
    assert (err.value.count, err.value.limit) == (1001, 1000)
    with pytest.raises(readers.TooManyTables, match="holds 6 tables"):
        readers.open_tables("six.zip", data=_zip(6), max_tables=5)
    assert len(readers.open_tables("five.zip", data=_zip(5), max_tables=5)) == 5
    # 0: no limit
    assert len(readers.open_tables("six.zip", data=_zip(6), max_tables=0)) == 6


def test_a_zip_in_memory_reads_its_directory_once(monkeypatch):
    """Each member opened the zip again (its whole directory read per member
    and per read: a 3,000-member zip read 9 million entries, minutes)."""
    data = _zip(300)
    made = []
    real = zipfile.ZipFile

    class Counting(real):
        def __init__(self, *args, **kwargs):
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", Counting)
    tables = readers.open_tables("many.zip", data=data)
    rows = [row["Name"] for table in tables for _line, row in table.rows()]
    assert rows == [f"row {i}" for i in range(300)]
    assert len(made) == 2  # the container's check, then its members' reads


def _bomb(rows: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.csv", b"Name\n" + b"a\n" * rows)
    return buf.getvalue()


def test_a_zip_bomb_member_is_refused_before_it_is_read(monkeypatch):
    """4 KB expanding to 2 million rows: refused with the member, the ratio
    and the sizes, before a row is read (it was staged and profiled)."""
    data = _bomb(2 * 1024 * 1024)
    opened = []
    real = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    with pytest.raises(readers.ZipBomb) as err:
        readers.open_tables("bomb.zip", data=data)
    assert opened == []
    monkeypatch.undo()
    text = str(err.value)
    assert text.startswith("bomb.zip/big.csv: expands 1,0")
    assert text.endswith(
        " times (4.0 KB to 4.0 MB), over the limit of 100 for a zip member (a zip "
        "bomb?). Upload the file itself, unzipped, or raise the limit."
    )
    assert err.value.size == 5 + 4 * 1024 * 1024 and err.value.limit == 100
    # over the floor (1 MB), no limit: read whole
    smaller = _bomb(600_000)
    with pytest.raises(
        readers.ZipBomb, match=r"expands 1,010 times \(1.2 KB to 1.1 MB\)"
    ):
        readers.open_tables("bomb.zip", data=smaller)
    (table,) = readers.open_tables("bomb.zip", data=smaller, max_ratio=0)
    assert sum(1 for _row in table.rows()) == 600_000
    # a member under the floor is no danger whatever its ratio; the same
    # bytes unzipped are a file, not a bomb
    (table,) = readers.open_tables("small.zip", data=_bomb(500_000))
    assert sum(1 for _row in table.rows()) == 500_000
    assert readers.open_tables("big.csv", data=b"Name\n" + b"a\n" * 600_000)


# ------------------------------------------------------------------ end to end
# findings of bench/fuzz_e2e.py: what the readers hand on is what staging holds


def test_a_nul_past_the_first_64_kb_of_a_csv_is_dropped_as_staging_drops_it():
    data = (
        b"Name,Note\n"
        + b"".join(b"n%d,some text here\n" % i for i in range(5000))
        + b"Zed,a\x00b\n"
    )
    assert len(data) > 64 * 1024
    (table,) = readers.open_tables("late-nul.csv", data=data)
    rows = list(table.rows())
    assert len(rows) == 5001
    assert rows[-1] == (5002, {"Name": "Zed", "Note": "ab"})
    samples = profile_table(table)["columns"][1]["samples"]
    assert samples == ["some text here", "ab"]


def test_a_json_exports_nul_and_lone_surrogates_are_stored_texts():
    data = (
        b'[{"\\ud800": 1, "\\u0000k": "\\u0000x\\ud800", "n": {"a": "\\ud800"}},'
        b' {"\\u0000k": "\\u0000"}]'
    )
    (table,) = readers.open_tables("surrogate-key.json", data=data)
    assert table.headers == ["\ufffd", "k", "n"]
    # the second record's only value is a NUL: an empty row, skipped as a
    # CSV's empty line is
    assert list(table.rows()) == [
        (2, {"\ufffd": "1", "k": "x\ufffd", "n": '{"a": "\ufffd"}'}),
    ]
    columns = profile_table(table)["columns"]
    assert [c["samples"] for c in columns] == [["1"], ["x\ufffd"], ['{"a": "\ufffd"}']]


def _damaged_member(method: int, at) -> bytes:
    text = "Name,Email\n" + "".join(f"n{i},n{i}@x.example\n" for i in range(8000))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("contacts.csv", text)
    data = bytearray(buf.getvalue())
    data[30 + len("contacts.csv") + at(len(text))] ^= 0xFF
    return bytes(data)


def test_a_damaged_zip_member_is_refused_with_its_name():
    """A bad deflate stream raised zlib.error out of the readers (a flipped
    byte in mac-junk.zip: a traceback out of crm-migration run)."""
    data = _damaged_member(zipfile.ZIP_DEFLATED, lambda _n: 3)
    with pytest.raises(readers.ReadError) as err:
        readers.open_tables("junk.zip", data=data)
    assert str(err.value) == (
        "junk.zip/contacts.csv: cannot be extracted (Error -3 while decompressing "
        "data: invalid code lengths set)"
    )
    data = _damaged_member(zipfile.ZIP_STORED, lambda n: n - 5)
    with pytest.raises(readers.ReadError) as err:
        readers.open_tables("junk.zip", data=data)
    assert str(err.value) == (
        "junk.zip/contacts.csv: cannot be extracted (Bad CRC-32 for file "
        "'contacts.csv')"
    )
