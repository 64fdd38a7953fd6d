"""The bulk path of res.partner (issue 18).

``res.partner.create`` (odoo/addons/base/models/res_partner.py) follows the
ORM's create with, per record (``_fields_sync`` and two more hooks):

1. a contact whose commercial partner is not itself gets the commercial
   fields of its commercial partner written on it (``_commercial_sync_from_company``:
   one ``write()`` per contact, with product's pricelist computed and
   inversed per contact);
2. a contact of type ``contact`` whose parent has an address gets the
   parent's address written on it (``onchange_parent_id`` + ``update_address``);
3. a contact without a language takes its parent's (``_onchange_parent_id_for_lang``);
4. the first contact of a company without an address gives the company its
   address (``_handle_first_contact_creation``).

Here 1-3 are values of the inserted row (read once per distinct parent), so the
row is inserted as it ends up after those writes, and 4 runs Odoo's own method
after the INSERT. What this cannot reproduce is refused (the ORM writes the
batch): other commercial fields than the ones classified below, several
companies (company-dependent commercial fields are synced per company),
contexts that change the defaults, an archived contact with a parent (the
order of the first-contact rule would matter), a parent that has a parent.
"""

from .bulk_computed import PartnerComputed
from .bulk_peppol import RegistryComputed
from .bulk_spec import ModelBulk

# the one commercial field that is neither a column nor company-dependent,
# computed and inversed by product (its inverse is reproduced in _pricelist)
PRICELIST = "property_product_pricelist"


