"""What a model's ``create()`` does beyond the ORM's own ``_create``: the
hooks of one model's bulk path (loader.bulk). A leaf of the loader."""


class ModelBulk:
    """What ``create()`` of one model does beyond the ORM's ``_create``."""

    # context keys under which create() would do something this class does not
    refused_context = ()
    # context keys create() must run with for this class to reproduce it
    required_context = ()
    # fields whose values create() treats specially (refused by the bulk path)
    refused_fields = ()
    # default_get once per set of given fields (defaults that depend on the
    # context only, none a sequence number or a value unique per record)
    shared_defaults = False
    # the source's creation dates inserted as create_date: nothing the model's
    # create does reads the new records' create_date
    source_dates = False
    # the fields of the new records the inverses, the checks and ``after``
    # read, fetched in one query before the inverses (then the inverses read
    # the records a field at a time): not every column of the batch at the
    # inverses' first read
    read_back = ()

    def refusal(self, model, vals_list):
        ctx = model.env.context
        for key in self.refused_context:
            if ctx.get(key):
                return f"context {key}"
        for key in self.required_context:
            if not ctx.get(key):
                return f"context without {key}"
        for vals in vals_list:
            for fname in vals:
                if fname in self.refused_fields:
                    return f"field {fname}"
        return None

    def complete(self, model, vals_list):
        """The values create() adds before the ORM's create (in place, as
        create() does: the caller's dicts then hold what was written)."""

    def stored(self, model, vals_list):
        """The values to insert, one new dict per row (the caller's dicts keep
        only what create() itself adds to them): what create() writes on the
        new records right after creating them goes here, so that the row is
        inserted as it ends up."""
        return [
            {k: v for k, v in vals.items() if k != "attachment_ids"}
            for vals in vals_list
        ]

    def defaulted(self, model, data):
        """The rows with their defaults, before the precomputed fields are
        computed: values a precomputed field would compute per record,
        computed once per batch here (in place)."""

    def computed(self, model, data):
        """The stored computed fields whose values this class puts into the
        rows (in place, after the defaults and precomputed fields), as Odoo
        would compute them at the flush: ([{field names} per row], {field
        name: why Odoo computes it instead})."""
        return [set() for _vals in data], {}

    def after(self, model, records, vals_list):
        """The side effects create() has after the ORM's create (``vals_list``:
        the caller's values, as create() sees them)."""
