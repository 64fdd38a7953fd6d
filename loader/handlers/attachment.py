"""Attachments: ir.attachment on the record a row names; a URL is kept, a
file is copied from the export folder into the filestore a megabyte at a time."""

import mimetypes
import os
import shutil

from odoo import _
from odoo.tools import SQL

from ...engine.sources.base import get_source
from ..common import issue
from ..files import (
    CHUNK,
    CONTENT_FIELDS,
    KEEPER_KEY,
    export_file,
    file_digest,
    keep_previous,
)
from .base import RecordHandler
from .custom_object import custom_record


class AttachmentHandler(RecordHandler):
    target = "attachment"

    def resolve(self, omap, prepared):
        for prep in self.ready(prepared):
            found, problem = self.find_record(prep)
            if not found and self._unlinked(prep):
                found = (False, False)
            if not found:
                prep.held = self._not_attached(prep, problem)
                continue
            self._attachment_vals(prep, found)

    def find_record(self, prep):
        """((model, id), None) of the record a file belongs to, or (None,
        issue): a custom object's record it names (as notes do), else by the
        record id it gives (exact: it wins over a name), else by the source's
        link rules (a deal by its title, a company by its name), else by email."""
        custom = custom_record(self.cache, prep)
        if custom:
            return custom, None
        rec = prep.record
        if rec.lead_ref or rec.contact_ref:
            found, problem = self.partners.find_record(prep)
            if found:
                return found, None
            return self.links.record(prep, self.target) or (None, problem)
        return self.links.record(prep, self.target) or self.partners.find_record(prep)

    def _not_attached(self, prep, problem):
        """The review item of a file held: the file it is about first (the
        name or id it gives is the item's value)."""
        if not problem:
            return problem
        return dict(
            problem,
            reason=_(
                "%(file)s is not attached: %(reason)s",
                file=prep.record.values["name"],
                reason=problem["reason"],
            ),
        )

    def _unlinked(self, prep):
        """A file that names no record at all (a campaign's template) is kept
        on its own when the source system says its files may be, and a person
        sees it; a file naming a record that is not there is held."""
        rec = prep.record
        if rec.lead_ref or rec.contact_ref or rec.contact_email:
            return False
        if not get_source(self.project.system or "generic").unlinked_attachments:
            return False
        prep.issues.append(
            issue(
                "missing_parent",
                rec.columns.get("lead_ref") or False,
                rec.values["name"],
                _(
                    "%(name)s names no record: it is kept as an attachment of no "
                    "record (a template?); attach it where it belongs.",
                    name=rec.values["name"],
                ),
            )
        )
        return True

    def _attachment_vals(self, prep, found):
        values = prep.record.values
        vals = {"name": values["name"], "res_model": found[0], "res_id": found[1]}
        path = not values["url"] and self.file_path(values["path"])
        if values["url"]:
            vals.update(type="url", url=values["url"])
        elif path:
            vals.update(
                type="binary",
                mimetype=mimetypes.guess_type(path)[0] or "application/octet-stream",
            )
            prep.after["file"] = path
            if self.cache.keys.get((self.target, prep.key)):
                # an attachment an earlier run made: its content compared by
                # the file's checksum (same name, other bytes: updated)
                prep.after["digest"] = file_digest(path)
                vals["checksum"] = prep.after["digest"][0]
        elif values.get("pending"):
            # the export lists the file but does not hold it: its metadata
            # now, the file uploaded later by a person (a review item says so)
            vals.update(
                type="binary",
                mimetype=mimetypes.guess_type(values["name"])[0]
                or "application/octet-stream",
            )
            prep.create_only.add("type")
            prep.issues.append(self._pending(values["name"]))
        else:
            prep.held = self._missing_file(values["path"])
            return
        prep.vals = vals
        prep.create_only.add("mimetype")

    def _pending(self, name):
        return issue(
            "not_loaded",
            "File Name",
            name,
            _(
                "Only the document's metadata is in the export: the attachment is "
                "made without its file, which waits for upload."
            ),
        )

    def _missing_file(self, relative):
        # sudo: the folder is a system setting (base.group_system field)
        is_set = self.project.sudo().files_path
        return issue(
            "not_loaded",
            "Path",
            relative,
            _(
                "File not found in the export folder (the project's "
                "'Attachment files folder'%(unset)s).",
                unset="" if is_set else _(", which is not set"),
            ),
        )

    def file_path(self, relative):
        """The file's real path inside the project's export folder, or None."""
        return export_file(self.project, relative)

    # ------------------------------------------------------------ post hooks
    def post_create(self, omap, created):
        for prep, record in created:
            path = prep.after.get("file")
            if path:
                self.complete([prep], self.store_file, record, path, created=True)

    def after_update(self, prep, record, before):
        """A file whose bytes changed (its checksum, see _attachment_vals) is
        stored again; ``before`` keeps what the attachment held and names the
        run's keeper of that content (keep_previous), which a rollback puts
        back (restore_file)."""
        path = prep.after.get("file")
        if not path or "checksum" not in before:
            return
        before.update({f: record[f] for f in CONTENT_FIELDS})
        before[KEEPER_KEY] = keep_previous(record, self.cache.run)
        self.store_file(record, path, prep.after.get("digest"))

    def store_file(self, attachment, path, digest=None):
        """Copy a file into the filestore a megabyte at a time (never whole in
        memory) and point the attachment at it; ``digest``: its (sha1, size)
        when already read."""
        Attachment = self.env["ir.attachment"]
        checksum, size = digest or file_digest(path)
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
        replaced = attachment.store_fname
        if replaced and replaced != fname:
            # as Odoo's write of new content: the cleanup decides (a keeper
            # of the run names it while the run can be rolled back)
            Attachment._file_delete(replaced)
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
        attachment.invalidate_recordset([*CONTENT_FIELDS, "raw", "datas"])
