"""The target catalogue: real Odoo 18 field names per target (virtual ones are
resolved by the loader), with their labels, types and header synonyms."""

from __future__ import annotations

from ..core import targets as registry
from .proposals import TargetField
from .synonyms import (
    S_CITY,
    S_COMPANY_ORG,
    S_COUNTRY,
    S_CREATED,
    S_EMAIL,
    S_FIRST_NAME,
    S_FUNCTION,
    S_LAST_NAME,
    S_MOBILE,
    S_MODIFIED,
    S_NOTES,
    S_OWNER,
    S_PHONE,
    S_REF,
    S_SOURCE,
    S_STATE,
    S_STREET,
    S_STREET2,
    S_TAGS,
    S_VAT,
    S_WEBSITE,
    S_ZIP,
    _syn,
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


# the field catalogue of the targets a person maps; their model and label come
# from the one registry of targets (engine.core.targets)
_FIELDS = {
    "company": lambda: _partner_fields(person=False),
    "contact": lambda: _partner_fields(person=True),
    "lead": _lead_fields,
}
TARGETS: dict[str, dict] = {
    key: {
        "model": registry.TARGETS[key].model,
        "label": registry.TARGETS[key].label,
        "fields": _FIELDS[key](),
    }
    for key in registry.mapped()
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
