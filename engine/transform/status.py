"""Lead status words (won / lost / open) in several languages."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..core.errors import TransformError
from .text import _blank, _show

# ---------------------------------------------------------------------- lead status


def _words(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_STATUS_PHRASES = {
    "won": {
        "won",
        "win",
        "ganho",
        "ganha",
        "ganhou",
        "vendido",
        "vendida",
        "closed won",
        "fechado ganho",
        "fechada ganha",
        "sucesso",
        "success",
        "sold",
        "converted",
        "convertido",
    },
    "lost": {
        "lost",
        "lose",
        "perdido",
        "perdida",
        "perdeu",
        "closed lost",
        "fechado perdido",
        "fechada perdida",
        "cancelado",
        "cancelada",
        "canceled",
        "cancelled",
        "descartado",
        "descartada",
        "abandoned",
        "abandonado",
        "abandonada",
    },
    "open": {
        "open",
        "opened",
        "aberto",
        "aberta",
        "em aberto",
        "em andamento",
        "andamento",
        "in progress",
        "active",
        "ativo",
        "ativa",
        "new",
        "novo",
        "nova",
        "pending",
        "pendente",
        "working",
        "em negociacao",
        "negociacao",
        "em progresso",
    },
}


def to_lead_status(value: Any) -> str | None:
    """``"Closed Won"``/``"Ganho"`` -> ``"won"``, ``"Perdido"`` -> ``"lost"``, ``"Em andamento"`` -> ``"open"``."""
    if _blank(value):
        return None
    words = _words(str(value))
    for status, phrases in _STATUS_PHRASES.items():
        if words in phrases:
            return status
    tokens = set(words.split())
    hits = {
        s
        for s, phrases in _STATUS_PHRASES.items()
        if tokens & {p for p in phrases if " " not in p}
    }
    if len(hits) == 1:
        return hits.pop()
    raise TransformError(
        f"{_show(value)} is not a known lead status (won, lost or open)"
    )
