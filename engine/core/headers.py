"""Header spellings: how two headers are compared.

:func:`normalize_header` gives the words of a header ("E-Mail Addr." -> "email
address"), :func:`header_key` a compact key ("Contact Id" -> "contactid"). Every
part of the engine compares headers through these two, so a spelling rule added
here holds everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# abbreviations and spelling variants, expanded before comparing (both sides)
ABBREVIATIONS = {
    "tel": "telephone",
    "tels": "telephone",
    "ph": "phone",
    "fone": "telefone",
    "cel": "celular",
    "mob": "mobile",
    "addr": "address",
    "adr": "address",
    "co": "company",
    "comp": "company",
    "cia": "companhia",
    "org": "organization",
    "orgs": "organization",
    "organisation": "organization",
    "dt": "data",
    "dta": "data",
    "vlr": "valor",
    "vl": "valor",
    "amt": "amount",
    "resp": "responsavel",
    "desc": "description",
    "descr": "description",
    "obs": "observacoes",
    "observacao": "observacoes",
    "num": "number",
    "nr": "number",
    "nro": "numero",
    "qty": "quantity",
    "qtd": "quantidade",
    "cod": "codigo",
    "prob": "probability",
    "pct": "percent",
    "mgr": "manager",
    "rep": "representative",
    "est": "estimated",
    "exp": "expected",
    "www": "website",
    "zipcode": "zip code",
    "postcode": "postal code",
    "firstname": "first name",
    "lastname": "last name",
    "fullname": "full name",
    "cellphone": "cell phone",
    "createdate": "create date",
    "createdat": "created at",
    "adddate": "date added",
    "lastupdatedate": "last update date",
    "street2": "street 2",
    "addr1": "address 1",
    "addr2": "address 2",
    "phone1": "phone 1",
    "phone2": "phone 2",
    "email1": "email 1",
}


def _strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def normalize_header(header: Any) -> str:
    """Canonical form of a header: "  E-Mail Addr. " -> "email address",
    "Dt Criação" -> "data criacao", "FirstName" -> "first name"."""
    text = str(header or "")
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    text = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z]{2})", " ", text)
    text = _strip_accents(text).casefold()
    text = text.replace("%", " percent ").replace("#", " number ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    tokens = text.split()
    merged: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "e" and i + 1 < len(tokens) and tokens[i + 1] in ("mail", "mails"):
            merged.append("email")
            i += 2
            continue
        merged.extend(ABBREVIATIONS.get(tok, tok).split())
        i += 1
    return " ".join(merged)


@lru_cache(maxsize=8192)
def norm_header(header: str) -> str:
    """:func:`normalize_header`, cached (headers repeat on every row)."""
    return normalize_header(header)


def header_key(header: Any) -> str:
    """Comparison key of a header: accents, case, spaces and punctuation removed,
    ``#`` read as "number": ``"Contact Id"``, ``"contact_id"`` -> ``"contactid"``."""
    text = unicodedata.normalize("NFKD", str(header or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("#", "number")
    return re.sub(r"[^a-z0-9]+", "", text)
