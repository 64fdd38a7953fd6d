"""Map proposals: which Odoo object a file holds, which field each column feeds,
which column identifies a row, and which existing record each source value means.

Pure Python (no Odoo). Every proposal carries a confidence in 0..1 and a reason a
person can read; nothing here is final: the consultant confirms or corrects it, and
confirmed maps come back as ``learned`` to make the next proposal better.

Scoring of a column against a target field combines:

* the header: normalised (accents, case, punctuation, camelCase and common
  abbreviations such as "Tel.", "Dt", "Vlr", "Resp." expanded) and compared with the
  field's name, label and synonyms (English, Brazilian Portuguese, some Spanish and
  French): exact, same words, contained words, then rapidfuzz similarity;
* the column's inferred type from the profile (an email column is an email even if its
  header says "Contato"; a date column is never a phone);
* value hints (won/lost/open statuses, CNPJ/CPF, country names, lead/opportunity...);
* ``learned``: ``{(target, normalised header): {field: times confirmed}}``; a header
  confirmed before for the same target gets at least 0.95.

Each target field is given to at most one column (best score first; the loser falls
back to its next best field or to none). A column that fits nothing gets a proposed
custom field ``x_<slug>`` typed from its values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf

from .core.headers import ABBREVIATIONS, _strip_accents, normalize_header  # noqa: F401
from .countries import country_code

# --------------------------------------------------------------------------------------
# data classes


@dataclass(frozen=True)
class TargetField:
    """One field of a target object that a column can feed."""

    name: str
    label: str
    type: str
    synonyms: tuple[str, ...] = ()
    virtual: bool = False
    relation: str | None = None
    transform: str | None = None  # engine.transform TRANSFORMS key; None: from type

    @property
    def default_transform(self) -> str:
        return self.transform or TYPE_TRANSFORM.get(self.type, "text")


@dataclass
class ObjectProposal:
    target: str
    confidence: float
    reason: str
    alternatives: list[dict] = field(default_factory=list)

    @property
    def model(self) -> str:
        return TARGETS[self.target]["model"]

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class FieldProposal:
    column: str
    field: str | None
    confidence: float
    reason: str
    transform: str
    alternatives: list[dict] = field(default_factory=list)
    new_field: dict | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ValueProposal:
    source: str
    target: Any
    confidence: float
    reason: str
    label: str | None = None  # the matched candidate's label, for display

    def as_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------------------
# target catalogue (real Odoo 18 field names; virtual ones are resolved by the loader)

# field type -> engine.transform TRANSFORMS key
TYPE_TRANSFORM = {
    "char": "text",
    "text": "text",
    "html": "html",
    "email": "email",
    "phone": "phone",
    "date": "date",
    "datetime": "datetime",
    "float": "float",
    "monetary": "money",
    "integer": "int",
    "boolean": "bool",
    "selection": "text",
    "many2one": "text",
    "many2many": "list",
}


def _syn(text: str) -> tuple[str, ...]:
    """Split a "|"-separated list: "Email | E-mail" -> ("Email", "E-mail")."""
    return tuple(s.strip() for s in text.split("|") if s.strip())


S_EMAIL = _syn(
    "Email | E-mail | Email Address | E-mail Address | Mail | "
    "Primary Email | Work Email | Business Email | Email 1 | "
    "Correio eletrônico | Endereço de e-mail | Correo electrónico | "
    "Correo | Courriel | Adresse e-mail | Adresse électronique"
)
S_PHONE = _syn(
    "Phone | Telephone | Tel | Phone Number | Work Phone | "
    "Business Phone | Office Phone | Main Phone | Phone 1 | "
    "Primary Phone | Landline | Telefone | Fone | Telefone comercial | "
    "Telefone fixo | Teléfono | Téléphone"
)
S_MOBILE = _syn(
    "Mobile | Mobile Phone | Mobile Number | Cell | Cell Phone | "
    "Cellphone | Celular | Telefone celular | WhatsApp | Móvil | "
    "Teléfono móvil | Portable | Téléphone portable | Phone 2"
)
S_WEBSITE = _syn(
    "Website | Web Site | Site | URL | Web | Homepage | Home Page | Website URL | "
    "Web Site URL | Web URL | Site URL | Homepage URL | Web Address | "
    "Company Website | Company URL | Company Domain | Domain | Site web | "
    "Sitio web | Página web | Domínio"
)
S_STREET = _syn(
    "Street | Address | Address 1 | Address Line 1 | Addr1 | "
    "Street Address | Mailing Street | Billing Street | Billing Address | "
    "Endereço | Logradouro | Rua | Dirección | Adresse | Rue"
)
S_STREET2 = _syn(
    "Street 2 | Street2 | Address 2 | Address Line 2 | Addr2 | "
    "Complemento | Bairro | Suite | Apt | Adresse 2"
)
S_CITY = _syn(
    "City | Town | Mailing City | Billing City | Cidade | Município | "
    "Localidade | Ciudad | Ville"
)
S_STATE = _syn(
    "State | State/Province | Province | Region | State Code | "
    "Mailing State | Billing State | Estado | UF | Provincia | Région"
)
S_ZIP = _syn(
    "Zip | ZIP Code | Zipcode | Zip/Postal Code | Postal Code | Postcode | "
    "Post Code | Mailing Zip | Billing Zip | Shipping Zip | Billing Postal Code | "
    "Mailing Postal Code | Shipping Postal Code | "
    # an address block's "Code" is its postal code (Zoho: Billing/Mailing Code)
    "Billing Code | Mailing Code | Shipping Code | Other Code | "
    "CEP | Código postal | "
    "Code postal"
)
S_COUNTRY = _syn(
    "Country | Country/Region | Country Code | Nation | Mailing Country | "
    "Billing Country | País | Pays"
)
S_OWNER = _syn(
    "Owner | Account Owner | Contact Owner | Lead Owner | Deal Owner | "
    "Opportunity Owner | Record Owner | Owner Email | Owner Name | "
    "Salesperson | Sales Person | Sales Rep | Sales Representative | "
    "Assigned To | Assigned User | Account Manager | User | Agent | Team Member | "
    "Responsável | Usuário responsável | Vendedor | Dono | Proprietário | "
    "Representante | Consultor | Responsable | Propietario | Commercial"
)
S_TAGS = _syn(
    "Tags | Tag | Labels | Label | Categories | Category | Lists | "
    "Groups | Keywords | Categoria | Categorias | Etiquetas | Etiqueta | "
    "Marcadores | Listas | Grupos | Palavras-chave | Étiquettes"
)
S_NOTES = _syn(
    "Notes | Note | Comments | Comment | Description | Remarks | Memo | "
    "Internal Notes | Background Info | Details | Observações | "
    "Observação | Obs | Anotações | Notas | Comentários | Descrição | "
    "Detalhes | Descripción | Commentaires"
)
S_SOURCE = _syn(
    "Source | Lead Source | Contact Source | Original Source | "
    "Referral Source | Channel | Origem | Fonte | Origem do lead | Canal | "
    "Canal de origem | Origen | Fuente | Source du lead"
)
S_CREATED = _syn(
    "Created | Created At | Created On | Create Date | Created Date | "
    "Date Created | Creation Date | Date Added | Added | Added On | "
    "adddate | Add Date | CreateDate | Data de criação | Criado em | "
    "Data de cadastro | Cadastrado em | Data de inclusão | "
    "Fecha de creación | Date de création"
)
S_MODIFIED = _syn(
    "Last Modified | Last Modified Date | Modified | Modified On | "
    "Modified Date | Date Modified | Updated | Updated At | Last Updated | "
    "Last Update | LastUpdateDate | Edit Date | editdate | Data de atualização | "
    "Data de modificação | Atualizado em | Última atualização | "
    "Modificado em | Fecha de modificación | Date de modification"
)
S_REF = _syn(
    "Ref | Reference | Internal Reference | Record ID | ID | External ID | "
    "Customer Code | Customer Number | Account Number | Customer ID | "
    "Código | Código do cliente | Referência | Code | Référence"
)
S_VAT = _syn(
    "VAT | VAT Number | VAT ID | Tax ID | Tax Number | "
    "Tax Identification Number | TIN | EIN | CNPJ | CPF | CNPJ/CPF | "
    "CPF/CNPJ | CNPJ ou CPF | Documento | Inscrição federal | NIF | NIPC | "
    "CIF | RUT | RFC | TVA | Numéro de TVA | SIRET"
)
S_FIRST_NAME = _syn(
    "First Name | Firstname | First | Given Name | Forename | "
    "Primeiro nome | Prenome | Nombre de pila | Prénom"
)
S_LAST_NAME = _syn(
    "Last Name | Lastname | Last | Surname | Family Name | Sobrenome | "
    "Último nome | Apellido | Apellidos | Nom de famille | Nom"
)
S_COMPANY_ORG = _syn(
    "Company | Company Name | Account | Account Name | Organization | "
    "Organisation | Organization Name | Org | Org Name | Business | "
    "Business Name | Employer | Empresa | Nome da empresa | Razão Social | "
    "Nome Fantasia | Cliente | Compañía | Nombre de la empresa | "
    "Razón social | Entreprise | Société"
)
S_FUNCTION = _syn(
    "Job Title | Position | Role | Job Role | Job | Occupation | "
    "Designation | Cargo | Função | Puesto | Poste | Fonction"
)


def _f(name, label, ftype, synonyms=(), virtual=False, relation=None, transform=None):
    return TargetField(
        name, label, ftype, tuple(synonyms), virtual, relation, transform
    )


def _partner_fields(person: bool) -> list[TargetField]:
    own_ids = (
        _syn("Contact ID | Person ID | Contato ID | ID do contato")
        if person
        else _syn("Company ID | Account ID | Organization ID | ID da empresa")
    )
    if person:
        name = _f(
            "name",
            "Contact name",
            "char",
            _syn(
                "Name | Full Name | Contact Name | Contact | Person | Person Name | "
                "Display Name | Nome | Nome completo | Contato | Nome do contato | "
                "Pessoa | Nombre | Nombre completo | Nom complet"
            ),
        )
    else:
        name = _f(
            "name",
            "Company name",
            "char",
            _syn(
                "Name | Company | Company Name | Account | Account Name | "
                "Organization | Organisation | Organization Name | Org | Org Name | "
                "Business Name | Legal Name | Trade Name | Customer | Customer Name | "
                "Razão Social | Nome Fantasia | Nome da empresa | Empresa | Nome | "
                "Cliente | Nombre de la empresa | Razón social | Raison sociale | "
                "Entreprise | Société"
            ),
        )
    fields = [
        name,
        _f("email", "Email", "email", S_EMAIL),
        _f("phone", "Phone", "phone", S_PHONE),
        _f("mobile", "Mobile", "phone", S_MOBILE),
        _f("website", "Website", "char", S_WEBSITE),
        _f("vat", "Tax ID", "char", S_VAT),
        _f("ref", "Reference", "char", S_REF + own_ids),
        _f("street", "Street", "char", S_STREET),
        _f("street2", "Street 2", "char", S_STREET2),
        _f("city", "City", "char", S_CITY),
        _f("zip", "Zip", "char", S_ZIP),
        _f("state_id", "State", "many2one", S_STATE, relation="res.country.state"),
        _f("country_id", "Country", "many2one", S_COUNTRY, relation="res.country"),
    ]
    if person:
        fields.append(
            _f("function", "Job position", "char", S_FUNCTION + ("Title", "Titulo"))
        )
    fields += [
        _f(
            "category_id",
            "Tags",
            "many2many",
            S_TAGS,
            relation="res.partner.category",
        ),
        _f("comment", "Notes", "html", S_NOTES),
        _f("user_id", "Salesperson", "many2one", S_OWNER, relation="res.users"),
    ]
    if not person:
        fields.append(
            _f(
                "industry_id",
                "Industry",
                "many2one",
                _syn(
                    "Industry | Sector | Vertical | Business Type | Setor | Ramo | "
                    "Ramo de atividade | Segmento de mercado | Industria | Secteur"
                ),
                relation="res.partner.industry",
            )
        )
    if person:
        fields += [
            _f("first_name", "First name", "char", S_FIRST_NAME, virtual=True),
            _f("last_name", "Last name", "char", S_LAST_NAME, virtual=True),
            _f(
                "company_name",
                "Company (parent)",
                "char",
                S_COMPANY_ORG,
                virtual=True,
                relation="res.partner",
            ),
            _f(
                "parent_ref",
                "Company (parent) by source id",
                "char",
                _syn(
                    "Parent Company ID | Parent Company Id | Parent ID | ID da empresa pai"
                ),
                virtual=True,
                relation="res.partner",
            ),
            _f(
                "group_names",
                "Groups (tags or sales teams)",
                "char",
                _syn("Groups | Group | Group Names | Contact Groups | Grupos"),
                virtual=True,
            ),
        ]
    # partners have no source field: a "Lead Source" column of contacts is kept
    # in an x_ field (a target here must have a writer on res.partner)
    fields += [
        _f("create_date", "Created on", "datetime", S_CREATED, virtual=True),
        _f("write_date", "Last updated on", "datetime", S_MODIFIED, virtual=True),
    ]
    return fields


def _lead_fields() -> list[TargetField]:
    return [
        _f(
            "name",
            "Opportunity",
            "char",
            _syn(
                "Deal Name | Deal | Deal Title | Opportunity Name | Opportunity | "
                "Lead Name | Lead Title | Title | Subject | Name | Nome do negócio | "
                "Negócio | Oportunidade | Nome da oportunidade | Título | Nome | "
                "Nombre del negocio | Oportunidad | Affaire | Opportunité"
            ),
        ),
        _f(
            "type",
            "Type",
            "selection",
            _syn("Type | Lead Type | Record Type | Tipo | Tipo de registro"),
        ),
        _f("partner_name", "Company name", "char", S_COMPANY_ORG + ("Customer",)),
        _f(
            "contact_name",
            "Contact name",
            "char",
            _syn(
                "Contact | Contact Name | Contact Person | Person | Primary Contact | "
                "Full Name | Contato | Nome do contato | Pessoa | Pessoa de contato | "
                "Contacto | Nombre del contacto"
            ),
        ),
        _f("email_from", "Email", "email", S_EMAIL),
        _f(
            "company_ref",
            "Customer company by source id",
            "char",
            _syn(
                "Company ID | Company Id | Account ID | Organization ID | ID da empresa"
            ),
            virtual=True,
            relation="res.partner",
        ),
        _f(
            "contact_ref",
            "Customer contact by source id",
            "char",
            _syn("Contact ID | Contact Id | Person ID | ID do contato"),
            virtual=True,
            relation="res.partner",
        ),
        _f("first_name", "Contact first name", "char", S_FIRST_NAME, virtual=True),
        _f("last_name", "Contact last name", "char", S_LAST_NAME, virtual=True),
        _f("phone", "Phone", "phone", S_PHONE),
        _f("mobile", "Mobile", "phone", S_MOBILE),
        _f("website", "Website", "char", S_WEBSITE),
        _f(
            "function",
            "Job position",
            "char",
            S_FUNCTION + ("Contact Title", "Cargo do contato"),
        ),
        _f("street", "Street", "char", S_STREET),
        _f("street2", "Street 2", "char", S_STREET2),
        _f("city", "City", "char", S_CITY),
        _f("zip", "Zip", "char", S_ZIP),
        _f("state_id", "State", "many2one", S_STATE, relation="res.country.state"),
        _f("country_id", "Country", "many2one", S_COUNTRY, relation="res.country"),
        _f(
            "expected_revenue",
            "Expected revenue",
            "monetary",
            _syn(
                "Expected Revenue | Amount | Deal Amount | Deal Value | "
                "Opportunity Amount | Value | Revenue | Total | Total Value | Valor | "
                "Valor do negócio | Valor estimado | Valor total | Receita | "
                "Receita esperada | Montante | Monto | Importe | Valor del negocio | "
                "Montant"
            ),
        ),
        _f(
            "probability",
            "Probability",
            "float",
            _syn(
                "Probability | Probability (%) | Win Probability | Deal Probability | "
                "Likelihood | Chance | Probabilidade | Chance de fechamento | "
                "Probabilidad | Probabilité"
            ),
        ),
        _f(
            "stage_id",
            "Stage",
            "many2one",
            _syn(
                "Stage | Deal Stage | Sales Stage | Pipeline Stage | "
                "Opportunity Stage | Lead Stage | Etapa | Etapa do funil | Fase | "
                "Estágio | Étape"
            ),
            relation="crm.stage",
        ),
        _f(
            "team_id",
            "Sales team",
            "many2one",
            _syn(
                "Pipeline | Sales Pipeline | Deal Pipeline | Sales Team | Team | "
                "Funil | Funil de vendas | Equipe | Equipe de vendas | "
                "Time de vendas | Embudo | Équipe"
            ),
            relation="crm.team",
        ),
        _f("user_id", "Salesperson", "many2one", S_OWNER, relation="res.users"),
        _f("tag_ids", "Tags", "many2many", S_TAGS, relation="crm.tag"),
        _f(
            "date_deadline",
            "Expected closing",
            "date",
            _syn(
                "Close Date | Expected Close | Expected Close Date | "
                "Expected Closing | Closing Date | Est. Close Date | "
                "Target Close Date | Deadline | Due Date | Previsão de fechamento | "
                "Data prevista de fechamento | Data de fechamento prevista | Prazo | "
                "Fecha de cierre | Date de clôture"
            ),
        ),
        _f(
            "date_closed",
            "Closed date",
            "datetime",
            _syn(
                "Closed Date | Date Closed | Closed On | Closed At | Closed Time | "
                "Actual Close Date | Data de fechamento | Data de conclusão | "
                "Fechado em"
            ),
        ),
        # a won and a lost moment are two columns of one field: each is the
        # closing date of the deals of its own status (never two writers)
        _f(
            "date_won",
            "Won on (closed date of a won deal)",
            "datetime",
            _syn(
                "Won Date | Won Time | Date Won | Won On | Won At | Data do ganho | "
                "Ganho em | Fecha de ganado"
            ),
            virtual=True,
        ),
        _f(
            "date_lost",
            "Lost on (closed date of a lost deal)",
            "datetime",
            _syn(
                "Lost Date | Lost Time | Date Lost | Lost On | Lost At | "
                "Data da perda | Perdido em | Fecha de perdida"
            ),
            virtual=True,
        ),
        _f("description", "Notes", "html", S_NOTES + ("Deal Description", "Summary")),
        _f(
            "lost_reason_id",
            "Lost reason",
            "many2one",
            _syn(
                "Lost Reason | Loss Reason | Reason Lost | Closed Lost Reason | "
                "Reason | Motivo da perda | Motivo de perda | Razão da perda | "
                "Motivo | Motivo de pérdida | Raison de la perte"
            ),
            relation="crm.lost.reason",
        ),
        _f(
            "priority",
            "Priority",
            "selection",
            _syn(
                "Priority | Rating | Stars | Importance | Prioridade | Estrelas | "
                "Prioridad | Priorité"
            ),
        ),
        _f(
            "status",
            "Won/lost status",
            "selection",
            _syn(
                "Status | Deal Status | Opportunity Status | Won/Lost | Outcome | "
                "Result | State of deal | Situação | Status do negócio | Resultado | "
                "Situación | Statut"
            ),
            virtual=True,
            transform="lead_status",
        ),
        _f(
            "partner_email",
            "Contact email (link to contact)",
            "email",
            _syn(
                "Contact Email | Contact E-mail | Person Email | "
                "Primary Contact Email | Customer Email | Email do contato | "
                "E-mail do contato | Email da pessoa | Correo del contacto"
            ),
            virtual=True,
            relation="res.partner",
        ),
        _f("source_id", "Source", "many2one", S_SOURCE, relation="utm.source"),
        _f("create_date", "Created on", "datetime", S_CREATED, virtual=True),
        _f("write_date", "Last updated on", "datetime", S_MODIFIED, virtual=True),
    ]


TARGETS: dict[str, dict] = {
    "company": {
        "model": "res.partner",
        "label": "Companies",
        "fields": _partner_fields(person=False),
    },
    "contact": {
        "model": "res.partner",
        "label": "Contacts",
        "fields": _partner_fields(person=True),
    },
    "lead": {
        "model": "crm.lead",
        "label": "Leads / opportunities",
        "fields": _lead_fields(),
    },
}


def target_field(target: str, name: str) -> TargetField | None:
    for f in _target(target)["fields"]:
        if f.name == name:
            return f
    return None


def _target(target: str) -> dict:
    try:
        return TARGETS[target]
    except KeyError:
        raise ValueError(
            f"unknown target {target!r}; expected one of {', '.join(TARGETS)}"
        ) from None


# --------------------------------------------------------------------------------------
# header normalisation

STOPWORDS = frozenset(
    "a an the of for to and at in on by de da do das dos del la le les el du des di em "
    "en para por e y et von".split()
)
# header words that tie a column to a family of field types (non-exact matches only)
KEY_TOKENS = {
    "email": {"email"},
    "phone": {"phone", "telephone", "telefone", "mobile", "celular", "cell", "fax"},
    "date": {"date", "data", "fecha", "created", "modified", "updated"},
}
KEY_FAMILY_TYPES = {
    "email": {"email", "many2one"},
    "phone": {"phone"},
    "date": {"date", "datetime"},
}


def _core(norm: str) -> str:
    tokens = [t for t in norm.split() if t not in STOPWORDS]
    return " ".join(tokens) or norm


CONNECTORS = frozenset("de da do das dos del du des di".split())


def _head(norm: str) -> str | None:
    """The head word of a Romance-language header ("Nome do cliente" -> "nome"):
    the word before the first connector; None for other headers."""
    tokens = norm.split()
    for i, tok in enumerate(tokens[1:], start=1):
        if tok in CONNECTORS:
            return tokens[i - 1] if i == 1 else None
    return None


def _weight(weights: Mapping[str, float] | None, token: str) -> float:
    return weights.get(token, 1.0) if weights else 1.0


def _similarity(
    header: str, synonym: str, weights: Mapping[str, float] | None = None
) -> tuple[float, str]:
    """Similarity of two normalised strings, with how it matched. ``weights`` make
    words shared by many fields ("name", "number") count less than specific ones."""
    if not header or not synonym:
        return 0.0, "none"
    if header == synonym:
        return 1.0, "exact"
    hc, sc = _core(header), _core(synonym)
    if hc == sc:
        return 0.97, "exact"
    ht, st = hc.split(), sc.split()
    hs, ss = set(ht), set(st)
    if hs == ss:
        return 0.95, "words"
    ratio = fuzz.ratio(hc, sc) / 100.0
    # a typo changes letters of a word, not whole words: every word must be close
    word_fit = min(max(fuzz.ratio(t, u) / 100.0 for u in ht) for t in st)
    best, how = (ratio**2 if ratio >= 0.85 and word_fit >= 0.75 else ratio**3), "fuzzy"
    if ss < hs:  # all synonym words inside a longer header
        cov = sum(_weight(weights, t) for t in ss) / sum(
            _weight(weights, t) for t in hs
        )
        score = 0.72 + 0.2 * cov
        head = _head(header)
        if head:
            score = score + 0.03 if head in ss else score * 0.75
        if score > best:
            best, how = score, "contains"
    elif hs < ss:  # header is a shorter form of the synonym ("Zip" for "Zip Code")
        cov = sum(_weight(weights, t) for t in hs) / sum(
            _weight(weights, t) for t in ss
        )
        score = 0.62 + 0.25 * cov
        # only when the missing words are generic: "Email" is not "Owner Email"
        if cov >= 0.5 and score > best:
            best, how = score, "part"
    return best, how


# --------------------------------------------------------------------------------------
# columns


@dataclass
class _Col:
    index: int
    name: str
    norm: str
    type: str | None  # None: unknown (header only)
    confidence: float
    values: list[str]
    non_null: int | None
    nulls: int | None
    distinct: int | None
    duplicates: int | None
    details: dict
    label: str = ""  # the header without its own object's prefix (own_header)


def _as_cols(columns: Iterable[Any]) -> list[_Col]:
    cols = []
    for i, c in enumerate(columns or ()):
        if isinstance(c, str):
            cols.append(_Col(i, c, normalize_header(c), None, 0.0, [], *[None] * 4, {}))
            continue
        c = dict(c)
        values: list[str] = []
        for v in c.get("samples") or ():
            if v not in (None, "") and str(v) not in values:
                values.append(str(v))
        for item in c.get("top_values") or ():
            v = item[0] if isinstance(item, list | tuple) else item
            if v not in (None, "") and str(v) not in values:
                values.append(str(v))
        ctype = c.get("type")
        cols.append(
            _Col(
                i,
                str(c.get("name", f"column_{i + 1}")),
                normalize_header(c.get("name", "")),
                ctype,
                float(c.get("confidence") or 0.0),
                values,
                c.get("non_null"),
                c.get("nulls"),
                c.get("distinct"),
                c.get("duplicates"),
                dict(c.get("details") or {}),
            )
        )
    return cols


TYPE_WORDS = {
    "email": "email addresses",
    "phone": "phone numbers",
    "url": "web addresses",
    "date": "dates",
    "datetime": "dates with times",
    "integer": "whole numbers",
    "float": "numbers",
    "money": "money amounts",
    "boolean": "yes/no values",
    "picklist": "a short list of repeated choices",
    "text": "text",
}


def _type_phrase(col: _Col) -> str:
    if col.type is None:
        return ""
    if col.type == "empty":
        return "the column is empty"
    if col.type == "picklist":
        n = len(col.details.get("choices") or ()) or col.distinct
        if not n:
            return "values are choices from a short list"
        return f"values are a short list of {n} choice{'s' if n != 1 else ''}"
    pct = round(col.confidence * 100)
    return f"{pct}% of values are {TYPE_WORDS.get(col.type, col.type)}"


# --------------------------------------------------------------------------------------
# type compatibility

# fmt: off
_FIT = {
    "char": dict(
        text=1, picklist=0.9, integer=0.4, float=0.3, money=0.2, url=0.6,
        email=0.15, phone=0.2, date=0.1, datetime=0.1, boolean=0.3,
    ),
    "text": dict(
        text=1, picklist=0.7, integer=0.3, float=0.3, money=0.3, url=0.5,
        email=0.2, phone=0.2, date=0.2, datetime=0.2, boolean=0.2,
    ),
    "email": dict(email=1, text=0.35, picklist=0.3),
    "phone": dict(phone=1, integer=0.6, text=0.45, float=0.2, picklist=0.3),
    "date": dict(date=1, datetime=0.9, text=0.3, integer=0.1, picklist=0.2),
    "datetime": dict(datetime=1, date=1, text=0.3, integer=0.1, picklist=0.2),
    "float": dict(float=1, money=1, integer=0.9, text=0.3, picklist=0.4),
    "monetary": dict(money=1, float=1, integer=0.9, text=0.3, picklist=0.3),
    "integer": dict(integer=1, float=0.6, money=0.4, text=0.2, picklist=0.4, boolean=0.2),
    "boolean": dict(boolean=1, picklist=0.5, text=0.3, integer=0.3),
    "selection": dict(picklist=1, text=0.6, boolean=0.6, integer=0.6, float=0.3),
    "many2one": dict(
        picklist=1, text=0.9, email=0.3, integer=0.3, url=0.1, float=0.1, boolean=0.1
    ),
    "many2many": dict(picklist=1, text=1, email=0.2, integer=0.2, boolean=0.1),
}
# fmt: on
_FIT["html"] = _FIT["text"]
# field-specific exceptions
_FIT_FIELD = {
    ("website", "url"): 1.0,
    ("user_id", "email"): 1.0,
    ("ref", "integer"): 1.0,
    ("zip", "integer"): 0.9,
    ("vat", "integer"): 0.8,
    ("vat", "picklist"): 0.5,
    ("probability", "integer"): 1.0,
    ("priority", "integer"): 0.9,
    ("country_id", "text"): 1.0,
    ("state_id", "text"): 1.0,
    ("name", "picklist"): 0.6,
    ("comment", "picklist"): 0.4,
    ("description", "picklist"): 0.4,
    ("partner_email", "text"): 0.35,
}


def _type_fit(f: TargetField, col: _Col) -> float:
    if col.type is None:
        return 0.7  # nothing known about the values
    if col.type == "empty":
        return 0.5
    fit = _FIT_FIELD.get((f.name, col.type))
    if fit is None:
        fit = _FIT.get(f.type, {}).get(col.type, 0.0)
    # an unsure inference says less in both directions
    if col.confidence and col.confidence < 0.8:
        fit = fit * col.confidence + 0.5 * (1 - col.confidence)
    return float(fit)


# --------------------------------------------------------------------------------------
# value hints

# fmt: off
STATUS_WORDS = {
    "won", "lost", "open", "closed won", "closed lost", "in progress", "active",
    "ganho", "ganha", "perdido", "perdida", "aberto", "aberta", "em aberto",
    "em andamento", "andamento", "ganado", "abierto", "gagne", "perdu",
    "ouvert", "win", "loss", "pending",
}
LEAD_TYPE_WORDS = {
    "lead", "leads", "opportunity", "opportunities", "oportunidade", "oportunidad",
    "opportunite", "deal",
}
PRIORITY_WORDS = {
    "0", "1", "2", "3", "low", "medium", "normal", "high", "very high", "urgent",
    "baixa", "media", "alta", "muito alta", "urgente", "baja", "haute", "basse",
}
# fmt: on
BR_STATES = set(
    "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO".split()
)
US_STATES = set(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE "
    "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC".split()
)


# fmt: off
SOCIAL_WORDS = {
    "linkedin", "facebook", "twitter", "instagram", "youtube", "github", "tiktok",
    "skype", "social",
}
# fmt: on
SOCIAL_RE = re.compile(
    r"(linkedin|facebook|fb|twitter|x|instagram|youtube|github|tiktok)\.com", re.I
)


def _norm_value(value: Any) -> str:
    text = _strip_accents(str(value or "")).casefold()
    text = re.sub(r"[^a-z0-9@]+", " ", text)
    return " ".join(text.split())


def _share(values: list[str], pred) -> float:
    vals = [v for v in values if v.strip()]
    if not vals:
        return 0.0
    return sum(1 for v in vals if pred(v)) / len(vals)


def _digits(v: str) -> str:
    return re.sub(r"\D", "", v)


_VAT_BR_RE = re.compile(
    r"^\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}$|^\d{3}\.\d{3}\.\d{3}-\d{2}$"
)


def _looks_vat_br(v: str) -> bool:
    """A CNPJ/CPF: in its usual punctuation, or bare digits with valid check digits."""
    v = v.strip()
    if _VAT_BR_RE.match(v):
        return True
    d = _digits(v)
    if d != v.replace(" ", ""):
        return False
    return (len(d) == 14 and br_cnpj.is_valid(d)) or (
        len(d) == 11 and br_cpf.is_valid(d)
    )


def _value_hints(target: str, col: _Col) -> dict[str, tuple[float, str]]:
    """field -> (standalone score, reason) suggested by the values alone."""
    hints: dict[str, tuple[float, str]] = {}
    vals = col.values
    if not vals:
        return hints
    if target == "lead":
        share = _share(vals, lambda v: _norm_value(v) in STATUS_WORDS)
        if share >= 0.8:
            hints["status"] = (0.8, "values look like won/lost/open statuses")
        share = _share(vals, lambda v: _norm_value(v) in LEAD_TYPE_WORDS)
        if share >= 0.8:
            hints["type"] = (0.75, "values look like lead/opportunity types")
    share = _share(vals, _looks_vat_br)
    if share >= 0.8 and col.type not in ("phone", "date", "datetime"):
        hints["vat"] = (0.75, "values look like CNPJ/CPF numbers")
    share = _share(vals, lambda v: country_code(v) is not None)
    if share >= 0.8 and col.type in (None, "text", "picklist"):
        hints["country_id"] = (0.7, "values look like country names or codes")
    codes = {v.strip().upper() for v in vals}
    if (
        codes
        and all(len(c) == 2 for c in codes)
        and _share(vals, lambda v: v.strip().upper() in BR_STATES | US_STATES) >= 0.9
        and not all(country_code(c) is not None for c in codes)
    ):
        hints["state_id"] = (0.6, "values look like state codes")
    if col.type == "email" and col.confidence >= 0.6:
        email_field = "email_from" if target == "lead" else "email"
        hints[email_field] = (
            0.55 + 0.3 * col.confidence,
            "values look like email addresses",
        )
    if col.type == "phone" and col.confidence >= 0.6:
        hints["phone"] = (0.5 + 0.2 * col.confidence, "values look like phone numbers")
    social = SOCIAL_WORDS & set(col.norm.split()) or (
        _share(vals, lambda v: bool(SOCIAL_RE.search(v))) >= 0.5
    )
    if col.type == "url" and col.confidence >= 0.6 and not social:
        hints["website"] = (
            0.55 + 0.3 * col.confidence,
            "values look like web addresses",
        )
    if target == "lead" and col.type == "money" and col.confidence >= 0.8:
        hints["expected_revenue"] = (0.6, "values look like money amounts")
    return hints


def _hint_priority_ok(col: _Col) -> bool:
    return _share(col.values, lambda v: _norm_value(v) in PRIORITY_WORDS) >= 0.8


# --------------------------------------------------------------------------------------
# field proposals

ACCEPT = 0.5  # a column is mapped when its best score reaches this


@dataclass
class _Cand:
    col: int
    field: str
    score: float
    reason: str
    learned: int = 0


def _norm_synonyms(target: str) -> dict[str, list[tuple[str, str]]]:
    cache = _SYN_CACHE.get(target)
    if cache is None:
        cache = {}
        for f in _target(target)["fields"]:
            entries = [(normalize_header(f.name.replace("_id", "")), f.name)]
            entries.append((normalize_header(f.label), f.label))
            entries += [(normalize_header(s), s) for s in f.synonyms]
            seen: set[str] = set()
            cache[f.name] = [e for e in entries if not (e[0] in seen or seen.add(e[0]))]
        _SYN_CACHE[target] = cache
    return cache


_SYN_CACHE: dict[str, dict[str, list[tuple[str, str]]]] = {}


def header_score(target: str, field_name: str, header: str) -> tuple[float, str, str]:
    """Best similarity of ``header`` to a field's name/label/synonyms:
    (score, how, the synonym it matched)."""
    norm = normalize_header(header)
    return _header_score_norm(target, field_name, norm)


def _token_weights(target: str) -> dict[str, float]:
    weights = _WEIGHT_CACHE.get(target)
    if weights is None:
        counts: dict[str, int] = {}
        for entries in _norm_synonyms(target).values():
            tokens = {t for norm, _syn in entries for t in _core(norm).split()}
            for t in tokens:
                counts[t] = counts.get(t, 0) + 1
        weights = {t: 1.0 / n for t, n in counts.items()}
        _WEIGHT_CACHE[target] = weights
    return weights


_WEIGHT_CACHE: dict[str, dict[str, float]] = {}


def _header_score_norm(
    target: str, field_name: str, norm: str
) -> tuple[float, str, str]:
    best = (0.0, "none", "")
    weights = _token_weights(target)
    for syn_norm, syn in _norm_synonyms(target)[field_name]:
        score, how = _similarity(norm, syn_norm, weights)
        if score > best[0]:
            best = (score, how, syn)
    return best


ID_TOKENS = {"id", "uuid", "guid"}
BARE_NAME_WORDS = frozenset({"name", "nome", "nombre", "nom"})


PERSON_NAME_RE = re.compile(
    r"\b(first|last|given|family|middle) name\b|"
    r"\b(surname|sobrenome|apellidos?|prenom|forename)\b"
)
PERSON_NAME_FIELDS = {"first_name", "last_name", "contact_name"}


# words that make a header an attribute of the record, never its name
QUALIFIER_TOKENS = frozenset(
    {"method", "preferred", "preference", "channel", "type", "status", "score"}
)


def _key_penalty(target: str, f: TargetField, norm: str) -> float:
    tokens = set(norm.split())
    if tokens & ID_TOKENS and f.name != "ref":
        return 0.5
    if PERSON_NAME_RE.search(norm) and not (
        f.name in PERSON_NAME_FIELDS or (target == "contact" and f.name == "name")
    ):
        return 0.5  # "First Name" of a deal is not the deal's name
    for family, keys in KEY_TOKENS.items():
        if tokens & keys and f.type not in KEY_FAMILY_TYPES[family]:
            return 0.6
    if f.name == "name" and tokens & QUALIFIER_TOKENS:
        return 0.5  # "Preferred Contact Method" says how, not who
    return 1.0


def _header_reason(col: _Col, f: TargetField, how: str, syn: str, score: float) -> str:
    h = col.name.strip()
    if how == "exact":
        if normalize_header(syn) in (
            normalize_header(f.label),
            normalize_header(f.name),
        ):
            return f"header '{h}' is the field {f.label}"
        return f"header '{h}' is a synonym of {f.label}"
    if how == "words":
        return f"header '{h}' has the same words as '{syn}' ({f.label})"
    if how == "contains":
        return f"header '{h}' contains '{syn}' ({f.label})"
    if how == "part":
        return f"header '{h}' is a short form of '{syn}' ({f.label})"
    return f"header '{h}' is close to '{syn}' ({f.label}, {round(score * 100)}%)"


def _learned_index(learned: Mapping | None, target: str) -> dict[str, dict[str, int]]:
    index: dict[str, dict[str, int]] = {}
    for key, fields in (learned or {}).items():
        if not isinstance(key, tuple | list) or len(key) != 2 or key[0] != target:
            continue
        norm = normalize_header(key[1])
        slot = index.setdefault(norm, {})
        for fname, times in dict(fields or {}).items():
            slot[fname] = slot.get(fname, 0) + int(times or 0)
    return index


def _candidates(target: str, col: _Col, learned: dict[str, int]) -> list[_Cand]:
    cands: list[_Cand] = []
    hints = _value_hints(target, col)
    type_phrase = _type_phrase(col)
    total_learned = sum(learned.values()) or 0
    for f in _target(target)["fields"]:
        hs, how, syn = _header_score_norm(target, f.name, col.norm)
        if how not in ("exact",):
            hs *= _key_penalty(target, f, col.norm)
        if (
            how == "contains"
            and f.name == "name"
            and normalize_header(syn) in BARE_NAME_WORDS
        ):
            hs *= 0.5  # "Spouse Name", "Assistant Name": someone else's name
        if f.name == "website" and "domain" in normalize_header(syn).split():
            hs *= 0.92  # a bare domain is a website only when no URL column is
        fit = _type_fit(f, col)
        if f.name == "name" and col.type == "picklist":
            hs *= 0.6  # a few values repeated over the rows: an attribute, not a name
        reasons = []
        score = 0.0
        if hs >= 0.45:
            score = hs * (0.55 + 0.45 * fit)
            if fit == 0.0 and col.type not in (None, "empty", "text"):
                score = hs * 0.2
            reasons.append(_header_reason(col, f, how, syn, hs))
            if fit == 0.0 and col.type not in (None, "empty"):
                reasons.append(f"but {type_phrase}, which {f.label} cannot hold")
            elif type_phrase:
                reasons.append(type_phrase)
        hint = hints.get(f.name)
        if f.name == "priority" and score and not _hint_priority_ok(col):
            score *= 0.8
        if hint:
            hscore, hreason = hint
            if score >= ACCEPT:
                score = min(0.99, score + 0.05)
                reasons.append(hreason)
            elif hscore > score:
                score = hscore
                reasons = [f"{hreason} (header '{col.name.strip()}' says little)"]
        times = learned.get(f.name, 0)
        if times:
            floor = min(0.99, 0.95 + 0.01 * (times - 1))
            if total_learned and times < total_learned:
                floor = min(floor, 0.6 + 0.35 * times / total_learned)
            if floor > score:
                score = floor
            plural = "s" if times > 1 else ""
            reasons.insert(
                0,
                f"header '{col.name.strip()}' was confirmed as {f.label} "
                f"{times} time{plural} before",
            )
        if score <= 0.0:
            continue
        cands.append(
            _Cand(
                col.index, f.name, round(min(score, 0.99), 3), "; ".join(reasons), times
            )
        )
    return cands


def _slug(text: str) -> str:
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", str(text or ""))
    text = _strip_accents(text).casefold()
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", text)).strip("_")


def make_field_name(
    header: str, taken: Iterable[str] = (), index: int | None = None
) -> str:
    """A valid custom field name for ``header``: ascii, lower, [a-z0-9_], "x_" prefix,
    at most 60 characters, unique among ``taken``."""
    slug = _slug(header)
    if slug.startswith("x_"):
        slug = slug[2:]
    if not slug:
        slug = f"column_{index}" if index is not None else "column"
    name = ("x_" + slug)[:60].rstrip("_")
    taken = set(taken)
    if name in taken:
        n = 2
        while True:
            suffix = f"_{n}"
            cand = name[: 60 - len(suffix)].rstrip("_") + suffix
            if cand not in taken:
                name = cand
                break
            n += 1
    return name


def _is_long_text(col: _Col) -> bool:
    if col.details.get("multiline") or (col.details.get("max_length") or 0) > 120:
        return True
    return any(len(v) > 120 or "\n" in v for v in col.values)


NEW_FIELD_TYPES = {
    "empty": ("char", "text"),
    "text": ("char", "text"),
    "email": ("char", "email"),
    "phone": ("char", "phone"),
    "url": ("char", "text"),
    "picklist": ("selection", "text"),
    "integer": ("integer", "int"),
    "float": ("float", "float"),
    "money": ("float", "money"),
    "date": ("date", "date"),
    "datetime": ("datetime", "datetime"),
    "boolean": ("boolean", "bool"),
}


NEW_FIELD_CONFIDENCE = 0.8
MIXED_WORDS = 0.05  # a number or date column with this share of words is text
TYPED_NEW_FIELDS = frozenset(
    {"integer", "float", "money", "date", "datetime", "boolean"}
)


def _new_field(col: _Col, taken: set[str], name: str | None = None) -> tuple[dict, str]:
    label = col.label or col.name.strip()
    ftype, transform = NEW_FIELD_TYPES.get(col.type or "text", ("char", "text"))
    mixed = None
    words = col.details.get("word_share", 0.0)
    if col.type in TYPED_NEW_FIELDS and words >= MIXED_WORDS:
        # a typed field would lose the words among the numbers or dates (other
        # misfits, typos or partial dates, stay typed and are each reviewed)
        mixed = (
            f"{round(words * 100)}% of its values are words, not {col.type} "
            "values, so it is kept as text with every value"
        )
        ftype, transform = "char", "text"
    if ftype == "char" and col.type in (None, "text") and _is_long_text(col):
        ftype = "text"
    name = name or make_field_name(label, taken, col.index + 1)
    taken.add(name)
    new = {"name": name, "type": ftype, "label": label or name}
    if mixed:
        new["mixed"] = mixed
    if ftype == "selection":
        choices = col.details.get("choices") or col.values
        new["selection"] = [str(c) for c in choices][:50]
    return new, transform


def new_field_for(
    header: str,
    inferred_type: str | None = None,
    taken: Iterable[str] = (),
    column: Mapping | None = None,
) -> dict:
    """The custom field proposed for a column: ``{"name": "x_...", "type", "label"}``
    (plus ``"selection"`` for picklists when the profile ``column`` is given).
    ``inferred_type`` is the profile's type; a profile ``column`` dict, when given,
    also decides char vs long text and supplies the choices."""
    data = dict(column or {})
    data["name"] = header
    if inferred_type is not None or "type" not in data:
        data["type"] = inferred_type
    (col,) = _as_cols([data])
    new, _transform = _new_field(col, set(taken))
    return new


def _transform_for(f: TargetField, col: _Col) -> str:
    if f.name == "vat":
        if re.search(r"\b(cnpj|cpf)\b", col.norm) or (
            col.values and _share(col.values, _looks_vat_br) >= 0.8
        ):
            return "vat_br"
        return "text"
    return f.default_transform


def propose_fields(
    target: str, columns: Iterable[Any], learned: Mapping | None = None
) -> list[FieldProposal]:
    """One proposal per column, in column order. ``columns`` are profile column dicts
    (``profile_table(...)["columns"]``) or bare header strings."""
    tdef = _target(target)
    fields = {f.name: f for f in tdef["fields"]}
    cols = _as_cols(columns)
    lidx = _learned_index(learned, target)
    per_col: list[list[_Cand]] = []
    for col in cols:
        per_col.append(_own_candidates(target, col, lidx.get(col.norm, {})))

    # greedy assignment: pairs a person confirmed before (learned) first, then the
    # best score; earlier columns and earlier fields win remaining ties
    forder = {name: i for i, name in enumerate(fields)}
    pool = [c for cands in per_col for c in cands if c.score >= ACCEPT]
    pool.sort(key=lambda c: (-c.learned, -c.score, c.col, forder[c.field]))
    chosen: dict[int, _Cand] = {}
    used: dict[str, int] = {}
    _assign(pool, chosen, used, target)
    if _fix_first_name(cols, chosen, used, pool):
        _assign(pool, chosen, used, target)  # "name" is free again

    taken: set[str] = set()
    proposals: list[FieldProposal] = []
    for col, cands in zip(cols, per_col, strict=True):
        cands = sorted(cands, key=lambda c: (-c.score, forder[c.field]))
        pick = chosen.get(col.index)
        alts = [
            {"field": c.field, "confidence": c.score}
            for c in cands
            if (pick is None or c.field != pick.field) and c.score >= 0.3
        ][:3]
        learned_custom = _learned_custom(lidx.get(col.norm, {}), fields)
        if pick is not None:
            f = fields[pick.field]
            reason = pick.reason
            best_any = cands[0] if cands else None
            if best_any and best_any.field != pick.field and best_any.field in used:
                other = cols[used[best_any.field]].name.strip()
                reason += f"; {fields[best_any.field].label} went to '{other}'"
            proposals.append(
                FieldProposal(
                    col.name, f.name, pick.score, reason, _transform_for(f, col), alts
                )
            )
            continue
        if learned_custom:
            name, times = learned_custom
            new, transform = _new_field(col, taken, name)
            plural = "s" if times > 1 else ""
            proposals.append(
                FieldProposal(
                    col.name,
                    None,
                    round(min(0.99, 0.95 + 0.01 * (times - 1)), 3),
                    f"header '{col.name.strip()}' was confirmed as custom field "
                    f"{name} {times} time{plural} before",
                    transform,
                    alts,
                    new,
                )
            )
            continue
        new, transform = _new_field(col, taken)
        best = cands[0] if cands else None
        if best and best.score >= ACCEPT and best.field in used:
            other = cols[used[best.field]].name.strip()
            reason = (
                f"{fields[best.field].label} fits better to column '{other}'; "
                f"no other field fits, so a new {new['type']} field {new['name']} is proposed"
            )
            conf = round(min(0.3, best.score / 3), 3)
        else:
            reason = f"no field of {tdef['label']} matches header '{col.name.strip()}'"
            phrase = _type_phrase(col)
            if phrase:
                reason += f" ({phrase})"
            reason += f"; a new {new['type']} field {new['name']} is proposed"
            if new.get("mixed"):
                reason += f" ({new['mixed']})"
            # keeping an unmatched column whole in its own field loses nothing: a
            # sure proposal, unless a standard field came close (a person decides)
            near = best.score if best else 0.0
            conf = NEW_FIELD_CONFIDENCE if near < 0.3 else round(min(0.3, near / 2), 3)
        proposals.append(
            FieldProposal(col.name, None, conf, reason, transform, alts, new)
        )
    return proposals


# words that name a target's own rows in an "Object - Field" header
# ("Organization - Name" in a companies file); a pipeline names no row
OWN_PREFIX_RE = re.compile(r"^\s*([^-–—:|]+?)\s*(?:\s[-–—|]\s|:\s*)\s*(\S.*)$")


def own_header(target: str, header: str) -> str | None:
    """The header without a prefix naming the file's own object, the way
    exports write "Object - Field": ``"Person - Referral Source"`` of a contacts
    file -> ``"Referral Source"``, ``"Organization - Name"`` of companies ->
    ``"Name"``, ``"Deal - Won time"`` of deals -> ``"Won time"``. None when the
    header has no such prefix (``"Organization"``, ``"Deal - ID"`` of a
    contacts file, ``"E-mail"``: a hyphen inside a word is no separator).

    >>> own_header("company", "Organization - Customer Tier")
    'Customer Tier'
    >>> own_header("contact", "Organization - Name") is None
    True
    """
    m = OWN_PREFIX_RE.match(str(header or ""))
    if not m:
        return None
    prefix = _norm_value(m.group(1))
    nouns = NAME_KEYWORDS.get(target, ()) if target in NAME_KEYWORDS else ()
    if prefix in nouns and prefix not in NOT_OWN_NOUNS:
        return m.group(2).strip()
    return None


NOT_OWN_NOUNS = frozenset({"pipeline", "pipelines", "funil"})


def _own_candidates(target: str, col: _Col, learned: dict[str, int]) -> list[_Cand]:
    """A column's candidates, read from its whole header and from the header
    without its own object's prefix: each field keeps the better score."""
    cands = _candidates(target, col, learned)
    own = own_header(target, col.name)
    if not own:
        return cands
    col.label = own
    bare = replace(col, norm=normalize_header(own))
    best = {c.field: c for c in cands}
    for cand in _candidates(target, bare, learned):
        if cand.field not in best or cand.score > best[cand.field].score:
            best[cand.field] = cand
    return list(best.values())


