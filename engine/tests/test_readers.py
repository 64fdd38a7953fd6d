import pytest

from engine.readers import (
    EXTRA_KEY,
    ReadError,
    Table,
    clean_headers,
    iter_dir,
    open_tables,
    slug,
)

PT_CSV = "Nome;Cidade;Observação\nJosé;São Paulo;ação\nJoão;Florianópolis;Coração\n"
PT_ROWS = [
    (2, {"Nome": "José", "Cidade": "São Paulo", "Observação": "ação"}),
    (3, {"Nome": "João", "Cidade": "Florianópolis", "Observação": "Coração"}),
]


def one(tables):
    assert len(tables) == 1
    return tables[0]


# ------------------------------------------------------------------------ encodings


@pytest.mark.parametrize(
    ("encoding", "content", "label"),
    [
        ("utf-8", PT_CSV.encode("utf-8"), "utf-8"),
        ("utf-8 BOM", b"\xef\xbb\xbf" + PT_CSV.encode("utf-8"), "utf-8-sig"),
        ("cp1252", PT_CSV.encode("cp1252"), "cp1252"),
        # latin-1 and cp1252 agree on every letter: read as cp1252 (a superset in practice)
        ("latin-1", PT_CSV.encode("latin-1"), "cp1252"),
        ("utf-16", PT_CSV.encode("utf-16"), "utf-16"),
    ],
)
def test_encodings(write, encoding, content, label):
    path = write("pt.csv", content)
    table = one(open_tables(path=path))
    assert table.encoding == label
    assert table.headers == ["Nome", "Cidade", "Observação"]
    assert list(table.rows()) == PT_ROWS


def test_cp1252_only_characters(write):
    text = "Name,Note\nAna,“quoted” — 5 €\n"
    table = one(open_tables(path=write("w.csv", text, "cp1252")))
    assert table.encoding == "cp1252"
    assert list(table.rows()) == [(2, {"Name": "Ana", "Note": "“quoted” — 5 €"})]


def test_non_ascii_only_late_in_file(write):
    text = "Name,City\n" + "Ana,Rio\n" * 5000 + "José,São Paulo\n"
    table = one(open_tables(path=write("late.csv", text, "cp1252")))
    assert table.encoding == "cp1252"
    assert list(table.rows())[-1] == (5002, {"Name": "José", "City": "São Paulo"})


def test_cyrillic_cp1251_is_not_read_as_western(write):
    text = "Имя;Город\nИван;Москва\nПётр;Санкт-Петербург\n"
    table = one(open_tables(path=write("ru.csv", text, "cp1251")))
    assert table.encoding == "cp1251"
    assert table.headers == ["Имя", "Город"]


def test_a_few_portuguese_letters_in_cp1252_are_not_read_as_slovak(write):
    """João and Zoë fit Windows-1250 (Slovak) as well as Windows-1252: the
    tie went to cp1250 and João became Joăo, without a word."""
    text = "Nome,Cidade\nJoão,São Paulo\nZoë,Montréal\n"
    table = one(open_tables(path=write("pt.csv", text, "cp1252")))
    assert table.encoding == "cp1252"
    assert list(table.rows()) == [
        (2, {"Nome": "João", "Cidade": "São Paulo"}),
        (3, {"Nome": "Zoë", "Cidade": "Montréal"}),
    ]


def test_utf8_lines_and_a_cp1252_line_are_each_read_in_their_own(write):
    """A UTF-8 file with one line pasted in Windows-1252: read as cp1250 as a
    whole it gave JoĂŁo; each line keeps its letters."""
    data = "Nome,Cidade\nJoão,São Paulo\n".encode() + "Zoë,Montréal €\n".encode(
        "cp1252"
    )
    table = one(open_tables(path=write("mixed.csv", data)))
    assert table.encoding == "utf-8+cp1252"
    assert list(table.rows()) == [
        (2, {"Nome": "João", "Cidade": "São Paulo"}),
        (3, {"Nome": "Zoë", "Cidade": "Montréal €"}),
    ]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Imię;Miasto\nŁukasz;Łódź\nZażółć;gęślą jaźń\n", "cp1250"),
        ("Ім'я;Місто\nНіна;Київ\nОлесь;Львів\n", "cp1251"),
    ],
)
def test_other_languages_are_not_taken_for_mixed_or_western(write, text, encoding):
    table = one(open_tables(path=write("other.csv", text, encoding)))
    assert table.encoding == encoding
    header, first = (line.split(";") for line in text.split("\n")[:2])
    assert next(table.rows()) == (2, dict(zip(header, first, strict=True)))


