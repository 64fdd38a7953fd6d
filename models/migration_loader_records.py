"""The loader's converted targets: notes, activities, appointments, teams and
stages, tags, products, templates, attachments, invoices and users.

The source system's rules (engine/records.py) turn a staging row into a Record;
here each Record's references (its contact, opportunity, owner, team...) are
resolved against what the migration already loaded, and its values become the
values of one Odoo record. Writing stays in the loader's one writer per model.
"""

import datetime
import hashlib
import mimetypes
import os
import shutil

from odoo import _, fields, models
from odoo.fields import Command
from odoo.tools import SQL, plaintext2html

from ..engine import records
from ..engine.match import norm_company, norm_email, norm_text
from ..engine.transform import split_list
from .migration_loader import LOAD_CONTEXT, Prepared

# per model, what its create must not do during a migration
WRITE_CONTEXT = {
    "calendar.event": {"dont_notify": True, "no_mail_to_attendees": True},
    "mail.activity": {"mail_activity_quick_update": True},
    "res.users": {"no_reset_password": True},
    "account.move": {"check_move_validity": False},
}
CHUNK = 1024 * 1024  # attachment files are copied a megabyte at a time
GROUP_PREFIX = "Group: "


def _name_key(record):
    return norm_text(record.name)


def _team_name_key(record):
    return (record.team_id.id, norm_text(record.name))


def _code_key(record):
    return (record.default_code or "").strip().upper()


