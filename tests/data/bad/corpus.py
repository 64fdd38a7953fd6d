"""The bad-input corpus: files a real user uploads, each with what must become
of it. Plain Python (no Odoo), shared by the engine's tests (the readers) and
the Odoo tests (upload, wizard, command line).

``python tests/data/bad/corpus.py`` writes the small files into this folder
(they are committed); the big ones (10 MB and 60 MB cells, 20,000 columns,
a million empty rows, a zip bomb, deep nested zips) are made at test time by
:func:`write_big` so the repository holds no megabytes.

Each expectation is ``("read", {table name: data rows})`` (read with exactly
these counts) or ``("refused", "words of the reason")``; ``"header only"`` is
read with 0 rows and must be reported as a warning by the upload.
"""

import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256)) * 8
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _zip(members, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _xlsx(sheets, vba=False, formulas=False):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    if formulas:
        ws = wb.worksheets[0]
        ws["C2"] = "=A2*2"
        ws["C3"] = "=SUM(B2:B3)"
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if vba:  # a macro-enabled workbook: the VBA project sits beside the sheets
        src = zipfile.ZipFile(io.BytesIO(data))
        data = _zip(
            [(i.filename, src.read(i)) for i in src.infolist()]
            + [("xl/vbaProject.bin", OLE + b'Attribute VB_Name = "Module1"')]
        )
    return data


CONTACTS = "Name,Email\nAna Lima,ana@x.example\nBen Ode,ben@x.example\n"


def small_files():
    """{file name: (bytes, expectation)}."""
    xlsx_two = _xlsx(
        [
            ("Contacts", [["Name", "Email"], ["Ana", "ana@x.example"]]),
            ("Deals", [["Deal", "Amount"], ["D1", 10], ["D2", 20]]),
        ]
    )
    latin1 = "Nome,Cidade\nJoão,São Paulo\nZoë,Montréal\n".encode("cp1252")
    files = {
        # ------------------------------------------------ not tables at all
        "zero-bytes.csv": (b"", ("refused", "file is empty")),
        "blank-lines.csv": (b"\r\n\n  \n\t\n", ("refused", "file is empty")),
        "png-renamed.csv": (PNG, ("refused", "PNG image")),
        "pdf-renamed.csv": (PDF, ("refused", "PDF")),
        "old-excel.xls": (OLE, ("refused", "")),
        "old-excel-renamed.csv": (OLE, ("refused", "")),
        "nul-bytes.csv": (
            b"Name,Email\nAna\x00,ana@x.example\n",
            ("refused", "NUL bytes"),
        ),
        "word.docx": (
            _zip([("word/document.xml", "<w/>"), ("[Content_Types].xml", "<t/>")]),
            ("refused", "Word document"),
        ),
        "notes.rtf": (b"{\\rtf1 hello}", ("refused", "")),
        # ------------------------------------------------ truncated
        "truncated.xlsx": (xlsx_two[: len(xlsx_two) // 2], ("refused", "XLSX")),
        "truncated.zip": (
            _zip(
                [
                    (
                        "contacts.csv",
                        "Name,Email\n"
                        + "".join(
                            f"P{i * 7919 % 10007},p{i}@x.example\n" for i in range(400)
                        ),
                    )
                ]
            )[:2000],
            ("refused", "zip"),
        ),
        "truncated-quote.csv": (
            b'Name,Note\nAna,"an open quote that never ends\n',
            ("read", {"truncated-quote.csv": 1}),
        ),
        # ------------------------------------------------ header only
        "one-byte.csv": (b"x", ("read", {"one-byte.csv": 0})),
        "header-only.csv": (b"Name,Email\r\n", ("read", {"header-only.csv": 0})),
        "header-only.xlsx": (
            _xlsx([("Sheet", [["Name", "Email"]])]),
            ("read", {"header-only.xlsx": 0}),
        ),
        "empty-sheet.xlsx": (_xlsx([("Sheet", [])]), ("refused", "")),
        # ------------------------------------------------ encodings
        "utf8-bom.csv": (
            b"\xef\xbb\xbf" + CONTACTS.encode(),
            ("read", {"utf8-bom.csv": 2}),
        ),
        "cp1252.csv": (latin1, ("read", {"cp1252.csv": 2})),
        "utf16.csv": (
            CONTACTS.encode("utf-16"),
            ("read", {"utf16.csv": 2}),
        ),
        "mixed-encoding.csv": (
            "Nome,Cidade\nJoão,São Paulo\n".encode()
            + "Zoë,Montréal\n".encode("cp1252"),
            ("read", {"mixed-encoding.csv": 2}),
        ),
        # ------------------------------------------------ shapes
        "semicolons.csv": (
            CONTACTS.replace(",", ";").encode(),
            ("read", {"semicolons.csv": 2}),
        ),
        "tabs.tsv": (CONTACTS.replace(",", "\t").encode(), ("read", {"tabs.tsv": 2})),
        "pipes.txt": (CONTACTS.replace(",", "|").encode(), ("read", {"pipes.txt": 2})),
        "mac-line-ends.csv": (
            CONTACTS.replace("\n", "\r").encode(),
            ("read", {"mac-line-ends.csv": 2}),
        ),
        "multiline-cells.csv": (
            b'Name,Note\nAna,"line one\nline two"\nBen,"a ""quoted"" word"\n',
            ("read", {"multiline-cells.csv": 2}),
        ),
        "ragged-rows.csv": (
            b"Name,Email,Phone\nAna,ana@x.example\nBen,ben@x.example,1,extra\n",
            ("read", {"ragged-rows.csv": 2}),
        ),
        "duplicate-headers.csv": (
            b"Name,Email,Email,Name\nAna,a1@x.example,a2@x.example,Lima\n",
            ("read", {"duplicate-headers.csv": 1}),
        ),
        "empty-headers.csv": (
            b"Name,,Email,\nAna,x,ana@x.example,y\n",
            ("read", {"empty-headers.csv": 1}),
        ),
        "json-in.csv": (
            b'{"contacts": [{"name": "Ana"}]}\n',
            ("read", {"json-in.csv": 0}),
        ),
        # ------------------------------------------------ values
        "formulas.csv": (
            b'Name,Note\nAna,=HYPERLINK("http://evil")\nBen,+1+1\nCid,-2\nDee,@SUM(A1)\n',
            ("read", {"formulas.csv": 4}),
        ),
        "html-script.csv": (
            b"Name,Note\nAna,<script>alert(1)</script><b>bold</b>\n",
            ("read", {"html-script.csv": 1}),
        ),
        "emoji.csv": (
            "Name,Note\nAna 😀,👍🏽 ok\nBen,🇧🇷\n".encode(),
            ("read", {"emoji.csv": 2}),
        ),
        "right-to-left.csv": (
            "Name,City\nمحمد,القاهرة\nדוד,ירושלים\n".encode(),
            ("read", {"right-to-left.csv": 2}),
        ),
        "excel-date-serials.csv": (
            b"Name,Created\nAna,44197\nBen,1\nCid,2958465\n",
            ("read", {"excel-date-serials.csv": 3}),
        ),
        "years-1900-2100.csv": (
            b"Name,Created\nAna,1900-01-01\nBen,2100-12-31\nCid,0001-01-01\n",
            ("read", {"years-1900-2100.csv": 3}),
        ),
        "amounts.csv": (
            b"Deal,Amount\nD1,-1500.50\nD2,99999999999999999999\nD3,1e308\nD4,(200)\n",
            ("read", {"amounts.csv": 4}),
        ),
        # ------------------------------------------------ workbooks
        "several-sheets.xlsx": (
            xlsx_two,
            ("read", {"several-sheets.xlsx": 1, "several-sheets.xlsx[Deals]": 2}),
        ),
        "formulas.xlsx": (
            _xlsx(
                [("Sheet", [["Name", "Amount", "Double"], ["A", 1], ["B", 2]])],
                formulas=True,
            ),
            ("read", {"formulas.xlsx": 2}),
        ),
        "macros.xlsx": (
            _xlsx([("Sheet", [["Name", "Email"], ["Ana", "ana@x.example"]])], vba=True),
            ("read", {"macros.xlsx": 1}),
        ),
        "macros.xlsm": (  # read as a workbook; its macros are never run
            _xlsx([("Sheet", [["Name", "Email"], ["Ana", "ana@x.example"]])], vba=True),
            ("read", {"macros.xlsm": 1}),
        ),
        # ------------------------------------------------ archives
        "empty.zip": (_zip([]), ("refused", "")),
        "only-images.zip": (_zip([("logo.png", PNG)]), ("refused", "no CSV or XLSX")),
        "mac-junk.zip": (
            _zip(
                [
                    ("contacts.csv", CONTACTS),
                    ("__MACOSX/._contacts.csv", b"\x00\x05\x16\x07junk"),
                    (".DS_Store", b"\x00\x00\x00\x01Bud1"),
                ]
            ),
            ("read", {"mac-junk.zip/contacts.csv": 2}),
        ),
        "zip-slip.zip": (
            _zip([("../../etc/contacts.csv", CONTACTS)]),
            ("read", {"zip-slip.zip/../../etc/contacts.csv": 2}),
        ),
        "csv-and-nested-zip.zip": (
            _zip(
                [
                    ("contacts.csv", CONTACTS),
                    ("more/deals.zip", _zip([("deals.csv", CONTACTS)])),
                ]
            ),
            ("refused", "nested archive"),
        ),
        "bad-member.zip": (
            _zip([("contacts.csv", CONTACTS), ("logo.csv", PNG)]),
            ("refused", "PNG image"),
        ),
    }
    return files


def write_big(folder):
    """Write the big files into ``folder``; {file name: expectation}."""
    expect = {}

    def put(name, data, expectation):
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(data)
        expect[name] = expectation

    put(
        "cell-10mb.csv",
        b"Name,Note\nAna," + b"x" * (10 * 1024 * 1024) + b"\nBen,short\n",
        ("read", {"cell-10mb.csv": 2}),
    )
    put(
        "cell-60mb.csv",
        b"Name,Note\nAna," + b"y" * (60 * 1024 * 1024) + b"\n",
        ("read", {"cell-60mb.csv": 1}),
    )
    put(
        "columns-20k.csv",
        (
            ",".join(f"Custom {i}" for i in range(20000))
            + "\n"
            + ",".join(str(i) for i in range(20000))
            + "\n"
        ).encode(),
        ("read", {"columns-20k.csv": 1}),
    )
    put(
        "empty-rows-1m.csv",
        b"Name,Email\nAna,ana@x.example\n"
        + b",\n" * 1_000_000
        + b"Ben,ben@x.example\n",
        ("read", {"empty-rows-1m.csv": 2}),
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("contacts.csv", "w", force_zip64=True) as member:
            member.write(b"Name,Email\n")
            chunk = b"A" * (1024 * 1024)
            for _i in range(300):  # 300 MB of one letter, about 300 KB zipped
                member.write(chunk)
    put("zip-bomb.zip", bomb.getvalue(), ("refused", "too large"))
    inner = _zip([("contacts.csv", CONTACTS)])
    for _depth in range(3):
        inner = _zip([("inner.zip", inner)])
    put("nested-zips.zip", inner, ("refused", "nested archive"))
    return expect


def write_small(folder=HERE):
    for name, (data, _expect) in small_files().items():
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(data)


def expectations():
    return {name: expect for name, (_data, expect) in small_files().items()}


if __name__ == "__main__":
    write_small()
