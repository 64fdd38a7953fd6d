"""The x_ models of a run's custom objects (memberships, enrolments...), made
before any row is loaded, as Odoo Studio makes a model: an ir.model in state
'manual' with a chatter and activities (is_mail_thread, is_mail_activity), a
many2one to the contact each row belongs to and its one2many on the contact,
list and form views, an action and a menu, and access rows (the migration
groups write, every internal user reads). The model stays when a run is
rolled back (only its rows go); closing or deleting the project drops it
(drop) only when it holds no record: migrated records are the company's data
and keep their model. Its x_ fields are made by CustomFields."""

import logging
import re
from xml.sax.saxutils import quoteattr

from odoo import _, fields
from odoo.exceptions import UserError
from odoo.fields import Command

_logger = logging.getLogger(__name__)

MAX_CUSTOM_MODELS = 10  # per project: a run never floods the database with models
LINK_FIELD = "x_partner_id"
MANAGER = "crm_migration.group_migration_manager"
# (group xml id, read, write, create, unlink)
ACCESS = (
    (MANAGER, True, True, True, True),
    ("crm_migration.group_migration_user", True, True, True, True),
    ("base.group_user", True, False, False, False),
)


def model_slug(text):
    """'Course Enrollments' -> 'course_enrollments' (letters, digits, _)."""
    slug = re.sub(r"[^a-z0-9]+", "_", str(text or "").lower()).strip("_")
    return slug or "object"


def own_model_maps(omaps):
    return omaps.filtered(lambda m: m.own_model and m.target)


