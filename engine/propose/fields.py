"""Field proposals: each column's field, each target field given to at most one column."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from ..core.headers import normalize_header
from .catalogue import _target
from .headers import _as_cols, _Col, _type_phrase
from .hints import _looks_vat_br, _norm_value, _share
from .newfields import NEW_FIELD_CONFIDENCE, _new_field
from .objects import NAME_KEYWORDS
from .proposals import FieldProposal, TargetField
from .scoring import ACCEPT, BARE_NAME_WORDS, _Cand, _candidates, _learned_index


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

    ctx = _Picks(tdef, fields, cols, chosen, used, forder)
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
            proposals.append(ctx.picked(col, cands, pick, alts))
        elif learned_custom:
            proposals.append(_learned_new_field(col, taken, learned_custom, alts))
        else:
            proposals.append(ctx.new_field(col, cands, taken, alts))
    return proposals


class _Picks:
    """What the assignment chose, to word one column's proposal."""

    def __init__(self, tdef, fields, cols, chosen, used, forder) -> None:
        self.tdef = tdef
        self.fields = fields
        self.cols = cols
        self.chosen = chosen
        self.used = used
        self.forder = forder

    def picked(self, col, cands, pick, alts) -> FieldProposal:
        """The field the assignment gave the column (saying where a better-scored
        field went)."""
        f = self.fields[pick.field]
        reason = pick.reason
        best_any = cands[0] if cands else None
        if best_any and best_any.field != pick.field and best_any.field in self.used:
            other = self.cols[self.used[best_any.field]].name.strip()
            reason += f"; {self.fields[best_any.field].label} went to '{other}'"
        return FieldProposal(
            col.name, f.name, pick.score, reason, _transform_for(f, col), alts
        )

    def new_field(self, col, cands, taken, alts) -> FieldProposal:
        """A new custom field for a column no standard field takes; sure unless a
        standard field came close (then a person decides)."""
        new, transform = _new_field(col, taken)
        best = cands[0] if cands else None
        if best and best.score >= ACCEPT and best.field in self.used:
            other = self.cols[self.used[best.field]].name.strip()
            reason = (
                f"{self.fields[best.field].label} fits better to column '{other}'; "
                f"no other field fits, so a new {new['type']} field {new['name']} is proposed"
            )
            conf = round(min(0.3, best.score / 3), 3)
        else:
            reason = (
                f"no field of {self.tdef['label']} matches header '{col.name.strip()}'"
            )
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
        return FieldProposal(col.name, None, conf, reason, transform, alts, new)


def _learned_new_field(col, taken, learned_custom, alts) -> FieldProposal:
    """The custom field a person confirmed for this header before."""
    name, times = learned_custom
    new, transform = _new_field(col, taken, name)
    plural = "s" if times > 1 else ""
    return FieldProposal(
        col.name,
        None,
        round(min(0.99, 0.95 + 0.01 * (times - 1)), 3),
        f"header '{col.name.strip()}' was confirmed as custom field "
        f"{name} {times} time{plural} before",
        transform,
        alts,
        new,
    )


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