# ----------------------------------------------------------------------- delimiters


@pytest.mark.parametrize(
    ("delimiter", "name"),
    [(",", "a.csv"), (";", "b.csv"), ("\t", "c.tsv"), ("|", "d.txt")],
)
def test_delimiters(write, delimiter, name):
    lines = [["Name", "Amount", "Note"], ["Ana", "1,5", "a;b|c"], ["Bo", "2", "x"]]
    quoted = [
        [f'"{c}"' if any(d in c for d in ",;|\t") else c for c in row] for row in lines
    ]
    text = "\n".join(delimiter.join(row) for row in quoted) + "\n"
    table = one(open_tables(path=write(name, text)))
    assert table.delimiter == delimiter
    assert table.headers == ["Name", "Amount", "Note"]
    assert list(table.rows()) == [
        (2, {"Name": "Ana", "Amount": "1,5", "Note": "a;b|c"}),
        (3, {"Name": "Bo", "Amount": "2", "Note": "x"}),
    ]


def test_semicolon_with_unquoted_decimal_commas(write):
    text = "Name;Amount;Price\nAna;1,5;2,25\nBo;3,75;4,5\n"
    table = one(open_tables(path=write("s.csv", text)))
    assert table.delimiter == ";"
    assert list(table.rows())[0] == (
        2,
        {"Name": "Ana", "Amount": "1,5", "Price": "2,25"},
    )


def test_single_column_file(write):
    table = one(open_tables(path=write("emails.csv", "Email\na@x.com\nb@y.com\n")))
    assert table.delimiter == ","
    assert [r for _l, r in table.rows()] == [{"Email": "a@x.com"}, {"Email": "b@y.com"}]


# ------------------------------------------------------------- headers, lines, rows


def test_multiline_quoted_cell_and_line_numbers(write):
    text = 'Name,Note,City\r\nAna,"line one\r\nline two\r\nline three",Rio\r\nBo,"",SP\r\n"Carl","say ""hi""",BH\r\n'
    table = one(open_tables(path=write("m.csv", text)))
    assert list(table.rows()) == [
        (2, {"Name": "Ana", "Note": "line one\nline two\nline three", "City": "Rio"}),
        (5, {"Name": "Bo", "Note": "", "City": "SP"}),
        (6, {"Name": "Carl", "Note": 'say "hi"', "City": "BH"}),
    ]


def test_header_cleanup(write):
    text = "\ufeff  First   Name ,Email,, email ,Email (2),\n,\nAna,a@x.com,z,b@x.com,c@x.com,\n"
    table = one(open_tables(path=write("h.csv", text)))
    assert table.raw_headers == ["First   Name", "Email", "", "email", "Email (2)", ""]
    assert table.headers == [
        "First Name",
        "Email",
        "column_3",
        "email (3)",
        "Email (2)",
    ]
    assert list(table.rows()) == [
        (
            3,
            {
                "First Name": "Ana",
                "Email": "a@x.com",
                "column_3": "z",
                "email (3)": "b@x.com",
                "Email (2)": "c@x.com",
            },
        )
    ]


def test_clean_headers_directly():
    assert clean_headers([" A\nB ", "A B", None, "x", ""]) == [
        "A B",
        "A B (2)",
        "column_3",
        "x",
    ]


def test_empty_rows_skipped_and_leading_blank_lines(write):
    text = "\n\nName,City\n\n,\n  ,  \nAna,Rio\n\n\nBo,SP\n"
    table = one(open_tables(path=write("e.csv", text)))
    assert table.header_line == 3
    assert list(table.rows()) == [
        (7, {"Name": "Ana", "City": "Rio"}),
        (10, {"Name": "Bo", "City": "SP"}),
    ]


def test_values_are_stripped(write):
    table = one(open_tables(path=write("s.csv", 'A,B\n  x  , " y " \n')))
    assert list(table.rows()) == [(2, {"A": "x", "B": "y"})]


