"""The company check of a batch written in bulk (loader.bulk, issue 18):
Odoo's own ``_check_company``, on one record per distinct key instead of
every record, as create() would check every one of them."""

from odoo.models import BaseModel, check_company_domain_parent_of

# the company checks that read a value's company and nothing else
# (BaseModel's own; a partner's: the company or a parent of it)
COMPANY_ONLY = (BaseModel._check_company_domain, check_company_domain_parent_of)


def check_company(records):
    """Odoo's own ``_check_company`` of the batch, field by field, on one
    record per distinct (companies, value of the field): the check of a
    field reads nothing else, so records alike in both check alike (a
    batch of leads of one company, owner and team is checked once per
    owner and team, not per lead). A value whose model checks its company
    only (``COMPANY_ONLY``: a partner, whose check reads its company and
    nothing else) is told by its company: a batch of leads of as many
    partners, none of them in a company, is checked once. A failing check
    refuses the batch, which the ORM then writes, naming every record as
    create() does."""
    model = records.browse()
    names = [
        name
        for name, field in model._fields.items()
        if field.relational and field.check_company
    ]
    if not names:
        return
    owner = "company_id" if "company_id" in model._fields else "company_ids"
    if (
        {"company_id", "company_ids"} & set(names)
        or model._name == "res.company"
        or owner not in model._fields
    ):
        records._check_company()
        return
    sudo = records.sudo()
    companies = ids_of(records, owner)
    for name in names:
        field = model._fields[name]
        firsts = {}
        values = ids_of(sudo, name)
        for record_id, owned, value in zip(
            records._ids, companies, values, strict=True
        ):
            key = (() if field.company_dependent else owned, value)
            firsts.setdefault(key, record_id)
        if not field.company_dependent:
            firsts = _by_company(model.env[field.comodel_name], firsts)
        records.browse(list(firsts.values()))._check_company([name])


def ids_of(records, name):
    """``tuple(record[name].ids)`` of each of ``records``: a many2one's
    values fetched once and read from the cache, as ``convert_to_record``
    makes them records (its id, or none), instead of a record made per row
    (a batch's leads' company, customer, owner and team: four per lead)."""
    field = records._fields[name]
    if field.type == "many2one":
        records.fetch([name])
        raw = records.env.cache.get_until_miss(records, field)
        if len(raw) == len(records):
            return [() if value is None else (value,) for value in raw]
    return [tuple(record[name].ids) for record in records]


def _by_company(comodel, firsts):
    """{(companies, value): record} kept once per (companies, the value's
    companies) when the value's model checks its company and nothing else
    (``COMPANY_ONLY``); as it is otherwise."""
    if (
        type(comodel)._check_company_domain not in COMPANY_ONLY
        or "company_id" not in comodel._fields
    ):
        return firsts
    # sudo: the check reads the values as the superuser (_check_company)
    values = comodel.sudo().browse(sorted({i for _o, ids in firsts for i in ids}))
    values.fetch(["company_id"])
    company = {value.id: value.company_id.id for value in values}
    told = {}
    for (owned, ids), record_id in firsts.items():
        key = (owned, bool(ids), frozenset(company[i] for i in ids) - {False})
        told.setdefault(key, record_id)
    return told
