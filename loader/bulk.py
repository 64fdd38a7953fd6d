"""The bulk path of the one writer per model (issue 18).

``create()`` of these models does per record what can be done per batch:
mail.message computes each row's author address, reply-to and record name
with a few queries per row, res.partner syncs each contact with its company
by a ``write()`` per contact, crm.lead updates the lead scoring frequencies
per won lead, and the ORM's ``_create`` walks every field of the model for
every record. The bulk path writes the same stored rows with one
parameterised multi-row INSERT (``psycopg2.extras.execute_values``, through
``loader.rows.execute_rows``) per batch and does, per batch, what those
``create()`` methods do per record:

1. the model's own completion of the values (``ModelBulk.complete``: for
   mail.message its author address, Message-Id, reply-to and record name,
   computed by Odoo's own methods once per distinct author / document), and
   what create() writes on a new record right after creating it, as values
   of the row (``ModelBulk.stored``: a contact's commercial fields, address
   and language from its company, loader.bulk_partner);
2. Odoo's ``_prepare_create_values`` (defaults, magic columns, precomputed
   fields), and each column converted by its field's ``convert_to_column_insert``
   exactly as ``_create`` does (html sanitised, json, dates...);
3. the INSERT, then ``modified(create=True)`` for the stored computed fields
   (computed at the flush, protected values kept as ``create`` keeps them),
   the many2many relation rows and the inverse methods (a lead's email and
   phone) as ``create`` writes and calls them, the field constraints and the
   create access check;
4. the model's own side effects per batch (``ModelBulk.after``: for
   mail.activity the assignee subscribed as a follower of the document and
   the assignee's bus notification, as ``mail.activity.create``; for
   res.partner the first contact's address given to its company; for
   crm.lead ``_handle_won_lost`` once per group of leads, loader.bulk_lead);
5. a flush and ``env.invalidate_all()``: nothing cached from before the INSERT
   (a document's ``message_ids``, ``activity_ids``...) survives it.

A model, a field or a batch the bulk path cannot reproduce gets a reason from
``refusal`` and goes through the ORM writer instead (the writer counts it and
the run log says so). tests/test_loader_bulk.py and test_loader_bulk_crm.py
load the same rows both ways and compare the stored rows column by column.
"""

from collections import defaultdict
from itertools import repeat

from psycopg2 import sql

from odoo import SUPERUSER_ID, fields
from odoo.fields import Command
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tools import SQL, clean_context

from odoo.addons.mail.models.mail_message import _image_dataurl

from .bulk_company import check_company
from .bulk_computed import SELF
from .bulk_lead import LeadBulk
from .bulk_partner import PartnerBulk
from .bulk_spec import ModelBulk
from .rows import execute_rows

# the types of the values a column's conversion is memoised for: equal values
# of them convert alike (not so 0.0 and -0.0, equal datetimes of two time
# zones, a text and its Markup)
PLAIN = frozenset({str, int, bool, type(None)})