def test_ragged_rows(write):
    text = "A,B,C\n1\n1,2,3,4,,6,,\n1,2,3,,\n"
    table = one(open_tables(path=write("r.csv", text)))
    assert list(table.rows()) == [
        (2, {"A": "1", "B": "", "C": ""}),
        (3, {"A": "1", "B": "2", "C": "3", EXTRA_KEY: "4,,6"}),
        (4, {"A": "1", "B": "2", "C": "3"}),
    ]


def test_rows_re_read_the_file(write):
    path = write("c.csv", "Name\nAna\n")
    table = one(open_tables(path=path))
    assert list(table.rows()) == [(2, {"Name": "Ana"})]
    path.write_text("Name\nBruno\nCarla\n")
    assert list(table.rows()) == [(2, {"Name": "Bruno"}), (3, {"Name": "Carla"})]
    assert list(table.rows()) == list(table.rows())


def test_bytes_input_and_object_name():
    table = one(open_tables("Contacts Export (1).csv", data=b"Name\nAna\n"))
    assert table.name == "Contacts Export (1).csv"
    assert table.object_name == "contacts_export_1"
    assert table.kind == "csv"
    assert list(table.rows()) == [(2, {"Name": "Ana"})]


def test_slug():
    assert slug("Negociações 2024") == "negociacoes_2024"
    assert slug("---") == "table"


def test_table_from_records_nested_values():
    table = Table.from_records(
        "deals", lambda: [{"Tags": ["a", "b"], "X": {"k": 1}}], ["Tags", "X"]
    )
    assert list(table.rows()) == [(2, {"Tags": '["a", "b"]', "X": '{"k": 1}'})]


def test_table_from_records():
    data = [
        {"Id": 1, "Name": " Ana ", "Other": "x"},
        {"Id": None, "Name": ""},
        {"Id": 3, "Name": "Bo"},
    ]
    table = Table.from_records("api/contacts", lambda: data, ["Id", "Name"], kind="api")
    assert table.object_name == "contacts"
    assert list(table.rows()) == [
        (2, {"Id": "1", "Name": "Ana", EXTRA_KEY: "x"}),
        (4, {"Id": "3", "Name": "Bo"}),
    ]


# ---------------------------------------------------------------------------- XLSX


def test_xlsx_sheets_dates_and_numbers(write, contacts_xlsx):
    tables = open_tables(path=write("Book.xlsx", contacts_xlsx))
    assert [(t.name, t.object_name, t.sheet, t.kind) for t in tables] == [
        ("Book.xlsx", "book", "Contacts", "xlsx"),
        ("Book.xlsx[Deals]", "deals", "Deals", "xlsx"),
    ]
    contacts, deals = tables
    assert contacts.encoding is None and contacts.delimiter is None
    assert contacts.headers == ["Name", "Born", "Met", "Score", "Active"]
    assert list(contacts.rows()) == [
        (
            2,
            {
                "Name": "Ana",
                "Born": "2024-03-01",
                "Met": "2024-03-01 12:30:00",
                "Score": "3",
                "Active": "true",
            },
        ),
        (
            4,
            {
                "Name": "Bruno",
                "Born": "1990-12-31",
                "Met": "",
                "Score": "2.5",
                "Active": "false",
            },
        ),
    ]
    assert list(deals.rows()) == [(2, {"Title": "Big deal", "Amount": "1500"})]
    assert list(deals.rows()) == list(deals.rows())


def test_xlsx_header_not_on_first_row_and_extra_cells(make_xlsx):
    data = make_xlsx(
        {
            "Planilha1": [
                {"B3": " Name ", "C3": "City", "B4": "Ana", "C4": "Rio", "E4": "x"}
            ]
        }
    )
    table = one(open_tables("dados.xlsx", data=data))
    assert table.header_line == 3
    assert table.headers == ["column_1", "Name", "City"]
    assert list(table.rows()) == [
        (4, {"column_1": "", "Name": "Ana", "City": "Rio", EXTRA_KEY: ",x"})
    ]


def test_xlsx_generic_extra_sheet_names(make_xlsx):
    data = make_xlsx({"Main": [["A"], [1]], "Sheet2": [["B"], [2]]})
    assert [t.object_name for t in open_tables("export.xlsx", data=data)] == [
        "export",
        "export_sheet2",
    ]


# ----------------------------------------------------------------------------- ZIP


