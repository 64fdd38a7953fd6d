"""Ploomes source offline: the tables built from samples/ploomes (saved pages):
companies, people, deals, stages, products, quotes, tasks, the issues they
raise, custom fields and the proposer's maps.

The value rules and the saved pages' reading are in test_sources_ploomes.py;
the API side in test_sources_ploomes_api.py, against a loopback server.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.profile import profile_table
from engine.propose import propose_fields, propose_key
from engine.sources.ploomes import PloomesSource
from engine.sources.ploomes.pages import PageSet, dump_page

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "ploomes"


@pytest.fixture(scope="module")
def built():
    source = PloomesSource()
    source.tables(SAMPLES)
    return source.built


def rows(built, name):
    return built.rows(name)


# ------------------------------------------------------------------ tables


def test_companies(built):
    acme, beta, gama = rows(built, "companies")
    assert {k: v for k, v in acme.items() if v} == {
        "Company ID": "5001",
        "Name": "Acme Indústria",
        "Legal Name": "Acme Indústria e Comércio Ltda",
        "CNPJ": "11.222.333/0001-81",
        "Email": "contato@acme-ind.com.br",
        "Phone": "+551134567890",
        "Mobile": "+5511987654321",
        "Website": "https://acme-ind.com.br",
        "Street": "Av. Paulista, 1000",
        "Street 2": "Conj. 101 - Bela Vista",
        "City": "São Paulo",
        "State": "SP",
        "Zip": "01310-100",  # the API's number 1310100, leading zero restored
        "Country": "Brasil",
        "Tags": "VIP",
        "Owner Email": "ana.souza@acme.com.br",
        "Notes": "Cliente desde 2019.",
        "Created": "2023-05-04 13:20:00Z",
        "Last Updated": "2024-01-15 11:00:00Z",
        "Segmento": "Indústria",  # option id 501 resolved by the Fields catalogue
        "Inscrição Estadual": "110.042.490.114",
    }
    assert (beta["CNPJ"], beta["Tax ID Problem"]) == (
        "",
        "'11.111.111/1111-11' is not a valid CNPJ: all its digits are equal",
    )
    assert beta["Segmento"] == "Serviços"
    assert (gama["CNPJ"], gama["Owner Email"], gama["Tags"]) == (
        "",
        "",
        "VIP, Parceiro",
    )


def test_people(built):
    joao, maria, pedro, luiza = rows(built, "people")
    assert {k: v for k, v in joao.items() if v} == {
        "Contact ID": "5101",
        "Name": "João Silva",
        "Email": "joao.silva@acme-ind.com.br",
        "Mobile": "+5511987654321",
        "Job Title": "Diretor Comercial",
        "CPF": "529.982.247-25",
        "Parent Company ID": "5001",
        "Company Name": "Acme Indústria",
        "Birthday": "1980-03-02",
        "Tags": "Parceiro",
        "Owner Email": "ana.souza@acme.com.br",
        "Created": "2023-05-04 13:25:00Z",
        "Last Updated": "2024-03-01 19:00:00Z",
    }
    assert (maria["CPF"], maria["Mobile"], maria["Company Name"]) == (
        "",
        "+5521998765432",
        "Beta Serviços",
    )
    assert (pedro["Phone"], pedro["Owner Email"]) == ("123", "carla.dias@acme.com.br")
    assert (luiza["CPF"], luiza["Parent Company ID"], luiza["Company Name"]) == (
        "390.533.447-05",
        "",
        "",
    )


def test_deals(built):
    got = [
        (
            r["Deal ID"],
            r["Pipeline"],
            r["Stage"],
            r["Status"],
            r["Lost Reason"],
            r["Amount"],
            r["Company Name"],
            r["Contact Email"],
            r["Owner Email"],
            r["Closed Date"],
        )
        for r in rows(built, "deals")
    ]
    assert got == [
        ("7001", "Vendas Diretas", "Proposta", "open", "", "60000.00", "Acme Indústria",
         "", "ana.souza@acme.com.br", ""),
        ("7002", "Vendas Diretas", "Negociação", "won", "", "4750.00", "Beta Serviços",
         "", "bruno.lima@acme.com.br", "2024-03-10 17:45:00Z"),
        ("7003", "Vendas Diretas", "Qualificação", "lost", "Preço", "2500.50",
         "Gama Comércio", "", "", "2024-04-02 13:00:00Z"),
        ("7004", "Parcerias", "Contato inicial", "open", "", "1800.00", "",
         "luiza.costa@gmail.com", "ana.souza@acme.com.br", ""),
    ]  # fmt: skip
    first = rows(built, "deals")[0]
    assert (
        first["Origem do Lead"],
        first["Previsão de Fechamento"],
        first["Licenças"],
        first["Tags"],
        first["Created"],
    ) == ("Site", "2024-06-30", "50", "Urgente", "2024-02-01 12:30:00Z")
    assert rows(built, "deals")[1]["Origem do Lead"] == "Indicação"  # by option id


def test_stages_in_the_lists_own_order(built):
    assert [
        (r["Pipeline Name"], r["Stage Name"], r["Stage Order"])
        for r in rows(built, "stages")
    ] == [
        ("Vendas Diretas", "Prospecção", "0"),
        ("Vendas Diretas", "Diagnóstico", "1"),
        ("Vendas Diretas", "Qualificação", "2"),
        ("Vendas Diretas", "Proposta", "3"),
        ("Vendas Diretas", "Negociação", "4"),
        ("Parcerias", "Contato inicial", "0"),
        ("Parcerias", "Acordo", "1"),
    ]
    assert [r["Pipeline Name"] for r in rows(built, "teams")] == [
        "Vendas Diretas",
        "Parcerias",
    ]


def test_users_tags_categories_products(built):
    assert [(r["Email"], r["Status"]) for r in rows(built, "users")] == [
        ("ana.souza@acme.com.br", "active"),
        ("bruno.lima@acme.com.br", "active"),
        ("carla.dias@acme.com.br", "suspended"),
    ]
    # contacts' tags become partner tags through the partners' Tags column:
    # the tags table is the deals' (crm.tag)
    assert [(r["Tag Name"], r["Used On"]) for r in rows(built, "tags")] == [
        ("Urgente", "deals, tasks"),
    ]
    assert [
        (r["Category"], r["Parent Category"], r["Complete Name"])
        for r in rows(built, "product_categories")
    ] == [("Licenças", "Software", "Software / Licenças"), ("Serviços", "", "Serviços")]
    assert [
        (r["SKU"], r["Unit Price"], r["Product Category"], r["Status"])
        for r in rows(built, "products")
    ] == [
        ("CRM-PRO", "1200.00", "Software / Licenças", "active"),
        ("IMPL", "4500.00", "Serviços", "active"),
        ("TRN-H", "250.00", "Serviços", "active"),
        ("FISC", "800.00", "Software / Licenças", "archived"),
    ]
    assert rows(built, "products")[0]["Garantia (meses)"] == "12"


def test_quotes_orders_and_lines(built):
    assert [
        (r["Quote ID"], r["Quote Number"], r["Review Number"], r["Last Review"],
         r["State"], r["Amount"], r["Lines Total"], r["Deal ID"])
        for r in rows(built, "quotes")
    ] == [
        ("8001", "1", "0", "no", "cancel", "60000.00", "60000.00", "7001"),
        ("8002", "1", "1", "yes", "sent", "57000.00", "57000.00", "7001"),
        ("8003", "2", "0", "yes", "sale", "4750.00", "4950.00", "7002"),
    ]  # fmt: skip
    assert [
        (r["Quote ID"], r["Product ID"], r["SKU"], r["Quantity"], r["Unit Price"],
         r["Discount"], r["Total"])
        for r in rows(built, "quote_lines")
    ] == [
        ("8001", "401", "CRM-PRO", "50", "1200.00", "0", "60000.00"),
        ("8002", "401", "CRM-PRO", "50", "1200.00", "5", "57000.00"),
        ("8003", "402", "IMPL", "1", "4500.00", "0", "4500.00"),
        ("8003", "403", "TRN-H", "1", "250.00", "0", "250.00"),
        ("8003", "499", "", "2", "100.00", "0", "200.00"),
    ]  # fmt: skip
    (order,) = rows(built, "orders")
    assert (
        order["Order Number"],
        order["Stage"],
        order["Origin Quote ID"],
        order["Date"],
        order["Lines Total"],
    ) == ("1", "Faturado", "8003", "2024-03-11 13:00:00Z", "4750.00")
    assert [r["SKU"] for r in rows(built, "order_lines")] == ["IMPL", "TRN-H"]


@pytest.mark.parametrize(
    "discount, amount, kind, issue",
    [
        (10, 4455.0, "percent", None),  # 4950 less 10%
        (200, 4750.0, "amount", None),  # 4950 less 200
        (5, 4950.0, "included", None),  # the lines carry it
        (10, None, "percent", None),  # no Amount: a percentage, as a line's
        (10, 4000.0, "percent", "the total 4000.00 differs from the sum of its "
         "lines (4950.00) less its discount of 10% (4455.00)"),
    ],
)  # fmt: skip
def test_a_quote_discount_is_read_beside_its_amount(discount, amount, kind, issue):
    saved = PageSet.open(SAMPLES)
    pages = {e: saved.records(e) for e in ("Users", "Fields", "Products")}
    quote = dict(saved.records("Quotes")[2], Discount=discount, Amount=amount)
    quote["Sections"] = [dict(quote["Sections"][0], Products=[
        p for p in quote["Sections"][0]["Products"] if p["ProductId"] != 499
    ] + [dict(quote["Sections"][0]["Products"][0], Id=9006, Total=200.0,
              ProductName="Implantação extra", Quantity=1, UnitPrice=200.0)])]  # fmt: skip
    pages["Quotes"] = [quote]
    source = PloomesSource()
    source.tables({f"{e}/page-0001.json": dump_page(e, r) for e, r in pages.items()})
    (row,) = rows(source.built, "quotes")
    assert (row["Discount"], row["Discount Type"], row["Lines Total"]) == (
        str(discount),
        kind,
        "4950.00",
    )
    assert [i["reason"] for i in source.issues] == ([issue] if issue else [])


def test_a_section_discount_is_reviewed_never_dropped_unseen():
    saved = PageSet.open(SAMPLES)
    pages = {e: saved.records(e) for e in ("Users", "Fields", "Products")}
    quote = saved.records("Quotes")[1]
    pages["Quotes"] = [dict(quote, Sections=[dict(quote["Sections"][0], Discount=3)])]
    source = PloomesSource()
    source.tables({f"{e}/page-0001.json": dump_page(e, r) for e, r in pages.items()})
    assert [(i["kind"], i["line"], i["column"], i["value"]) for i in source.issues] == [
        ("quotes", 2, "Sections", "1: 3")
    ]
    assert source.issues[0]["reason"].startswith(
        "section 1 has a discount of 3 of its own, which is not migrated"
    )


def test_a_superseded_review_raises_no_issue():
    # review 0 of quote 1 names a product nobody pulled and its total differs
    # from its lines: it is not migrated (a later review replaced it), so
    # nothing about it is a review item; the same on the last review is
    saved = PageSet.open(SAMPLES)
    pages = {e: saved.records(e) for e in ("Users", "Fields", "Products")}
    quotes = saved.records("Quotes")
    old = dict(quotes[0], Amount=1.0)
    old["Sections"] = [
        dict(
            old["Sections"][0],
            Products=[
                dict(old["Sections"][0]["Products"][0], ProductId=498, Total=60000.0)
            ],
        )
    ]
    pages["Quotes"] = [old, quotes[1]]
    source = PloomesSource()
    source.tables({f"{e}/page-0001.json": dump_page(e, r) for e, r in pages.items()})
    assert source.issues == []
    assert [(r["Quote ID"], r["Last Review"]) for r in rows(source.built, "quote_lines")] == [
        ("8001", "no"), ("8002", "yes")]  # fmt: skip
    last = dict(old, Id=8009, QuoteNumber=9, LastReview=True)
    pages["Quotes"] = [last]
    source.tables({f"{e}/page-0001.json": dump_page(e, r) for e, r in pages.items()})
    assert [(i["kind"], i["column"]) for i in source.issues] == [
        ("quote_lines", "Product ID"), ("quotes", "Amount")]  # fmt: skip


def test_converted_targets_read_the_tables(built):
    from engine import records

    tz = PloomesSource.project_defaults["timezone"]
    call = records.convert("activity", rows(built, "tasks")[0], "ploomes", tz)
    assert (call.model, call.values["activity_type"], call.values["done"]) == (
        "mail.activity",
        "mail.mail_activity_data_call",
        True,
    )
    assert (call.values["date_deadline"].isoformat(), str(call.values["done_at"])) == (
        "2024-02-05",
        "2024-02-05 12:20:00",  # done when it was marked done (FinishDate)
    )
    assert (call.user, call.contact_email, call.lead_ref) == (
        "ana.souza@acme.com.br",
        "joao.silva@acme-ind.com.br",
        "7001",
    )
    stage = records.convert("stage", rows(built, "stages")[1], "ploomes", tz)
    assert (
        stage.values["name"],
        stage.values["sequence"],
        stage.values["team_ref"],
    ) == (
        "Diagnóstico",
        1,
        "100",
    )
    user = records.convert("user", rows(built, "users")[2], "ploomes", tz)
    assert (user.values["login"], user.values["active"]) == (
        "carla.dias@acme.com.br",
        False,
    )
    product = records.convert("product", rows(built, "products")[0], "ploomes", tz)
    assert (product.values["default_code"], product.values["list_price"]) == (
        "CRM-PRO",
        1200.0,
    )
    team = records.convert("team", rows(built, "teams")[1], "ploomes", tz)
    # the pipeline's own order is the team's sequence
    assert team.values == {"name": "Parcerias", "sequence": 1, "active": None}
    tag = records.convert("tag", rows(built, "tags")[0], "ploomes", tz)
    assert tag.values == {"name": "Urgente", "used_on": "deals, tasks"}


def test_tasks(built):
    call, meeting, todo = rows(built, "tasks")
    assert (
        call["Type"],
        call["Due Date"],
        call["Status"],
        call["Completed On"],
        call["Assigned To"],
        call["Creator Email"],
        call["Contact Email"],
    ) == (
        "call",
        "",
        "completed",
        "2024-02-05 12:20:00Z",
        "ana.souza@acme.com.br",
        "bruno.lima@acme.com.br",
        "joao.silva@acme-ind.com.br",
    )
    # 23:30 in Sao Paulo is the next day in UTC: the converter gives the
    # deadline the account's local day
    assert (meeting["Type"], meeting["Due Date"], meeting["Date"]) == (
        "meeting",
        "",
        "2024-06-21 02:30:00Z",
    )
    from engine import records

    tz = PloomesSource.project_defaults["timezone"]
    converted = records.convert("activity", meeting, "ploomes", tz)
    assert converted.values["date_deadline"].isoformat() == "2024-06-20"
    assert (todo["Type"], todo["Assigned To"], todo["Deal ID"]) == (
        "task",
        "ana.souza@acme.com.br",
        "",
    )


def test_issues_are_exact(built):
    assert [
        (i["kind"], i["line"], i["column"], i["value"], i["id"]) for i in built.issues
    ] == [
        ("companies", 3, "CNPJ", "11.111.111/1111-11", 5002),
        ("companies", 4, "CNPJ", "12.345.678/0001-00", 5003),
        ("companies", 4, "Owner Email", "99", 5003),
        ("people", 3, "CPF", "111.111.111-11", 5102),
        ("people", 4, "Phone", "123", 5103),
        ("deals", 4, "Owner Email", "99", 7003),
        ("quote_lines", 6, "Product ID", "499", 9005),
        ("quotes", 4, "Amount", "4750", 8003),
    ]
    assert built.issues[-1]["reason"] == (
        "the total 4750.00 differs from the sum of its lines (4950.00)"
    )
    # an owner id that is no user says what Odoo does with the record
    assert built.issues[5]["reason"] == (
        "user id 99 is not a Ploomes user: the record gets the project's default "
        "owner (none when the project has none): reassign it"
    )


def test_custom_fields_catalogue(built):
    assert [
        (f["column"], f["type"], f["options"]) for f in built.custom_fields["deals"]
    ] == [
        ("Origem do Lead", "Lista de opções", ["Site", "Indicação"]),
        ("Previsão de Fechamento", "Data", []),
        ("Licenças", "Número inteiro", []),
    ]


def test_unknown_custom_field_and_name_clash(tmp_path):
    pages = PageSet(tmp_path)
    pages.add(
        "Fields",
        1,
        dump_page("Fields", [{"Id": 1, "Key": "contact_X", "Name": "Email"}]),
    )
    record = {
        "Id": 1,
        "TypeId": 1,
        "Name": "X",
        "OtherProperties": [
            {"FieldKey": "contact_X", "StringValue": "other@x.com"},
            {"FieldKey": "contact_GONE", "BoolValue": True},
        ],
    }
    pages.add("Contacts", 1, dump_page("Contacts", [record]))
    source = PloomesSource()
    (companies,) = [t for t in source.tables(tmp_path) if t.object_name == "companies"]
    (row,) = [r for _l, r in companies.rows()]
    assert (row["Email (custom)"], row["contact_GONE"]) == ("other@x.com", "true")
    assert source.issues[-1]["reason"] == (
        "custom field 'contact_GONE' is not in the Fields catalogue: "
        "its column is named by its key"
    )


def test_the_proposer_maps_the_columns(built):
    companies = built.table("companies")
    columns = profile_table(companies)["columns"]
    mapped = {p.column: p.field for p in propose_fields("company", columns)}
    assert propose_key("company", columns)[0] == "Company ID"
    assert {c: mapped[c] for c in ("Name", "CNPJ", "Phone", "Owner Email", "Tags")} == {
        "Name": "name",
        "CNPJ": "vat",
        "Phone": "phone",
        "Owner Email": "user_id",
        "Tags": "category_id",
    }
    assert mapped["Tax ID Problem"] is None  # never written into vat
    deals = built.table("deals")
    columns = profile_table(deals)["columns"]
    mapped = {p.column: p.field for p in propose_fields("lead", columns)}
    assert propose_key("lead", columns)[0] == "Deal ID"
    assert {
        c: mapped[c]
        for c in ("Title", "Pipeline", "Stage", "Status", "Lost Reason", "Amount",
                  "Contact Email", "Owner Email", "Closed Date")
    } == {
        "Title": "name", "Pipeline": "team_id", "Stage": "stage_id", "Status": "status",
        "Lost Reason": "lost_reason_id", "Amount": "expected_revenue",
        "Contact Email": "partner_email", "Owner Email": "user_id",
        "Closed Date": "date_closed",
    }  # fmt: skip
    people = built.table("people")
    mapped = {
        p.column: p.field
        for p in propose_fields("contact", profile_table(people)["columns"])
    }
    assert (mapped["CPF"], mapped["Company Name"], mapped["Job Title"]) == (
        "vat",
        "company_name",
        "function",
    )


def test_samples_are_the_generator_output(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gen_ploomes", SAMPLES.parent / "gen_ploomes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path)
    for path in SAMPLES.rglob("page-*.json"):
        assert (tmp_path / path.relative_to(SAMPLES)).read_bytes() == path.read_bytes()
    assert json.loads((SAMPLES / "Deals" / "page-0001.json").read_bytes())[
        "@odata.context"
    ] == ("https://api2.ploomes.com/$metadata#Deals")
