# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    dealer_rebate_id = fields.Many2one(
        "dealer.rebate",
        string="Rebate Statement",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    dealer_post_seq = fields.Integer(
        string="Posting Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Increases with every posting of a customer invoice or credit note. A "
        "rebate statement records the last value it saw: the invoices posted after it "
        "belong to the next statement. Empty: posted before the addon was installed.",
    )

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL("""
            CREATE SEQUENCE IF NOT EXISTS dealer_move_post_seq;
            -- A statement is settled by one document: the database refuses a second one
            -- even when two accountants settle the same statement at the same moment.
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_dealer_rebate_uniq
                ON account_move (dealer_rebate_id)
             WHERE dealer_rebate_id IS NOT NULL AND state != 'cancel';
            -- One dealer's sales in a window (a statement's counted lines, his last
            -- invoice, his portal pages): Odoo indexes the invoice date and the
            -- partner, not the commercial partner the measurement layer groups by; at
            -- 200,000 dealers PostgreSQL otherwise reads every invoice of the window.
            CREATE INDEX IF NOT EXISTS account_move_dealer_sales_idx
                ON account_move (commercial_partner_id, invoice_date)
             WHERE move_type IN ('out_invoice', 'out_refund')
        """)
        )
        return res

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        sales = posted.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        if sales:
            sales.flush_recordset(["state"])
            self.env.cr.execute(
                SQL(
                    """UPDATE account_move
                    SET dealer_post_seq = nextval('dealer_move_post_seq')
                    WHERE id = ANY(%s)""",
                    sales.ids,
                )
            )
            sales.invalidate_recordset(["dealer_post_seq"])
        return posted

    def action_view_dealer_rebate(self):
        self.ensure_one()
        return self.dealer_rebate_id._get_records_action()
