"""Stored computed fields of res.partner and crm.lead reproduced per batch by
the bulk path (issue 18): values of the inserted row instead of a compute per
record at the flush (and the UPDATE of every new row that writes them).

Odoo computes these per record when the batch is flushed: the commercial
partner and its company name, the complete name (a translated selection read
per record), the normalised email, the share flag and the sanitised phone (the
record's country read per record). Each is the value of Odoo's own method for a
new record, computed here from the row's values and its parent's (read once per
parent), with Odoo's own helpers (``tools.email_normalize``,
``_phone_format_number``). A field is taken over only while its compute method
and the methods it calls are Odoo's own (no installed module overrides them):
else Odoo computes it, and ``left`` says why. ``SELF`` stands for the row's own
id, which the bulk writer sets after the INSERT.
"""

from odoo.addons.crm.models.crm_lead import PARTNER_ADDRESS_FIELDS_TO_SYNC
from odoo.addons.phone_validation.tools import phone_validation

from .bulk_email import email_values
from .bulk_email import normalize as email_normalized

SELF = object()  # the row's own id (a company is its own commercial partner)
# phone numbers are parsed (without the phonenumbers library, Odoo formats a
# number as given and never finds it correct)
PARSES = hasattr(phone_validation, "phonenumbers")

BASE = "odoo.addons.base.models.res_partner"
LEAD = "odoo.addons.crm.models.crm_lead"
BLACKLIST = "odoo.addons.mail.models.mail_thread_blacklist"
PHONE = "odoo.addons.phone_validation.models.models"
# field -> the methods that make its value, by the module that defines them
OWN_METHODS = {
    "commercial_partner_id": {"_compute_commercial_partner": BASE},
    "commercial_company_name": {"_compute_commercial_company_name": BASE},
    "complete_name": {"_compute_complete_name": BASE, "_get_complete_name": BASE},
    "partner_share": {"_compute_partner_share": BASE},
    "email_normalized": {"_compute_email_normalized": BLACKLIST},
    "phone_sanitized": {
        "_compute_phone_sanitized": "odoo.addons.phone_validation.models.mail_thread_phone",
        "_phone_format": PHONE,
        "_phone_format_number": PHONE,
        "_phone_get_number_fields": PHONE,
        "_phone_get_country": PHONE,
        "_phone_get_country_field": PHONE,
        "_mail_get_partner_fields": "odoo.addons.mail.models.models",
    },
}
# crm.lead: what a lead given no phone, mobile or address takes from its
# partner (the phone, the mobile, the address) and what they make
LEAD_PHONE_METHODS = {
    "phone": {"_compute_phone": LEAD, "_get_partner_phone_update": LEAD},
    "mobile": {"_compute_mobile": LEAD},
    "phone_state": {"_compute_phone_state": LEAD},
    "phone_sanitized": OWN_METHODS["phone_sanitized"],
    **{
        f: {
            "_compute_partner_address_values": LEAD,
            "_prepare_address_values_from_partner": LEAD,
        }
        for f in PARTNER_ADDRESS_FIELDS_TO_SYNC
    },
}
LEAD_PARTNER_FIELDS = ("phone", "mobile", *PARTNER_ADDRESS_FIELDS_TO_SYNC)
# what a lead takes from its partner is made of these partner fields
PARTNER_READ = (*LEAD_PARTNER_FIELDS, "phone_sanitized")
# the field types whose cached value is the value itself (None for False)
PLAIN_TYPES = ("char", "text", "selection", "many2one", "boolean", "integer")


# crm.lead: the values its email makes, where the row gives the email
LEAD_METHODS = {
    "email_normalized": {"_compute_email_normalized": BLACKLIST},
    "email_domain_criterion": {"_compute_email_domain_criterion": LEAD},
    "email_state": {"_compute_email_state": LEAD},
}


