"""Sources: one class per system that turns exports (or API pulls) into tables.

A source knows where its tables come from and which target each table most likely
holds; everything after that (profile, proposals, transforms) is shared. Register a
source with ``@register``; ``get_source("generic")`` imports ``engine.sources.generic``
on first use, so a new system is one new module.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..convert import convert as convert_row
from ..convert.pipelines import _ABANDONED_WORDS as ABANDONED_WORDS
from ..convert.pipelines import ABANDONED
from ..core.rows import words
from ..core.targets import TARGETS

SOURCES: dict[str, type[Source]] = {}

WORKFLOWS_REBUILD = (
    "Automation Rules (Settings > Technical > Automation Rules, module base_automation) "
    "or scheduled actions; one rule per trigger and action of the source"
)


def not_migrated_item(obj: str, why: str, rebuild: str) -> dict:
    """One entry of a spec's :attr:`Source.not_migrated` inventory."""
    return {"object": obj, "why": why, "rebuild_in_odoo": rebuild}


class Source:
    """Base class: ``tables(path_or_files)`` and ``object_hint(table)``."""

    system = "base"
    label = "Base source"

    def tables(self, path_or_files: Any) -> list:
        """Tables (``engine.readers.Table``) from a folder, a file, a zip, a list of
        paths, a ``{name: bytes}`` mapping or a list of ``(name, bytes)`` pairs."""
        raise NotImplementedError

    def object_proposal(self, table, columns=None):
        """The :class:`engine.propose.ObjectProposal` for ``table``: from its name and
        the profile's columns when given (their types help), else its headers."""
        from ..propose import propose_object

        return propose_object(
            table.name, columns if columns is not None else table.headers
        )

    def canonical_headers(self, headers, target: str) -> dict:
        """``{header as written: the system's own name for it}`` for a table of
        ``target``, so that proposals read a system's known spellings ("Flags"
        is AllClients' tags); by default every header is its own name."""
        return {h: h for h in headers}

    def pull_tables(self, credentials, base_url=None) -> list:
        """Tables pulled from the system's API; systems without one say so."""
        raise ValueError(f"{self.label} has no API pull: upload its export files")

    # the credentials an API pull needs, in the order people are asked for them
    # ("account_id", "api_key"); empty: the system has no API client
    api_credentials: tuple[str, ...] = ()
    # its API can return only what changed since a date (pull_tables(since=...))
    api_delta = False
    # its pull keeps pages in a folder and resumes there (pull_tables(pages_dir=))
    api_resumable = False
    # what its last pull_tables() asked the API ({"requests", "pages"}), set by
    # a source whose client counts them; empty otherwise
    pull_report: Mapping[str, int] = MappingProxyType({})

    def read_export(self, source: Any, name: str | None = None) -> list | None:
        """Tables of an export in the system's own format (saved API pages...):
        ``source`` is a folder or a file path, or a file's bytes named ``name``.
        None when it is not such an export (the shared CSV/XLSX readers read it)."""
        return None

    def reads_folder(self, path: Any) -> bool:
        """Whether the folder is one export this system reads itself (then it is
        given whole to :meth:`read_export`, not file by file)."""
        return False

    def source_issues(self) -> list[dict]:
        """Problems found while reading the last export or pull (after
        :meth:`read_export` / :meth:`pull_tables`), for the review queue:
        ``{"object", "line", "column", "value", "reason", "kind", "id"}``
        (``object``: the table's object name; ``kind``: a review kind)."""
        return []

    # ---------------------------------------------------------------- the spec
    # project defaults a new project of this system starts with (e.g. its time
    # zone: {"source_tz": "America/Chicago"})
    defaults: Mapping[str, Any] = {}
    # what the system holds that cannot be migrated: [{"item", "reason", "action"}]
    not_migrated: tuple[Mapping[str, str], ...] = ()
    # target -> converter(row, tz) where the system's rows need their own rule
    converters: Mapping[str, Any] = {}
    # the system's export files (engine.sources.kinds.Kinds), when it knows them
    file_kinds: Any = None
    # rows without parent ids: how each child finds its parent by compound
    # keys (engine.core.links.LinkRule), resolved by the loader, each link
    # recording which key matched; none: the generic lookups (ids, emails)
    links: tuple[Any, ...] = ()
    # target -> engine.core.links.Identity: what makes a row without an id one
    # record (object maps of that target are keyed by it: rows repeating the
    # key are one record)
    identities: Mapping[str, Any] = {}
    # stages are inferred from the deals (one per pipeline and stage, ordered
    # by the deals' probability, won after open, lost last) before they load
    infer_stages: bool = False
    # file kind -> what its lead rows become ("lead" / "opportunity"): the
    # proposed lead/opportunity split, which a person edits on the object map
    lead_types: Mapping[str, str] = {}

    def identity_key(self, target: str, row: Mapping) -> str | None:
        """The compound key of a ``target`` row (:attr:`identities`), None
        when the system declares none or the row has none of its parts."""
        identity = self.identities.get(target)
        return identity.key(row) if identity else None

    # rules the shared loader applies for the system (none of them names it):
    # the targets whose rows sharing an email are one record (merged)
    dedupe_by_email: frozenset[str] = frozenset({"contact"})
    # {target: ((Odoo field, why it matters), ...)}: a row loaded without that
    # value is flagged for a person (loaded all the same)
    flag_missing: Mapping[str, tuple[tuple[str, str], ...]] = {}
    # a lead's company name becomes its customer: a company partner found by
    # its normalised name, or created
    lead_company_partner: bool = False
    # values a row takes from the row of another file it names
    # (engine.lookup.Lookup: a recipient's campaign dates, team and owner)
    lookups: tuple[Any, ...] = ()
    # an attachment row that names no record at all is kept on its own (a
    # campaign's template file) instead of being held
    unlinked_attachments: bool = False
    # x_ fields the system's converted or looked-up values need, created
    # before a run like the field maps' new fields: {target: ((value, x_ name,
    # type, label or the column aliases whose header is the label), ...)};
    # value: the Record value written there (None: a lookup writes it)
    custom_fields: Mapping[str, tuple[tuple[Any, ...], ...]] = {}

    def declared_fields(self, target: str) -> tuple[tuple[Any, ...], ...]:
        """The x_ fields ``target``'s converted values need: the system's own
        (:attr:`custom_fields`) and the target's (engine.core.targets)."""
        own = tuple(self.custom_fields.get(target, ()))
        names = {spec[1] for spec in own}
        found = TARGETS.get(target)
        common = found.custom_fields if found else ()
        return own + tuple(spec for spec in common if spec[1] not in names)

    def convert(self, target: str, row: Mapping, tz: str = "UTC"):
        """One staging row -> :class:`engine.core.record.Record` for ``target``:
        the system's own rule if it has one, else the generic rule."""
        return convert_row(target, row, tz, overrides=self.converters)

    def content_identity(self, values: dict[str, str]) -> dict[str, str]:
        """The cells that make a row without an id what it is (all by default);
        a system drops the ones copied from elsewhere (a contact's name on its
        note) so that a rename does not make the row new."""
        return values

    def content_key(self, row: Mapping) -> str:
        """A key for a row without an id: the same row in a later export gets the
        same key, whatever its line."""
        values = {str(k): "" if v is None else str(v).strip() for k, v in row.items()}
        text = json.dumps(
            self.content_identity(values), sort_keys=True, ensure_ascii=False
        )
        return "content:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]  # noqa: S324

    def choice_columns(self, target: str, columns: list) -> dict[str, str]:
        """``{column: reason}`` of the profiled columns of a ``target`` table whose
        cells hold several choices (a multi-select custom field); none by default."""
        return {}

    def object_hint(self, table) -> str | None:
        """The target (``company``, ``contact``, ``lead``) this table most likely
        holds, or None when the source cannot tell."""
        return None

    # value rule: status words that mean "lost, for this reason" ({words: reason});
    # many CRMs close a deal as "abandoned" or "ghosted" rather than "lost"
    lost_reasons: Mapping[str, str] = {w: ABANDONED for w in ABANDONED_WORDS}

    def lost_reason(self, status: Any) -> str | None:
        """The lost reason a deal's status word carries ("abandoned" ->
        "Abandoned"), or None when the word is a plain status."""
        return self.lost_reasons.get(words(status))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} system={self.system!r}>"


