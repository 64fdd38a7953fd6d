"""engine.propose: object, field, key and value proposals."""

from __future__ import annotations

from collections import Counter

import pytest

from engine.infer import infer_column
from engine.profile import profile_table
from engine.propose import (
    TARGETS,
    FieldProposal,
    TargetField,
    normalize_header,
    propose_fields,
    propose_key,
    propose_object,
)
from engine.readers import open_tables
from engine.transform import TRANSFORMS

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