def _learned_custom(learned: dict[str, int], fields: dict) -> tuple[str, int] | None:
    custom = [
        (n, t) for n, t in learned.items() if n.startswith("x_") and n not in fields
    ]
    if not custom:
        return None
    custom.sort(key=lambda x: -x[1])
    if custom[0][1] < max(learned.values()):
        return None
    return custom[0]


# fields that write the same Odoo value: a column given one of them keeps the
# others from every other column ("First Name" + "Last Name" compose the contact's
# name, so a "Spouse Name" can never also be the name)
CONFLICTS = {
    "contact": {
        "name": {"first_name", "last_name"},
        "first_name": {"name"},
        "last_name": {"name"},
    },
    "lead": {
        "contact_name": {"first_name", "last_name"},
        "first_name": {"contact_name"},
        "last_name": {"contact_name"},
    },
}


def conflicting_fields(target: str, field: str) -> set[str]:
    """The fields of ``target`` that may not take a column once ``field`` has one."""
    return {field} | CONFLICTS.get(target, {}).get(field, set())


def _assign(
    pool: list[_Cand], chosen: dict[int, _Cand], used: dict[str, int], target=""
):
    for cand in pool:
        if cand.col in chosen or cand.field in used:
            continue
        if any(
            o in used for o in conflicting_fields(target, cand.field) - {cand.field}
        ):
            continue
        chosen[cand.col] = cand
        used[cand.field] = cand.col


