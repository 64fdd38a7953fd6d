"""The proposals' data classes and the field type -> transform table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
