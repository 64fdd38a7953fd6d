"""Scores an Odoo database against a blind generator's expected.json (SCHEMA.md).

Run inside ``odoo-bin shell`` (``env`` is given there):

    FIDELITY_EXPECTED=DIR/expected.json FIDELITY_REPORT=DIR/score.json \\
        odoo-bin shell -c odoo.conf -d DB < bench/fidelity/score.py

It only reads. Every comparison rule is in SCHEMA.md; nothing here knows how the
addon converts anything.
"""

import json
import os
import re
import unicodedata
from datetime import date, datetime

import phonenumbers

from odoo.tools import html2plaintext

CHAR_TYPES = ("char", "text", "selection")


def _strip(text):
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in text if not unicodedata.combining(c))


def _norm(text):
    return " ".join(str(text or "").split()).casefold()


def _label_key(text):
    return re.sub(r"[^a-z0-9]+", "", _strip(text).casefold())


def _e164(text):
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(str(text), "US"), phonenumbers.PhoneNumberFormat.E164
        )
    except phonenumbers.NumberParseException:
        return None


class Scorer:
    def __init__(self, env, expected):
        self.env = env
        self.expected = expected
        self.wrong = []
        self.missing = []
        self.compared = 0
        self.right = 0
        self.per_model = {}

    # --------------------------------------------------------------- finding
    def _domain(self, model, match):
        domain = []
        for key, value in match.items():
            if key in ("record", "body_contains", "summary_contains", "note_contains"):
                continue
            if key == "res_model":
                domain.append(("model" if model == "mail.message" else key, "=", value))
                continue
            field = self.env[model]._fields.get(key)
            if field is None:
                domain.append(("id", "=", 0))
            elif field.type == "many2one":
                domain.append((f"{key}.name", "=ilike", value))
            elif key in ("email", "email_from", "login"):
                domain.append((key, "=ilike", value))
            else:
                domain.append((key, "=", value))
        return domain

    def find(self, model, match):
        Model = self.env[model].with_context(active_test=False)
        domain = self._domain(model, match)
        if "record" in match:
            res_model = match.get("res_model", "res.partner")
            parents = self.find(res_model, match["record"])
            if len(parents) != 1:
                return Model.browse()
            field = "res_id"
            domain += [(field, "=", parents.id)]
            if model == "mail.activity":
                domain += [("res_model", "=", res_model)]
        records = Model.search(domain)
        for key, attr in (
            ("body_contains", "body"),
            ("summary_contains", "summary"),
            ("note_contains", "note"),
        ):
            if key in match:
                part = _norm(match[key])
                records = records.filtered(
                    lambda r, a=attr, p=part: (
                        p
                        in _norm(
                            html2plaintext(r[a] or "")
                            if a != "summary"
                            else (r[a] or "") + " " + html2plaintext(r.note or "")
                        )
                    )
                )
        if model == "res.partner" and len(records) > 1 and "email" in match:
            records = records.filtered(lambda r: not r.is_company) or records
        return records

    # ------------------------------------------------------------- comparing
    def _custom_field(self, model, header):
        key = _label_key(header)
        for name, field in self.env[model]._fields.items():
            if name.startswith("x_") and _label_key(field.string) == key:
                return name
        return None

    def _relation_names(self, field, records):
        if field.comodel_name == "res.users":
            return [_norm(r.login) for r in records] + [_norm(r.email) for r in records]
        if field.comodel_name == "res.country":
            return [_norm(r.code) for r in records]
        if field.comodel_name == "res.country.state":
            return [_norm(r.code) for r in records] + [
                _norm(f"{r.country_id.code}-{r.code}") for r in records
            ]
        return [_norm(r.display_name) for r in records] + [
            _norm(r.name) for r in records if "name" in r._fields
        ]

    def _first_field(self, model, alternatives):
        """``x:A|B|C``: the first alternative that names a field of the model: a manual
        (``x_``) field whose label or technical name (without ``x_``) is the alternative,
        else a real field of that name (e.g. ``campaign_id``)."""
        fields = self.env[model]._fields
        for alt in alternatives:
            key = _label_key(alt)
            for name, field in fields.items():
                if name.startswith("x_") and key in (
                    _label_key(field.string),
                    _label_key(name[2:]),
                ):
                    return name
            if alt in fields:
                return alt
        return None

    def _same_m2m_to(self, record, comodel, want):
        """``m2m:<comodel>``: some many2many field of the record to comodel holds exactly the
        wanted names (an empty list: every such field is empty), whatever its name."""
        fields = [
            f
            for f in record._fields.values()
            if f.type == "many2many" and f.comodel_name == comodel
        ]
        if not fields:
            return False, f"no many2many to {comodel}"
        wanted = {_norm(w) for w in want or []}
        seen = []
        for field in fields:
            value = record[field.name]
            got = {_norm(r.display_name) for r in value}
            got |= {_norm(r.name) for r in value if "name" in r._fields}
            if not wanted and not value:
                continue
            if wanted and wanted <= got and len(value) == len(wanted):
                return True, f"{field.name}: {sorted(r.display_name for r in value)}"
            if value:
                seen.append(f"{field.name}: {sorted(r.display_name for r in value)}")
        if not wanted:
            return not seen, "; ".join(seen)
        return False, "; ".join(seen) or "[]"

    def same(self, record, fname, want):
        """(equal, what Odoo holds as text)."""
        if fname.startswith("m2m:"):
            return self._same_m2m_to(record, fname[4:], want)
        if fname.startswith("x:") and "|" in fname:
            real = self._first_field(record._name, fname[2:].split("|"))
            if not real:
                return False, "no field for any of " + fname[2:]
            fname = real
        elif fname.startswith("x:"):
            real = self._custom_field(record._name, fname[2:])
            if not real:
                return False, "no x_ field labelled so"
            fname = real
        field = record._fields.get(fname)
        if field is None:
            return False, f"no field {fname}"
        value = record[fname]
        if want is None:
            return not value, str(value)
        if field.type == "many2one":
            return _norm(want) in self._relation_names(field, value), value.display_name
        if field.type in ("many2many", "one2many"):
            got = {n for n in (_norm(r.display_name) for r in value)}
            got |= {_norm(r.name) for r in value if "name" in r._fields}
            # order/invoice lines are named by their product
            got |= {_norm(r.product_id.name) for r in value if "product_id" in r._fields}
            wanted = {_norm(w) for w in want}
            return wanted <= got and len(value) == len(wanted), str(
                sorted(r.display_name for r in value)
            )
        if field.type == "selection":
            # the stored key, or the label a person sees (x_ selection fields)
            label = dict(field._description_selection(self.env)).get(value, "")
            return _norm(want) in (_norm(value), _norm(label)), f"{value} ({label})"
        if field.type in ("float", "monetary", "integer"):
            return abs(float(value or 0) - float(want)) < 0.005, str(value)
        if field.type == "boolean":
            return bool(value) == bool(want), str(value)
        if field.type == "date":
            return (value.isoformat() if value else None) == want, str(value)
        if field.type == "datetime":
            got = value.strftime("%Y-%m-%d %H:%M") if value else None
            return got == want, str(got)
        if field.type == "html":
            got = _norm(html2plaintext(value or ""))
            if isinstance(want, str) and want.startswith("~contains:"):
                return _norm(want[10:]) in got, got[:80]
            return got == _norm(want), got[:80]
        if fname in ("phone", "mobile"):
            digits = re.sub(r"\D", "", str(value or ""))
            return (
                digits == re.sub(r"\D", "", str(want))
                or (_e164(value) and _e164(value) == _e164(want))
            ), str(value)
        if fname in ("email", "email_from", "login"):
            return _norm(value) == _norm(want), str(value)
        return _norm(value) == _norm(want), str(value)

    def score_record(self, item):
        model = item["model"]
        stats = self.per_model.setdefault(
            model, {"expected": 0, "found": 0, "compared": 0, "right": 0}
        )
        stats["expected"] += 1
        found = self.find(model, item["match"])
        values = item.get("values", {})
        if len(found) != 1:
            self.missing.append(
                {
                    "model": model,
                    "match": item["match"],
                    "found": len(found),
                    "source": item.get("source"),
                }
            )
            stats["compared"] += len(values)
            self.compared += len(values)
            return
        stats["found"] += 1
        for fname, want in values.items():
            ok, got = self.same(found, fname, want)
            stats["compared"] += 1
            self.compared += 1
            if ok:
                stats["right"] += 1
                self.right += 1
            else:
                self.wrong.append(
                    {
                        "model": model,
                        "field": fname,
                        "want": want,
                        "got": got,
                        "source": item.get("source"),
                    }
                )

    def score_reviews(self):
        Review = self.env["migration.review"]
        found = 0
        lost = []
        for item in self.expected.get("review", []):
            value = str(item.get("value", ""))
            hits = Review.search_count(
                ["|", ("value", "ilike", value[:200]), ("reason", "ilike", value[:200])]
            )
            if hits:
                found += 1
            else:
                lost.append(item)
        return found, lost

    def run(self):
        for item in self.expected.get("records", []):
            self.score_record(item)
        review_found, review_lost = self.score_reviews()
        present = [
            item
            for item in self.expected.get("not_expected", [])
            if self.find(item["model"], item["match"])
        ]
        counts = {}
        for model, want in self.expected.get("counts", {}).items():
            ledger = self.env["migration.ledger"].search_count(
                [("res_model", "=", model), ("operation", "=", "create")]
            )
            counts[model] = {"expected": want, "created": ledger}
        found = sum(s["found"] for s in self.per_model.values())
        run = self.env["migration.run"].search([], order="id desc", limit=1)
        cells = [
            {
                "object": c.object_name,
                "column": c.column,
                "field": c.field_name,
                "cells": c.cell_count,
                "written": c.written_count,
                "ignored": c.ignored_count,
                "review": c.review_count,
                "unaccounted": c.unaccounted_count,
            }
            for c in run.cell_check_ids
        ]
        return {
            "cells": cells,
            "system": self.expected.get("system"),
            "records_expected": len(self.expected.get("records", [])),
            "records_found": found,
            "values_compared": self.compared,
            "values_right": self.right,
            "field_accuracy": round(self.right / self.compared, 4)
            if self.compared
            else None,
            "per_model": self.per_model,
            "counts": counts,
            "review_expected": len(self.expected.get("review", [])),
            "review_found": review_found,
            "review_missing": review_lost,
            "not_expected_present": present,
            "wrong": self.wrong,
            "missing": self.missing,
        }


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def main(env):
    with open(os.environ["FIDELITY_EXPECTED"], encoding="utf-8") as fh:
        expected = json.load(fh)
    report = Scorer(env, expected).run()
    out = os.environ.get("FIDELITY_REPORT")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1, default=_default, ensure_ascii=False)
    print(
        f"FIDELITY {report['system']}: field accuracy "
        f"{report['field_accuracy']} ({report['values_right']}/"
        f"{report['values_compared']}), records {report['records_found']}/"
        f"{report['records_expected']}, review {report['review_found']}/"
        f"{report['review_expected']}, must-not-exist present "
        f"{len(report['not_expected_present'])}"
    )


if "env" in globals():
    main(env)  # noqa: F821 - given by odoo-bin shell