class MessageBulk(ModelBulk):
    """mail.message: ``Message.create`` computes per record its email_from,
    message_id, reply_to and record_name; here once per distinct value."""

    refused_context = ("default_record_name", "default_model", "default_res_id")
    refused_fields = ("attachment_ids", "tracking_value_ids", "notification_ids")

    def refusal(self, model, vals_list):
        reason = super().refusal(model, vals_list)
        if reason:
            return reason
        for vals in vals_list:
            body = vals.get("body")
            # an embedded base64 image becomes an attachment in create()
            if body and _image_dataurl.search(str(body)):
                return "embedded image in body"
            if vals.get("message_type") == "user_notification":
                return "user notification"
        return None

    def complete(self, model, vals_list):
        thread = model.env["mail.thread"]
        authors = {}
        for vals in vals_list:
            if "email_from" not in vals:
                key = vals.get("author_id")
                if key not in authors:
                    authors[key] = thread._message_compute_author(
                        key, email_from=None, raise_on_email=False
                    )[1]
                vals["email_from"] = authors[key]
            if not vals.get("message_id"):
                vals["message_id"] = model._get_message_id(vals)
        self._reply_to(model, [v for v in vals_list if "reply_to" not in v])
        self._record_names(model, [v for v in vals_list if "record_name" not in v])
        for vals in vals_list:
            if not vals.get("attachment_ids"):
                vals["attachment_ids"] = []

    @staticmethod
    def _reply_to(model, vals_list):
        """``Message._get_reply_to`` per group of (document model, email_from):
        ``_notify_get_reply_to`` is a batch method of the documents."""
        groups = defaultdict(list)
        for vals in vals_list:
            groups[(vals.get("model"), vals.get("email_from"))].append(vals)
        for (res_model, email_from), group in groups.items():
            if res_model:
                docs = model.env[res_model].browse(
                    {v.get("res_id") for v in group if v.get("res_id")}
                )
            else:
                docs = model.env["mail.thread"]
            # sudo: the document's alias and company decide the reply-to, which
            # the run's user may not read; mail.message.create gets it the same way
            replies = docs.sudo()._notify_get_reply_to(default=email_from)
            for vals in group:
                vals["reply_to"] = replies[vals.get("res_id") or False]

    @staticmethod
    def _record_names(model, vals_list):
        """``Message._get_record_name``: the document's display name (as the
        superuser), read once per document model."""
        per_model = defaultdict(list)
        for vals in vals_list:
            res_model, res_id = vals.get("model"), vals.get("res_id")
            if not res_model or not res_id or res_model not in model.env:
                vals["record_name"] = False
            else:
                per_model[res_model].append(vals)
        for res_model, group in per_model.items():
            # sudo: a message's record_name is the document's name, whoever posts it
            docs = model.env[res_model].sudo().browse([v["res_id"] for v in group])
            names = dict(zip(docs.ids, docs.mapped("display_name"), strict=True))
            for vals in group:
                vals["record_name"] = names[vals["res_id"]]


class ActivityBulk(ModelBulk):
    """mail.activity: ``MailActivity.create`` subscribes each assignee to the
    documents and notifies the assignees on the bus, per batch already; the
    loader's context (``mail_activity_quick_update``) turns off the rest."""

    required_context = ("mail_activity_quick_update",)
    refused_fields = ("attachment_ids",)

    def computed(self, model, data):
        """``res_name``, the display name of each activity's document (as the
        superuser, as ``_compute_res_name``), read for the batch's documents
        of a model at once: Odoo's compute browses each document alone at the
        flush (a query of every column of a partner per activity)."""
        per_model = defaultdict(list)
        names = []
        for vals in data:
            given = vals.get("res_model") and vals.get("res_id")
            if given and "res_name" not in vals:
                per_model[vals["res_model"]].append(vals)
            names.append({"res_name"} if given else set())
        for res_model, group in per_model.items():
            # sudo: res_name is compute_sudo, the document's name whoever reads it
            docs = model.env[res_model].sudo().browse([v["res_id"] for v in group])
            for vals, name in zip(group, docs.mapped("display_name"), strict=True):
                vals["res_name"] = name
        return names, {}

    def after(self, model, activities, vals_list):
        env = model.env
        if any(user != env.user for user in activities.user_id):
            readable = activities.user_id.partner_id._filtered_access("read")
        else:
            readable = env.user.partner_id
        for res_model, data in activities._classify_by_model().items():
            per_user = defaultdict(set)
            for activity in data["activities"].filtered(lambda act: act.user_id):
                per_user[activity.user_id].add(activity.res_id)
            for user, res_ids in per_user.items():
                pids = (
                    user.partner_id.ids
                    if user.partner_id in readable
                    # sudo: as mail.activity.create, an assignee whose partner
                    # the loading user cannot read is still subscribed
                    else user.sudo().partner_id.ids
                )
                env[res_model].browse(res_ids).message_subscribe(partner_ids=pids)
        today = fields.Date.today()
        todo = activities.filtered(lambda a: a.active and a.date_deadline <= today)
        for user, user_activities in todo.grouped("user_id").items():
            user._bus_send(
                "mail.activity/updated",
                {"activity_created": True, "count_diff": len(user_activities)},
            )


MODELS = {
    "mail.message": MessageBulk(),
    "mail.activity": ActivityBulk(),
    "res.partner": PartnerBulk(),
    "crm.lead": LeadBulk(),
}