# (number, country code, phone code) -> the number in E.164 or False, as
# _phone_format_number gives it: a pure function of the three (phone_validation's
# phone_format), kept for the run's next rows (a company's phone on each of its
# contacts, a contact's phone on each of its deals), E164_MEMO at most
_E164 = {}
E164_MEMO = 20000


def e164(model, number, country):
    """``model._phone_format_number(number, country, "E164")`` (False when it
    does not format), each number of a country formatted once (``_E164``)."""
    key = (number, country.code, country.phone_code)
    sanitized = _E164.get(key)
    if sanitized is None:  # (read once: another worker's batch may clear it)
        sanitized = model._phone_format_number(
            number, country=country, force_format="E164", raise_exception=False
        )
        if len(_E164) >= E164_MEMO:
            _E164.clear()
        _E164[key] = sanitized
    return sanitized


def overridden(model, fname, own=None):
    """Why Odoo's own compute of ``fname`` is not what runs (a module
    overrides one of its methods, or the field is computed otherwise), or None."""
    field = model._fields.get(fname)
    methods = (own or OWN_METHODS)[fname]
    if field is None or not field.store or field.compute not in methods:
        return f"{fname} is not computed by Odoo's own method"
    for method, module in methods.items():
        func = getattr(type(model), method, None)
        if getattr(func, "__module__", None) != module:
            return f"{method} is overridden ({getattr(func, '__module__', None)})"
    return None


class PartnerComputed:
    """The stored computes of a batch of new partners, as Odoo computes them."""

    def __init__(self, model):
        self.model = model
        self.left = {f: overridden(model, f) for f in OWN_METHODS}
        self.left = {f: why for f, why in self.left.items() if why}
        if "email_normalized" not in self.left and model._primary_email != "email":
            self.left["email_normalized"] = "the primary email is another field"
        if "phone_sanitized" not in self.left and (
            model._phone_get_country_field() != "country_id"
            or model._mail_get_partner_fields()
        ):
            self.left["phone_sanitized"] = "the phone's country is read elsewhere"
        self.taken = [f for f in OWN_METHODS if f not in self.left]
        self._types = None
        self._countries = {}

    def fill(self, rows):
        """The taken fields' values into the rows (in place); per row, the
        names filled."""
        if not self.taken:
            return [set() for _row in rows]
        parents = self.model.browse(
            {row["parent_id"] for row in rows if row.get("parent_id")}
        ).sudo()  # sudo: Odoo computes these as the superuser (compute_sudo)
        parent_of = {
            p.id: (p.name, p.commercial_partner_id.id, p.commercial_partner_id)
            for p in parents
        }
        for row in rows:
            values = self._values(row, parent_of)
            row.update({f: values[f] for f in self.taken})
        return [set(self.taken) for _row in rows]

    def _values(self, row, parent_of):
        parent = parent_of.get(row.get("parent_id"))
        if row.get("is_company") or not parent:
            commercial = SELF
            ccn = (row.get("is_company") and row.get("name")) or row.get("company_name")
        else:
            p = parent[2]
            commercial = parent[1]
            ccn = (p.is_company and p.name) or row.get("company_name")
        return {
            "commercial_partner_id": commercial,
            "commercial_company_name": ccn or False,
            "complete_name": self._complete_name(row, ccn, parent),
            "partner_share": True,  # a new partner has no user (user_ids refused)
            "email_normalized": email_normalized(row.get("email") or False),
            "phone_sanitized": "phone_sanitized" in self.taken and self._phone(row),
        }

    def _complete_name(self, row, ccn, parent):
        """res.partner._get_complete_name of the row."""
        name = row.get("name") or ""
        if row.get("company_name") or parent:
            kind = row.get("type")
            if not name and kind in self.model._complete_name_displayed_types:
                name = self._type_names()[kind]
            if not row.get("is_company"):
                name = f"{ccn or (parent[0] if parent else False)}, {name}"
        return name.strip()

    def _type_names(self):
        if self._types is None:
            model = self.model.with_context({})
            self._types = dict(model._fields["type"]._description_selection(model.env))
        return self._types

    def _phone(self, row):
        """_compute_phone_sanitized: the first number field that formats, in
        E.164, with the row's country, else the company's."""
        country_id = row.get("country_id") or False
        for fname in self.model._phone_get_number_fields():
            number = row.get(fname)
            if not number:
                continue
            sanitized = e164(self.model, number, self._country(country_id))
            if sanitized:
                return sanitized
        return False

    def _country(self, country_id):
        if country_id not in self._countries:
            country = self.model.env["res.country"].browse(country_id or [])
            self._countries[country_id] = country or self.model.env.company.country_id
        return self._countries[country_id]