def _fix_first_name(cols, chosen, used, pool=()) -> bool:
    """A plain "Nome"/"Name" next to a last-name column is the first name."""
    has_last = "last_name" in used or any(
        c.field == "last_name" and c.col not in chosen for c in pool
    )
    if not has_last or "first_name" in used or "name" not in used:
        return False
    col = cols[used["name"]]
    if col.norm not in BARE_NAME_WORDS:
        return False
    cand = chosen[col.index]
    if cand.learned:  # a person confirmed it as the full name
        return False
    del used["name"]
    chosen[col.index] = _Cand(
        col.index,
        "first_name",
        cand.score,
        f"header '{col.name.strip()}' next to a last-name column means the first name",
        cand.learned,
    )
    used["first_name"] = col.index
    return True


# --------------------------------------------------------------------------------------
# object proposal

# fmt: off
NAME_KEYWORDS = {
    "company": {
        "companies", "company", "empresas", "empresa", "accounts", "account",
        "organizations", "organization", "organisations", "organisation", "orgs", "org",
        "businesses", "firms", "entreprises", "societes", "companias", "cuentas", "contas",
        "organizacoes", "clientes pj",
    },
    "contact": {
        "contacts", "contact", "contatos", "contato", "contactos", "people", "persons",
        "person", "pessoas", "pessoa", "individuals", "personas", "personnes",
    },
    "lead": {
        "leads", "lead", "deals", "deal", "negocios", "negocio", "oportunidades",
        "oportunidade", "opportunities", "opportunity", "pipeline", "pipelines", "funil",
        "prospects", "prospect", "affaires", "opportunites", "tratos",
    },
}
# fmt: on
TARGET_WORDS = {
    "company": "companies",
    "contact": "contacts (people)",
    "lead": "leads / opportunities",
}
# fmt: off
SIGNALS = {
    "lead": (
        "expected_revenue", "stage_id", "probability", "status", "date_deadline",
        "date_closed", "team_id", "lost_reason_id",
    ),
    "contact": ("first_name", "last_name", "function"),
}
# fmt: on
COMPANY_SIGNAL_HEADERS = {
    normalize_header(h)
    for h in (
        "Industry",
        "Sector",
        "Setor",
        "Ramo de atividade",
        "Employees",
        "Number of Employees",
        "No. of Employees",
        "Employee Count",
        "Funcionários",
        "Número de funcionários",
        "Annual Revenue",
        "Faturamento",
        "Faturamento anual",
        "Razão Social",
        "Nome Fantasia",
        "CNPJ",
        "Company Name",
        "Account Name",
        "Inscrição Estadual",
        "Inscrição Municipal",
        "Ticker",
        "Legal Name",
        "Organization Name",
        "Org Name",
        "Tax ID",
        "VAT",
        "VAT Number",
        "Domain",
        "Company Domain",
        "SIC Code",
        "NAICS",
    )
}