class BulkWriter:
    """Creates a batch of one model by multi-row INSERT, as ``create()`` would."""

    def __init__(self, env):
        self.env = env
        # {(model, field): why}: stored computes Odoo computes per record
        # because the bulk path cannot reproduce them (see ModelBulk.computed)
        self.left = {}

    @staticmethod
    def supports(model_name):
        return model_name in MODELS

    def refusal(self, model, vals_list):
        """Why this batch cannot take the bulk path (None when it can)."""
        spec = MODELS.get(model._name)
        if spec is None:
            return "no bulk writer for this model"
        for vals in vals_list:
            for fname in vals:
                reason = self._field_refusal(model, fname)
                if reason:
                    return reason
        return spec.refusal(model, vals_list)

    @staticmethod
    def _field_refusal(model, fname):
        field = model._fields.get(fname)
        if field is None:
            return f"unknown field {fname}"
        if field.type == "many2many" and field.store and not field.inherited:
            return None  # its relation rows, as _create writes them
        if not field.store or not field.column_type:
            return f"field {fname} has no column"
        if field.inherited or field.company_dependent or field.translate:
            return f"field {fname} is stored elsewhere"
        if field.type == "properties":
            return f"field {fname} is a properties field"
        return None

    def create(self, model, vals_list, dates=None):
        """Insert ``vals_list`` (completed in place as create() completes them);
        returns the new records in the order of ``vals_list``. ``dates``: the
        source's creation date of each row (or None), inserted as create_date
        where the model's create does not read it (``ModelBulk.source_dates``)
        instead of the loader's later UPDATE of every row (book.original_dates,
        which then finds nothing to change)."""
        spec = MODELS[model._name]
        spec.complete(model, vals_list)
        self.env.flush_all()
        data = self._prepare(model, spec, spec.stored(model, vals_list))
        if dates and spec.source_dates and model._log_access:
            for vals, date in zip(data, dates, strict=True):
                if date:
                    vals["create_date"] = date
        computed, left = spec.computed(model, data)
        self.left.update(((model._name, name), why) for name, why in left.items())
        protected, inversed = [], []
        sizes = self._image_sizes(model)
        # what depends on a row's field names only, once per distinct names
        # (the rows of a batch mostly give the same fields)
        by_names = {}
        for vals, names in zip(data, computed, strict=True):
            precomputed = vals.pop("__precomputed__", ())
            key = (frozenset(vals), frozenset(names), frozenset(precomputed))
            if key not in by_names:
                names = {model._fields[name] for name in names}
                by_names[key] = (
                    self._protected(model, vals) | names,
                    # computed values, as precomputed ones, are not inversed
                    list(self._inversed(model, vals, {*precomputed, *names})),
                )
            kept, inverse_names = by_names[key]
            protected.append(kept | self._no_image(sizes, vals))
            inversed.append({fname: vals[fname] for fname in inverse_names})
        self._own_ids(model, data)
        ids = self._insert(model, data)
        records = model.browse(ids)
        # the checks read the new rows from the database (create() has them
        # in its cache): each field they read fetched alone, not every column
        # of the batch with it (a hundred for a partner; the Peppol check
        # reads two, the record rules the company)
        narrow_model = model.with_context(prefetch_fields=False)
        narrow = narrow_model.browse(ids)
        records._parent_store_create()
        with self.env.protecting(
            [(names, model.browse(i)) for names, i in zip(protected, ids, strict=True)]
        ):
            records.modified(model._fields, create=True)
            self._relations(model, records, data)
            if spec.read_back:
                records.fetch(list(spec.read_back))
                self._inverses(narrow_model, narrow, inversed)
            else:
                self._inverses(model, records, inversed)
        narrow._validate_fields({name for vals in data for name in vals})
        if model._check_company_auto:
            check_company(narrow)
        narrow.check_access("create")
        spec.after(model, records, vals_list)
        self.env.flush_all()
        self.env.invalidate_all()
        return records

    def _own_ids(self, model, data):
        """A batch whose rows name their own record (``SELF``: a company is
        its own commercial partner) draws its ids from the table's sequence
        before the INSERT, in row order as the INSERT would draw them, so that
        the value is in the row instead of a second write of every row."""
        if not any(v is SELF for vals in data for v in vals.values()):
            return
        self.env.cr.execute(
            SQL(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                "FROM generate_series(1, %s) ORDER BY 1",
                model._table,
                len(data),
            )
        )
        for vals, (new_id,) in zip(data, self.env.cr.fetchall(), strict=True):
            vals["id"] = new_id
            vals.update({f: new_id for f, v in list(vals.items()) if v is SELF})

    @staticmethod
    def _prepare(model, spec, rows):
        """``_prepare_create_values`` of the rows, its ``default_get`` once per
        set of given fields instead of once per row (the defaults of these
        models depend on the context, not on the row: an account's invoice
        report default is a search, a lead's team a search per owner).

        The steps are Odoo's (models.py ``_prepare_create_values`` and
        ``_add_missing_default_values``, for a model without ``_inherits``);
        ``spec.defaulted`` then completes the rows before the precomputed
        fields are computed for the batch."""
        if not spec.shared_defaults or model._inherits:
            return model._prepare_create_values(rows)
        bad_names = ["id", "parent_path"]
        if model._log_access and not (
            model.env.uid == SUPERUSER_ID and not model.pool.ready
        ):
            bad_names.extend(LOG_ACCESS_COLUMNS)
        bad_names.extend(
            fname
            for fname, field in model._fields.items()
            if field.precompute and field.readonly
        )
        properties = [f for f in model._fields.values() if f.type == "properties"]
        memo, out = {}, []
        now = model.env.cr.now()
        for row in rows:
            key = frozenset(row)
            if key not in memo:
                missing = [name for name in model._fields if name not in row]
                memo[key] = BulkWriter._defaults(model, missing)
            vals = {**memo[key], **row}
            for field in properties:
                vals[field.name] = field._add_default_values(model.env, vals)
            for fname in bad_names:
                vals.pop(fname, None)
            if model._log_access:
                vals.setdefault("create_uid", model.env.uid)
                vals.setdefault("create_date", now)
                vals.setdefault("write_uid", model.env.uid)
                vals.setdefault("write_date", now)
            out.append(vals)
        spec.defaulted(model, out)
        model._add_precomputed_values(out)
        return out

    @staticmethod
    def _defaults(model, missing):
        """``default_get`` of the missing fields, relational defaults as
        commands (as ``_add_missing_default_values`` converts them)."""
        defaults = model.default_get(missing) if missing else {}
        for name, value in defaults.items():
            field = model._fields[name]
            if field.type == "many2many" and value and isinstance(value[0], int):
                defaults[name] = [Command.set(value)]
            elif field.type == "one2many" and value and isinstance(value[0], dict):
                defaults[name] = [Command.create(x) for x in value]
        return defaults

    @staticmethod
    def _no_image(sizes, vals):
        """The stored image sizes (image.mixin: image_1024... related to
        image_1920, ``sizes``: see _image_sizes) of a row given no image:
        computed, they would be False, each looked up among the attachments
        per record; protected, they stay without an attachment, the same."""
        return {
            field
            for field in sizes
            if not vals.get(field.related) and field.name not in vals
        }

    @staticmethod
    def _image_sizes(model):
        """The stored attachment fields related to another field of the model
        (the image sizes): read once per batch, not per row."""
        return [
            field
            for field in model._fields.values()
            if field.type in ("binary", "image")
            and field.store
            and field.attachment
            and field.related
            and "." not in field.related
        ]

    @staticmethod
    def _protected(model, vals):
        """The computed fields create() protects against recomputation: the
        editable ones it was given and the precomputed ones."""
        names = set()
        for fname in vals:
            field = model._fields[fname]
            if field.compute and (not field.readonly or field.precompute):
                names.update(model.pool.field_computed.get(field, [field]))
        return names

    @staticmethod
    def _inversed(model, vals, precomputed):
        """The values whose field has an inverse, as create() collects them
        (a precomputed value is not inversed)."""
        return {
            fname: value
            for fname, value in vals.items()
            if model._fields[fname].inverse
            and not model._fields[fname].inherited
            and model._fields[fname] not in precomputed
        }

    @staticmethod
    def _relations(model, records, data):
        """The many2many values: their relation rows written by the field, as
        ``_create`` does after its INSERT."""
        names = sorted(
            {
                fname
                for vals in data
                for fname in vals
                if not model._fields[fname].column_type and model._fields[fname].store
            }
        )
        if not names:
            return
        others = records.with_context(clean_context(model.env.context))
        for fname in names:
            field = model._fields[fname]
            if field.type != "many2many":
                raise ValueError(f"field {fname} has no column")
            # a new record has no relation rows: its value is empty, as
            # _create caches it before writing them (else the field reads
            # the relation table for the batch, through the rules of its model)
            model.env.cache.update(records, field, repeat((), len(records)))
            field.create(
                [
                    (other, vals[fname])
                    for other, vals in zip(others, data, strict=True)
                    if fname in vals
                ]
            )
        records.modified(names, create=True)

    @staticmethod
    def _inverses(model, records, inversed):
        """Each inverse method once for the records given its fields, as
        create() calls it: the values of fields without a column in the
        cache first (a stored value is read from its row); one call for the
        batch when all the fields are stored, else one per record."""
        groups = defaultdict(set)
        for vals in inversed:
            for fname in vals:
                groups[model._fields[fname].inverse].add(model._fields[fname])
        for fields_ in groups.values():
            names = {field.name for field in fields_}
            batch = []
            for record, vals in zip(records, inversed, strict=True):
                if names.isdisjoint(vals):
                    continue
                record._update_cache(
                    {
                        n: vals[n]
                        for n in names
                        if n in vals and not model._fields[n].store
                    }
                )
                batch.append(record)
            if all(field.store or field.company_dependent for field in fields_):
                batches = [batch]
            else:
                batches = [[record] for record in batch]
            for recs in batches:
                next(iter(fields_)).determine_inverse(model.concat(*recs))

    @staticmethod
    def _converter(field, model):
        """``field.convert_to_column_insert``, memoised per value for the
        batch: a monetary field's for the rows that give no currency
        (``_monetary_converter``); a company-dependent field's per value
        (Odoo's conversion looks the model's ``ir.default`` fallback and
        the company up for every row, an ormcache call each); any other
        field's per ``PLAIN`` value: its conversion is made of the value and
        the batch's environment, not of the row (a lead's stage, owner, team,
        type, company, the same on most rows, went through two or three of
        Odoo's methods per row and column)."""
        if field.type == "monetary" and not field.company_dependent:
            return BulkWriter._monetary_converter(field, model)
        if field.type == "monetary":  # its currency is the row's
            return field.convert_to_column_insert
        conversion = field.convert_to_column_insert
        memo = {}

        def convert(value, record, values):
            kind = type(value)
            if kind not in PLAIN and not field.company_dependent:
                return conversion(value, record, values)
            key = (kind, value)
            try:
                return memo[key]
            except KeyError:
                memo[key] = result = conversion(value, record, values)
                return result
            except TypeError:  # unhashable (a command list): not memoised
                return conversion(value, record, values)

        return convert

    @staticmethod
    def _monetary_converter(field, model):
        """A monetary field's conversion memoised per value for the batch's
        rows that give no currency (nor what it is related to): Odoo rounds
        such a value by the currency of an empty record, computed for every
        value (a lead's six amounts, most of them 0)."""
        name = field.get_currency_field(model)
        related = model._fields[name].related
        given = {name, related.split(".")[0]} if related else {name}
        memo = {}

        def convert(value, record, values):
            key = (type(value), value)
            if given & values.keys():
                return field.convert_to_column_insert(value, record, values)
            if key not in memo:
                memo[key] = field.convert_to_column_insert(value, record, values)
            return memo[key]

        return convert

    def _insert(self, model, data):
        """One multi-row INSERT of the stored columns, values converted by
        their fields as ``_create`` converts them; the ids in row order."""
        columns = sorted(
            fname
            for fname in set().union(*data)
            if model._fields[fname].store
            and model._fields[fname].column_type
            and fname != "id"
        )
        convert = [self._converter(model._fields[fname], model) for fname in columns]
        rows = [
            tuple(
                conv(vals[fname], model, vals) if fname in vals else None
                for fname, conv in zip(columns, convert, strict=True)
            )
            for vals in data
        ]
        if data and "id" in data[0]:  # the batch's ids, drawn by _own_ids
            columns = ["id", *columns]
            rows = [(vals["id"], *row) for vals, row in zip(data, rows, strict=True)]
        query = sql.SQL("INSERT INTO {} ({}) VALUES %s RETURNING id").format(
            sql.Identifier(model._table),
            sql.SQL(", ").join(map(sql.Identifier, columns)),
        )
        # psycopg2 quotes the rows in C, a column of one value in every row
        # (the users, dates, company of a batch) once (loader.rows); the
        # ORM's caches are invalidated after
        result = execute_rows(self.env.cr, query, rows, fetch=True)
        return [row[0] for row in result]
