# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The receivables aging is no longer a database view computed with the session's
CURRENT_DATE but a query computed at each read with the user's date: drop the old
view, which a module update leaves in place."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("DROP VIEW IF EXISTS dealer_receivable_aging")