class MigrationLoader(models.AbstractModel):
    _inherit = "migration.loader"

    def _writer(self, model_name):
        return self.env[model_name].with_context(
            **LOAD_CONTEXT, **WRITE_CONTEXT.get(model_name, {})
        )

    # ------------------------------------------------------------ prepare
    def _prepare_converted(self, omap, row, state):
        data = dict(row.data or {})
        data.update(state.get("corrections", {}).get(row.id, {}))
        prep = Prepared(
            row_id=row.id, line=row.line, key=omap._source_key(row.data or {}, row.line)
        )
        try:
            rec = self._convert(omap, data, state)
        except records.RowError as exc:
            prep.held = self._issue(
                prep, "invalid_value", exc.column, exc.value, exc.reason
            )
            return prep
        prep.record = rec
        prep.model = rec.model
        prep.create_date = rec.created
        for column, value, reason in rec.issues:
            prep.issues.append(
                self._issue(prep, "invalid_value", column, value, reason)
            )
        return prep

    def _convert(self, omap, data, state):
        project = state["project"]
        return records.convert(
            omap.target,
            data,
            system=project.system or "generic",
            tz=project.source_tz or "UTC",
        )

    def _oldest_first(self, omap, row_ids, state):
        """Chatter rows in date order, so that message ids grow with their
        dates the way Odoo shows them (rows without a date first, in file
        order: they are held for review anyway)."""
        if not omap.converted or not row_ids:
            return row_ids
        dated = []
        for row in self.env["migration.staging.row"].browse(row_ids):
            try:
                rec = self._convert(omap, row.data or {}, state)
                when = rec.values.get("date") or rec.values.get("date_deadline")
            except records.RowError:
                when = None
            dated.append((fields.Datetime.to_datetime(when) if when else None, row.id))
        first = min((d for d, _i in dated if d), default=None)
        return [i for _d, i in sorted(dated, key=lambda x: (x[0] or first or 0, x[1]))]

    # ------------------------------------------------------------ links
    def _linked_keys(self, target, state):
        """{source key: res_id} of what earlier runs (and batches) loaded for
        ``target``, merged rows included: how a note finds its contact."""
        cache = state.setdefault("linked", {})
        if target not in cache:
            self.env["migration.ledger"].flush_model()
            self.env.cr.execute(
                SQL(
                    "SELECT source_key, res_id, res_model FROM migration_ledger "
                    "WHERE project_id = %s AND target = %s "
                    "AND NOT coalesce(rolled_back, false) "
                    "AND operation IN ('create', 'update', 'link', 'merge') ORDER BY id",
                    state["project"].id,
                    target,
                )
            )
            rows = self.env.cr.fetchall()
            alive = set()
            for res_model in {m for _k, _r, m in rows}:
                ids = {r for _k, r, m in rows if m == res_model}
                records = (
                    self.env[res_model].with_context(active_test=False).browse(ids)
                )
                alive |= {(res_model, i) for i in records.exists().ids}
            cache[target] = {k: r for k, r, m in rows if (m, r) in alive}
        return cache[target]

    def _key_res(self, target, ref, state):
        if not ref:
            return None
        key = f"id:{str(ref).strip()}"
        return state["keys"].get((target, key)) or self._linked_keys(target, state).get(
            key
        )

    def _partners_by_email(self, emails, state):
        """{email: [partner ids]} for the people (else companies) with that
        email: the partners themselves and the x_ email fields the migration
        made (an AllClients 'Other Email')."""
        cache = state.setdefault("partner_emails", {})
        missing = [e for e in {e for e in emails if e} if e not in cache]
        if missing:
            for email in missing:
                cache[email] = []
            Partner = self.env["res.partner"]
            Partner.flush_model()
            self.env.cr.execute(
                SQL(
                    "SELECT id, email_normalized, is_company FROM res_partner WHERE active "
                    "AND email_normalized = ANY(%s) ORDER BY is_company, id",
                    missing,
                )
            )
            found = {}
            for pid, email, is_company in self.env.cr.fetchall():
                found.setdefault(email, []).append((is_company, pid))
            for email, hits in found.items():
                people = [pid for is_company, pid in hits if not is_company]
                cache[email] = people or [pid for _c, pid in hits]
            others = {}
            for fname in self._other_email_fields(state):
                self.env.cr.execute(
                    SQL(
                        "SELECT id, lower(trim(%s)) FROM res_partner WHERE active "
                        "AND lower(trim(%s)) = ANY(%s) ORDER BY id",
                        SQL.identifier(fname),
                        SQL.identifier(fname),
                        missing,
                    )
                )
                for pid, email in self.env.cr.fetchall():
                    others.setdefault(email, []).append(pid)
            state.setdefault("partner_other_emails", {}).update(others)
        return cache

    def _other_email_fields(self, state):
        """x_ partner fields the project's maps fill with emails."""
        if "other_email_fields" not in state:
            names = set()
            fmaps = (
                state["project"]
                .object_map_ids.filtered(lambda m: m.target in ("contact", "company"))
                .field_map_ids.filtered(lambda f: f.transform == "email")
            )
            for fmap in fmaps:
                fname = (
                    fmap.new_field_name
                    if fmap.action == "create"
                    else fmap.target_field_id.name
                )
                if (
                    fname
                    and fname.startswith("x_")
                    and fname in self.env["res.partner"]._fields
                ):
                    names.add(fname)
            state["other_email_fields"] = sorted(names)
        return state["other_email_fields"]

    def _find_partner(self, prep, state):
        """The partner a note, activity or attachment belongs to: by email
        first, the source contact id as the fallback (a changed, missing or
        shared email); an email and an id that name two different contacts are
        a conflict a person decides. Returns (partner id, None) or (None, issue)."""
        rec = prep.record
        email, ref = rec.contact_email, rec.contact_ref
        if not email and not ref:
            return None, self._issue(
                prep,
                "orphan",
                rec.columns.get("contact_email") or "Email",
                False,
                _("No email and no contact id: this row names no contact."),
            )
        by_ref = self._key_res("contact", ref, state) or self._key_res(
            "company", ref, state
        )
        hits, how = [], "email"
        if email:
            hits = self._partners_by_email([email], state).get(email, [])
            if not hits:
                hits = state.get("partner_other_emails", {}).get(email, [])
                how = "other email"
        if len(hits) == 1:
            if by_ref and by_ref != hits[0]:
                return None, self._issue(
                    prep,
                    "orphan",
                    rec.columns.get("contact_ref") or "Contact ID",
                    ref,
                    _(
                        "Conflict: email %(email)s is %(by_email)s but contact id "
                        "%(ref)s is %(by_ref)s.",
                        email=email,
                        by_email=self.env["res.partner"].browse(hits[0]).display_name,
                        ref=ref,
                        by_ref=self.env["res.partner"].browse(by_ref).display_name,
                    ),
                )
            prep.after["matched_by"] = how
            return hits[0], None
        if by_ref:
            prep.after["matched_by"] = "id"
            return by_ref, None
        if hits:
            return None, self._issue(
                prep,
                "orphan",
                rec.columns.get("contact_email") or "Email",
                email,
                _(
                    "Ambiguous: email %(email)s belongs to %(count)s contacts and "
                    "%(id)s.",
                    email=email,
                    count=len(hits),
                    id=_("contact id %s matches none", ref)
                    if ref
                    else _("no contact id"),
                ),
            )
        parts = []
        if email:
            parts.append(_("email %s matches no contact", email))
        if ref:
            parts.append(_("contact id %s matches no contact", ref))
        return None, self._issue(
            prep,
            "orphan",
            (rec.columns.get("contact_email") or "Email")
            if email
            else (rec.columns.get("contact_ref") or "Contact ID"),
            email or ref,
            _("%(what)s (deleted, or not in the export?).", what="; ".join(parts)),
        )

    def _find_record(self, prep, state):
        """(model, id) of the opportunity (when the row names one that the
        migration loaded) or else the partner a chatter row goes to."""
        lead_id = self._key_res("lead", prep.record.lead_ref, state)
        if lead_id:
            return ("crm.lead", lead_id), None
        partner_id, issue = self._find_partner(prep, state)
        if partner_id:
            return ("res.partner", partner_id), None
        return None, issue

    def _owner(self, prep, value, column, state, default=True):
        """A user id for an owner (``default``: else the project's default
        owner) or an author (else none: Odoo keeps who runs the migration)."""
        if not value:
            return state["project"].default_user_id.id if default else False
        user_id = state["users"].get(norm_email(value)) or state["users"].get(
            norm_text(value)
        )
        if user_id:
            return user_id
        prep.issues.append(
            self._issue(
                prep,
                "unknown_owner",
                column,
                value,
                _(
                    "No Odoo user matches '%(owner)s'; the project's default owner "
                    "was used.",
                    owner=value,
                )
                if default
                else _(
                    "No Odoo user matches author '%(owner)s'; the message is "
                    "signed by the user who ran the migration.",
                    owner=value,
                ),
            )
        )
        return state["project"].default_user_id.id if default else False

    def _model_id(self, model_name, state):
        cache = state.setdefault("model_ids", {})
        if model_name not in cache:
            cache[model_name] = self.env["ir.model"]._get_id(model_name)
        return cache[model_name]

    def _xmlid(self, xmlid, state):
        cache = state.setdefault("xmlids", {})
        if xmlid not in cache:
            cache[xmlid] = self.env["ir.model.data"]._xmlid_to_res_id(
                xmlid, raise_if_not_found=False
            )
        return cache[xmlid]

    def _user_partner(self, user_id, state):
        cache = state.setdefault("user_partners", {})
        if user_id and user_id not in cache:
            cache[user_id] = (
                self.env["res.users"]
                .with_context(active_test=False)
                .browse(user_id)
                .partner_id.id
            )
        return cache.get(user_id)

    # ------------------------------------------------------------ chatter
    def _resolve_note(self, omap, prepared, state):
        for prep in self._ready(prepared):
            if prep.model == "mail.activity":
                self._activity_vals(prep, state)
            else:
                self._message_vals(prep, state)

    _resolve_activity = _resolve_note

    def _ready(self, prepared):
        return [p for p in prepared if not p.held and p.record]

    def _message_vals(self, prep, state):
        found, issue = self._find_record(prep, state)
        if not found:
            prep.held = issue
            return
        rec, values = prep.record, prep.record.values
        vals = {
            "model": found[0],
            "res_id": found[1],
            "body": plaintext2html(values["body"] or ""),
            "message_type": values["message_type"] or "comment",
            "subtype_id": self._xmlid(values["subtype"] or "mail.mt_note", state),
            "date": values["date"],
        }
        if rec.user:
            user_id = self._owner(
                prep, rec.user, rec.columns.get("user") or "User", state, default=False
            )
            if user_id:
                vals["author_id"] = self._user_partner(user_id, state)
        prep.vals = vals
        prep.create_date = prep.create_date or values["date"]

    def _activity_vals(self, prep, state):
        found, issue = self._find_record(prep, state)
        if not found:
            prep.held = issue
            return
        rec, values = prep.record, prep.record.values
        type_id = self._xmlid(values["activity_type"], state) or self._xmlid(
            "mail.mail_activity_data_todo", state
        )
        prep.vals = {
            "res_model_id": self._model_id(found[0], state),
            "res_id": found[1],
            "activity_type_id": type_id,
            "summary": values["summary"],
            "note": plaintext2html(values["note"]) if values["note"] else False,
            "date_deadline": values["date_deadline"],
            "user_id": self._owner(
                prep, rec.user, rec.columns.get("user") or "Team Member", state
            ),
            "active": not values["done"],
        }
        if values["done"]:
            prep.after["date_done"] = values["date_done"] or values["date_deadline"]
            # the done message at the source's completion time, else midday
            # UTC of the done date (the same day in the Americas and Europe)
            prep.after["done_at"] = values.get("done_at")

    # ------------------------------------------------------------ calendar
    def _resolve_event(self, omap, prepared, state):
        emails = {
            e for p in self._ready(prepared) for e in p.record.values["attendees"]
        }
        by_email = self._partners_by_email(emails, state)
        for prep in self._ready(prepared):
            values = prep.record.values
            user_id = self._owner(
                prep,
                prep.record.user,
                prep.record.columns.get("user") or "Assigned To",
                state,
            )
            partner_ids = [self._user_partner(user_id, state)] if user_id else []
            for email in values["attendees"]:
                hits = by_email.get(email) or []
                if hits:
                    partner_ids.append(hits[0])
                else:
                    prep.issues.append(
                        self._issue(
                            prep,
                            "invalid_value",
                            prep.record.columns.get("attendees") or "Attendees",
                            email,
                            _(
                                "Unknown attendee %(email)s: no contact has this email; "
                                "no partner was invented for it.",
                                email=email,
                            ),
                        )
                    )
            vals = {
                "name": values["name"],
                "allday": values["allday"],
                "location": values["location"] or False,
                "description": plaintext2html(values["description"])
                if values["description"]
                else False,
                "user_id": user_id,
                "partner_ids": [
                    Command.set(list(dict.fromkeys(p for p in partner_ids if p)))
                ],
                "active": not values["cancelled"],
            }
            if values["allday"]:
                vals["start_date"] = values["start_date"]
                vals["stop_date"] = values["stop_date"] or values["start_date"]
            else:
                vals["start"] = values["start"]
                vals["stop"] = values["stop"]
            prep.vals = vals
            prep.create_only.add("partner_ids")
            lead_id = self._key_res("lead", prep.record.lead_ref, state)
            if lead_id:
                # after create: crm logs a "meeting scheduled" message dated today
                # when an event is created with its opportunity
                prep.after["opportunity_id"] = lead_id

    # ------------------------------------------------------------ sales setup
    def _named(self, model, domain, state, key_fn=None):
        """{key: id} of a model's active records, once a run per model, domain
        and key (by default the normalised name)."""
        key_fn = key_fn or _name_key
        cache = state.setdefault("named", {})
        slot = (model, str(domain), key_fn)
        if slot not in cache:
            cache[slot] = {}
            for rec in self.env[model].search(domain):
                cache[slot].setdefault(key_fn(rec), rec.id)
        return cache[slot]

    def _link_existing(self, prep, target, res_id, state):
        """The row is a record Odoo had before the migration: the batch merges
        it into that record quietly and never writes on it."""
        state["dedupe"].setdefault((target, prep.dedupe), res_id)
        prep.quiet = True
        prep.after["link_only"] = True

    def _resolve_team(self, omap, prepared, state):
        existing = self._named("crm.team", [], state)
        for prep in self._ready(prepared):
            name = prep.record.values["name"]
            prep.vals = {"name": name, "company_id": state["project"].company_id.id}
            prep.defaults.add("company_id")
            prep.dedupe = norm_text(name)
            if prep.dedupe in existing:
                # a team of that name is in Odoo already: the pipeline is it
                self._link_existing(prep, "team", existing[prep.dedupe], state)

    def _team_id(self, ref, name, state):
        team_id = self._key_res("team", ref, state)
        if not team_id and name:
            team_id = self._named("crm.team", [], state).get(norm_text(name))
        return team_id

    def _new_team(self, name, state):
        # sudo: a value the confirmed maps let the run create, as the loader's
        # _resolve_name does for stages and teams named in lead rows; the run's
        # ledger records it and a rollback removes it
        team = (
            self.env["crm.team"]
            .sudo()
            .with_context(**LOAD_CONTEXT)
            .create({"name": name.strip()})
        )
        state.setdefault("auto_created", []).append(team)
        self._named("crm.team", [], state)[norm_text(name)] = team.id
        return team.id

    def _resolve_stage(self, omap, prepared, state):
        existing = self._named("crm.stage", [], state, _team_name_key)
        system = state["project"].system or "source"
        for prep in self._ready(prepared):
            values = prep.record.values
            team_id = self._team_id(values["team_ref"], values["team_name"], state)
            if not team_id and values["team_name"] and not values["team_ref"]:
                # a pipeline named only by its stages' rows ("Sales Pipeline,
                # New Lead"): its sales team is made with its first stage
                team_id = self._new_team(values["team_name"], state)
            if not team_id and (values["team_ref"] or values["team_name"]):
                prep.held = self._issue(
                    prep,
                    "missing_parent",
                    "Pipeline Name",
                    values["team_name"] or values["team_ref"],
                    _("The stage's pipeline was not loaded (no such sales team)."),
                )
                continue
            vals = {
                "name": values["name"],
                "team_id": team_id or False,
                "is_won": values["is_won"],
                "fold": values["fold"],
            }
            if values["sequence"] is not None:
                vals["sequence"] = values["sequence"]
            if values["probability"] is not None:
                # Odoo 18 stages have no probability: keep the source's for people
                vals["requirements"] = _(
                    "Win probability in %(system)s: %(probability)s%%",
                    system=system,
                    probability=f"{values['probability']:g}",
                )
            prep.vals = vals
            prep.dedupe = f"{team_id or 0}:{norm_text(values['name'])}"
            hit = existing.get((team_id or False, norm_text(values["name"])))
            if hit:
                self._link_existing(prep, "stage", hit, state)

    def _resolve_tag(self, omap, prepared, state):
        existing = self._named("crm.tag", [], state)
        for prep in self._ready(prepared):
            name = prep.record.values["name"]
            prep.vals = {"name": name}
            prep.dedupe = norm_text(name)
            if prep.dedupe in existing:
                self._link_existing(prep, "tag", existing[prep.dedupe], state)

    def _resolve_product(self, omap, prepared, state):
        codes = self._named(
            "product.product",
            [("default_code", "!=", False)],
            state,
            _code_key,
        )
        for prep in self._ready(prepared):
            values = prep.record.values
            prep.vals = {
                "name": values["name"],
                "default_code": values["default_code"] or False,
                "list_price": values["list_price"],
                "description_sale": values["description_sale"] or False,
                "type": values["type"],
                "sale_ok": True,
            }
            if values["recurring"]:
                prep.issues.append(
                    self._issue(
                        prep,
                        "not_loaded",
                        "Product Type",
                        "recurring",
                        _(
                            "A recurring product: Odoo Community has no subscriptions; "
                            "it was loaded as a product sold once."
                        ),
                    )
                )
            code = (values["default_code"] or "").strip().upper()
            if code:
                prep.dedupe = f"code:{code}"
                if code in codes:
                    self._link_existing(prep, "product", codes[code], state)

    def _resolve_user(self, omap, prepared, state):
        project = state["project"]
        for prep in self._ready(prepared):
            values = prep.record.values
            # by email when the row has one (a name alone may be someone else)
            if values["email"]:
                user_id = state["users"].get(norm_email(values["email"]))
            else:
                user_id = state["users"].get(norm_text(values["name"]))
            prep.vals = {
                "name": values["name"],
                "login": values["login"],
                "email": values["email"] or False,
                "active": values["active"],
            }
            prep.create_only.update(("login", "active"))
            prep.dedupe = values["login"]
            if user_id:
                # the team member is this Odoo user: linked, never created twice
                self._link_existing(prep, "user", user_id, state)
            elif not project.create_users:
                prep.held = self._issue(
                    prep,
                    "unknown_owner",
                    "Email",
                    values["email"] or values["name"],
                    _(
                        "No Odoo user for %(name)s: create the user (or tick 'Create "
                        "missing users' on the project); their records have the default "
                        "owner meanwhile.",
                        name=values["name"],
                    ),
                )

    # ------------------------------------------------------------ templates
    def _resolve_template(self, omap, prepared, state):
        model_id = self._model_id("res.partner", state)
        for prep in self._ready(prepared):
            values = prep.record.values
            prep.vals = {
                "name": values["name"],
                "subject": values["subject"],
                "body_html": values["body_html"],
                "model_id": model_id,
            }
            for url in values["images"]:
                prep.issues.append(
                    self._issue(
                        prep,
                        "external",
                        "Body",
                        url,
                        _(
                            "External image: re-host it in Odoo, it may disappear "
                            "with the source account."
                        ),
                    )
                )
            if values["removed"]:
                prep.issues.append(
                    self._issue(
                        prep,
                        "external",
                        "Body",
                        ", ".join(dict.fromkeys(values["removed"])),
                        _("Removed from the HTML for safety: check the template."),
                    )
                )

    # ------------------------------------------------------------ attachments
    def _resolve_attachment(self, omap, prepared, state):
        for prep in self._ready(prepared):
            values = prep.record.values
            found, issue = self._find_record(prep, state)
            if not found:
                prep.held = issue
                continue
            vals = {
                "name": values["name"],
                "res_model": found[0],
                "res_id": found[1],
            }
            if values["url"]:
                vals.update(type="url", url=values["url"])
            else:
                path = self._attachment_path(values["path"], state)
                if not path:
                    prep.held = self._issue(
                        prep,
                        "not_loaded",
                        "Path",
                        values["path"],
                        _(
                            "File not found in the export folder (the project's "
                            "'Attachment files folder'%(unset)s).",
                            unset=""
                            if state["project"].sudo().files_path
                            else _(", which is not set"),
                        ),
                    )
                    continue
                vals.update(
                    type="binary",
                    mimetype=mimetypes.guess_type(path)[0]
                    or "application/octet-stream",
                )
                prep.after["file"] = path
            prep.vals = vals
            prep.create_only.add("mimetype")

    def _attachment_path(self, relative, state):
        # sudo: the folder is a system setting (base.group_system field) that the
        # command line sets; only files inside it are ever read
        root = state["project"].sudo().files_path
        if not root or not relative:
            return None
        root = os.path.realpath(root)
        path = os.path.realpath(os.path.join(root, relative))
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            return None
        return path

    def _store_file(self, attachment, path):
        """Copy a file into the filestore a megabyte at a time (never whole in
        memory) and point the attachment at it."""
        Attachment = self.env["ir.attachment"]
        sha = hashlib.sha1()  # noqa: S324 - Odoo's filestore names files by sha1
        size = 0
        with open(path, "rb") as src:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                sha.update(chunk)
                size += len(chunk)
        checksum = sha.hexdigest()
        if Attachment._storage() == "db":
            # database storage keeps the bytes in a column: no way to stream
            with open(path, "rb") as src:
                attachment.raw = src.read()
            return
        fname = f"{checksum[:2]}/{checksum}"
        full = Attachment._full_path(fname)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if not os.path.exists(full):
            with open(path, "rb") as src, open(full, "wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
            Attachment._mark_for_gc(fname)
        attachment.flush_recordset()
        # create() drops store_fname/checksum/file_size (computed from the
        # content it would hold in memory): set them for the streamed file
        self.env.cr.execute(
            SQL(
                "UPDATE ir_attachment SET store_fname = %s, checksum = %s, file_size = %s "
                "WHERE id = %s",
                fname,
                checksum,
                size,
                attachment.id,
            )
        )
        attachment.invalidate_recordset(["store_fname", "checksum", "file_size"])

    # ------------------------------------------------------------ invoices
    def _accounting_installed(self):
        return "account.move" in self.env

    def _resolve_invoice(self, omap, prepared, state):
        if not self._accounting_installed():
            for prep in self._ready(prepared):
                prep.held = self._issue(
                    prep,
                    "not_loaded",
                    False,
                    prep.record.values["ref"],
                    _("Invoice not loaded: Accounting is not installed."),
                )
            return
        company = state["project"].company_id
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        products = self._named("product.product", [("sale_ok", "=", True)], state)
        first_rows = state.setdefault("invoice_rows", {})
        self.env["migration.ledger"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT l.source_key, l.staging_row_id, r.line FROM migration_ledger l "
                "JOIN migration_staging_row r ON r.id = l.staging_row_id "
                "WHERE l.project_id = %s AND l.target = 'invoice' AND l.operation = 'create' "
                "AND NOT coalesce(l.rolled_back, false) AND l.source_key = ANY(%s) "
                "AND r.source_id = %s",
                state["project"].id,
                [p.key for p in prepared],
                # rows of this file only: a new export of it restages them
                omap.source_id.id,
            )
        )
        for key, row_id, line in self.env.cr.fetchall():
            first_rows.setdefault(key, Prepared(row_id=row_id, line=line, key=key))
        for prep in self._ready(prepared):
            rec, values = prep.record, prep.record.values
            first = first_rows.setdefault(prep.key, prep)
            if first is not prep and first.row_id != prep.row_id:
                # one row is one invoice here: a second row is never dropped
                prep.held = self._issue(
                    prep,
                    "duplicate",
                    False,
                    values["ref"],
                    _(
                        "Invoice %(ref)s is on several rows: the invoice was made from "
                        "line %(line)s; add this row's line by hand.",
                        ref=values["ref"],
                        line=first.line,
                    ),
                )
                continue
            if not journal:
                prep.held = self._issue(
                    prep,
                    "not_loaded",
                    False,
                    values["ref"],
                    _(
                        "Invoice not loaded: %(company)s has no sales journal (install "
                        "a chart of accounts first).",
                        company=company.name,
                    ),
                )
                continue
            partner_id = None
            if rec.contact_email:
                hits = self._partners_by_email([rec.contact_email], state).get(
                    rec.contact_email
                )
                partner_id = hits[0] if hits else None
                if hits and len(hits) > 1:
                    prep.issues.append(
                        self._issue(
                            prep,
                            "duplicate",
                            "Contact Email",
                            rec.contact_email,
                            _(
                                "%(count)s contacts have this email: the invoice went "
                                "to the first one; check it.",
                                count=len(hits),
                            ),
                        )
                    )
            if not partner_id and rec.company_name:
                self._lookup_companies([rec.company_name], state)
                partner_id = state["companies"].get(norm_company(rec.company_name))
            if not partner_id:
                prep.held = self._issue(
                    prep,
                    "orphan",
                    rec.columns.get("contact_email") or "Contact Email",
                    rec.contact_email or rec.company_name,
                    _(
                        "No customer: the invoice's contact and company are not in Odoo."
                    ),
                )
                continue
            lines = []
            for line in values["lines"]:
                product_id = products.get(norm_text(line["product"] or ""))
                if line["product"] and not product_id:
                    prep.issues.append(
                        self._issue(
                            prep,
                            "invalid_value",
                            "Product",
                            line["product"],
                            _(
                                "Unknown product %(product)s: the line keeps its label "
                                "without a product.",
                                product=line["product"],
                            ),
                        )
                    )
                lines.append(
                    Command.create(
                        {
                            "product_id": product_id or False,
                            "name": line["product"] or values["ref"],
                            "quantity": line["quantity"],
                            "price_unit": line["price_unit"],
                            # the source's amounts, not Odoo's default sales tax
                            "tax_ids": [Command.clear()],
                        }
                    )
                )
            lines_total = sum(
                (line["quantity"] or 0) * (line["price_unit"] or 0)
                for line in values["lines"]
            )
            if (
                values["amount_total"] is not None
                and abs(values["amount_total"] - lines_total) > 0.005
            ):
                prep.issues.append(
                    self._issue(
                        prep,
                        "invalid_value",
                        "Total",
                        values["amount_total"],
                        _(
                            "The source total %(total)s is not quantity x unit price "
                            "(%(lines)s); the invoice has the lines' total.",
                            total=values["amount_total"],
                            lines=lines_total,
                        ),
                    )
                )
            vals = {
                "move_type": "out_invoice",
                "partner_id": partner_id,
                "journal_id": journal.id,
                "invoice_date": values["invoice_date"],
                "invoice_date_due": values["invoice_date_due"],
                "ref": values["ref"],
                "payment_reference": values["ref"],
                "invoice_line_ids": lines,
                "narration": plaintext2html(
                    _(
                        "Migrated from %(system)s: status %(status)s, paid %(paid)s"
                        "%(link)s.",
                        system=state["project"].system,
                        status=values["status"] or "-",
                        paid=values["amount_paid"]
                        if values["amount_paid"] is not None
                        else "-",
                        link=_(", payment link %s", values["payment_link"])
                        if values["payment_link"]
                        else "",
                    )
                ),
            }
            currency = self._currency(values["currency"], state)
            if currency:
                vals["currency_id"] = currency
            elif values["currency"]:
                prep.issues.append(
                    self._issue(
                        prep,
                        "invalid_value",
                        "Currency",
                        values["currency"],
                        _(
                            "Currency %(code)s is unknown or not active in Odoo: the "
                            "invoice is in the company's currency; activate it and "
                            "re-run.",
                            code=values["currency"],
                        ),
                    )
                )
            prep.vals = vals
            prep.create_only.update(("invoice_line_ids", "move_type", "journal_id"))

    def _currency(self, code, state):
        if not code:
            return None
        cache = state.setdefault("currencies", {})
        if code not in cache:
            cache[code] = (
                self.env["res.currency"].search([("name", "=", code)], limit=1).id
            )  # active currencies only: an inactive one is reported
        return cache[code]

    # ------------------------------------------------------------ groups
    def _apply_groups(self, prep, state):
        """The 'Groups' of a contact become 'Group: <name>' tags; with the
        project option, each group is also a sales team (Odoo 18 partners have
        no sales team field: the tag keeps who is in the group)."""
        item = prep.extra.get("group_names")
        if not item:
            return
        value, fmap, _raw = item
        names = value if isinstance(value, list) else split_list(str(value)) or []
        if state["project"].group_mode == "team":
            for name in names:
                self._resolve_name("crm.team", fmap, name, state, create=True)
        tag_ids = [
            self._resolve_name(
                "res.partner.category", fmap, GROUP_PREFIX + n, state, create=True
            )
            for n in names
        ]
        links = prep.vals.setdefault("category_id", [])
        links.extend(Command.link(t) for t in tag_ids if t)

    # ------------------------------------------------------------ after create
    def _after_create(self, omap, created, state):
        """What a created record still needs; a failure is the row's review
        item (the record stays, as created), never the run's end."""
        if not created:
            return
        done = [(p, r) for p, r in created if p.after.get("date_done")]
        if done:
            self._activities_done(done, state)
        for prep, record in created:
            for step, arg in (
                (self._store_file, prep.after.get("file")),
                (self._link_opportunity, prep.after.get("opportunity_id")),
            ):
                if not arg:
                    continue
                try:
                    with self.env.cr.savepoint():
                        step(record, arg)
                except Exception as exc:  # noqa: BLE001 - booked for review
                    self.env.invalidate_all()
                    prep.issues.append(
                        self._issue(
                            prep,
                            "error",
                            False,
                            False,
                            _(
                                "Created, but not completed: %(error)s",
                                error=self._error_text(exc),
                            ),
                        )
                    )

    def _after_update(self, omap, updated, state):
        """An activity done at the source since the last run is done in Odoo
        the same way as one that arrives done (its date, its 'done' message);
        an event keeps its opportunity."""
        done = [
            (prep, record)
            for prep, record, before in updated
            if record._name == "mail.activity"
            and before.get("active") is True
            and prep.after.get("date_done")
        ]
        if done:
            try:
                with self.env.cr.savepoint():
                    self._activities_done(done, state)
            except Exception as exc:  # noqa: BLE001 - booked for review
                self.env.invalidate_all()
                for prep, _record in done:
                    prep.issues.append(self._not_completed(prep, exc))
        for prep, record, _before in updated:
            lead_id = prep.after.get("opportunity_id")
            if (
                record._name == "calendar.event"
                and lead_id
                and record.opportunity_id.id != lead_id
            ):
                try:
                    with self.env.cr.savepoint():
                        self._link_opportunity(record, lead_id)
                except Exception as exc:  # noqa: BLE001 - booked for review
                    self.env.invalidate_all()
                    prep.issues.append(self._not_completed(prep, exc))

    def _not_completed(self, prep, exc):
        return self._issue(
            prep,
            "error",
            False,
            False,
            _("Written, but not completed: %(error)s", error=self._error_text(exc)),
        )

    def _link_opportunity(self, event, lead_id):
        event.opportunity_id = lead_id

    def _activities_done(self, done, state):
        """Done activities the way Odoo 18 keeps them: archived with their done
        date, and the 'done' message in the record's chatter on that date."""
        self.env.cr.execute(
            SQL(
                "UPDATE mail_activity AS a SET date_done = v.d FROM (VALUES %s) AS v(id, d) "
                "WHERE a.id = v.id",
                SQL(", ").join(
                    SQL(
                        "(%s, %s::date)",
                        r.id,
                        fields.Date.to_string(p.after["date_done"]),
                    )
                    for p, r in done
                ),
            )
        )
        self.env["mail.activity"].invalidate_model(["date_done"])
        subtype = self._xmlid("mail.mt_activities", state)
        messages = []
        for prep, activity in done:
            body = self.env["ir.qweb"]._render(
                "mail.message_activity_done",
                {"activity": activity, "feedback": False, "display_assignee": False},
            )
            messages.append(
                {
                    "model": activity.res_model,
                    "res_id": activity.res_id,
                    "body": body,
                    "message_type": "notification",
                    "subtype_id": subtype,
                    "mail_activity_type_id": activity.activity_type_id.id,
                    "author_id": activity.user_id.partner_id.id or False,
                    "date": prep.after.get("done_at")
                    or fields.Datetime.to_datetime(prep.after["date_done"])
                    + datetime.timedelta(hours=12),
                }
            )
        created = self._writer("mail.message").create(messages)
        # the rollback of the run removes these messages with their activities
        state.setdefault("auto_created", []).extend(created)