def test_zip_of_two_files(write, make_zip):
    data = make_zip(
        {
            "export/contacts.csv": "Name,Email\nAna,a@x.com\n",
            "export/notes.csv": "Email;Note\na@x.com;hello\n".encode("cp1252"),
            "export/readme.pdf": b"%PDF-1.4",
            "__MACOSX/export/._contacts.csv": b"\x00\x05\x16\x07",
            "export/": b"",
        }
    )
    tables = open_tables(path=write("archive.zip", data))
    assert [(t.name, t.object_name, t.delimiter) for t in tables] == [
        ("archive.zip/export/contacts.csv", "contacts", ","),
        ("archive.zip/export/notes.csv", "notes", ";"),
    ]
    assert list(tables[1].rows()) == [(2, {"Email": "a@x.com", "Note": "hello"})]
    assert list(tables[0].rows()) == [(2, {"Name": "Ana", "Email": "a@x.com"})]


def test_zip_with_xlsx_member(make_zip, contacts_xlsx):
    tables = open_tables("a.zip", data=make_zip({"book.xlsx": contacts_xlsx}))
    assert [t.name for t in tables] == ["a.zip/book.xlsx", "a.zip/book.xlsx[Deals]"]
    assert list(tables[1].rows()) == [(2, {"Title": "Big deal", "Amount": "1500"})]


def test_zip_member_errors_name_the_member(make_zip):
    with pytest.raises(ReadError) as info:
        open_tables("a.zip", data=make_zip({"ok.csv": "A\n1\n", "bad.csv": b""}))
    assert str(info.value) == "a.zip/bad.csv: file is empty"


# ------------------------------------------------------------------------ refusals

DOCX = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}
ODT = {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}
ODS = {
    "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
    "content.xml": "<x/>",
}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "file is empty"),
        ("blank.csv", b"\xef\xbb\xbf \r\n\r\n", "file is empty"),
        ("commas.csv", b",,,\n,,\n", "file is empty (no header row)"),
        (
            "nul.csv",
            b"Name,Email\nAna\x00\x01\x02,x\n",
            "is binary data (contains NUL bytes), not a table",
        ),
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3", "is a PDF document, not a table"),
        ("report.csv", b"%PDF-1.7\n%\xe2\xe3", "is a PDF document, not a table"),
        (
            "logo.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "is a PNG image, not a table",
        ),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "is a JPEG image, not a table"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00", "is a GIF image, not a table"),
        (
            "setup.exe",
            b"MZ\x90\x00\x03\x00\x00\x00",
            "is a Windows executable, not a table",
        ),
        (
            "old.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00",
            "is a legacy Office file (.xls/.doc): save it as .xlsx or CSV",
        ),
        (
            "data.json",
            b'{"a": 1}',
            "holds no list of records (expected a JSON array of objects)",
        ),
        (
            "noext",
            b"a,b\n1,2\n",
            "unsupported file without extension "
            "(expected .csv, .tsv, .txt, .xlsx, .json or .zip)",
        ),
        (
            "fake.xlsx",
            b"Name,Email\n",
            "is not a valid XLSX file (it is not a zip container)",
        ),
        (
            "broken.xlsx",
            b"PK\x03\x04garbage",
            "is not a valid XLSX file (File is not a zip file)",
        ),
    ],
)
def test_refusals(write, name, content, reason):
    path = write(name, content)
    with pytest.raises(ReadError) as info:
        open_tables(path=path)
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.filename, err.reason, err.line) == (name, reason, None)
    assert str(err) == f"{name}: {reason}"


@pytest.mark.parametrize(
    ("name", "members", "reason"),
    [
        ("letter.docx", DOCX, "is a Word document (.docx), not a table"),
        ("letter.odt", ODT, "is an OpenDocument file, not a table"),
        (
            "calc.ods",
            ODS,
            "is an OpenDocument spreadsheet (.ods): save it as .xlsx or CSV",
        ),
        (
            "pics.zip",
            {"a.png": b"\x89PNG", "b.txt.bak": "x"},
            "zip archive contains no CSV or XLSX table",
        ),
        (
            "renamed.xlsx",
            {"a.csv": "A\n1\n"},
            "is not a valid XLSX file (no workbook inside)",
        ),
        (
            "bad.xlsx",
            {"xl/workbook.xml": "not xml", "[Content_Types].xml": "nope"},
            None,
        ),
    ],
)
def test_refused_containers(make_zip, name, members, reason):
    with pytest.raises(ReadError) as info:
        open_tables(name, data=make_zip(members))
    assert info.value.filename == name
    if reason is None:
        assert info.value.reason.startswith("cannot be opened as XLSX (")
    else:
        assert str(info.value) == f"{name}: {reason}"