def _name_targets(table_name: str) -> tuple[set[str], str]:
    base = str(table_name or "")
    base = base.replace("\\", "/").split("/")[-1]
    base = re.sub(r"\.(csv|tsv|txt|xlsx|xlsm|xls|json|zip)\b", " ", base, flags=re.I)
    norm = _norm_value(base.replace("_", " "))
    tokens = norm.split()
    found = set()
    for target, words in NAME_KEYWORDS.items():
        for w in words:
            if " " in w:
                if w in norm:
                    found.add(target)
            elif w in tokens:
                found.add(target)
    if not found:  # glued words: "crmcontacts2024"
        glued = norm.replace(" ", "")
        for target, words in NAME_KEYWORDS.items():
            if any(len(w) >= 5 and w.replace(" ", "") in glued for w in words):
                found.add(target)
    return found, str(table_name or "")


def propose_object(table_name: str, columns: Iterable[Any]) -> ObjectProposal:
    """Which target a table holds, from its name and its columns."""
    cols = _as_cols(columns)
    from_name, shown = _name_targets(table_name)
    signals: dict[str, list[str]] = {t: [] for t in TARGETS}
    for target, fnames in SIGNALS.items():
        for col in cols:
            for fname in fnames:
                hs, how, _syn = _header_score_norm(target, fname, col.norm)
                if hs >= 0.9 and how in ("exact", "words"):
                    signals[target].append(col.name.strip())
                    break
    for col in cols:
        vat_like = col.values and _share(col.values, _looks_vat_br) >= 0.8
        if (
            col.norm in COMPANY_SIGNAL_HEADERS
            or re.search(r"\bcnpj\b", col.norm)
            or (vat_like and any(len(_digits(v)) == 14 for v in col.values))
        ):
            signals["company"].append(col.name.strip())
    person = bool(signals["contact"])
    col_score = {t: 1 - 0.5 ** len(set(s)) for t, s in signals.items()}
    if person:
        col_score["company"] *= 0.3
    if signals["lead"]:
        col_score["contact"] *= 0.6
        col_score["company"] *= 0.6
    total = {}
    for t in TARGETS:
        if from_name:
            total[t] = 0.6 * (t in from_name) / len(from_name) + 0.4 * col_score[t]
        else:
            total[t] = 0.85 * col_score[t]
    if not any(total.values()):
        # nothing to go on: people files usually have an email column
        has_email = any(c.type == "email" or "email" in c.norm.split() for c in cols)
        fallback = "contact" if has_email else "company"
        total[fallback] = 0.3
    ranked = sorted(TARGETS, key=lambda t: (-total[t], list(TARGETS).index(t)))
    best, second = ranked[0], ranked[1]
    conf = max(0.05, min(0.99, total[best] - 0.25 * total[second]))
    parts = []
    if best in from_name:
        parts.append(f"file name '{shown}' suggests {TARGET_WORDS[best]}")
    elif from_name:
        names = ", ".join(TARGET_WORDS[t] for t in sorted(from_name))
        parts.append(f"file name '{shown}' suggests {names}, but the columns disagree")
    if signals[best]:
        cols_txt = ", ".join(f"'{c}'" for c in dict.fromkeys(signals[best]))
        kind = {"lead": "deal", "contact": "person", "company": "company"}[best]
        parts.append(f"columns {cols_txt} look like {kind} fields")
    if best == "company" and not person:
        parts.append("no person-name columns")
    if not parts:
        parts.append(
            "nothing in the file name or columns points elsewhere; "
            f"{TARGET_WORDS[best]} is the safest guess"
        )
    alternatives = [
        {"target": t, "confidence": round(total[t], 3)}
        for t in ranked[1:]
        if total[t] > 0
    ]
    return ObjectProposal(best, round(conf, 3), "; ".join(parts), alternatives)


