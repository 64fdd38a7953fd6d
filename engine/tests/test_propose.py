"""engine.propose: object, field, key and value proposals."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from engine.infer import infer_column
from engine.profile import profile_table
from engine.propose import (
    TARGETS,
    FieldProposal,
    TargetField,
    conflicting_fields,
    make_field_name,
    new_field_for,
    normalize_header,
    propose_fields,
    propose_key,
    propose_object,
    propose_values,
)
from engine.readers import iter_dir, open_tables
from engine.transform import TRANSFORMS

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "generic"

FIELD_TYPES = {
    "char", "text", "html", "email", "phone", "date", "datetime", "float", "monetary",
    "integer", "boolean", "selection", "many2one", "many2many",
}  # fmt: skip


def column(header, values, **extra):
    """A profile-like column dict typed by the real engine.infer."""
    inf = infer_column(values)
    counts = Counter(v for v in values if v)
    col = {
        "name": header,
        "non_null": sum(counts.values()),
        "nulls": sum(1 for v in values if not v),
        "null_rate": sum(1 for v in values if not v) / max(len(values), 1),
        "distinct": len(counts),
        "duplicates": sum(counts.values()) - len(counts),
        "type": inf.type,
        "confidence": inf.confidence,
        "details": inf.details,
        "samples": list(counts)[:5],
        "top_values": [[v, n] for v, n in counts.most_common(20)],
    }
    col.update(extra)
    return col


def by_column(proposals):
    return {p.column.strip(): p for p in proposals}


@pytest.fixture(scope="module")
def sample_profiles():
    return {t.name: profile_table(t) for t in iter_dir(SAMPLES)}


# ------------------------------------------------------------------ catalogue


def test_targets_catalogue():
    assert set(TARGETS) == {"company", "contact", "lead"}
    assert TARGETS["company"]["model"] == TARGETS["contact"]["model"] == "res.partner"
    assert TARGETS["lead"]["model"] == "crm.lead"
    for target in TARGETS.values():
        names = [f.name for f in target["fields"]]
        assert len(names) == len(set(names))
        for f in target["fields"]:
            assert isinstance(f, TargetField)
            assert f.type in FIELD_TYPES, f
            assert (f.relation is not None) == (
                f.type in ("many2one", "many2many")
            ) or (f.virtual and f.relation), f
            assert f.default_transform in TRANSFORMS, f
            assert f.synonyms
    lead = {f.name: f for f in TARGETS["lead"]["fields"]}
    assert lead["expected_revenue"].type == "monetary"
    assert "planned_revenue" not in lead
    assert lead["status"].virtual and lead["status"].default_transform == "lead_status"
    assert lead["partner_email"].virtual
    contact = {f.name: f for f in TARGETS["contact"]["fields"]}
    for virtual in (
        "first_name",
        "last_name",
        "company_name",
        "create_date",
    ):
        assert contact[virtual].virtual
    # partners have no source field: a contact's "Lead Source" needs an x_ field
    assert "source_id" not in contact
    assert not lead["source_id"].virtual and lead["source_id"].relation == "utm.source"
    assert contact["category_id"].relation == "res.partner.category"
    assert "function" not in {f.name for f in TARGETS["company"]["fields"]}


def test_normalize_header():
    assert normalize_header("  E-Mail Addr. ") == "email address"
    assert normalize_header("Dt Criação") == "data criacao"
    assert normalize_header("FirstName") == "first name"
    assert normalize_header("Tel.") == "telephone"
    assert normalize_header("ZIP/Postal_Code") == "zip postal code"
    assert normalize_header(normalize_header("Razão Social")) == "razao social"


# ------------------------------------------------------------------ samples

SAMPLE_MAP = {
    "companies.csv": {
        "Record ID": "ref",
        "Company Name": "name",
        "CNPJ": "vat",
        "Website": "website",
        "Phone": "phone",
        "Email": "email",
        "Street": "street",
        "City": "city",
        "State": "state_id",
        "Zip": "zip",
        "Country": "country_id",
        "Account Owner": "user_id",
        "Tags": "category_id",
        "Employees": None,
        "Customer Since": None,
        "Notes": "comment",
        "Created": "create_date",
    },
    "contacts.csv": {
        "Contact ID": "ref",
        "First Name": "first_name",
        "Last Name": "last_name",
        "E-mail": "email",
        "Company": "company_name",
        "Job Title": "function",
        "Work Phone": "phone",
        "Cell": "mobile",
        "City": "city",
        "Country": "country_id",
        "Created": "create_date",
        "Newsletter": None,
        "Notes": "comment",
    },
    "deals.xlsx": {
        "Deal Name": "name",
        "Account Name": "partner_name",
        "Contact Email": "partner_email",
        "Amount": "expected_revenue",
        "Stage": "stage_id",
        "Owner": "user_id",
        "Close Date": "date_deadline",
        "Status": "status",
        "Tags": "tag_ids",
        "Created": "create_date",
    },
}
SAMPLE_OBJECT = {
    "companies.csv": "company",
    "contacts.csv": "contact",
    "deals.xlsx": "lead",
}
SAMPLE_KEY = {
    "companies.csv": "Record ID",
    "contacts.csv": "Contact ID",
    "deals.xlsx": None,
}
SAMPLE_NEW_FIELDS = {
    "companies.csv": {
        "Employees": ("x_employees", "integer", "int"),
        "Customer Since": ("x_customer_since", "date", "date"),
    },
    "contacts.csv": {"Newsletter": ("x_newsletter", "boolean", "bool")},
    "deals.xlsx": {},
}


@pytest.mark.parametrize("name", sorted(SAMPLE_MAP))
def test_samples_object_key_and_fields(sample_profiles, name):
    prof = sample_profiles[name]
    obj = propose_object(prof["name"], prof["columns"])
    assert obj.target == SAMPLE_OBJECT[name]
    assert obj.confidence >= 0.8
    assert obj.model == TARGETS[obj.target]["model"]
    assert obj.reason
    key, reason = propose_key(obj.target, prof["columns"])
    assert key == SAMPLE_KEY[name], reason
    proposals = propose_fields(obj.target, prof["columns"])
    assert [p.column for p in proposals] == [c["name"] for c in prof["columns"]]
    got = {p.column.strip(): p.field for p in proposals}
    assert got == SAMPLE_MAP[name]
    for p in proposals:
        assert isinstance(p, FieldProposal)
        assert p.transform in TRANSFORMS
        assert 0.0 <= p.confidence <= 1.0
        assert p.reason
        if p.field:
            assert p.confidence >= 0.9, p
            assert p.new_field is None
        else:
            name_, ftype, transform = SAMPLE_NEW_FIELDS[name][p.column.strip()]
            assert p.new_field == {
                "name": name_,
                "type": ftype,
                "label": p.column.strip(),
            }
            assert p.transform == transform
            # nothing standard came close: keeping it in its own field is sure
            assert p.confidence in (0.8,) or p.confidence <= 0.3, p
    transforms = {p.column.strip(): p.transform for p in proposals}
    if name == "companies.csv":
        assert transforms["CNPJ"] == "vat_br"
        assert transforms["Notes"] == "html"
        assert transforms["Tags"] == "list"
    if name == "deals.xlsx":
        assert transforms["Amount"] == "money"
        assert transforms["Status"] == "lead_status"
        assert transforms["Close Date"] == "date"
        assert transforms["Created"] == "datetime"
    # a datetime field always reads as datetime, even from date-only values
    (p,) = propose_fields("contact", [column("Created", ["2024-01-02", "2024-03-04"])])
    assert (p.field, p.transform) == ("create_date", "datetime")


def test_reason_is_readable(sample_profiles):
    prof = sample_profiles["companies.csv"]
    p = by_column(propose_fields("company", prof["columns"]))["CNPJ"]
    assert p.reason.startswith("header 'CNPJ' is a synonym of Tax ID")
    assert "CNPJ/CPF" in p.reason
    p = by_column(
        propose_fields(
            "company", [column("Razão Social", ["Acme Ltda", "Beta S.A.", "Gama ME"])]
        )
    )
    assert "'Razão Social' is a synonym of Company name" in p["Razão Social"].reason
    assert "% of values are text" in p["Razão Social"].reason


# ------------------------------------------------------------------ unseen headers


def _csv(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    (table,) = open_tables(name, path=str(path))
    return profile_table(table)


def test_portuguese_deals_file(tmp_path):
    prof = _csv(
        tmp_path,
        "Negócios 2024.csv",
        "Título;Empresa;Valor (R$);Etapa;Resp.;Dt. Fechamento;Situação;Motivo da Perda;"
        "Fone;Cel;Observações\n"
        "Projeto ERP;Acme Ltda;R$ 12.500,00;Proposta;ana@acme.com;15/03/2024;Ganho;;"
        "(11) 3456-7890;(11) 98765-4321;Cliente antigo\n"
        "Licenças;Beta S.A.;R$ 980,00;Qualificação;bob@acme.com;20/04/2024;Perdido;Preço;"
        "(21) 3456-7890;(21) 98765-4321;\n"
        "Suporte;Gama ME;R$ 3.000,50;Proposta;ana@acme.com;02/05/2024;Em aberto;;"
        "(31) 3456-7890;;Ligar segunda\n",
        encoding="cp1252",
    )
    obj = propose_object(prof["name"], prof["columns"])
    assert obj.target == "lead"
    got = {p.column: p.field for p in propose_fields("lead", prof["columns"])}
    assert got == {
        "Título": "name",
        "Empresa": "partner_name",
        "Valor (R$)": "expected_revenue",
        "Etapa": "stage_id",
        "Resp.": "user_id",
        "Dt. Fechamento": "date_closed",
        "Situação": "status",
        "Motivo da Perda": "lost_reason_id",
        "Fone": "phone",
        "Cel": "mobile",
        "Observações": "description",
    }


def test_spanish_and_french_contacts(tmp_path):
    prof = _csv(
        tmp_path,
        "contactos.csv",
        "Nombre,Apellido,Correo electrónico,Teléfono,Compañía,Puesto,Ciudad,País\n"
        "Ana,García,ana@acme.es,+34 912 345 678,Acme SL,Gerente,Madrid,España\n"
        "Luis,Pérez,luis@beta.es,+34 932 345 678,Beta SA,CEO,Barcelona,España\n",
    )
    assert propose_object(prof["name"], prof["columns"]).target == "contact"
    got = {p.column: p.field for p in propose_fields("contact", prof["columns"])}
    assert got == {
        "Nombre": "first_name",  # a name next to a last-name column is the first name
        "Apellido": "last_name",
        "Correo electrónico": "email",
        "Teléfono": "phone",
        "Compañía": "company_name",
        "Puesto": "function",
        "Ciudad": "city",
        "País": "country_id",
    }
    french = [
        column("Prénom", ["Anne", "Luc"]),
        column("Nom", ["Martin", "Durand"]),
        column("Courriel", ["anne@x.fr", "luc@y.fr"]),
        column("Téléphone portable", ["+33 6 12 34 56 78", "+33 6 98 76 54 32"]),
        column("Société", ["Alpha SARL", "Beta SA"]),
    ]
    got = {p.column: p.field for p in propose_fields("contact", french)}
    assert got == {
        "Prénom": "first_name",
        "Nom": "last_name",
        "Courriel": "email",
        "Téléphone portable": "mobile",
        "Société": "company_name",
    }


def test_abbreviated_headers_without_values():
    headers = [
        "Co. Name",
        "E-Mail Addr",
        "Tel.",
        "Cel",
        "Dt Criação",
        "Resp.",
        "CEP",
        "UF",
    ]
    got = {p.column: p.field for p in propose_fields("company", headers)}
    assert got == {
        "Co. Name": "name",
        "E-Mail Addr": "email",
        "Tel.": "phone",
        "Cel": "mobile",
        "Dt Criação": "create_date",
        "Resp.": "user_id",
        "CEP": "zip",
        "UF": "state_id",
    }


# ------------------------------------------------------------------ types and values


def test_email_values_win_over_a_vague_header():
    (p,) = propose_fields("contact", [column("Contato", ["a@x.com", "b@y.com.br"])])
    assert p.field == "email"
    assert "email addresses" in p.reason and "says little" in p.reason


def test_a_date_column_is_never_a_phone():
    (p,) = propose_fields("contact", [column("Phone", ["2024-01-02", "2023-05-06"])])
    assert p.field != "phone"
    assert p.field is None
    assert p.new_field["type"] == "date"
    (p,) = propose_fields(
        "contact", [column("Phone", ["(415) 555-0134", "(212) 555-0199"])]
    )
    assert p.field == "phone"


def test_status_values_find_the_status_field():
    (p,) = propose_fields(
        "lead", [column("Resultado final", ["Ganho", "Perdido", "Ganho"])]
    )
    assert p.field == "status"
    assert p.transform == "lead_status"


def test_a_person_name_is_not_a_deal_name():
    got = [p.field for p in propose_fields("lead", ["FirstName", "LastName", "Email"])]
    # never the deal's name: they compose the lead's contact name
    assert got == ["first_name", "last_name", "email_from"]
    got = [p.field for p in propose_fields("lead", ["Subject", "Contact Name"])]
    assert got == ["name", "contact_name"]


def test_header_only_columns_work():
    proposals = propose_fields("lead", ["Deal Name", "Amount", "Stage", "Mystery"])
    assert [p.field for p in proposals] == [
        "name",
        "expected_revenue",
        "stage_id",
        None,
    ]
    assert proposals[3].new_field == {
        "name": "x_mystery",
        "type": "char",
        "label": "Mystery",
    }


def test_unknown_target_is_a_value_error():
    with pytest.raises(ValueError, match="unknown target 'invoice'"):
        propose_fields("invoice", ["Name"])


# ------------------------------------------------------------------ conflicts


def test_each_field_goes_to_one_column():
    cols = [
        column("E-mail", ["a@x.com", "b@y.com"]),
        column("Email", ["c@x.com", "d@y.com"]),
        column("Phone", ["(415) 555-0134", "(212) 555-0199"]),
        column("Telefone", ["+55 11 3456-7890", "+55 21 3456-7890"]),
    ]
    proposals = propose_fields("contact", cols)
    fields = [p.field for p in proposals if p.field]
    assert len(fields) == len(set(fields))
    assert proposals[0].field == "email"  # equal scores: the first column wins
    assert proposals[1].field is None
    assert proposals[1].new_field["name"] == "x_email"
    assert "went to" in proposals[1].reason or "fits better" in proposals[1].reason
    assert proposals[2].field == "phone"
    assert proposals[3].field is None  # nothing else fits a second landline
    assert proposals[3].alternatives[0]["field"] == "phone"
    # a loser falls back to its next best field when there is one
    cols = [
        column("Contact Email", ["a@x.com", "b@y.com"]),
        column("Contact E-mail", ["c@x.com", "d@y.com"]),
    ]
    got = propose_fields("lead", cols)
    assert [p.field for p in got] == ["partner_email", "email_from"]
    assert "went to 'Contact Email'" in got[1].reason


def test_better_score_wins_whatever_the_order():
    cols = [
        column("E-mail Pessoal", ["a@x.com", "b@y.com"]),
        column("E-mail", ["c@x.com", "d@y.com"]),
    ]
    got = propose_fields("contact", cols)
    assert got[1].field == "email"
    assert got[0].field is None
    assert got[0].new_field["name"] == "x_e_mail_pessoal"
    assert "Email fits better to column 'E-mail'" in got[0].reason


def test_lead_email_and_contact_email():
    cols = [
        column("Contact Email", ["a@x.com", "b@y.com"]),
        column("Email", ["sales@x.com", "info@y.com"]),
    ]
    got = [p.field for p in propose_fields("lead", cols)]
    assert got == ["partner_email", "email_from"]


def test_name_and_surname_mean_first_and_last_name():
    got = [p.field for p in propose_fields("contact", ["Nome", "Sobrenome", "E-mail"])]
    assert got == ["first_name", "last_name", "email"]
    got = [p.field for p in propose_fields("contact", ["Nome", "E-mail"])]
    assert got == ["name", "email"]
    got = [
        p.field
        for p in propose_fields("contact", ["Nome", "Sobrenome", "Nome completo"])
    ]
    # a full name beside first and last names would overwrite them: it is kept
    # in a field of its own instead
    assert got == ["first_name", "last_name", None]
    learned = {("contact", "nome"): {"name": 1}}
    got = [p.field for p in propose_fields("contact", ["Nome", "Sobrenome"], learned)]
    assert got == ["name", None]


# ------------------------------------------------------------------ learning


def test_learned_raises_confidence():
    col = column("Kundennummer", ["K-1", "K-2", "K-3"])
    (before,) = propose_fields("company", [col])
    assert before.field is None
    learned = {("company", "kundennummer"): {"ref": 2}}
    (after,) = propose_fields("company", [col], learned=learned)
    assert after.field == "ref"
    assert after.confidence >= 0.95
    assert "confirmed as Reference 2 times before" in after.reason
    # an already good proposal is not lowered
    (p,) = propose_fields("company", [column("Phone", ["(415) 555-0134"])])
    (q,) = propose_fields(
        "company",
        [column("Phone", ["(415) 555-0134"])],
        learned={("company", "phone"): {"phone": 1}},
    )
    assert q.field == "phone" and q.confidence >= max(p.confidence, 0.95)


def test_learned_keys_are_normalised_again():
    col = column("  E-MAIL Addr ", ["a@x.com"])
    learned = {("contact", "E-mail address"): {"email": 3}}
    (p,) = propose_fields("contact", [col], learned=learned)
    assert p.field == "email" and "confirmed" in p.reason
    # other targets' confirmations do not leak
    (p,) = propose_fields(
        "contact",
        [column("Kundennummer", ["K-1"])],
        learned={("company", "kundennummer"): {"ref": 5}},
    )
    assert p.field is None


def test_learned_breaks_a_tie():
    cols = [
        column("Phone 1", ["(415) 555-0134", "(212) 555-0199"]),
        column("Phone 2", ["(415) 555-0135", "(212) 555-0198"]),
    ]
    plain = propose_fields("contact", cols)
    assert plain[0].field == "phone"
    learned = {
        ("contact", "phone 2"): {"phone": 1},
        ("contact", "phone 1"): {"mobile": 1},
    }
    taught = propose_fields("contact", cols, learned=learned)
    assert taught[1].field == "phone"
    assert taught[0].field == "mobile"


def test_learned_changes_a_real_tie():
    cols = [
        column("Telefone A", ["(415) 555-0134", "(212) 555-0199"]),
        column("Telefone B", ["(415) 555-0135", "(212) 555-0198"]),
    ]
    plain = propose_fields("company", cols)
    assert plain[0].confidence == plain[1].confidence or plain[0].field == "phone"
    assert plain[0].field == "phone"
    taught = propose_fields(
        "company", cols, learned={("company", "Telefone B"): {"phone": 1}}
    )
    assert taught[1].field == "phone"
    assert taught[1].confidence >= 0.95
    assert taught[0].field != "phone"


def test_learned_custom_field():
    col = column("Shoe size", ["42", "38", "44"])
    (p,) = propose_fields(
        "contact", [col], learned={("contact", "shoe size"): {"x_shoe": 2}}
    )
    assert p.field is None
    assert p.new_field["name"] == "x_shoe"
    assert p.new_field["type"] == "integer"
    assert p.confidence >= 0.95


# ------------------------------------------------------------------ new fields

NAME_RE = re.compile(r"^x_[a-z0-9_]+$")


@pytest.mark.parametrize(
    "header,expected",
    [
        ("Customer Since", "x_customer_since"),
        ("Nº de Funcionários", "x_no_de_funcionarios"),
        ("  Lead   Source!! ", "x_lead_source"),
        ("x_already", "x_already"),
        ("2024 Revenue (US$)", "x_2024_revenue_us"),
        ("Ação/Observação", "x_acao_observacao"),
        ("LossReasonId", "x_loss_reason_id"),
    ],
)
def test_make_field_name(header, expected):
    assert make_field_name(header) == expected


def test_make_field_name_limits():
    long = make_field_name("A very long header " * 10)
    assert NAME_RE.match(long) and len(long) <= 60 and not long.endswith("_")
    assert make_field_name("???", index=3) == "x_column_3"
    assert make_field_name("Tier", taken={"x_tier"}) == "x_tier_2"
    assert make_field_name("Tier", taken={"x_tier", "x_tier_2"}) == "x_tier_3"
    long2 = make_field_name("A very long header " * 10, taken={long})
    assert long2 != long and len(long2) <= 60


def test_new_field_types_follow_the_values():
    cols = [
        column("Employees", ["12", "250", "40"]),
        column("Customer Since", ["2020-01-02", "2021-03-04"]),
        column("Opt In", ["Yes", "No", "Yes", "No"]),
        column("Tier", ["Gold", "Silver", "Gold", "Bronze", "Gold", "Silver"] * 3),
        column("Long story", ["line one\nline two", "x" * 200]),
        column("Favourite colour", ["Blue", "Red"]),
        column("Revenue share", ["12.5", "7.25", "3.1"]),
        column("Last Seen", ["2024-01-02 10:00:00", "2024-02-03 11:30:00"]),
    ]
    new = {p.column: p.new_field for p in propose_fields("contact", cols)}
    assert new["Employees"]["type"] == "integer"
    assert new["Customer Since"]["type"] == "date"
    assert new["Opt In"]["type"] == "boolean"
    assert new["Tier"]["type"] == "selection"
    assert set(new["Tier"]["selection"]) == {"Gold", "Silver", "Bronze"}
    assert new["Long story"]["type"] == "text"
    assert new["Favourite colour"]["type"] == "char"
    assert new["Revenue share"]["type"] == "float"
    assert new["Last Seen"]["type"] == "datetime"
    names = [n["name"] for n in new.values()]
    assert len(names) == len(set(names)) and all(NAME_RE.match(n) for n in names)


def test_new_field_for():
    assert new_field_for("Customer Since", "date") == {
        "name": "x_customer_since",
        "type": "date",
        "label": "Customer Since",
    }
    assert new_field_for(" Employees ", "integer")["type"] == "integer"
    assert new_field_for("Score", "money")["type"] == "float"
    assert new_field_for("Comment", None)["type"] == "char"
    assert new_field_for("Tier", "picklist", taken={"x_tier"})["name"] == "x_tier_2"
    col = column("Tier", ["Gold", "Silver", "Gold", "Bronze", "Gold", "Silver"] * 3)
    new = new_field_for("Tier", "picklist", column=col)
    assert new["type"] == "selection" and "Gold" in new["selection"]
    story = column("Story", ["line one\nline two", "x" * 300])
    assert new_field_for("Story", "text", column=story)["type"] == "text"


def test_new_field_names_are_unique_in_one_file():
    proposals = propose_fields("lead", ["Foo bar", "Foo-Bar", "foo_bar"])
    names = [p.new_field["name"] for p in proposals]
    assert names == ["x_foo_bar", "x_foo_bar_2", "x_foo_bar_3"]


# ------------------------------------------------------------------ objects


@pytest.mark.parametrize(
    "name,target",
    [
        ("companies.csv", "company"),
        ("Empresas.xlsx", "company"),
        ("accounts_export.csv", "company"),
        ("organizations.csv", "company"),
        ("Contatos Export.csv", "contact"),
        ("people.csv", "contact"),
        ("crm_contacts_2024.csv", "contact"),
        ("leads.csv", "lead"),
        ("Negócios.xlsx", "lead"),
        ("oportunidades.csv", "lead"),
        ("pipeline.csv", "lead"),
        ("export.zip/Opportunities.csv", "lead"),
        ("book.xlsx[Deals]", "lead"),
    ],
)
def test_object_from_file_name(name, target):
    obj = propose_object(name, ["Name", "Email"])
    assert obj.target == target
    assert obj.confidence >= 0.5
    assert "file name" in obj.reason


def test_object_from_columns_alone():
    obj = propose_object(
        "export1.csv", ["Title", "Amount", "Stage", "Close Date", "Owner"]
    )
    assert obj.target == "lead" and "'Amount'" in obj.reason
    obj = propose_object(
        "export2.csv", ["First Name", "Last Name", "Email", "Job Title"]
    )
    assert obj.target == "contact"
    obj = propose_object("export3.csv", ["Razão Social", "CNPJ", "Industry", "Website"])
    assert obj.target == "company"
    assert "no person-name columns" in obj.reason
    obj = propose_object("export4.csv", ["Nome", "CNPJ", "First Name", "Last Name"])
    assert obj.target == "contact"  # a person name beats the company signals


def test_object_alternatives_and_conflicts():
    obj = propose_object(
        "contacts.csv", ["Deal Name", "Amount", "Stage", "Probability"]
    )
    alts = {a["target"]: a["confidence"] for a in obj.alternatives}
    assert obj.target in ("contact", "lead")
    other = "lead" if obj.target == "contact" else "contact"
    assert other in alts
    assert obj.confidence < 0.8  # name and columns disagree: not sure
    obj = propose_object("data.csv", ["foo", "bar"])
    assert obj.confidence <= 0.3


# ------------------------------------------------------------------ keys


def test_key_prefers_the_own_id_over_foreign_ids():
    cols = [
        column("Company ID", ["1", "1", "2"]),
        column("Contact ID", ["10", "11", "12"]),
        column("Email", ["a@x.com", "b@x.com", "c@x.com"]),
    ]
    key, reason = propose_key("contact", cols)
    assert key == "Contact ID"
    assert "distinct" in reason


def test_key_falls_back_to_email_for_contacts():
    cols = [
        column("ID", ["1", "1", "2"]),
        column("E-mail", ["a@x.com", "b@x.com", ""]),
    ]
    key, reason = propose_key("contact", cols)
    assert key == "E-mail"
    assert "'ID' has 1 duplicate values" in reason
    assert "1 rows without an email" in reason
    key, reason = propose_key("company", cols)
    assert key is None
    assert "'ID' has 1 duplicate values" in reason


def test_key_none_without_id_like_columns():
    key, reason = propose_key("lead", [column("Deal Name", ["A", "B"])])
    assert key is None and "compound key" in reason
    key, _ = propose_key("company", [column("Código", ["001", "002", "003"])])
    assert key == "Código"
    key, _ = propose_key("company", [column("Record ID", ["1", "", "3"])])
    assert key is None


# ------------------------------------------------------------------ values


def test_values_exact_fuzzy_none():
    stages = ["New", "Qualified", "Proposition", "Won"]
    got = propose_values(
        "stage", ["new", "Qualifed", "Negotiation", "Won", "", "new"], stages
    )
    assert [v.source for v in got] == ["new", "Qualifed", "Negotiation", "Won"]
    assert (got[0].target, got[0].confidence) == ("New", 1.0)
    assert "exactly" in got[0].reason
    assert got[1].target == "Qualified" and 0.85 <= got[1].confidence < 1.0
    assert "close to" in got[1].reason
    assert got[2].target is None and got[2].confidence == 0.0
    assert got[2].reason == "no existing stage matches; a new one will be created"
    assert got[3].target == "Won"


def test_values_with_ids_and_accents():
    tags = {7: "Cliente Atacadão", 8: "Parceiro"}
    got = propose_values("tag", ["cliente atacadao", "PARCEIRO", "Fornecedor"], tags)
    assert [v.target for v in got] == [7, 8, None]
    teams = [(3, "Vendas Brasil"), (4, "Sales US")]
    got = propose_values("team", ["Vendas  Brasil", "Sales USA"], teams)
    assert got[0].target == 3 and got[0].confidence == 1.0
    assert got[1].target == 4 and got[1].confidence < 1.0


def test_owner_values():
    users = [
        {
            "id": 2,
            "name": "Alice Smith",
            "login": "alice@example.com",
            "email": "alice@example.com",
        },
        {"id": 3, "name": "Bob Jones", "login": "bob", "email": "bob@example.com"},
        {"id": 4, "name": "Carla Dias", "login": "carla@corp.example"},
    ]
    got = propose_values(
        "owner",
        [
            "ALICE@example.com",
            "bob@example.com",
            "Bob Jones",
            "carla.dias@old.example",
            "zed.unknown@example.com",
            "rob@example.com",
        ],
        users,
    )
    by = {v.source: v for v in got}
    assert (
        by["ALICE@example.com"].target == 2
        and by["ALICE@example.com"].confidence == 1.0
    )
    assert by["bob@example.com"].target == 3
    assert by["Bob Jones"].target == 3
    assert by["carla.dias@old.example"].target == 4
    assert by["carla.dias@old.example"].confidence < 0.9
    assert by["zed.unknown@example.com"].target is None
    assert by["zed.unknown@example.com"].reason.startswith("no existing owner matches")
    # emails are never fuzzy-matched: rob is not bob
    assert by["rob@example.com"].target is None


def test_country_values():
    countries = [
        {"id": 31, "name": "Brazil", "code": "BR"},
        {"id": 233, "name": "United States", "code": "US"},
        {"id": 183, "name": "Portugal", "code": "PT"},
    ]
    got = propose_values(
        "country", ["Brasil", "USA", "United States", "br", "Atlantis"], countries
    )
    assert [v.target for v in got] == [31, 233, 233, 31, None]
    assert got[0].confidence >= 0.95
    assert got[4].reason.startswith("no existing country matches")


def test_lost_reason_values():
    got = propose_values(
        "lost_reason", ["Too expensive", "No budget"], ["Too expensive"]
    )
    assert got[0].target == "Too expensive"
    assert got[1].reason == "no existing lost_reason matches; a new one will be created"


def test_sample_value_maps_as_documented(sample_profiles):
    """samples/README.md: what the value maps of the samples propose against a fresh
    Odoo (labels as the Odoo layer passes them: names, logins, emails, codes)."""
    deals = {c["name"]: c for c in sample_profiles["deals.xlsx"]["columns"]}
    stages = [v for v, _n in deals["Stage"]["top_values"]]
    got = {
        v.source: v.target
        for v in propose_values(
            "stage", stages, ["New", "Qualified", "Proposition", "Won"]
        )
    }
    assert got == {
        "New": "New",
        "Qualified": "Qualified",
        "Proposition": "Proposition",
        "Won": "Won",
        "Negotiation": None,
    }
    users = [
        "Administrator",
        "admin",
        "Alice",
        "alice@example.com",
        "Bob",
        "bob@example.com",
    ]
    owners = [v for v, _n in deals["Owner"]["top_values"]]
    got = {
        v.source: (v.target, v.confidence)
        for v in propose_values("owner", owners, users)
    }
    assert got == {
        "alice@example.com": ("alice@example.com", 1.0),
        "bob@example.com": ("bob@example.com", 1.0),
        "zed.unknown@example.com": (None, 0.0),
    }
    companies = {c["name"]: c for c in sample_profiles["companies.csv"]["columns"]}
    countries = [v for v, _n in companies["Country"]["top_values"]]
    odoo = ["BR", "Brazil", "US", "United States", "PT", "Portugal"]
    got = {v.source: v.target for v in propose_values("country", countries, odoo)}
    assert {
        k: v in ("BR", "Brazil") for k, v in got.items() if k.startswith("Bra")
    } == {
        "Brazil": True,
        "Brasil": True,
    }
    assert got["USA"] in ("US", "United States")
    assert got["United States"] == "United States"


# ------------------------------------------------------- one target, one column


def test_someone_elses_name_never_becomes_the_contacts_name():
    headers = ["First Name", "Last Name", "Spouse Name", "Assistant Name", "Email"]
    got = {p.column: p for p in propose_fields("contact", headers)}
    assert got["First Name"].field == "first_name"
    assert got["Last Name"].field == "last_name"
    for header in ("Spouse Name", "Assistant Name"):
        assert got[header].field is None
        assert got[header].new_field["name"].startswith("x_")
    # alone, "Spouse Name" is still not the contact's own name
    (p,) = propose_fields("contact", ["Spouse Name"])
    assert p.field is None


def test_a_target_field_goes_to_one_column_only():
    for headers in (
        ["Full Name", "First Name", "Last Name"],
        ["First Name", "Last Name", "Full Name", "Name"],
        ["Email", "E-mail Address", "Phone", "Telephone"],
    ):
        props = propose_fields("contact", headers)
        used = [p.field for p in props if p.field]
        slots = [sorted(conflicting_fields("contact", f)) for f in used]
        for i in range(len(used)):
            others = set(used[:i] + used[i + 1 :])
            assert not others & set(slots[i]), (headers, used)


def test_conflicting_fields():
    assert conflicting_fields("contact", "name") == {"name", "first_name", "last_name"}
    assert conflicting_fields("contact", "first_name") == {"first_name", "name"}
    assert conflicting_fields("lead", "name") == {"name"}


def test_a_column_mixing_numbers_and_words_is_kept_as_text():
    values = ["12", "15", "n/a", "20", "unknown", "33", "41", "52", "60", "7"]
    (p,) = propose_fields("contact", [column("Policy Count", values)])
    assert p.field is None
    assert p.new_field["type"] == "char" and p.transform == "text"
    assert "kept as text with every value" in p.reason
    assert p.confidence == 0.8
    # one typo among many numbers stays a number (the typo is reviewed)
    values = [str(n) for n in range(1, 40)] + ["1O"]
    (p,) = propose_fields("contact", [column("Policy Count", values)])
    assert p.new_field["type"] == "integer"


def test_an_unmatched_column_is_a_sure_new_field_a_near_miss_is_not():
    (p,) = propose_fields("contact", [column("Favourite Colour", ["red", "blue"])])
    assert p.field is None and p.confidence == 0.8
    props = propose_fields("company", ["Account Name", "Parent Account Name"])
    assert props[1].field is None and props[1].confidence <= 0.3


def test_a_name_inside_a_longer_one_is_another_record():
    # "Sales Pipeline" is not Odoo's "Sales" team, "Closed Won" not its "Won"
    # stage: only a person links them; the run creates its own otherwise
    got = propose_values("team", ["Sales Pipeline", "Sale"], [(1, "Sales")])
    assert got[0].target is None
    assert got[1].target == 1 and got[1].confidence < 1.0
    got = propose_values("stage", ["Closed Won", "New Lead"], [(1, "Won"), (2, "New")])
    assert [v.target for v in got] == [None, None]


def test_partial_dates_among_dates_stay_a_date_field():
    values = [f"{m:02d}/{d:02d}/19{60 + d}" for m in range(1, 10) for d in (3, 14)]
    values += ["04/07", "11/16"]  # birthdays without a year: reviewed, not words
    (p,) = propose_fields("contact", [column("Birthday", values)])
    assert p.new_field["type"] == "date" and "mixed" not in p.new_field


def test_a_short_list_of_repeated_values_is_not_a_name():
    titles = ["Project Manager", "CEO", "Buyer"] * 8
    got = {p.column: p.field for p in propose_fields("lead", [column("Title", titles)])}
    assert got["Title"] != "name"
    deals = [f"Deal {i}" for i in range(24)]
    got = {p.column: p.field for p in propose_fields("lead", [column("Title", deals)])}
    assert got["Title"] == "name"
