"""A custom object of the source (memberships, enrolments...) in its own x_
model (loader/custom_models.py): each row one record, linked to the contact
its link column names by email (or by the contact's or company's source id), so that a contact with three enrolments keeps
all three. Every column has an x_ field of the model (cell conservation reads
them back); the link column's value stays in its field too."""

from odoo import _

from ...engine.match import norm_email
from ..common import issue
from ..custom_models import LINK_FIELD
from .base import RecordHandler


class CustomObjectHandler(RecordHandler):
    target = "custom_object"

    def resolve(self, omap, prepared):
        model = omap.custom_model_id.model
        if not model:
            for prep in prepared:
                prep.held = issue(
                    "not_loaded",
                    False,
                    False,
                    _(
                        "%(object)s gets a model of its own, which a Migration "
                        "Manager's run makes: the row waits for that run.",
                        object=omap.object_name,
                    ),
                )
            return
        fields = self.env[model]._fields
        by_column = {f.column: f for f in omap.field_map_ids}
        link = by_column.get(omap.link_column)
        skip = {omap.key_column, omap.link_column}
        names = [
            f.new_field_name
            for f in omap.field_map_ids.sorted(lambda f: (f.sequence, f.id))
            if f.column not in skip and f.action == "create"
        ]
        for prep in prepared:
            prep.model = model
            prep.dedupe = None  # each row is a record of its own
            prep.vals = {k: v for k, v in prep.vals.items() if k in fields}
            if not prep.vals.get("x_name"):
                prep.vals["x_name"] = self._name(prep, names, omap)
            if link:
                self._link(prep, link)

    @staticmethod
    def _name(prep, names, omap):
        """The record's name: its first two text values ("Mia Chen / Growth
        Academy"), else the source's key."""
        texts = [
            prep.source.get(f.column)
            for f in omap.field_map_ids
            if f.new_field_name in names
        ]
        texts = [str(t).strip() for t in texts if isinstance(t, str) and t.strip()]
        return " / ".join(texts[:2]) or prep.key.split(":", 1)[-1]

    def _link(self, prep, link):
        raw = str(prep.source.get(link.column) or "").strip()
        if not raw:
            return
        if "@" in raw:
            email = norm_email(raw)
            partner_id = self.cache.contacts.get(email) or self._partner(email)
        else:  # a contact's (or company's) id in the source: what a run made
            partner_id = self.cache.key_res("contact", raw) or self.cache.key_res(
                "company", raw
            )
        if partner_id:
            prep.vals[LINK_FIELD] = partner_id
            return
        prep.issues.append(
            issue(
                "orphan",
                link.column,
                raw,
                _(
                    "No contact with this email or id in the source or in Odoo: "
                    "the record is loaded without its contact until it is linked."
                ),
            )
        )

    def _partner(self, email):
        partner = self.env["res.partner"].search(
            [
                ("email_normalized", "=", email),
                ("company_id", "in", (False, self.project.company_id.id)),
            ],
            limit=1,
        )
        if partner:
            self.cache.contacts.setdefault(email, partner.id)
        return partner.id


def _word(text):
    """'Memberships' / 'membership' / 'x_memberships' -> 'membership'."""
    word = "".join(c for c in str(text or "").lower() if c.isalnum())
    word = word.removeprefix("x")
    return word[:-1] if word.endswith("s") else word


def custom_record(cache, prep):
    """(model, id) of the custom object's record a note, activity or
    attachment names (``Record.object_ref``: object and id), or None."""
    ref = prep.record.object_ref if prep.record else None
    if not ref:
        return None
    word, ref_id = _word(ref[0]), str(ref[1]).strip()
    omaps = cache.project.object_map_ids.filtered(
        lambda m: m.own_model and m.custom_model_id
    )
    for omap in omaps:
        names = (
            omap.object_name,
            omap.custom_model_id.name,
            omap.custom_model_id.model,
        )
        if word not in {_word(n) for n in names}:
            continue
        key = f"{omap.object_name}:id:{ref_id}"
        res_id = cache.keys.get((omap.target, key)) or cache.linked_keys(
            omap.target
        ).get(key)
        if res_id:
            return omap.custom_model_id.model, res_id
    return None