# --------------------------------------------------------------------------------------
# key proposal

ID_WORDS = {"id", "uid", "uuid", "guid", "key", "codigo", "code", "number"}
# fmt: off
FOREIGN_WORDS = {
    "company": {"contact", "person", "deal", "lead", "owner", "user", "parent", "stage", "pipeline", "opportunity"},
    "contact": {"company", "account", "org", "organization", "deal", "lead", "owner", "user", "parent", "stage", "pipeline", "empresa", "opportunity"},
    "lead": {"company", "account", "organization", "contact", "person", "owner", "user", "stage", "pipeline", "empresa", "team"},
}
# fmt: on
# fmt: off
OWN_WORDS = {
    "company": {"company", "account", "organization", "empresa", "record"},
    "contact": {"contact", "person", "people", "record", "contato", "pessoa"},
    "lead": {"lead", "deal", "opportunity", "record", "negocio", "oportunidade"},
}
# fmt: on


def _id_rank(target: str, col: _Col) -> int | None:
    tokens = col.norm.split()
    if not tokens or not (set(tokens) & ID_WORDS) or len(tokens) > 3:
        return None
    if tokens[0] not in ID_WORDS and tokens[-1] not in ID_WORDS:
        return None
    if set(tokens) & FOREIGN_WORDS[target]:
        return None
    if col.norm in ("id", "record id", "external id", "codigo", "uid", "uuid", "guid"):
        return 0
    if set(tokens) & OWN_WORDS[target]:
        return 0
    if tokens[-1] == "number" and len(tokens) == 1:
        return 2
    return 1


