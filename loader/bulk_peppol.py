"""A new partner's company registry and Peppol address as values of the
inserted row (issue 18), instead of Odoo's compute of every new partner at
the flush and the UPDATE of every new row that writes them.

``company_registry`` (base) keeps the value it was given: a new partner given
none stores NULL. ``peppol_eas`` and ``peppol_endpoint`` (account_edi_ubl_cii)
are computed from the partner's country, VAT and company registry
(``_compute_peppol_eas``, ``_compute_peppol_endpoint``); here from the row's
final values (after the commercial sync the bulk path puts into the row) with
Odoo's own ``EAS_MAPPING`` and ``_build_error_peppol_endpoint``. A field is
taken over only while its compute and the methods it calls are Odoo's own and
the mapping reads no field but the VAT and the company registry (a
localisation that adds one, l10n_fr's SIRET..., overrides the methods too);
else Odoo computes it, and ``left`` says why. A value the row gives is kept
(create() protects it): only the missing ones are filled."""

from .bulk_computed import BASE, overridden

UBL = "odoo.addons.account_edi_ubl_cii.models.res_partner"
PEPPOL = {
    "_deduce_country_code": "odoo.addons.account.models.partner",
    "_peppol_eas_endpoint_depends": UBL,
    "_build_error_peppol_endpoint": UBL,
}
METHODS = {
    "company_registry": {"_compute_company_registry": BASE},
    "peppol_eas": {"_compute_peppol_eas": UBL, **PEPPOL},
    "peppol_endpoint": {"_compute_peppol_endpoint": UBL, **PEPPOL},
}
# the partner fields the Peppol mapping may read here (see _mapping_reason)
READ = ("vat", "company_registry")


class RegistryComputed:
    """The company registry and Peppol address of a batch of new partners."""

    def __init__(self, model):
        self.model = model
        names = [f for f in METHODS if f in model._fields]
        self.left = {f: overridden(model, f, METHODS) for f in names}
        peppol = [f for f in names if f.startswith("peppol_")]
        why = peppol and self._mapping_reason()
        for fname in peppol:
            self.left[fname] = self.left[fname] or why
        self.left = {f: why for f, why in self.left.items() if why}
        self.taken = [f for f in names if f not in self.left]
        self.mapping = self._mapping() if peppol else {}
        self._codes = {}
        self._errors = {}

    def _mapping_reason(self):
        """Why the Peppol compute cannot be reproduced from the row, or None."""
        related = self.model._fields.get("country_code")
        if related is None or related.related != "country_id.code":
            return "country_code is not the country's code"
        mapping = self._mapping()
        for fname in {f for eas in mapping.values() for f in eas.values() if f}:
            if fname in self.model._fields and fname not in READ:
                return f"the Peppol address reads {fname}"
        return None

    @staticmethod
    def _mapping():
        from odoo.addons.account_edi_ubl_cii.models.account_edi_common import (
            EAS_MAPPING,
        )

        return EAS_MAPPING

    def fill(self, rows):
        """The taken fields' values into the rows that do not give them (in
        place); per row, the names filled."""
        return [self._fill_row(row) for row in rows]

    def _fill_row(self, row):
        filled = {f for f in self.taken if f not in row}
        if "company_registry" in filled:
            row["company_registry"] = False
        if filled & {"peppol_eas", "peppol_endpoint"}:
            code = self._country_code(row)
            eas = row.get("peppol_eas") or False
            if "peppol_eas" in filled:
                eas = row["peppol_eas"] = self._eas(code, row)
            if "peppol_endpoint" in filled:
                row["peppol_endpoint"] = self._endpoint(code, eas, row)
        return filled

    def _value(self, row, fname):
        """The record's value of a char field of the row, as create() caches it."""
        field = self.model._fields[fname]
        cached = field.convert_to_cache(row.get(fname, False), self.model)
        return field.convert_to_record(cached, self.model)

    def _country_code(self, row):
        """account's ``_deduce_country_code``: the VAT's prefix, else the
        country's code."""
        country_id = row.get("country_id") or False
        if country_id not in self._codes:
            country = self.model.env["res.country"].browse(country_id or [])
            self._codes[country_id] = country.code or False
        vat = self._value(row, "vat")
        if vat and vat[:2].isalpha():
            return vat[:2].upper()
        return self._codes[country_id]

    def _error(self, eas, endpoint):
        key = (eas, endpoint)
        if key not in self._errors:
            self._errors[key] = self.model._build_error_peppol_endpoint(eas, endpoint)
        return self._errors[key]

    def _eas(self, code, row):
        """``_compute_peppol_eas`` of a new partner (no EAS before)."""
        eas_to_field = self.mapping.get(code)
        if not eas_to_field:
            return False
        for eas, fname in eas_to_field.items():
            value = fname and fname in self.model._fields and self._value(row, fname)
            if value and not self._error(eas, value):
                return eas
        return next(iter(eas_to_field))

    def _endpoint(self, code, eas, row):
        """``_compute_peppol_endpoint`` of a new partner (no endpoint before)."""
        fname = self.mapping.get(code, {}).get(eas)
        if not fname or fname not in self.model._fields:
            return False
        value = self._value(row, fname)
        return value if value and not self._error(eas, value) else False
