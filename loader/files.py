"""Attachment files of the export folder: their bytes by checksum, a
delta's files that changed, and the previous content a rollback puts back
(loader/handlers/attachment.py stores them)."""

import hashlib
import os

from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine import records
from .prepare import column_binding, convert

CHUNK = 1024 * 1024  # attachment files are copied a megabyte at a time
# what an attachment's content is, beside its bytes: a rollback puts them back
CONTENT_FIELDS = ("checksum", "store_fname", "file_size")
# the field of migration.run whose hidden attachments keep the content a run
# replaced (keep_previous), and the ledger's before-value naming one
KEPT_FIELD = "replaced_file_content"
KEEPER_KEY = "previous_attachment_id"


def file_digest(path):
    """(sha1 hex, size) of a file, read a megabyte at a time (Odoo's
    filestore names a file by its sha1)."""
    sha = hashlib.sha1()  # noqa: S324 - Odoo's filestore names files by sha1
    size = 0
    with open(path, "rb") as src:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def export_file(project, relative):
    """The file's real path inside the project's export folder, or None."""
    # sudo: the folder is a system setting (base.group_system field) that the
    # command line sets; only files inside it are ever read
    root = project.sudo().files_path
    if not root or not relative:
        return None
    root = os.path.realpath(root)
    path = os.path.realpath(os.path.join(root, relative))
    if not path.startswith(root + os.sep) or not os.path.isfile(path):
        return None
    return path


def changed_files(env, omap):
    """Staging row ids of ``omap``'s loaded attachment rows whose file in the
    export folder now holds other bytes than the attachment made from it (the
    same list row, another file): a delta loads them again."""
    project = omap.project_id
    if not project.sudo().files_path:
        return []
    # read before the query below: a binding not in the cache yet is a query
    # of its own on the same cursor, which would replace its rows
    columns = column_binding(omap)
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            SELECT DISTINCT ON (r.id) r.id, r.data, a.checksum, a.file_size
              FROM migration_staging_row r
              JOIN migration_ledger l ON l.staging_row_id = r.id
                   AND l.res_model = 'ir.attachment'
                   AND NOT coalesce(l.rolled_back, false)
              JOIN ir_attachment a ON a.id = l.res_id AND a.type = 'binary'
             WHERE r.source_id = %s AND r.state = 'loaded'
             ORDER BY r.id, l.id DESC
            """,
            omap.source_id.id,
        )
    )
    changed = []
    for row_id, data, checksum, size in env.cr.fetchall():
        try:
            values = convert(omap, data or {}, project, columns).values
        except (records.RowError, records.SkippedRow):
            continue
        path = not values.get("url") and export_file(project, values.get("path"))
        if not path or not checksum:
            continue  # a missing file is the load's to report
        if os.path.getsize(path) != size or file_digest(path)[0] != checksum:
            changed.append(row_id)
    return changed


def keep_previous(attachment, run):
    """Keep the content ``attachment`` holds now, which a delta is about to
    replace, as a hidden attachment of ``run`` (its field KEPT_FIELD) that
    names the same filestore file (no copy; for database storage, the same
    bytes): Odoo's filestore cleanup (``_gc_file_store``) removes only the
    files no attachment names, so the file stays for the run's rollback,
    which puts it back and removes the keeper (restore_file). Returns the
    keeper's id, which the ledger's before-values keep."""
    # sudo: the run's own bookkeeping, as its ledger (never a person's file)
    Attachment = attachment.env["ir.attachment"].sudo()
    keeper = Attachment.create(
        {
            "name": attachment.name,
            "type": "binary",
            "mimetype": attachment.mimetype,
            "res_model": run._name,
            "res_id": run.id,
            "res_field": KEPT_FIELD,
            "description": attachment.env._(
                "Content of %(name)s before %(run)s stored it again, kept for "
                "its rollback.",
                name=attachment.name,
                run=run.name,
            ),
        }
    )
    _copy_content(attachment.env, keeper, attachment)
    return keeper.id


def restore_file(attachment, before):
    """A rollback puts back the content an update replaced: from the keeper
    (keep_previous) named by ``before``, which is then removed; a ledger row
    older than keepers gives the checksum, filestore name and size, usable
    while the filestore still holds that file."""
    Attachment = attachment.env["ir.attachment"].sudo()
    if before.get(KEEPER_KEY):
        keeper = Attachment.browse(before[KEEPER_KEY]).exists()
        if not keeper:
            raise UserError(
                attachment.env._(
                    "The previous content of %(name)s is no longer kept.",
                    name=attachment.name,
                )
            )
        replaced = attachment.store_fname
        _copy_content(attachment.env, attachment, keeper)
        if replaced:
            Attachment._file_delete(replaced)  # the cleanup's to decide
        keeper.unlink()  # its file stays: the attachment names it again
        return
    if not before.get("store_fname"):
        return
    if not os.path.isfile(Attachment._full_path(before["store_fname"])):
        raise UserError(
            attachment.env._(
                "The previous content of %(name)s is no longer in the filestore.",
                name=attachment.name,
            )
        )
    attachment.flush_recordset()
    attachment.env.cr.execute(
        SQL(
            "UPDATE ir_attachment SET store_fname = %s, checksum = %s, file_size = %s "
            "WHERE id = %s",
            before["store_fname"],
            before["checksum"],
            before["file_size"],
            attachment.id,
        )
    )
    attachment.invalidate_recordset(list(CONTENT_FIELDS) + ["raw", "datas"])


def _copy_content(env, target, source):
    """``target`` holds ``source``'s content: its filestore name, checksum
    and size, or its bytes in the database (no bytes through Python)."""
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE ir_attachment AS t SET store_fname = s.store_fname, "
            "checksum = s.checksum, file_size = s.file_size, db_datas = s.db_datas "
            "FROM ir_attachment AS s WHERE t.id = %s AND s.id = %s",
            target.id,
            source.id,
        )
    )
    for record in (target, source):
        record.invalidate_recordset([*CONTENT_FIELDS, "db_datas", "raw", "datas"])