class PartnerBulk(ModelBulk):
    """res.partner: the parent's commercial fields, address and language as
    values of the row; the first-contact rule after the INSERT."""

    # tracking off: mail.thread's create subscribes and logs nothing
    required_context = ("tracking_disable",)
    shared_defaults = True
    source_dates = True
    refused_context = ("import_file", "_partners_skip_fields_sync")
    refused_fields = (
        "child_ids",
        "user_ids",
        "company_type",
        PRICELIST,
        "specific_property_product_pricelist",
    )

    def refusal(self, model, vals_list):
        reason = super().refusal(model, vals_list)
        if reason:
            return reason
        for key in model.env.context:
            if key.startswith("default_"):
                return f"context {key}"
        if not any(vals.get("parent_id") for vals in vals_list):
            return None
        return self._parent_refusal(model, vals_list)

    def _parent_refusal(self, model, vals_list):
        for fname in model._commercial_fields():
            if self._commercial_kind(model, fname) is None:
                return f"commercial field {fname}"
        # sudo: how many companies the database has, whatever the user's own
        if model.env["res.company"].sudo().search_count([]) > 1:
            return "several companies (company-dependent commercial fields)"
        defaults = model.env["ir.default"]._get_model_defaults(model._name)
        if defaults.get("specific_property_product_pricelist"):
            return "a default pricelist for partners"
        parents = model.browse(
            {v["parent_id"] for v in vals_list if v.get("parent_id")}
        )
        if len(parents.exists()) < len(parents):
            # create() refuses that row alone; reading it here would fail the batch
            return "a parent that does not exist"
        # what the batch reads of its parents (here, the sync, the computes)
        # in one narrow query: a first read fetches every column of the model.
        # sudo: the commercial sync reads them as the superuser (_fields_sync),
        # and some are an accountant's only (credit_limit): the user's own
        # reads stay checked where they happen
        parents.sudo().fetch(self._parent_fields(model))
        if parents.filtered("parent_id"):
            return "a parent that has a parent"
        if any(v.get("parent_id") and v.get("active") is False for v in vals_list):
            return "an archived contact with a parent"
        return None

    def _parent_fields(self, model):
        """The stored fields of a parent the batch reads (the pricelist's
        company-dependent column too: product's compute reads it on each
        parent, which alone fetches every column of the parents)."""
        names = [
            "parent_id",
            "commercial_partner_id",
            "is_company",
            "name",
            "lang",
            "user_id",
            *model._address_fields(),
            *(
                f
                for f in model._commercial_fields()
                if self._commercial_kind(model, f) == "column"
            ),
        ]
        if any(
            self._commercial_kind(model, f) == "pricelist"
            for f in model._commercial_fields()
        ):
            names.append("specific_property_product_pricelist")
        return [n for n in dict.fromkeys(names) if n in model._fields]

    @staticmethod
    def _commercial_kind(model, fname):
        """'column' (its value copied into the row), 'pricelist', or None."""
        field = model._fields.get(fname)
        if field is None:
            return None
        if fname == PRICELIST and field.inverse and not field.store:
            return "pricelist"
        if (
            field.store
            and field.column_type
            and not field.inverse
            and not field.translate
            and field.type not in ("many2many", "one2many")
        ):
            return "column"
        return None

    def defaulted(self, model, data):
        """The salesperson of a row given none, as ``_compute_user_id``
        precomputes it on a new record (its parent's, for a person with a
        parent that has one; else none): read once per parent, where
        ``_add_precomputed_values`` would make a new record per row."""
        field = model._fields.get("user_id")
        if field is None or not field.precompute:
            return
        todo = [vals for vals in data if "user_id" not in vals]
        parents = model.browse(
            {vals["parent_id"] for vals in todo if vals.get("parent_id")}
        )
        owners = {parent.id: parent.user_id.id for parent in parents}
        for vals in todo:
            parent_id = vals.get("parent_id")
            person = not vals.get("is_company")
            vals["user_id"] = (person and parent_id and owners[parent_id]) or False

    def computed(self, model, data):
        """The commercial partner and company name, complete name, normalised
        email, share flag and sanitised phone (loader.bulk_computed), the
        company registry and the Peppol address (loader.bulk_peppol)."""
        computed, registry = PartnerComputed(model), RegistryComputed(model)
        names = zip(computed.fill(data), registry.fill(data), strict=True)
        return [a | b for a, b in names], {**computed.left, **registry.left}

    def complete(self, model, vals_list):
        # as create(): the caller's values are rewritten in place
        for vals in vals_list:
            if vals.get("website"):
                vals["website"] = model._clean_website(vals["website"])
            if vals.get("parent_id"):
                vals["company_name"] = False

    def stored(self, model, vals_list):
        rows = super().stored(model, vals_list)
        with_parent = [
            (v, r) for v, r in zip(vals_list, rows, strict=True) if v.get("parent_id")
        ]
        if not with_parent:
            return rows
        parents = model.browse({v["parent_id"] for v, _r in with_parent})
        commercial = self._commercial_values(model, parents)
        addresses = self._addresses(model, parents)
        defaults = model.default_get(
            ["type", "lang", *model._address_fields(), *model._commercial_fields()]
        )
        pricelists = {}
        for vals, row in with_parent:
            parent_id = vals["parent_id"]
            synced = {}
            if not vals.get("is_company"):
                # the commercial partner is the parent's (_compute_commercial_partner)
                synced.update(
                    self._synced(model, commercial[parent_id], row, pricelists)
                )
            if row.get("type", defaults.get("type")) == "contact":
                synced.update(addresses[parent_id])
            if "lang" not in vals:
                synced["lang"] = (
                    model.browse(parent_id).lang
                    or model.env.context.get("default_lang")
                    or model.env.lang
                )
            self._write_into(model, row, synced, defaults)
        return rows

    @staticmethod
    def _write_into(model, row, synced, defaults):
        """``synced`` into the row as ``write()`` would change the new record:
        a value equal to the one the record holds is not written (the field
        keeps its default or given value, NULL stays NULL)."""
        record = model.browse()
        for fname, value in synced.items():
            field = model._fields[fname]
            current = row[fname] if fname in row else defaults.get(fname)
            if field.convert_to_cache(value, record) != field.convert_to_cache(
                current, record
            ):
                row[fname] = value

    def _commercial_values(self, model, parents):
        """{parent id: its commercial partner's commercial values}, read as
        ``_commercial_sync_from_company`` reads them (as the superuser),
        once per parent."""
        # sudo: _fields_sync runs the commercial sync as the superuser
        parents = parents.sudo()
        columns = [
            f
            for f in model._commercial_fields()
            if self._commercial_kind(model, f) == "column"
        ]
        # (the parents are their own commercial partners: see _parent_refusal)
        parents.commercial_partner_id.fetch(columns)
        out = {}
        for parent in parents:
            partner = parent.commercial_partner_id
            values = partner._update_fields_values(columns)
            if PRICELIST in model._commercial_fields():
                values[PRICELIST] = partner[PRICELIST].id
            out[parent.id] = values
        return out

    @staticmethod
    def _addresses(model, parents):
        """{parent id: the address ``onchange_parent_id`` copies (all address
        fields), or {} when the parent has none}."""
        names = model._address_fields()
        out = {}
        for parent in parents:
            if any(parent[f] for f in names):
                out[parent.id] = {
                    f: parent._fields[f].convert_to_write(parent[f], parent)
                    for f in names
                }
            else:
                out[parent.id] = {}
        return out

    def _synced(self, model, values, row, pricelists):
        """The commercial values as the row holds them after the sync's write:
        the columns copied; the pricelist by product's inverse
        (``_inverse_product_pricelist``), evaluated with the contact's own
        country, which the sync's write sees (the address comes after)."""
        out = {k: v for k, v in values.items() if k != PRICELIST}
        pricelist = values.get(PRICELIST)
        if pricelist:
            default = self._country_pricelist(model, row.get("country_id"), pricelists)
            out["specific_property_product_pricelist"] = (
                False if pricelist == default else pricelist
            )
        return out

    @staticmethod
    def _country_pricelist(model, country_id, cache):
        """The pricelist of the country's group, as the inverse searches it
        (once per country here)."""
        if country_id not in cache:
            country = model.env["res.country"].browse(country_id or [])
            # sudo: the inverse runs inside the sync, as the superuser
            cache[country_id] = (
                model.env["product.pricelist"]
                .sudo()
                .search(
                    [
                        (
                            "country_group_ids.country_ids.code",
                            "=",
                            country.code or False,
                        )
                    ],
                    limit=1,
                )
                .id
            )
        return cache[country_id]

    def after(self, model, records, vals_list):
        # what the first-contact rule reads of the new rows, in one narrow query
        records.fetch(["parent_id", *model._address_fields()])
        children = records.filtered("parent_id")
        for partner in children:
            partner._handle_first_contact_creation()
