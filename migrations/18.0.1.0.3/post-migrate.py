# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One definition of net sales (models/dealer_measure.py): the tier runs' basis no
longer counts the documents that settle rebate statements. Nothing is recomputed here:
each company's next tier run uses the corrected basis, and notes it in the tier changes
it logs."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT string_agg(id::text, ',') FROM res_company")
    companies = cr.fetchone()[0] or ""
    cr.execute(
        """
        INSERT INTO ir_config_parameter (key, value, create_date, write_date)
        VALUES ('dealer_management.tier_basis_note_companies', %s, now(), now())
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
    """,
        (companies,),
    )
