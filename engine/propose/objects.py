"""Object proposal: which target a file (table) holds, from its name and headers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..core.headers import normalize_header
from .catalogue import TARGETS
from .headers import _as_cols
from .hints import _digits, _looks_vat_br, _norm_value, _share
from .scoring import _header_score_norm


@dataclass
class ObjectProposal:
    target: str
    confidence: float
    reason: str
    alternatives: list[dict] = field(default_factory=list)
    # a custom object of the source (memberships, enrolments): each row a record
    # of a model of its own, linked to the contact ``link_column`` names
    custom_object: bool = False
    link_column: str | None = None

    @property
    def model(self) -> str:
        return TARGETS[self.target]["model"]

    def as_dict(self) -> dict:
        return asdict(self)


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
