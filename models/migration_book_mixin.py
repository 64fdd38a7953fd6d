from odoo import _, api, models
from odoo.exceptions import AccessError


class MigrationBookMixin(models.AbstractModel):
    """Records the run alone writes: a run's states and counts, its objects'
    counts. A person reads them and acts through the run's buttons (which
    check who may start, cancel or roll back what); a write over RPC, even a
    Manager's, would make the reconciliation say what did not happen, so
    their fields are written only by the run's own code (``_write_book``)."""

    _name = "migration.book.mixin"
    _description = "CRM Migration: records only a run writes"

    @api.model
    def _book_free_fields(self):
        """What a person may still write: the chatter's own fields."""
        return set(self.env["mail.thread"]._fields) - {"id", "display_name"}

    @api.model
    def _check_book_write(self, vals):
        if self.env.su:
            return
        locked = sorted(set(vals) - self._book_free_fields())
        if locked:
            raise AccessError(
                _(
                    "%(model)s records are written by the migration run itself, "
                    "not by hand (%(fields)s): start, cancel or roll back the run "
                    "with its buttons.",
                    model=self._description,
                    fields=", ".join(locked),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_book_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_book_write(vals)
        return super().write(vals)

    def _write_book(self, vals):
        """The run's own bookkeeping."""
        # sudo: states and counts are the run's to write, nobody's by hand
        # (see _check_book_write); who may start, cancel or roll back this run
        # was checked by the action that got here
        return self.sudo().write(vals)

    @api.model
    def _create_book(self, vals_list):
        # sudo: see _write_book
        return self.sudo().create(vals_list).sudo(False)
