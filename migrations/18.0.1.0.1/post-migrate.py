# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Tier run lines no longer record creator and writer (the run does), and the dealer's
tier is no longer indexed: drop the columns, their foreign keys and the index, which a
module update leaves in place."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        ALTER TABLE dealer_tier_run_line
            DROP COLUMN IF EXISTS create_uid, DROP COLUMN IF EXISTS write_uid,
            DROP COLUMN IF EXISTS create_date, DROP COLUMN IF EXISTS write_date
    """)
    cr.execute("DROP INDEX IF EXISTS res_partner__dealer_tier_index")
