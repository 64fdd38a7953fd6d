import itertools

from odoo import _, fields, models

from ..engine import readers


class MigrationProject(models.Model):
    """The project's limits: what a file or a run may be before it is refused,
    with the reason, before anything is staged or the schema changes."""

    _inherit = "migration.project"

    max_new_fields = fields.Integer(
        string="New fields per object",
        default=100,
        help="At most this many new x_ fields for one object (contacts, deals...): "
        "a run that would add more is refused before the database changes. "
        "PostgreSQL allows 1,600 columns per table, the standard ones included.",
    )
    max_columns = fields.Integer(
        string="Columns per file",
        default=1000,
        help="A file with more columns than this is refused at upload, before "
        "anything is staged or proposed.",
    )
    max_file_mb = fields.Integer(
        string="File size (MB)",
        default=200,
        help="A file larger than this (a zip: its content) is refused at upload, "
        "before it is read.",
    )
    max_rows = fields.Integer(
        string="Rows per file",
        default=0,
        help="A table with more data rows than this is refused at upload, before "
        "anything is staged (0: no limit; a limit reads each file once more "
        "to count its rows).",
    )
    max_cell_mb = fields.Integer(
        string="Cell size (MB)",
        default=50,
        help="A file with a value (one cell) larger than this is refused at upload "
        "with its line and column, before anything is staged (0: no limit). A "
        "value under it is loaded whole and read back after the run.",
    )

    def _check_columns(self, tables):
        """A table wider than the project allows is refused before anything is
        staged, proposed or created (20,000 columns would become 20,000 new
        fields, past PostgreSQL's 1,600 columns a table)."""
        limit = self.max_columns
        for table in tables:
            if limit and len(table.headers) > limit:
                raise readers.ReadError(
                    table.name,
                    _(
                        "has %(count)s columns; the project allows %(limit)s per "
                        "file ('Columns per file') and %(new)s new fields per "
                        "object. Split the file or remove the columns not to migrate.",
                        count=len(table.headers),
                        limit=limit,
                        new=self.max_new_fields,
                    ),
                )

    def _max_bytes(self):
        """The project's file size limit in bytes (the readers' own without)."""
        if self.max_file_mb > 0:
            return self.max_file_mb * 1024 * 1024
        return readers.MAX_BYTES

    def _check_rows(self, tables):
        """A table longer than the project allows is refused before anything is
        staged (counted up to one row past the limit)."""
        limit = self.max_rows
        for table in tables if limit > 0 else ():
            count = sum(1 for _row in itertools.islice(table.rows(), limit + 1))
            if count > limit:
                raise readers.ReadError(
                    table.name,
                    _(
                        "has more than %(limit)s data rows, the project's limit "
                        "('Rows per file'). Split the file, or raise the limit.",
                        limit=limit,
                    ),
                )

    def _within_cell_limit(self, name, rows):
        """The rows of table ``name``, refused (ReadError) at the first cell
        larger than the project's 'Cell size (MB)': never staged, loaded or
        cut silently."""
        limit = self.max_cell_mb * 1024 * 1024
        for line, row in rows:
            for column, value in row.items() if limit > 0 else ():
                # a character is 1 to 4 bytes: encode only the long ones
                if (
                    isinstance(value, str)
                    and len(value) * 4 > limit
                    and len(value.encode()) > limit
                ):
                    raise readers.ReadError(
                        name,
                        _(
                            "line %(line)s, column %(column)s holds %(size)s MB, over "
                            "the project's limit of %(limit)s MB per cell ('Cell "
                            "size (MB)'); nothing of the file was staged. Shorten "
                            "the value (or keep it as a file), or raise the limit.",
                            line=line,
                            column=column,
                            size=f"{len(value.encode()) / 1048576:.1f}",
                            limit=self.max_cell_mb,
                        ),
                    )
            yield line, row
