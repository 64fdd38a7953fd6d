"""The run cache: what a run looks up again and again, loaded once per run
(users, countries, value maps, names of small tables) or once per object (the
ledger of earlier runs), and what the run itself made so far."""

from dataclasses import dataclass, field

from odoo.tools import SQL

from ..engine.match import norm_company, norm_email, norm_text


def name_key(record):
    return norm_text(record.name)


@dataclass(frozen=True)
class ValueMapView:
    """A value map read once per run into plain values: the resolution asks a
    value's map for every cell, which as an ORM record is a field read each
    time (and a query again after every batch's cache invalidation). A run
    does not change its value maps."""

    target_id: int | bool  # the Odoo record a person mapped the value to
    create_new: bool

    @classmethod
    def of(cls, vmap):
        target = vmap.target_ref  # None when empty
        return cls(target_id=target.id if target else False, create_new=vmap.create_new)


@dataclass
class RunCache:
    """Typed lookups of one run. Every piece of the loader reads and fills
    this one object instead of passing dicts around."""

    env: object
    run: object
    project: object
    # norm email / login / name -> res.users id
    users: dict = field(default_factory=dict)
    # ids of the archived users among them (a source's suspended users)
    archived_users: set = field(default_factory=set)
    # ISO code or normalised name -> res.country id
    countries: dict = field(default_factory=dict)
    # (field map id, source value) -> ValueMapView
    value_maps: dict = field(default_factory=dict)
    # (target, source key) -> res_id / res_model, of earlier runs, of the
    # current batch's rows (read back from the ledger, fetch_keys) and what
    # a person or a match decided; not of every row the run loaded
    keys: dict = field(default_factory=dict)
    key_models: dict = field(default_factory=dict)
    # the keys above that end with the batch (the ledger holds them)
    batch_keys: list = field(default_factory=list)
    # (target, dedupe value) -> res_id
    dedupe: dict = field(default_factory=dict)
    # (target, source key) merged by earlier runs (or batches of this one)
    merged: set = field(default_factory=set)
    # norm company name -> partner id; norm email -> partner id
    companies: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)
    # norm person name -> [(partner id, parent id)] (a deal's contact person)
    people: dict = field(default_factory=dict)
    # model -> {norm name: id} of small tables (stages, tags, teams...)
    names: dict = field(default_factory=dict)
    won_stage: int | None = None
    # staging row id -> {column: corrected value} of the current batch
    corrections: dict = field(default_factory=dict)
    # records a batch made on the fly (stages, tags...); drained per batch
    auto_created: list = field(default_factory=list)
    # (country id, norm state) -> res.country.state ids
    states: dict = field(default_factory=dict)
    # (team id, norm stage name) -> crm.stage id
    team_stages: dict = field(default_factory=dict)
    # target -> {source key: res_id}, merges included (how a note finds its contact)
    linked: dict = field(default_factory=dict)
    # email -> [partner ids], people first; and those of x_ email fields
    partner_emails: dict = field(default_factory=dict)
    partner_other_emails: dict = field(default_factory=dict)
    other_email_fields: list | None = None
    model_ids: dict = field(default_factory=dict)
    xmlids: dict = field(default_factory=dict)
    user_partners: dict = field(default_factory=dict)
    # (model, domain, key function) -> {key: id} of active records
    named: dict = field(default_factory=dict)
    currencies: dict = field(default_factory=dict)
    # invoice source key -> the Prepared (or booked row) that made it
    invoice_rows: dict = field(default_factory=dict)
    # (parent target, key kind, tiebreak) -> engine.core.links.LinkIndex
    link_indexes: dict = field(default_factory=dict)
    # object map ids whose stages were inferred from their deals this run
    inferred_stages: set = field(default_factory=set)
    # (run id, [its object map ids loaded]): preload_keys leaves out the
    # ledger rows of that run's other object maps (loader/worker_cache.py)
    settled: tuple | None = None

    # ------------------------------------------------------------ building
    @classmethod
    def build(cls, env, run, omaps):
        """The caches of the whole run: users, value maps, countries."""
        cache = cls(env=env, run=run, project=run.project_id)
        users = env["res.users"].with_context(active_test=False)
        for user in users.search([("share", "=", False)]):
            cache.remember_user(user)
        for vmap in omaps.value_map_ids:
            cache.value_maps[(vmap.field_map_id.id, vmap.source_value)] = (
                ValueMapView.of(vmap)
            )
        for country in env["res.country"].search([]):
            cache.countries[country.code.upper()] = country.id
            cache.countries[norm_text(country.name)] = country.id
            cache.countries.setdefault(
                norm_text(country.with_context(lang="en_US").name), country.id
            )
        return cache

    def preload_keys(self, omap):
        """Ledger of earlier runs: what each source key of this target became."""
        self.merged.update((omap.target, key) for key in self._merged_keys(omap))
        rows = self._ledger_rows(omap.target, ("create", "update", "link"))
        alive_by_model = self._alive(rows)
        for key, res_id, res_model in rows:
            if (res_model, res_id) in alive_by_model:
                self.keys[(omap.target, key)] = res_id
                self.key_models[(omap.target, key)] = res_model
        alive = [r for m, r in alive_by_model if m == omap.model_name]
        # (a custom object's own model holds no partners)
        partners = omap.model_name == "res.partner"
        if omap.target in ("company", "contact") and partners and alive:
            model = self.env[omap.model_name].with_context(active_test=False)
            for rec in model.browse(sorted(set(alive))):
                self._remember_partner(omap.target, rec)
        elif omap.dedupe_rule == "email" and alive:
            # a re-run merges a duplicate into the record the first run made
            model = self.env[omap.model_name].with_context(active_test=False)
            if "email_normalized" in model._fields:
                for rec in model.browse(sorted(set(alive))):
                    if rec.email_normalized:
                        self.dedupe.setdefault(
                            (omap.target, rec.email_normalized), rec.id
                        )

    def _remember_partner(self, target, rec):
        if target == "company":
            self.companies.setdefault(norm_company(rec.name), rec.id)
        elif rec.email:
            self.contacts.setdefault(norm_email(rec.email), rec.id)
            self.dedupe.setdefault(("contact", norm_email(rec.email)), rec.id)

    def _merged_keys(self, omap):
        self.env["migration.ledger"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT source_key FROM migration_ledger WHERE project_id = %s "
                "AND target = %s AND operation = 'merge' "
                "AND NOT coalesce(rolled_back, false) AND %s",
                self.project.id,
                omap.target,
                self._settled_rows(),
            )
        )
        return [key for (key,) in self.env.cr.fetchall()]

    def _ledger_rows(self, target, operations):
        """[(source key, res_id, res_model)] of the project's ledger, oldest first."""
        self.env["migration.ledger"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT source_key, res_id, res_model FROM migration_ledger "
                "WHERE project_id = %s AND target = %s "
                "AND NOT coalesce(rolled_back, false) AND operation = ANY(%s) "
                "AND %s ORDER BY id",
                self.project.id,
                target,
                list(operations),
                self._settled_rows(),
            )
        )
        return self.env.cr.fetchall()

    def _settled_rows(self):
        """The ledger rows the preload reads (see ``settled``)."""
        if not self.settled:
            return SQL("TRUE")
        run_id, omap_ids = self.settled
        return SQL("(run_id != %s OR object_map_id = ANY(%s))", run_id, list(omap_ids))

    def _alive(self, rows):
        """{(res_model, res_id)} of the ledger rows whose record still exists."""
        alive = set()
        for res_model in {m for _k, _r, m in rows}:
            ids = {r for _k, r, m in rows if m == res_model}
            records = self.env[res_model].with_context(active_test=False).browse(ids)
            alive |= {(res_model, i) for i in records.exists().ids}
        return alive

    # ------------------------------------------------------------ remember
    def remember_user(self, user):
        if not user.active:
            self.archived_users.add(user.id)
        for key in (user.login, user.email):
            if key:
                self.users.setdefault(norm_email(key), user.id)
        self.users.setdefault(norm_text(user.name), user.id)

    def remember_key(self, target, key, record):
        self.keys[(target, key)] = record.id
        self.key_models[(target, key)] = record._name
        self.batch_keys.append((target, key))

    def fetch_keys(self, omap, keys):
        """The records the ledger gives these source keys of ``omap``'s target
        (earlier runs, and earlier batches of this run), for the batch about
        to classify them: what the run once kept for every row it loaded."""
        wanted = sorted({k for k in keys if k and (omap.target, k) not in self.keys})
        if not wanted:
            return
        self.env["migration.ledger"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT source_key, res_id, res_model FROM migration_ledger "
                "WHERE project_id = %s AND target = %s AND source_key = ANY(%s) "
                "AND NOT coalesce(rolled_back, false) AND operation = ANY(%s) "
                "ORDER BY id",
                self.project.id,
                omap.target,
                wanted,
                ["create", "update", "link"],
            )
        )
        rows = self.env.cr.fetchall()
        alive = self._alive(rows)
        for key, res_id, res_model in rows:
            if (res_model, res_id) in alive:
                self.keys[(omap.target, key)] = res_id
                self.key_models[(omap.target, key)] = res_model
                self.batch_keys.append((omap.target, key))

    def end_batch(self):
        """Forget the keys of the batch's rows (its ledger rows hold them: a
        later batch fetches its own, ``key_res`` reads the ledger): the run
        keeps one batch's keys, never one per row it loaded."""
        for slot in self.batch_keys:
            res_id = self.keys.pop(slot, None)
            self.key_models.pop(slot, None)
            target, key = slot
            if res_id and target in self.linked:
                # read before the batch: what key_res found in keys
                self.linked[target][key] = res_id
        self.batch_keys = []

    def take_auto_created(self):
        """The records made on the fly since the last call (one batch's)."""
        made, self.auto_created = self.auto_created, []
        return made

    # ------------------------------------------------------------ lookups
    def names_of(self, model):
        """{normalised name: id} of a small table, loaded once per run."""
        if model not in self.names:
            names = {}
            records = self.env[model].with_context(active_test=False)
            for rec in records.search_read([], ["name"]):
                names.setdefault(norm_text(rec["name"]), rec["id"])
            self.names[model] = names
        return self.names[model]

    def named_ids(self, model, domain, key_fn=None):
        """{key: id} of a model's active records, once a run per model, domain
        and key (by default the normalised name)."""
        key_fn = key_fn or name_key
        slot = (model, str(domain), key_fn)
        if slot not in self.named:
            self.named[slot] = {}
            for rec in self.env[model].search(domain):
                self.named[slot].setdefault(key_fn(rec), rec.id)
        return self.named[slot]

    def linked_keys(self, target):
        """{source key: res_id} of what earlier runs (and batches) loaded for
        ``target``, merged rows included: how a note finds its contact."""
        if target not in self.linked:
            rows = self._ledger_rows(target, ("create", "update", "link", "merge"))
            alive = self._alive(rows)
            self.linked[target] = {k: r for k, r, m in rows if (m, r) in alive}
        return self.linked[target]

    def key_res(self, target, ref):
        """The record a source id (``ref``) of ``target`` became, if any."""
        if not ref:
            return None
        key = f"id:{str(ref).strip()}"
        return self.keys.get((target, key)) or self.linked_keys(target).get(key)

    def model_id(self, model_name):
        if model_name not in self.model_ids:
            self.model_ids[model_name] = self.env["ir.model"]._get_id(model_name)
        return self.model_ids[model_name]

    def xmlid(self, xmlid):
        if xmlid not in self.xmlids:
            self.xmlids[xmlid] = self.env["ir.model.data"]._xmlid_to_res_id(
                xmlid, raise_if_not_found=False
            )
        return self.xmlids[xmlid]

    def user_partner(self, user_id):
        if user_id and user_id not in self.user_partners:
            users = self.env["res.users"].with_context(active_test=False)
            self.user_partners[user_id] = users.browse(user_id).partner_id.id
        return self.user_partners.get(user_id)

    def currency(self, code):
        """Id of an active currency (an inactive one is reported), or None."""
        if not code:
            return None
        if code not in self.currencies:
            self.currencies[code] = (
                self.env["res.currency"].search([("name", "=", code)], limit=1).id
            )
        return self.currencies[code]
