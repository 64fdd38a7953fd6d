"""The loader: staging rows -> Odoo records, batch by batch.

One writer per target model (``_write_create`` / ``_write_update``) is the only
place that calls ``create``/``write`` on migrated records, so that a bulk SQL
path can replace it later without touching the rest. Everything else prepares
values (pure engine transforms), resolves lookups from caches preloaded per run
and per batch, and books every outcome: ledger rows for what was written,
review items for what a person must look at, counts for the reconciliation.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field

from odoo import _, api, fields, models, modules, tools
from odoo.fields import Command
from odoo.tools import SQL, mute_logger, split_every

from ..engine import plan
from ..engine import transform as tf
from ..engine.countries import country_code
from ..engine.match import norm_company, norm_email, norm_text
from ..engine.sources.base import get_source
from .migration_run_line import OUTCOMES
from .migration_target_field import target_model

_logger = logging.getLogger(__name__)

LOAD_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
}
# target field -> value map kind / lookup family
RELATION_KIND = {
    "stage_id": "stage",
    "user_id": "owner",
    "team_id": "team",
    "lost_reason_id": "lost_reason",
    "country_id": "country",
    "state_id": "state",
    "tag_ids": "tag",
    "category_id": "tag",
    "industry_id": "industry",
    "source_id": "source",
}
CREATE_MODELS = {
    "stage": "crm.stage",
    "team": "crm.team",
    "lost_reason": "crm.lost.reason",
    "industry": "res.partner.industry",
    "source": "utm.source",
}
# words of a file's name that say what its rows are, when no column says it
LEAD_WORDS = frozenset({"lead", "leads", "prospect", "prospects", "suspects"})
OPPORTUNITY_WORDS = frozenset(
    {"deal", "deals", "opportunity", "opportunities", "negocios", "oportunidades"}
)
# a phone column's label column: "<column> Note" / "Type" / "Label"
PHONE_LABEL_WORDS = ("Note", "Type", "Label", "note", "type", "label")
MOBILE_LABELS = frozenset(
    {
        "mobile",
        "cell",
        "cell phone",
        "cellphone",
        "celular",
        "mobile phone",
        "movil",
        "portable",
    }
)
ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")
# the terms of the equation as counted per batch, plus the values held for review
COUNTS = ("read", *OUTCOMES, "invalid")
TAG_MODELS = {
    "lead": "crm.tag",
    "company": "res.partner.category",
    "contact": "res.partner.category",
}


def can_commit(env, commit):
    """Per-batch commits happen in a command-line or background run only: never
    under tests, whose transaction belongs to the test case."""
    return commit and not (tools.config["test_enable"] or modules.module.current_test)


def selection_key(value):
    """Key of a source value in a new x_ selection field."""
    return re.sub(r"[^a-z0-9]+", "_", norm_text(value)).strip("_")[:60] or "empty"


@dataclass
class Prepared:
    """One staging row on its way to Odoo."""

    row_id: int
    line: int
    key: str
    vals: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)
    held: dict | None = None
    dedupe: str | None = None
    create_date: object = None
    write_date: object = None
    defaults: set = field(default_factory=set)  # values the source did not give
    model: str | None = None  # the Odoo model written, when not the object map's
    record: object = None  # engine.records.Record of a converted target
    quiet: bool = False  # a merge that is expected (no 'duplicate' review item)
    create_only: set = field(default_factory=set)  # never written on updates
    cleared: set = field(default_factory=set)  # empty cells a map says clear
    after: dict = field(default_factory=dict)  # what _after_create still does


class MigrationLoader(models.AbstractModel):
    _name = "migration.loader"
    _description = "Migration Loader"

    # ------------------------------------------------------------------ run
    def _run(self, run, commit=False):
        project = run.project_id
        omaps = project.object_map_ids.filtered(lambda m: m.target and m.source_id)
        order = plan.order(list(dict.fromkeys(omaps.mapped("target"))))
        omaps = omaps.sorted(
            lambda m: (order.index(m.target), m.extends_only, m.sequence, m.id)
        )
        self._create_custom_fields(omaps)
        state = self._prepare_state(run, omaps)
        Staging = self.env["migration.staging.row"]
        if run.kind == "delta":
            per_object = self._select_delta_rows(omaps)
        else:
            per_object = self._select_rows(run, omaps)
        for omap in omaps.filtered(lambda m: m.target in ("note", "activity")):
            per_object[omap.id] = self._oldest_first(omap, per_object[omap.id], state)
        run.total_rows = sum(len(ids) for ids in per_object.values())
        do_commit = can_commit(self.env, commit)
        for seq, omap in enumerate(omaps, start=1):
            line = self.env["migration.run.line"].create(
                {
                    "run_id": run.id,
                    "object_map_id": omap.id,
                    "sequence": seq,
                    "object_name": omap.object_name,
                    "target": omap.target,
                }
            )
            run._log(
                _(
                    "Loading %(object)s into %(model)s",
                    object=omap.object_name,
                    model=omap.model_name,
                )
            )
            self._preload_keys(omap, state)
            progress = self.env.context.get("migration_progress")
            done = 0
            for batch_ids in split_every(
                project.batch_size or 500, per_object[omap.id]
            ):
                # a batch is all or nothing: if it raises, none of its records
                # stays without its ledger rows (the run is then marked failed)
                with self.env.cr.savepoint():
                    self._load_batch(run, omap, line, Staging.browse(batch_ids), state)
                run.done_rows += len(batch_ids)
                done += len(batch_ids)
                if progress:
                    progress(omap.object_name, done, len(per_object[omap.id]))
                if do_commit:
                    # the documented per-batch commit: a long run keeps what it
                    # loaded if it stops, and the ledger makes the re-run resume
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        return True

    def _select_rows(self, run, omaps):
        """{object map id: staging row ids to load, in load order}.

        A full run takes every row. A sample takes ``sample_size`` rows of
        the most dependent object (leads first) and then, object by object
        towards the least dependent, the rows those refer to (a deal brings
        its contact by email and its company by name, a contact its company),
        each object topped up with its first rows and capped at
        ``sample_size``; rows gone from the source (state removed) are left
        out.
        """
        Staging = self.env["migration.staging.row"]
        if run.kind != "sample":
            return {
                omap.id: Staging.search(
                    [("source_id", "=", omap.source_id.id), ("state", "!=", "removed")],
                    order="line, id",
                ).ids
                for omap in omaps
            }
        size = run.sample_size or run.project_id.sample_size or 200
        Staging.flush_model(["source_id", "line", "data"])
        links, keys = self._sample_links()
        wanted = {}  # target -> {normalised value: rank}, first referenced first
        selected = {}
        for omap in reversed(omaps):
            columns = self._sample_columns(omap)
            own_fields, kind = keys.get(omap.target, ((), None))
            ids = self._sample_linked_ids(
                omap,
                [col for fname in own_fields for col in columns.get(fname, [])],
                kind,
                wanted.get(omap.target) or {},
                size,
            )
            if len(ids) < size:
                ids += Staging.search(
                    [
                        ("source_id", "=", omap.source_id.id),
                        ("state", "!=", "removed"),
                        ("id", "not in", ids),
                    ],
                    order="line, id",
                    limit=size - len(ids),
                ).ids
            selected[omap.id] = Staging.search(
                [("id", "in", ids)], order="line, id"
            ).ids
            for target, fnames, ref_kind in links.get(omap.target, ()):
                norm = norm_email if ref_kind == "email" else norm_company
                ranks = wanted.setdefault(target, {})
                for value in self._sample_values(
                    selected[omap.id],
                    [col for fname in fnames for col in columns.get(fname, [])],
                ):
                    key = norm(value)
                    if key:
                        ranks.setdefault(key, len(ranks))
        return {omap.id: selected[omap.id] for omap in omaps}

    def _sample_links(self):
        """What a sample follows: ({target: ((referenced target, fields of
        the row holding the reference, "email" or "company"), ...)},
        {referenced target: (fields holding its own key, "email" or "company")})."""
        links = {
            "lead": (
                ("contact", ("partner_email", "email_from"), "email"),
                ("company", ("partner_name",), "company"),
            ),
            "contact": (("company", ("company_name",), "company"),),
        }
        keys = {"contact": (("email",), "email"), "company": (("name",), "company")}
        return links, keys

    def _sample_columns(self, omap):
        """{target field name: [source columns mapped to it]}."""
        columns = {}
        for fmap in omap.field_map_ids:
            if fmap.action == "map" and fmap.target_field_id:
                columns.setdefault(fmap.target_field_id.name, []).append(fmap.column)
        return columns

    def _sample_values(self, row_ids, columns):
        """Non-empty values of ``columns`` in these staging rows, in line order."""
        if not row_ids or not columns:
            return []
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM migration_staging_row WHERE id = ANY(%s) ORDER BY line, id",
                SQL(", ").join(SQL("data->>%s", col) for col in columns),
                row_ids,
            )
        )
        return [value for row in self.env.cr.fetchall() for value in row if value]

    def _sample_linked_ids(self, omap, columns, kind, wanted, size):
        """Rows of ``omap`` whose ``columns`` hold a ``wanted`` value: the first
        row of each value (in rank order), then its other rows; at most ``size``.

        PostgreSQL narrows the rows down with a key close to the engine's
        normalisation (the same email; for a company, the same first letters
        and digits, accents folded); the engine's norm_email / norm_company
        then decides, so the SQL key only has to let every true match through.
        """
        if not columns or not wanted or not kind or size <= 0:
            return []
        if kind == "email":
            emails = list({email.strip("<>") for email in wanted})
            conditions = [
                SQL(
                    "btrim(regexp_replace(lower(regexp_replace(data->>%s, '\\s', '', 'g')), "
                    "'^mailto:', ''), '<>') = ANY(%s)",
                    col,
                    emails,
                )
                for col in columns
            ]
            norm = norm_email
        else:
            # a company name's letters and digits, accents folded; the engine
            # strips trailing legal forms only, so its key is a prefix of this
            plain = "".join(chr(c) for c in range(0xC0, 0x250))
            folded = [norm_text(char) for char in plain]
            pairs = [
                (char, fold)
                for char, fold in zip(plain, folded, strict=True)
                if len(fold) == 1 and fold.isascii() and fold.isalnum()
            ]
            accents_from = "".join(char for char, _fold in pairs)
            accents_to = "".join(fold for _char, fold in pairs)
            by_length = {}
            for name in wanted:
                prefix = re.sub(r"[^a-z0-9]", "", name)[:12]
                by_length.setdefault(len(prefix), set()).add(prefix)
            conditions = []
            for col in columns:
                loose = SQL(
                    "regexp_replace(translate(lower(replace(data->>%s, 'ß', 'ss')), %s, %s), "
                    "'[^a-z0-9]', '', 'g')",
                    col,
                    accents_from,
                    accents_to,
                )
                # a name without a latin letter or digit has no prefix: the
                # engine decides on every row with a value
                conditions += [
                    SQL("left(%s, %s) = ANY(%s)", loose, length, sorted(prefixes))
                    if length
                    else SQL("data->>%s <> ''", col)
                    for length, prefixes in by_length.items()
                ]
            norm = norm_company
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM migration_staging_row WHERE source_id = %s "
                "AND state IS DISTINCT FROM 'removed' AND (%s) ORDER BY line, id",
                SQL(", ").join(SQL("data->>%s", col) for col in columns),
                omap.source_id.id,
                SQL(" OR ").join(conditions),
            )
        )
        firsts, others = {}, []
        for row_id, *values in self.env.cr.fetchall():
            keys = {norm(value) for value in values if value}
            ranks = [wanted[key] for key in keys if key in wanted]
            if not ranks:
                continue
            if min(ranks) in firsts:
                others.append(row_id)
            else:
                firsts[min(ranks)] = row_id
        return ([firsts[rank] for rank in sorted(firsts)] + others)[:size]

    def _select_delta_rows(self, omaps):
        """A delta loads only the rows new or changed since they were last
        loaded (their staging state is back to 'staged'), and the held rows a
        person has decided about in the review queue since."""
        Staging = self.env["migration.staging.row"]
        decided = (
            self.env["migration.review"]
            .search(
                [
                    ("project_id", "in", omaps.project_id.ids),
                    ("state", "in", ("resolved", "ignored")),
                    ("staging_row_id.state", "=", "review"),
                ]
            )
            .staging_row_id
        )
        return {
            omap.id: Staging.search(
                [
                    ("source_id", "=", omap.source_id.id),
                    "|",
                    ("state", "=", "staged"),
                    ("id", "in", decided.ids),
                ],
                order="line, id",
            ).ids
            for omap in omaps
        }

    # ---------------------------------------------------------- custom fields
    def _create_custom_fields(self, omaps):
        """Create every x_ field the maps ask for, one create() per model,
        before any row is loaded (each create reloads the registry)."""
        if not self.env.user.has_group("crm_migration.group_migration_manager"):
            # a Migration User's sample does not change the database schema:
            # the columns meant for new fields wait for a manager's run
            return
        by_model = {}
        IrField = self.env["ir.model.fields"]
        for omap in omaps:
            for fmap in omap.field_map_ids.filtered(
                lambda f: f.action == "create" and f.new_field_name
            ):
                # ask the database, not the registry: that is where the column is
                if IrField._get(omap.model_name, fmap.new_field_name):
                    continue
                by_model.setdefault(omap.model_name, {}).setdefault(
                    fmap.new_field_name, fmap
                )
        TargetField = self.env["migration.target.field"]
        for model_name, fmaps in by_model.items():
            model_id = self.env["ir.model"]._get_id(model_name)
            vals_list = []
            for name, fmap in fmaps.items():
                vals = {
                    "name": name,
                    "model_id": model_id,
                    "ttype": fmap.new_field_type,
                    "field_description": self._free_label(
                        model_name,
                        fmap.new_field_label or fmap.column,
                        fmap.object_map_id.object_name,
                    ),
                    "state": "manual",
                }
                if fmap.new_field_type == "many2many":
                    # tags of the contact model's own tag table, in a table of
                    # their own (Odoo's default name is one per model pair)
                    comodel = TAG_MODELS.get(
                        fmap.object_map_id.target, "res.partner.category"
                    )
                    # a long name is cut: a hash of model and field keeps it unique
                    digest = hashlib.sha1(f"{model_name}.{name}".encode()).hexdigest()[
                        :8
                    ]
                    vals.update(
                        relation=comodel,
                        relation_table=f"x_{self.env[model_name]._table}_{name[2:]}"[
                            :50
                        ]
                        + f"_{digest}_rel",
                        column1="record_id",
                        column2="tag_id",
                    )
                if fmap.new_field_type == "selection":
                    values = self.env["migration.value.map"]._distinct_values(
                        fmap, split=False
                    )
                    keys = {}
                    for value in values:
                        keys.setdefault(selection_key(value), value)
                    vals["selection_ids"] = [
                        Command.create({"value": key, "name": label, "sequence": seq})
                        for seq, (key, label) in enumerate(keys.items())
                    ]
                vals_list.append(vals)
            # sudo: creating fields needs Settings rights; a Migration Manager's
            # confirmed map (or a sample run of it) is the authorisation here
            self.env["ir.model.fields"].sudo().create(vals_list)
            _logger.info("created custom fields %s on %s", list(fmaps), model_name)
        for omap in omaps:
            for fmap in omap.field_map_ids.filtered(
                lambda f: f.action == "create" and f.new_field_name
            ):
                if not TargetField._get(omap.target, fmap.new_field_name):
                    # sudo: the catalogue mirrors the model's fields, it is not
                    # user data; a Migration User may add the fields a run made
                    TargetField.sudo().create(
                        {
                            "target": omap.target,
                            "model_name": omap.model_name,
                            "name": fmap.new_field_name,
                            "label": fmap.new_field_label or fmap.column,
                            "ttype": fmap.new_field_type,
                            "custom": True,
                        }
                    )

    def _free_label(self, model_name, label, object_name):
        """A label no field of the model has, nor of the models that inherit
        its fields by delegation (a res.partner field shows on res.users too):
        'Status' becomes 'Status (memberships)'."""
        taken = {f.string.lower() for f in self.env[model_name]._fields.values()}
        for other in self.env.registry.values():
            if model_name in other._inherits:
                taken |= {f.string.lower() for f in other._fields.values()}
        if label.lower() in taken:
            return f"{label} ({object_name})"
        return label

    # ------------------------------------------------------------ lookups
    def _prepare_state(self, run, omaps):
        """Caches for the whole run: users, value maps, names of small tables."""
        state = {
            "run": run,
            "project": run.project_id,
            "keys": {},  # (target, key) -> res_id
            "dedupe": {},  # (target, email) -> res_id
            "companies": {},  # norm company name -> partner id
            "contacts": {},  # email -> partner id
            "names": {},  # model -> {norm name: id}
            "value_maps": {},  # (field_map id, source value) -> value map
            "won_stage": None,
            "merged": set(),  # (target, key) merged by earlier runs
        }
        users = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("share", "=", False)])
        )
        by_user = {}
        for user in users:
            for key in (user.login, user.email):
                if key:
                    by_user.setdefault(norm_email(key), user.id)
            by_user.setdefault(norm_text(user.name), user.id)
        state["users"] = by_user
        for vmap in omaps.value_map_ids:
            state["value_maps"][(vmap.field_map_id.id, vmap.source_value)] = vmap
        countries = {}
        for country in self.env["res.country"].search([]):
            countries[country.code.upper()] = country.id
            countries[norm_text(country.name)] = country.id
            countries.setdefault(
                norm_text(country.with_context(lang="en_US").name), country.id
            )
        state["countries"] = countries
        return state

    def _names(self, model, state):
        """{normalised name: id} of a small table, loaded once per run."""
        if model not in state["names"]:
            names = {}
            for rec in (
                self.env[model]
                .with_context(active_test=False)
                .search_read([], ["name"])
            ):
                names.setdefault(norm_text(rec["name"]), rec["id"])
            state["names"][model] = names
        return state["names"][model]

    def _preload_keys(self, omap, state):
        """Ledger of earlier runs: what each source key of this target became."""
        self.env["migration.ledger"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT source_key FROM migration_ledger WHERE project_id = %s AND target = %s "
                "AND operation = 'merge' AND NOT coalesce(rolled_back, false)",
                omap.project_id.id,
                omap.target,
            )
        )
        state["merged"].update((omap.target, key) for (key,) in self.env.cr.fetchall())
        self.env.cr.execute(
            SQL(
                "SELECT source_key, res_id, res_model FROM migration_ledger "
                "WHERE project_id = %s AND target = %s AND NOT coalesce(rolled_back, false) "
                "AND operation IN ('create', 'update', 'link') "
                "ORDER BY id",
                omap.project_id.id,
                omap.target,
            )
        )
        model = self.env[omap.model_name].with_context(active_test=False)
        rows = self.env.cr.fetchall()
        alive_by_model = {}
        for res_model in {m for _k, _r, m in rows}:
            ids = {r for _k, r, m in rows if m == res_model}
            alive_by_model[res_model] = set(
                self.env[res_model]
                .with_context(active_test=False)
                .browse(ids)
                .exists()
                .ids
            )
        alive = alive_by_model.get(omap.model_name, set())
        for key, res_id, res_model in rows:
            if res_id in alive_by_model[res_model]:
                state["keys"][(omap.target, key)] = res_id
                state.setdefault("key_models", {})[(omap.target, key)] = res_model
        if omap.target == "company" and alive:
            for rec in model.browse(list(alive)):
                state["companies"].setdefault(norm_company(rec.name), rec.id)
        if omap.target == "contact" and alive:
            for rec in model.browse(list(alive)):
                if rec.email:
                    state["contacts"].setdefault(norm_email(rec.email), rec.id)
                    state["dedupe"].setdefault(
                        ("contact", norm_email(rec.email)), rec.id
                    )

    def _lookup_companies(self, names, state):
        """Existing Odoo companies for the names not seen yet (one query a batch)."""
        missing = {
            norm_company(n): n
            for n in names
            if n and norm_company(n) not in state["companies"]
        }
        if not missing:
            return
        lowered = list({n.strip().lower() for n in missing.values()})
        self.env["res.partner"].flush_model(["name", "is_company"])
        self.env.cr.execute(
            SQL(
                "SELECT id, name FROM res_partner WHERE is_company AND active "
                "AND lower(name) = ANY(%s) AND (company_id IS NULL OR company_id = %s) ORDER BY id",
                lowered,
                state["project"].company_id.id,
            )
        )
        for pid, name in self.env.cr.fetchall():
            state["companies"].setdefault(norm_company(name), pid)

    def _lookup_contacts(self, emails, state):
        missing = [e for e in emails if e and e not in state["contacts"]]
        if not missing:
            return
        self.env["res.partner"].flush_model(["email_normalized"])
        self.env.cr.execute(
            SQL(
                "SELECT id, email_normalized FROM res_partner WHERE active "
                "AND email_normalized = ANY(%s) ORDER BY is_company, id",
                missing,
            )
        )
        for pid, email in self.env.cr.fetchall():
            state["contacts"].setdefault(email, pid)

    # ------------------------------------------------------------- a batch
    def _load_batch(self, run, omap, line, rows, state):
        fmaps = omap.field_map_ids.filtered(
            lambda f: (
                (f.action == "map" and f.target_field_id)
                or (f.action == "create" and f.new_field_name)
            )
        )
        decisions = self._review_decisions(rows)
        state["corrections"] = {
            row_id: d["corrections"] for row_id, d in decisions.items()
        }
        if omap.converted:
            prepared = [self._prepare_converted(omap, row, state) for row in rows]
        else:
            prepared = [self._prepare_row(omap, fmaps, row, state) for row in rows]
        getattr(self, f"_resolve_{omap.target}")(omap, prepared, state)
        if omap.extends_only:
            for prep in prepared:
                prep.quiet = True
        counts = dict.fromkeys(COUNTS, 0)
        counts["read"] = len(prepared)
        creates, updates, merges, held, skipped = [], [], [], [], []
        pending = {}  # key or dedupe value -> Prepared created in this batch
        for prep in prepared:
            decision = decisions.get(prep.row_id, {})
            link = decision.get("link")
            if link and link._name != (prep.model or omap.model_name):
                prep.issues.append(
                    self._issue(
                        prep,
                        "invalid_value",
                        False,
                        f"{link._name},{link.id}",
                        _(
                            "The review item links this %(model)s row to a %(other)s; "
                            "it was not applied.",
                            model=prep.model or omap.model_name,
                            other=link._name,
                        ),
                    )
                )
                link = None
            elif link and not link.exists():
                link = None
            if link:
                # a person linked this row to an existing record: update it
                state["keys"][(omap.target, prep.key)] = link.id
                prep.held = None
            if prep.held:
                if decision.get("ignored"):
                    skipped.append(prep)
                else:
                    held.append(prep)
                continue
            res_id = state["keys"].get((omap.target, prep.key))
            known_model = state.get("key_models", {}).get((omap.target, prep.key))
            if (
                res_id
                and known_model
                and known_model != (prep.model or omap.model_name)
            ):
                # e.g. a scheduled email (activity) that is now sent (message)
                prep.held = self._issue(
                    prep,
                    "invalid_value",
                    False,
                    prep.key,
                    _(
                        "This row was loaded as a %(before)s and is now a %(now)s: "
                        "remove the earlier record (or roll its run back) first.",
                        before=known_model,
                        now=prep.model or omap.model_name,
                    ),
                )
                held.append(prep)
                continue
            if res_id:
                updates.append((prep, res_id))
                continue
            dedupe_key = (omap.target, prep.dedupe) if prep.dedupe else None
            if dedupe_key and dedupe_key in state["dedupe"]:
                merges.append((prep, state["dedupe"][dedupe_key]))
                continue
            first = pending.get(("key", prep.key)) or (
                dedupe_key and pending.get(dedupe_key)
            )
            if first:
                merges.append((prep, first))
                continue
            pending[("key", prep.key)] = prep
            if dedupe_key:
                pending[dedupe_key] = prep
            creates.append(prep)
        creates, existing = self._match_existing(omap, creates, state)
        matched_ids = {id(prep): pid for prep, pid in existing}
        merges = existing + merges
        if omap.extends_only:
            # a custom object row fills its record, it never makes one
            email_column = (omap._columns_for("email") or [False])[0]
            for prep in creates:
                prep.held = self._issue(
                    prep,
                    "orphan",
                    email_column,
                    prep.dedupe or prep.key,
                    _(
                        "No %(object)s record to extend: no contact with this email "
                        "in the source or in Odoo.",
                        object=omap.model_name,
                    ),
                )
                held.append(prep)
            creates = []

        ledger, row_states = [], {}
        created, failed = [], []
        for model_name in dict.fromkeys(p.model or omap.model_name for p in creates):
            ok, bad = self._write_create(
                self._writer(model_name),
                [p for p in creates if (p.model or omap.model_name) == model_name],
            )
            created += ok
            failed += bad
        created_ids = {}
        for prep, record in created:
            created_ids[id(prep)] = record.id
            state["keys"][(omap.target, prep.key)] = record.id
            state.setdefault("key_models", {})[(omap.target, prep.key)] = record._name
            if prep.dedupe:
                state["dedupe"].setdefault((omap.target, prep.dedupe), record.id)
            self._remember_record(omap, prep, record, state)
            ledger.append(
                self._ledger_vals(run, omap, prep, record, "create", after=prep.vals)
            )
            row_states.setdefault("loaded", []).append(prep.row_id)
        counts["created"] = len(created)
        for prep, exc in failed:
            prep.held = self._issue(
                prep,
                "error",
                False,
                False,
                _("Odoo refused the row: %(error)s", error=exc),
            )
            held.append(prep)

        only_empty = state["project"].match_existing != "update"
        for prep, target in merges:
            res_id = (
                target
                if isinstance(target, int)
                else created_ids.get(id(target)) or matched_ids.get(id(target))
            )
            if not res_id:  # the row it merges into was refused
                prep.held = self._issue(
                    prep,
                    "duplicate",
                    False,
                    prep.dedupe or prep.key,
                    _(
                        "Duplicate of line %(line)s, which was not loaded.",
                        line=target.line,
                    ),
                )
                held.append(prep)
                continue
            record = self._writer(prep.model or omap.model_name).browse(res_id)
            vals = {k: v for k, v in prep.vals.items() if k not in prep.create_only}
            if prep.after.get("link_only"):
                vals = {}  # a record that was in Odoo before: linked, never written
            before, error = self._write_update(record, vals, only_empty=only_empty)
            if error:
                prep.held = self._issue(
                    prep,
                    "error",
                    False,
                    False,
                    _("Odoo refused the merge: %(error)s", error=error),
                )
                held.append(prep)
                continue
            row_states.setdefault("merged", []).append(prep.row_id)
            if not before and (omap.target, prep.key) in state["merged"]:
                counts["unchanged"] += 1  # merged by an earlier run, nothing new
                continue
            state["merged"].add((omap.target, prep.key))
            if prep.quiet:
                # an expected merge (a custom object row, a user or tag that
                # already exists): booked, not a review item
                if omap.extends_only and not before:
                    lost = {
                        k: v
                        for k, v in vals.items()
                        if k.startswith("x_") and v not in (None, False, "")
                    }
                    if lost and self._snapshot(record, list(lost)) != self._jsonable(
                        lost
                    ):
                        prep.issues.append(
                            self._issue(
                                prep,
                                "duplicate",
                                False,
                                prep.dedupe or prep.key,
                                _(
                                    "%(record)s already has values from another "
                                    "%(object)s row; this row's were not written: "
                                    "%(values)s",
                                    record=record.display_name,
                                    object=omap.object_name,
                                    values=", ".join(
                                        f"{k}={v}" for k, v in lost.items()
                                    ),
                                ),
                            )
                        )
                ledger.append(
                    self._ledger_vals(run, omap, prep, record, "merge", before, before)
                )
                counts["merged"] += 1
                continue
            # visible: which source rows went into which record
            first_line = target.line if not isinstance(target, int) else None
            prep.issues.append(
                self._issue(
                    prep,
                    "duplicate",
                    False,
                    prep.dedupe or prep.key,
                    _(
                        "Merged into %(record)s%(first)s: same %(what)s.",
                        record=record.display_name,
                        first=_(" (line %(line)s)", line=first_line)
                        if first_line
                        else "",
                        what=_("email or VAT as a partner already in Odoo")
                        if id(prep) in matched_ids
                        else _("key")
                        if not prep.dedupe
                        else _("name")
                        if omap.converted
                        else _("email"),
                    ),
                )
            )
            ledger.append(
                self._ledger_vals(run, omap, prep, record, "merge", before, before)
            )
            counts["merged"] += 1

        updated = []
        for prep, res_id in updates:
            model_name = state.get("key_models", {}).get(
                (omap.target, prep.key), omap.model_name
            )
            record = self._writer(model_name).browse(res_id)
            # an update writes what the source says, never a default over Odoo
            vals = {
                k: v
                for k, v in prep.vals.items()
                if k not in prep.defaults and k not in prep.create_only
            }
            vals.update({f: False for f in prep.cleared if f not in vals})
            before, error = self._write_update(record, vals)
            if error:
                prep.held = self._issue(
                    prep,
                    "error",
                    False,
                    False,
                    _("Odoo refused the update: %(error)s", error=error),
                )
                held.append(prep)
                continue
            if before:
                ledger.append(
                    self._ledger_vals(run, omap, prep, record, "update", before, before)
                )
                counts["updated"] += 1
                updated.append((prep, record, before))
            else:
                counts["unchanged"] += 1
            row_states.setdefault("loaded", []).append(prep.row_id)

        self._after_create(omap, created, state)
        self._after_update(omap, updated, state)
        reviews = []
        for prep in prepared:
            for issue in prep.issues:
                counts["invalid"] += issue["kind"] not in (
                    "duplicate",
                    "external",
                    "not_loaded",
                )
                reviews.append(
                    self._review_vals(
                        run,
                        omap,
                        prep,
                        issue,
                        held=False,
                        record_id=created_ids.get(id(prep)),
                        res_model=prep.model,
                    )
                )
        for prep in held:
            reviews.append(self._review_vals(run, omap, prep, prep.held, held=True))
            row_states.setdefault("review", []).append(prep.row_id)
        for prep in skipped:
            row_states.setdefault("skipped", []).append(prep.row_id)
        counts["review"] = len(held)
        counts["skipped"] = len(skipped)

        # the stages, tags... made for this batch come first: a rollback, newest
        # first, then removes the records using them before them
        ledger = self._auto_created_ledger(run, state) + ledger
        # sudo: the ledger is the loader's own book; people (Migration Users
        # included) may read it but never write rows that a rollback would obey
        self.env["migration.ledger"].sudo().create(ledger)
        self._create_reviews(reviews, decisions)
        for model_name in dict.fromkeys(r._name for _p, r in created):
            self._set_original_dates(
                self.env[model_name],
                [
                    (record.id, p.create_date)
                    for p, record in created
                    if p.create_date and record._name == model_name
                ],
            )
        self._set_row_states(
            run, row_states, {p.row_id: (p.key, p.write_date) for p in prepared}
        )
        line.write(
            {
                f"{name}_count": line[f"{name}_count"] + counts[name]
                for name in COUNTS
                if name != "invalid"
            }
            | {"invalid_value_count": line.invalid_value_count + counts["invalid"]}
        )

    def _review_decisions(self, rows):
        """What people decided in the review queue about these rows:
        {row id: {"corrections": {column: value}, "link": res_id, "ignored": bool}}.
        Resolved corrections and links are applied by this run; an ignored row
        that was held back is skipped (a person's confirmed rule)."""
        decisions = {}
        items = self.env["migration.review"].search(
            [
                ("staging_row_id", "in", rows.ids),
                ("state", "in", ("resolved", "ignored")),
            ],
            order="id",
        )
        for item in items:
            decision = decisions.setdefault(
                item.staging_row_id.id,
                {"corrections": {}, "link": None, "ignored": False},
            )
            if item.state == "ignored":
                decision["ignored"] = decision["ignored"] or item.row_held
                continue
            if item.corrected_value and item.column:
                decision["corrections"][item.column] = item.corrected_value
            if item.link_ref:
                decision["link"] = item.link_ref
        return decisions

    def _create_reviews(self, reviews, decisions):
        """One review item per problem: a re-run does not repeat an item that
        is already in the queue (open, resolved or ignored) for the same row,
        kind, column and value."""
        if not reviews:
            return
        row_ids = list({vals["staging_row_id"] for vals in reviews})
        known = {
            (
                item.staging_row_id.id,
                item.kind,
                item.column or False,
                item.value or False,
            )
            for item in self.env["migration.review"].search(
                [("staging_row_id", "in", row_ids)]
            )
        }
        fresh = [
            vals
            for vals in reviews
            if (vals["staging_row_id"], vals["kind"], vals["column"], vals["value"])
            not in known
        ]
        self.env["migration.review"].with_context(**LOAD_CONTEXT).create(fresh)

    def _match_existing(self, omap, creates, state):
        """Rows about to become new partners that match an existing Odoo partner
        by email or VAT are merged into it instead (ledger keeps before-values).
        Returns (rows still to create, [(row, partner id)])."""
        if (
            omap.target not in ("company", "contact")
            or state["project"].match_existing == "none"
        ):
            return creates, []
        emails = {norm_email(p.vals["email"]) for p in creates if p.vals.get("email")}
        vats = {
            re.sub(r"[^0-9A-Za-z]", "", str(p.vals["vat"])).upper()
            for p in creates
            if p.vals.get("vat")
        }
        if not emails and not vats:
            return creates, []
        self.env["res.partner"].flush_model(["email_normalized", "vat", "is_company"])
        self.env.cr.execute(
            SQL(
                "SELECT id, email_normalized, upper(regexp_replace(coalesce(vat, ''), "
                "'[^0-9A-Za-z]', '', 'g')) FROM res_partner "
                "WHERE active AND is_company = %s AND (email_normalized = ANY(%s) OR "
                "upper(regexp_replace(coalesce(vat, ''), '[^0-9A-Za-z]', '', 'g')) = ANY(%s)) "
                "AND (company_id IS NULL OR company_id = %s) ORDER BY id",
                omap.target == "company",
                list(emails),
                list(vats),
                state["project"].company_id.id,
            )
        )
        by_email, by_vat = {}, {}
        for pid, email, vat in self.env.cr.fetchall():
            if email:
                by_email.setdefault(email, pid)
            if vat:
                by_vat.setdefault(vat, pid)
        keep, matched = [], []
        for prep in creates:
            vat = re.sub(r"[^0-9A-Za-z]", "", str(prep.vals.get("vat") or "")).upper()
            email = norm_email(prep.vals.get("email") or "")
            pid = (vat and by_vat.get(vat)) or (email and by_email.get(email))
            if pid:
                matched.append((prep, pid))
                state["keys"][(omap.target, prep.key)] = pid
                if prep.dedupe:
                    state["dedupe"].setdefault((omap.target, prep.dedupe), pid)
            else:
                keep.append(prep)
        return keep, matched

    def _auto_created_ledger(self, run, state):
        """Ledger rows for the stages, tags, teams... a batch created on the fly,
        so that a rollback removes them too."""
        entries = []
        for record in state.pop("auto_created", []):
            entries.append(
                {
                    "run_id": run.id,
                    "project_id": run.project_id.id,
                    "target": "lookup",
                    "source_key": f"auto:{record._name}:{record.display_name}",
                    "res_model": record._name,
                    "res_id": record.id,
                    "operation": "create",
                    "written_at": record.write_date,
                    # what a rollback compares: the record's own name, if it has one
                    "after_values": self._snapshot(record, ["name"]) or False,
                }
            )
        return entries

    # ------------------------------------------------------------ prepare
    def _prepare_row(self, omap, fmaps, row, state):
        data = row.data or {}
        prep = Prepared(row_id=row.id, line=row.line, key="")
        project = state["project"]
        corrections = state.get("corrections", {}).get(row.id, {})
        for fmap in fmaps:
            raw = corrections.get(fmap.column, data.get(fmap.column))
            if raw is None or str(raw).strip() == "":
                self._clear_if_asked(omap, fmap, prep)
                continue
            raw = str(raw)
            if fmap.action == "map":
                fname, ftype = fmap.target_field_id.name, fmap.target_field_id.ttype
                virtual = fmap.target_field_id.virtual
            else:
                fname, ftype, virtual = fmap.new_field_name, fmap.new_field_type, False
                if fname not in self.env[omap.model_name]._fields:
                    continue  # not created yet (a Migration User's sample)
            options = self._transform_options(fmap, project)
            try:
                value = tf.apply(fmap.transform or "text", raw, **options)
            except ValueError as exc:
                prep.issues.append(
                    self._issue(prep, "invalid_value", fmap.column, raw, str(exc))
                )
                continue
            if value is None:
                continue
            self._check_reading(prep, fmap, raw, value, options)
            if (
                fmap.action == "create"
                and self.env[omap.model_name]._fields[fname].type == "many2many"
            ):
                comodel = self.env[omap.model_name]._fields[fname].comodel_name
                names = value if isinstance(value, list) else tf.split_list(str(value))
                ids = [
                    self._resolve_name(comodel, fmap, n, state, create=True)
                    for n in names or ()
                ]
                prep.vals[fname] = [
                    Command.link(i) for i in dict.fromkeys(i for i in ids if i)
                ]
                continue
            if fmap.action == "create" and ftype == "selection":
                value = selection_key(str(value))
            elif ftype in ("char", "text", "html", "email", "phone") and not isinstance(
                value, str
            ):
                value = str(value)
            if virtual or fname in RELATION_KIND:
                prep.extra[fname] = (value, fmap, raw)
            else:
                prep.vals[fname] = value
        self._split_street(prep, fmaps)
        self._phones_by_label(prep, fmaps, data)
        prep.key = self._row_key(omap, prep, data)
        prep.create_date = self._extra_value(prep, "create_date")
        prep.write_date = self._extra_value(prep, "write_date")
        for fname, (value, fmap, raw) in list(prep.extra.items()):
            if fname in RELATION_KIND:
                self._resolve_relation(omap, prep, fname, value, fmap, raw, state)
        return prep

    def _clear_if_asked(self, omap, fmap, prep):
        """An empty cell keeps Odoo's value on an update, unless its map says
        that empty clears (a real field only: virtual ones have no one value)."""
        if not fmap.empty_clears or fmap.action == "ignore":
            return
        fname = (
            fmap.new_field_name
            if fmap.action == "create"
            else fmap.target_field_id.name
        )
        if fname in self.env[omap.model_name]._fields and not (
            fmap.action == "map" and fmap.target_field_id.virtual
        ):
            prep.cleared.add(fname)

    def _check_reading(self, prep, fmap, raw, value, options):
        """A date that can only be read against its column's day/month order is
        written as it reads, and a person checks it (never a silent swap)."""
        used = tf.read_against(raw.strip(), options.get("order"))
        if used:
            prep.issues.append(
                self._issue(
                    prep,
                    "invalid_value",
                    fmap.column,
                    raw,
                    _(
                        "Read as %(date)s (%(used)s), although the column's dates are "
                        "%(order)s: check that day and month are not swapped.",
                        date=value,
                        used=used,
                        order=options["order"],
                    ),
                )
            )

    def _phones_by_label(self, prep, fmaps, data):
        """A phone column with a label beside it ("Phone 1" + "Phone 1 Note":
        Mobile / Office) puts a number labelled mobile in mobile and the other
        one in phone, whichever column each came from."""
        kinds = {}
        for fmap in fmaps:
            fname = fmap.action == "map" and fmap.target_field_id.name
            if fname in ("phone", "mobile") and prep.vals.get(fname):
                kinds[fname] = next(
                    (
                        norm_text(str(data[key]))
                        for key in (f"{fmap.column} {w}" for w in PHONE_LABEL_WORDS)
                        if data.get(key)
                    ),
                    "",
                )
        mobile = {f for f, label in kinds.items() if label in MOBILE_LABELS}
        other = {f for f, label in kinds.items() if label and f not in mobile}
        vals = prep.vals
        if "phone" in mobile and ("mobile" in other or "mobile" not in kinds):
            vals["phone"], vals["mobile"] = vals.get("mobile"), vals["phone"]
        elif "mobile" in other and "phone" not in kinds:
            vals["phone"], vals["mobile"] = vals["mobile"], None
        for fname in ("phone", "mobile"):
            if fname in vals and not vals[fname]:
                del vals[fname]

    def _split_street(self, prep, fmaps):
        """A street written on several lines ("909 Robson St / Bureau 300") fills
        street and street2, unless a column of its own gives street2."""
        street = prep.vals.get("street")
        if not isinstance(street, str) or "\n" not in street.strip():
            return
        if any(
            f.action == "map" and f.target_field_id.name == "street2" for f in fmaps
        ):
            return
        first, rest = street.strip().split("\n", 1)
        prep.vals["street"] = first.strip()
        prep.vals["street2"] = " ".join(rest.split())

    def _transform_options(self, fmap, project):
        name = fmap.transform or "text"
        opts = fmap.transform_options or {}
        if name in ("date", "datetime"):
            result = {
                "order": opts.get("order")
                if opts.get("order") in ("DMY", "MDY", "YMD")
                else None
            }
            if name == "datetime":
                result["tz"] = project.source_tz or "UTC"
            return result
        if name in ("float", "money"):
            return {"decimal": opts.get("decimal")}
        if name == "phone":
            return {"region": (project.phone_region or "US").upper()}
        return {}

    def _extra_value(self, prep, fname):
        item = prep.extra.get(fname)
        return item[0] if item else None

    def _row_key(self, omap, prep, data):
        if omap.dedupe_rule == "email" or omap.extends_only:
            email = prep.vals.get("email") or prep.vals.get("email_from")
            prep.dedupe = norm_email(email) if email else None
        key = omap._source_key(data, prep.line)
        if omap.extends_only:
            # a custom object's ids are not contact ids: their own key space
            key = f"{omap.object_name}:{key}"
        return key

    def _name_column(self, omap):
        """The source column that names a record (where a correction goes)."""
        for fname in ("name", "first_name", "last_name", "email", "email_from"):
            fmap = omap.field_map_ids.filtered(
                lambda f, fname=fname: (
                    f.action == "map" and f.target_field_id.name == fname
                )
            )[:1]
            if fmap:
                return fmap.column
        return False

    def _issue(self, prep, kind, column, value, reason):
        return {
            "kind": kind,
            "column": column or False,
            "value": str(value)[:500] if value else False,
            "reason": reason,
        }

    # -------------------------------------------------------- relations
    def _resolve_relation(self, omap, prep, fname, value, fmap, raw, state):
        kind = RELATION_KIND[fname]
        if kind == "tag":
            model = TAG_MODELS[omap.target]
            names = value if isinstance(value, list) else tf.split_list(str(value))
            ids = []
            for name in names or ():
                res_id = self._resolve_name(model, fmap, name, state, create=True)
                if not res_id:
                    prep.issues.append(self._not_created(prep, fmap, name, kind))
                ids.append(res_id)
            prep.vals[fname] = [
                Command.link(i) for i in dict.fromkeys(i for i in ids if i)
            ]
            return
        value = str(value).strip()
        if kind == "owner":
            user_id = (
                self._value_map_id(fmap, value, state)
                or state["users"].get(norm_email(value))
                or state["users"].get(norm_text(value))
            )
            if not user_id:
                prep.issues.append(
                    self._issue(
                        prep,
                        "unknown_owner",
                        fmap.column,
                        raw,
                        _(
                            "No Odoo user matches owner '%(owner)s'; the record was given the project's "
                            "default owner.",
                            owner=value,
                        ),
                    )
                )
                user_id = state["project"].default_user_id.id
            prep.vals[fname] = user_id or False
        elif kind == "country":
            country_id = (
                self._value_map_id(fmap, value, state)
                or state["countries"].get(value.upper())
                or state["countries"].get(norm_text(value))
                # ISO-3 codes and names in other languages: "CAN", "Deutschland"
                or state["countries"].get(country_code(value) or "")
            )
            if country_id:
                prep.vals[fname] = country_id
            else:
                prep.issues.append(
                    self._issue(
                        prep,
                        "invalid_value",
                        fmap.column,
                        raw,
                        _("'%(value)s' is not a known country.", value=value),
                    )
                )
        elif kind == "state":
            prep.extra["_state"] = (
                value,
                fmap,
                raw,
            )  # needs the country: see _resolve_state
        else:
            res_id = self._value_map_id(fmap, value, state) or self._resolve_name(
                CREATE_MODELS[kind], fmap, value, state, create=True
            )
            if res_id:
                prep.vals[fname] = res_id
            else:
                prep.issues.append(self._not_created(prep, fmap, value, kind))

    def _not_created(self, prep, fmap, value, kind):
        return self._issue(
            prep,
            "invalid_value",
            fmap.column,
            value,
            _(
                "No %(kind)s '%(value)s' in Odoo, and its value map says not to create "
                "one: map it to an existing one or allow creating it.",
                kind=kind,
                value=value,
            ),
        )

    def _value_map_id(self, fmap, value, state):
        vmap = state["value_maps"].get((fmap.id, value))
        if vmap and vmap.target_ref:
            return vmap.target_ref.id
        return None

    def _resolve_name(self, model, fmap, name, state, create):
        """Id of the record called ``name`` (value map first); created if allowed."""
        res_id = self._value_map_id(fmap, name, state)
        if res_id:
            return res_id
        names = self._names(model, state)
        key = norm_text(name)
        vmap = state["value_maps"].get((fmap.id, name))
        if vmap and not vmap.create_new:
            create = False  # a person unticked 'create new' for this value
        if key not in names and create:
            # sudo: a value the confirmed value maps let the run create (stage,
            # tag, team, lost reason); even a Migration User's sample may need
            # it, the ledger records it and a rollback removes it
            record = (
                self.env[model]
                .sudo()
                .with_context(**LOAD_CONTEXT)
                .create({"name": name.strip()})
            )
            state.setdefault("auto_created", []).append(record)
            names[key] = record.id
        return names.get(key)

    def _resolve_state(self, prep, state):
        item = prep.extra.pop("_state", None)
        prep.vals.pop("state_id", None)
        if not item:
            return
        value, fmap, raw = item
        cache = state.setdefault("states", {})  # one search per distinct value a run
        cache_key = (prep.vals.get("country_id"), norm_text(value))
        if cache_key in cache:
            state_ids = cache[cache_key]
        else:
            domain = ["|", ("code", "=ilike", value), ("name", "=ilike", value)]
            if prep.vals.get("country_id"):
                domain = [("country_id", "=", prep.vals["country_id"])] + domain
            state_ids = self.env["res.country.state"].search(domain, limit=2).ids
            default_country = state["countries"].get(
                (state["project"].phone_region or "").upper()
            )
            if (
                len(state_ids) > 1
                and not prep.vals.get("country_id")
                and default_country
            ):
                # no country in the row: the project's own country decides
                state_ids = (
                    self.env["res.country.state"]
                    .search([("country_id", "=", default_country)] + domain, limit=2)
                    .ids
                )
            cache[cache_key] = state_ids
        if len(state_ids) == 1:
            prep.vals["state_id"] = state_ids[0]
        else:
            prep.issues.append(
                self._issue(
                    prep,
                    "invalid_value",
                    fmap.column,
                    raw,
                    _(
                        "'%(value)s' is not a known state or province%(where)s.",
                        value=value,
                        where=_(" of the record's country")
                        if prep.vals.get("country_id")
                        else "",
                    ),
                )
            )

    # ------------------------------------------------------ per target
    def _resolve_company(self, omap, prepared, state):
        for prep in prepared:
            self._resolve_state(prep, state)
            prep.vals["is_company"] = True
            if not prep.vals.get("name"):
                prep.vals.pop("name", None)
                prep.held = self._issue(
                    prep,
                    "missing_required",
                    self._name_column(omap),
                    False,
                    _("A company needs a name; this row has none."),
                )

    def _resolve_contact(self, omap, prepared, state):
        if omap.extends_only:
            for prep in prepared:
                # a custom object fills its x_ fields; the contact's own name,
                # company and address are not its business
                prep.vals = {
                    k: v
                    for k, v in prep.vals.items()
                    if k.startswith("x_") or k == "email"
                }
                prep.create_only.add("email")
            return
        self._lookup_companies(
            [self._extra_value(p, "company_name") for p in prepared], state
        )
        # one read of the batch's parent companies (their address is compared)
        parent_ids = {
            state["companies"].get(
                norm_company(str(self._extra_value(p, "company_name")))
            )
            for p in prepared
            if self._extra_value(p, "company_name")
        }
        self.env["res.partner"].browse([p for p in parent_ids if p]).read(
            list(ADDRESS_FIELDS)
        )
        for prep in prepared:
            self._resolve_state(prep, state)
            vals = prep.vals
            if not vals.get("name"):
                parts = [
                    self._extra_value(prep, "first_name"),
                    self._extra_value(prep, "last_name"),
                ]
                name = " ".join(str(p).strip() for p in parts if p) or vals.get("email")
                if name:
                    vals["name"] = name
            if not vals.get("name"):
                vals.pop("name", None)  # a person may link the row: never blank a name
                prep.held = self._issue(
                    prep,
                    "missing_required",
                    self._name_column(omap),
                    False,
                    _("A contact needs a name or an email; this row has neither."),
                )
                continue
            vals["is_company"] = False
            self._apply_groups(prep, state)
            company, fmap, _raw = prep.extra.get("company_name") or (None, None, None)
            if company:
                parent_id = state["companies"].get(norm_company(company))
                if not parent_id and state["project"].create_parent_companies:
                    parent_id = self._parent_company(str(company), vals, state)
                if parent_id:
                    vals["parent_id"] = parent_id
                    if self._own_address(
                        vals, self.env["res.partner"].browse(parent_id)
                    ):
                        # Odoo copies a company's address onto its contacts of
                        # type 'contact': a contact living elsewhere keeps its
                        # own address as an 'other address' contact
                        vals["type"] = "other"
                else:
                    vals["company_name"] = str(company)
                    prep.issues.append(
                        self._issue(
                            prep,
                            "missing_parent",
                            fmap.column,
                            company,
                            _(
                                "No company '%(company)s' in the source or in Odoo; the name is kept on "
                                "the contact (Company Name) until it is linked.",
                                company=company,
                            ),
                        )
                    )

    def _parent_company(self, name, contact_vals, state):
        """A company partner for a contact's company name that no file has,
        at the address of its first contact (as Odoo does for a first contact);
        the run's ledger removes it on rollback, as other values it made."""
        key = norm_company(name)
        if key not in state["companies"]:
            self._similar_company(name, state)
        if key not in state["companies"]:
            company = self._writer("res.partner").create(
                {
                    "name": name.strip(),
                    "is_company": True,
                    "company_id": state["project"].company_id.id,
                    **{f: contact_vals[f] for f in ADDRESS_FIELDS if f in contact_vals},
                }
            )
            state.setdefault("auto_created", []).append(company)
            state["companies"][key] = company.id
        return state["companies"][key]

    def _similar_company(self, name, state):
        """An Odoo company spelled differently ('BLUEBONNET BAKERY, Inc.' for
        'Bluebonnet Bakery'): the companies whose name starts like the
        normalised one, compared normalised. Only an unambiguous match counts
        (two companies that normalise alike are left for a person)."""
        key = norm_company(name)
        first = key.split()[0] if key else ""
        if len(first) < 3:
            return
        pattern = re.sub(r"([\\%_])", r"\\\1", first) + "%"
        self.env["res.partner"].flush_model(["name", "is_company"])
        self.env.cr.execute(
            SQL(
                "SELECT id, name FROM res_partner WHERE is_company AND active "
                "AND (company_id IS NULL OR company_id = %s) AND name ILIKE %s "
                "ORDER BY id",
                state["project"].company_id.id,
                pattern,
            )
        )
        hits = [
            pid for pid, other in self.env.cr.fetchall() if norm_company(other) == key
        ]
        if len(hits) == 1:
            state["companies"][key] = hits[0]

    def _own_address(self, vals, parent):
        """True when the row gives an address that differs from its company's."""
        differs = False
        for fname in ADDRESS_FIELDS:
            if fname in vals:
                current = parent[fname]
                current = current.id if fname.endswith("_id") else current
                differs = differs or (vals[fname] or False) != (current or False)
        return differs

    def _resolve_lead(self, omap, prepared, state):
        emails = [
            norm_email(
                str(
                    self._extra_value(p, "partner_email")
                    or p.vals.get("email_from")
                    or ""
                )
            )
            for p in prepared
        ]
        self._lookup_contacts([e for e in emails if e], state)
        self._lookup_companies([p.vals.get("partner_name") for p in prepared], state)
        mapped = set(
            omap.field_map_ids.filtered(lambda f: f.action == "map").mapped(
                "target_field_id.name"
            )
        )
        default_type = self._default_lead_type(omap, mapped)
        Partner = self.env["res.partner"]
        for prep, email in zip(prepared, emails, strict=True):
            self._resolve_state(prep, state)
            vals = prep.vals
            person = " ".join(
                str(p).strip()
                for p in (
                    self._extra_value(prep, "first_name"),
                    self._extra_value(prep, "last_name"),
                )
                if p
            )
            if person and not vals.get("contact_name"):
                vals["contact_name"] = person
            if not vals.get("name"):
                name = (
                    vals.get("partner_name")
                    or vals.get("contact_name")
                    or vals.get("email_from")
                )
                if name:
                    vals["name"] = name
            if not vals.get("name"):
                vals.pop("name", None)  # a person may link the row: never blank a name
                prep.held = self._issue(
                    prep,
                    "missing_required",
                    self._name_column(omap),
                    False,
                    _(
                        "A lead needs a name; this row has no name, company, contact or email."
                    ),
                )
                continue
            lead_type = str(vals.get("type") or "").lower()
            if not lead_type:
                prep.defaults.add("type")
            vals["type"] = (
                "opportunity"
                if lead_type.startswith("opp")
                else "lead"
                if lead_type
                else default_type
            )
            if "user_id" not in vals:
                vals["user_id"] = state["project"].default_user_id.id or False
                prep.defaults.add("user_id")
            # the project's company, not the company of whoever runs it
            vals["company_id"] = state["project"].company_id.id
            prep.defaults.add("company_id")
            if email and not vals.get("email_from"):
                vals["email_from"] = email
            partner_id = state["contacts"].get(email) if email else None
            company_id = vals.get("partner_name") and state["companies"].get(
                norm_company(vals["partner_name"])
            )
            if company_id:
                # "acme inc" of a deal is the account "Acme, Inc.": its own spelling
                vals["partner_name"] = Partner.browse(company_id).name
            if (
                not partner_id
                and company_id
                and not vals.get("email_from")
                and not vals.get("phone")
            ):
                partner_id = company_id
            given = self._extra_value(prep, "partner_email")
            if given and not partner_id and not state["contacts"].get(email):
                _value, fmap, raw = prep.extra["partner_email"]
                prep.issues.append(
                    self._issue(
                        prep,
                        "missing_parent",
                        fmap.column,
                        raw,
                        _(
                            "Contact not found: no contact with email %(email)s in the "
                            "source or in Odoo; the opportunity keeps the email.",
                            email=email,
                        ),
                    )
                )
            if partner_id:
                partner = Partner.browse(partner_id)
                # crm.lead writes its phone back on the partner: never link when
                # that would overwrite the contact's own phone with another one
                if not (
                    vals.get("phone")
                    and partner.phone
                    and partner.phone != vals["phone"]
                ):
                    vals["partner_id"] = partner_id
            if vals.get("team_id") and vals.get("stage_id"):
                # stage names repeat across pipelines: the one of the lead's team
                vals["stage_id"] = self._stage_in_team(
                    vals["stage_id"], vals["team_id"], state
                )
            status = self._extra_value(prep, "status")
            if status == "won":
                stage_id = vals.get("stage_id")
                if not stage_id or not self._won_in(stage_id, state):
                    vals["stage_id"] = self._won_stage(state, vals.get("team_id"))
                self._closed_probability(omap, prep, 100, status)
            elif status == "lost":
                vals["active"] = False
                self._closed_probability(omap, prep, 0, status)
                _value, fmap, raw = prep.extra["status"]
                reason = get_source(omap.project_id.system).lost_reason(raw)
                if not vals.get("lost_reason_id") and reason:
                    # a status word that says why ("abandoned"): the source's rule
                    vals["lost_reason_id"] = self._resolve_name(
                        "crm.lost.reason", fmap, reason, state, create=True
                    )

    def _default_lead_type(self, omap, mapped):
        """What a row without a type column becomes: the file's name says leads
        or deals; else a stage, amount, probability or status make it an
        opportunity."""
        words = set(re.split(r"[^a-z]+", (omap.object_name or "").lower()))
        if words & LEAD_WORDS and not words & OPPORTUNITY_WORDS:
            return "lead"
        if words & OPPORTUNITY_WORDS:
            return "opportunity"
        signals = {"stage_id", "expected_revenue", "probability", "status"}
        return "opportunity" if mapped & signals else "lead"

    def _closed_probability(self, omap, prep, probability, status):
        """Won is 100% and lost 0% in Odoo: a source probability that says
        otherwise is not written, and a person sees it (never silently replaced)."""
        given = prep.vals.get("probability")
        prep.vals["probability"] = probability
        if given is None or abs(float(given) - probability) < 0.005:
            return
        column = omap._columns_for("probability")
        prep.issues.append(
            self._issue(
                prep,
                "not_loaded",
                column[0] if column else False,
                given,
                _(
                    "The source gives a %(status)s opportunity a probability of "
                    "%(given)s; Odoo keeps %(status)s opportunities at %(odoo)s%%.",
                    status=status,
                    given=given,
                    odoo=probability,
                ),
            )
        )

    def _stage_in_team(self, stage_id, team_id, state):
        stage = self.env["crm.stage"].browse(stage_id)
        if stage.team_id.id == team_id:
            return stage_id
        cache = state.setdefault("team_stages", {})
        key = (team_id, norm_text(stage.name))
        if key not in cache:
            same = self.env["crm.stage"].search(
                [("team_id", "=", team_id), ("name", "=ilike", stage.name)], limit=1
            )
            cache[key] = same.id or stage_id
        return cache[key]

    def _won_in(self, stage_id, state):
        """Whether a won deal may stay in its own stage: a won stage, or one this
        run made from the deals' values whose name says won ("Closed Won"), which
        becomes the won stage instead of sending its deals to Odoo's "Won"."""
        stage = self.env["crm.stage"].browse(stage_id)
        if stage.is_won:
            return True
        made = {r.id for r in state.get("auto_created", ()) if r._name == "crm.stage"}
        try:
            says_won = tf.to_lead_status(stage.name) == "won"
        except ValueError:
            says_won = False
        if stage_id in made and says_won:
            # sudo: the stage was created by this run (see _resolve_name)
            stage.sudo().write({"is_won": True, "fold": True})
            return True
        return False

    def _won_stage(self, state, team_id=None):
        if team_id:
            won = self.env["crm.stage"].search(
                [("is_won", "=", True), ("team_id", "=", team_id)],
                order="sequence, id",
                limit=1,
            )
            if won:
                return won.id
        if not state["won_stage"]:
            stage = self.env["crm.stage"].search(
                [("is_won", "=", True)], order="sequence, id", limit=1
            )
            if not stage:
                # sudo: as for the other values a run creates (see _resolve_name)
                stage = (
                    self.env["crm.stage"]
                    .sudo()
                    .create({"name": _("Won"), "is_won": True, "sequence": 70})
                )
                state.setdefault("auto_created", []).append(stage)
            state["won_stage"] = stage.id
        return state["won_stage"]

    def _remember_record(self, omap, prep, record, state):
        if omap.target == "user":
            for key in (record.login, record.email):
                if key:
                    state["users"].setdefault(norm_email(key), record.id)
            state["users"].setdefault(norm_text(record.name), record.id)
        elif omap.target == "company":
            state["companies"].setdefault(norm_company(record.name), record.id)
        elif omap.target == "contact" and prep.vals.get("email"):
            state["contacts"].setdefault(norm_email(prep.vals["email"]), record.id)

    # ------------------------------------------------------------ writers
    def _write_create(self, model, preps):
        """Create records for ``preps`` in one batch; a failing batch is split in
        halves until the bad rows are isolated (no row-by-row savepoints)."""
        if not preps:
            return [], []
        try:
            # a refusal is booked as a review item; odoo.sql_db would otherwise
            # log the whole failing batch, source data included, at each split
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                records = model.create([p.vals for p in preps])
                records.flush_recordset()
            return list(zip(preps, records, strict=True)), []
        except Exception as exc:  # noqa: BLE001 - any refusal is isolated and reviewed
            self.env.invalidate_all()
            if len(preps) == 1:
                return [], [(preps[0], self._error_text(exc))]
            mid = len(preps) // 2
            ok1, bad1 = self._write_create(model, preps[:mid])
            ok2, bad2 = self._write_create(model, preps[mid:])
            return ok1 + ok2, bad1 + bad2

    def _write_update(self, record, vals, only_empty=False):
        """Write the values that differ (or, merging, only into empty fields);
        returns (before-values of what changed, error text or None)."""
        changes, before = {}, {}
        for fname, value in vals.items():
            fld = record._fields.get(fname)
            if fld is None or fname == "is_company":
                continue
            current = record[fname]
            if fld.type == "many2many" and value is False:
                if current:  # an empty cell that clears (see _clear_if_asked)
                    changes[fname] = [Command.clear()]
                    before[fname] = current.ids
                continue
            if fld.type == "many2many":
                ids = [cmd[1] for cmd in value if cmd[0] == Command.LINK]
                new_ids = [i for i in ids if i not in current.ids]
                if new_ids:
                    changes[fname] = [Command.link(i) for i in new_ids]
                    before[fname] = current.ids
                continue
            if fld.type == "many2one":
                current = current.id
            if only_empty and current not in (False, None, "", 0, 0.0):
                continue
            if fld.type == "html" and value:
                # compare what Odoo would store: the sanitised HTML
                value = fld.convert_to_cache(value, record)
            if (
                fld.type in ("float", "monetary")
                and current is not False
                and value is not None
            ):
                if abs((current or 0.0) - float(value)) < 1e-9:
                    continue
            elif fld.type == "date":
                value = fields.Date.to_date(value) or False
            elif fld.type == "datetime":
                value = fields.Datetime.to_datetime(value) or False
            if current == value:
                continue
            changes[fname] = value
            before[fname] = (
                fld.convert_to_write(record[fname], record)
                if fld.type != "many2one"
                else current
            )
        if not changes:
            return {}, None
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                record.write(changes)
                record.flush_recordset()
        except Exception as exc:  # noqa: BLE001 - the refusal goes to review
            self.env.invalidate_all()
            return {}, self._error_text(exc)
        return self._jsonable(before), None

    def _error_text(self, exc):
        text = str(exc).strip()
        return text.splitlines()[0][:500] if text else type(exc).__name__

    def _jsonable(self, values):
        out = {}
        for key, value in values.items():
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            out[key] = value
        return out

    # ------------------------------------------------------------ booking
    def _ledger_vals(self, run, omap, prep, record, operation, before=None, after=None):
        return {
            "run_id": run.id,
            "project_id": run.project_id.id,
            "object_map_id": omap.id,
            "target": omap.target,
            "source_key": prep.key,
            "staging_row_id": prep.row_id,
            "line": prep.line,
            "res_model": record._name,
            "res_id": record.id,
            "operation": operation,
            "before_values": before or False,
            "after_values": self._snapshot(record, list(after or ())) or False,
            "written_at": record.write_date,
            "original_create_date": prep.create_date or False,
            "original_write_date": prep.write_date or False,
        }

    @api.model
    def _snapshot(self, record, fnames):
        """Comparable, JSON-able values of ``fnames`` on ``record``: what a
        rollback checks to tell whether someone changed the record since."""
        values = {}
        for fname in fnames:
            fld = record._fields.get(fname)
            if fld is None or fld.type in ("one2many", "binary"):
                continue
            value = record[fname]
            if fld.type == "many2one":
                value = value.id
            elif fld.type == "many2many":
                value = sorted(value.ids)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            values[fname] = value
        return values

    def _review_vals(
        self, run, omap, prep, issue, held, record_id=None, res_model=None
    ):
        return {
            "project_id": run.project_id.id,
            "run_id": run.id,
            "source_id": omap.source_id.id,
            "staging_row_id": prep.row_id,
            "object_map_id": omap.id,
            "line": prep.line,
            "kind": issue["kind"],
            "column": issue["column"],
            "value": issue["value"],
            "reason": issue["reason"],
            "row_held": held,
            "res_model": (res_model or omap.model_name) if record_id else False,
            "res_id": record_id or False,
        }

    def _set_original_dates(self, model, pairs):
        """create_date is not writable by the ORM: keep the source's with SQL."""
        if not pairs:
            return
        model.flush_model()
        values = SQL(", ").join(
            SQL("(%s, %s::timestamp)", rid, fields.Datetime.to_string(date))
            for rid, date in pairs
        )
        self.env.cr.execute(
            SQL(
                "UPDATE %s AS t SET create_date = v.d FROM (VALUES %s) AS v(id, d) WHERE t.id = v.id",
                SQL.identifier(model._table),
                values,
            )
        )
        model.invalidate_model(["create_date"])

    def _set_row_states(self, run, row_states, keys):
        """Book what became of each row, with its key and the source's own
        update date (what a delta compares besides the row hash)."""
        self.env["migration.staging.row"].flush_model()
        if keys:
            values = SQL(", ").join(
                SQL(
                    "(%s, %s, %s::timestamp)",
                    rid,
                    key,
                    fields.Datetime.to_string(date) if date else None,
                )
                for rid, (key, date) in keys.items()
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE migration_staging_row AS r SET source_key = v.k, "
                    "source_write_date = v.d FROM (VALUES %s) AS v(id, k, d) "
                    "WHERE r.id = v.id",
                    values,
                )
            )
        for state, ids in row_states.items():
            if ids:
                self.env.cr.execute(
                    SQL(
                        "UPDATE migration_staging_row SET state = %s, last_run_id = %s, "
                        "first_run_id = coalesce(first_run_id, %s) WHERE id = ANY(%s)",
                        state,
                        run.id,
                        run.id,
                        ids,
                    )
                )
        self.env["migration.staging.row"].invalidate_model(
            ["state", "last_run_id", "first_run_id", "source_key", "source_write_date"]
        )

    @api.model
    def _target_model(self, target):
        return target_model(target)