def propose_key(target: str, columns: Iterable[Any]) -> tuple[str | None, str]:
    """(column, reason): the column that identifies a row across runs."""
    _target(target)
    cols = _as_cols(columns)
    ranked = []
    rejected = []
    for col in cols:
        rank = _id_rank(target, col)
        if rank is None:
            continue
        if col.non_null is None:
            ranked.append((rank, col.index, col, "values not checked"))
            continue
        if col.non_null == 0:
            rejected.append(f"'{col.name.strip()}' is empty")
            continue
        if col.nulls:
            rejected.append(f"'{col.name.strip()}' has {col.nulls} blank values")
            continue
        dups = col.duplicates
        if dups is None and col.distinct is not None:
            dups = col.non_null - col.distinct
        if dups:
            rejected.append(f"'{col.name.strip()}' has {dups} duplicate values")
            continue
        ranked.append(
            (rank, col.index, col, f"all {col.non_null} values are distinct and filled")
        )
    if ranked:
        ranked.sort(key=lambda r: (r[0], r[1]))
        _, _, col, why = ranked[0]
        return col.name, f"'{col.name.strip()}' is an id-like column; {why}"
    checked = f" ({'; '.join(rejected)})" if rejected else ""
    if target == "contact":
        emails = [
            c
            for c in cols
            if c.type == "email"
            or _header_score_norm("contact", "email", c.norm)[0] >= 0.9
        ]
        emails.sort(key=lambda c: (c.type != "email", c.index))
        if emails:
            col = emails[0]
            extra = []
            if col.nulls:
                extra.append(f"{col.nulls} rows without an email go to review")
            if col.duplicates:
                extra.append(
                    f"{col.duplicates} duplicate emails are merged or reviewed"
                )
            tail = f" ({'; '.join(extra)})" if extra else ""
            return col.name, (
                f"no unique id column{checked}; contacts are matched by their email "
                f"'{col.name.strip()}'{tail}"
            )
    return None, (
        f"no id-like column with distinct, filled values{checked}; "
        "choose a key column or a compound key before loading"
    )