class LeadComputed:
    """What a new lead computes from its given email (normalised email, its
    domain criterion for lead mining, its state; a row without one takes its
    partner's at the flush, which Odoo computes) and, for a lead of a partner
    given no phone, mobile or address, what it takes from the partner and
    what those make (the phone's state, the sanitised phone)."""

    def __init__(self, model):
        self.model = model
        self.left = {f: overridden(model, f, LEAD_METHODS) for f in LEAD_METHODS}
        if model._primary_email != "email_from":
            self.left["email_normalized"] = "the primary email is another field"
        if self.left.get("email_normalized"):
            # the domain criterion is made of the normalised email
            self.left["email_domain_criterion"] = self.left["email_normalized"]
        self.left = {f: why for f, why in self.left.items() if why}
        self.taken = [f for f in LEAD_METHODS if f not in self.left]
        why = next(
            filter(
                None,
                (overridden(model, f, LEAD_PHONE_METHODS) for f in LEAD_PHONE_METHODS),
            ),
            None,
        )
        if not why and (
            model._phone_get_country_field() != "country_id"
            or model._mail_get_partner_fields() != ["partner_id"]
        ):
            why = "the phone's country is read elsewhere"
        for fname in LEAD_PHONE_METHODS if why else ():
            self.left.setdefault(fname, why)
        self.phones = not why
        partners = model.env["res.partner"]
        # a partner's own sanitised phone is a lead's: the same numbers, in
        # the same order, with the same country (the partner's, when it has one)
        self.partner_sanitized = (
            self.phones
            and not overridden(partners, "phone_sanitized")
            and partners._phone_get_country_field() == "country_id"
            and not partners._mail_get_partner_fields()
            and partners._phone_get_number_fields() == model._phone_get_number_fields()
        )

    def fill(self, rows):
        """The taken fields' values into the rows (in place): the email's for
        the rows that give it, the partner's phone, mobile and address and
        what they make for the rows that give none of them; per row, the
        names filled."""
        emails = [self._email(row) for row in rows]
        phones = self._phones(rows) if self.phones else [set() for _row in rows]
        return [e | p for e, p in zip(emails, phones, strict=True)]

    def _email(self, row):
        names = set(self.taken)
        if "email_from" in row and names:
            # one parse of the email for the three (loader.bulk_email)
            values = dict(
                zip(
                    ("email_normalized", "email_domain_criterion", "email_state"),
                    email_values(row["email_from"] or False),
                    strict=True,
                )
            )
            row.update({f: values[f] for f in self.taken})
            return names
        return set()

    def _phones(self, rows):
        # a lead given a phone writes it on its partner (_inverse_phone) before
        # the flush: the other leads of that partner are left to Odoo
        touched = {row.get("partner_id") for row in rows if "phone" in row}
        todo = [
            row.get("partner_id")
            and row["partner_id"] not in touched
            and not any(f in row for f in LEAD_PARTNER_FIELDS)
            and "phone_sanitized" not in row
            for row in rows
        ]
        # sudo: Odoo computes these as the superuser (compute_sudo)
        partners = (
            self.model.env["res.partner"]
            .sudo()
            .browse(
                {row["partner_id"] for row, do in zip(rows, todo, strict=True) if do}
            )
        )
        values = {
            partner_id: self._partner_values(partner)
            for partner_id, partner in zip(
                partners._ids, plain_values(partners, PARTNER_READ), strict=True
            )
        }
        out = []
        for row, do in zip(rows, todo, strict=True):
            if not do:
                out.append(set())
                continue
            row.update(values[row["partner_id"]])
            out.append(set(LEAD_PHONE_METHODS))
        return out

    def _partner_values(self, partner):
        """What a new lead of ``partner``, given none of them, computes: the
        partner's address (all of it or none, _prepare_address_values_from_
        partner), its mobile (_compute_mobile), its phone (_compute_phone:
        a lead without one always takes a partner's), the phone's state with
        the lead's country (_compute_phone_state), the first number that
        formats in E.164 with the lead's country, else the partner's, else the
        company's (_compute_phone_sanitized)."""
        if any(partner[f] for f in PARTNER_ADDRESS_FIELDS_TO_SYNC):
            address = {f: partner[f] for f in PARTNER_ADDRESS_FIELDS_TO_SYNC}
        else:
            address = dict.fromkeys(PARTNER_ADDRESS_FIELDS_TO_SYNC, False)
        values = {
            **address,
            "mobile": partner["mobile"],
            "phone": partner["phone"] or False,
        }
        country = self._country(address["country_id"])
        values["phone_state"] = self._phone_state(partner, values["phone"], country)
        values["phone_sanitized"] = self._sanitized(partner, values, country)
        return values

    def _country(self, country_id):
        return self.model.env["res.country"].browse(country_id or [])

    def _phone_state(self, partner, phone, country):
        """_compute_phone_state of a lead of ``partner``: its phone parsed
        with the lead's country. A partner with a country (the lead's) and
        no mobile has its phone's parse with that country already, as its
        own sanitised phone: made of the phone when it parses, else none
        (see __init__). Otherwise the phone's E.164 with the lead's country,
        formatted once per run (``e164``): ``_phone_format_number`` parses
        the number as ``phone_parse`` does with the same country code, and
        gives False exactly when that parse raises."""
        if not phone or not PARSES:
            return False  # phone_parse gives False without the library
        if self.partner_sanitized and partner["country_id"] and not partner["mobile"]:
            return "correct" if partner["phone_sanitized"] else "incorrect"
        return "correct" if e164(self.model, phone, country) else "incorrect"

    def _sanitized(self, partner, values, country):
        """The first of the lead's numbers that formats in E.164 with its
        country, else its partner's, else the company's: the partner's own
        sanitised phone when the partner has a country (see __init__)."""
        if self.partner_sanitized and partner["country_id"]:
            return partner["phone_sanitized"]
        country = (
            country
            or self._country(partner["country_id"])
            or self.model.env.company.country_id
        )
        sanitized = False
        for fname in self.model._phone_get_number_fields():
            if values.get(fname):
                sanitized = e164(self.model, values[fname], country)
                if sanitized:
                    break
        return sanitized


def plain_values(records, names):
    """[{name: value}] of each of ``records``, each value as the record's
    ``convert_to_write`` gives it (a many2one's id, False for none): a
    column's cached values, fetched once for all, where the field's cache
    holds the value itself (``PLAIN_TYPES``, neither translated nor
    company-dependent), instead of a record read per row and field."""
    fields_ = [records._fields[name] for name in names]
    plain = all(
        f.store
        and f.type in PLAIN_TYPES
        and not f.translate
        and not f.company_dependent
        for f in fields_
    )
    if plain:
        records.fetch(list(names))
        cache = records.env.cache
        columns = [cache.get_until_miss(records, field) for field in fields_]
        if all(len(column) == len(records) for column in columns):
            return [
                dict(zip(names, (False if v is None else v for v in row), strict=True))
                for row in zip(*columns, strict=True)
            ]
    return [
        {f.name: f.convert_to_write(record[f.name], record) for f in fields_}
        for record in records
    ]
