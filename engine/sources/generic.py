"""Generic source: any CSV / TSV / TXT / XLSX file, a zip of them, or a folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .base import Source, iter_inputs, register

HINT_MIN_CONFIDENCE = 0.5
# columns this sure of a company, contact or lead outweigh a file's name
NAME_OVERRIDE_CONFIDENCE = 0.8
# names that say too little about the rows (a 'users.csv' may list customers)
NOT_BY_NAME = frozenset({"user"})


@register
class GenericSource(Source):
    system = "generic"
    label = "Generic files (CSV / XLSX / zip)"

    def tables(self, path_or_files: Any) -> list:
        from .. import readers

        if isinstance(path_or_files, str | Path) and Path(path_or_files).is_dir():
            return readers.iter_dir(path_or_files)
        if isinstance(path_or_files, str | Path) and not Path(path_or_files).exists():
            raise readers.ReadError(str(path_or_files), "no such file or folder")
        tables = []
        for name, data, path in iter_inputs(path_or_files):
            if path is not None and Path(path).is_dir():
                tables += readers.iter_dir(path)
            elif path is not None:
                tables += readers.open_tables(name, path=path)
            else:
                tables += readers.open_tables(name, data=data)
        return tables

    def object_hint(self, table) -> str | None:
        proposal = self.object_proposal(table)
        if proposal.confidence >= NAME_OVERRIDE_CONFIDENCE:
            return proposal.target  # the columns say companies, contacts or deals
        named = converted_kind(getattr(table, "object_name", None) or table.name)
        if named:
            return named
        return proposal.target if proposal.confidence >= HINT_MIN_CONFIDENCE else None


def converted_kind(name: str) -> str | None:
    """The converted object (engine.records) a file's name says it holds:
    ``notes.csv`` -> ``note``, ``Tasks.xlsx`` -> ``activity``, ``email templates``
    -> ``template``; None for anything else (companies, contacts and deals are
    recognised by the proposer from their columns)."""
    from .. import records
    from ..plan import canonical

    stem = re.sub(r"[^a-z]+", " ", Path(str(name)).stem.lower()).strip()
    if not stem:
        return None
    kind = canonical(stem.replace(" ", "_"))
    kind = records.HINT_TARGETS.get(kind, kind)
    return kind if kind in records.CONVERTED and kind not in NOT_BY_NAME else None
