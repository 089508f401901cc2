# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One row lock for every run and workflow of the addon.

How it works: ``docs/design.md``, section ``models/dealer_lock_mixin.py``."""

from psycopg2 import errors

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class LockBusy(UserError):
    """Another transaction holds the rows: a moment later may do (a background run
    tries its batch again)."""


class DealerLockMixin(models.AbstractModel):
    _name = "dealer.lock.mixin"
    _description = "Row Lock of a Run or Workflow"

    def _lock_busy_message(self):
        """What a user who finds these records locked is told."""
        return _(
            "%(records)s: someone else is working on it right now; try again in a "
            "moment.",
            records=", ".join(self.mapped("display_name")) or self._description,
        )

    def _lock_rows(self):
        """Lock the rows of ``self`` for this transaction, or raise a UserError at
        once if another transaction holds them."""
        if not self:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                # busy is an answer, not an error for the server's log
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = ANY(%s) FOR UPDATE NOWAIT",
                        SQL.identifier(self._table),
                        self.ids,
                    ),
                    log_exceptions=False,
                )
        except errors.LockNotAvailable as exc:
            raise LockBusy(self._lock_busy_message()) from exc
        self.invalidate_recordset()
