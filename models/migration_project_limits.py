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
    max_tables = fields.Integer(
        string="Tables per file",
        default=100,
        help="A zip holding more tables (CSV or XLSX files) than this is refused "
        "at upload, before any of them is read: each table is a source, an object "
        "map and its proposals (0: the readers' own limit, 1,000).",
    )
    max_zip_ratio = fields.Integer(
        string="Zip expansion ratio",
        default=100,
        help="A zip member (over 1 MB) that expands more than this many times is "
        "refused at upload as a zip bomb, before it is read: CSV exports expand "
        "5 to 30 times (0: no check).",
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

    def _open_tables(self, filename, data):
        """The tables of an uploaded file within the project's limits; a zip
        of too many tables or a zip bomb is refused naming the setting."""
        try:
            return readers.open_tables(
                filename,
                data=data,
                max_bytes=self._max_bytes(),
                max_tables=self.max_tables or readers.MAX_TABLES,
                max_ratio=self.max_zip_ratio,
            )
        except readers.TooManyTables as exc:
            raise readers.ReadError(
                exc.filename,
                _(
                    "zip archive holds %(count)s tables (CSV or XLSX files); the "
                    "project allows %(limit)s per file ('Tables per file'). Split it "
                    "into archives of at most %(limit)s, or raise the limit.",
                    count=exc.count,
                    limit=exc.limit,
                ),
            ) from None
        except readers.ZipBomb as exc:
            raise readers.ReadError(
                exc.filename,
                _(
                    "expands %(ratio)s times (%(packed)s KB to %(size)s MB), over "
                    "the project's limit of %(limit)s ('Zip expansion ratio'): a zip "
                    "bomb? Upload the file itself, unzipped, or raise the limit.",
                    ratio=f"{exc.size // exc.packed:,}",
                    packed=f"{exc.packed / 1024:.1f}",
                    size=f"{exc.size / 1048576:.1f}",
                    limit=exc.limit,
                ),
            ) from None

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