# --------------------------------------------------------------------------------------
# value proposals

CREATABLE_KINDS = {
    "stage",
    "tag",
    "team",
    "lost_reason",
    "source",
    "category",
    "industry",
}
FUZZY_CUTOFF = 85


def _cand_entries(candidates: Any) -> list[tuple[Any, list[str]]]:
    entries: list[tuple[Any, list[str]]] = []
    if isinstance(candidates, Mapping):
        for key, val in candidates.items():
            labels = list(val) if isinstance(val, list | tuple | set) else [val]
            entries.append(
                (key, [str(v) for v in labels if v not in (None, "", False)])
            )
        return entries
    for c in candidates or ():
        if isinstance(c, str):
            entries.append((c, [c]))
        elif isinstance(c, Mapping):
            target = c.get("id", c.get("code", c.get("name")))
            labels = [
                str(c[k])
                for k in (
                    "name",
                    "display_name",
                    "complete_name",
                    "login",
                    "email",
                    "code",
                )
                if c.get(k) not in (None, "", False)
            ]
            labels += [str(a) for a in c.get("aliases") or () if a]
            entries.append((target, labels))
        elif isinstance(c, list | tuple) and c:
            labels = [str(x) for x in c[1:] if x not in (None, "", False)] or [
                str(c[0])
            ]
            entries.append((c[0], labels))
    return entries