@pytest.mark.parametrize(
    "first_line",
    ["ana@x.com,Ana,Rio", "1,2,3", "2024-03-01,12.5,Ana", "http://x.com,Home"],
)
def test_headerless_refused(first_line):
    with pytest.raises(ReadError) as info:
        open_tables("noheader.csv", data=(first_line + "\nb@y.com,Bo,SP\n").encode())
    assert str(info.value) == (
        "noheader.csv: has no header row (the first row holds values such as emails, "
        "numbers or dates) (line 1)"
    )
    assert info.value.line == 1


def test_headerless_xlsx_names_the_sheet(make_xlsx):
    data = make_xlsx({"A": [["Name"], ["x"]], "B": [["a@x.com", 1]]})
    with pytest.raises(ReadError) as info:
        open_tables("w.xlsx", data=data)
    assert info.value.filename == "w.xlsx[B]"


def test_workbook_without_data(make_xlsx):
    with pytest.raises(ReadError) as info:
        open_tables("blank.xlsx", data=make_xlsx({"S1": [], "S2": []}))
    assert str(info.value) == "blank.xlsx: workbook has no data (every sheet is empty)"


def test_too_large(write):
    path = write("big.csv", "Name\n" + "Ana\n" * 600_000)
    with pytest.raises(ReadError) as info:
        open_tables(path=path, max_bytes=1024 * 1024)
    assert str(info.value) == "big.csv: file is too large (2.3 MB; the limit is 1.0 MB)"
    with pytest.raises(ReadError, match="file is too large"):
        open_tables("big.csv", data=b"Name\nAna\n", max_bytes=5)


def test_unterminated_quote_is_refused_with_its_line():
    table = one(open_tables("u.csv", data=b'A,B\n1,2\n3,"never closed\n4,5\n6,7\n'))
    with pytest.raises(ReadError) as info:
        list(table.rows())
    assert str(info.value) == "u.csv: quoted field is never closed (line 3)"


def test_last_multiline_record_without_newline_is_fine():
    table = one(open_tables("ok.csv", data=b'A,B\n1,"x\ny"'))
    assert list(table.rows()) == [(2, {"A": "1", "B": "x\ny"})]


def test_missing_path():
    with pytest.raises(ReadError, match=r"^nothing\.csv: cannot be read"):
        open_tables(path="/nonexistent/nothing.csv")


# -------------------------------------------------------------------------- folders


def test_iter_dir(tmp_path, write, make_xlsx):
    write("b.csv", "B\n1\n")
    write("A.csv", "A\n1\n")
    write("c.xlsx", make_xlsx({"S": [["C"], [1]]}))
    write(".hidden.csv", "H\n1\n")
    write("notes.md", "# not a table")
    (tmp_path / "sub").mkdir()
    write("sub/d.csv", "D\n1\n")
    assert [t.name for t in iter_dir(tmp_path)] == ["A.csv", "b.csv", "c.xlsx"]


def test_iter_dir_errors(tmp_path, write):
    write("a.csv", "A\n1\n")
    write("b.csv", b"")
    with pytest.raises(ReadError, match=r"^b\.csv: file is empty$"):
        iter_dir(tmp_path)
    errors = []
    assert [t.name for t in iter_dir(tmp_path, on_error=errors.append)] == ["a.csv"]
    assert [str(e) for e in errors] == ["b.csv: file is empty"]


def test_encrypted_zip_member_is_refused(make_zip):
    data = bytearray(make_zip({"secret.csv": "A\n1\n"}))
    # set the "encrypted" flag bit in the local header and the central directory entry
    data[data.index(b"PK\x03\x04") + 6] |= 0x1
    data[data.index(b"PK\x01\x02") + 8] |= 0x1
    with pytest.raises(ReadError) as err:
        open_tables("locked.zip", data=bytes(data))
    assert (
        str(err.value) == "locked.zip/secret.csv: is encrypted (password-protected zip)"
    )


