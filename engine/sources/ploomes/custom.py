"""Ploomes custom fields: ``OtherProperties`` -> columns named by the Fields catalogue.

A mixin of the table builder (:mod:`.tables`): it uses the builder's lookups
(``self.fields``, ``self.built``) and helpers (``self.issue``, ``self.owner``,
``self.day``, ``self.dt``). Each custom field becomes a column named by the field's
name; option lists give the option's name; the catalogue entry (with the Odoo type
of its x_ field, :func:`.rules.field_type`) is kept in ``built.custom_fields``.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import rules
from .columns import _id, _name


class CustomColumns:
    def custom(self, kind, line, record, taken, rid=None) -> dict[str, str]:
        """``OtherProperties`` -> ``{column: value}`` (column = the field's name)."""
        values: dict[str, list[str]] = {}
        for prop in record.get("OtherProperties") or []:
            if not isinstance(prop, Mapping):
                continue
            key = rules.text(prop.get("FieldKey"))
            spec = self.fields.get(key) or {}
            column = self.custom_column(kind, key, spec, taken)
            value = self.custom_value(kind, line, column, prop, spec, rid)
            if value != "":
                values.setdefault(column, []).append(value)
        return {col: ", ".join(vals) for col, vals in values.items()}

    def custom_column(self, kind, key, spec, taken) -> str:
        known = self.built.custom_fields.setdefault(kind, [])
        for entry in known:
            if entry["key"] == key:
                return entry["column"]
        name = rules.text(spec.get("Name")) or key
        column = name
        used = {e["column"].lower() for e in known} | {t.lower() for t in taken}
        if column.lower() in used:
            column = f"{name} (custom)"
        n = 2
        while column.lower() in used:
            column = f"{name} ({n})"
            n += 1
        options = (spec.get("OptionsTable") or {}).get("Options") or []
        known.append(
            {
                "column": column,
                "key": key,
                "type": _name(spec.get("Type")) or None,
                "options": [rules.text(o.get("Name")) for o in options],
                "documented": bool(spec),
                "odoo_type": rules.field_type(spec),
            }
        )
        if not spec:
            self.issue(
                kind,
                None,
                column,
                key,
                f"custom field {key!r} is not in the Fields catalogue: "
                "its column is named by its key",
            )
        return column

    def custom_value(self, kind, line, column, prop, spec, rid) -> str:
        if prop.get("ObjectValueName") not in (None, ""):
            return rules.text(prop["ObjectValueName"])
        if prop.get("ObjectValueId") not in (None, ""):
            oid = _id(prop["ObjectValueId"])
            options = (spec.get("OptionsTable") or {}).get("Options") or []
            for option in options:
                if _id(option.get("Id")) == oid:
                    return rules.text(option.get("Name"))
            self.issue(
                kind,
                line,
                column,
                oid,
                f"option id {oid} is not in the field's list",
                rid,
            )
            return rules.text(oid)
        if prop.get("UserValueId") not in (None, ""):
            email = self.owner(kind, line, prop["UserValueId"], column, rid)
            return email or rules.text(prop.get("UserValueName"))
        for name in ("ContactValueName", "ProductValueName", "AttachmentValueName"):
            if prop.get(name) not in (None, ""):
                return rules.text(prop[name])
        if prop.get("DateTimeValue") not in (None, ""):
            value = prop["DateTimeValue"]
            show_time = spec.get("ShowTime")
            type_name = _name(spec.get("Type")).lower()
            date_only = show_time is False or (
                show_time is None
                and ("hora" not in type_name and "time" not in type_name)
                and rules.is_midnight(value)
            )
            if date_only:
                return self.day(kind, line, column, value, rid)
            return self.dt(kind, line, column, value, rid)
        for name in (
            "BoolValue",
            "IntegerValue",
            "DecimalValue",
            "BigStringValue",
            "StringValue",
        ):
            if prop.get(name) not in (None, ""):
                return rules.text(prop[name])
        return ""
