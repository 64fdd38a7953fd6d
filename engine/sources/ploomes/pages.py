"""Saved Ploomes pages: the bodies of ``GET /<Entity>?$top=300&$skip=N&$orderby=Id...``
kept as ``<Entity>/page-0001.json``, ``page-0002.json``... in a folder or a zip.

A :class:`PageSet` is both what a live pull writes (page by page, each file written
whole before it counts, so a pull stopped half way resumes after its last complete
page) and what an offline migration reads: the same records come out either way.
Sub-resources keep their API name as the folder: ``Deals@Stages/page-0001.json``.

``_pull.json`` beside the folders records the pull (its ``since`` for delta pulls, its
page size and the entities finished); a resumed pull with other parameters is refused
rather than mixing two pulls in one folder.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

MANIFEST = "_pull.json"
PAGE_RE = re.compile(r"^(?:.*/)?([^/]+)/page-(\d{4,})\.json$")


class PageError(ValueError):
    """A page cannot be used: ``str(e)`` names the entity, the page and why."""

    def __init__(self, entity: str, page: int, reason: str, skip: int | None = None):
        self.entity = entity
        self.page = page
        self.skip = skip
        self.reason = reason
        where = f"$skip={skip}" if skip is not None else f"page-{page:04d}.json"
        super().__init__(f"Ploomes {entity}, page {page} ({where}): {reason}")


def page_name(entity: str, number: int) -> str:
    return f"{entity}/page-{number:04d}.json"


def dump_page(
    entity: str, items: list, base_url: str = "https://api2.ploomes.com"
) -> bytes:
    """A page body the way the API writes it (``@odata.context`` + ``value``), as
    UTF-8 JSON: the saved samples and the tests' loopback server use it."""
    body = {
        "@odata.context": f"{base_url.rstrip('/')}/$metadata#{entity}",
        "value": items,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_page(
    entity: str, number: int, body: bytes | str, skip: int | None = None
) -> list[dict]:
    """The records of one page body (``{"@odata.context": ..., "value": [...]}``);
    :class:`PageError` when it is not JSON or not that shape."""
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PageError(
                entity, number, "the page is not UTF-8 text", skip
            ) from None
    try:
        data = json.loads(body)
    except ValueError as exc:
        start = " ".join(body[:60].split())
        raise PageError(
            entity,
            number,
            f"the page is not valid JSON ({exc.msg} at character {exc.pos}; "
            f"it starts with {start!r})",
            skip,
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        kind = type(data).__name__ if not isinstance(data, dict) else "an object"
        keys = ", ".join(list(data)[:5]) if isinstance(data, dict) else ""
        raise PageError(
            entity,
            number,
            f"expected an object with a 'value' list, got {kind}"
            + (f" with {keys}" if keys else ""),
            skip,
        )
    items = data["value"]
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise PageError(
                entity, number, f"item {i} is {type(item).__name__}, not a record", skip
            )
        if "Id" in item and not isinstance(item["Id"], int | str):
            raise PageError(entity, number, f"item {i} has no usable Id", skip)
    return items


def holds_pages(source: Any) -> bool:
    """Whether ``source`` (a folder, a zip path or zip bytes) holds saved pages."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.is_dir():
            return any(
                PAGE_RE.match(f"{p.parent.name}/{p.name}")
                for p in path.glob("*/page-*.json")
            )
        if not path.is_file() or not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as zf:
            return any(PAGE_RE.match(n) for n in zf.namelist())
    if isinstance(source, bytes | bytearray):
        try:
            with zipfile.ZipFile(io.BytesIO(bytes(source))) as zf:
                return any(PAGE_RE.match(n) for n in zf.namelist())
        except zipfile.BadZipFile:
            return False
    return False


class PageSet:
    """Pages of a pull, by entity. ``folder``: write pages there (and read the ones
    already there, to resume); None keeps them in memory. Read a saved pull with
    :meth:`open` (a folder, a zip path, zip bytes or ``{name: bytes}``)."""

    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder) if folder is not None else None
        self._bodies: dict[str, dict[int, bytes]] = {}
        self.manifest: dict[str, Any] = {}
        self.readonly = False
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._scan_folder()

    # -- reading

    @classmethod
    def open(cls, source: Any) -> PageSet:
        """A read-only set from a folder, a ``.zip`` path, zip bytes, or a mapping /
        list of ``(name, bytes)`` whose names are ``<Entity>/page-0001.json``."""
        if isinstance(source, str | os.PathLike):
            path = Path(source)
            if path.is_dir():
                pages = cls(path)
                pages.readonly = True
                return pages
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as zf:
                    return cls._from_members(
                        (i.filename, zf.read(i))
                        for i in zf.infolist()
                        if not i.is_dir()
                    )
            raise ValueError(f"{path}: not a folder or a zip of Ploomes pages")
        if isinstance(source, bytes | bytearray):
            with zipfile.ZipFile(io.BytesIO(bytes(source))) as zf:
                return cls._from_members(
                    (i.filename, zf.read(i)) for i in zf.infolist() if not i.is_dir()
                )
        items = source.items() if isinstance(source, Mapping) else source
        members = []
        for name, data in items:
            if str(name).lower().endswith(".zip"):
                inner = cls.open(bytes(data))
                for entity, numbered in inner._bodies.items():
                    for number, body in numbered.items():
                        members.append((page_name(entity, number), body))
                if inner.manifest:
                    members.append((MANIFEST, json.dumps(inner.manifest).encode()))
            else:
                members.append((str(name), bytes(data)))
        return cls._from_members(members)

    @classmethod
    def _from_members(cls, members) -> PageSet:
        pages = cls()
        pages.readonly = True
        for name, data in members:
            name = str(name).replace("\\", "/")
            if "__MACOSX/" in name:
                continue
            if name.rsplit("/", 1)[-1] == MANIFEST:
                try:
                    pages.manifest = json.loads(data.decode("utf-8-sig"))
                except ValueError:
                    raise ValueError(f"{name}: not valid JSON") from None
                continue
            m = PAGE_RE.match(name)
            if m:
                pages._bodies.setdefault(m.group(1), {})[int(m.group(2))] = data
        return pages

    def _scan_folder(self) -> None:
        assert self.folder is not None
        manifest = self.folder / MANIFEST
        if manifest.exists():
            self.manifest = json.loads(manifest.read_text("utf-8"))
        for entity_dir in sorted(p for p in self.folder.iterdir() if p.is_dir()):
            for page in sorted(entity_dir.glob("page-*.json")):
                m = PAGE_RE.match(f"{entity_dir.name}/{page.name}")
                if m:
                    self._bodies.setdefault(entity_dir.name, {})[int(m.group(2))] = (
                        page.read_bytes()
                    )

    def entities(self) -> list[str]:
        return sorted(self._bodies)

    def __contains__(self, entity: str) -> bool:
        return entity in self._bodies

    def page_numbers(self, entity: str) -> list[int]:
        return sorted(self._bodies.get(entity, {}))

    def body(self, entity: str, number: int) -> bytes:
        return self._bodies[entity][number]

    def pages(self, entity: str) -> Iterator[tuple[int, list[dict]]]:
        """``(page number, records)`` in page order; a gap in the numbering raises."""
        numbers = self.page_numbers(entity)
        for expected, number in enumerate(numbers, start=1):
            if number != expected:
                raise PageError(
                    entity, expected, "this page is missing from the saved pages"
                )
            yield number, parse_page(entity, number, self._bodies[entity][number])

    def records(self, entity: str) -> list[dict]:
        """Every record of ``entity``, in page order, each ``Id`` once (a record that
        moved to the next page while the pull ran is not counted twice)."""
        seen: set = set()
        out = []
        for _number, items in self.pages(entity):
            for item in items:
                key = item.get("Id")
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                out.append(item)
        return out

    # -- writing (live pulls)

    def add(self, entity: str, number: int, body: bytes) -> None:
        """Keep one page; in a folder it is written to a temporary name and renamed,
        so a page is either complete or absent."""
        if self.readonly:
            raise ValueError("these saved pages are read only")
        self._bodies.setdefault(entity, {})[number] = body
        if self.folder is not None:
            target = self.folder / page_name(entity, number)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".json.part")
            tmp.write_bytes(body)
            os.replace(tmp, target)

    def progress(self, entity: str, page_size: int) -> tuple[int, int, bool]:
        """``(pages kept, $skip of the next page, finished)`` to resume ``entity``."""
        numbers = self.page_numbers(entity)
        finished = entity in self.manifest.get("finished", [])
        skip = 0
        for number in numbers:
            items = parse_page(entity, number, self._bodies[entity][number])
            skip += len(items)
            if len(items) < page_size:
                finished = True
        return len(numbers), skip, finished

    def start(self, params: Mapping[str, Any]) -> None:
        """Record the pull's parameters; a folder holding another pull is refused."""
        old = {k: self.manifest.get(k) for k in params}
        if self._bodies and self.manifest and old != dict(params):
            raise ValueError(
                f"{self.folder}: these pages come from another pull ({old}); "
                f"use an empty folder for {dict(params)}"
            )
        self.manifest = {**self.manifest, **params}
        self.manifest.setdefault("finished", [])
        self._save_manifest()

    def finish(self, entity: str) -> None:
        finished = self.manifest.setdefault("finished", [])
        if entity not in finished:
            finished.append(entity)
        self._save_manifest()

    def _save_manifest(self) -> None:
        if self.folder is None or self.readonly:
            return
        path = self.folder / MANIFEST
        tmp = path.with_suffix(".json.part")
        tmp.write_text(json.dumps(self.manifest, indent=1, sort_keys=True), "utf-8")
        os.replace(tmp, path)

    def to_zip(self) -> bytes:
        """The pages as a zip (what the wizard uploads for an offline run)."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            if self.manifest:
                zf.writestr(MANIFEST, json.dumps(self.manifest, sort_keys=True))
            for entity in self.entities():
                for number in self.page_numbers(entity):
                    zf.writestr(page_name(entity, number), self.body(entity, number))
        return buf.getvalue()
