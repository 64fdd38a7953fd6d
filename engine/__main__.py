"""Offline CLI: profile and propose maps for a folder of exports, no Odoo needed.

    python -m engine profile DIR_OR_FILE [--json]
    python -m engine propose DIR_OR_FILE [--system generic] [--json]

Exit status: 0 on success, 2 with a one-line message for a bad path or an unreadable
file (the message names the file and, when known, the line).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A problem with the input that ends the run with exit status 2."""


def _pct(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 100:.0f}%"


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _load(path: str, system: str):
    from .readers import ReadError
    from .sources.base import get_source

    try:
        source = get_source(system)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    p = Path(path)
    if not p.exists():
        raise CliError(f"{path}: no such file or folder")
    try:
        tables = source.tables(p)
    except ReadError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror or exc}") from None
    if not tables:
        raise CliError(f"{path}: no readable CSV, XLSX or ZIP file found")
    return source, tables


def _profile(table):
    from .profile import profile_table
    from .readers import ReadError

    try:
        return profile_table(table)
    except ReadError as exc:
        raise CliError(str(exc)) from None


def _table_heading(table, prof) -> list[str]:
    fmt = table.kind
    if table.kind == "csv":
        delim = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(
            table.delimiter or "", repr(table.delimiter)
        )
        fmt = f"csv, {table.encoding}, {delim}"
    title = f"== {table.name}  ({fmt})"
    return [
        title,
        f"   object name: {table.object_name}; {prof['rows']} rows, "
        f"{len(prof['columns'])} columns",
    ]


def _profile_lines(prof) -> list[str]:
    width = max([len(c["name"]) for c in prof["columns"]] + [6])
    width = min(width, 28)
    lines = [
        f"   {'column':<{width}}  {'type':<9} {'conf':>5} {'null':>5} "
        f"{'distinct':>8} {'dups':>5}  samples"
    ]
    for c in prof["columns"]:
        samples = ", ".join(_clip(s, 24) for s in (c.get("samples") or [])[:3])
        lines.append(
            f"   {_clip(c['name'], width):<{width}}  {c['type']:<9} "
            f"{_pct(c.get('confidence')):>5} {_pct(c.get('null_rate')):>5} "
            f"{c.get('distinct', 0):>8} {c.get('duplicates', 0):>5}  {samples}"
        )
    dups = prof.get("duplicate_emails") or []
    if dups:
        lines.append(f"   duplicate emails ({len(dups)}):")
        for d in dups[:10]:
            shown = ", ".join(str(n) for n in d["lines"][:8])
            more = len(d["lines"]) - 8
            if more > 0:
                shown += f" (+{more} more)"
            lines.append(f"     {d['email']}  lines {shown}")
        if len(dups) > 10:
            lines.append(f"     ... and {len(dups) - 10} more")
    return lines


def _proposal(source, table, prof) -> dict:
    from .propose import propose_fields, propose_key

    obj = source.object_proposal(table, prof["columns"])
    fields = propose_fields(obj.target, prof["columns"])
    key = propose_key(obj.target, prof["columns"])
    return {"object": obj, "fields": fields, "key": key}


def _proposal_lines(result) -> list[str]:
    from .propose import TARGETS

    obj = result["object"]
    lines = [
        f"   object: {obj.target} ({TARGETS[obj.target]['model']}), "
        f"confidence {obj.confidence:.2f}: {obj.reason}"
    ]
    if obj.alternatives:
        alts = ", ".join(
            f"{a['target']} {a['confidence']:.2f}" for a in obj.alternatives
        )
        lines.append(f"     alternatives: {alts}")
    key, why = result["key"]
    lines.append(f"   key: {key or '(none)'}: {why}")
    mapped = [p for p in result["fields"] if p.field]
    unmapped = [p for p in result["fields"] if not p.field]
    width = min(max([len(p.column.strip()) for p in result["fields"]] + [6]), 28)
    lines.append(f"   fields ({len(mapped)} mapped):")
    for p in mapped:
        lines.append(
            f"     {_clip(p.column.strip(), width):<{width}} -> {p.field:<17} "
            f"{p.confidence:.2f}  [{p.transform}]  {p.reason}"
        )
    if unmapped:
        lines.append(f"   unmapped columns ({len(unmapped)}), new fields proposed:")
        for p in unmapped:
            nf = p.new_field or {}
            lines.append(
                f"     {_clip(p.column.strip(), width):<{width}} -> "
                f"{nf.get('name', '?')} ({nf.get('type', '?')})  "
                f"{p.confidence:.2f}  {p.reason}"
            )
    return lines


def cmd_profile(args) -> int:
    _source, tables = _load(args.path, args.system)
    out = []
    for table in tables:
        prof = _profile(table)
        if args.json:
            out.append(prof)
            continue
        print("\n".join(_table_heading(table, prof) + _profile_lines(prof)))
        print()
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False, default=str))
    return 0


def cmd_propose(args) -> int:
    source, tables = _load(args.path, args.system)
    out = []
    for table in tables:
        prof = _profile(table)
        result = _proposal(source, table, prof)
        if args.json:
            out.append(
                {
                    "table": table.name,
                    "rows": prof["rows"],
                    "object": result["object"].as_dict(),
                    "key": {"column": result["key"][0], "reason": result["key"][1]},
                    "fields": [p.as_dict() for p in result["fields"]],
                }
            )
            continue
        lines = _table_heading(table, prof) + _profile_lines(prof)
        lines += ["   --- proposals"] + _proposal_lines(result)
        print("\n".join(lines))
        print()
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False, default=str))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m engine",
        description="Profile CRM exports and propose how they map to Odoo (offline).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, text in (
        ("profile", cmd_profile, "rows, columns, null rates, types, duplicates"),
        ("propose", cmd_propose, "profile + object, key and field map proposals"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("path", help="a folder, a file (CSV/TSV/TXT/XLSX) or a zip")
        p.add_argument(
            "--system", default="generic", help="source system (default: generic)"
        )
        p.add_argument("--json", action="store_true", help="print JSON instead")
        p.set_defaults(func=func)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