class CustomModels:
    """Creates the x_ model of each custom object of a run, then (once its
    fields exist) its views, action and menu."""

    def __init__(self, env):
        self.env = env

    def create(self, omaps):
        """The model (with its name and contact link) of every custom object
        that has none yet; a Migration User's run makes none (its rows then
        wait for a manager's run)."""
        wanted = own_model_maps(omaps).filtered(lambda m: not m.custom_model_id)
        if not wanted or not self.env.user.has_group(MANAGER):
            return
        self._check_limit(wanted)
        for omap in wanted:
            self._create_model(omap)

    def _check_limit(self, wanted):
        project = wanted.project_id
        made = self.env["migration.object.map"].search_count(
            [("project_id", "=", project.id), ("custom_model_id", "!=", False)]
        )
        if made + len(wanted) > MAX_CUSTOM_MODELS:
            raise UserError(
                _(
                    "%(objects)s would make %(count)s custom models; a project may "
                    "make %(limit)s. Set the other custom objects to 'not migrated' "
                    "or untick their 'Own model'.",
                    objects=", ".join(wanted.mapped("object_name")),
                    count=made + len(wanted),
                    limit=MAX_CUSTOM_MODELS,
                )
            )

    def free_name(self, omap):
        """x_<object> (x_memberships), or with the project's id when another
        model has that name."""
        base = f"x_{model_slug(omap.object_name)}"[:40]
        IrModel = self.env["ir.model"]
        if not IrModel._get(base):
            return base
        return f"{base}_{omap.project_id.id}"

    def _create_model(self, omap):
        name = self.free_name(omap)
        label = omap.object_name.replace("_", " ").title()
        # sudo: creating a model needs Settings rights; a Migration Manager's
        # confirmed map is the authorisation (as for the x_ fields)
        IrModel = self.env["ir.model"].sudo()
        model = IrModel.create(
            {
                "name": label,
                "model": name,
                "state": "manual",
                "is_mail_thread": True,
                "is_mail_activity": True,
                "field_id": [
                    Command.create(
                        {
                            "name": "x_name",
                            "field_description": _("Name"),
                            "ttype": "char",
                            "state": "manual",
                        }
                    ),
                    Command.create(
                        {
                            "name": LINK_FIELD,
                            "field_description": _("Contact"),
                            "ttype": "many2one",
                            "relation": "res.partner",
                            "on_delete": "set null",
                            "index": True,
                            "state": "manual",
                        }
                    ),
                ],
            }
        )
        # the contact's side: its rows of this object
        self.env["ir.model.fields"].sudo().create(
            {
                "name": f"{name}_ids",
                "model_id": IrModel._get_id("res.partner"),
                "field_description": label,
                "ttype": "one2many",
                "relation": name,
                "relation_field": LINK_FIELD,
                "state": "manual",
            }
        )
        self._access(model, label)
        omap.custom_model_id = model
        _logger.info("created custom model %s for %s", name, omap.object_name)
        return model

    def _access(self, model, label):
        rows = []
        for xmlid, read, write, create, unlink in ACCESS:
            group = self.env.ref(xmlid, raise_if_not_found=False)
            if group:
                rows.append(
                    {
                        "name": f"{label} ({group.name})",
                        "model_id": model.id,
                        "group_id": group.id,
                        "perm_read": read,
                        "perm_write": write,
                        "perm_create": create,
                        "perm_unlink": unlink,
                    }
                )
        # sudo: access rows are Settings data; see _create_model
        self.env["ir.model.access"].sudo().create(rows)

    # ------------------------------------------------------------ drop
    def drop(self, omaps):
        """Remove the x_ models of these custom objects and all that was made
        for them: their records with their messages, activities, followers and
        attachments, the contact's page and one2many, the views, action, menu
        and access rows. Only when their project is closed or deleted: a run
        never drops one and a rollback removes the rows only."""
        models = omaps.mapped("custom_model_id")
        if not models:
            return
        names = models.mapped("model")
        # sudo: the models and their screens are Settings data made for the
        # project's confirmed maps (see _create_model); closing or deleting the
        # project is a Migration Manager's
        sudo = self.env["ir.model"].sudo().env
        actions = sudo["ir.actions.act_window"].search([("res_model", "in", names)])
        sudo["ir.ui.menu"].with_context(active_test=False).search(
            [("action", "in", [f"{a._name},{a.id}" for a in actions])]
        ).unlink()
        actions.unlink()
        sudo["ir.ui.view"].search(
            [
                "|",
                ("model", "in", names),
                ("name", "in", [f"{n}.partner" for n in names]),
            ]
        ).unlink()
        sudo["ir.model.fields"].search(  # the contact's one2many (_create_model)
            [
                ("model", "=", "res.partner"),
                ("name", "in", [f"{n}_ids" for n in names]),
                ("state", "=", "manual"),
            ]
        ).unlink()
        for name in names:
            # mail.thread's unlink takes their messages, activities, followers
            sudo[name].with_context(active_test=False).search([]).unlink()
        sudo["ir.attachment"].search([("res_model", "in", names)]).unlink()
        # their ledger rows say the records are gone (a later rollback of the
        # runs skips them instead of asking for a model that no longer exists)
        self.env["migration.ledger"].search(
            [("res_model", "in", names), ("rolled_back", "=", False)]
        ).write(
            {
                "rolled_back": True,
                "rollback_date": fields.Datetime.now(),
                "rollback_uid": self.env.uid,
            }
        )
        omaps.write({"custom_model_id": False})
        models.unlink()
        _logger.info("dropped custom models %s", ", ".join(names))

    # ------------------------------------------------------------ screens
    def screens(self, omaps):
        """List and form views with every field the model has now, an action
        and a menu under Migration > Migrated objects (views are rewritten
        when a later run added fields)."""
        for omap in own_model_maps(omaps).filtered("custom_model_id"):
            self._screens(omap.custom_model_id)

    def _screens(self, model):
        # sudo (views, actions, menus): Settings data, made for a Migration
        # Manager's confirmed map as the model itself (see _create_model)
        View = self.env["ir.ui.view"].sudo()
        names = self._field_names(model)
        for kind, arch in (
            ("list", self.list_arch(names)),
            ("form", self.form_arch(names)),
        ):
            view = View.search(
                [
                    ("model", "=", model.model),
                    ("type", "=", kind),
                    ("mode", "=", "primary"),
                ],
                limit=1,
            )
            if view:
                view.arch_db = arch
            else:
                View.create(
                    {
                        "name": f"{model.model}.{kind}",
                        "model": model.model,
                        "type": kind,
                        "arch_db": arch,
                    }
                )
        self._contact_page(model, names)
        Action = self.env["ir.actions.act_window"].sudo()
        if Action.search_count([("res_model", "=", model.model)]):
            return
        action = Action.create(
            {"name": model.name, "res_model": model.model, "view_mode": "list,form"}
        )
        parent = self.env.ref(
            "crm_migration.menu_migration_custom_objects", raise_if_not_found=False
        )
        # sudo: menus are Settings data; see _create_model
        self.env["ir.ui.menu"].sudo().create(
            {
                "name": model.name,
                "parent_id": parent.id if parent else False,
                "action": f"ir.actions.act_window,{action.id}",
            }
        )

    def _contact_page(self, model, names):
        """The contact form's page of its rows of this object."""
        View = self.env["ir.ui.view"].sudo()  # see _screens
        parent = self.env.ref("base.view_partner_form", raise_if_not_found=False)
        if not parent:
            return
        arch = self.page_arch(model, names)
        view = View.search(
            [("inherit_id", "=", parent.id), ("name", "=", f"{model.model}.partner")],
            limit=1,
        )
        if view:
            view.arch_db = arch
        else:
            View.create(
                {
                    "name": f"{model.model}.partner",
                    "model": "res.partner",
                    "inherit_id": parent.id,
                    "arch_db": arch,
                }
            )

    @staticmethod
    def page_arch(model, names):
        cells = "".join(f'<field name="{n}" optional="show"/>' for n in names)
        return (
            '<xpath expr="//notebook" position="inside">'
            f'<page string={quoteattr(model.name)} name="{model.model}">'
            f'<field name="{model.model}_ids"><list><field name="x_name"/>{cells}</list>'
            "</field></page></xpath>"
        )

    def _field_names(self, model):
        fields = self.env[model.model]._fields
        custom = sorted(
            (
                f
                for f in fields.values()
                if f.manual and f.name not in ("x_name", LINK_FIELD)
            ),
            key=lambda f: f.name,
        )
        return [f.name for f in custom if f.type not in ("one2many", "many2many")] + [
            f.name for f in custom if f.type == "many2many"
        ]

    @staticmethod
    def list_arch(names):
        cells = "".join(f'<field name="{n}" optional="show"/>' for n in names)
        return f'<list><field name="x_name"/><field name="{LINK_FIELD}"/>{cells}</list>'

    @staticmethod
    def form_arch(names):
        cells = "".join(f'<field name="{n}"/>' for n in names)
        return (
            "<form><sheet>"
            '<div class="oe_title"><h1><field name="x_name"/></h1></div>'
            f'<group><field name="{LINK_FIELD}"/>{cells}</group>'
            "</sheet><chatter/></form>"
        )