def register(cls: type[Source]) -> type[Source]:
    """Class decorator: make ``cls`` available as ``SOURCES[cls.system]``."""
    SOURCES[cls.system] = cls
    return cls


def get_source(system: str) -> Source:
    """A new instance of the source registered for ``system``; ValueError if none."""
    name = (system or "").strip().lower()
    if name not in SOURCES and name.isidentifier():
        try:
            importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{name}":
                raise
    if name not in SOURCES:
        known = ", ".join(sorted(SOURCES)) or "none"
        raise ValueError(f"unknown source system {system!r} (known: {known})")
    return SOURCES[name]()


def iter_inputs(path_or_files: Any) -> Iterable[tuple[str, bytes | None, str | None]]:
    """Normalise the accepted inputs to ``(name, data, path)`` triples (exactly one of
    data/path set); a folder yields nothing here: callers read folders themselves."""
    if isinstance(path_or_files, str | os.PathLike):
        p = Path(path_or_files)
        yield p.name, None, str(p)
        return
    if isinstance(path_or_files, Mapping):
        for name, data in path_or_files.items():
            yield str(name), bytes(data), None
        return
    for item in path_or_files or ():
        if isinstance(item, str | os.PathLike):
            p = Path(item)
            yield p.name, None, str(p)
        elif isinstance(item, tuple | list) and len(item) == 2:
            yield str(item[0]), bytes(item[1]), None
        else:
            raise ValueError(f"cannot read {item!r}: expected a path or (name, bytes)")


def _load_sources() -> None:
    """Import every module of this package so ``SOURCES`` lists every system as soon
    as ``base`` is imported (the modules register themselves with ``@register``)."""
    import pkgutil

    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name != "base" and not info.name.startswith("_"):
            importlib.import_module(f"{__package__}.{info.name}")


_load_sources()