def test_json_exports_are_tables_with_nested_values_as_json_text():
    data = (
        b'{"exported": "2024-07-01", "segments": ['
        b'{"name": "West", "rule": {"field": "Region", "value": "West"}},'
        b'{"name": "VIP", "active": true, "note": null}]}'
    )
    (table,) = open_tables("segments.json", data=data)
    assert (table.name, table.object_name, table.kind) == (
        "segments.json",
        "segments",
        "json",
    )
    assert table.headers == ["name", "rule", "active", "note"]
    rows = list(table.rows())
    assert rows[0] == (
        2,
        {"name": "West", "rule": '{"field": "Region", "value": "West"}',
         "active": "", "note": ""},
    )  # fmt: skip
    assert rows[1][1]["active"] == "true"
    (plain,) = open_tables("w.json", data=b'[{"a": 1}, {"b": [1, 2]}]')
    assert [r for _l, r in plain.rows()] == [
        {"a": "1", "b": ""},
        {"a": "", "b": "[1, 2]"},
    ]
    with pytest.raises(ReadError, match="is not valid JSON"):
        open_tables("bad.json", data=b"{nope")


def test_plain_text_cells_are_only_stripped(monkeypatch):
    """A CSV cell is text: stripped where it is read, without a call per cell
    to the generic cleaning (which turns XLSX values into text and line breaks
    into \\n); a cell with a carriage return still goes through it."""
    from engine.readers import table as table_mod

    calls = []
    original = table_mod._value

    def value(cell):
        calls.append(cell)
        return original(cell)

    monkeypatch.setattr(table_mod, "_value", value)
    data = b'Name,Note,City\n Ana ,"one\r\ntwo",Rio\nBob,,\n'
    rows = list(open_tables("people.csv", data=data)[0].rows())
    assert rows == [
        (2, {"Name": "Ana", "Note": "one\ntwo", "City": "Rio"}),
        (4, {"Name": "Bob", "Note": "", "City": ""}),
    ]
    assert calls == ["one\r\ntwo"]


# ------------------------------------------------------------ fuzzed bad input
# (bench/fuzz_inputs.py found these; each crashed the reader before)


def test_a_utf8_bom_file_with_windows_1252_lines_is_read_not_a_crash():
    data = b"\xef\xbb\xbfNome,Cidade\nJos\xc3\xa9,S\xe3o Paulo\n"
    (table,) = open_tables("bom-mixed.csv", data=data)
    assert table.headers == ["Nome", "Cidade"]
    assert list(table.rows()) == [(2, {"Nome": "José", "Cidade": "São Paulo"})]


def test_a_utf16_bom_on_bytes_that_are_not_utf16_is_refused_with_its_name():
    data = b"\xff\xfeN\x00a\x00\n\x00\x00\xd8\n\x00"  # a lone surrogate in UTF-16
    with pytest.raises(ReadError) as err:
        open_tables("bad16.csv", data=data)
    assert str(err.value).startswith("bad16.csv") and "cannot be decoded" in str(err.value)


def test_json_nested_deeper_than_python_recurses_is_refused_with_its_name():
    data = b"[" * 100000 + b"]" * 100000
    with pytest.raises(ReadError) as err:
        open_tables("deep.json", data=data)
    assert str(err.value) == "deep.json: is not valid JSON (nested too deeply)"


def test_headers_with_nul_or_a_lone_surrogate_are_storable():
    data = b'[{"Na\\u0000me": "x", "\\ud800": "y"}]'
    (table,) = open_tables("keys.json", data=data)
    assert table.headers == ["Name", "\ufffd"]
    assert list(table.rows()) == [(2, {"Name": "x", "\ufffd": "y"})]


def test_an_xlsx_sheet_broken_past_its_header_row_is_refused_with_its_name():
    import io
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Name", "Email"])
    for i in range(50):
        wb.active.append([f"N{i}", f"n{i}@x.com"])
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</row>", b"</rwo>", 5)[:-40]
                data = data.replace(b"</rwo>", b"</row>", 2)
            dst.writestr(item, data)
    (table,) = open_tables("broken.xlsx", data=out.getvalue())
    with pytest.raises(ReadError) as err:
        list(table.rows())
    assert str(err.value).startswith("broken.xlsx: cannot be read as XLSX")