def _fuzzy(a: str, b: str) -> float:
    return max(
        fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b), 0.8 * fuzz.token_set_ratio(a, b)
    )


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def propose_values(
    kind: str, source_values: Iterable[Any], candidates: Any
) -> list[ValueProposal]:
    """Match distinct source values (stages, owners, tags, teams, countries, lost
    reasons...) to existing records. ``candidates``: strings, ``{id: label or
    [labels]}``, dicts with ``id`` and ``name``/``login``/``email``/``code``/``aliases``,
    or tuples ``(id, label, ...)``. The proposal's ``target`` is the candidate id (the
    string itself for plain strings)."""
    entries = _cand_entries(candidates)
    norm_entries = [
        (t, lab, _norm_value(lab)) for t, labels in entries for lab in labels
    ]
    creatable = kind in CREATABLE_KINDS
    none_reason = f"no existing {kind} matches; " + (
        "a new one will be created" if creatable else "it will be left for review"
    )
    out: list[ValueProposal] = []
    seen: set[str] = set()
    for item in source_values or ():
        value = item[0] if isinstance(item, list | tuple) else item
        if value is None:
            continue
        value = str(value).strip()
        if not value or value in seen:
            continue
        seen.add(value)
        nv = _norm_value(value)
        exact = [(t, lab) for t, lab, nl in norm_entries if nl == nv and nv]
        if not exact and _EMAIL_RE.match(value):
            exact = [
                (t, lab)
                for t, lab, _nl in norm_entries
                if lab.strip().casefold() == value.casefold()
            ]
        if exact:
            t, lab = exact[0]
            out.append(
                ValueProposal(
                    value,
                    t,
                    1.0,
                    f"'{value}' matches existing {kind} '{lab}' exactly",
                    lab,
                )
            )
            continue
        if kind == "country":
            prop = _country_alias(value, nv, norm_entries)
            if prop:
                out.append(prop)
                continue
        if kind in ("owner", "user") and _EMAIL_RE.match(value):
            prop = _owner_by_local_part(value, norm_entries)
            out.append(prop or ValueProposal(value, None, 0.0, none_reason))
            continue
        best = None
        if len(nv) >= 3:
            for t, lab, nl in norm_entries:
                if len(nl) < 3:
                    continue
                score = _fuzzy(nv, nl)
                if best is None or score > best[0]:
                    best = (score, t, lab)
        if best and best[0] >= FUZZY_CUTOFF:
            score, t, lab = best
            out.append(
                ValueProposal(
                    value,
                    t,
                    round(score / 100, 3),
                    f"'{value}' is close to existing {kind} '{lab}' ({round(score)}%)",
                    lab,
                )
            )
        else:
            out.append(ValueProposal(value, None, 0.0, none_reason))
    return out


def _country_alias(value, nv, norm_entries) -> ValueProposal | None:
    code = country_code(value)
    if not code:
        return None
    for t, lab, nl in norm_entries:
        if nl == code.casefold() or country_code(lab) == code:
            return ValueProposal(
                value,
                t,
                0.97,
                f"'{value}' is a known name of country '{lab}' ({code})",
                lab,
            )
    return None


def _owner_by_local_part(value, norm_entries) -> ValueProposal | None:
    local = value.split("@", 1)[0]
    words = [w for w in re.split(r"[._\-+]+", _strip_accents(local).casefold()) if w]
    if not words:
        return None
    hits = {}
    for t, lab, nl in norm_entries:
        if "@" in lab:
            continue
        tokens = nl.split()
        if tokens and tokens[: len(words)] == words:
            hits[t] = lab
    if len(hits) == 1:
        ((t, lab),) = hits.items()
        return ValueProposal(
            value,
            t,
            0.7,
            f"no user has the login '{value}'; its name part matches user '{lab}'",
            lab,
        )
    return None
