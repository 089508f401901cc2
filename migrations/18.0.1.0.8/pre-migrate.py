# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A dismissed warning whose ``cleared`` is NULL is live (18.0.1.0.8).

The unique index of the live warnings said ``NOT cleared``, which leaves a dismissed
warning with a NULL ``cleared`` (the column had no default) outside it: the engine
could open a second warning for the same rule and dealer beside it. Before the index is
made again with ``cleared IS NOT TRUE`` (by ``init()``): such a dismissed warning that
already has a newer live one beside it is marked cleared (its condition cleared once,
since the newer one was opened), every other NULL becomes FALSE, and the old index is
dropped."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL("""
        UPDATE dealer_warning old SET cleared = TRUE
         WHERE old.state = 'dismissed' AND old.cleared IS NULL
           AND EXISTS (
                SELECT 1 FROM dealer_warning new
                 WHERE new.rule_id = old.rule_id AND new.partner_id = old.partner_id
                   AND new.company_id = old.company_id AND new.id > old.id
                   AND (new.state IN ('open', 'acknowledged')
                        OR (new.state = 'dismissed' AND new.cleared IS NOT TRUE)))
        """)
    )
    cr.execute(SQL("UPDATE dealer_warning SET cleared = FALSE WHERE cleared IS NULL"))
    cr.execute(SQL("DROP INDEX IF EXISTS dealer_warning_live_uniq"))
