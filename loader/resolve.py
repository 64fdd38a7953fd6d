"""Reference resolution: a source value -> the id of an Odoo record. Value maps
first (what a person decided), then the run cache's names (created when the
maps allow it), owners, countries and states, stages of a team, the won stage.
Partners (companies, contacts, the record a note belongs to) are found by
``partners.PartnerFinder``, which the resolver carries."""

import re

from odoo import _
from odoo.fields import Command

from ..engine import transform as tf
from ..engine.countries import country_code
from ..engine.match import norm_email, norm_text
from .common import (
    CREATE_MODELS,
    LOAD_CONTEXT,
    RELATION_KIND,
    TAG_MODELS,
    WRITE_CONTEXT,
    issue,
)
from .links import LinkFinder
from .partners import PartnerFinder

GROUP_PREFIX = "Group: "


def name_column(omap):
    """The source column that names a record (where a correction goes)."""
    for fname in ("name", "first_name", "last_name", "email", "email_from"):
        fmap = omap.field_map_ids.filtered(
            lambda f, fname=fname: f.action == "map" and f.target_field_id.name == fname
        )[:1]
        if fmap:
            return fmap.column
    return False


class Resolver:
    """Source values -> record ids, over the run cache."""

    def __init__(self, env, cache, writer):
        self.env = env
        self.cache = cache
        self.writer = writer
        self.partners = PartnerFinder(env, cache, writer)
        self.links = LinkFinder(env, cache, self.partners)
        self._status = {}  # object map id -> its status columns

    def not_created(self, fmap, value, kind):
        # a method, not a module function: _() finds the language in self.env
        return issue(
            "invalid_value",
            fmap.column,
            value,
            _(
                "No %(kind)s '%(value)s' in Odoo, and its value map says not to "
                "create one: map it to an existing one or allow creating it.",
                kind=kind,
                value=value,
            ),
        )

    # ------------------------------------------------------- value maps
    def value_map_id(self, fmap, value):
        vmap = self.cache.value_maps.get((fmap.id, value))
        return (vmap and vmap.target_id) or None

    def name_id(self, model, fmap, name, create):
        """Id of the record called ``name`` (value map first); created if allowed."""
        res_id = self.value_map_id(fmap, name)
        if res_id:
            return res_id
        names = self.cache.names_of(model)
        key = norm_text(name)
        vmap = self.cache.value_maps.get((fmap.id, name))
        if vmap and not vmap.create_new:
            create = False  # a person unticked 'create new' for this value
        if key not in names and create:
            names[key] = self.create_value(model, {"name": name.strip()}).id
        return names.get(key)

    def create_value(self, model, vals, context=None):
        """A record the run makes on the fly, booked for the batch's ledger."""
        # sudo: a value the confirmed value maps let the run create (stage,
        # tag, team, lost reason; a user with 'Create missing users'); even a
        # Migration User's sample may need it, the ledger records it and a
        # rollback removes it
        record = (
            self.env[model]
            .sudo()
            .with_context(**LOAD_CONTEXT, **(context or {}))
            .create(vals)
        )
        self.cache.auto_created.append(record)
        return record

    # ------------------------------------------------------- relations
    def relation(self, omap, prep, fname, value, fmap, raw):
        """A relation field of a field-mapped row, by its kind (RELATION_KIND)."""
        kind = RELATION_KIND[fname]
        if kind == "tag":
            self._tags(omap, prep, fname, value, fmap)
            return
        value = str(value).strip()
        if kind == "owner":
            prep.vals[fname] = self._owner_id(prep, value, fmap, raw)
        elif kind == "country":
            self._country(prep, fname, value, fmap, raw)
        elif kind == "state":
            # needs the country: see state()
            prep.extra["_state"] = (value, fmap, raw)
        elif kind == "stage" and self.outcome_stage(omap, fmap, value):
            # "Closed Won" / "Closed Lost" with no status column is the deal's
            # outcome: the lead handler puts it in the won stage or archives it
            # (see handlers.lead.stage_status); no stage of that name is made
            return
        else:
            res_id = self.value_map_id(fmap, value) or self.name_id(
                CREATE_MODELS[kind], fmap, value, create=True
            )
            if res_id:
                prep.vals[fname] = res_id
            else:
                prep.issues.append(self.not_created(fmap, value, kind))

    def outcome_stage(self, omap, fmap, value):
        """True for a stage value that says won or lost in an object without a
        status column, unless a person mapped the value to a stage."""
        if self.value_map_id(fmap, value) or self.status_columns(omap):
            return False
        try:
            return tf.to_lead_status(value) in ("won", "lost")
        except ValueError:
            return False

    def status_columns(self, omap):
        """The columns mapped to a status field, read once per object map
        (an ORM read of its field maps for every row otherwise)."""
        if not omap.id:
            return omap._columns_for("status")
        if omap.id not in self._status:
            self._status[omap.id] = omap._columns_for("status")
        return self._status[omap.id]

    def _tags(self, omap, prep, fname, value, fmap):
        model = TAG_MODELS[omap.target]
        names = value if isinstance(value, list) else tf.split_list(str(value))
        ids = []
        for name in names or ():
            res_id = self.name_id(model, fmap, name, create=True)
            if not res_id:
                prep.issues.append(self.not_created(fmap, name, "tag"))
            ids.append(res_id)
        prep.vals[fname] = [Command.link(i) for i in dict.fromkeys(i for i in ids if i)]

    def _owner_id(self, prep, value, fmap, raw):
        users = self.cache.users
        user_id = (
            self.value_map_id(fmap, value)
            or users.get(norm_email(value))
            or users.get(norm_text(value))
            or self.new_user(value)
        )
        if user_id:
            return user_id
        prep.issues.append(
            issue(
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
        return self.cache.project.default_user_id.id or False

    def _country(self, prep, fname, value, fmap, raw):
        countries = self.cache.countries
        country_id = (
            self.value_map_id(fmap, value)
            or countries.get(value.upper())
            or countries.get(norm_text(value))
            # ISO-3 codes and names in other languages: "CAN", "Deutschland"
            or countries.get(country_code(value) or "")
        )
        if country_id:
            prep.vals[fname] = country_id
            return
        prep.issues.append(
            issue(
                "invalid_value",
                fmap.column,
                raw,
                _("'%(value)s' is not a known country.", value=value),
            )
        )

    def state(self, prep):
        """The state or province of a row, within its country when it has one."""
        item = prep.extra.pop("_state", None)
        prep.vals.pop("state_id", None)
        if not item:
            return
        value, fmap, raw = item
        country_id = prep.vals.get("country_id")
        state_ids = self._state_ids(value, country_id)
        if len(state_ids) == 1:
            prep.vals["state_id"] = state_ids[0]
            return
        prep.issues.append(
            issue(
                "invalid_value",
                fmap.column,
                raw,
                _(
                    "'%(value)s' is not a known state or province%(where)s.",
                    value=value,
                    where=_(" of the record's country") if country_id else "",
                ),
            )
        )

    def _state_ids(self, value, country_id):
        """Up to two matching states; one search per distinct value a run."""
        cache_key = (country_id, norm_text(value))
        if cache_key in self.cache.states:
            return self.cache.states[cache_key]
        States = self.env["res.country.state"]
        domain = ["|", ("code", "=ilike", value), ("name", "=ilike", value)]
        if country_id:
            domain = [("country_id", "=", country_id)] + domain
        state_ids = States.search(domain, limit=2).ids
        if not state_ids:
            # "Québec" for Odoo's "Quebec": names compared without accents or case
            within = [("country_id", "=", country_id)] if country_id else []
            wanted = norm_text(value)
            state_ids = [
                s.id for s in States.search(within) if norm_text(s.name) == wanted
            ][:2]
        default_country = self.cache.countries.get(
            (self.cache.project.phone_region or "").upper()
        )
        if len(state_ids) > 1 and not country_id and default_country:
            # no country in the row: the project's own country decides
            domain = [("country_id", "=", default_country)] + domain
            state_ids = States.search(domain, limit=2).ids
        self.cache.states[cache_key] = state_ids
        return state_ids

    # ------------------------------------------------------- owners
    def owner(self, prep, value, column, default=True):
        """A user id for an owner (``default``: else the project's default
        owner) or an author (else none: Odoo keeps who runs the migration)."""
        fallback = self.cache.project.default_user_id.id if default else False
        if not value:
            return fallback
        users = self.cache.users
        user_id = (
            users.get(norm_email(value))
            or users.get(norm_text(value))
            or self.new_user(value)
        )
        if user_id and default and user_id in self.cache.archived_users:
            # kept (the record says who owned it), but Odoo's salespeople are
            # active users: a person reassigns it
            prep.issues.append(
                issue(
                    "unknown_owner",
                    column,
                    value,
                    _(
                        "Owner '%(owner)s' is an archived user (inactive at the "
                        "source): reassign the record to an active salesperson.",
                        owner=value,
                    ),
                )
            )
        if user_id:
            return user_id
        if default:
            reason = _(
                "No Odoo user matches '%(owner)s'; the project's default owner "
                "was used.",
                owner=value,
            )
        else:
            reason = _(
                "No Odoo user matches author '%(owner)s'; the message is "
                "signed by the user who ran the migration.",
                owner=value,
            )
        prep.issues.append(issue("unknown_owner", column, value, reason))
        return fallback

    def new_user(self, value):
        """With the project's 'Create missing users', an owner written as an
        email address (HubSpot, Salesforce exports) is a user of the source
        when the export has no users file: created once (login and email the
        address, the name read from it), booked in the run's ledger. With a
        users file, that file lists the source's users: an owner outside it
        (a former employee) is reviewed, never made a user. A bare name says
        too little to make a login: None, and the caller reviews it."""
        email = norm_email(value)
        project = self.cache.project
        if not project.create_users or not tf.EMAIL_RE.match(email):
            return None
        if "user" in project.object_map_ids.mapped("target"):
            return None
        words = re.split(r"[._+-]+", email.split("@")[0])
        name = " ".join(w.capitalize() for w in words if w) or email
        user = self.create_value(
            "res.users",
            {"name": name, "login": email, "email": email},
            WRITE_CONTEXT["res.users"],
        )
        self.cache.remember_user(user)
        return user.id

    # ------------------------------------------------------- groups
    def groups(self, prep):
        """The 'Groups' of a contact become 'Group: <name>' tags; with the
        project option, each group is also a sales team (Odoo 18 partners have
        no sales team field: the tag keeps who is in the group)."""
        item = prep.extra.get("group_names")
        if not item:
            return
        value, fmap, _raw = item
        names = value if isinstance(value, list) else tf.split_list(str(value)) or []
        if self.cache.project.group_mode == "team":
            for name in names:
                self.name_id("crm.team", fmap, name, create=True)
        tag_ids = [
            self.name_id("res.partner.category", fmap, GROUP_PREFIX + n, create=True)
            for n in names
        ]
        links = prep.vals.setdefault("category_id", [])
        links.extend(Command.link(t) for t in tag_ids if t)

    # ------------------------------------------------------- teams, stages
    def team_id(self, ref, name):
        team_id = self.cache.key_res("team", ref)
        if not team_id and name:
            team_id = self.cache.named_ids("crm.team", []).get(norm_text(name))
        return team_id

    def new_team(self, name):
        """A sales team the run makes (as name_id does for stages and teams
        named in lead rows); the run's ledger records it."""
        team = self.create_value("crm.team", {"name": name.strip()})
        self.cache.named_ids("crm.team", [])[norm_text(name)] = team.id
        return team.id

    def stage_in_team(self, stage_id, team_id):
        """Stage names repeat across pipelines: the one of the lead's team."""
        stage = self.env["crm.stage"].browse(stage_id)
        if stage.team_id.id == team_id:
            return stage_id
        key = (team_id, norm_text(stage.name))
        if key not in self.cache.team_stages:
            same = self.env["crm.stage"].search(
                [("team_id", "=", team_id), ("name", "=ilike", stage.name)], limit=1
            )
            self.cache.team_stages[key] = same.id or stage_id
        return self.cache.team_stages[key]

    def won_in(self, stage_id):
        """Whether a won deal may stay in its own stage: a won stage, or one this
        run made from the deals' values whose name says won ("Closed Won"), which
        becomes the won stage instead of sending its deals to Odoo's "Won"."""
        stage = self.env["crm.stage"].browse(stage_id)
        if stage.is_won:
            return True
        made = {r.id for r in self.cache.auto_created if r._name == "crm.stage"}
        try:
            says_won = tf.to_lead_status(stage.name) == "won"
        except ValueError:
            says_won = False
        if stage_id in made and says_won:
            # sudo: the stage was created by this run (see create_value)
            stage.sudo().write({"is_won": True, "fold": True})
            return True
        return False

    def won_stage(self, team_id=None):
        if team_id:
            won = self.env["crm.stage"].search(
                [("is_won", "=", True), ("team_id", "=", team_id)],
                order="sequence, id",
                limit=1,
            )
            if won:
                return won.id
        if not self.cache.won_stage:
            stage = self.env["crm.stage"].search(
                [("is_won", "=", True)], order="sequence, id", limit=1
            )
            if not stage:
                # sudo: as for the other values a run creates (see create_value)
                stage = (
                    self.env["crm.stage"]
                    .sudo()
                    .create({"name": _("Won"), "is_won": True, "sequence": 70})
                )
                self.cache.auto_created.append(stage)
            self.cache.won_stage = stage.id
        return self.cache.won_stage

    # ------------------------------------------------------- already in Odoo
    def link_existing(self, prep, target, res_id):
        """The row is a record Odoo had before the migration: the batch merges
        it into that record quietly and never writes on it."""
        self.cache.dedupe.setdefault((target, prep.dedupe), res_id)
        prep.quiet = True
        prep.after["link_only"] = True
